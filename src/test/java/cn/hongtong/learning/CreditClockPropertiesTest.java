package cn.hongtong.learning;

import static cn.hongtong.learning.HotPathHarness.json;
import static cn.hongtong.learning.HotPathHarness.length;
import static cn.hongtong.learning.HotPathHarness.ms;
import static cn.hongtong.learning.HotPathHarness.pairs;
import static cn.hongtong.learning.HotPathHarness.union;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.mutiny.sqlclient.Pool;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The credit invariant, proved over random interleavings against the real script in Redis.
 * Several learners start sessions, send heartbeats (honest, inflated, duplicated, replayed, out
 * of order, any state and rate), end sessions, fall silent, switch devices and sync offline plays,
 * under a clock the test moves. For every learner and every window [a, b] of server time, what
 * was earned by sessions and plays that began at a or later and answered by b is at most
 * (b - a) plus one tolerance, for credit and for watch time alike; every credited millisecond
 * is stamped on its own wall-clock millisecond within its call's window; credit is exactly
 * coverage growth and never exceeds a lesson; a replay changes nothing. Honest learners lose
 * nothing. A failure names its seed (jqwik: {@code @Property(seed = "...")} reproduces it).
 */
class CreditClockPropertiesTest {

    static final long TOLERANCE = 2_000;
    static final int[] DURATIONS = {20_000, 45_000, 60_000};
    static final UUID COURSE = new UUID(1, 1);
    static final String[] STATES = {"playing", "playing", "paused", "ended"};
    static final double[] RATES = {1, 1, 2, 0.5, 16};

    static HotPathHarness harness;

    @BeforeContainer
    static void connect() {
        harness = new HotPathHarness();
    }

    @AfterContainer
    static void close() {
        harness.close();
    }

    /** One step of a trace; which fields matter depends on the kind. */
    record Step(
            int kind, int learner, int target, int advanceMs, List<Integer> points, int flags, int back, int span) {}

    static final int START = 0, BEAT = 1, END = 2, OFFLINE = 3, REPLAY = 4;

