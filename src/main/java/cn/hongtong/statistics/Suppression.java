package cn.hongtong.statistics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Small-group suppression with complementary suppression. A group is sensitive when it has
 * between 1 and {@code min - 1} learners (active, or registered where counted). Every sensitive
 * group is hidden; then, because the total is published, further groups are hidden (the smallest
 * first) until the hidden ones are at least two and together hold at least {@code min} learners,
 * so that total minus visible groups yields only a sum over several groups and enough people. If
 * no group is left to hide, the total is hidden too. A sensitive total is always hidden.
 */
final class Suppression {

    record Outcome(Set<String> hidden, boolean totalHidden) {
    }

    private Suppression() {
    }

    static boolean sensitive(Group g, int min) {
        return small(g.learners(), min) || (g.registered() != null && small(g.registered(), min));
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
        boolean totalHidden = sensitive(total, min);
        if (hidden.isEmpty() || totalHidden) {
            return new Outcome(hidden, totalHidden);
        }
        List<Group> candidates = new ArrayList<>(groups.stream()
                .filter(g -> !hidden.contains(g.key()) && (g.learners() > 0 || (g.registered() != null && g.registered() > 0)))
                .sorted(Comparator.comparingLong(Group::learners)
                        .thenComparingLong(g -> g.registered() == null ? 0 : g.registered())
                        .thenComparing(Group::key))
                .toList());
        while (!safe(groups, hidden, min)) {
            if (candidates.isEmpty()) {
                return new Outcome(hidden, true);
            }
            hidden.add(candidates.remove(0).key());
        }
        return new Outcome(hidden, false);
    }

    private static boolean safe(List<Group> groups, Set<String> hidden, int min) {
        long learners = 0;
        long registered = 0;
        boolean counted = false;
        for (Group g : groups) {
            if (hidden.contains(g.key())) {
                learners += g.learners();
                if (g.registered() != null) {
                    counted = true;
                    registered += g.registered();
                }
            }
        }
        return hidden.size() >= 2 && (learners == 0 || learners >= min) && (!counted || registered == 0 || registered >= min);
    }
}
