package cn.hongtong.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.statistics.Group.Count;
import cn.hongtong.testsupport.Fast;
import java.math.BigDecimal;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The cell-key perturbation on its own: plain tests, no stack. */
@Fast
class CellKeyPerturbationTest {

    private static final CellKeyPerturbation NOISE = new CellKeyPerturbation(true, 2, 1.0, "test-secret", 5);

    @Property
    void theSameCellAlwaysGetsTheSameValue(
            @ForAll @IntRange(min = 5, max = 5000) int n,
            @ForAll long keys,
            @ForAll @LongRange(min = 1, max = 100_000_000) long ms) {
        Count cell = new Count(n, keys);
        CellKeyPerturbation again = new CellKeyPerturbation(true, 2, 1.0, "test-secret", 5);
        assertEquals(NOISE.learners(cell, "learners"), again.learners(cell, "learners"));
        assertEquals(NOISE.hours(ms, cell, "credited"), again.hours(ms, cell, "credited"));
        assertEquals(NOISE.events(n / 2, cell, "lesson-completions"), again.events(n / 2, cell, "lesson-completions"));
    }

    @Property
    void countsMoveByAtMostTwoAndAPublishedGroupStaysAtFiveOrMore(
            @ForAll @IntRange(min = 5, max = 5000) int n, @ForAll long keys) {
        long published = NOISE.learners(new Count(n, keys), "learners");
        assertTrue(Math.abs(published - n) <= 2, n + " -> " + published);
        assertTrue(published >= 5);
        long events = NOISE.events(n * 3L, new Count(n, keys), "lesson-completions");
        assertTrue(Math.abs(events - n * 3L) <= 2);
    }

    @Property
    void hoursNeverComeOutExactAndMoveByAtMostOneLearnersAverage(
            @ForAll @IntRange(min = 5, max = 5000) int n,
            @ForAll long keys,
            @ForAll @LongRange(min = 60_000, max = 1_000_000_000) long ms) {
        BigDecimal published = NOISE.hours(ms, new Count(n, keys), "credited");
        BigDecimal truth = StatsDtos.hours(ms);
        double mean = ms / 3_600_000d / n;
        double moved = Math.abs(published.doubleValue() - truth.doubleValue());
        assertTrue(moved <= Math.max(mean, 0.0002) + 0.0001, moved + " > " + mean);
        assertTrue(moved >= 0.25 * mean - 0.0001, moved + " < a quarter of " + mean);
        assertNotEquals(truth, published);
    }

    @Property
    void anEmptyCellIsAnExactZero(@ForAll long keys) {
        assertEquals(0, NOISE.learners(new Count(0, 0), "learners"));
        assertEquals(StatsDtos.hours(0), NOISE.hours(0, new Count(0, 0), "credited"));
        assertEquals(0, NOISE.events(0, new Count(0, 0), "course-completions"));
    }

    @Property
    void switchedOffItIsExact(
            @ForAll @IntRange(min = 0, max = 5000) int n,
            @ForAll long keys,
            @ForAll @LongRange(min = 0, max = 1_000_000_000) long ms) {
        CellKeyPerturbation off = new CellKeyPerturbation(false, 2, 1.0, "", 5);
        assertEquals(n, off.learners(new Count(n, keys), "learners"));
        assertEquals(StatsDtos.hours(ms), off.hours(ms, new Count(n, keys), "credited"));
    }

    /**
     * The differencing attack on its own: a cell of learners, and the same cell with one more
     * learner (two overlapping periods, a parent against its children). Subtracting the published
     * hours estimates the added learner's hours with an error of about one average learner's hours;
     * it is exact (to 0.36 s, the published precision) in well under 1 % of 20,000 tries, and the
     * count difference is right only as often as chance allows.
     */
    @Test
    void subtractingTwoAnswersDoesNotGiveOneLearner() {
        Random random = new Random(16);
        int exactHours = 0;
        int exactCount = 0;
        int tries = 20_000;
        double error = 0;
        for (int i = 0; i < tries; i++) {
            int n = 5 + random.nextInt(60);
            long keys = 0;
            long ms = 0;
            for (int k = 0; k < n; k++) {
                keys += random.nextInt(Integer.MAX_VALUE);
                ms += 60_000 + random.nextInt(3_600_000);
            }
            long oneKey = random.nextInt(Integer.MAX_VALUE);
            long oneMs = 60_000 + random.nextInt(3_600_000);
            Count a = new Count(n, keys);
            Count b = new Count(n + 1, keys + oneKey);
            BigDecimal estimate = NOISE.hours(ms + oneMs, b, "credited").subtract(NOISE.hours(ms, a, "credited"));
            if (estimate.compareTo(StatsDtos.hours(oneMs)) == 0) {
                exactHours++;
            }
            error += Math.abs(estimate.doubleValue() - StatsDtos.hours(oneMs).doubleValue());
            if (NOISE.learners(b, "learners") - NOISE.learners(a, "learners") == 1) {
                exactCount++;
            }
        }
        assertTrue(exactHours < tries / 100, exactHours + " exact recoveries of one learner's hours");
        assertTrue(error / tries > 0.1, "the mean error is a good part of an hour: " + error / tries);
        assertTrue(exactCount < tries * 0.3, exactCount + " differences of exactly one learner");
    }
}
