package cn.hongtong.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.common.Problem;
import cn.hongtong.testsupport.KeycloakAdmin;
import cn.hongtong.testsupport.WeChatFake;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** WeChat login through the public API, against the WeChat fake and the real Keycloak. */
@QuarkusTest
class WeChatLoginTest {

    private static final String MINI = "/api/v1/auth/wechat/mini-program";
    private static final String APP = "/api/v1/auth/wechat/app";

    private static Response login(String path, String code) {
        return given().contentType("application/json")
                .body("{\"code\":\"" + code + "\"}")
                .post(path);
    }

    @Test
    void miniProgramLoginIssuesATokenThatWorksAsLearner() {
        String code = WeChatFake.newCode();
        String unionid = WeChatFake.newUnionid();
        WeChatFake.miniProgramSession(code, "mp-openid-1", unionid);

        Response login = login(MINI, code);
        login.then()
                .statusCode(200)
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", greaterThan(0))
                .body("learnerId", matchesPattern("[0-9a-f-]{36}"))
                .body("profileComplete", equalTo(false))
                .body("renewalHandle", nullValue())
                .body(not(containsString("session_key")))
                .body(not(containsString("tiihtNczf5v6AKRyjwEUhQ")));

        given().auth()
                .oauth2(login.path("accessToken"))
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("roles", contains("learner"))
                .body("learner.learnerId", equalTo(login.path("learnerId")));
        assertEquals(1, KeycloakAdmin.usersLinkedTo(unionid).size());
    }

    @Test
    void sameUnionidOnMiniProgramAndAppIsOneLearner() {
        String unionid = WeChatFake.newUnionid();
        String miniCode = WeChatFake.newCode();
        String appCode = WeChatFake.newCode();
        WeChatFake.miniProgramSession(miniCode, "mp-" + unionid, unionid);
        WeChatFake.appAuthorization(appCode, "app-" + unionid, unionid, "at-" + appCode);
        WeChatFake.userInfo("at-" + appCode, "app-" + unionid, unionid, "张医生");

        String viaMini = login(MINI, miniCode).then().statusCode(200).extract().path("learnerId");
        String viaApp = login(APP, appCode).then().statusCode(200).extract().path("learnerId");
        assertEquals(viaMini, viaApp);
        assertEquals(1, KeycloakAdmin.usersLinkedTo(unionid).size());
    }

