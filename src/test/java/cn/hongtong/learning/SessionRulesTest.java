package cn.hongtong.learning;

import static cn.hongtong.testsupport.Learning.heartbeat;
import static cn.hongtong.testsupport.Learning.playing;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.common.Problem;
import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.TestClock;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules that turn heartbeats into hours, each with the exact seconds it must give. Lessons
 * last 60 s, heartbeats come every 10 s of server time, the tolerance is 2 s (once per
 * continuous playback), the test profile's daily cap is 90 s.
 */
@QuarkusTest
class SessionRulesTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    RedisDataSource redis;

    private String learner;
    private UUID lesson;

    @BeforeEach
    void setUp() {
        learner = Learning.newLearner();
        lesson = Learning.lesson(fixtures, 60);
        clock.fix();
    }

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    private void tick() {
        clock.advanceSeconds(10);
    }

    @Test
    void honestFragmentsOnTwoDevicesOneAfterTheOther() {
        String app = Learning.startSession(learner, lesson, "tablet-1");
        tick();
        playing(learner, app, 1, 0, 10)
                .then()
                .statusCode(200)
                .body("session.creditedSeconds", equalTo(10f))
                .body("session.watchSeconds", equalTo(10f))
                .body("warnings", empty());
        tick();
        playing(learner, app, 2, 10, 20).then().body("session.creditedSeconds", equalTo(20f));
        tick();
        playing(learner, app, 3, 20, 30)
                .then()
                .body("session.creditedSeconds", equalTo(30f))
                .body("session.watchSeconds", equalTo(30f))
                .body("lesson.coverage", equalTo(0.5f))
                .body("lesson.complete", equalTo(false));
        Learning.end(learner, app).then().statusCode(200);

        clock.advanceSeconds(3600);
        Response start = Learning.start(learner, lesson, "phone-2");
        start.then()
                .statusCode(201)
                .body("resumePositionSeconds", equalTo(30f))
                .body("durationSeconds", equalTo(60f))
                .body("heartbeatIntervalSeconds", equalTo(10));
        String mini = start.path("sessionId");
        tick();
        playing(learner, mini, 1, 30, 40).then().body("session.creditedSeconds", equalTo(10f));
        tick();
        playing(learner, mini, 2, 40, 50).then().body("session.creditedSeconds", equalTo(20f));
        tick();
        playing(learner, mini, 3, 50, 60)
                .then()
                .body("session.creditedSeconds", equalTo(30f))
                .body("lesson.coveredSeconds", equalTo(60f))
                .body("lesson.coverage", equalTo(1f))
                .body("lesson.complete", equalTo(true));
    }

    @Test
    void lostAnswersAndResendsCreditWhatWasWatchedOnce() {
        String s = Learning.startSession(learner, lesson, "d");
        tick();
        String first =
                playing(learner, s, 1, 0, 10).then().statusCode(200).extract().asString();
        clock.advanceSeconds(1);
        // The answer was lost: the same heartbeat again gets the same answer and changes nothing.
        assertEquals(
                first,
                playing(learner, s, 1, 0, 10).then().statusCode(200).extract().asString());
        clock.advanceSeconds(9);
        playing(learner, s, 2, 10, 20).then().body("session.creditedSeconds", equalTo(20f));
        tick();
        // The answer to 2 was lost too: 3 resends 2's interval with its own.
        playing(learner, s, 3, 10, 20, 20, 30)
                .then()
                .body("session.creditedSeconds", equalTo(30f))
                .body("session.watchSeconds", equalTo(30f));
    }

    @Test
    void seekingToTheEndAddsNothing() {
        String s = Learning.startSession(learner, lesson, "d");
        tick();
        playing(learner, s, 1, 0, 10);
        tick();
        heartbeat(learner, s, 2, 60, 1, "ended", 55, 60)
                .then()
                .body("session.creditedSeconds", equalTo(15f))
                .body("session.watchSeconds", equalTo(15f))
                .body("lesson.coverage", equalTo(0.25f))
                .body("lesson.complete", equalTo(false));
    }

    @Test
    void claimsFarBeyondElapsedTimeEarnOnlyElapsedTime() {
        String s = Learning.startSession(learner, lesson, "d");
        tick();
        playing(learner, s, 1, 0, 60)
                .then()
                .body("session.creditedSeconds", equalTo(12f))
                .body("session.watchSeconds", equalTo(12f))
                .body("lesson.coveredSeconds", equalTo(12f))
                .body("lesson.complete", equalTo(false))
                .body("warnings", hasItem("faster-than-real-time"));
    }

    @Test
    void doubleSpeedEarnsWallClockTimeOnly() {
        String s = Learning.startSession(learner, lesson, "d");
        tick();
        heartbeat(learner, s, 1, 20, 2, "playing", 0, 20)
                .then()
                .body("session.creditedSeconds", equalTo(12f))
                .body("session.watchSeconds", equalTo(10f));
        tick();
        heartbeat(learner, s, 2, 40, 2, "playing", 20, 40)
                .then()
                .body("session.creditedSeconds", equalTo(22f))
                .body("session.watchSeconds", equalTo(20f));
        tick();
        heartbeat(learner, s, 3, 60, 2, "playing", 40, 60)
                .then()
                .body("session.creditedSeconds", equalTo(32f))
                .body("session.watchSeconds", equalTo(30f))
                .body("lesson.coveredSeconds", equalTo(32f))
                .body("lesson.complete", equalTo(false));
    }

    @Test
    void sixteenTimesSpeedEarnsWallClockTimeOnly() {
        String s = Learning.startSession(learner, lesson, "d");
        tick();
        heartbeat(learner, s, 1, 60, 16, "playing", 0, 160)
                .then()
                .body("session.creditedSeconds", equalTo(12f))
                .body("session.watchSeconds", equalTo(3.75f))
                .body("warnings", hasItem("outside-video"));
    }

    @Test
    void twoDevicesAtOnceEarnOneCredit() {
        UUID other = Learning.lesson(fixtures, 60);
        String tablet = Learning.startSession(learner, lesson, "tablet");
        String phone = Learning.startSession(learner, other, "phone");
        tick();
        playing(learner, tablet, 1, 0, 10)
                .then()
                .body("session.creditedSeconds", equalTo(10f))
                .body("creditHolder", equalTo(true));
        // Watch time is per learner too: the tablet's ten seconds took the wall clock, the phone
        // gets only what the tolerance leaves.
        playing(learner, phone, 1, 0, 10)
                .then()
                .body("session.creditedSeconds", equalTo(0f))
                .body("session.watchSeconds", equalTo(2f))
                .body("creditHolder", equalTo(false))
                .body("warnings", hasItem("concurrent-playback"))
                .body("refused[0].reason", equalTo("concurrent-playback"))
                .body("refused[0].seconds", equalTo(10f));
        Learning.end(learner, tablet).then().statusCode(200);
        tick();
        playing(learner, phone, 2, 10, 20)
                .then()
                .body("session.creditedSeconds", equalTo(10f))
                .body("creditHolder", equalTo(true));
        // The phone's first ten seconds earned nothing and covered nothing: they can still be earned.
        Response restart = Learning.start(learner, other, "phone");
        restart.then().body("resumePositionSeconds", equalTo(20f));
    }

    @Test
    void aDeviceThatVanishesLosesTheCreditAfterThreeIntervals() {
        UUID other = Learning.lesson(fixtures, 60);
        String gone = Learning.startSession(learner, lesson, "lost-phone");
        tick();
        playing(learner, gone, 1, 0, 10).then().body("creditHolder", equalTo(true));
        // No end, no more heartbeats. Within three intervals the other device still waits...
        String tablet = Learning.startSession(learner, other, "tablet");
        clock.advanceSeconds(20);
        playing(learner, tablet, 1, 0, 10).then().body("creditHolder", equalTo(false));
        // ...after them (server time) it earns.
        clock.advanceSeconds(11);
        playing(learner, tablet, 2, 10, 20)
                .then()
                .body("creditHolder", equalTo(true))
                .body("session.creditedSeconds", equalTo(10f));
    }

    @Test
    void replayedAndOlderSeqChangeNothing() {
        String s = Learning.startSession(learner, lesson, "d");
        tick();
        playing(learner, s, 1, 0, 10);
        tick();
        String third = playing(learner, s, 3, 10, 20)
                .then()
                .body("ackSeq", equalTo(3))
                .body("session.creditedSeconds", equalTo(20f))
                .extract()
                .asString();
        clock.advanceSeconds(1);
        playing(learner, s, 2, 5, 10)
                .then()
                .statusCode(200)
                .body("ackSeq", equalTo(3))
                .body("session.creditedSeconds", equalTo(20f))
                .body("warnings", hasItem("stale-seq"));
        clock.advanceSeconds(1);
        assertEquals(
                third,
                playing(learner, s, 3, 10, 20).then().statusCode(200).extract().asString());
    }

    @Test
    void anotherLearnersSessionDoesNotExist() {
        String s = Learning.startSession(learner, lesson, "d");
        String intruder = Learning.newLearner();
        tick();
        playing(intruder, s, 1, 0, 10)
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:hongtong:problem:session-not-found"));
        Learning.end(intruder, s).then().statusCode(404);
        playing(learner, s, 1, 0, 10).then().statusCode(200).body("session.creditedSeconds", equalTo(10f));
        playing(learner, UUID.randomUUID().toString(), 1, 0, 10).then().statusCode(404);
    }

    @Test
    void intervalsOutsideTheVideoAreClippedAndMalformedOnesRefused() {
        String s = Learning.startSession(learner, lesson, "d");
        tick();
        playing(learner, s, 1, 50, 70)
                .then()
                .statusCode(200)
                .body("session.creditedSeconds", equalTo(10f))
                .body("warnings", hasItem("outside-video"));
        heartbeat(learner, s, 2, 5, 1, "playing", 10, 5)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("played[0]"));
        heartbeat(learner, s, 2, 5, 1, "playing", -3, 5).then().statusCode(400);
        heartbeat(learner, s, 2, 5, 0, "playing", 1, 5).then().statusCode(400).body("errors.field", hasItem("rate"));
        heartbeat(learner, s, 2, 5, 1, "flying", 1, 5).then().statusCode(400).body("errors.field", hasItem("state"));
        double[] many = new double[130];
        for (int i = 0; i < many.length; i += 2) {
            many[i] = i / 10.0;
            many[i + 1] = i / 10.0 + 0.05;
        }
        heartbeat(learner, s, 2, 5, 1, "playing", many).then().statusCode(400).body("errors.field", hasItem("played"));
        given().auth()
                .oauth2(learner)
                .contentType("application/json")
                .body("{\"seq\":2,\"position\":5,\"rate\":1,\"state\":\"playing\",\"played\":[[NaN,5]]}")
                .post("/api/v1/sessions/" + s + "/heartbeats")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        // None of the refused heartbeats changed anything.
        clock.advanceSeconds(10);
        playing(learner, s, 2, 0, 10)
                .then()
                .statusCode(200)
                .body("session.creditedSeconds", equalTo(20f))
                .body("lesson.coveredSeconds", equalTo(20f));
    }

    @Test
    void dailyCapStopsCreditUntilTheNextDay() {
        UUID second = Learning.lesson(fixtures, 60);
        String s = Learning.startSession(learner, lesson, "d");
        for (int i = 0; i < 6; i++) {
            tick();
            playing(learner, s, i + 1, i * 10, i * 10 + 10);
        }
        Learning.end(learner, s);
        String t = Learning.startSession(learner, second, "d");
        for (int i = 0; i < 3; i++) {
            tick();
            playing(learner, t, i + 1, i * 10, i * 10 + 10)
                    .then()
                    .body("session.creditedSeconds", equalTo((i + 1) * 10f));
        }
        tick();
        playing(learner, t, 4, 30, 40)
                .then()
                .body("session.creditedSeconds", equalTo(30f))
                .body("warnings", hasItem("daily-cap"));
        Learning.end(learner, t);
        clock.advanceSeconds(24 * 3600);
        String tomorrow = Learning.startSession(learner, second, "d");
        tick();
        playing(learner, tomorrow, 1, 30, 40)
                .then()
                .body("session.creditedSeconds", equalTo(10f))
                .body("warnings", empty());
    }

    @Test
    void aFloodOfHeartbeatsIsRateLimited() {
        String s = Learning.startSession(learner, lesson, "d");
        for (int i = 1; i <= 30; i++) {
            clock.advanceSeconds(0.1);
            heartbeat(learner, s, i, 0, 1, "paused").then().statusCode(200);
        }
        heartbeat(learner, s, 31, 0, 1, "paused")
                .then()
                .statusCode(429)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:hongtong:problem:rate-limited"));
    }

    @Test
    void onlyLearnersHaveSessionsAndLessonsMustBePlayable() {
        given().auth()
                .oauth2(cn.hongtong.testsupport.Tokens.of("analyst"))
                .contentType("application/json")
                .body("{\"lessonId\":\"" + lesson + "\",\"deviceId\":\"d\",\"client\":\"app\"}")
                .post("/api/v1/sessions")
                .then()
                .statusCode(403);
        Learning.start(learner, UUID.randomUUID(), "d")
                .then()
                .statusCode(404)
                .body("type", equalTo("urn:hongtong:problem:lesson-not-playable"));
        given().auth()
                .oauth2(learner)
                .contentType("application/json")
                .body("{\"lessonId\":\"" + lesson + "\",\"deviceId\":\"bad device!\",\"client\":\"tv\"}")
                .post("/api/v1/sessions")
                .then()
                .statusCode(400);
    }

    @Test
    void aRedisThatForgotTheScriptStillAnswersEveryHeartbeat() {
        String s = Learning.startSession(learner, lesson, "d");
        tick();
        playing(learner, s, 1, 0, 10).then().statusCode(200).body("session.creditedSeconds", equalTo(10f));
        // A restarted node, or in a cluster a master the script was never loaded on: EVALSHA answers NOSCRIPT.
        redis.execute("SCRIPT", "FLUSH");
        tick();
        playing(learner, s, 2, 10, 20).then().statusCode(200).body("session.creditedSeconds", equalTo(20f));
        redis.execute("SCRIPT", "FLUSH");
        tick();
        playing(learner, s, 3, 20, 30).then().statusCode(200).body("session.creditedSeconds", equalTo(30f));
        tick();
        playing(learner, s, 4, 30, 40).then().statusCode(200).body("session.creditedSeconds", equalTo(40f));
    }
}
