package cn.hongtong.statistics;

import static io.restassured.RestAssured.given;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.TestClock;
import cn.hongtong.testsupport.Tokens;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A small, hand-made population in 呼玛县 (232721), a county no other test uses, learning on
 * 2031-05-06 (D1, a Tuesday) and 2031-05-07 (D2) through the public API, as the apps do. Every
 * lesson lasts 60 s. Who plays what (seconds of the lesson; every second is credited):
 *
 * <pre>
 * learner  where (profession, institution)               D1                    D2
 * a1       village 232721100200 (village doctor, clinic) A1 0-60               A2 0-60  -> course A done
 * a2..a5   same                                          A1 0-60 each
 * a6       same                                          A1 0-30
 * b        same                                          A1 0-30 (23:59:25-55) A1 30-60 (00:00:05-25)
 * n1..n5   township 232721101 (nurse, health center)                           B1 0-36 each
 * s1, s2   township 232721200 (general practitioner)                           B1 0-36 each
 * </pre>
 *
 * Hand-computed: D1 360 s by 7 learners (a1..a6, b), 5 lessons completed (A1 by a1..a5); D2 342 s
 * by 9 learners (a1, b, n1..n5, s1, s2), 2 lessons completed (A2 by a1, A1 by b), 1 course (A by
 * a1). Period D1..D2: 14 learners, 702 s = 0.1950 h, 7 lesson completions, 1 course completion.
 */
final class HandMadeFixture {

    static final String COUNTY = "232721";
    static final String VILLAGE = "232721100200";
    static final String TOWN_A = "232721100";
    static final String TOWN_N = "232721101";
    static final String TOWN_S = "232721200";
    static final String D1 = "2031-05-06";
    static final String D2 = "2031-05-07";
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    static UUID courseA;
    static UUID courseB;
    static UUID lessonA1;
    static UUID lessonA2;
    static UUID lessonB1;
    static long clinic;
    static long healthCenter;
    private static boolean built;

    private HandMadeFixture() {}

    static synchronized void build(Fixtures fixtures, TestClock clock) throws InterruptedException {
        if (built) {
            return;
        }
        clinic = fixtures.queryLong(
                "SELECT id FROM institution WHERE region_code = $1 AND kind = 'village-clinic'", VILLAGE);
        healthCenter = fixtures.queryLong(
                "SELECT id FROM institution WHERE region_code = $1 AND kind = 'township-health-center'", TOWN_N);
        String editor = Tokens.of("editor");
        UUID[] a = course(editor, fixtures, "急救统计课程A " + UUID.randomUUID(), "first-aid", 2);
        UUID[] b = course(editor, fixtures, "用药统计课程B " + UUID.randomUUID(), "pharmacy", 1);
        courseA = a[0];
        lessonA1 = a[1];
        lessonA2 = a[2];
        courseB = b[0];
        lessonB1 = b[1];

        // Logins first: Keycloak checks the bridge's assertions against real time.
        List<String> as = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            as.add(learner(VILLAGE, clinic, "village-doctor"));
        }
        List<String> ns = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ns.add(learner(TOWN_N, healthCenter, "nurse"));
        }
        List<String> ss =
                List.of(learner(TOWN_S, null, "general-practitioner"), learner(TOWN_S, null, "general-practitioner"));
        try {
            play(clock, as.get(0), lessonA1, at(D1, "10:00:00"), 0, 60);
            play(clock, as.get(0), lessonA2, at(D2, "10:00:00"), 0, 60);
            for (int i = 1; i <= 4; i++) {
                play(clock, as.get(i), lessonA1, at(D1, "10:00:00"), 0, 60);
            }
            play(clock, as.get(5), lessonA1, at(D1, "10:00:00"), 0, 30);
            play(clock, as.get(6), lessonA1, at(D1, "23:59:25"), 0, 60);
            for (String n : ns) {
                play(clock, n, lessonB1, at(D2, "11:00:00"), 0, 36);
            }
            for (String s : ss) {
                play(clock, s, lessonB1, at(D2, "11:00:00"), 0, 36);
            }
        } finally {
            clock.reset();
        }
        fixtures.awaitLong(
                "flushed credited",
                702_000,
                "SELECT coalesce(sum(h.credited_ms), 0) FROM hours_ledger h "
                        + "JOIN learner l ON l.id = h.learner_id WHERE l.region_code LIKE '232721%'");
        fixtures.awaitLong(
                "flushed course completions",
                1,
                "SELECT count(*) FROM course_completion WHERE course_id = $1",
                courseA);
        fixtures.awaitLong(
                "flushed lesson completions",
                7,
                "SELECT count(*) FROM lesson_progress WHERE completed_on IS NOT NULL " + "AND course_id IN ($1, $2)",
                courseA,
                courseB);
        built = true;
    }

    static Instant at(String day, String time) {
        return LocalDateTime.parse(day + "T" + time).atZone(SHANGHAI).toInstant();
    }

    /** A published course of {@code lessons} 60-second lessons: its id, then its lessons' ids. */
    private static UUID[] course(String editor, Fixtures fixtures, String title, String category, int lessons) {
        String id = given().auth()
                .oauth2(editor)
                .contentType("application/json")
                .body("{\"title\":\"" + title + "\",\"summary\":\"统计测试\",\"categoryCode\":\"" + category + "\","
                        + "\"creditClass\":\"II\",\"creditHours\":1.0}")
                .post("/api/v1/admin/courses")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        UUID[] out = new UUID[lessons + 1];
        out[0] = UUID.fromString(id);
        for (int i = 0; i < lessons; i++) {
            String lesson = given().auth()
                    .oauth2(editor)
                    .contentType("application/json")
                    .body("{\"title\":\"第" + (i + 1) + "讲\",\"mediaAssetId\":\"" + fixtures.asset("ready", 60) + "\"}")
                    .post("/api/v1/admin/courses/" + id + "/lessons")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("lessons[" + i + "].id");
            out[i + 1] = UUID.fromString(lesson);
        }
        given().auth()
                .oauth2(editor)
                .post("/api/v1/admin/courses/" + id + "/publish")
                .then()
                .statusCode(200);
        return out;
    }

    static String learner(String region, Long institution, String profession) {
        String token = Learning.newLearner();
        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{\"displayName\":\"统计\",\"profession\":\"" + profession + "\",\"institutionId\":" + institution
                        + ",\"regionCode\":\"" + region + "\"}")
                .put("/api/v1/me")
                .then()
                .statusCode(200);
        return token;
    }

    /** Plays seconds {@code from} to {@code to} from {@code start}, a heartbeat every 10 s of server time. */
    static void play(TestClock clock, String token, UUID lesson, Instant start, int from, int to) {
        clock.fixAt(start);
        String session = Learning.startSession(token, lesson, "tablet");
        int seq = 1;
        for (int s = from; s < to; s += 10) {
            int e = Math.min(to, s + 10);
            clock.advanceSeconds(e - s);
            Learning.playing(token, session, seq++, s, e).then().statusCode(200);
        }
        Learning.end(token, session).then().statusCode(200);
    }
}
