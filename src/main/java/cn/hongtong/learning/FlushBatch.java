package cn.hongtong.learning;

import cn.hongtong.statistics.RollupStore.Completion;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A batch of learning events folded into the rows each table takes, in key order (the order the
 * flusher locks them in). Pure: the same events give the same rows whatever their order and
 * however often an event repeats (a redelivered stream entry), which is what lets the flusher
 * apply a batch again, or two flushers apply overlapping batches, without counting anything twice.
 */
final class FlushBatch {

    private FlushBatch() {}

    /** A session's latest state: the highest seq's position, the largest cumulative values. */
    record SessionTotal(
            UUID session, int seq, int positionMs, long watchMs, long creditedMs, Long endedAt, long lastAt) {}

    /** A session's largest cumulative values on one day, and whose they are. */
    record SessionDay(
            UUID session, LocalDate day, UUID learner, UUID lesson, UUID course, long watchMs, long creditedMs) {}

    /** What a (session, day) adds to the ledger: its growth since it was last stored. */
    record Delta(UUID learner, UUID lesson, UUID course, LocalDate day, long watchMs, long creditedMs) {}

    /** What the batch saw of a learner in a lesson: coverage added, the latest position. */
    record LessonTouch(
            UUID learner,
            UUID lesson,
            UUID course,
            int durationMs,
            String covered,
            int positionMs,
            long positionAt,
            LocalDate day) {}

    /** The wall-clock spans a learner's credit was stamped on during one day. */
    record ClockSpans(UUID learner, LocalDate day, String spans) {}

    private record DayKey(UUID session, LocalDate day) {}

    private record LessonKey(UUID learner, UUID lesson) {}

    private record CourseKey(UUID learner, UUID course) {}

    private record ClockKey(UUID learner, LocalDate day) {}

    /** A half-open range of a multirange literal. */
    private record Range(long from, long to) {}

    /** The event that wins a tie: latest at, then highest seq, then session (never the input order). */
    private static final Comparator<LearningEvent> LATEST = Comparator.comparingLong(LearningEvent::at)
            .thenComparingInt(LearningEvent::seq)
            .thenComparing(LearningEvent::session);

    static List<SessionTotal> sessions(List<LearningEvent> events) {
        Map<UUID, SessionTotal> out = new TreeMap<>();
        for (LearningEvent e : events) {
            SessionTotal t = new SessionTotal(
                    e.session(),
                    e.seq(),
                    e.positionMs(),
                    e.watchMs(),
                    e.creditedMs(),
                    e.ended() ? e.at() : null,
                    e.at());
            out.merge(e.session(), t, (a, b) -> {
                SessionTotal newer = b.seq() > a.seq() ? b : a;
                return new SessionTotal(
                        a.session(),
                        newer.seq(),
                        newer.positionMs(),
                        Math.max(a.watchMs(), b.watchMs()),
                        Math.max(a.creditedMs(), b.creditedMs()),
                        earliest(a.endedAt(), b.endedAt()),
                        Math.max(a.lastAt(), b.lastAt()));
            });
        }
        return List.copyOf(out.values());
    }

    /** The earlier of two optional instants (a session ends at its first "end"). */
    private static Long earliest(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Long.valueOf(Math.min(a, b));
    }

    static List<SessionDay> sessionDays(List<LearningEvent> events) {
        Map<DayKey, SessionDay> out =
                new TreeMap<>(Comparator.comparing(DayKey::session).thenComparing(DayKey::day));
        for (LearningEvent e : events) {
            SessionDay d = new SessionDay(
                    e.session(), e.day(), e.learner(), e.lesson(), e.course(), e.dayWatchMs(), e.dayCreditedMs());
            out.merge(
                    new DayKey(e.session(), e.day()),
                    d,
                    (a, b) -> new SessionDay(
                            a.session(),
                            a.day(),
                            a.learner(),
                            a.lesson(),
                            a.course(),
                            Math.max(a.watchMs(), b.watchMs()),
                            Math.max(a.creditedMs(), b.creditedMs())));
        }
        return List.copyOf(out.values());
    }

    static List<LessonTouch> lessons(List<LearningEvent> events) {
        Map<LessonKey, List<LearningEvent>> byLesson =
                new TreeMap<>(Comparator.comparing(LessonKey::learner).thenComparing(LessonKey::lesson));
        for (LearningEvent e : events) {
            byLesson.computeIfAbsent(new LessonKey(e.learner(), e.lesson()), k -> new ArrayList<>())
                    .add(e);
        }
        List<LessonTouch> out = new ArrayList<>();
        byLesson.forEach((key, list) -> {
            LearningEvent last = list.stream().max(LATEST).orElseThrow();
            out.add(new LessonTouch(
                    key.learner(),
                    key.lesson(),
                    last.course(),
                    last.durationMs(),
                    union(list.stream().map(LearningEvent::segments).toList()),
                    last.positionMs(),
                    last.at(),
                    last.day()));
        });
        return out;
    }

    /**
     * Courses the batch's newly completed lessons may complete: once per learner and course, on
     * the earliest day one of its lessons was completed in the batch.
     */
    static List<Completion> courseCandidates(List<Completion> lessons) {
        Map<CourseKey, LocalDate> byCourse =
                new TreeMap<>(Comparator.comparing(CourseKey::learner).thenComparing(CourseKey::course));
        lessons.forEach(
                c -> byCourse.merge(new CourseKey(c.learner(), c.course()), c.day(), (a, b) -> a.isBefore(b) ? a : b));
        List<Completion> out = new ArrayList<>();
        byCourse.forEach((key, day) -> out.add(new Completion(key.learner(), key.course(), day)));
        return out;
    }

    static List<ClockSpans> clock(List<LearningEvent> events) {
        Map<ClockKey, List<String>> spans =
                new TreeMap<>(Comparator.comparing(ClockKey::learner).thenComparing(ClockKey::day));
        for (LearningEvent e : events) {
            if (!e.clock().isEmpty()) {
                spans.computeIfAbsent(new ClockKey(e.learner(), e.day()), k -> new ArrayList<>())
                        .add(e.clock());
            }
        }
        List<ClockSpans> out = new ArrayList<>();
        spans.forEach((key, list) -> out.add(new ClockSpans(key.learner(), key.day(), union(list))));
        return out;
    }

    /**
     * Spans as the stream carries them ("s,e,s,e", half-open, in milliseconds) as one PostgreSQL
     * multirange literal, each range once and in order (PostgreSQL merges what overlaps).
     */
    static String union(List<String> spans) {
        TreeSet<Range> ranges =
                new TreeSet<>(Comparator.comparingLong(Range::from).thenComparingLong(Range::to));
        for (String pairs : spans) {
            if (pairs.isBlank()) {
                continue;
            }
            String[] n = pairs.split(",");
            for (int i = 0; i + 1 < n.length; i += 2) {
                ranges.add(new Range(Long.parseLong(n[i]), Long.parseLong(n[i + 1])));
            }
        }
        StringBuilder union = new StringBuilder("{");
        for (Range r : ranges) {
            union.append(union.length() > 1 ? "," : "")
                    .append('[')
                    .append(r.from())
                    .append(',')
                    .append(r.to())
                    .append(')');
        }
        return union.append('}').toString();
    }
}
