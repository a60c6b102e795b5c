package cn.hongtong.statistics;

import static cn.hongtong.statistics.StatsEndpointsTest.d;
import static cn.hongtong.statistics.StatsEndpointsTest.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: the differencing attacks that recovered hidden values from wave 1's answers, replayed
 * against the hand-made population (whose true numbers are written down in
 * {@link HandMadeFixture} and checked exactly in {@link StatsEndpointsTest}): over periods, a
 * parent against its children, one dimension against another. With the cell-key perturbation
 * none of them gives the hidden value; the same cell asked two ways gives the same answer; every
 * published value stays within the stated bounds of the truth.
 */
@QuarkusTest
class StatsProtectionTest extends HandMadePopulationTest {

    private static final String COUNTY = HandMadeFixture.COUNTY;
    private static final String D1 = HandMadeFixture.D1;
    private static final String D2 = HandMadeFixture.D2;

    @Test
    void answersSayHowTheyAreProtected() {
        JsonPath o = get("overview", "region", COUNTY, "from", D1, "to", D2);
        assertEquals("cell-key", o.getString("suppression.method"));
        assertEquals(5, o.getInt("suppression.minLearners"));
        assertEquals(2, o.getInt("suppression.maxCountNoise"));
        // Within the bounds of the truth (14 learners, 0.1950 h, 7 and 1 completions).
        assertWithin(14, o.getInt("activeLearners"));
        assertWithin(14, o.getInt("registeredLearners"));
        assertWithin(7, o.getInt("lessonCompletions"));
        assertTrue(Math.abs(o.<BigDecimal>get("creditedHours").doubleValue() - 0.1950) <= 0.1950 / 14 + 0.0002);
    }

    @Test
    void twoOverlappingPeriodsDoNotGiveTheDayBetweenThem() {
        BigDecimal both =
                get("overview", "region", COUNTY, "from", D1, "to", D2).get("creditedHours");
        BigDecimal first =
                get("overview", "region", COUNTY, "from", D1, "to", D1).get("creditedHours");
        assertNotEquals(d("0.0950"), both.subtract(first), "D2's credited hours, by subtraction");
        // The daily series suppresses nothing here, but the same holds for each of its days.
        JsonPath days = get("series", "region", COUNTY, "from", D1, "to", D2, "granularity", "day");
        assertNotEquals(d("0.1000"), both.subtract(days.<BigDecimal>get("points[1].creditedHours")));
    }

    @Test
    void aParentMinusItsVisibleChildrenIsNotTheHiddenChild() {
        JsonPath r = get("regions", "region", COUNTY, "from", D1, "to", D2);
        Map<String, Object> small = row(r.getList("regions"), HandMadeFixture.TOWN_S);
        assertEquals(true, small.get("suppressed"), "三卡乡: two learners");
        assertNull(small.get("creditedHours"));
        BigDecimal estimate = r.<BigDecimal>get("total.creditedHours");
        for (Map<String, Object> row : r.<Map<String, Object>>getList("regions")) {
            if (row.get("creditedHours") != null) {
                estimate = estimate.subtract(
                        new BigDecimal(row.get("creditedHours").toString()));
            }
        }
        assertNotEquals(d("0.0200"), estimate, "三卡乡's two doctors, 36 s each");
        // Its own overview (a region of two learners) is hidden as well.
        assertNull(get("overview", "region", HandMadeFixture.TOWN_S, "from", D1, "to", D2)
                .get("creditedHours"));
    }

    @Test
    void oneDimensionAgainstAnotherDoesNotGiveTheHiddenGroup() {
        // The two general practitioners are hidden among professions; every other profession is
        // shown, and so is the county's total.
        JsonPath p = get("professions", "region", COUNTY, "from", D1, "to", D2);
        assertEquals(true, row(p.getList("professions"), "general-practitioner").get("suppressed"));
        BigDecimal estimate = p.<BigDecimal>get("total.creditedHours");
        for (Map<String, Object> row : p.<Map<String, Object>>getList("professions")) {
            if (row.get("creditedHours") != null) {
                estimate = estimate.subtract(
                        new BigDecimal(row.get("creditedHours").toString()));
            }
        }
        assertNotEquals(d("0.0200"), estimate);
        // Against institutions: the same two learners are the group without an institution.
        JsonPath i = get("institutions", "region", COUNTY, "from", D1, "to", D2);
        BigDecimal viaInstitutions = i.<BigDecimal>get("total.creditedHours");
        for (Map<String, Object> row : i.<Map<String, Object>>getList("institutions")) {
            if (row.get("creditedHours") != null) {
                viaInstitutions = viaInstitutions.subtract(
                        new BigDecimal(row.get("creditedHours").toString()));
            }
        }
        assertNotEquals(d("0.0200"), viaInstitutions);
    }

    @Test
    void theSameCellAskedTwoWaysGivesTheSameAnswer() {
        // A town's row in its county's answer, and the town's own overview: the same learners.
        Map<String, Object> townRow =
                row(get("regions", "region", COUNTY, "from", D1, "to", D2).getList("regions"), HandMadeFixture.TOWN_A);
        JsonPath town = get("overview", "region", HandMadeFixture.TOWN_A, "from", D1, "to", D2);
        for (String m :
                List.of("activeLearners", "registeredLearners", "creditedHours", "watchHours", "lessonCompletions")) {
            assertEquals(
                    new BigDecimal(townRow.get(m).toString()),
                    new BigDecimal(town.get(m).toString()),
                    m);
        }
        // A day of the daily series (its distinct learners from the per-day counts and their key
        // sums) and the overview of that day (from the learners' activity rows).
        JsonPath days = get("series", "region", COUNTY, "from", D1, "to", D2, "granularity", "day");
        for (int i = 0; i < 2; i++) {
            String day = i == 0 ? D1 : D2;
            JsonPath one = get("overview", "region", COUNTY, "from", day, "to", day);
            assertEquals(one.getInt("activeLearners"), days.getInt("points[" + i + "].activeLearners"), day);
            assertEquals(one.<BigDecimal>get("creditedHours"), days.get("points[" + i + "].creditedHours"), day);
        }
        // A week of the weekly series and the overview of that whole week.
        JsonPath week =
                get("series", "region", COUNTY, "from", "2031-05-05", "to", "2031-05-11", "granularity", "week");
        JsonPath wholeWeek = get("overview", "region", COUNTY, "from", "2031-05-05", "to", "2031-05-11");
        assertEquals(wholeWeek.getInt("activeLearners"), week.getInt("points[0].activeLearners"));
        assertWithin(14, week.getInt("points[0].activeLearners"));
    }

    @Test
    void retentionIsPerturbedWithinBounds() {
        JsonPath a1 = get("lessons/" + HandMadeFixture.lessonA1 + "/retention", "region", COUNTY);
        assertWithin(7, a1.getInt("viewers"));
        List<BigDecimal> shares = a1.getList("points.share");
        assertEquals(100, shares.size());
        for (BigDecimal share : shares) {
            assertTrue(share.signum() >= 0 && share.compareTo(BigDecimal.ONE) <= 0, share.toString());
        }
    }

    private static void assertWithin(long truth, long published) {
        assertTrue(Math.abs(published - truth) <= 2 && published >= 5, truth + " published as " + published);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> row(List<?> rows, String code) {
        return (Map<String, Object>) rows.stream()
                .filter(r -> code.equals(((Map<String, Object>) r).get("code")))
                .findFirst()
                .orElseThrow();
    }
}
