package cn.hongtong.statistics;

/**
 * One group of a statistics answer as the queries give it: distinct active learners, registered
 * learners (null where they do not apply) and the additive measures.
 */
record Group(String key, long learners, Long registered, long watchMs, long creditedMs, long lessonCompletions,
        long courseCompletions) {

    static Group empty(String key, Long registered) {
        return new Group(key, 0, registered, 0, 0, 0, 0);
    }

    Group withRegistered(Long value) {
        return new Group(key, learners, value, watchMs, creditedMs, lessonCompletions, courseCompletions);
    }
}
