package cn.hongtong.credit;

import static cn.hongtong.credit.CreditFixtures.assessment;
import static cn.hongtong.credit.CreditFixtures.complete;
import static cn.hongtong.credit.CreditFixtures.course;
import static cn.hongtong.credit.CreditFixtures.learner;
import static cn.hongtong.credit.CreditFixtures.project;
import static cn.hongtong.credit.CreditFixtures.start;
import static cn.hongtong.credit.CreditFixtures.submit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.credit.CreditFixtures.Course;
import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The assessment as the mini-program and the app take it: its rules, its idempotence, its secrecy. */
@QuarkusTest
class AssessmentTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    private long grants(Course course) {
        return fixtures.queryLong("SELECT count(*) FROM credit_grant WHERE course_id = $1", course.id());
    }

    @Test
    void courseWithoutAssessmentGrantsItsCreditOnCompletionOnce() throws Exception {
        Course course = course(fixtures, project("national", "I", 10), 1.5);
        String token = learner("张小明");
        complete(fixtures, clock, token, course);
        fixtures.awaitLong("one grant", 1, "SELECT count(*) FROM credit_grant WHERE course_id = $1", course.id());
        given().auth()
                .oauth2(token)
                .get("/api/v1/me/credits")
                .then()
                .statusCode(200)
                .body("credits", hasSize(1))
                .body("credits[0].courseId", equalTo(course.id().toString()))
                .body("credits[0].credits", equalTo(0.5f))
                .body("credits[0].creditClass", equalTo("I"))
                .body("credits[0].hours", equalTo(1.5f))
                .body("credits[0].status", equalTo("valid"))
                .body("earned.classI", equalTo(0.5f))
                .body("met", equalTo(false))
                .body("requirement.total", equalTo(25))
                .body("training.everyYears", equalTo(2))
                .body("training.met", equalTo(true));
        // Watching again (another completion pass, replays through the flusher) grants nothing more.
        complete(fixtures, clock, token, course);
        Thread.sleep(500);
        assertEquals(1, grants(course));
        given().auth()
                .oauth2(token)
                .get("/api/v1/me/courses/" + course.id() + "/assessment")
                .then()
                .statusCode(200)
                .body("hasAssessment", equalTo(false))
                .body("courseComplete", equalTo(true))
                .body("credit.credits", equalTo(0.5f));
    }

    @Test
    void assessmentOpensOnlyOnceTheCourseIsComplete() throws Exception {
        Course course = course(fixtures, project("provincial", "II", 5), 3);
        assessment(course.id(), 2, 50, 3, 0, null, 3);
        String token = learner("李四");
        given().auth()
                .oauth2(token)
                .get("/api/v1/me/courses/" + course.id() + "/assessment")
                .then()
                .statusCode(200)
                .body("hasAssessment", equalTo(true))
                .body("courseComplete", equalTo(false))
                .body("canStart", equalTo(false));
        start(token, course.id(), UUID.randomUUID())
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:hongtong:problem:assessment-locked"));
        complete(fixtures, clock, token, course);
        // Complete, but the assessment is not passed: no credit yet.
        Thread.sleep(300);
        assertEquals(0, grants(course));
        given().auth()
                .oauth2(token)
                .get("/api/v1/me/courses/" + course.id() + "/assessment")
                .then()
                .body("canStart", equalTo(true))
                .body("credit", nullValue());
    }

    @Test
    void failingThenPassingGrantsTheCreditOnceAndRevealsAnswersOnlyAfterSubmission() throws Exception {
        Course course = course(fixtures, project("provincial", "II", 5), 3);
        assessment(course.id(), 3, 100, 3, 0, null, 5);
        String token = learner("王五");
        complete(fixtures, clock, token, course);

        UUID first = UUID.randomUUID();
        Response paper = start(token, course.id(), first);
        paper.then().statusCode(200).body("questions", hasSize(3)).body("result", nullValue());
        assertNoAnswers(paper.asString());
        // A retried start answers the same paper.
        assertEquals(
                paper.jsonPath().getList("questions.id"),
                start(token, course.id(), first).jsonPath().getList("questions.id"));
        assertEquals(
                paper.jsonPath().getList("questions.options.id"),
                given().auth()
                        .oauth2(token)
                        .get("/api/v1/me/courses/" + course.id() + "/assessment/attempts/" + first)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("questions.options.id"));
        // Another attempt while this one is open is refused.
        start(token, course.id(), UUID.randomUUID())
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:hongtong:problem:assessment-attempt-open"));

        List<String> questions = paper.jsonPath().getList("questions.id");
        submit(token, course.id(), first, questions, "a")
                .then()
                .statusCode(200)
                .body("result.outcome", equalTo("failed"))
                .body("result.score", equalTo(0))
                .body("result.review[0].correct", equalTo(List.of("b")))
                .body("result.review[0].explanation", equalTo("诊室血压≥140/90 mmHg"))
                .body("result.credit", nullValue());
        assertEquals(0, grants(course));

        UUID second = UUID.randomUUID();
        List<String> again = start(token, course.id(), second)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("questions.id");
        Response passed = submit(token, course.id(), second, again, "b");
        passed.then()
                .statusCode(200)
                .body("result.outcome", equalTo("passed"))
                .body("result.score", equalTo(100))
                .body("result.credit.credits", equalTo(0.5f))
                .body("result.credit.creditClass", equalTo("II"));
        // Replayed: the same answer; other answers: refused; nothing granted twice.
        submit(token, course.id(), second, again, "b")
                .then()
                .statusCode(200)
                .body("result.outcome", equalTo("passed"))
                .body("result.credit.id", equalTo(passed.path("result.credit.id")));
        submit(token, course.id(), second, again, "c")
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:hongtong:problem:assessment-already-submitted"));
        start(token, course.id(), UUID.randomUUID())
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:hongtong:problem:assessment-already-passed"));
        assertEquals(1, grants(course));
        given().auth()
                .oauth2(token)
                .get("/api/v1/me/courses/" + course.id() + "/assessment")
                .then()
                .body("passed", equalTo(true))
                .body("attemptsUsed", equalTo(2))
                .body("bestScore", equalTo(100))
                .body("canStart", equalTo(false))
                .body("credit.id", equalTo(passed.path("result.credit.id")));
    }

    @Test
    void answersAfterTheTimeLimitAreRefusedAndTheAttemptCountsAsFailed() throws Exception {
        Course course = course(fixtures, project("national", "I", 10), 3);
        assessment(course.id(), 2, 50, 2, 0, 60, 2);
        String token = learner("赵六");
        complete(fixtures, clock, token, course);
        clock.fix();
        UUID attempt = UUID.randomUUID();
        Response paper = start(token, course.id(), attempt);
        paper.then().statusCode(200).body("deadline", notNullValue()).body("timeLimitSeconds", equalTo(60));
        List<String> questions = paper.jsonPath().getList("questions.id");
        // Within the limit and its 10 s grace the answers would count; one second past, they do not.
        clock.advanceSeconds(71);
        submit(token, course.id(), attempt, questions, "b")
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:hongtong:problem:assessment-time-over"));
        submit(token, course.id(), attempt, questions, "b").then().statusCode(409);
        given().auth()
                .oauth2(token)
                .get("/api/v1/me/courses/" + course.id() + "/assessment/attempts/" + attempt)
                .then()
                .statusCode(200)
                .body("result.outcome", equalTo("expired"))
                .body("result.score", equalTo(0));
        assertEquals(0, grants(course));
        // The second attempt, answered in time, passes.
        UUID next = UUID.randomUUID();
        List<String> second = start(token, course.id(), next)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("questions.id");
        clock.advanceSeconds(59);
        submit(token, course.id(), next, second, "b").then().statusCode(200).body("result.outcome", equalTo("passed"));
        assertEquals(1, grants(course));
    }

    @Test
    void attemptLimitAndCoolDownAreEnforced() throws Exception {
        Course course = course(fixtures, project("national", "I", 10), 3);
        assessment(course.id(), 1, 100, 2, 30, null, 1);
        String token = learner("钱七");
        complete(fixtures, clock, token, course);
        clock.fix();
        UUID first = UUID.randomUUID();
        List<String> q = start(token, course.id(), first)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("questions.id");
        submit(token, course.id(), first, q, "c").then().statusCode(200).body("result.outcome", equalTo("failed"));
        Response cooling = start(token, course.id(), UUID.randomUUID());
        cooling.then().statusCode(429).body("type", equalTo("urn:hongtong:problem:assessment-cooling-down"));
        assertTrue(Long.parseLong(cooling.header("Retry-After")) > 1700);
        given().auth()
                .oauth2(token)
                .get("/api/v1/me/courses/" + course.id() + "/assessment")
                .then()
                .body("nextAttemptAt", notNullValue())
                .body("canStart", equalTo(false));
        clock.advanceSeconds(30 * 60 + 1);
        UUID second = UUID.randomUUID();
        List<String> q2 = start(token, course.id(), second)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("questions.id");
        submit(token, course.id(), second, q2, "a").then().statusCode(200).body("result.outcome", equalTo("failed"));
        clock.advanceSeconds(31 * 60);
        start(token, course.id(), UUID.randomUUID())
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:hongtong:problem:assessment-attempts-exhausted"));
        assertEquals(0, grants(course));
    }

    @Test
    void concurrentStartsOpenOneAttemptAndConcurrentSubmissionsGrantOnce() throws Exception {
        Course course = course(fixtures, project("national", "I", 10), 3);
        assessment(course.id(), 2, 50, 5, 0, null, 4);
        String token = learner("孙八");
        complete(fixtures, clock, token, course);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<UUID> ids = new ArrayList<>();
            List<Future<Response>> starts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                starts.add(pool.submit(() -> start(token, course.id(), id)));
            }
            UUID opened = null;
            int ok = 0;
            for (int i = 0; i < 8; i++) {
                Response r = starts.get(i).get();
                if (r.statusCode() == 200) {
                    ok++;
                    opened = ids.get(i);
                } else {
                    assertEquals(409, r.statusCode(), r.asString());
                }
            }
            assertEquals(1, ok, "exactly one of the concurrent starts opens an attempt");
            UUID attempt = opened;
            List<String> q = given().auth()
                    .oauth2(token)
                    .get("/api/v1/me/courses/" + course.id() + "/assessment/attempts/" + attempt)
                    .jsonPath()
                    .getList("questions.id");
            List<Callable<Response>> submissions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                submissions.add(() -> submit(token, course.id(), attempt, q, "b"));
            }
            Set<String> creditIds = new HashSet<>();
            for (Future<Response> f : pool.invokeAll(submissions)) {
                Response r = f.get();
                assertEquals(200, r.statusCode(), r.asString());
                creditIds.add(r.path("result.credit.id"));
            }
            assertEquals(1, creditIds.size(), "every submission answers the same credit");
            assertFalse(creditIds.contains(null));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, grants(course));
        assertEquals(
                1, fixtures.queryLong("SELECT count(*) FROM assessment_attempt WHERE course_id = $1", course.id()));
    }

    @Test
    void anotherLearnerSeesNeitherTheAttemptNorTheCredit() throws Exception {
        Course course = course(fixtures, project("national", "I", 10), 3);
        assessment(course.id(), 1, 100, 3, 0, null, 1);
        String token = learner("周九");
        complete(fixtures, clock, token, course);
        UUID attempt = UUID.randomUUID();
        List<String> q = start(token, course.id(), attempt).jsonPath().getList("questions.id");
        String other = learner("吴十");
        given().auth()
                .oauth2(other)
                .get("/api/v1/me/courses/" + course.id() + "/assessment/attempts/" + attempt)
                .then()
                .statusCode(404);
        submit(other, course.id(), attempt, q, "b").then().statusCode(404);
        // The other learner reusing the id starts nothing of the first learner's (their course is not complete).
        start(other, course.id(), attempt)
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:hongtong:problem:assessment-locked"));
        String credit = submit(token, course.id(), attempt, q, "b")
                .then()
                .statusCode(200)
                .extract()
                .path("result.credit.id");
        given().auth()
                .oauth2(other)
                .get("/api/v1/me/credits/" + credit + "/certificate")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(other)
                .get("/api/v1/me/credits")
                .then()
                .statusCode(200)
                .body("credits", hasSize(0));
    }

    @Test
    void badAnswersAreRefusedWithoutSpendingTheAttempt() throws Exception {
        Course course = course(fixtures, project("national", "I", 10), 3);
        assessment(course.id(), 2, 50, 3, 0, null, 2);
        String token = learner("郑十一");
        complete(fixtures, clock, token, course);
        UUID attempt = UUID.randomUUID();
        List<String> q = start(token, course.id(), attempt).jsonPath().getList("questions.id");
        submit(token, course.id(), attempt, List.of(UUID.randomUUID().toString()), "b")
                .then()
                .statusCode(400);
        submit(token, course.id(), attempt, q, "z").then().statusCode(400);
        submit(token, course.id(), attempt, List.of(q.get(0), q.get(0)), "b")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{\"answers\":[{\"questionId\":\"" + q.get(0) + "\",\"choices\":[\"a\",\"b\"]}]}")
                .post("/api/v1/me/courses/" + course.id() + "/assessment/attempts/" + attempt + "/submission")
                .then()
                .statusCode(400);
        // Unanswered questions count as wrong: one of two right passes at 50 %.
        submit(token, course.id(), attempt, List.of(q.get(0)), "b")
                .then()
                .statusCode(200)
                .body("result.outcome", equalTo("passed"))
                .body("result.correctCount", equalTo(1));
    }

    /** No answer and no explanation anywhere in a paper as the learner receives it. */
    static void assertNoAnswers(String json) {
        assertFalse(json.contains("\"correct\""), json);
        assertFalse(json.contains("\"explanation\""), json);
        assertFalse(json.contains("诊室血压"), json);
        assertFalse(json.contains("\"review\""), json);
    }
}
