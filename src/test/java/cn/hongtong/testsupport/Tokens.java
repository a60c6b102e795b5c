package cn.hongtong.testsupport;

import static io.restassured.RestAssured.given;

import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Real access tokens from the stack's Keycloak, obtained with the password grant of the dev-only
 * client {@code hongtong-dev} for the realm's dev users.
 */
public final class Tokens {

    public static final String DEV_PASSWORD = System.getenv().getOrDefault("HONGTONG_DEV_PASSWORD", "hongtong-dev");

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Tokens() {
    }

    /** A fresh-enough token of a dev user (admin, analyst, analyst-gz, editor, learner-demo, nobody). */
    public static String of(String username) {
        return CACHE.computeIfAbsent(username, u -> fromClient("hongtong-dev", u));
    }

    public static String tokenEndpoint() {
        String issuer = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        return issuer + "/protocol/openid-connect/token";
    }

    /**
     * A new token from one of the dev-only clients: {@code hongtong-dev}, {@code hongtong-dev-short}
     * (expires after 1 s) or {@code hongtong-dev-other} (not for the API's audience).
     */
    public static String fromClient(String clientId, String username) {
        return given()
                .formParam("grant_type", "password")
                .formParam("client_id", clientId)
                .formParam("username", username)
                .formParam("password", DEV_PASSWORD)
                .post(tokenEndpoint())
                .then().statusCode(200)
                .extract().path("access_token");
    }

    /** An ID token (typ ID) of a dev user from a dev-only client, with the API's audience. */
    public static String idToken(String clientId, String username) {
        return given()
                .formParam("grant_type", "password")
                .formParam("client_id", clientId)
                .formParam("username", username)
                .formParam("password", DEV_PASSWORD)
                .formParam("scope", "openid")
                .post(tokenEndpoint())
                .then().statusCode(200)
                .extract().path("id_token");
    }

    /** The same token with one payload claim changed and the original signature kept. */
    public static String tampered(String token, String claim, String newValue) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String changed = payload.replaceFirst("\"" + claim + "\":\"[^\"]*\"", "\"" + claim + "\":\"" + newValue + "\"");
        if (changed.equals(payload)) {
            throw new IllegalArgumentException("claim " + claim + " not found in token");
        }
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(changed.getBytes()) + "." + parts[2];
    }
}
