package cn.hongtong.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Complementary suppression, on its own. */
class SuppressionTest {

    static Group g(String key, long learners) {
        return new Group(key, learners, null, learners * 1000, learners * 1000, 0, 0);
    }

    @Test
    void nothingSmallNothingHidden() {
        var out = Suppression.apply(List.of(g("a", 5), g("b", 0), g("c", 9)), g("", 14), 5);
        assertEquals(Set.of(), out.hidden());
        assertFalse(out.totalHidden());
    }

    @Test
    void oneSmallGroupTakesTheNextSmallestWithIt() {
        var out = Suppression.apply(List.of(g("a", 3), g("b", 40), g("c", 6), g("d", 0)), g("", 49), 5);
        assertEquals(Set.of("a", "c"), out.hidden());
        assertFalse(out.totalHidden());
    }

    @Test
    void smallGroupsTogetherUnderTheThresholdTakeMore() {
        var out = Suppression.apply(List.of(g("a", 1), g("b", 2), g("c", 7), g("d", 20)), g("", 30), 5);
        assertEquals(Set.of("a", "b", "c"), out.hidden());
    }

    @Test
    void whenNothingIsLeftToHideTheTotalIsHidden() {
        var out = Suppression.apply(List.of(g("a", 3), g("b", 0)), g("", 3), 5);
        assertTrue(out.totalHidden());
        var two = Suppression.apply(List.of(g("a", 3), g("b", 9)), g("", 12), 5);
        assertEquals(Set.of("a", "b"), two.hidden());
        assertFalse(two.totalHidden());
    }

    @Test
    void fewRegisteredLearnersAreSensitiveToo() {
        Group few = new Group("a", 0, 2L, 0, 0, 0, 0);
        assertTrue(Suppression.sensitive(few, 5));
        assertFalse(Suppression.sensitive(new Group("b", 0, 0L, 0, 0, 0, 0), 5));
    }
}
