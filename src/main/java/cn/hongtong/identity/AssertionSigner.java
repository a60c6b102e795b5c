package cn.hongtong.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Signs the short-lived RS256 assertions (RFC 7523) that vouch to Keycloak for a WeChat person,
 * identified by unionid. Keycloak checks issuer, audience, signature, age and single use. Loads
 * its key at start-up, so that a missing or unreadable key fails the deployment, not a login.
 */
@Startup
@ApplicationScoped
class AssertionSigner {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final IdentityConfig config;
    private final ObjectMapper mapper;
    private final PrivateKey key;
    private final Clock clock;

    AssertionSigner(IdentityConfig config, ObjectMapper mapper, Clock clock) {
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
        this.key = loadKey(Path.of(config.bridge().privateKeyFile()));
    }

    String sign(String unionid) {
        Instant now = clock.instant();
        long lifetime = Math.min(60, config.bridge().assertionLifetime().toSeconds());
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("kid", config.bridge().keyId());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", config.bridge().issuer());
        claims.put("sub", unionid);
        claims.put("aud", config.keycloak().realmUrl());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.getEpochSecond() + lifetime);
        claims.put("jti", UUID.randomUUID().toString());
        String signingInput = encode(header) + "." + encode(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the bridge assertion", e);
        }
    }

    private String encode(Map<String, Object> json) {
        try {
            return B64.encodeToString(mapper.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey loadKey(Path file) {
        try {
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
                throw new IllegalStateException("bridge signing key " + file + " is not a PKCS#8 PEM private key");
            }
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the bridge signing key " + file, e);
        }
    }
}
