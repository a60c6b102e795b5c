package cn.hongtong.identity;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: verified tokens are kept so that the next request skips RS256 verification, but
 * never past their {@code exp}, and nothing quarkus-oidc refused ever enters the cache.
 */
@QuarkusTest
class VerifiedTokenCacheTest {

    @Inject
    VerifiedTokenCache cache;

    @Test
    void aVerifiedTokenIsKeptAndServesItsLearnerAgain() {
        String token = Tokens.fromClient("hongtong-dev", "learner-demo");
        assertFalse(cache.holds(token));
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200);
        assertTrue(cache.holds(token));
        given().auth()
                .oauth2(token)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("roles", Matchers.contains("learner"));
        // Another user's token is another entry: a cached identity never answers for someone else.
        String editor = Tokens.fromClient("hongtong-dev", "editor");
        given().auth()
                .oauth2(editor)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("roles", Matchers.contains("course-admin"));
    }

    @Test
    void aTokenVerifiedBeforeIsRefusedOnceItExpires() throws InterruptedException {
        // hongtong-dev-short issues tokens that live 1 s: used at once (and kept), then after expiry.
        String token = null;
        for (int attempt = 0; attempt < 5 && token == null; attempt++) {
            String candidate = Tokens.fromClient("hongtong-dev-short", "learner-demo");
            if (given().auth().oauth2(candidate).get("/api/v1/me").statusCode() == 200) {
                token = candidate;
            }
        }
        assertTrue(token != null, "a 1-second token was never used in time");
        assertTrue(cache.holds(token), "the token was kept after its verification");
        Thread.sleep(2500);
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(401);
        assertFalse(cache.holds(token), "an expired entry is dropped when met");
    }

    @Test
    void tokensQuarkusOidcRefusesNeverEnterTheCache() {
        String foreign = Tokens.fromClient("hongtong-dev-other", "learner-demo");
        String forged = Tokens.tampered(Tokens.of("learner-demo"), "sub", "00000000-0000-0000-0000-000000000000");
        String unsigned = forged.substring(0, forged.lastIndexOf('.') + 1);
        for (String token : new String[] {foreign, forged, unsigned, "not-a-jwt"}) {
            for (int i = 0; i < 2; i++) {
                given().auth().oauth2(token).get("/api/v1/me").then().statusCode(401);
            }
            assertFalse(
                    cache.holds(token), "refused, so never kept: " + token.substring(0, Math.min(20, token.length())));
        }
    }

    @Test
    void whatTheTokenPolicyRefusesIsRefusedEveryTimeEvenFromTheCache() {
        // An ID token passes quarkus-oidc's checks (signature, issuer, audience) and may be kept,
        // but the token policy, which runs on every request, refuses it every time.
        String idToken = Tokens.idToken("hongtong-dev-id", "learner-demo");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(idToken).get("/api/v1/me").then().statusCode(401);
        }
    }
}
