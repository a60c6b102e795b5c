package cn.hongtong.statistics;

import static cn.hongtong.statistics.StatsEndpointsTest.get;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A learner who moves between two days of learning the same course has two activity rows, overall
 * and for the course; they are marked shared, and every answer still counts the learner once in
 * the total and once in each town they learned in (the counting skips the distinct step for the
 * rows of learners who never moved). In 漠河市 (232701), which no other test uses; exact values.
 */
@QuarkusTest
@TestProfile(ExactStatistics.class)
class ProfileChangeStatsTest {

    private static final String COUNTY = "232701";
    private static final String D1 = "2031-06-03";
    private static final String D2 = "2031-06-04";

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Test
    void aLearnerWhoMovedCountsOnceInTheTotalAndOnceInEachTown() throws InterruptedException {
        String townA =
                fixtures.queryString("SELECT code FROM region WHERE parent_code = $1 ORDER BY code LIMIT 1", COUNTY);
        String townB = fixtures.queryString(
                "SELECT code FROM region WHERE parent_code = $1 ORDER BY code OFFSET 1 LIMIT 1", COUNTY);
        UUID lesson = Learning.lesson(fixtures, 60);
        UUID course = UUID.fromString(fixtures.queryString("SELECT course_id::text FROM lesson WHERE id = $1", lesson));
        String mover = HandMadeFixture.learner(townA, null, "nurse");
        List<String> stayers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            stayers.add(HandMadeFixture.learner(townA, null, "nurse"));
        }
        UUID moverId = UUID.fromString(fixtures.queryString(
                "SELECT id::text FROM learner WHERE region_code = $1 " + "ORDER BY created_at LIMIT 1", townA));
        try {
            HandMadeFixture.play(clock, mover, lesson, HandMadeFixture.at(D1, "10:00:00"), 0, 30);
            for (String s : stayers) {
                HandMadeFixture.play(clock, s, lesson, HandMadeFixture.at(D1, "11:00:00"), 0, 30);
            }
            // The flusher attributes activity to the profile it finds: wait for D1, then move.
            clock.reset();
            fixtures.awaitLong(
                    "D1 flushed",
                    6 * 30_000L,
                    "SELECT coalesce(sum(h.credited_ms), 0) FROM hours_ledger h "
                            + "JOIN learner l ON l.id = h.learner_id WHERE l.region_code LIKE $1",
                    COUNTY + "%");
            given().auth()
                    .oauth2(mover)
                    .contentType("application/json")
                    .body("{\"displayName\":\"搬家\",\"profession\":\"nurse\",\"institutionId\":null,\"regionCode\":\""
                            + townB + "\"}")
                    .put("/api/v1/me")
                    .then()
                    .statusCode(200);
            HandMadeFixture.play(clock, mover, lesson, HandMadeFixture.at(D2, "10:00:00"), 30, 60);
        } finally {
            clock.reset();
        }
        fixtures.awaitLong(
                "D2 flushed",
                7 * 30_000L,
                "SELECT coalesce(sum(h.credited_ms), 0) FROM hours_ledger h "
                        + "JOIN learner l ON l.id = h.learner_id WHERE h.day BETWEEN '2031-06-03' AND '2031-06-04' "
                        + "AND h.lesson_id = $1",
                lesson);
        fixtures.awaitLong(
                "the mover's two course rows",
                2,
                "SELECT count(*) FROM course_activity WHERE learner_id = $1",
                moverId);

        // Two rows each, both marked; the stayers' single rows are not.
        assertEquals(
                2,
                fixtures.queryLong("SELECT count(*) FROM learner_activity WHERE learner_id = $1 AND shared", moverId));
        assertEquals(
                2,
                fixtures.queryLong("SELECT count(*) FROM course_activity WHERE learner_id = $1 AND shared", moverId));
        assertEquals(
                0,
                fixtures.queryLong(
                        "SELECT count(*) FROM course_activity a JOIN learner l ON l.id = a.learner_id "
                                + "WHERE l.region_code LIKE $1 AND a.learner_id <> $2 AND a.shared",
                        COUNTY + "%",
                        moverId));

        JsonPath overview = get("overview", "region", COUNTY, "from", D1, "to", D2);
        assertEquals(6, overview.getInt("activeLearners"), "the mover once");
        JsonPath byCourse = get("overview", "region", COUNTY, "from", D1, "to", D2, "course", course);
        assertEquals(6, byCourse.getInt("activeLearners"));
        JsonPath courses = get("courses", "region", COUNTY, "from", D1, "to", D2);
        assertEquals(6, courses.getInt("courses[0].learners"));
        JsonPath regions = get("regions", "region", COUNTY, "from", D1, "to", D2);
        Map<String, Object> a = regions.<Map<String, Object>>getList("regions").stream()
                .filter(r -> townA.equals(r.get("code")))
                .findFirst()
                .orElseThrow();
        assertEquals(6, a.get("activeLearners"), "town A: the mover learned there on D1");
        Map<String, Object> b = regions.<Map<String, Object>>getList("regions").stream()
                .filter(r -> townB.equals(r.get("code")))
                .findFirst()
                .orElseThrow();
        assertEquals(true, b.get("suppressed"), "town B: the mover alone");
        JsonPath professions = get("professions", "region", COUNTY, "from", D1, "to", D2);
        Map<String, Object> nurses = professions.<Map<String, Object>>getList("professions").stream()
                .filter(r -> "nurse".equals(r.get("code")))
                .findFirst()
                .orElseThrow();
        assertEquals(6, nurses.get("activeLearners"), "one profession, two rows: once");
    }
}