    @Test
    void fiveConcurrentFirstLoginsMakeOneLearnerAndOneKeycloakUser() throws Exception {
        String unionid = WeChatFake.newUnionid();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String code = WeChatFake.newCode();
            WeChatFake.miniProgramSession(code, "mp-" + unionid, unionid);
            codes.add(code);
        }
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<String>> logins = pool.invokeAll(codes.stream()
                    .map(code -> (Callable<String>) () ->
                            login(MINI, code).then().statusCode(200).extract().path("learnerId"))
                    .toList());
            Set<String> learnerIds = new HashSet<>();
            for (Future<String> login : logins) {
                learnerIds.add(login.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, learnerIds.size(), "one learner for one person");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, KeycloakAdmin.usersLinkedTo(unionid).size(), "one Keycloak user for one person");
    }

    @Test
    void loginWithoutUnionidFailsClosed() {
        String code = WeChatFake.newCode();
        WeChatFake.miniProgramSession(code, "mp-openid-without-union", null);
        login(MINI, code)
                .then()
                .statusCode(403)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:hongtong:problem:wechat-unionid-missing"))
                .body("accessToken", nullValue());
    }

    @Test
    void invalidAndUsedCodesAreBadRequests() {
        for (int errcode : new int[] {40029, 40163}) {
            String code = WeChatFake.newCode();
            WeChatFake.miniProgramError(code, errcode, errcode == 40029 ? "invalid code" : "code been used");
            login(MINI, code)
                    .then()
                    .statusCode(400)
                    .contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo("urn:hongtong:problem:wechat-code-invalid"));
        }
    }

    @Test
    void wechatRateLimitIsTooManyRequests() {
        String code = WeChatFake.newCode();
        WeChatFake.miniProgramError(code, 45011, "api minute-quota reach limit");
        login(MINI, code)
                .then()
                .statusCode(429)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:hongtong:problem:wechat-rate-limited"));
    }

    @Test
    void highRiskUserIsForbidden() {
        String code = WeChatFake.newCode();
        WeChatFake.miniProgramError(code, 40226, "invalid user, high risk");
        login(MINI, code).then().statusCode(403).body("type", equalTo("urn:hongtong:problem:wechat-high-risk-user"));
    }

    @Test
    void busyWeChatIsRetriedOnce() {
        String code = WeChatFake.newCode();
        String unionid = WeChatFake.newUnionid();
        WeChatFake.miniProgramBusyThenSession(code, "mp-busy", unionid);
        login(MINI, code).then().statusCode(200);
        assertEquals(2, WeChatFake.requestsFor(WeChatFake.CODE2SESSION, "js_code", code));
    }

    @Test
    void wechatBusyTwiceIsRetryableUnavailable() {
        String code = WeChatFake.newCode();
        WeChatFake.miniProgramError(code, -1, "system error");
        login(MINI, code)
                .then()
                .statusCode(503)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:hongtong:problem:wechat-unavailable"));
        assertEquals(2, WeChatFake.requestsFor(WeChatFake.CODE2SESSION, "js_code", code));
    }

    @Test
    void wechatHttpErrorIsRetryableUnavailable() {
        String code = WeChatFake.newCode();
        WeChatFake.miniProgramHttpStatus(code, 500);
        login(MINI, code).then().statusCode(503).body("type", equalTo("urn:hongtong:problem:wechat-unavailable"));
    }

    @Test
    void wechatTimeoutIsRetryableUnavailable() {
        String code = WeChatFake.newCode();
        WeChatFake.miniProgramSlow(code, 4000);
        login(MINI, code).then().statusCode(503).body("type", equalTo("urn:hongtong:problem:wechat-unavailable"));
    }

    @Test
    void appFirstLoginTakesNameFromWeChatOnce() {
        String unionid = WeChatFake.newUnionid();
        String first = WeChatFake.newCode();
        String second = WeChatFake.newCode();
        WeChatFake.appAuthorization(first, "app-" + unionid, unionid, "at-" + first);
        WeChatFake.appAuthorization(second, "app-" + unionid, unionid, "at-" + second);
        WeChatFake.userInfo("at-" + first, "app-" + unionid, unionid, "李护士");
        WeChatFake.userInfo("at-" + second, "app-" + unionid, unionid, "someone else");

        String token = login(APP, first)
                .then()
                .statusCode(200)
                .body("renewalHandle", matchesPattern("[A-Za-z0-9_-]{43}"))
                .body("renewalExpiresIn", greaterThan(0))
                .extract()
                .path("accessToken");
        login(APP, second).then().statusCode(200);

        given().auth()
                .oauth2(token)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("learner.displayName", equalTo("李护士"));
        assertEquals(1, WeChatFake.requestsFor(WeChatFake.USERINFO, "access_token", "at-" + first));
        assertEquals(0, WeChatFake.requestsFor(WeChatFake.USERINFO, "access_token", "at-" + second));
    }

    @Test
    void oneCodeTriedOverAndOverIsRateLimited() {
        String code = WeChatFake.newCode();
        WeChatFake.miniProgramError(code, 40163, "code been used");
        for (int i = 0; i < 3; i++) {
            login(MINI, code).then().statusCode(400);
        }
        login(MINI, code)
                .then()
                .statusCode(429)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:hongtong:problem:rate-limited"));
        assertEquals(3, WeChatFake.requestsFor(WeChatFake.CODE2SESSION, "js_code", code));
    }

    @Test
    void malformedLoginRequestsAreRejectedBeforeWeChat() {
        given().contentType("application/json")
                .body("{}")
                .post(MINI)
                .then()
                .statusCode(400)
                .body("type", equalTo("urn:hongtong:problem:validation-failed"))
                .body("errors.field", contains("code"));
        given().contentType("application/json")
                .body("{\"code\":\"a b\\\"<script>\"}")
                .post(MINI)
                .then()
                .statusCode(400)
                .body("type", equalTo("urn:hongtong:problem:validation-failed"));
        given().contentType("application/json")
                .body("{\"code\":\"" + "x".repeat(200) + "\"}")
                .post(APP)
                .then()
                .statusCode(400)
                .body("type", equalTo("urn:hongtong:problem:validation-failed"));
    }

    @Test
    void devWeChatFakeIsNotInThisBuild() {
        given().queryParam("js_code", "demo-1")
                .get("/dev/wechat/sns/jscode2session")
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
    }
}
