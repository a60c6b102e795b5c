package cn.hongtong.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import cn.hongtong.common.Problem;
import cn.hongtong.testsupport.Tokens;
import cn.hongtong.testsupport.WeChatFake;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A learner's own profile: validated against the reference tables, never anyone else's. */
@QuarkusTest
class ProfileTest {

    /** 城西村 in 硒城街道, 开阳县, 贵阳市: a real village of the region data. */
    private static final String VILLAGE = "520121001200";

    private static final String OTHER_COUNTY_VILLAGE_PREFIX = "520102";

    private static String newLearner() {
        String code = WeChatFake.newCode();
        String unionid = WeChatFake.newUnionid();
        WeChatFake.miniProgramSession(code, "mp-" + unionid, unionid);
        return given().contentType("application/json")
                .body("{\"code\":\"" + code + "\"}")
                .post("/api/v1/auth/wechat/mini-program")
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");
    }

    private static long clinicOf(String token, String region) {
        return ((Number) given().auth()
                        .oauth2(token)
                        .queryParam("region", region)
                        .queryParam("limit", 1)
                        .get("/api/v1/institutions")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("items[0].id"))
                .longValue();
    }

    private static String profile(String displayName, String profession, Long institutionId, String region) {
        return "{\"displayName\":" + (displayName == null ? "null" : "\"" + displayName + "\"")
                + ",\"profession\":" + (profession == null ? "null" : "\"" + profession + "\"")
                + ",\"institutionId\":" + institutionId
                + ",\"regionCode\":" + (region == null ? "null" : "\"" + region + "\"") + "}";
    }

    @Test
    void completeProfileIsSavedAndReadBack() {
        String token = newLearner();
        long clinic = clinicOf(token, VILLAGE);
        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(profile("  杨村医 ", "village-doctor", clinic, VILLAGE))
                .put("/api/v1/me")
                .then()
                .statusCode(200)
                .body("displayName", equalTo("杨村医"))
                .body("profession", equalTo("village-doctor"))
                .body("institution.id", equalTo((int) clinic))
                .body("institution.kind", equalTo("village-clinic"))
                .body("region.code", equalTo(VILLAGE))
                .body("region.name", equalTo("城西村"))
                .body("profileComplete", equalTo(true));
        given().auth()
                .oauth2(token)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("learner.profileComplete", equalTo(true))
                .body("learner.displayName", equalTo("杨村医"));
    }

    @Test
    void aLearnerSeesAndChangesOnlyTheirOwnProfile() {
        String alice = newLearner();
        String bob = newLearner();
        given().auth()
                .oauth2(alice)
                .contentType("application/json")
                .body(profile("Alice", "nurse", null, null))
                .put("/api/v1/me")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(bob)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("learner.displayName", nullValue())
                .body("learner.profession", nullValue());
        given().auth()
                .oauth2(bob)
                .contentType("application/json")
                .body(profile("Bob", "pharmacist", null, null))
                .put("/api/v1/me")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(alice)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("learner.displayName", equalTo("Alice"))
                .body("learner.profession", equalTo("nurse"));
    }

    @Test
    void invalidProfessionIsABadRequest() {
        given().auth()
                .oauth2(newLearner())
                .contentType("application/json")
                .body(profile("x", "surgeon-general", null, null))
                .put("/api/v1/me")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:hongtong:problem:validation-failed"))
                .body("errors.field", hasItem("profession"));
    }

    @Test
    void unknownOrMalformedRegionIsABadRequest() {
        String token = newLearner();
        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(profile("x", "nurse", null, "529999999999"))
                .put("/api/v1/me")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("regionCode"));
        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(profile("x", "nurse", null, "52-01"))
                .put("/api/v1/me")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("regionCode"));
    }

    @Test
    void institutionMustBeInTheCountyOfTheRegion() {
        String token = newLearner();
        long elsewhere = clinicOf(token, OTHER_COUNTY_VILLAGE_PREFIX);
        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(profile("x", "nurse", elsewhere, VILLAGE))
                .put("/api/v1/me")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("institutionId"));
        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(profile("x", "nurse", 999_999_999L, null))
                .put("/api/v1/me")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("institutionId"));
    }

    @Test
    void nameWithControlCharactersOrTooLongIsRefused() {
        String token = newLearner();
        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(profile("bad\\u0007name", "nurse", null, null))
                .put("/api/v1/me")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("displayName"));
        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(profile("名".repeat(31), "nurse", null, null))
                .put("/api/v1/me")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("displayName"));
    }

    @Test
    void onlyLearnersHaveAProfileToEdit() {
        given().auth()
                .oauth2(Tokens.of("analyst"))
                .contentType("application/json")
                .body(profile("x", "nurse", null, null))
                .put("/api/v1/me")
                .then()
                .statusCode(403)
                .contentType(Problem.MEDIA_TYPE);
        given().contentType("application/json")
                .body(profile("x", "nurse", null, null))
                .put("/api/v1/me")
                .then()
                .statusCode(401)
                .contentType(Problem.MEDIA_TYPE);
    }
}
