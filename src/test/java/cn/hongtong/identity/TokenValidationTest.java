package cn.hongtong.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import cn.hongtong.common.Problem;
import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Which Keycloak tokens the API accepts, and what it reads from them. */
@QuarkusTest
class TokenValidationTest {

    @Test
    void analystTokensCarryRoleAndScope() {
        given().auth()
                .oauth2(Tokens.of("analyst-gz"))
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("roles", contains("analyst"))
                .body("regionScope", equalTo("52"));
        given().auth()
                .oauth2(Tokens.of("analyst"))
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("roles", contains("analyst"))
                .body("regionScope", equalTo("all"));
        given().auth()
                .oauth2(Tokens.of("analyst-unscoped"))
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("roles", contains("analyst"))
                .body("regionScope", nullValue());
    }

    @Test
    void adminAndEditorTokensCarryTheirRolesOnly() {
        given().auth()
                .oauth2(Tokens.of("admin"))
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("roles", contains("admin"))
                .body("learner", nullValue());
        given().auth()
                .oauth2(Tokens.of("editor"))
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("roles", contains("course-admin"));
    }

    @Test
    void expiredTokenIsRefused() throws InterruptedException {
        String token = Tokens.fromClient("hongtong-dev-short", "learner-demo");
        Thread.sleep(2500);
        given().auth()
                .oauth2(token)
                .get("/api/v1/me")
                .then()
                .statusCode(401)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:hongtong:problem:unauthenticated"));
    }

    @Test
    void tokenForAnotherAudienceIsRefused() {
        String token = Tokens.fromClient("hongtong-dev-other", "learner-demo");
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void tokenWithAlteredClaimIsRefused() {
        String forged = Tokens.tampered(Tokens.of("learner-demo"), "azp", "hongtong-bridge");
        given().auth().oauth2(forged).get("/api/v1/me").then().statusCode(401);
    }
}
