package cn.hongtong.learning;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.TestClock;
import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * /me/progress answers kept in memory are never served stale: a flush of the learner's hours, or a
 * catalog change, shows in the very next answer (the cache TTL, 60 s, is far longer than these tests).
 */
@QuarkusTest
class ProgressCacheTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    /** The token's learner id (the first /me/progress creates the learner record). */
    private UUID learnerOf(String token) {
        given().auth().oauth2(token).get("/api/v1/me/progress").then().statusCode(200);
        String subject = given().auth()
                .oauth2(token)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .extract()
                .path("subject");
        return UUID.fromString(fixtures.queryString("SELECT id::text FROM learner WHERE subject = $1", subject));
    }

    @Test
    void aFlushShowsInTheNextAnswerThoughTheLastOneWasKept() throws InterruptedException {
        String token = Learning.newLearner();
        String other = Learning.newLearner();
        UUID lesson = Learning.lesson(fixtures, 60);
        UUID learner = learnerOf(token);
        clock.fix();
        for (int i = 0; i < 2; i++) {
            given().auth()
                    .oauth2(token)
                    .get("/api/v1/me/progress")
                    .then()
                    .statusCode(200)
                    .body("creditedHours.thisYear", equalTo(0f))
                    .body("inProgress", hasSize(0));
        }
        given().auth()
                .oauth2(other)
                .get("/api/v1/me/progress")
                .then()
                .statusCode(200)
                .body("inProgress", hasSize(0));

        String session = Learning.startSession(token, lesson, "tablet");
        for (int i = 0; i < 3; i++) {
            clock.advanceSeconds(10);
            Learning.playing(token, session, i + 1, i * 10, i * 10 + 10).then().statusCode(200);
        }
        fixtures.awaitLong(
                "the ledger holds the 30 s",
                30_000,
                "SELECT coalesce(sum(credited_ms), 0) FROM hours_ledger WHERE learner_id = $1",
                learner);

        given().auth()
                .oauth2(token)
                .get("/api/v1/me/progress")
                .then()
                .statusCode(200)
                .body("creditedHours.thisYear", equalTo(0.008f))
                .body("inProgress", hasSize(1))
                .body("inProgress[0].completedLessons", equalTo(0));
        // Another learner's kept answer is theirs alone.
        given().auth()
                .oauth2(other)
                .get("/api/v1/me/progress")
                .then()
                .statusCode(200)
                .body("creditedHours.thisYear", equalTo(0f))
                .body("inProgress", hasSize(0));
    }

    @Test
    void aCourseRenamedShowsInTheNextAnswer() throws InterruptedException {
        String token = Learning.newLearner();
        UUID lesson = Learning.lesson(fixtures, 60);
        UUID learner = learnerOf(token);
        String course = fixtures.queryString("SELECT course_id::text FROM lesson WHERE id = $1", lesson);
        clock.fix();
        String session = Learning.startSession(token, lesson, "phone");
        clock.advanceSeconds(10);
        Learning.playing(token, session, 1, 0, 10).then().statusCode(200);
        fixtures.awaitLong(
                "the ledger holds the 10 s",
                10_000,
                "SELECT coalesce(sum(credited_ms), 0) FROM hours_ledger WHERE learner_id = $1",
                learner);
        String before = given().auth()
                .oauth2(token)
                .get("/api/v1/me/progress")
                .then()
                .statusCode(200)
                .body("inProgress", hasSize(1))
                .extract()
                .path("inProgress[0].title");

        String renamed = "改名 " + UUID.randomUUID();
        given().auth()
                .oauth2(Tokens.of("editor"))
                .contentType("application/json")
                .body("{\"title\":\"" + renamed
                        + "\",\"summary\":\"s\",\"categoryCode\":\"pharmacy\",\"creditClass\":\"II\","
                        + "\"creditHours\":1.0}")
                .put("/api/v1/admin/courses/" + course)
                .then()
                .statusCode(200);

        given().auth()
                .oauth2(token)
                .get("/api/v1/me/progress")
                .then()
                .statusCode(200)
                .body("inProgress[0].title", equalTo(renamed));
        Assertions.assertNotEquals(renamed, before);
    }
}
