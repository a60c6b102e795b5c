package cn.hongtong.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.common.ProblemException;
import cn.hongtong.testsupport.ConfigOverride;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 4: the production realm has no fallback secrets, dev users or dev clients,
 * imports into the real Keycloak (bin/stack imports it beside the dev realm as
 * {@code hongtong-prodcheck}, with random secrets), and the bridge refuses to run on a realm that
 * accepts a known dev secret.
 */
@QuarkusTest
class BridgeGuardTest {

    private static final Path DEV_REALM = Path.of("bin/keycloak/hongtong-realm.json");
    private static final Path PROD_REALM = Path.of("k8s/base/keycloak/hongtong-realm.prod.json");

    @Inject
    IdentityConfig config;

    @Inject
    Vertx vertx;

    @Test
    void theBridgeRefusesTheDevRealm() {
        // Even with secrets of its own configured, the dev realm accepts the repository's.
        BridgeGuard guard =
                new BridgeGuard(vertx, guarded(devRealm(), "a-real-looking-secret-1", "a-real-looking-secret-2"));
        assertEquals(BridgeGuard.State.REFUSED, guard.check().await().atMost(Duration.ofSeconds(30)));
        ProblemException refused =
                assertThrows(ProblemException.class, () -> guard.ready().await().atMost(Duration.ofSeconds(5)));
        assertEquals(503, refused.type().status());
        guard.close();
    }

    @Test
    void aKnownSecretInTheConfigurationIsRefusedWithoutAsking() {
        BridgeGuard guard = new BridgeGuard(
                vertx, guarded("http://127.0.0.1:9/realms/none", "bridge-secret-dev-only", "x".repeat(40)));
        assertEquals(BridgeGuard.State.REFUSED, guard.check().await().atMost(Duration.ofSeconds(5)));
        BridgeGuard placeholder = new BridgeGuard(
                vertx, guarded("http://127.0.0.1:9/realms/none", "y".repeat(40), "${HONGTONG_BRIDGE_ADMIN_SECRET}"));
        assertEquals(BridgeGuard.State.REFUSED, placeholder.check().await().atMost(Duration.ofSeconds(5)));
        guard.close();
        placeholder.close();
    }

    @Test
    void anUnreachableKeycloakLeavesLoginsWaitingNotRefused() {
        BridgeGuard guard =
                new BridgeGuard(vertx, guarded("http://127.0.0.1:9/realms/none", "y".repeat(40), "z".repeat(40)));
        assertEquals(BridgeGuard.State.PENDING, guard.check().await().atMost(Duration.ofSeconds(30)));
        assertThrows(ProblemException.class, () -> guard.ready().await().atMost(Duration.ofSeconds(30)));
        guard.close();
    }

    @Test
    void theProductionRealmImportedWithItsOwnSecretsPassesTheGuard() throws IOException {
        Map<String, String> env = prodcheckEnv();
        String realm = devRealm().replaceFirst("/realms/hongtong$", "/realms/hongtong-prodcheck");
        BridgeGuard guard = new BridgeGuard(
                vertx, guarded(realm, env.get("HONGTONG_BRIDGE_SECRET"), env.get("HONGTONG_BRIDGE_ADMIN_SECRET")));
        assertEquals(BridgeGuard.State.VERIFIED, guard.check().await().atMost(Duration.ofSeconds(30)));
        guard.ready().await().atMost(Duration.ofSeconds(5));
        guard.close();
    }

    @Test
    void theProductionRealmHasNoDefaultsNoDevUsersAndNoDevClients() throws IOException {
        String text = Files.readString(PROD_REALM);
        assertFalse(
                Pattern.compile("\\$\\{HONGTONG_[A-Z_]+:").matcher(text).find(), "no ${VAR:default} in the prod realm");
        JsonNode realm = new ObjectMapper().readTree(text);
        // Every confidential client's secret comes from a variable set at import, never from the file.
        realm.path("clients").forEach(c -> {
            if (!c.path("publicClient").asBoolean(false)) {
                assertTrue(
                        c.path("secret").asText().matches("\\$\\{HONGTONG_[A-Z_]+\\}"),
                        c.path("clientId").asText() + " has secret "
                                + c.path("secret").asText());
            }
        });
        Set<String> clients = new HashSet<>();
        realm.path("clients").forEach(c -> clients.add(c.path("clientId").asText()));
        assertEquals(Set.of("hongtong-api", "hongtong-bridge", "hongtong-bridge-admin", "hongtong-dashboard"), clients);
        realm.path("clients")
                .forEach(c -> assertFalse(
                        c.path("directAccessGrantsEnabled").asBoolean(false),
                        c.path("clientId").asText() + " allows the password grant"));
        realm.path("users")
                .forEach(u -> assertTrue(
                        u.hasNonNull("serviceAccountClientId"),
                        "only service accounts, not " + u.path("username").asText()));
        assertTrue(realm.path("bruteForceProtected").asBoolean(), "brute-force protection");
        String browser = realm.path("browserFlow").asText();
        boolean otpRequired = false;
        for (JsonNode flow : realm.path("authenticationFlows")) {
            for (JsonNode step : flow.path("authenticationExecutions")) {
                if ("auth-otp-form".equals(step.path("authenticator").asText())
                        && "REQUIRED".equals(step.path("requirement").asText())) {
                    otpRequired = true;
                }
            }
        }
        assertEquals("staff browser", browser);
        assertTrue(otpRequired, "staff (browser) logins require a one-time code");
    }

    @Test
    void everyDevRealmSecretIsAKnownSecret() throws IOException {
        Matcher m = Pattern.compile("\"secret\"\\s*:\\s*\"\\$\\{([A-Z_]+):([^}]*)\\}\"")
                .matcher(Files.readString(DEV_REALM));
        int secrets = 0;
        while (m.find()) {
            secrets++;
            assertTrue(
                    BridgeGuard.KNOWN_SECRETS.contains(m.group(2)),
                    "dev default " + m.group(2) + " is not a known secret");
            assertTrue(BridgeGuard.KNOWN_SECRETS.contains("${" + m.group(1) + "}"), "placeholder of " + m.group(1));
        }
        assertEquals(3, secrets);
    }

    private String devRealm() {
        return config.keycloak().realmUrl();
    }

    private static Map<String, String> prodcheckEnv() throws IOException {
        Path env = Path.of(System.getenv().getOrDefault("HONGTONG_STACK_HOME", ".stack"), "keys", "prodcheck.env");
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(env)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    /** The application's identity configuration with the guard on, another realm and other secrets. */
    private IdentityConfig guarded(String realmUrl, String bridgeSecret, String adminSecret) {
        IdentityConfig.Keycloak keycloak = ConfigOverride.of(
                IdentityConfig.Keycloak.class,
                config.keycloak(),
                Map.of(
                        "realmUrl",
                        realmUrl,
                        "bridgeClientSecret",
                        bridgeSecret,
                        "adminClientSecret",
                        adminSecret,
                        "refuseDevSecrets",
                        true,
                        "timeout",
                        Duration.ofSeconds(3),
                        "confidentialClients",
                        List.of("hongtong-api", "hongtong-bridge", "hongtong-bridge-admin")));
        return ConfigOverride.of(IdentityConfig.class, config, Map.of("keycloak", keycloak));
    }
}
