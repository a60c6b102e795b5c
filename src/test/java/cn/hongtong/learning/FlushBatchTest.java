package cn.hongtong.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.learning.FlushBatch.SessionDay;
import cn.hongtong.learning.FlushBatch.SessionTotal;
import cn.hongtong.statistics.RollupStore.Completion;
import cn.hongtong.testsupport.Fast;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * What the flusher writes is a function of the set of events in a batch, not of their order or
 * of how often one was delivered: the premise of applying a batch again (after a crash before
 * XACK) or of two flushers applying overlapping batches. Checked on the folding alone, without
 * PostgreSQL; the database side (GREATEST, growth under row locks) is FlusherTest's.
 */
@Fast
class FlushBatchTest {

    private static final UUID[] LEARNERS = {uuid(1), uuid(2)};
    private static final UUID[] LESSONS = {uuid(11), uuid(12), uuid(13)};
    private static final UUID COURSE = uuid(21);
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);

    @Property(tries = 300)
    void theFoldedRowsDependOnTheSetOfEventsOnly(@ForAll("batches") List<LearningEvent> events, @ForAll long seed) {
        List<LearningEvent> shuffled = new ArrayList<>(events);
        Random random = new Random(seed);
        // A redelivered entry: the same event again, anywhere in the batch.
        for (int i = 0; i < events.size() / 3; i++) {
            shuffled.add(events.get(random.nextInt(events.size())));
        }
        Collections.shuffle(shuffled, random);

        assertEquals(FlushBatch.sessions(events), FlushBatch.sessions(shuffled));
        assertEquals(FlushBatch.sessionDays(events), FlushBatch.sessionDays(shuffled));
        assertEquals(FlushBatch.lessons(events), FlushBatch.lessons(shuffled));
        assertEquals(FlushBatch.clock(events), FlushBatch.clock(shuffled));
    }

    @Property(tries = 300)
    void aSessionTakesItsHighestSeqsPositionAndItsLargestTotals(@ForAll("batches") List<LearningEvent> events) {
        for (SessionTotal t : FlushBatch.sessions(events)) {
            List<LearningEvent> own =
                    events.stream().filter(e -> e.session().equals(t.session())).toList();
            LearningEvent highest = own.stream()
                    .max((a, b) -> Integer.compare(a.seq(), b.seq()))
                    .orElseThrow();
            assertEquals(highest.seq(), t.seq());
            assertEquals(highest.positionMs(), t.positionMs());
            assertEquals(own.stream().mapToLong(LearningEvent::watchMs).max().orElseThrow(), t.watchMs());
            assertEquals(own.stream().mapToLong(LearningEvent::creditedMs).max().orElseThrow(), t.creditedMs());
            assertEquals(own.stream().mapToLong(LearningEvent::at).max().orElseThrow(), t.lastAt());
        }
        for (SessionDay d : FlushBatch.sessionDays(events)) {
            assertEquals(
                    events.stream()
                            .filter(e ->
                                    e.session().equals(d.session()) && e.day().equals(d.day()))
                            .mapToLong(LearningEvent::dayCreditedMs)
                            .max()
                            .orElseThrow(),
                    d.creditedMs());
        }
    }

    @Test
    void aCourseIsACandidateOnceOnTheEarliestDayOfItsLessons() {
        UUID other = uuid(22);
        List<Completion> lessons = List.of(
                new Completion(LEARNERS[0], COURSE, DAY.plusDays(1)),
                new Completion(LEARNERS[0], COURSE, DAY),
                new Completion(LEARNERS[0], other, DAY.plusDays(2)),
                new Completion(LEARNERS[1], COURSE, DAY.plusDays(3)));
        assertEquals(
                List.of(
                        new Completion(LEARNERS[0], COURSE, DAY),
                        new Completion(LEARNERS[0], other, DAY.plusDays(2)),
                        new Completion(LEARNERS[1], COURSE, DAY.plusDays(3))),
                FlushBatch.courseCandidates(lessons));
    }

    /**
     * Merging coverage: the union of the events' spans covers exactly the milliseconds
     * some event covered (checked point by point on a small timeline), in ascending order.
     */
    @Property(tries = 1000)
    void theUnionCoversExactlyWhatTheEventsCovered(
            @ForAll @Size(max = 6) List<@Size(max = 5) List<@IntRange(min = 0, max = 200) Integer>> events) {
        List<String> spans = new ArrayList<>();
        boolean[] covered = new boolean[260];
        for (List<Integer> starts : events) {
            StringBuilder pairs = new StringBuilder();
            for (int start : starts) {
                int end = start + 1 + start % 50;
                pairs.append(pairs.isEmpty() ? "" : ",")
                        .append(start)
                        .append(',')
                        .append(end);
                for (int t = start; t < end; t++) {
                    covered[t] = true;
                }
            }
            spans.add(pairs.toString());
        }
        boolean[] union = new boolean[260];
        long previousStart = -1;
        String literal = FlushBatch.union(spans);
        for (String range : literal.substring(1, literal.length() - 1).split("\\),?")) {
            if (range.isEmpty()) {
                continue;
            }
            String[] bounds = range.replace("[", "").split(",");
            int from = Integer.parseInt(bounds[0]);
            int to = Integer.parseInt(bounds[1]);
            assertTrue(from >= previousStart, "ranges in ascending order: " + literal);
            previousStart = from;
            for (int t = from; t < to; t++) {
                union[t] = true;
            }
        }
        assertTrue(Arrays.equals(covered, union), literal);
    }

    @Test
    void theUnionKeepsEachRangeOnceInOrder() {
        assertEquals("{[0,5),[3,9),[20,30)}", FlushBatch.union(List.of("20,30,0,5", "", "3,9,0,5")));
        assertEquals("{}", FlushBatch.union(List.of("", "")));
    }

    /**
     * Batches of heartbeats of a few sessions as the hot path writes them: per session seq grows
     * with time and cumulative totals never shrink; two sessions may stamp the same millisecond.
     */
    @Provide
    Arbitrary<List<LearningEvent>> batches() {
        Arbitrary<int[]> step = Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 1),
                        Arbitraries.integers().between(0, 3000),
                        Arbitraries.integers().between(0, 1))
                .as((session, nextDay, gain, end) -> new int[] {session, nextDay, gain, end});
        return step.list().ofMinSize(1).ofMaxSize(25).map(FlushBatchTest::events);
    }

    private static List<LearningEvent> events(List<int[]> steps) {
        List<LearningEvent> out = new ArrayList<>();
        int[] seq = new int[3];
        long[] credited = new long[3];
        long at = 1_796_306_548_000L;
        for (int[] s : steps) {
            int session = s[0];
            seq[session]++;
            credited[session] += s[2];
            at += s[2] / 2; // two sessions may share a millisecond
            LocalDate day = DAY.plusDays(s[1]); // a session may span midnight
            out.add(new LearningEvent(
                    "1-" + out.size(),
                    s[3] == 1 ? "end" : "heartbeat",
                    uuid(100 + session),
                    LEARNERS[session % 2],
                    LESSONS[session], // a session plays one lesson
                    COURSE,
                    600_000,
                    seq[session],
                    at,
                    day,
                    (int) credited[session] % 600_000,
                    credited[session] + 1000,
                    credited[session],
                    credited[session] / 2,
                    credited[session] / 3,
                    s[2] == 0 ? "" : (credited[session] - s[2]) + "," + credited[session],
                    s[2] == 0 ? "" : (at - s[2]) + "," + at));
        }
        return out;
    }

    private static UUID uuid(int n) {
        return new UUID(0x4000L, n);
    }
}
