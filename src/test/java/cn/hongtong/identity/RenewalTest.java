package cn.hongtong.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import cn.hongtong.common.Problem;
import cn.hongtong.testsupport.WeChatFake;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** The app's renewal handles: rotate, single use, revocable. */
@QuarkusTest
class RenewalTest {

    private static Response appLogin() {
        String unionid = WeChatFake.newUnionid();
        String code = WeChatFake.newCode();
        WeChatFake.appAuthorization(code, "app-" + unionid, unionid, "at-" + code);
        WeChatFake.userInfo("at-" + code, "app-" + unionid, unionid, "王医生");
        Response login = given().contentType("application/json")
                .body("{\"code\":\"" + code + "\"}")
                .post("/api/v1/auth/wechat/app");
        login.then().statusCode(200).body("renewalHandle", notNullValue());
        return login;
    }

    private static Response refresh(String handle) {
        return given().contentType("application/json")
                .body("{\"renewalHandle\":\"" + handle + "\"}")
                .post("/api/v1/auth/refresh");
    }

    @Test
    void renewalRotatesAndTheNewTokenWorks() {
        Response login = appLogin();
        String handle = login.path("renewalHandle");
        Response renewed = refresh(handle);
        renewed.then()
                .statusCode(200)
                .body("learnerId", equalTo(login.path("learnerId")))
                .body("renewalHandle", not(equalTo(handle)));
        given().auth()
                .oauth2(renewed.path("accessToken"))
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("learner.learnerId", equalTo(login.path("learnerId")));
        refresh(renewed.path("renewalHandle")).then().statusCode(200);
    }

    @Test
    void usedHandleIsRefusedAndRevokesItsSuccessors() {
        String first = appLogin().path("renewalHandle");
        String second = refresh(first).then().statusCode(200).extract().path("renewalHandle");

        refresh(first)
                .then()
                .statusCode(401)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:hongtong:problem:renewal-invalid"));
        // A copy of a used handle is out there: the whole chain is revoked.
        refresh(second).then().statusCode(401).body("type", equalTo("urn:hongtong:problem:renewal-invalid"));
    }

    @Test
    void logoutRevokes() {
        String handle = appLogin().path("renewalHandle");
        given().contentType("application/json")
                .body("{\"renewalHandle\":\"" + handle + "\"}")
                .post("/api/v1/auth/logout")
                .then()
                .statusCode(204);
        refresh(handle).then().statusCode(401).body("type", equalTo("urn:hongtong:problem:renewal-invalid"));
        // Logging out twice, or with an unknown handle, changes nothing and reveals nothing.
        given().contentType("application/json")
                .body("{\"renewalHandle\":\"" + handle + "\"}")
                .post("/api/v1/auth/logout")
                .then()
                .statusCode(204);
        given().contentType("application/json")
                .body("{\"renewalHandle\":\"unknown-handle\"}")
                .post("/api/v1/auth/logout")
                .then()
                .statusCode(204);
    }

    @Test
    void unknownOrMalformedHandleIsRefused() {
        refresh("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .then()
                .statusCode(401)
                .body("type", equalTo("urn:hongtong:problem:renewal-invalid"));
        refresh("not a handle!").then().statusCode(400).body("type", equalTo("urn:hongtong:problem:validation-failed"));
    }
}
