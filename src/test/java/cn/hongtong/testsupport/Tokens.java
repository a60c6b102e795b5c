package cn.hongtong.testsupport;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Real access tokens from the stack's Keycloak, obtained with the password grant of the dev-only
 * client {@code hongtong-dev} for the realm's dev users.
 */
public final class Tokens {

    public static final String DEV_PASSWORD = System.getenv().getOrDefault("HONGTONG_DEV_PASSWORD", "hongtong-dev");

    /** Renewed when a kept token has less than this left (the realm's tokens live 300 s). */
    private static final long MIN_REMAINING_SECONDS = 60;

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Tokens() {}

    /**
     * A fresh-enough token of a dev user (admin, analyst, analyst-gz, editor, learner-demo, nobody):
     * kept between calls, and renewed once it has less than a minute left (the suite runs longer
     * than the realm's five-minute lifespan; a kept token used past its exp was a 401).
     */
    public static String of(String username) {
        return CACHE.compute(
                username,
                (u, kept) -> kept != null && secondsLeft(kept) >= MIN_REMAINING_SECONDS
                        ? kept
                        : fromClient("hongtong-dev", u));
    }

    /** Seconds until the token's {@code exp}, by the wall clock. */
    static long secondsLeft(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        Matcher exp = Pattern.compile("\"exp\":(\\d+)").matcher(payload);
        if (!exp.find()) {
            return 0;
        }
        return Long.parseLong(exp.group(1)) - System.currentTimeMillis() / 1000;
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
        return given().formParam("grant_type", "password")
                .formParam("client_id", clientId)
                .formParam("username", username)
                .formParam("password", DEV_PASSWORD)
                .post(tokenEndpoint())
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
    }

    /** An ID token (typ ID) of a dev user from a dev-only client, with the API's audience. */
    public static String idToken(String clientId, String username) {
        return given().formParam("grant_type", "password")
                .formParam("client_id", clientId)
                .formParam("username", username)
                .formParam("password", DEV_PASSWORD)
                .formParam("scope", "openid")
                .post(tokenEndpoint())
                .then()
                .statusCode(200)
                .extract()
                .path("id_token");
    }

    /** The same token with one payload claim changed and the original signature kept. */
    public static String tampered(String token, String claim, String newValue) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String changed = payload.replaceFirst("\"" + claim + "\":\"[^\"]*\"", "\"" + claim + "\":\"" + newValue + "\"");
        if (changed.equals(payload)) {
            throw new IllegalArgumentException("claim " + claim + " not found in token");
        }
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(changed.getBytes()) + "."
                + parts[2];
    }
}
