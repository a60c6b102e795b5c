package cn.hongtong.media;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over text the API hands out and takes back: its own playlist URLs, which HLS
 * players fetch without any token, and offline download grants. A key ring: signatures are
 * {@code <key id>~<mac>}, made with the current key and verified with whichever key of the ring
 * their id names, so that rotating the key voids no playlist or offline grant still in use.
 * Signatures without an id (made before the ring) are verified against every key.
 */
@ApplicationScoped
class Signer {

    static final char SEPARATOR = '~';

    private final String currentId;
    private final Map<String, SecretKeySpec> ring = new LinkedHashMap<>();

    Signer(MediaConfig config) {
        this.currentId = checkId(config.signingKeyId());
        ring.put(currentId, key(config.signingKey(), "hongtong.media.signing-key"));
        for (String entry : config.previousSigningKeys().orElse(List.of())) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException("hongtong.media.previous-signing-keys: expected id:key pairs");
            }
            String id = checkId(trimmed.substring(0, colon));
            if (ring.containsKey(id)) {
                throw new IllegalStateException(
                        "hongtong.media.previous-signing-keys: key id " + id + " is used twice");
            }
            ring.put(id, key(trimmed.substring(colon + 1), "hongtong.media.previous-signing-keys (" + id + ")"));
        }
    }

    private static String checkId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,16}")) {
            throw new IllegalStateException("signing key ids are 1 to 16 letters, digits, - or _");
        }
        return id;
    }

    private static SecretKeySpec key(String secret, String name) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalStateException(name + " must be at least 32 characters");
        }
        return new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** The current key's signature of {@code text}: {@code <id>~<mac>}. */
    String sign(String text) {
        return currentId + SEPARATOR + mac(ring.get(currentId), text);
    }

    /** Constant-time check of a signature against the key it names (any key of the ring for an unnamed one). */
    boolean verify(String text, String signature) {
        if (signature == null) {
            return false;
        }
        int separator = signature.indexOf(SEPARATOR);
        if (separator < 0) {
            boolean ok = false;
            for (SecretKeySpec key : ring.values()) {
                ok |= equal(mac(key, text), signature);
            }
            return ok;
        }
        SecretKeySpec key = ring.get(signature.substring(0, separator));
        return key != null && equal(mac(key, text), signature.substring(separator + 1));
    }

    private static boolean equal(String expected, String given) {
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    private static String mac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
