package cn.hongtong.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.Fast;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Client address resolution for the login limits (issue 13, finding 2), without the stack. The
 * invariants: what an untrusted peer writes into X-Forwarded-For never changes its key; behind
 * trusted proxies, nothing left of the first untrusted entry from the right matters; IPv6
 * clients of one /64 share a key.
 */
@Fast
class ClientAddressTest {

    private static final ClientAddress RESOLVER = new ClientAddress(config("10.0.0.0/8", "127.0.0.2", "fd00::/8"));

    private static HttpConfig config(String... trusted) {
        return new HttpConfig() {
            @Override
            public Duration deadline() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Optional<List<String>> trustedProxies() {
                return Optional.of(List.of(trusted));
            }
        };
    }

    private static InetAddress ip(String text) {
        return ClientAddress.literal(text).orElseThrow();
    }

    private static String keyOf(String peer, String... forwardedFor) {
        return ClientAddress.key(RESOLVER.resolve(ip(peer), List.of(forwardedFor)));
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertEquals("203.0.113.9", keyOf("203.0.113.9", "1.2.3.4"));
        assertEquals("127.0.0.1", keyOf("127.0.0.1", "10.0.0.1, 8.8.8.8"));
    }

    @Test
    void behindTrustedProxiesTheRightmostUntrustedEntryIsTheClient() {
        assertEquals("203.0.113.7", keyOf("10.1.2.3", "6.6.6.6, 203.0.113.7"));
        assertEquals("203.0.113.7", keyOf("10.1.2.3", "6.6.6.6", "203.0.113.7, 10.9.9.9"));
        // Everything trusted: the leftmost trusted hop.
        assertEquals("10.0.0.5", keyOf("10.1.2.3", "10.0.0.5, 10.0.0.6"));
        // Garbage left by a client: the last hop a trusted proxy vouched for.
        assertEquals("203.0.113.7", keyOf("10.1.2.3", "not-an-ip, 203.0.113.7"));
        assertEquals("10.9.9.9", keyOf("10.1.2.3", "203.0.113.7 junk, 10.9.9.9"));
        assertEquals("203.0.113.7", keyOf("10.1.2.3", "[2001:db8::1]:443, 203.0.113.7:5555"));
    }

    @Test
    void ipv6ClientsAreKeyedByTheirSlash64() {
        assertEquals("2001:db8:1:2::/64", keyOf("2001:db8:1:2::1"));
        assertEquals(keyOf("2001:db8:1:2::1"), keyOf("2001:db8:1:2:ffff:ffff:ffff:fffe"));
        assertTrue(!keyOf("2001:db8:1:2::1").equals(keyOf("2001:db8:1:3::1")));
        assertEquals("192.0.2.1", keyOf("::ffff:192.0.2.1"));
        assertEquals("2001:db8:1:2::/64", keyOf("10.0.0.1", "2001:db8:1:2::77"));
    }

    @Test
    void namesAreNeverLookedUpAndBadRangesFailTheStart() {
        assertTrue(ClientAddress.literal("localhost").isEmpty());
        assertTrue(ClientAddress.literal("example.com").isEmpty());
        assertTrue(ClientAddress.literal("999.1.1.1").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(config("ingress.local")));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(config("10.0.0.0/33")));
    }

    @Property(tries = 500)
    void whatAnUntrustedPeerForwardsNeverChangesItsKey(
            @ForAll("untrusted") String peer, @ForAll("forwardedFor") List<String> forwarded) {
        assertEquals(keyOf(peer), ClientAddress.key(RESOLVER.resolve(ip(peer), forwarded)));
    }

    @Property(tries = 500)
    void entriesLeftOfTheClientNeverMatter(
            @ForAll("untrusted") String client,
            @ForAll("forwardedFor") List<String> left,
            @ForAll("forwardedFor") List<String> otherLeft,
            @ForAll("trustedHops") List<String> proxies) {
        List<String> a = new ArrayList<>(left);
        a.add(client);
        a.addAll(proxies);
        List<String> b = new ArrayList<>(otherLeft);
        b.add(client);
        b.addAll(proxies);
        String viaA = ClientAddress.key(RESOLVER.resolve(ip("10.0.0.1"), List.of(String.join(", ", a))));
        String viaB = ClientAddress.key(RESOLVER.resolve(ip("10.0.0.1"), List.of(String.join(", ", b))));
        assertEquals(ClientAddress.key(ip(client)), viaA);
        assertEquals(viaA, viaB);
    }

    @Provide
    Arbitrary<String> untrusted() {
        Arbitrary<String> v4 = Arbitraries.integers()
                .between(11, 223)
                .flatMap(a -> Arbitraries.integers()
                        .between(0, 255)
                        .list()
                        .ofSize(3)
                        .map(r -> a + "." + r.get(0) + "." + r.get(1) + "." + r.get(2)));
        Arbitrary<String> v6 = Arbitraries.integers()
                .between(0, 0xffff)
                .list()
                .ofSize(7)
                .map(g -> "2001:"
                        + String.join(":", g.stream().map(Integer::toHexString).toList()));
        return Arbitraries.oneOf(v4, v6);
    }

    @Provide
    Arbitrary<List<String>> forwardedFor() {
        Arbitrary<String> junk =
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20).map(s -> s.replace(",", ""));
        return Arbitraries.oneOf(untrusted(), trustedHop(), junk).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<String>> trustedHops() {
        return trustedHop().list().ofMaxSize(4);
    }

    private Arbitrary<String> trustedHop() {
        return Arbitraries.integers()
                .between(0, 255)
                .list()
                .ofSize(3)
                .map(r -> "10." + r.get(0) + "." + r.get(1) + "." + r.get(2));
    }
}
