package cn.hongtong.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import cn.hongtong.common.Problem;
import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MeResourceTest {

    private static final String ME = "/api/v1/me";

    @Test
    void withoutTokenAnswersUnauthorizedProblem() {
        given().get(ME)
                .then()
                .statusCode(401)
                .contentType(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("urn:hongtong:problem:unauthenticated"));
    }

    @Test
    void garbageTokenAnswersUnauthorizedProblem() {
        given().auth().oauth2("not.a.jwt").get(ME).then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2("opaque-token").get(ME).then().statusCode(401).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void tamperedTokenIsRefused() {
        String forged = Tokens.tampered(Tokens.of("learner-demo"), "preferred_username", "admin");
        given().auth().oauth2(forged).get(ME).then().statusCode(401).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void learnerGetsTheSameLearnerRecordEveryTime() {
        String token = Tokens.of("learner-demo");
        String first = given().auth()
                .oauth2(token)
                .get(ME)
                .then()
                .statusCode(200)
                .body("username", equalTo("learner-demo"))
                .body("roles", contains("learner"))
                .body("learner.learnerId", matchesPattern("[0-9a-f-]{36}"))
                .extract()
                .path("learner.learnerId");
        given().auth().oauth2(token).get(ME).then().statusCode(200).body("learner.learnerId", equalTo(first));
    }

    @Test
    void analystIsNotALearner() {
        given().auth()
                .oauth2(Tokens.of("analyst"))
                .get(ME)
                .then()
                .statusCode(200)
                .body("subject", notNullValue())
                .body("roles", contains("analyst"))
                .body("regionScope", equalTo("all"))
                .body("learner", nullValue());
    }

    /** A learner's first call: zero hours and no courses (the progress query's row without a course). */
    @Test
    void aNewLearnersProgressIsZeroHoursAndNoCourses() {
        given().auth()
                .oauth2(cn.hongtong.testsupport.Learning.newLearner())
                .get("/api/v1/me/progress")
                .then()
                .statusCode(200)
                .body("creditedHours.today", equalTo(0f))
                .body("creditedHours.thisYear", equalTo(0f))
                .body("watchHours.thisMonth", equalTo(0f))
                .body("inProgress.size()", equalTo(0))
                .body("completed.size()", equalTo(0));
    }
}
