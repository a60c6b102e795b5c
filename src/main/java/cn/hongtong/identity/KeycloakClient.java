package cn.hongtong.identity;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The bridge's calls to Keycloak: provisioning users linked to the {@code wechat} identity
 * provider (admin REST API, service account with {@code manage-users} only) and obtaining
 * their access tokens with the JWT Authorization Grant. Credentials never leave this class.
 */
@ApplicationScoped
class KeycloakClient {

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final WebClient client;
    private final IdentityConfig.Keycloak config;
    private final Clock clock;
    private final String tokenUrl;
    private final String adminUrl;
    private final AtomicReference<AdminToken> adminToken = new AtomicReference<>();

    KeycloakClient(Vertx vertx, IdentityConfig config, Clock clock) {
        this.client = WebClient.create(vertx);
        this.config = config.keycloak();
        this.clock = clock;
        String realm = this.config.realmUrl().replaceFirst("/+$", "");
        this.tokenUrl = realm + "/protocol/openid-connect/token";
        this.adminUrl = realm.replaceFirst("/realms/([^/]+)$", "/admin/realms/$1");
    }

    record AccessToken(String accessToken, long expiresIn, String tokenType) {}

    private record AdminToken(String value, Instant expiresAt) {}

    /** The Keycloak user id of the person with this unionid, creating and linking them if new. */
    Uni<String> ensureUser(String unionid) {
        return findUser(unionid)
                .chain(found -> found != null
                        ? Uni.createFrom().item(found)
                        : createUser(unionid)
                                .chain(created -> created != null
                                        ? Uni.createFrom().item(created)
                                        // 409: someone else created them a moment ago.
                                        : findUser(unionid).map(again -> {
                                            if (again == null) {
                                                throw unavailable(
                                                        "a user creation conflicted but the user cannot be found");
                                            }
                                            return again;
                                        })));
    }

