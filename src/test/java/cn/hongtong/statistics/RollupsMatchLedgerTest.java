package cn.hongtong.statistics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.TestClock;
import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * After a mixed workload through the public API (heartbeats, resent and stale heartbeats, two
 * days, offline plays synced twice), every rollup equals what the raw ledger says, row for row,
 * and so do the endpoints' answers. Learners in 塔河县 (232722), used by no other test.
 */
@QuarkusTest
@TestProfile(ExactStatistics.class)
class RollupsMatchLedgerTest {

    static final String COUNTY = "232722";
    static final String DAY1 = "2031-06-10";
    static final String DAY2 = "2031-06-11";

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void rollupsEqualTheLedgerAfterAMixedWorkload() throws InterruptedException {
        UUID lesson1 = Learning.lesson(fixtures, 60);
        UUID lesson2 = Learning.lesson(fixtures, 60);
        List<String> towns = List.of("232722100", "232722101", "232722102");
        String[] professions = {"village-doctor", "nurse", "pharmacist"};
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String token = Learning.newLearner();
            given().auth()
                    .oauth2(token)
                    .contentType("application/json")
                    .body("{\"displayName\":\"对账\",\"profession\":\"" + professions[i % 3]
                            + "\",\"institutionId\":null," + "\"regionCode\":\"" + (i == 6 ? COUNTY : towns.get(i % 3))
                            + "\"}")
                    .put("/api/v1/me")
                    .then()
                    .statusCode(200);
            tokens.add(token);
        }
        double acknowledged = 0;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            clock.fixAt(HandMadeFixture.at(DAY1, "08:00:00"));
            String grant = given().auth()
                    .oauth2(t)
                    .get("/api/v1/lessons/" + lesson2 + "/download")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("grant");
            // Day 1: lesson 1, with a resent heartbeat, a stale one, and a gap.
            clock.fixAt(HandMadeFixture.at(DAY1, "10:00:00"));
            String s1 = Learning.startSession(t, lesson1, "phone");
            clock.advanceSeconds(10);
            Learning.playing(t, s1, 1, 0, 10).then().statusCode(200);
            clock.advanceSeconds(10);
            Learning.playing(t, s1, 2, 10, 20).then().statusCode(200);
            Learning.playing(t, s1, 2, 10, 20).then().statusCode(200);
            Learning.playing(t, s1, 1, 0, 10).then().statusCode(200);
            clock.advanceSeconds(10 + i);
            double day1 = Learning.playing(t, s1, 3, 20, 30 + i)
                    .then()
                    .statusCode(200)
                    .extract()
                    .<Float>path("session.creditedSeconds");
            // Day 2: lesson 2, and for every other learner the rest of lesson 1 (completing it).
            clock.fixAt(HandMadeFixture.at(DAY2, "09:00:00"));
            String s2 = Learning.startSession(t, lesson2, "phone");
            clock.advanceSeconds(10);
            Learning.playing(t, s2, 1, 0, 10).then().statusCode(200);
            clock.advanceSeconds(10);
            double day2 = Learning.playing(t, s2, 2, 10, 20)
                    .then()
                    .statusCode(200)
                    .extract()
                    .<Float>path("session.creditedSeconds");
            double rest = 0;
            if (i % 2 == 0) {
                clock.fixAt(HandMadeFixture.at(DAY2, "12:00:00"));
                String s3 = Learning.startSession(t, lesson1, "phone");
                int seq = 1;
                for (int from = 30 + i; from < 60; from += 10) {
                    int to = Math.min(60, from + 10);
                    clock.advanceSeconds(to - from);
                    rest = Learning.playing(t, s3, seq++, from, to)
                            .then()
                            .statusCode(200)
                            .extract()
                            .<Float>path("session.creditedSeconds");
                }
            }
            // Offline on day 2's evening, synced twice.
            clock.fixAt(HandMadeFixture.at(DAY2, "22:00:00"));
            Instant start = HandMadeFixture.at(DAY2, "20:00:00");
            String play =
                    "{\"playId\":\"" + UUID.randomUUID() + "\",\"grant\":\"" + grant + "\",\"lessonId\":\"" + lesson2
                            + "\",\"deviceId\":\"tablet\",\"startedAt\":\"" + start + "\",\"endedAt\":\""
                            + start.plus(Duration.ofSeconds(20))
                            + "\",\"played\":[[20,40]]}";
            double offline = 0;
            for (int attempt = 0; attempt < 2; attempt++) {
                offline = given().auth()
                        .oauth2(t)
                        .contentType("application/json")
                        .body("{\"plays\":[" + play + "]}")
                        .post("/api/v1/sessions/offline")
                        .then()
                        .statusCode(200)
                        .extract()
                        .<Float>path("results[0].creditedSeconds");
            }
            acknowledged += day1 + day2 + rest + offline;
        }
        clock.reset();
        fixtures.awaitLong(
                "what the server acknowledged reached the ledger",
                Math.round(acknowledged * 1000),
                "SELECT coalesce(sum(h.credited_ms), 0) FROM hours_ledger h JOIN learner l ON l.id = h.learner_id "
                        + "WHERE l.region_code LIKE '232722%'");
        Thread.sleep(500);

        String ledger =
                "(SELECT h.*, l.region_code AS region, coalesce(l.institution_id, 0) AS inst, l.profession AS prof "
                        + "FROM hours_ledger h JOIN learner l ON l.id = h.learner_id WHERE l.region_code LIKE '232722%')";
        String completions =
                "(SELECT p.completed_on AS day, p.course_id, l.region_code AS region, coalesce(l.institution_id, 0) AS inst, "
                        + "l.profession AS prof FROM lesson_progress p JOIN learner l ON l.id = p.learner_id "
                        + "WHERE l.region_code LIKE '232722%' AND p.completed_on IS NOT NULL)";
        String courses = "(SELECT c.day, c.course_id, l.region_code AS region, coalesce(l.institution_id, 0) AS inst, "
                + "l.profession AS prof FROM course_completion c JOIN learner l ON l.id = c.learner_id "
                + "WHERE l.region_code LIKE '232722%')";
        String raw0 =
                "SELECT day, course_id, region, inst, prof, sum(w) AS w, sum(c) AS c, sum(lc) AS lc, sum(cc) AS cc FROM ("
                        + "SELECT day, course_id, region, inst, prof, watch_ms AS w, credited_ms AS c, 0 AS lc, 0 AS cc FROM "
                        + ledger + " x "
                        + "UNION ALL SELECT day, course_id, region, inst, prof, 0, 0, 1, 0 FROM " + completions + " y "
                        + "UNION ALL SELECT day, course_id, region, inst, prof, 0, 0, 0, 1 FROM " + courses
                        + " z) AS f "
                        + "GROUP BY 1, 2, 3, 4, 5";
        String rolled0 = "SELECT day, course_id, region_code, institution_id, profession, watch_ms, credited_ms, "
                + "lesson_completions::bigint, course_completions::bigint FROM stats_daily WHERE grain = 0 AND region_code LIKE '232722%'";
        assertEquals(0, symmetricDifference(raw0, rolled0), "grain 0 equals the ledger");
        assertEquals(
                fixtures.queryLong("SELECT count(*) FROM (" + raw0 + ") AS r"),
                fixtures.queryLong("SELECT count(*) FROM (" + rolled0 + ") AS r"));
        String raw2 = "SELECT day, left(region, 6), prof, sum(w), sum(c), sum(lc), sum(cc) FROM (" + raw0
                + ") AS r GROUP BY 1, 2, 3";
        String rolled2 = "SELECT day, region_code, profession, watch_ms, credited_ms, lesson_completions::bigint, "
                + "course_completions::bigint FROM stats_daily WHERE grain = 2 AND region_code LIKE '232722%'";
        assertEquals(0, symmetricDifference(raw2, rolled2), "grain 2 equals the ledger");
        String raw1 = "SELECT day, course_id, sum(w), sum(c), sum(lc), sum(cc) FROM (" + raw0 + ") AS r "
                + "WHERE course_id IN (SELECT course_id FROM lesson WHERE id IN ('" + lesson1 + "', '" + lesson2
                + "')) GROUP BY 1, 2";
        String rolled1 =
                "SELECT day, course_id, watch_ms, credited_ms, lesson_completions::bigint, course_completions::bigint "
                        + "FROM stats_daily WHERE grain = 1 AND course_id IN (SELECT course_id FROM lesson WHERE id IN ('"
                        + lesson1 + "', '"
                        + lesson2 + "'))";
        assertEquals(0, symmetricDifference(raw1, rolled1), "grain 1 equals the ledger");
        // Learners per day, week and month, and the activity days.
        String rawDays =
                "SELECT day, left(region, 6), prof, count(DISTINCT learner_id) FROM " + ledger + " x GROUP BY 1, 2, 3";
        String rolledDays = "SELECT day, region_code, profession, day_learners::bigint FROM stats_daily "
                + "WHERE grain = 2 AND region_code LIKE '232722%'";
        assertEquals(0, symmetricDifference(rawDays, rolledDays), "learners per day");
        assertEquals(
                fixtures.queryLong("SELECT count(DISTINCT learner_id) FROM " + ledger + " x"),
                fixtures.queryLong(
                        "SELECT sum(week_learners) FROM stats_daily WHERE grain = 2 AND region_code LIKE '232722%'"));
        String rawActivity =
                "SELECT learner_id, course_id, range_agg(int4range(stats_day_number(day), stats_day_number(day) + 1)) "
                        + "FROM " + ledger + " x GROUP BY 1, 2";
        assertEquals(
                0,
                symmetricDifference(
                        rawActivity,
                        "SELECT learner_id, course_id, days FROM course_activity "
                                + "WHERE region_code LIKE '232722%'"),
                "course activity days");

        // The monthly grains are the daily ones summed per month; the activity rows carry the
        // learners' record keys.
        for (int grain = 0; grain <= 2; grain++) {
            String daily = "SELECT date_trunc('month', day)::date, course_id, region_code, institution_id, profession, "
                    + "sum(watch_ms), sum(credited_ms), sum(lesson_completions), sum(course_completions), sum(month_learners), "
                    + "sum(month_learner_keys) FROM stats_daily WHERE grain = " + grain
                    + " AND region_code LIKE '232722%' "
                    + "GROUP BY 1, 2, 3, 4, 5";
            String monthly = "SELECT day, course_id, region_code, institution_id, profession, watch_ms::numeric, "
                    + "credited_ms::numeric, lesson_completions::bigint, course_completions::bigint, month_learners::bigint, "
                    + "month_learner_keys::numeric FROM stats_daily WHERE grain = " + (grain + 3)
                    + " AND region_code LIKE '232722%'";
            assertEquals(
                    0,
                    symmetricDifference(daily, monthly),
                    "grain " + (grain + 3) + " is grain " + grain + " per month");
        }
        assertEquals(
                0,
                fixtures.queryLong("SELECT count(*) FROM course_activity a JOIN learner l ON l.id = a.learner_id "
                        + "WHERE a.region_code LIKE '232722%' AND a.record_key <> l.record_key"));
        assertEquals(
                0,
                fixtures.queryLong("SELECT count(*) FROM learner_activity a JOIN learner l ON l.id = a.learner_id "
                        + "WHERE a.region_code LIKE '232722%' AND a.record_key <> l.record_key"));

        // The endpoints give the raw ledger's answers.
        JsonPath o = JsonPath.from(given().auth()
                .oauth2(Tokens.of("analyst"))
                .queryParam("region", COUNTY)
                .queryParam("from", DAY1)
                .queryParam("to", DAY2)
                .get("/api/v1/stats/overview")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertEquals(
                fixtures.queryLong("SELECT count(DISTINCT learner_id) FROM " + ledger + " x"),
                o.getLong("activeLearners"));
        assertEquals(
                hours(fixtures.queryLong("SELECT sum(credited_ms) FROM " + ledger + " x")),
                new BigDecimal(o.getString("creditedHours")));
        assertEquals(
                hours(fixtures.queryLong("SELECT sum(watch_ms) FROM " + ledger + " x")),
                new BigDecimal(o.getString("watchHours")));
        assertEquals(fixtures.queryLong("SELECT count(*) FROM " + completions + " y"), o.getLong("lessonCompletions"));
        JsonPath days = JsonPath.from(given().auth()
                .oauth2(Tokens.of("analyst"))
                .queryParam("region", COUNTY)
                .queryParam("from", DAY1)
                .queryParam("to", DAY2)
                .queryParam("granularity", "day")
                .get("/api/v1/stats/series")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertEquals(
                List.of(
                        fixtures.queryLong(
                                "SELECT count(DISTINCT learner_id) FROM " + ledger + " x WHERE day = '" + DAY1 + "'"),
                        fixtures.queryLong(
                                "SELECT count(DISTINCT learner_id) FROM " + ledger + " x WHERE day = '" + DAY2 + "'")),
                days.getList("points.activeLearners", Long.class));
    }

    private long symmetricDifference(String a, String b) {
        return fixtures.queryLong("SELECT count(*) FROM (((" + a + ") EXCEPT ALL (" + b + ")) UNION ALL ((" + b
                + ") EXCEPT ALL (" + a + "))) AS d");
    }

    private static BigDecimal hours(long ms) {
        return BigDecimal.valueOf(ms).divide(BigDecimal.valueOf(3_600_000), 4, RoundingMode.HALF_UP);
    }
}
