package cn.hongtong.learning;

import static cn.hongtong.testsupport.Learning.playing;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.MediaFixtures;
import cn.hongtong.testsupport.TestClock;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The flusher: from the Redis stream into PostgreSQL, exactly once whatever happens. */
@QuarkusTest
class FlusherTest {

    private static final Duration FLUSH = Duration.ofSeconds(30);

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    FlushWriter writer;

    @Inject
    ReactiveRedisDataSource redis;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    @Test
    void heartbeatsReachSessionsLedgerCoverageAndRollups() throws Exception {
        String learner = Learning.newLearner();
        UUID lesson = Learning.lesson(fixtures, 60);
        clock.fix();
        String s = Learning.startSession(learner, lesson, "d");
        for (int i = 0; i < 6; i++) {
            clock.advanceSeconds(10);
            playing(learner, s, i + 1, i * 10, i * 10 + 10);
        }
        Learning.end(learner, s).then().statusCode(200);
        UUID session = UUID.fromString(s);
        Fixtures.awaitLong(
                "session credited",
                60_000,
                () -> fixtures.queryLong("SELECT credited_ms FROM learning_session WHERE id = $1", session));
        Fixtures.awaitLong(
                "ended",
                1,
                () -> fixtures.queryLong(
                        "SELECT count(*) FROM learning_session WHERE id = $1 AND ended_at IS NOT NULL", session));
        assertEquals(60_000, fixtures.queryLong("SELECT watch_ms FROM learning_session WHERE id = $1", session));
        assertEquals(
                60_000, fixtures.queryLong("SELECT sum(credited_ms) FROM hours_ledger WHERE lesson_id = $1", lesson));
        assertEquals(60_000, fixtures.queryLong("SELECT covered_ms FROM lesson_progress WHERE lesson_id = $1", lesson));
        assertEquals(
                1,
                fixtures.queryLong(
                        "SELECT count(*) FROM lesson_progress WHERE lesson_id = $1 AND completed_at IS NOT NULL",
                        lesson));
        assertEquals(
                60_000,
                fixtures.queryLong(
                        "SELECT sum(r.credited_ms) FROM stats_daily r JOIN lesson l ON l.course_id = r.course_id "
                                + "WHERE r.grain = 0 AND l.id = $1",
                        lesson));
        assertEquals(
                1,
                fixtures.queryLong(
                        "SELECT sum(r.lesson_completions) FROM stats_daily r JOIN lesson l ON l.course_id = r.course_id "
                                + "WHERE r.grain = 1 AND l.id = $1",
                        lesson));
        assertEquals(
                1,
                fixtures.queryLong(
                        "SELECT count(*) FROM course_activity d JOIN lesson l ON l.course_id = d.course_id "
                                + "WHERE l.id = $1",
                        lesson));
    }

    @Test
    void aLessonWatchedInPartIsNotComplete() throws Exception {
        // Regression: the completion threshold (0.9) was bound as an integer (0), so any coverage completed a lesson.
        String learner = Learning.newLearner();
        UUID lesson = Learning.lesson(fixtures, 60);
        clock.fix();
        String s = Learning.startSession(learner, lesson, "d");
        for (int i = 0; i < 5; i++) {
            clock.advanceSeconds(10);
            playing(learner, s, i + 1, i * 10, i * 10 + 10);
        }
        Fixtures.awaitLong(
                "covered",
                50_000,
                () -> fixtures.queryLong(
                        "SELECT coalesce(max(covered_ms), 0) FROM lesson_progress " + "WHERE lesson_id = $1", lesson));
        assertEquals(
                0,
                fixtures.queryLong(
                        "SELECT count(*) FROM lesson_progress WHERE lesson_id = $1 "
                                + "AND (completed_at IS NOT NULL OR completed_on IS NOT NULL)",
                        lesson));
        clock.advanceSeconds(10);
        playing(learner, s, 6, 50, 60);
        Fixtures.awaitLong(
                "completed at 60 of 60 s",
                1,
                () -> fixtures.queryLong(
                        "SELECT count(*) FROM lesson_progress "
                                + "WHERE lesson_id = $1 AND completed_at IS NOT NULL AND completed_on IS NOT NULL",
                        lesson));
    }

