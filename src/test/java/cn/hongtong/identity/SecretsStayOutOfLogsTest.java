package cn.hongtong.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.common.ProblemException;
import cn.hongtong.testsupport.ConfigOverride;
import cn.hongtong.testsupport.LogCapture;
import cn.hongtong.testsupport.WeChatFake;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 1: neither WeChat's app secret, a user's WeChat access token, a login code
 * nor a unionid reaches the log when WeChat or Keycloak fails. Vert.x puts the whole request URI
 * (query included) into a timeout's message, so every failure path is driven to a timeout.
 */
@QuarkusTest
class SecretsStayOutOfLogsTest {

    private static final String MINI = "/api/v1/auth/wechat/mini-program";
    private static final String APP = "/api/v1/auth/wechat/app";

    @Inject
    IdentityConfig config;

    @Inject
    Vertx vertx;

    @Test
    void aWeChatTimeoutLogsTheApiButNeitherTheSecretNorTheCode() {
        String code = WeChatFake.newCode();
        WeChatFake.miniProgramSlow(code, 4000);
        String log;
        try (LogCapture capture = LogCapture.start()) {
            given().contentType("application/json")
                    .body("{\"code\":\"" + code + "\"}")
                    .post(MINI)
                    .then()
                    .statusCode(503);
            log = capture.text();
        }
        assertTrue(log.contains("sns/jscode2session"), "the failing API is named: " + log);
        assertAbsent(log, config.wechat().miniProgram().appSecret(), "secret=", code);
    }

    @Test
    void aUserinfoTimeoutLogsNeitherTheUsersAccessTokenNorTheirOpenid() {
        String code = WeChatFake.newCode();
        String unionid = WeChatFake.newUnionid();
        String accessToken = "at-" + code;
        String openid = "app-openid-" + code;
        WeChatFake.appAuthorization(code, openid, unionid, accessToken);
        WeChatFake.userInfoSlow(accessToken, 4000);
        String log;
        try (LogCapture capture = LogCapture.start()) {
            // The profile is optional: the login succeeds without it.
            given().contentType("application/json")
                    .body("{\"code\":\"" + code + "\"}")
                    .post(APP)
                    .then()
                    .statusCode(200);
            log = capture.text();
        }
        assertTrue(log.contains("sns/userinfo"), "the failing API is named: " + log);
        assertAbsent(
                log,
                accessToken,
                "access_token=",
                openid,
                unionid,
                config.wechat().app().appSecret(),
                code);
    }

    @Test
    void aKeycloakTimeoutOnTheUserSearchLogsNoUnionid() {
        var server = WeChatFake.server();
        String realm = server.baseUrl() + "/kc-slow/realms/hongtong";
        server.stubFor(
                post(urlPathEqualTo("/kc-slow/realms/hongtong/protocol/openid-connect/token"))
                        .willReturn(
                                aResponse()
                                        .withStatus(200)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"access_token\":\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2ln\",\"expires_in\":300}")));
        server.stubFor(get(urlPathEqualTo("/kc-slow/admin/realms/hongtong/users"))
                .willReturn(aResponse().withStatus(200).withBody("[]").withFixedDelay(3000)));
        KeycloakClient client = new KeycloakClient(vertx, keycloakAt(realm, Duration.ofSeconds(1)), Clock.systemUTC());
        String unionid = WeChatFake.newUnionid();
        String log;
        try (LogCapture capture = LogCapture.start()) {
            assertThrows(
                    ProblemException.class,
                    () -> client.ensureUser(unionid).await().atMost(Duration.ofSeconds(10)));
            log = capture.text();
        } finally {
            client.close();
        }
        assertTrue(log.contains("Keycloak unavailable"), "the failure is logged: " + log);
        assertAbsent(
                log,
                unionid,
                KeycloakClient.username(unionid),
                "idpUserId=",
                config.keycloak().adminClientSecret(),
                "eyJhbGciOiJSUzI1NiJ9");
    }

    @Test
    void keycloakErrorBodiesAreReducedToTheirOAuthErrorCode() {
        var server = WeChatFake.server();
        String realm = server.baseUrl() + "/kc-error/realms/hongtong";
        String unionid = WeChatFake.newUnionid();
        server.stubFor(post(urlPathEqualTo("/kc-error/realms/hongtong/protocol/openid-connect/token"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"Token exchange failed for "
                                + unionid + "\"}")));
        KeycloakClient client = new KeycloakClient(vertx, keycloakAt(realm, Duration.ofSeconds(2)), Clock.systemUTC());
        String log;
        try (LogCapture capture = LogCapture.start()) {
            assertThrows(
                    ProblemException.class,
                    () -> client.grant("assertion-" + unionid).await().atMost(Duration.ofSeconds(10)));
            log = capture.text();
        } finally {
            client.close();
        }
        assertTrue(log.contains("invalid_grant"), "the OAuth error code is logged: " + log);
        assertAbsent(log, unionid, config.keycloak().bridgeClientSecret());
    }

    private static void assertAbsent(String log, String... secrets) {
        for (String secret : secrets) {
            assertFalse(log.contains(secret), "the log must not contain '" + secret + "':\n" + log);
        }
    }

    /** The application's identity configuration with another realm URL and timeout. */
    private IdentityConfig keycloakAt(String realmUrl, Duration timeout) {
        IdentityConfig.Keycloak keycloak = ConfigOverride.of(
                IdentityConfig.Keycloak.class, config.keycloak(), Map.of("realmUrl", realmUrl, "timeout", timeout));
        return ConfigOverride.of(IdentityConfig.class, config, Map.of("keycloak", keycloak));
    }
}
