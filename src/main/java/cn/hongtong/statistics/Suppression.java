package cn.hongtong.statistics;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Small groups are not published: a group is sensitive when it has between 1 and {@code min - 1}
 * learners (active, or registered where counted), and a sensitive group's cell shows no value at
 * all. What keeps a hidden group from being recovered by subtraction (its total minus the visible
 * groups, within one answer or across several) is not more hiding but the perturbation of every
 * published cell ({@link CellKeyPerturbation}): a total and its visible groups carry independent
 * noise, so their difference is no group's value.
 */
final class Suppression {

    record Outcome(Set<String> hidden, boolean totalHidden) {}

    private Suppression() {}

    static boolean sensitive(Group g, int min) {
        return small(g.learners().n(), min)
                || (g.registered() != null && small(g.registered().n(), min));
    }

    private static boolean small(long n, int min) {
        return n > 0 && n < min;
    }

    static Outcome apply(List<Group> groups, Group total, int min) {
        Set<String> hidden = new HashSet<>();
        for (Group g : groups) {
            if (sensitive(g, min)) {
                hidden.add(g.key());
            }
        }
        return new Outcome(hidden, sensitive(total, min));
    }
}
