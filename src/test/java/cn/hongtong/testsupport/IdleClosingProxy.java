package cn.hongtong.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of a server that closes every connection after it has been idle for a
 * while, without saying so in the HTTP response (as MinIO and S3Proxy do after about 30 s): a
 * client that reuses such a pooled connection meets "unexpected end of stream".
 */
public final class IdleClosingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);

    public IdleClosingProxy(String upstreamHost, int upstreamPort, long idleMillis) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            Socket client = server.accept();
                            Socket upstream = new Socket(upstreamHost, upstreamPort);
                            AtomicLong last = new AtomicLong(System.nanoTime());
                            pump(client, upstream, last);
                            pump(upstream, client, last);
                            scheduler.scheduleAtFixedRate(
                                    () -> {
                                        if (System.nanoTime() - last.get()
                                                > TimeUnit.MILLISECONDS.toNanos(idleMillis)) {
                                            closeQuietly(client);
                                            closeQuietly(upstream);
                                        }
                                    },
                                    idleMillis,
                                    idleMillis / 4,
                                    TimeUnit.MILLISECONDS);
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "idle-closing-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private static void pump(Socket from, Socket to, AtomicLong last) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[16384];
                    try (InputStream in = from.getInputStream()) {
                        OutputStream out = to.getOutputStream();
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            out.write(buffer, 0, n);
                            out.flush();
                            last.set(System.nanoTime());
                        }
                    } catch (IOException ignored) {
                        // One side closed: the other follows.
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "idle-closing-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closed already.
        }
    }

    @Override
    public void close() throws IOException {
        scheduler.shutdownNow();
        server.close();
    }
}
