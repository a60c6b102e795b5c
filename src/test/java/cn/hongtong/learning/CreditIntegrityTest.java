package cn.hongtong.learning;

import static cn.hongtong.testsupport.Learning.heartbeat;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attacks of issue 12, each with the exact seconds it may earn now: one credit clock per
 * learner, so a second of server time credits at most one second of video (plus one 2 s
 * tolerance for online play) over every session, device and offline play. Each failed before:
 * the budget, its tolerance and the lock lived per session. Lessons last 60 s unless said.
 */
@QuarkusTest
class CreditIntegrityTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    private String learner;

    @BeforeEach
    void setUp() {
        learner = Learning.newLearner();
        clock.fix();
    }

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    private static long ms(Response answer, String path) {
        answer.then().statusCode(200);
        return Math.round(Double.parseDouble(answer.jsonPath().getString(path)) * 1000);
    }

    private List<UUID> lessons(int count, int seconds) {
        List<UUID> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Learning.lesson(fixtures, seconds));
        }
        return out;
    }

    @Test
    void manyShortSessionsShareOneClock() {
        // Before: 80 sessions of one 2.5 s claim each, 35 ms apart, credited 160 s in 2.8 s.
        List<UUID> lessons = lessons(4, 60);
        long credited = 0;
        for (int i = 0; i < 80; i++) {
            String s = Learning.startSession(learner, lessons.get(i % 4), "script");
            double from = (i / 4) * 2.5;
            credited += ms(playing(learner, s, 1, from, from + 2.5), "creditedNow");
            Learning.end(learner, s).then().statusCode(200);
            clock.advance(Duration.ofMillis(35));
        }
        // 79 x 35 ms of real time between the first and the last claim, plus one tolerance.
        assertEquals(79 * 35 + 2_000, credited);
    }

    @Test
    void silentSessionsGetNoFreshBudget() {
        // Before: five sessions silent for 12 s, then each reporting 12 s, credited 50 s in 12.3 s.
        List<UUID> lessons = lessons(5, 60);
        List<String> sessions = new ArrayList<>();
        for (UUID lesson : lessons) {
            sessions.add(Learning.startSession(learner, lesson, "d-" + sessions.size()));
        }
        clock.advanceSeconds(12);
        long credited = 0;
        for (String s : sessions) {
            credited += ms(heartbeat(learner, s, 1, 12, 1, "ended", 0, 12), "creditedNow");
            Learning.end(learner, s).then().statusCode(200);
        }
        assertEquals(14_000, credited);
    }

    @Test
    void anIntervalListedManyTimesCountsOnce() {
        // Before: the same 0.5 s listed ten times in each heartbeat credited 5 s a heartbeat.
        UUID lesson = Learning.lesson(fixtures, 60);
        String s = Learning.startSession(learner, lesson, "d");
        long credited = 0;
        Response answer = null;
        for (int i = 0; i < 30; i++) {
            clock.advanceSeconds(1);
            double[] same = new double[20];
            for (int k = 0; k < 20; k += 2) {
                same[k] = i * 0.5;
                same[k + 1] = i * 0.5 + 0.5;
            }
            answer = heartbeat(learner, s, i + 1, i * 0.5 + 0.5, 1, "playing", same);
            answer.then()
                    .body("refused[0].reason", equalTo("duplicate-interval"))
                    .body("refused[0].seconds", equalTo(4.5f));
            credited += ms(answer, "creditedNow");
        }
        assertEquals(15_000, credited);
        answer.then().body("session.creditedSeconds", equalTo(15f)).body("lesson.coveredSeconds", equalTo(15f));
    }

    @Test
    void twoDevicesSendingPausedHeartbeatsShareOneClock() {
        // Before: two devices at once, "paused" with played intervals, credited 20 s in 10 s.
        List<UUID> lessons = lessons(2, 60);
        String a = Learning.startSession(learner, lessons.get(0), "tablet");
        String b = Learning.startSession(learner, lessons.get(1), "phone");
        long credited = 0;
        for (int i = 0; i < 10; i++) {
            clock.advanceSeconds(1);
            credited += ms(heartbeat(learner, a, i + 1, i + 1, 1, "paused", i, i + 1), "creditedNow");
            credited += ms(heartbeat(learner, b, i + 1, i + 1, 1, "paused", i, i + 1), "creditedNow");
        }
        assertEquals(12_000, credited);
    }

    @Test
    void sixteenTimesSpeedWithANewSessionPerLessonEarnsWallClockTime() {
        // Before: 16x, a new session per 60 s lesson, credited 75 s in 19.8 s.
        List<UUID> lessons = lessons(5, 60);
        long credited = 0;
        for (UUID lesson : lessons) {
            String s = Learning.startSession(learner, lesson, "d");
            clock.advanceSeconds(3.75);
            credited += ms(heartbeat(learner, s, 1, 60, 16, "ended", 0, 60), "creditedNow");
            Learning.end(learner, s).then().statusCode(200);
        }
        // 18.75 s of real time, plus one tolerance.
        assertEquals(20_750, credited);
    }

    @Test
    void doubleSpeedWithANewSessionPerLessonEarnsWallClockTime() {
        // Before: 2x, a new session per 20 s lesson, credited 40 s in 30 s.
        List<UUID> lessons = lessons(3, 20);
        long credited = 0;
        for (UUID lesson : lessons) {
            String s = Learning.startSession(learner, lesson, "d");
            clock.advanceSeconds(10);
            Response answer = heartbeat(learner, s, 1, 20, 2, "ended", 0, 20);
            answer.then().body("warnings", hasItem("faster-than-real-time"));
            credited += ms(answer, "creditedNow");
            Learning.end(learner, s).then().statusCode(200);
        }
        assertEquals(32_000, credited);
    }

    @Test
    void oneDeviceEndsAndAnotherStartsAtOnceHonestlyEarnsExactlyTheTime() {
        // Before: 34.8 s credited for 30 s of honest play on two devices and two courses.
        List<UUID> lessons = lessons(2, 60);
        String a = Learning.startSession(learner, lessons.get(0), "tablet");
        long credited = 0;
        clock.advanceSeconds(10);
        credited += ms(playing(learner, a, 1, 0, 10), "creditedNow");
        clock.advanceSeconds(5);
        credited += ms(heartbeat(learner, a, 2, 15, 1, "ended", 10, 15), "creditedNow");
        Learning.end(learner, a).then().statusCode(200);
        String b = Learning.startSession(learner, lessons.get(1), "phone");
        clock.advanceSeconds(10);
        credited += ms(playing(learner, b, 1, 0, 10), "creditedNow");
        clock.advanceSeconds(5);
        credited += ms(heartbeat(learner, b, 2, 15, 1, "ended", 10, 15), "creditedNow");
        assertEquals(30_000, credited);
    }

    @Test
    void watchTimeObeysTheWallClockToo() {
        // Before: watch time reached 12 s after 0.63 s (the tolerance granted on every heartbeat).
        UUID lesson = Learning.lesson(fixtures, 60);
        String s = Learning.startSession(learner, lesson, "d");
        Response last = null;
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofMillis(90));
            last = playing(learner, s, i + 1, i, i + 1);
        }
        last.then()
                .statusCode(200)
                .body("session.watchSeconds", equalTo(2.63f))
                .body("session.creditedSeconds", equalTo(2.63f));
    }

    @Test
    void anotherLearnersRequestsCostYourSessionNothing() {
        UUID lesson = Learning.lesson(fixtures, 60);
        String s = Learning.startSession(learner, lesson, "d");
        String intruder = Learning.newLearner();
        for (int i = 1; i <= 40; i++) {
            playing(intruder, s, i, 0, 1).then().statusCode(404);
        }
        clock.advanceSeconds(10);
        playing(learner, s, 1, 0, 10).then().statusCode(200).body("creditedNow", equalTo(10f));
    }

    private String grant(UUID lesson) {
        return given().auth()
                .oauth2(learner)
                .get("/api/v1/lessons/" + lesson + "/download")
                .then()
                .statusCode(200)
                .extract()
                .path("grant");
    }

    private Response sync(String... plays) {
        return given().auth()
                .oauth2(learner)
                .contentType("application/json")
                .body("{\"plays\":[" + String.join(",", plays) + "]}")
                .post("/api/v1/sessions/offline");
    }

    private static String play(UUID id, String grant, UUID lesson, Instant start, Instant end, double from, double to) {
        return "{\"playId\":\"" + id + "\",\"grant\":\"" + grant + "\",\"lessonId\":\"" + lesson
                + "\",\"deviceId\":\"tablet\"," + "\"startedAt\":\"" + start + "\",\"endedAt\":\"" + end
                + "\",\"played\":[[" + from + "," + to + "]]}";
    }

    @Test
    void adjacentOfflinePlaysEachEarnOnlyTheirSpan() {
        // Before: 12 adjacent 1 s plays each claiming 3 s credited 36 s.
        UUID lesson = Learning.lesson(fixtures, 60);
        String grant = grant(lesson);
        Instant t = clock.instant().plusSeconds(60);
        clock.advance(Duration.ofMinutes(10));
        String[] plays = new String[12];
        for (int i = 0; i < 12; i++) {
            plays[i] = play(UUID.randomUUID(), grant, lesson, t.plusSeconds(i), t.plusSeconds(i + 1), 3 * i, 3 * i + 3);
        }
        Response answer = sync(plays);
        answer.then()
                .statusCode(200)
                .body("results.status", equalTo(Collections.nCopies(12, "accepted")))
                .body("results[0].refused", equalTo(List.of("faster-than-real-time")))
                .body("results[0].refusedSeconds", equalTo(2f));
        long credited = 0;
        for (int i = 0; i < 12; i++) {
            credited += Math.round(answer.jsonPath().getDouble("results[" + i + "].creditedSeconds") * 1000);
        }
        assertEquals(12_000, credited);
    }

    @Test
    void anOfflinePlayEndingInTheFutureEarnsNothingUntilItsTimeHasCome() {
        // Before: a play ending 15 s after server time was accepted and credited 10 s at once.
        UUID lesson = Learning.lesson(fixtures, 60);
        String grant = grant(lesson);
        Instant now = clock.instant();
        String p = play(UUID.randomUUID(), grant, lesson, now.plusSeconds(5), now.plusSeconds(15), 0, 10);
        sync(p).then()
                .statusCode(200)
                .body("results[0].status", equalTo("rejected"))
                .body("results[0].reason", equalTo("in-the-future"))
                .body("results[0].creditedSeconds", equalTo(0f));
        clock.advanceSeconds(20);
        sync(p).then()
                .statusCode(200)
                .body("results[0].status", equalTo("accepted"))
                .body("results[0].creditedSeconds", equalTo(10f));
    }

    @Test
    void anOfflinePlayOverAnOnlineSessionSharesItsClock() {
        // Before: an offline play over an online session that had not yet sent a heartbeat: 23 s in 11.7 s.
        List<UUID> lessons = lessons(2, 60);
        String grant = grant(lessons.get(1));
        clock.advanceSeconds(30);
        Instant t = clock.instant();
        String s = Learning.startSession(learner, lessons.get(0), "phone");
        clock.advanceSeconds(11.7);
        long credited = Math.round(sync(play(UUID.randomUUID(), grant, lessons.get(1), t, t.plusSeconds(10), 0, 10))
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getDouble("results[0].creditedSeconds")
                * 1000);
        assertEquals(10_000, credited);
        credited += ms(playing(learner, s, 1, 0, 11.7), "creditedNow");
        assertEquals(13_700, credited);
        // And the other way round: online first, then an offline play over the same minute.
        clock.advanceSeconds(60);
        Instant u = clock.instant();
        String t2 = Learning.startSession(learner, lessons.get(0), "phone");
        clock.advanceSeconds(10);
        ms(playing(learner, t2, 1, 11.7, 21.7), "creditedNow");
        sync(play(UUID.randomUUID(), grant, lessons.get(1), u, u.plusSeconds(10), 10, 20))
                .then()
                .statusCode(200)
                .body("results[0].status", equalTo("accepted"))
                .body("results[0].creditedSeconds", equalTo(0f))
                .body("results[0].refused", equalTo(List.of("faster-than-real-time")));
    }
}
