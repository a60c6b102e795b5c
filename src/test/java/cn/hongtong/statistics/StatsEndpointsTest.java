package cn.hongtong.statistics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every statistics endpoint against the hand-made fixture: the numbers are written down by hand,
 * so the perturbation is off here ({@link StatsProtectionTest} checks it).
 */
@QuarkusTest
@TestProfile(ExactStatistics.class)
class StatsEndpointsTest extends HandMadePopulationTest {

    static final RestAssuredConfig DECIMALS = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(NumberReturnType.BIG_DECIMAL));

    static JsonPath get(String path, Object... params) {
        var request = given().config(DECIMALS).auth().oauth2(Tokens.of("analyst"));
        for (int i = 0; i < params.length; i += 2) {
            request = request.queryParam((String) params[i], params[i + 1]);
        }
        return request.get("/api/v1/stats/" + path)
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .jsonPath();
    }

    static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    @Test
    void overviewOfBothDays() {
        JsonPath o =
                get("overview", "region", HandMadeFixture.COUNTY, "from", HandMadeFixture.D1, "to", HandMadeFixture.D2);
        assertEquals(14, o.getInt("registeredLearners"));
        assertEquals(14, o.getInt("activeLearners"));
        assertEquals(d("0.1950"), o.get("watchHours"));
        assertEquals(d("0.1950"), o.get("creditedHours"));
        assertEquals(7, o.getInt("lessonCompletions"));
        assertEquals(1, o.getInt("courseCompletions"));
        assertFalse(o.getBoolean("suppressed"));
        assertEquals("呼玛县", o.getString("filters.region.name"));
        assertEquals("exact", o.getString("suppression.method"));
    }

    @Test
    void theDayEndsAtMidnightInShanghai() {
        // b's first 30 s (23:59:25-55) belong to D1, the next 30 s (00:00:05-25) to D2.
        JsonPath d1 =
                get("overview", "region", HandMadeFixture.COUNTY, "from", HandMadeFixture.D1, "to", HandMadeFixture.D1);
        assertEquals(7, d1.getInt("activeLearners"));
        assertEquals(d("0.1000"), d1.get("creditedHours"));
        assertEquals(5, d1.getInt("lessonCompletions"));
        assertEquals(0, d1.getInt("courseCompletions"));
        JsonPath d2 =
                get("overview", "region", HandMadeFixture.COUNTY, "from", HandMadeFixture.D2, "to", HandMadeFixture.D2);
        assertEquals(9, d2.getInt("activeLearners"));
        assertEquals(d("0.0950"), d2.get("creditedHours"));
        assertEquals(2, d2.getInt("lessonCompletions"));
        assertEquals(1, d2.getInt("courseCompletions"));
    }

    @Test
    void dailyWeeklyAndMonthlySeries() {
        JsonPath days = get(
                "series",
                "region",
                HandMadeFixture.COUNTY,
                "from",
                HandMadeFixture.D1,
                "to",
                HandMadeFixture.D2,
                "granularity",
                "day");
        assertEquals(List.of(HandMadeFixture.D1, HandMadeFixture.D2), days.getList("points.start"));
        assertEquals(List.of(7, 9), days.getList("points.activeLearners"));
        assertEquals(List.of(d("0.1000"), d("0.0950")), days.getList("points.creditedHours"));
        assertEquals(List.of(5, 2), days.getList("points.lessonCompletions"));
        assertEquals(List.of(0, 1), days.getList("points.courseCompletions"));
        assertEquals(List.of(14, 14), days.getList("points.registeredLearners"));
        assertEquals(14, days.getInt("total.activeLearners"));
        // One week (Monday 2031-05-05, clipped to the period) and one month, each counting a learner once.
        for (String granularity : List.of("week", "month")) {
            JsonPath one = get(
                    "series",
                    "region",
                    HandMadeFixture.COUNTY,
                    "from",
                    HandMadeFixture.D1,
                    "to",
                    HandMadeFixture.D2,
                    "granularity",
                    granularity);
            assertEquals(List.of(HandMadeFixture.D1), one.getList("points.start"), granularity);
            assertEquals(List.of(HandMadeFixture.D2), one.getList("points.end"), granularity);
            assertEquals(List.of(14), one.getList("points.activeLearners"), granularity);
            assertEquals(List.of(d("0.1950")), one.getList("points.watchHours"), granularity);
            // The total: its learners counted in the same pass as the clipped bucket, its sums the buckets'.
            assertEquals(14, one.getInt("total.activeLearners"), granularity);
            assertEquals(14, one.getInt("total.registeredLearners"), granularity);
            assertEquals(d("0.1950"), one.get("total.watchHours"), granularity);
            assertEquals(7, one.getInt("total.lessonCompletions"), granularity);
        }
        // Whole weeks come from the per-week counts: the week of D1 and D2 (Mon 05-05 to Sun 05-11),
        // and the empty week after it.
        JsonPath weeks = get(
                "series",
                "region",
                HandMadeFixture.COUNTY,
                "from",
                "2031-05-05",
                "to",
                "2031-05-18",
                "granularity",
                "week");
        assertEquals(List.of("2031-05-05", "2031-05-12"), weeks.getList("points.start"));
        assertEquals(List.of(14, 0), weeks.getList("points.activeLearners"));
        JsonPath month = get(
                "series",
                "region",
                HandMadeFixture.COUNTY,
                "from",
                "2031-05-01",
                "to",
                "2031-05-31",
                "granularity",
                "month");
        assertEquals(List.of(14), month.getList("points.activeLearners"));
        assertEquals(List.of(7), month.getList("points.lessonCompletions"));
    }

    @Test
    void perCourseSortedAndComputed() {
        JsonPath c = get(
                "courses",
                "region",
                HandMadeFixture.COUNTY,
                "from",
                HandMadeFixture.D1,
                "to",
                HandMadeFixture.D2,
                "sort",
                "credited-hours");
        assertEquals(
                List.of(HandMadeFixture.courseA.toString(), HandMadeFixture.courseB.toString()),
                c.getList("courses.courseId"));
        // A: a1..a6 and b; 450 s; a1 completed it. B: five nurses and two doctors, 36 s each.
        assertEquals(List.of(7, 7), c.getList("courses.learners"));
        assertEquals(List.of(1, 0), c.getList("courses.courseCompletions"));
        assertEquals(List.of(d("0.1429"), d("0.0000")), c.getList("courses.completionRate"));
        assertEquals(List.of(d("0.1250"), d("0.0700")), c.getList("courses.creditedHours"));
        assertEquals(List.of(d("1.07"), d("0.60")), c.getList("courses.avgCreditedMinutes"));
        assertEquals(List.of(7, 0), c.getList("courses.lessonCompletions"));
        assertEquals("first-aid", c.getString("courses[0].category"));
        JsonPath asc = get(
                "courses",
                "region",
                HandMadeFixture.COUNTY,
                "from",
                HandMadeFixture.D1,
                "to",
                HandMadeFixture.D2,
                "sort",
                "avg-credited-minutes",
                "order",
                "asc");
        assertEquals(
                List.of(HandMadeFixture.courseB.toString(), HandMadeFixture.courseA.toString()),
                asc.getList("courses.courseId"));
        JsonPath byCategory = get(
                "overview",
                "region",
                HandMadeFixture.COUNTY,
                "from",
                HandMadeFixture.D1,
                "to",
                HandMadeFixture.D2,
                "category",
                "pharmacy");
        assertEquals(7, byCategory.getInt("activeLearners"));
        assertEquals(d("0.0700"), byCategory.get("creditedHours"));
        JsonPath byCourse = get(
                "overview",
                "region",
                HandMadeFixture.COUNTY,
                "from",
                HandMadeFixture.D1,
                "to",
                HandMadeFixture.D2,
                "course",
                HandMadeFixture.courseA);
        assertEquals(7, byCourse.getInt("activeLearners"));
        assertEquals(1, byCourse.getInt("courseCompletions"));
    }

    @Test
    void perRegionHidesTheSmallTown() {
        JsonPath r =
                get("regions", "region", HandMadeFixture.COUNTY, "from", HandMadeFixture.D1, "to", HandMadeFixture.D2);
        Map<String, Object> a = row(r.getList("regions"), HandMadeFixture.TOWN_A);
        assertEquals("呼玛镇", a.get("name"));
        assertEquals(4, a.get("level"));
        assertEquals(7, a.get("activeLearners"));
        assertEquals(7, a.get("registeredLearners"));
        assertEquals(d("0.1250"), a.get("creditedHours"));
        assertEquals(7, a.get("lessonCompletions"));
        assertEquals(1, a.get("courseCompletions"));
        // 三卡乡 has 2 learners: hidden. 韩家园镇 has 5: shown (what keeps the total minus the
        // visible towns from giving 三卡乡 is the perturbation, off in this test).
        Map<String, Object> hidden = row(r.getList("regions"), HandMadeFixture.TOWN_S);
        assertEquals(true, hidden.get("suppressed"));
        assertNull(hidden.get("activeLearners"));
        assertNull(hidden.get("creditedHours"));
        assertEquals(5, row(r.getList("regions"), HandMadeFixture.TOWN_N).get("activeLearners"));
        assertEquals(14, r.getInt("total.activeLearners"));
        assertEquals(d("0.1950"), r.get("total.creditedHours"));
        // Every township of the county is listed; those without learners show zeros.
        assertEquals(8, r.getList("regions").size());
        Map<String, Object> quiet = row(r.getList("regions"), "232721202");
        assertEquals(0, quiet.get("activeLearners"));
        assertEquals(false, quiet.get("suppressed"));
    }

    @Test
    void perInstitutionAndPerProfession() {
        JsonPath i = get(
                "institutions", "region", HandMadeFixture.COUNTY, "from", HandMadeFixture.D1, "to", HandMadeFixture.D2);
        Map<String, Object> clinic = i.getList("institutions", Map.class).stream()
                .filter(m -> ((Number) m.get("id")).longValue() == HandMadeFixture.clinic)
                .findFirst()
                .orElseThrow();
        assertEquals("village-clinic", clinic.get("kind"));
        assertEquals(7, clinic.get("activeLearners"));
        assertEquals(d("0.1250"), clinic.get("creditedHours"));
        // The health center (5) is shown; the two doctors who gave no institution are hidden.
        assertEquals(List.of(false, false, true), i.getList("institutions.suppressed"));
        JsonPath p = get(
                "professions", "region", HandMadeFixture.COUNTY, "from", HandMadeFixture.D1, "to", HandMadeFixture.D2);
        Map<String, Object> doctors = row(p.getList("professions"), "village-doctor", "code");
        assertEquals("乡村医生", doctors.get("name"));
        assertEquals(7, doctors.get("activeLearners"));
        assertEquals(d("0.1250"), doctors.get("watchHours"));
        assertEquals(
                true,
                row(p.getList("professions"), "general-practitioner", "code").get("suppressed"));
        assertEquals(5, row(p.getList("professions"), "nurse", "code").get("activeLearners"));
        assertEquals(0, row(p.getList("professions"), "pharmacist", "code").get("activeLearners"));
        JsonPath en = JsonPath.from(given().auth()
                .oauth2(Tokens.of("analyst"))
                .header("Accept-Language", "en")
                .queryParam("region", HandMadeFixture.COUNTY)
                .get("/api/v1/stats/professions")
                .asString());
        assertEquals("Village doctor", en.getString("professions[0].name"));
    }

    @Test
    void retentionCurveFromWatchedIntervals() {
        // A1's viewers: a1..a5 and b watched all of it, a6 the first half.
        JsonPath a1 = get("lessons/" + HandMadeFixture.lessonA1 + "/retention", "region", HandMadeFixture.COUNTY);
        assertEquals(7, a1.getInt("viewers"));
        List<BigDecimal> shares = a1.getList("points.share");
        assertEquals(100, shares.size());
        assertEquals(d("1.0000"), shares.get(0));
        assertEquals(d("1.0000"), shares.get(49));
        assertEquals(d("0.8571"), shares.get(50));
        assertEquals(d("0.8571"), shares.get(99));
        // B1: everyone watched 0-36 s of 60: percentiles 1..60 fully, none after.
        JsonPath b1 = get("lessons/" + HandMadeFixture.lessonB1 + "/retention", "region", HandMadeFixture.COUNTY);
        List<BigDecimal> b = b1.getList("points.share");
        assertEquals(d("1.0000"), b.get(59));
        assertEquals(d("0.0000"), b.get(60));
        // A2 had one viewer: hidden.
        JsonPath a2 = get("lessons/" + HandMadeFixture.lessonA2 + "/retention", "region", HandMadeFixture.COUNTY);
        assertTrue(a2.getBoolean("suppressed"));
        assertNull(a2.get("viewers"));
        assertNull(a2.get("points[0].share"));
    }

    static Map<String, Object> row(List<Map<String, Object>> rows, String code) {
        return row(rows, code, "code");
    }

    static Map<String, Object> row(List<Map<String, Object>> rows, String value, String key) {
        return rows.stream()
                .filter(m -> value.equals(m.get(key)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + key + "=" + value + " in " + rows));
    }
}