    /** A session's events as the hot path makes them: 10 s per heartbeat, crossing midnight after the 3rd. */
    private List<LearningEvent> events(UUID session, UUID learner, UUID lesson, UUID course) {
        List<LearningEvent> list = new ArrayList<>();
        LocalDate first = LocalDate.of(2026, 3, 1);
        long dayWatch = 0;
        for (int i = 1; i <= 6; i++) {
            LocalDate day = i <= 3 ? first : first.plusDays(1);
            if (i == 4) {
                dayWatch = 0;
            }
            dayWatch += 10_000;
            list.add(new LearningEvent(
                    "0-" + i,
                    "heartbeat",
                    session,
                    learner,
                    lesson,
                    course,
                    60_000,
                    i,
                    1_772_000_000_000L + i * 10_000L,
                    day,
                    i * 10_000,
                    i * 10_000L,
                    i * 10_000L,
                    dayWatch,
                    dayWatch,
                    ((i - 1) * 10_000) + "," + (i * 10_000),
                    (1_772_000_000_000L + (i - 1) * 10_000L) + "," + (1_772_000_000_000L + i * 10_000L)));
        }
        return list;
    }

    private record Ids(UUID session, UUID learner, UUID lesson, UUID course) {}

    private Ids newSession() {
        String learner = Learning.newLearner();
        UUID lesson = Learning.lesson(fixtures, 60);
        UUID session = UUID.fromString(Learning.startSession(learner, lesson, "d"));
        UUID learnerId = UUID.fromString(String.valueOf(
                fixtures.queryString("SELECT learner_id::text FROM learning_session WHERE id = $1", session)));
        UUID course = UUID.fromString(fixtures.queryString("SELECT course_id::text FROM lesson WHERE id = $1", lesson));
        return new Ids(session, learnerId, lesson, course);
    }

    private String totals(Ids ids) {
        return fixtures.queryString(
                        "SELECT string_agg(day || ':' || watch_ms || '/' || credited_ms, ' ' ORDER BY day) "
                                + "FROM hours_ledger WHERE learner_id = $1 AND lesson_id = $2",
                        ids.learner(),
                        ids.lesson())
                + " | "
                + fixtures.queryString(
                        "SELECT credited_ms || '/' || watch_ms || '/' || last_seq || '/' || position_ms "
                                + "FROM learning_session WHERE id = $1",
                        ids.session())
                + " | "
                + fixtures.queryString(
                        "SELECT covered::text || ' ' || covered_ms || ' ' || (completed_at IS NOT NULL) "
                                + "FROM lesson_progress WHERE learner_id = $1 AND lesson_id = $2",
                        ids.learner(),
                        ids.lesson())
                + " | "
                + fixtures.queryString(
                        "SELECT string_agg(day || ':' || credited_ms || ':' || lesson_completions, ' ' ORDER BY day) "
                                + "FROM stats_daily WHERE grain = 0 AND course_id = $1",
                        ids.course());
    }

    @Test
    void eventsAppliedTwiceAndShuffledGiveIdenticalTotals() {
        Ids inOrder = newSession();
        writer.apply(events(inOrder.session(), inOrder.learner(), inOrder.lesson(), inOrder.course()))
                .await()
                .atMost(FLUSH);
        String expected = totals(inOrder);
        assertEquals("2026-03-01:30000/30000 2026-03-02:30000/30000", expected.substring(0, expected.indexOf(" |")));

        Ids shuffled = newSession();
        List<LearningEvent> messy =
                new ArrayList<>(events(shuffled.session(), shuffled.learner(), shuffled.lesson(), shuffled.course()));
        messy.addAll(messy.subList(1, 4));
        Collections.shuffle(messy, new Random(42));
        for (int i = 0; i < messy.size(); i += 3) {
            writer.apply(messy.subList(i, Math.min(messy.size(), i + 3)))
                    .await()
                    .atMost(FLUSH);
        }
        writer.apply(messy).await().atMost(FLUSH);
        assertEquals(
                expected.replace(inOrder.session().toString(), "s"),
                totals(shuffled).replace(shuffled.session().toString(), "s"));
    }

