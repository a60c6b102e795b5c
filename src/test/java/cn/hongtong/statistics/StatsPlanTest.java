package cn.hongtong.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.statistics.Rollups.Grain;
import cn.hongtong.statistics.StatsPlan.Grouping;
import cn.hongtong.statistics.StatsPlan.Query;
import cn.hongtong.testsupport.Fast;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The plan of a statistics query, without PostgreSQL: which grain of {@code stats_daily} answers
 * it (checked against what each grain keeps, stated here independently of the code), the buckets
 * of a series, and the whole months of a period.
 */
@Fast
class StatsPlanTest {

    private static final LocalDate EPOCH = LocalDate.of(2024, 1, 1);

    /** What each grain keeps, from migration V8: the rows a query needs must be there. */
    static boolean canAnswer(Grain grain, Query q) {
        int regionDigits = Math.max(q.region().length(), q.grouping() == Grouping.REGION ? q.childLength() : 0);
        return switch (grain) {
            case DETAIL -> true;
            case COURSE_PROVINCE ->
                regionDigits <= 2 && q.grouping() != Grouping.INSTITUTION && q.grouping() != Grouping.PROFESSION;
            case COUNTY_PROFESSION -> regionDigits <= 6 && !q.courseDimension() && q.grouping() != Grouping.INSTITUTION;
        };
    }

    @Property(tries = 2000)
    void theChosenGrainCanAnswerAndTheFullDetailIsTheLastResort(@ForAll("queries") Query q) {
        Grain grain = StatsPlan.grain(q);
        assertTrue(canAnswer(grain, q), () -> grain + " cannot answer " + q);
        if (grain == Grain.DETAIL) {
            assertFalse(canAnswer(Grain.COURSE_PROVINCE, q) || canAnswer(Grain.COUNTY_PROFESSION, q), q::toString);
        }
        // Without courses, the all-courses grain (it also holds the learner counts) is preferred.
        if (canAnswer(Grain.COUNTY_PROFESSION, q)) {
            assertEquals(Grain.COUNTY_PROFESSION, grain, q::toString);
        }
    }

    @Property(tries = 2000)
    void aSeriesBucketsCoverThePeriodEachDayOnce(
            @ForAll @IntRange(min = 0, max = 900) int start,
            @ForAll @IntRange(min = 0, max = 800) int length,
            @ForAll("times") Grouping grouping) {
        Query q = query(EPOCH.plusDays(start), EPOCH.plusDays(start + length), grouping);
        List<LocalDate> starts = StatsPlan.bucketStarts(q);
        assertFalse(starts.isEmpty());
        assertFalse(starts.get(0).isAfter(q.from()));
        assertFalse(StatsPlan.bucketEnd(grouping, starts.get(0)).isBefore(q.from()));
        LocalDate last = starts.get(starts.size() - 1);
        assertFalse(last.isAfter(q.to()));
        assertFalse(StatsPlan.bucketEnd(grouping, last).isBefore(q.to()));
        for (int i = 0; i < starts.size(); i++) {
            LocalDate b = starts.get(i);
            LocalDate end = StatsPlan.bucketEnd(grouping, b);
            switch (grouping) {
                case DAY -> assertEquals(b, end);
                case WEEK -> {
                    assertEquals(DayOfWeek.MONDAY, b.getDayOfWeek());
                    assertEquals(b.plusDays(6), end);
                }
                default -> {
                    assertEquals(1, b.getDayOfMonth());
                    assertEquals(b.lengthOfMonth(), end.getDayOfMonth());
                }
            }
            if (i + 1 < starts.size()) {
                assertEquals(end.plusDays(1), starts.get(i + 1), "buckets are consecutive");
            }
        }
    }

    @Property(tries = 2000)
    void theWholeMonthsAreEveryCalendarMonthInsideThePeriodAndNoOther(
            @ForAll @IntRange(min = 0, max = 900) int start, @ForAll @IntRange(min = 0, max = 400) int length) {
        LocalDate from = EPOCH.plusDays(start);
        LocalDate to = from.plusDays(length);
        LocalDate[] whole = StatsPlan.wholeMonths(from, to);
        // Brute force: every month whose first and last days both fall within [from, to].
        LocalDate first = null;
        LocalDate last = null;
        for (LocalDate m = from.withDayOfMonth(1); !m.isAfter(to); m = m.plusMonths(1)) {
            if (!m.isBefore(from) && !m.plusMonths(1).minusDays(1).isAfter(to)) {
                first = first == null ? m : first;
                last = m;
            }
        }
        if (first == null) {
            assertNull(whole);
        } else {
            assertNotNull(whole);
            assertEquals(first, whole[0]);
            assertEquals(last, whole[1]);
        }
    }

    @Provide
    Arbitrary<Query> queries() {
        Arbitrary<String> region = Arbitraries.of("", "52", "5201", "520102", "520102001");
        Arbitrary<Grouping> grouping = Arbitraries.of(Grouping.class);
        Arbitrary<Integer> childLength = Arbitraries.of(2, 4, 6, 9, 12);
        Arbitrary<UUID> course = Arbitraries.of(UUID.fromString("00000000-0000-4000-8000-000000000001"))
                .injectNull(0.6);
        Arbitrary<String> category = Arbitraries.of("nursing", "pharmacy").injectNull(0.7);
        return Combinators.combine(region, grouping, childLength, course, category)
                .as((r, g, child, c, cat) -> new Query(
                        EPOCH,
                        EPOCH.plusDays(30),
                        r,
                        c,
                        cat,
                        g,
                        g == Grouping.REGION ? Math.max(child, r.length() + 1) : 0));
    }

    @Provide
    Arbitrary<Grouping> times() {
        return Arbitraries.of(Grouping.DAY, Grouping.WEEK, Grouping.MONTH);
    }

    private static Query query(LocalDate from, LocalDate to, Grouping grouping) {
        return new Query(from, to, "", null, null, grouping, 0);
    }
}
