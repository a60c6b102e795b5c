package cn.hongtong.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Redis the tests run against, as processes: the single instance of {@code bin/stack up}
 * (port 6380, database 1) or, under {@code bin/test --redis-cluster}, the six nodes of the local
 * cluster. Tests that stop, freeze or empty Redis go through here so that they mean the same on
 * both.
 */
public final class RedisNodes {

    private static final Path RUN = Path.of(".stack/run");

    private RedisNodes() {}

    /** bin/test --redis-cluster exports HONGTONG_REDIS_CLUSTER=1 (and sets the client type). */
    public static boolean cluster() {
        return "1".equals(System.getenv("HONGTONG_REDIS_CLUSTER"))
                || "cluster".equals(System.getProperty("quarkus.redis.client-type"));
    }

    public static int clusterPort() {
        return Integer.parseInt(System.getenv().getOrDefault("HONGTONG_REDIS_CLUSTER_PORT", "7101"));
    }

    public static String singlePort() {
        return System.getenv().getOrDefault("HONGTONG_REDIS_PORT", "6380");
    }

    /** Every Redis process the API talks to. */
    public static List<Long> pids() throws IOException {
        List<Long> pids = new ArrayList<>();
        if (cluster()) {
            for (int port = clusterPort(); port < clusterPort() + 6; port++) {
                pids.add(pid(RUN.resolve("redis-cluster-" + port + ".pid")));
            }
        } else {
            pids.add(pid(RUN.resolve("redis.pid")));
        }
        return pids;
    }

    /** SIGSTOP every node: connections hang instead of being refused, as in a partition. */
    public static void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    public static void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    /** Redis goes away: every node shuts down (saving what it has). */
    public static void shutDown() throws IOException, InterruptedException {
        if (cluster()) {
            for (int port = clusterPort(); port < clusterPort() + 6; port++) {
                run("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port), "shutdown");
            }
        } else {
            run("redis-cli", "-h", "127.0.0.1", "-p", singlePort(), "shutdown");
        }
    }

    /** Redis comes back through the stack script (and, for a cluster, its state is ok again). */
    public static void bringBack() throws IOException, InterruptedException {
        run("bin/stack", "up", cluster() ? "redis-cluster" : "redis");
    }

    /** Deletes keys (each on its own, so that a cluster routes every one to its slot). */
    public static void delete(List<String> keys) throws IOException, InterruptedException {
        if (keys.isEmpty()) {
            return;
        }
        if (!cluster()) {
            // One DEL of them all; a cluster takes one key per command (their slots differ).
            List<String> command =
                    new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", singlePort(), "-n", "1", "DEL"));
            command.addAll(keys);
            run(command.toArray(String[]::new));
            return;
        }
        for (String key : keys) {
            run("redis-cli", "-c", "-h", "127.0.0.1", "-p", Integer.toString(clusterPort()), "DEL", key);
        }
    }

    private static void signal(String name) throws IOException, InterruptedException {
        for (long pid : pids()) {
            ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no Redis process " + pid));
            run("kill", "-" + name, Long.toString(pid));
        }
    }

    private static long pid(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).trim());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command))
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 90 s");
        }
    }
}