    /** An access token for the linked user, by the JWT Authorization Grant. */
    Uni<AccessToken> grant(String assertion) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", JWT_BEARER)
                .add("assertion", assertion)
                .add("client_id", config.bridgeClientId())
                .add("client_secret", config.bridgeClientSecret());
        return client.postAbs(tokenUrl)
                .timeout(config.timeout().toMillis())
                .sendForm(form)
                // Never the failure's message: it can carry the request, assertion included.
                .onFailure()
                .transform(f -> unavailable("token endpoint: " + f.getClass().getSimpleName()))
                .map(response -> {
                    if (response.statusCode() == 200) {
                        JsonObject json = response.bodyAsJsonObject();
                        return new AccessToken(
                                json.getString("access_token"),
                                json.getLong("expires_in", 0L),
                                json.getString("token_type", "Bearer"));
                    }
                    String body = response.bodyAsString();
                    if (response.statusCode() == 400
                            && body != null
                            && body.contains("invalid_grant")
                            && (body.contains("not found") || body.contains("disabled"))) {
                        // The person was removed or disabled in Keycloak: their renewal or login ends here.
                        Log.warnf(
                                "JWT authorization grant refused: the user is removed or disabled (%s)",
                                oauthError(body));
                        throw new ProblemException(
                                IdentityProblems.RENEWAL_INVALID,
                                LocalizedText.of("账号不可用，请重新登录", "The account cannot be used; log in again"));
                    }
                    // Signature, audience, issuer or reuse refused: the bridge is misconfigured.
                    Log.errorf("JWT authorization grant failed (%d): %s", response.statusCode(), oauthError(body));
                    throw unavailable("token endpoint answered " + response.statusCode());
                });
    }

    /** Deletes a Keycloak user (and with it their link to WeChat); an unknown user counts as deleted. */
    Uni<Void> deleteUser(String userId) {
        return admin(token -> client.deleteAbs(adminUrl + "/users/" + userId)
                        .putHeader("Authorization", "Bearer " + token)
                        .timeout(config.timeout().toMillis())
                        .send())
                .map(response -> {
                    if (response.statusCode() != 204 && response.statusCode() != 404) {
                        throw unavailable("user deletion answered " + response.statusCode());
                    }
                    return null;
                })
                .replaceWithVoid();
    }

    private Uni<String> findUser(String unionid) {
        return admin(token -> client.getAbs(adminUrl + "/users")
                        .addQueryParam("idpAlias", config.identityProvider())
                        .addQueryParam("idpUserId", unionid)
                        .addQueryParam("briefRepresentation", "true")
                        .putHeader("Authorization", "Bearer " + token)
                        .timeout(config.timeout().toMillis())
                        .send())
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw unavailable("user search answered " + response.statusCode());
                    }
                    JsonArray users = response.bodyAsJsonArray();
                    return users.isEmpty() ? null : users.getJsonObject(0).getString("id");
                });
    }

    /** The new user's id, or null when a user with this name appeared concurrently (409). */
    private Uni<String> createUser(String unionid) {
        JsonObject user = new JsonObject()
                .put("username", username(unionid))
                .put("enabled", true)
                .put(
                        "federatedIdentities",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("identityProvider", config.identityProvider())
                                        .put("userId", unionid)
                                        .put("userName", unionid)));
        return admin(token -> client.postAbs(adminUrl + "/users")
                        .putHeader("Authorization", "Bearer " + token)
                        .timeout(config.timeout().toMillis())
                        .sendJsonObject(user))
                .map(response -> {
                    if (response.statusCode() == 201) {
                        String location = response.getHeader("Location");
                        return location.substring(location.lastIndexOf('/') + 1);
                    }
                    if (response.statusCode() == 409) {
                        return null;
                    }
                    throw unavailable("user creation answered " + response.statusCode() + " ("
                            + oauthError(response.bodyAsString()) + ")");
                });
    }

    /** Runs an admin call, fetching a fresh service-account token once if the cached one was refused. */
    private Uni<HttpResponse<Buffer>> admin(Function<String, Uni<HttpResponse<Buffer>>> call) {
        return adminToken(false)
                .chain(call::apply)
                .chain(response -> response.statusCode() == 401
                        ? adminToken(true).chain(call::apply)
                        : Uni.createFrom().item(response))
                .onFailure(f -> !(f instanceof ProblemException))
                // Never the failure's message: Vert.x puts the request URI there, and the user search's
                // URI holds the unionid.
                .transform(f -> unavailable("admin API: " + f.getClass().getSimpleName()));
    }

    private Uni<String> adminToken(boolean refresh) {
        AdminToken cached = adminToken.get();
        if (!refresh && cached != null && clock.instant().isBefore(cached.expiresAt())) {
            return Uni.createFrom().item(cached.value());
        }
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "client_credentials")
                .add("client_id", config.adminClientId())
                .add("client_secret", config.adminClientSecret());
        return client.postAbs(tokenUrl)
                .timeout(config.timeout().toMillis())
                .sendForm(form)
                .onFailure()
                .transform(f ->
                        unavailable("service-account token: " + f.getClass().getSimpleName()))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw unavailable("service-account token answered " + response.statusCode());
                    }
                    JsonObject json = response.bodyAsJsonObject();
                    long lifetime = json.getLong("expires_in", 60L);
                    // Renew a little early so that no call goes out with a token about to expire.
                    Instant expiresAt = clock.instant().plus(Duration.ofSeconds(Math.max(5, lifetime - 15)));
                    AdminToken token = new AdminToken(json.getString("access_token"), expiresAt);
                    adminToken.set(token);
                    return token.value();
                });
    }

    /**
     * Keycloak lower-cases usernames and unionids are case-sensitive: the username is a hash of
     * the unionid; the unionid itself is the federated identity's user id.
     */
    static String username(String unionid) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(unionid.getBytes(StandardCharsets.UTF_8));
            return "wx-" + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Only the OAuth {@code error} code of an error answer ({@code invalid_grant}...): Keycloak's
     * descriptions and admin error messages can quote the user, so they are never logged.
     */
    static String oauthError(String body) {
        if (body == null || body.isBlank()) {
            return "no body";
        }
        try {
            String error = new JsonObject(body).getString("error");
            return error != null && error.matches("[a-z_]{1,64}") ? error : "no error code";
        } catch (RuntimeException e) {
            return "unreadable body";
        }
    }

    private static ProblemException unavailable(String reason) {
        Log.warnf("Keycloak unavailable to the bridge: %s", reason);
        return ProblemException.retryable(
                IdentityProblems.IDENTITY_PROVIDER_UNAVAILABLE,
                LocalizedText.of("认证服务暂时不可用，请稍后重试", "The identity provider is unavailable; retry shortly"),
                Duration.ofSeconds(5));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