    @Test
    void twoFlushersApplyingTheSameEventsAtOnceDoubleNothing() throws Exception {
        Ids ids = newSession();
        List<LearningEvent> events = events(ids.session(), ids.learner(), ids.lesson(), ids.course());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> flushers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                List<LearningEvent> copy = new ArrayList<>(events);
                Collections.shuffle(copy, new Random(i));
                flushers.add(() -> writer.apply(copy).await().atMost(FLUSH));
            }
            for (Future<Void> f : pool.invokeAll(flushers)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(
                60_000,
                fixtures.queryLong("SELECT sum(credited_ms) FROM hours_ledger WHERE learner_id = $1", ids.learner()));
        assertEquals(
                60_000,
                fixtures.queryLong(
                        "SELECT sum(credited_ms) FROM stats_daily WHERE grain = 0 AND course_id = $1", ids.course()));
        assertEquals(
                1,
                fixtures.queryLong(
                        "SELECT sum(lesson_completions) FROM stats_daily WHERE grain = 1 AND course_id = $1",
                        ids.course()));
        // The credit clock's copy: one wall-clock millisecond per credited millisecond, none twice.
        assertEquals(
                60_000,
                fixtures.queryLong(
                        "SELECT sum(upper(r) - lower(r)) FROM (SELECT range_agg(r) AS m "
                                + "FROM credit_clock c, unnest(c.spans) AS r WHERE c.learner_id = $1) AS u, unnest(u.m) AS r",
                        ids.learner()));
    }

    @Test
    void aCourseIsCompletedOnTheDayOfItsLastLessonWhenAnEarlierPlayArrivesLate() {
        // Regression: the course took the day of the batch that completed it, so yesterday's play
        // of its first lesson, arriving after today's play of its second, dated it yesterday.
        TwoLessons t = twoLessons();
        LocalDate yesterday = LocalDate.of(2026, 3, 1);
        LocalDate today = yesterday.plusDays(1);
        writer.apply(List.of(t.wholeSecond(today))).await().atMost(FLUSH);
        writer.apply(List.of(t.wholeFirst(yesterday))).await().atMost(FLUSH);
        assertEquals(
                today.toString(),
                fixtures.queryString(
                        "SELECT day::text FROM course_completion WHERE learner_id = $1 AND course_id = $2",
                        t.learner(),
                        t.course()));
        assertEquals(
                1,
                fixtures.queryLong(
                        "SELECT sum(course_completions) FROM stats_daily WHERE grain = 1 AND course_id = $1 "
                                + "AND day = $2",
                        t.course(),
                        today));
    }

    @Test
    void aLearnerSeenFirstInAWeekIsCountedOnTheEarliestDayEvenWhenItsPlayArrivesLate() {
        // Regression (bench/faults scenario 5): the first-seen mark of a week and month went to the
        // day of the first play flushed, so Monday's play arriving after Tuesday's counted the
        // learner on Tuesday, and the daily split differed from a run in order.
        TwoLessons t = twoLessons();
        LocalDate monday = LocalDate.of(2024, 9, 9);
        LocalDate tuesday = monday.plusDays(1);
        String counts = "SELECT coalesce(sum(day_learners), 0) || '/' || coalesce(sum(week_learners), 0) || '/' "
                + "|| coalesce(sum(month_learners), 0) FROM stats_daily WHERE grain = 2 AND day = $1";
        String mondayBefore = fixtures.queryString(counts, monday);
        String tuesdayBefore = fixtures.queryString(counts, tuesday);
        writer.apply(List.of(t.wholeSecond(tuesday))).await().atMost(FLUSH);
        writer.apply(List.of(t.wholeFirst(monday))).await().atMost(FLUSH);
        assertEquals(plus(mondayBefore, 1, 1, 1), fixtures.queryString(counts, monday));
        assertEquals(plus(tuesdayBefore, 1, 0, 0), fixtures.queryString(counts, tuesday));
        assertEquals(
                monday.toString(),
                fixtures.queryString(
                        "SELECT first_day::text FROM learner_period WHERE kind = 'w' AND learner_id = $1",
                        t.learner()));
    }

