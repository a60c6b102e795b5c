package cn.hongtong.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Every resource denies unless a role allows. */
@QuarkusTest
class DenyByDefaultTest {

    @Test
    void endpointWithoutSecurityAnnotationIsDeniedEvenToAnAdmin() {
        given().auth()
                .oauth2(Tokens.of("admin"))
                .get("/test-support/unannotated")
                .then()
                .statusCode(403)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:hongtong:problem:forbidden"))
                .body(not(containsString("never be served")));
    }

    @Test
    void endpointWithoutSecurityAnnotationAsksAnonymousCallersToAuthenticate() {
        given().get("/test-support/unannotated").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void tokenWithoutAnyRoleIsForbidden() {
        given().auth()
                .oauth2(Tokens.of("nobody"))
                .get("/api/v1/me")
                .then()
                .statusCode(403)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:hongtong:problem:forbidden"));
    }
}