    @Provide
    Arbitrary<List<Step>> traces() {
        Arbitrary<Integer> kind = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(START)),
                Tuple.of(10, Arbitraries.just(BEAT)),
                Tuple.of(2, Arbitraries.just(END)),
                Tuple.of(2, Arbitraries.just(OFFLINE)),
                Tuple.of(1, Arbitraries.just(REPLAY)));
        Arbitrary<Integer> advance = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(5, Arbitraries.integers().between(1, 3_000)),
                Tuple.of(4, Arbitraries.integers().between(3_000, 15_000)),
                Tuple.of(1, Arbitraries.integers().between(15_000, 120_000)));
        Arbitrary<Step> step = Combinators.combine(
                        kind,
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 7),
                        advance,
                        Arbitraries.integers().between(0, 75_000).list().ofMaxSize(8),
                        Arbitraries.integers().between(0, 1 << 12),
                        Arbitraries.integers().between(0, 60_000),
                        Arbitraries.integers().between(1, 60_000))
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    /** What one call answered, with what the invariant needs to know of it. */
    record Answer(
            UUID learner, UUID session, int lesson, long origin, long time, long lo, long hi, int seq, JsonNode json) {}

    /** A session as the client side of the model knows it. */
    static final class Session {
        final UUID id = UUID.randomUUID();
        final UUID learner;
        final int lesson;
        final long start;
        final boolean offline;
        long lastOk;
        int seq;
        boolean ended;
        HotPath.Call lastCall;
        String lastJson;

        Session(UUID learner, int lesson, long start, boolean offline) {
            this.learner = learner;
            this.lesson = lesson;
            this.start = start;
            this.offline = offline;
            this.lastOk = start;
        }
    }

    /** The outcome of a trace: every accepted answer, and the stream and lessons it wrote to. */
    record Run(List<Answer> answers, String stream, UUID[] learners, UUID[] lessons, List<Session> sessions) {}

    static Run run(List<Step> trace, Duration dailyCap) {
        String stream = "props:" + UUID.randomUUID();
        HotPath hot = harness.hotPath(HotPathHarness.config(dailyCap), stream);
        UUID[] learners = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        UUID[] lessons = {new UUID(2, 0), new UUID(2, 1), new UUID(2, 2)};
        List<Session> sessions = new ArrayList<>();
        List<Answer> answers = new ArrayList<>();
        long now = Instant.parse("2026-06-01T01:00:00Z").toEpochMilli();
        for (Step step : trace) {
            now += step.advanceMs();
            UUID learner = learners[step.learner()];
            List<Session> open = sessions.stream()
                    .filter(s -> s.learner.equals(learner) && !s.offline && !s.ended)
                    .toList();
            int flags = step.flags();
            switch (step.kind()) {
                case START -> {
                    Session s = new Session(learner, step.target() % 3, now, false);
                    harness.createSession(hot, learner, s.id, lessons[s.lesson], COURSE, DURATIONS[s.lesson], now);
                    sessions.add(s);
                }
                case BEAT -> {
                    if (open.isEmpty()) {
                        continue;
                    }
                    Session s = open.get(step.target() % open.size());
                    int seq = switch (flags & 3) {
                        case 2 -> s.seq + 2;
                        case 3 -> Math.max(1, s.seq - 1);
                        default -> s.seq + 1;
                    };
                    String played = (flags >> 8 & 1) == 1 && step.advanceMs() > 0
                            ? "0," + step.advanceMs() // a claim of exactly the time elapsed
                            : intervals(step.points(), (flags >> 7 & 1) == 1);
                    HotPath.Call call = hot.online(
                            "subject-" + learner,
                            Instant.ofEpochMilli(now),
                            HotPathHarness.day(now),
                            seq,
                            step.points().isEmpty() ? 0 : step.points().get(0),
                            RATES[(flags >> 4 & 7) % RATES.length],
                            STATES[flags >> 2 & 3],
                            played);
                    answers.addAll(call(hot, s, call, lessons, now));
                }
                case END -> {
                    if (open.isEmpty()) {
                        continue;
                    }
                    Session s = open.get(step.target() % open.size());
                    HotPath.Reply reply = hot.call(
                                    hot.keys(learner, s.id, lessons[s.lesson], HotPathHarness.day(now)),
                                    hot.end("subject-" + learner, Instant.ofEpochMilli(now)))
                            .await()
                            .atMost(HotPathHarness.TIMEOUT);
                    assertTrue(reply.status().equals("ok") || reply.status().equals("ended"), reply.status());
                    s.ended = true;
                }
                case OFFLINE -> {
                    List<Session> plays = sessions.stream()
                            .filter(p -> p.learner.equals(learner) && p.offline && p.lastCall != null)
                            .toList();
                    if ((flags >> 9 & 1) == 1 && !plays.isEmpty()) {
                        // The same play synced again: the same answer, nothing more.
                        Session p = plays.get(step.target() % plays.size());
                        HotPath.Reply again = hot.call(
                                        hot.keys(learner, p.id, lessons[p.lesson], p.lastCall.day()), p.lastCall)
                                .await()
                                .atMost(HotPathHarness.TIMEOUT);
                        assertEquals("ended", again.status());
                        assertEquals(p.lastJson, again.json());
                        continue;
                    }
                    long end = now - step.back();
                    long start = end - step.span();
                    Session p = new Session(learner, step.target() % 3, start, true);
                    harness.createSession(hot, learner, p.id, lessons[p.lesson], COURSE, DURATIONS[p.lesson], start);
                    sessions.add(p);
                    String played = (flags >> 8 & 1) == 1
                            ? "0," + step.span()
                            : intervals(step.points(), (flags >> 7 & 1) == 1);
                    HotPath.Call call = hot.offline(
                            "subject-" + learner,
                            Instant.ofEpochMilli(now),
                            Instant.ofEpochMilli(start),
                            Instant.ofEpochMilli(end),
                            HotPathHarness.day(end),
                            0,
                            RATES[(flags >> 4 & 7) % RATES.length],
                            played);
                    answers.addAll(call(hot, p, call, lessons, now));
                }
                case REPLAY -> {
                    List<Session> sent =
                            open.stream().filter(s -> s.lastCall != null).toList();
                    if (sent.isEmpty()) {
                        continue;
                    }
                    Session s = sent.get(step.target() % sent.size());
                    HotPath.Reply reply = hot.call(
                                    hot.keys(learner, s.id, lessons[s.lesson], s.lastCall.day()), s.lastCall)
                            .await()
                            .atMost(HotPathHarness.TIMEOUT);
                    assertEquals("replay", reply.status());
                    assertEquals(s.lastJson, reply.json(), "a replayed seq gets the same answer");
                }
                default -> throw new IllegalStateException();
            }
        }
        return new Run(answers, stream, learners, lessons, sessions);
    }

    private static List<Answer> call(HotPath hot, Session s, HotPath.Call call, UUID[] lessons, long now) {
        HotPath.Reply reply = hot.call(hot.keys(s.learner, s.id, lessons[s.lesson], call.day()), call)
                .await()
                .atMost(HotPathHarness.TIMEOUT);
        switch (reply.status()) {
            case "ok" -> {
                long lo = Math.max(call.windowStart(), Math.max(s.start, s.lastOk - call.lookBack()));
                Answer a = new Answer(
                        s.learner,
                        s.id,
                        s.lesson,
                        s.start,
                        s.offline ? call.windowEnd() : now,
                        lo,
                        call.windowEnd(),
                        call.seq(),
                        json(reply.json()));
                s.lastOk = call.at();
                s.seq = call.seq();
                s.lastCall = call;
                s.lastJson = reply.json();
                return List.of(a);
            }
            case "stale" -> {
                assertTrue(call.seq() < s.seq);
                assertEquals(
                        s.lastJson,
                        reply.json().replace("\"stale-seq\",", "").replace("\"stale-seq\"", ""),
                        "an older seq changes nothing and gets the newest answer, flagged");
                assertTrue(reply.json().contains("\"stale-seq\""));
                return List.of();
            }
            case "replay" -> {
                assertEquals(call.seq(), s.seq);
                assertEquals(s.lastJson, reply.json());
                return List.of();
            }
            default -> throw new AssertionError("unexpected " + reply.status());
        }
    }

    /** Generated points as intervals, in pairs; with {@code repeat}, the first one listed three times more. */
    private static String intervals(List<Integer> points, boolean repeat) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i + 1 < points.size(); i += 2) {
            int a = Math.min(points.get(i), points.get(i + 1));
            int b = Math.max(points.get(i), points.get(i + 1));
            int times = repeat && i == 0 ? 4 : 1;
            for (int k = 0; k < times; k++) {
                out.append(out.isEmpty() ? "" : ",").append(a).append(',').append(b);
            }
        }
        return out.toString();
    }

    @Property(tries = 1000)
    void noLearnerEverEarnsMoreThanWallClockTime(@ForAll("traces") List<Step> trace) {
        Run run = run(trace, Duration.ofSeconds(120));
        List<Map<String, String>> events = harness.entries(run.stream());
        Map<String, Answer> bySeq = new HashMap<>();
        run.answers().forEach(a -> bySeq.put(a.session() + "/" + a.seq(), a));
        for (UUID learner : run.learners()) {
            List<Answer> mine = run.answers().stream()
                    .filter(a -> a.learner().equals(learner))
                    .toList();
            // Stamps: each credited millisecond on its own wall-clock millisecond, inside its call's window.
            List<long[]> stamps = new ArrayList<>();
            long credited = 0;
            for (Map<String, String> e : events) {
                if (!e.get("learner").equals(learner.toString())
                        || e.get("clock").isEmpty()) {
                    continue;
                }
                Answer a = bySeq.get(e.get("session") + "/" + e.get("seq"));
                for (long[] span : pairs(e.get("clock"))) {
                    assertTrue(span[0] >= a.lo() && span[1] <= a.hi(), "a stamp outside its call's window");
                    stamps.add(span);
                }
            }
            for (Answer a : mine) {
                credited += ms(a.json(), "creditedNow");
            }
            assertEquals(credited, length(stamps), "credited = stamped wall-clock time");
            assertEquals(length(stamps), length(union(stamps)), "no wall-clock millisecond credited twice");
            // Every window [a, b]: what began at a or later and was answered by b.
            for (Answer from : mine) {
                for (Answer to : mine) {
                    long a = from.origin();
                    long b = to.time();
                    if (b < a) {
                        continue;
                    }
                    long credit = 0;
                    long watch = 0;
                    for (Answer x : mine) {
                        if (x.origin() >= a && x.time() <= b) {
                            credit += ms(x.json(), "creditedNow");
                            watch += ms(x.json(), "watchedNow");
                        }
                    }
                    assertTrue(
                            credit <= b - a + TOLERANCE,
                            "credited " + credit + " ms in a window of " + (b - a) + " ms");
                    assertTrue(
                            watch <= b - a + TOLERANCE, "watched " + watch + " ms in a window of " + (b - a) + " ms");
                }
            }
            // Credit is coverage growth, within each lesson's duration.
            for (int lesson = 0; lesson < 3; lesson++) {
                int l = lesson;
                long earned = mine.stream()
                        .filter(x -> x.lesson() == l)
                        .mapToLong(x -> ms(x.json(), "creditedNow"))
                        .sum();
                List<long[]> segments = new ArrayList<>();
                for (Map<String, String> e : events) {
                    if (e.get("learner").equals(learner.toString())
                            && e.get("lesson").equals(run.lessons()[l].toString())) {
                        segments.addAll(pairs(e.get("segments")));
                    }
                }
                long covered = length(union(pairs(harness.get(HotPath.coverageKey(learner, run.lessons()[l])))));
                assertEquals(earned, covered, "credited = coverage growth");
                assertEquals(covered, length(segments), "each segment once");
                assertTrue(covered <= DURATIONS[l]);
            }
        }
    }

    /** A stretch of honest play: {@code playMs} of video, then the heartbeat, then a pause. */
    record Chunk(int playMs, int delayMs, int pauseMs, int loss) {}

    /** One sitting: online on a new device (session), or offline and synced at the next sitting. */
    record Sitting(boolean offline, int lesson, int gapMs, int startupMs, List<Chunk> chunks) {}

    @Provide
    Arbitrary<List<Sitting>> honestLearners() {
        Arbitrary<Chunk> chunk = Combinators.combine(
                        Arbitraries.integers().between(500, 10_000),
                        Arbitraries.integers().between(0, 1_000),
                        Arbitraries.frequencyOf(
                                Tuple.of(4, Arbitraries.just(0)),
                                Tuple.of(1, Arbitraries.integers().between(1, 7_200_000))),
                        Arbitraries.frequencyOf(
                                Tuple.of(6, Arbitraries.just(0)),
                                Tuple.of(1, Arbitraries.just(1)),
                                Tuple.of(1, Arbitraries.just(2))))
                .as(Chunk::new);
        Arbitrary<Sitting> sitting = Combinators.combine(
                        Arbitraries.of(false, false, true),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 3_600_000),
                        Arbitraries.integers().between(0, 2_000),
                        chunk.list().ofMinSize(1).ofMaxSize(8))
                .as(Sitting::new);
        return sitting.list().ofMinSize(1).ofMaxSize(6);
    }

    /**
     * Honest learners lose nothing: fragments on one device then another, offline plays, jitter up
     * to 1 s, lost requests and lost answers (resent), pauses of any length, a final heartbeat:
     * every millisecond of video watched is credited, and nothing is refused.
     */
    @Property(tries = 1000)
    void honestLearnersAreCreditedEverythingTheyWatch(@ForAll("honestLearners") List<Sitting> sittings) {
        String stream = "props:" + UUID.randomUUID();
        HotPath hot = harness.hotPath(HotPathHarness.config(Duration.ofHours(24)), stream);
        UUID learner = UUID.randomUUID();
        UUID[] lessons = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        long[] position = new long[3];
        List<List<long[]>> watched = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Runnable> unsynced = new ArrayList<>();
        long[] creditedOffline = {0};
        long credited = 0;
        long now = Instant.parse("2026-06-01T01:00:00Z").toEpochMilli();
        for (Sitting sitting : sittings) {
            now += sitting.gapMs();
            int l = sitting.lesson();
            if (position[l] >= DURATIONS[l]) {
                position[l] = 0; // watched to the end: watched again from the start
            }
            if (sitting.offline()) {
                long length = Math.min(
                        sitting.chunks().stream().mapToLong(Chunk::playMs).sum(), DURATIONS[l] - position[l]);
                long start = now;
                long from = position[l];
                UUID play = UUID.randomUUID();
                harness.createSession(hot, learner, play, lessons[l], COURSE, DURATIONS[l], start);
                watched.get(l).add(new long[] {from, from + length});
                position[l] = from + length;
                now = start + length;
                long end = now;
                unsynced.add(() -> {
                    // Synced at the next sitting or at the end: server time is later than the play.
                    HotPath.Reply reply = hot.call(
                                    hot.keys(learner, play, lessons[l], HotPathHarness.day(end)),
                                    hot.offline(
                                            "subject-" + learner,
                                            Instant.ofEpochMilli(end + 1_000),
                                            Instant.ofEpochMilli(start),
                                            Instant.ofEpochMilli(end),
                                            HotPathHarness.day(end),
                                            from + length,
                                            1,
                                            from + "," + (from + length)))
                            .await()
                            .atMost(HotPathHarness.TIMEOUT);
                    assertEquals("ok", reply.status());
                    assertEquals(0, ms(json(reply.json()), "refusedSeconds"), reply.json());
                    creditedOffline[0] += ms(json(reply.json()), "creditedNow");
                });
                continue;
            }
            UUID session = UUID.randomUUID();
            harness.createSession(hot, learner, session, lessons[l], COURSE, DURATIONS[l], now);
            unsynced.forEach(Runnable::run);
            unsynced.clear();
            long sent = now + sitting.startupMs();
            long arrived = now;
            int seq = 0;
            StringBuilder pending = new StringBuilder();
            List<Chunk> chunks = sitting.chunks();
            for (int i = 0; i < chunks.size(); i++) {
                Chunk c = chunks.get(i);
                long from = position[l];
                long to = Math.min(DURATIONS[l], from + c.playMs());
                sent += to - from;
                position[l] = to;
                if (to > from) {
                    watched.get(l).add(new long[] {from, to});
                    pending.append(pending.isEmpty() ? "" : ",")
                            .append(from)
                            .append(',')
                            .append(to);
                }
                boolean last = i == chunks.size() - 1 || to >= DURATIONS[l];
                String state =
                        last ? (to >= DURATIONS[l] ? "ended" : "paused") : c.pauseMs() > 0 ? "paused" : "playing";
                seq++;
                arrived = Math.max(arrived, sent + c.delayMs());
                if (c.loss() == 1 && !last) {
                    // The request never arrived: its intervals go again with the next one.
                } else {
                    HotPath.Reply reply = hot.call(
                                    hot.keys(learner, session, lessons[l], HotPathHarness.day(arrived)),
                                    hot.online(
                                            "subject-" + learner,
                                            Instant.ofEpochMilli(arrived),
                                            HotPathHarness.day(arrived),
                                            seq,
                                            to,
                                            1,
                                            state,
                                            pending.toString()))
                            .await()
                            .atMost(HotPathHarness.TIMEOUT);
                    assertEquals("ok", reply.status());
                    JsonNode answer = json(reply.json());
                    assertEquals(0, ms(answer, "refusedSeconds"), reply.json());
                    credited += ms(answer, "creditedNow");
                    if (c.loss() != 2 || last) {
                        pending.setLength(0); // acknowledged (a lost answer leaves them to be resent)
                    }
                }
                sent += c.pauseMs();
                if (last) {
                    break;
                }
            }
            now = Math.max(arrived, sent);
            hot.call(
                            hot.keys(learner, session, lessons[l], HotPathHarness.day(now)),
                            hot.end("subject-" + learner, Instant.ofEpochMilli(now)))
                    .await()
                    .atMost(HotPathHarness.TIMEOUT);
        }
        unsynced.forEach(Runnable::run);
        long expected = 0;
        for (int l = 0; l < 3; l++) {
            long covered = length(union(pairs(harness.get(HotPath.coverageKey(learner, lessons[l])))));
            assertEquals(length(union(watched.get(l))), covered, "everything watched is covered");
            expected += covered;
        }
        assertEquals(expected, credited + creditedOffline[0], "credited = watched, to the millisecond");
    }

    /**
     * Exactly once into PostgreSQL: a trace's events, applied by the flusher's writer in shuffled
     * batches with duplicates (a retry, a replayed delivery, a second replica), then all again,
     * leave the ledger, the sessions and the credit clock's copy equal to what was acknowledged.
     */
    @Property(tries = 1000)
    void flushedExactlyOnceWhateverTheDeliveries(@ForAll("traces") List<Step> trace, @ForAll long shuffleSeed) {
        Run run = run(trace, Duration.ofSeconds(120));
        List<Map<String, String>> entries = harness.entries(run.stream());
        Database db = database();
        for (UUID learner : run.learners()) {
            db.execute("INSERT INTO learner (id, subject) VALUES ($1, $2)", learner, "props-" + learner);
        }
        for (Session s : run.sessions()) {
            db.execute(
                    "INSERT INTO learning_session (id, learner_id, lesson_id, course_id, device_id, client, started_at, updated_at) "
                            + "VALUES ($1, $2, $3, $4, 'props', $5, now(), now())",
                    s.id,
                    s.learner,
                    db.lessons[s.lesson],
                    db.course,
                    s.offline ? "offline" : "app");
        }
        List<LearningEvent> events = new ArrayList<>();
        for (Map<String, String> e : entries) {
            Map<String, String> fields = new HashMap<>(e);
            fields.put("lesson", db.lessons[indexOf(run.lessons(), e.get("lesson"))].toString());
            fields.put("course", db.course.toString());
            events.add(LearningEvent.of(e.get("id"), fields));
        }
        Random random = new Random(shuffleSeed);
        List<LearningEvent> deliveries = new ArrayList<>(events);
        for (int i = 0; i < events.size() / 2; i++) {
            deliveries.add(events.get(random.nextInt(events.size())));
        }
        Collections.shuffle(deliveries, random);
        for (int i = 0; i < deliveries.size(); ) {
            int n = 1 + random.nextInt(8);
            db.writer
                    .apply(deliveries.subList(i, Math.min(deliveries.size(), i + n)))
                    .await()
                    .atMost(HotPathHarness.TIMEOUT);
            i += n;
        }
        db.writer.apply(events).await().atMost(HotPathHarness.TIMEOUT);
        for (UUID learner : run.learners()) {
            long acked = run.answers().stream()
                    .filter(a -> a.learner().equals(learner))
                    .mapToLong(a -> ms(a.json(), "creditedNow"))
                    .sum();
            assertEquals(
                    acked,
                    db.queryLong(
                            "SELECT coalesce(sum(credited_ms), 0) FROM hours_ledger WHERE learner_id = $1", learner),
                    "the ledger holds what was acknowledged, once");
            assertEquals(
                    acked,
                    db.queryLong(
                            "SELECT coalesce(sum(credited_ms), 0) FROM learning_session WHERE learner_id = $1",
                            learner));
            assertEquals(
                    acked,
                    db.queryLong(
                            "SELECT coalesce(sum(upper(r) - lower(r)), 0) FROM (SELECT range_agg(r) AS m "
                                    + "FROM credit_clock c, unnest(c.spans) AS r WHERE c.learner_id = $1) AS u, unnest(u.m) AS r",
                            learner),
                    "the credit clock's copy: one wall-clock millisecond per credited millisecond");
            assertEquals(
                    acked,
                    db.queryLong(
                            "SELECT coalesce(sum(covered_ms), 0) FROM lesson_progress WHERE learner_id = $1", learner),
                    "coverage in PostgreSQL");
        }
    }

    private static int indexOf(UUID[] ids, String id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].toString().equals(id)) {
                return i;
            }
        }
        throw new IllegalStateException(id);
    }

    private static Database database;

    /** The test database (migrated if it is new), with a course of three lessons for the properties. */
    private static synchronized Database database() {
        if (database == null) {
            database = new Database();
        }
        return database;
    }

    @AfterContainer
    static void closeDatabase() {
        if (database != null) {
            database.pool.close().await().atMost(HotPathHarness.TIMEOUT);
            database = null;
        }
    }

    static final class Database {
        final Pool pool;
        final FlushWriter writer;
        final UUID course = UUID.randomUUID();
        final UUID[] lessons = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};

        Database() {
            pool = cn.hongtong.testsupport.TestDatabase.migratedPool(harness.vertx, 4);
            writer = new FlushWriter(
                    pool,
                    new LearningStore(pool),
                    HotPathHarness.config(Duration.ofSeconds(120)),
                    new cn.hongtong.statistics.RollupStore(),
                    new cn.hongtong.credit.CreditGrants(
                            BigDecimal.valueOf(3),
                            BigDecimal.valueOf(6),
                            ZoneId.of("Asia/Shanghai"),
                            Clock.systemUTC()));
            execute(
                    "INSERT INTO course (id, title, category_code, credit_class, credit_hours, status, published_at, created_at, "
                            + "updated_at) SELECT $1, 'properties', min(code), 'none', 0, 'published', now(), now(), now() FROM category",
                    course);
            for (int i = 0; i < lessons.length; i++) {
                execute(
                        "INSERT INTO lesson (id, course_id, position, title, created_at, updated_at) "
                                + "VALUES ($1, $2, $3, 'properties', now(), now())",
                        lessons[i],
                        course,
                        i + 1);
            }
        }

        void execute(String sql, Object... params) {
            pool.preparedQuery(sql)
                    .execute(io.vertx.mutiny.sqlclient.Tuple.from(params))
                    .await()
                    .atMost(HotPathHarness.TIMEOUT);
        }

        long queryLong(String sql, Object... params) {
            var rows = pool.preparedQuery(sql)
                    .execute(io.vertx.mutiny.sqlclient.Tuple.from(params))
                    .await()
                    .atMost(HotPathHarness.TIMEOUT);
            return ((Number) rows.iterator().next().getValue(0)).longValue();
        }
    }
}