    private static String plus(String counts, int day, int week, int month) {
        String[] c = counts.split("/");
        return (Long.parseLong(c[0]) + day) + "/" + (Long.parseLong(c[1]) + week) + "/"
                + (Long.parseLong(c[2]) + month);
    }

    /** A learner with a session on each lesson of a course of two 60-second lessons. */
    private record TwoLessons(
            UUID learner, UUID course, UUID first, UUID second, UUID firstSession, UUID secondSession) {

        LearningEvent wholeFirst(LocalDate day) {
            return wholeLesson(firstSession, first, day);
        }

        LearningEvent wholeSecond(LocalDate day) {
            return wholeLesson(secondSession, second, day);
        }

        /** One event covering a whole lesson on the given day. */
        private LearningEvent wholeLesson(UUID session, UUID lesson, LocalDate day) {
            long at = day.atTime(12, 0)
                    .atZone(ZoneId.of("Asia/Shanghai"))
                    .toInstant()
                    .toEpochMilli();
            return new LearningEvent(
                    "0-1",
                    "heartbeat",
                    session,
                    learner,
                    lesson,
                    course,
                    60_000,
                    1,
                    at,
                    day,
                    60_000,
                    60_000,
                    60_000,
                    60_000,
                    60_000,
                    "0,60000",
                    (at - 60_000) + "," + at);
        }
    }

    private TwoLessons twoLessons() {
        Ids first = newSession();
        UUID second = MediaFixtures.lessonIn(first.course(), fixtures.asset("ready", 60), "第二讲");
        String token = Learning.newLearner();
        UUID s1 = UUID.fromString(Learning.startSession(token, first.lesson(), "d"));
        UUID s2 = UUID.fromString(Learning.startSession(token, second, "d"));
        UUID learner = UUID.fromString(
                fixtures.queryString("SELECT learner_id::text FROM learning_session WHERE id = $1", s1));
        return new TwoLessons(learner, first.course(), first.lesson(), second, s1, s2);
    }

    @Test
    void entryLeftPendingByADeadFlusherIsAppliedOnce() throws Exception {
        Ids ids = newSession();
        LearningEvent e =
                events(ids.session(), ids.learner(), ids.lesson(), ids.course()).get(0);
        // Added and taken by a consumer that then dies without acknowledging (a crash after commit
        // looks the same: the entry is delivered again).
        String script = "local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV)) "
                + "redis.call('XREADGROUP', 'GROUP', 'flushers', 'dead-replica', 'COUNT', 1000, 'STREAMS', KEYS[1], '>') "
                + "return id";
        List<String> args = new ArrayList<>(List.of("EVAL", script, "1", HotPath.STREAM));
        args.addAll(firstHeartbeatEntry(ids, e));
        redis.execute(args.get(0), args.subList(1, args.size()).toArray(String[]::new))
                .await()
                .atMost(FLUSH);
        writer.apply(List.of(e)).await().atMost(FLUSH); // the dead consumer had committed it already
        Fixtures.awaitLong(
                "claimed and applied",
                10_000,
                () -> fixtures.queryLong(
                        "SELECT sum(credited_ms) FROM hours_ledger WHERE learner_id = $1", ids.learner()));
        Fixtures.awaitLong(
                "acknowledged",
                0,
                () -> redis.execute("XPENDING", HotPath.STREAM, Flusher.GROUP, "-", "+", "1000", "dead-replica")
                        .await()
                        .atMost(FLUSH)
                        .size());
        assertEquals(
                10_000,
                fixtures.queryLong("SELECT sum(credited_ms) FROM hours_ledger WHERE learner_id = $1", ids.learner()));
    }

