package cn.hongtong.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.Fast;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 9 (plain unit test): the signing key rotates without voiding what it signed.
 * A download grant issued under key k1 verifies after k2 became current with k1 kept as previous,
 * and stops verifying only once k1 is dropped; nothing signed by a key outside the ring verifies.
 */
@Fast
class SigningKeyRotationTest {

    private static final String K1 = "first-signing-key-0123456789abcdef-0123";
    private static final String K2 = "second-signing-key-0123456789abcdef-012";

    private static MediaConfig config(String id, String key, String... previous) {
        return (MediaConfig) Proxy.newProxyInstance(
                MediaConfig.class.getClassLoader(),
                new Class<?>[] {MediaConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "signingKey" -> key;
                    case "signingKeyId" -> id;
                    case "previousSigningKeys" ->
                        previous.length == 0 ? Optional.empty() : Optional.of(List.of(previous));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static DownloadGrants grants(MediaConfig config) {
        return new DownloadGrants(new Signer(config), new ObjectMapper().findAndRegisterModules());
    }

    @Test
    void aGrantSurvivesRotationUntilItsKeyLeavesTheRing() {
        DownloadGrants.Grant grant = new DownloadGrants.Grant(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"));
        String issued = grants(config("k1", K1)).issue(grant);
        assertTrue(issued.contains(".k1~"), issued);

        DownloadGrants rotated = grants(config("k2", K2, "k1:" + K1));
        assertEquals(Optional.of(grant), rotated.verify(issued));
        String reissued = rotated.issue(grant);
        assertTrue(reissued.contains(".k2~"), reissued);

        DownloadGrants retired = grants(config("k2", K2));
        assertEquals(Optional.empty(), retired.verify(issued), "k1 left the ring");
        assertEquals(Optional.of(grant), retired.verify(reissued));
    }

    @Test
    void aSignatureNamingAnotherKeyOrAlteredIsRefused() {
        Signer ring = new Signer(config("k2", K2, "k1:" + K1));
        String signature = ring.sign("playlist:abc:master:1700000000");
        assertTrue(ring.verify("playlist:abc:master:1700000000", signature));
        assertFalse(ring.verify("playlist:abc:master:1700000001", signature));
        assertFalse(
                ring.verify("playlist:abc:master:1700000000", "k1" + signature.substring(2)),
                "the mac of k2 under k1's id");
        assertFalse(ring.verify("playlist:abc:master:1700000000", "k9" + signature.substring(2)));
        assertFalse(ring.verify("playlist:abc:master:1700000000", null));
        // Made under an outside key that happens to use a ring key's id.
        String outsider = new Signer(config("k1", "an-outside-key-0123456789abcdef-0123456")).sign("x");
        assertFalse(ring.verify("x", outsider));
    }

    @Test
    void signaturesWithoutAnIdFromBeforeTheRingVerifyAgainstEveryKey() {
        Signer old = new Signer(config("k1", K1));
        String legacy = old.sign("text").substring(3);
        assertTrue(new Signer(config("k2", K2, "k1:" + K1)).verify("text", legacy));
        assertFalse(new Signer(config("k2", K2)).verify("text", legacy));
    }

    @Test
    void badRingsFailTheStart() {
        assertThrows(IllegalStateException.class, () -> new Signer(config("k1", "short")));
        assertThrows(IllegalStateException.class, () -> new Signer(config("k1", K1, "k1:" + K2)));
        assertThrows(IllegalStateException.class, () -> new Signer(config("k1", K1, "nocolon")));
        assertThrows(IllegalStateException.class, () -> new Signer(config("bad id!", K1)));
    }
}
