package cn.hongtong.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.statistics.Group.Count;
import cn.hongtong.testsupport.Fast;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Small groups are hidden, and only they: the perturbation protects the rest. */
@Fast
class SuppressionTest {

    static Group g(String key, long learners) {
        return new Group(key, new Count(learners, learners * 7), null, learners * 1000, learners * 1000, 0, 0);
    }

    @Test
    void nothingSmallNothingHidden() {
        var out = Suppression.apply(List.of(g("a", 5), g("b", 0), g("c", 9)), g("", 14), 5);
        assertEquals(Set.of(), out.hidden());
        assertFalse(out.totalHidden());
    }

    @Test
    void everySmallGroupIsHiddenAndNoOther() {
        var out = Suppression.apply(List.of(g("a", 3), g("b", 40), g("c", 6), g("d", 0), g("e", 1)), g("", 50), 5);
        assertEquals(Set.of("a", "e"), out.hidden());
        assertFalse(out.totalHidden());
    }

    @Test
    void aSmallTotalIsHidden() {
        assertTrue(Suppression.apply(List.of(g("a", 3), g("b", 0)), g("", 3), 5).totalHidden());
        assertFalse(Suppression.apply(List.of(g("a", 0)), g("", 0), 5).totalHidden());
    }

    @Test
    void fewRegisteredLearnersAreSensitiveToo() {
        Group few = new Group("a", Count.ZERO, new Count(2, 9), 0, 0, 0, 0);
        assertTrue(Suppression.sensitive(few, 5));
        assertFalse(Suppression.sensitive(new Group("b", Count.ZERO, Count.ZERO, 0, 0, 0, 0), 5));
    }
}