    /** The stream entry of a session's first heartbeat: 10 s watched and credited, dated as {@code e}. */
    private static List<String> firstHeartbeatEntry(Ids ids, LearningEvent e) {
        return List.of(
                "type",
                "heartbeat",
                "session",
                ids.session().toString(),
                "learner",
                ids.learner().toString(),
                "lesson",
                ids.lesson().toString(),
                "course",
                ids.course().toString(),
                "duration",
                "60000",
                "seq",
                "1",
                "at",
                Long.toString(e.at()),
                "day",
                e.day().toString(),
                "position",
                "10000",
                "watch",
                "10000",
                "credited",
                "10000",
                "dwatch",
                "10000",
                "dcredited",
                "10000",
                "segments",
                "0,10000");
    }

    @Test
    void anEntryDeliveredOftenBecauseOfAnOutageIsAppliedNotDeadLettered() throws Exception {
        // Regression: a database outage made every delivery of an entry fail; after max-deliveries
        // maintenance moved it to the dead-letter stream although the entry itself was sound, and
        // its seconds never reached the ledger.
        Ids ids = newSession();
        LearningEvent e =
                events(ids.session(), ids.learner(), ids.lesson(), ids.course()).get(0);
        String script = "local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV)) "
                + "redis.call('XREADGROUP', 'GROUP', 'flushers', 'replica-in-an-outage', 'COUNT', 1000, 'STREAMS', KEYS[1], '>') "
                + "redis.call('XCLAIM', KEYS[1], 'flushers', 'replica-in-an-outage', 0, id, 'RETRYCOUNT', 9) "
                + "return id";
        List<String> args = new ArrayList<>(List.of(script, "1", HotPath.STREAM));
        args.addAll(firstHeartbeatEntry(ids, e));
        String id = redis.execute("EVAL", args.toArray(String[]::new))
                .await()
                .atMost(FLUSH)
                .toString();
        Fixtures.awaitLong(
                "claimed and applied",
                10_000,
                () -> fixtures.queryLong(
                        "SELECT coalesce(sum(credited_ms), 0) FROM hours_ledger WHERE learner_id = $1", ids.learner()));
        long deadLettered = 0;
        for (var entry :
                redis.execute("XRANGE", Flusher.DEAD_LETTER, "-", "+").await().atMost(FLUSH)) {
            deadLettered += entry.get(1).toString().contains(id) ? 1 : 0;
        }
        assertEquals(0, deadLettered);
    }

    @Test
    void databaseRefusalsAreToldApartFromOutages() {
        assertEquals(
                true,
                Flusher.refusedAsData(new RuntimeException(new PgException("value too long", "ERROR", "22001", null))));
        assertEquals(
                false,
                Flusher.refusedAsData(new PgException(
                        "terminating connection due to administrator command", "FATAL", "57P01", null)));
        assertEquals(false, Flusher.refusedAsData(new VertxException("Connection refused")));
    }

    @Test
    void poisonEntryGoesToTheDeadLetterStream() throws Exception {
        String marker = UUID.randomUUID().toString();
        redis.execute("XADD", HotPath.STREAM, "*", "type", "heartbeat", "session", "not-a-uuid", "marker", marker)
                .await()
                .atMost(FLUSH);
        Fixtures.awaitLong("dead-lettered", 1, () -> {
            var entries = redis.execute("XRANGE", Flusher.DEAD_LETTER, "-", "+")
                    .await()
                    .atMost(FLUSH);
            long found = 0;
            for (var entry : entries) {
                if (entry.get(1).toString().contains(marker)) {
                    found++;
                }
            }
            return found;
        });
    }
}
