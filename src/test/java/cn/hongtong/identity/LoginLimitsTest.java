package cn.hongtong.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.testsupport.WeChatFake;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 2, through the public API: the per-client login limit keys on the real client,
 * whatever a caller writes into X-Forwarded-For. The API trusts 127.0.0.2 as its proxy here; tests
 * connect either from 127.0.0.1 (an untrusted peer forging headers) or from 127.0.0.2 (the proxy).
 * Each attempt uses a code WeChat refuses (400), so an attempt the limiter lets through answers
 * 400 and one it stops answers 429.
 */
@QuarkusTest
@TestProfile(LoginLimitsTest.Limits.class)
class LoginLimitsTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Quarkus's own forwarding on, as k8s/ had it before: the limit must hold even then.
            return Map.of(
                    "quarkus.http.proxy.proxy-address-forwarding",
                    "true",
                    "quarkus.http.proxy.allow-x-forwarded",
                    "true",
                    "hongtong.identity.login-limits.per-address",
                    "5",
                    "hongtong.identity.login-limits.global",
                    "12",
                    "hongtong.http.trusted-proxies",
                    "127.0.0.2,10.0.0.0/8");
        }
    }

    private static final String PATH = "/api/v1/auth/wechat/mini-program";
    private static final String UNTRUSTED = "127.0.0.1";
    private static final String PROXY = "127.0.0.2";

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void freshWindow() {
        var keys = redis.key().keys("ratelimit:login:*");
        if (!keys.isEmpty()) {
            redis.key().del(keys.toArray(String[]::new));
        }
    }

    @Test
    void forgedForwardedForFromAnUntrustedPeerDoesNotEscapeTheLimit() throws IOException {
        for (int i = 0; i < 5; i++) {
            assertEquals(400, attempt(UNTRUSTED, "198.51.100." + i));
        }
        assertEquals(429, attempt(UNTRUSTED, "198.51.100.99"));
        assertEquals(429, attempt(UNTRUSTED, "10.0.0.1, 198.51.100.100"));
        assertEquals(429, attempt(UNTRUSTED, null));
    }

    @Test
    void behindTheProxyTheClientItAppendedIsLimitedWhateverTheClientWroteBeforeIt() throws IOException {
        for (int i = 0; i < 5; i++) {
            assertEquals(400, attempt(PROXY, "198.51.100." + i + ", 203.0.113.7"));
        }
        assertEquals(429, attempt(PROXY, "198.51.100.77, 203.0.113.7"));
        assertEquals(429, attempt(PROXY, "203.0.113.7, 10.1.1.1"));
        // Another client behind the same proxy has its own budget.
        assertEquals(400, attempt(PROXY, "198.51.100.77, 203.0.113.8"));
    }

    @Test
    void ipv6ClientsOfOneSlash64ShareABudget() throws IOException {
        for (int i = 1; i <= 5; i++) {
            assertEquals(400, attempt(PROXY, "2001:db8:1:2::" + Integer.toHexString(i * 4097)));
        }
        assertEquals(429, attempt(PROXY, "2001:db8:1:2:ffff:ffff:ffff:1"));
        assertEquals(400, attempt(PROXY, "2001:db8:1:3::1"));
    }

    @Test
    void manyClientsTogetherMeetTheGlobalBudget() throws IOException {
        for (int i = 0; i < 12; i++) {
            assertEquals(400, attempt(PROXY, "203.0.113." + (100 + i)));
        }
        assertEquals(429, attempt(PROXY, "203.0.113.200"));
        assertEquals(429, attempt(UNTRUSTED, null));
    }

    /** One login attempt with a refused code, sent from {@code localAddress}; the HTTP status. */
    private static int attempt(String localAddress, String forwardedFor) throws IOException {
        String code = WeChatFake.newCode();
        WeChatFake.miniProgramError(code, 40029, "invalid code");
        byte[] body = ("{\"code\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port), 5000);
            socket.setSoTimeout(10_000);
            String head = "POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n"
                    + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n") + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
