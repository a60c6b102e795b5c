package cn.hongtong.common;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a request comes from, as the key of per-client limits: the peer, unless the peer is a
 * configured trusted proxy ({@link HttpConfig#trustedProxies()}), in which case
 * {@code X-Forwarded-For} is read from the right and the first address that is not a trusted proxy
 * is the client. Entries to its left were written by the client and are never believed (Quarkus's
 * own forwarding support takes the leftmost entry, which a client controls whenever a proxy
 * appends to the header instead of replacing it). IPv6 clients are keyed by their /64: one
 * subscriber usually holds a whole /64 and could otherwise rotate through 2^64 addresses.
 */
@ApplicationScoped
public class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final int MAX_HOPS = 20;

    private final List<Cidr> trusted;

    public ClientAddress(HttpConfig config) {
        this.trusted = config.trustedProxies().orElse(List.of()).stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(Cidr::parse)
                .toList();
    }

    /** The per-client limiting key of {@code request}: an IPv4 address or an IPv6 /64. */
    public String key(HttpServerRequest request) {
        SocketAddress peer =
                request.connection() != null ? request.connection().remoteAddress() : request.remoteAddress();
        InetAddress peerAddress =
                peer == null ? null : literal(peer.hostAddress()).orElse(null);
        if (peerAddress == null) {
            return "unknown";
        }
        return key(resolve(peerAddress, request.headers().getAll("X-Forwarded-For")));
    }

    /** The client behind {@code peer}, given the X-Forwarded-For header lines of the request. */
    InetAddress resolve(InetAddress peer, List<String> forwardedFor) {
        if (!isTrusted(peer) || forwardedFor.isEmpty()) {
            return peer;
        }
        String[] hops = String.join(",", forwardedFor).split(",");
        InetAddress client = peer;
        int seen = 0;
        for (int i = hops.length - 1; i >= 0 && seen < MAX_HOPS; i--, seen++) {
            Optional<InetAddress> hop = literal(hops[i]);
            if (hop.isEmpty()) {
                // Garbage is what a client wrote: the last address a trusted proxy vouched for stands.
                return client;
            }
            client = hop.get();
            if (!isTrusted(client)) {
                return client;
            }
        }
        return client;
    }

    boolean isTrusted(InetAddress address) {
        for (Cidr range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An IPv4 address as is; an IPv6 address as its /64 prefix; IPv4-mapped IPv6 as IPv4. */
    static String key(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        if (isV4Mapped(bytes)) {
            return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)))
                    .append(':');
        }
        return prefix.append(":/64").toString();
    }

    private static boolean isV4Mapped(byte[] bytes) {
        if (bytes.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /**
     * An IP literal (IPv4, IPv6, bracketed IPv6, either with a port) without any name lookup;
     * empty for anything else.
     */
    static Optional<InetAddress> literal(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String text = raw.strip();
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            if (end < 0) {
                return Optional.empty();
            }
            text = text.substring(1, end);
        } else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':') && text.contains(".")) {
            text = text.substring(0, text.indexOf(':'));
        }
        int zone = text.indexOf('%');
        if (zone >= 0) {
            text = text.substring(0, zone);
        }
        var v4 = IPV4.matcher(text);
        if (v4.matches()) {
            for (int g = 1; g <= 4; g++) {
                if (Integer.parseInt(v4.group(g)) > 255) {
                    return Optional.empty();
                }
            }
        } else if (!text.contains(":") || !IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            // A literal by the checks above, so this never consults DNS.
            InetAddress address = InetAddress.getByName(text);
            return address instanceof Inet4Address || address instanceof Inet6Address
                    ? Optional.of(address)
                    : Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** An address range: network bytes and prefix length. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            InetAddress address = literal(host)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "hongtong.http.trusted-proxies: not an address or CIDR: " + text));
            byte[] bytes = address.getAddress();
            int prefix = slash < 0
                    ? bytes.length * 8
                    : Integer.parseInt(text.substring(slash + 1).strip());
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("hongtong.http.trusted-proxies: bad prefix length: " + text);
            }
            return new Cidr(bytes, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }
}
