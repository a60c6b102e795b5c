package cn.hongtong.statistics;

/**
 * One group of a statistics answer as the queries give it: distinct active learners, registered
 * learners (null where they do not apply) and the additive measures.
 */
record Group(
        String key,
        Count learners,
        Count registered,
        long watchMs,
        long creditedMs,
        long lessonCompletions,
        long courseCompletions) {

    /**
     * A number of distinct learners and the sum of their record keys (the cell key of the
     * perturbation: the same learners, the same sum).
     */
    record Count(long n, long keys) {
        static final Count ZERO = new Count(0, 0);
    }

    static Group empty(String key, Count registered) {
        return new Group(key, Count.ZERO, registered, 0, 0, 0, 0);
    }

    Group withRegistered(Count value) {
        return new Group(key, learners, value, watchMs, creditedMs, lessonCompletions, courseCompletions);
    }
}
