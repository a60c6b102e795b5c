package cn.hongtong.learning;

import static cn.hongtong.testsupport.Learning.playing;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plays watched offline with a download grant, synced later; and the learner's own hours. */
@QuarkusTest
class OfflineAndProgressTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    private String learner;
    private String otherLearner;
    private UUID lesson;
    private UUID otherLesson;
    private String otherGrant;
    private String grant;
    private Instant granted;

    @BeforeEach
    void downloadThenGoOffline() {
        // Logins first: Keycloak checks the bridge's assertions against real time.
        learner = Learning.newLearner();
        otherLearner = Learning.newLearner();
        lesson = Learning.lesson(fixtures, 60);
        otherLesson = Learning.lesson(fixtures, 60);
        // 09:00 in Shanghai today: every play of these tests (from 100 minutes before the grant to
        // a little after two hours past it) falls on one Shanghai day whatever the time the suite
        // runs (at 22:10 there, the daily cap's offline and online plays fell on two days).
        clock.fixAt(LocalDate.now(ZoneId.of("Asia/Shanghai"))
                .atTime(9, 0)
                .atZone(ZoneId.of("Asia/Shanghai"))
                .toInstant());
        granted = clock.instant();
        grant = given().auth()
                .oauth2(learner)
                .get("/api/v1/lessons/" + lesson + "/download")
                .then()
                .statusCode(200)
                .extract()
                .path("grant");
        otherGrant = given().auth()
                .oauth2(learner)
                .get("/api/v1/lessons/" + otherLesson + "/download")
                .then()
                .statusCode(200)
                .extract()
                .path("grant");
        clock.advance(Duration.ofHours(2));
    }

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    private static String play(UUID id, String grant, UUID lesson, Instant start, Instant end, String played) {
        return "{\"playId\":\"" + id + "\",\"grant\":\"" + grant + "\",\"lessonId\":\"" + lesson
                + "\",\"deviceId\":\"tablet\"," + "\"startedAt\":\"" + start + "\",\"endedAt\":\"" + end
                + "\",\"played\":" + played + "}";
    }

    private Response sync(String token, String... plays) {
        return given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{\"plays\":[" + String.join(",", plays) + "]}")
                .post("/api/v1/sessions/offline");
    }

    private Instant at(int minutesAfterGrant) {
        return granted.plus(Duration.ofMinutes(minutesAfterGrant));
    }

    @Test
    void plausiblePlayIsCreditedOnceHoweverOftenItIsSent() throws Exception {
        UUID id = UUID.randomUUID();
        String p = play(id, grant, lesson, at(10), at(10).plusSeconds(30), "[[0,30]]");
        sync(learner, p)
                .then()
                .statusCode(200)
                .body("results[0].status", equalTo("accepted"))
                .body("results[0].creditedSeconds", equalTo(30f));
        sync(learner, p)
                .then()
                .statusCode(200)
                .body("results[0].status", equalTo("accepted"))
                .body("results[0].creditedSeconds", equalTo(30f));
        LocalDate day = LocalDate.ofInstant(at(10), ZoneId.of("Asia/Shanghai"));
        awaitLedger(day, 0.5);
        Thread.sleep(500);
        given().auth()
                .oauth2(learner)
                .queryParam("from", day.toString())
                .queryParam("to", day.toString())
                .get("/api/v1/me/ledger")
                .then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].creditedMinutes", equalTo(0.5f));
    }

    private void awaitLedger(LocalDate day, double minutes) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Response r = given().auth()
                    .oauth2(learner)
                    .queryParam("from", day.toString())
                    .queryParam("to", day.toString())
                    .get("/api/v1/me/ledger");
            if (r.statusCode() == 200
                    && r.jsonPath().getList("$").size() == 1
                    && r.jsonPath().getDouble("[0].creditedMinutes") == minutes) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("ledger never showed " + minutes + " min on " + day);
    }

    @Test
    void overlappingPlaysEarnOnlyWallClockTimeNotYetCredited() {
        // The third play's first 30 s were spent by the second: one credit clock per learner.
        sync(
                        learner,
                        play(UUID.randomUUID(), grant, lesson, at(-100), at(-99), "[[0,60]]"),
                        play(UUID.randomUUID(), grant, lesson, at(20), at(21), "[[0,60]]"),
                        play(
                                UUID.randomUUID(),
                                otherGrant,
                                otherLesson,
                                at(20).plusSeconds(30),
                                at(21).plusSeconds(30),
                                "[[0,60]]"))
                .then()
                .statusCode(200)
                .body("results[0].status", equalTo("rejected"))
                .body("results[0].reason", equalTo("outside-grant"))
                .body("results[1].status", equalTo("accepted"))
                .body("results[1].creditedSeconds", equalTo(60f))
                .body("results[2].status", equalTo("accepted"))
                .body("results[2].creditedSeconds", equalTo(30f))
                .body("results[2].refusedSeconds", equalTo(30f))
                .body("results[2].refused", equalTo(List.of("faster-than-real-time")));
    }

    @Test
    void implausiblePlaysAreRefusedWithTheReason() {
        Instant future = clock.instant().plus(Duration.ofHours(1));
        sync(
                        learner,
                        play(UUID.randomUUID(), grant, lesson, future, future.plusSeconds(10), "[[0,10]]"),
                        play(UUID.randomUUID(), grant, lesson, at(30), at(29), "[[0,10]]"),
                        play(UUID.randomUUID(), grant + "x", lesson, at(30), at(31), "[[0,10]]"),
                        play(UUID.randomUUID(), grant, UUID.randomUUID(), at(30), at(31), "[[0,10]]"))
                .then()
                .statusCode(200)
                .body(
                        "results.reason",
                        equalTo(List.of("in-the-future", "ends-before-it-starts", "grant-invalid", "grant-invalid")));
        // Watched after the 7-day grant ran out, synced later still.
        clock.advance(Duration.ofDays(9));
        sync(learner, play(UUID.randomUUID(), grant, lesson, at(60 * 24 * 8), at(60 * 24 * 8 + 1), "[[0,10]]"))
                .then()
                .body("results[0].reason", equalTo("outside-grant"));
        sync(otherLearner, play(UUID.randomUUID(), grant, lesson, at(30), at(31), "[[0,10]]"))
                .then()
                .body("results[0].reason", equalTo("grant-invalid"));
    }

    @Test
    void offlineClaimsBeyondThePlaysSpanEarnOnlyTheSpan() {
        // No tolerance offline: the span is known after the fact.
        sync(learner, play(UUID.randomUUID(), grant, lesson, at(40), at(40).plusSeconds(10), "[[0,60]]"))
                .then()
                .body("results[0].status", equalTo("accepted"))
                .body("results[0].creditedSeconds", equalTo(10f))
                .body("results[0].refusedSeconds", equalTo(50f));
    }

    @Test
    void theDailyCapCountsOfflineAndOnlineTogether() {
        sync(learner, play(UUID.randomUUID(), grant, lesson, at(50), at(52), "[[0,60]]"))
                .then()
                .body("results[0].creditedSeconds", equalTo(60f));
        UUID second = Learning.lesson(fixtures, 60);
        String s = Learning.startSession(learner, second, "phone");
        for (int i = 0; i < 4; i++) {
            clock.advanceSeconds(10);
            playing(learner, s, i + 1, i * 10, i * 10 + 10);
        }
        playing(learner, s, 5, 40, 50)
                .then()
                .body("session.creditedSeconds", equalTo(30f))
                .body("warnings", hasItem("daily-cap"));
    }

    @Test
    void progressShowsHoursAndCourses() throws Exception {
        sync(learner, play(UUID.randomUUID(), grant, lesson, at(70), at(72), "[[0,60]]"))
                .then()
                .body("results[0].creditedSeconds", equalTo(60f));
        LocalDate day = LocalDate.ofInstant(at(72), ZoneId.of("Asia/Shanghai"));
        awaitLedger(day, 1.0);
        Response progress = given().auth().oauth2(learner).get("/api/v1/me/progress");
        progress.then().statusCode(200);
        if (day.equals(LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai")))) {
            assertEquals(0.017, progress.jsonPath().getDouble("creditedHours.today"), 1e-9);
        }
        assertEquals(0.017, progress.jsonPath().getDouble("creditedHours.thisYear"), 1e-9);
        progress.then().body("completed.size()", equalTo(1)).body("completed[0].completedLessons", equalTo(1));
        given().auth()
                .oauth2(learner)
                .queryParam("from", "2026-02-01")
                .queryParam("to", "2026-01-01")
                .get("/api/v1/me/ledger")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(learner)
                .queryParam("from", "yesterday")
                .queryParam("to", "2026-01-01")
                .get("/api/v1/me/ledger")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(cn.hongtong.testsupport.Tokens.of("analyst"))
                .get("/api/v1/me/progress")
                .then()
                .statusCode(403);
    }

    @Test
    void syncRequestsAreValidated() {
        sync(learner).then().statusCode(400).body("errors.field", hasItem("plays"));
        given().auth()
                .oauth2(learner)
                .contentType("application/json")
                .body("{\"plays\":[{\"playId\":\"x\"}]}")
                .post("/api/v1/sessions/offline")
                .then()
                .statusCode(400);
    }
}
