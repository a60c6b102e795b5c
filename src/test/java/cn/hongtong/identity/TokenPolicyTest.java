package cn.hongtong.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 8: validly signed tokens of the realm are refused unless they are access
 * tokens (typ Bearer) of an allowed client (azp), and an analyst without a region scope sees no
 * statistics (nationwide is the explicit scope "all", never a default).
 */
@QuarkusTest
class TokenPolicyTest {

    private static JsonPath claims(String token) {
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
    }

    @Test
    void anIdTokenWithTheApiAudienceIsRefused() {
        String id = Tokens.idToken("hongtong-dev-id", "admin");
        JsonPath claims = claims(id);
        assertEquals("ID", claims.getString("typ"));
        assertEquals(
                true,
                claims.getList("aud").contains("hongtong-api") || "hongtong-api".equals(claims.getString("aud")),
                "the ID token carries the API's audience: only typ tells it apart");
        given().auth()
                .oauth2(id)
                .get("/api/v1/me")
                .then()
                .statusCode(401)
                .body("type", equalTo("urn:hongtong:problem:unauthenticated"));
        // The access token of the same client and user passes.
        given().auth()
                .oauth2(Tokens.fromClient("hongtong-dev-id", "admin"))
                .get("/api/v1/me")
                .then()
                .statusCode(200);
    }

    @Test
    void aTokenOfAClientThatIsNotAllowedIsRefused() {
        String foreign = Tokens.fromClient("hongtong-dev-foreign", "admin");
        assertEquals("hongtong-dev-foreign", claims(foreign).getString("azp"));
        given().auth().oauth2(foreign).get("/api/v1/me").then().statusCode(401);
        given().auth().oauth2(foreign).get("/api/v1/stats/overview").then().statusCode(401);
    }

    @Test
    void anAnalystWithoutARegionScopeSeesNothingAndAllIsNationwide() {
        given().auth()
                .oauth2(Tokens.of("analyst-unscoped"))
                .get("/api/v1/stats/overview")
                .then()
                .statusCode(403)
                .body("type", equalTo("urn:hongtong:problem:region-scope-missing"));
        given().auth()
                .oauth2(Tokens.of("analyst-unscoped"))
                .queryParam("region", "all")
                .get("/api/v1/stats/regions")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(Tokens.of("analyst"))
                .get("/api/v1/stats/overview")
                .then()
                .statusCode(200)
                .body("filters.region.code", equalTo("all"));
        given().auth()
                .oauth2(Tokens.of("analyst"))
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("regionScope", equalTo("all"));
        given().auth()
                .oauth2(Tokens.of("analyst-gz"))
                .queryParam("region", "all")
                .get("/api/v1/stats/overview")
                .then()
                .statusCode(403)
                .body("type", equalTo("urn:hongtong:problem:region-out-of-scope"));
    }
}
