package cn.hongtong.learning;

import cn.hongtong.credit.CreditGrants;
import cn.hongtong.statistics.RollupWriter;
import cn.hongtong.statistics.RollupWriter.Completion;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Applies a batch of learning events to PostgreSQL in one transaction: session totals, per-day
 * session totals, the hours ledger, lesson coverage and completion, the credits of courses it
 * completes ({@link CreditGrants}) and (through statistics' {@link RollupWriter}) the statistics
 * rollups, all in the same transaction.
 * Exactly once by construction: stored values only grow (GREATEST), and every increment is
 * new - stored, computed under a row lock on (session, day). Applying a batch twice, out of
 * order, or from two flushers at once therefore gives the same totals. All the flusher's SQL but
 * the rollups' is here.
 */
@ApplicationScoped
class FlushWriter {

    private final Pool pool;
    private final LearningConfig config;
    private final RollupWriter rollups;
    private final CreditGrants grants;

    FlushWriter(Pool pool, LearningConfig config, RollupWriter rollups, CreditGrants grants) {
        this.pool = pool;
        this.config = config;
        this.rollups = rollups;
        this.grants = grants;
    }

    Uni<Void> apply(List<LearningEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Every step takes its row locks in key order, and the steps run in the same order in
        // every transaction, so concurrent flushers wait for each other but never deadlock.
        return pool.withTransaction(conn -> sessions(conn, events)
                .chain(() -> sessionDays(conn, events))
                .chain(deltas -> ledger(conn, deltas)
                        .chain(() -> progress(conn, events))
                        .chain(lessons -> courseCompletions(conn, lessons)
                                .call(courses -> grants.issue(
                                        conn,
                                        courses.stream()
                                                .map(Completion::learner)
                                                .toList(),
                                        courses.stream().map(Completion::course).toList()))
                                .chain(courses -> rollups.write(conn, growth(deltas), lessons, courses))))
                .chain(() -> creditClock(conn, events)));
    }

    private record ClockKey(UUID learner, LocalDate day) {}

    /**
     * The learner's credit clock (the wall-clock spans credit was stamped on), kept as a union per
     * learner and day: Redis is refilled from it if it ever loses the clock, and an auditor can
     * check in SQL that no wall-clock millisecond was credited twice.
     */
    private Uni<Void> creditClock(SqlConnection conn, List<LearningEvent> events) {
        Map<ClockKey, List<String>> spans =
                new TreeMap<>(Comparator.comparing(ClockKey::learner).thenComparing(ClockKey::day));
        for (LearningEvent e : events) {
            if (!e.clock().isEmpty()) {
                spans.computeIfAbsent(new ClockKey(e.learner(), e.day()), k -> new ArrayList<>())
                        .add(e.clockMultirange());
            }
        }
        if (spans.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<ClockKey> keys = new ArrayList<>(spans.keySet());
        return conn.preparedQuery("""
                INSERT INTO credit_clock (learner_id, day, spans)
                SELECT learner, day, spans::int8multirange
                FROM unnest($1::uuid[], $2::date[], $3::text[]) AS v(learner, day, spans)
                ORDER BY learner, day
                ON CONFLICT (learner_id, day) DO UPDATE SET spans = credit_clock.spans + EXCLUDED.spans""")
                .execute(Tuple.of(
                        keys.stream().map(ClockKey::learner).toArray(UUID[]::new),
                        keys.stream().map(ClockKey::day).toArray(LocalDate[]::new),
                        keys.stream().map(k -> union(spans.get(k))).toArray(String[]::new)))
                .replaceWithVoid();
    }

    /** Session totals: the latest seq's position, the largest cumulative values. */
    private Uni<Void> sessions(SqlConnection conn, List<LearningEvent> events) {
        Map<UUID, LearningEvent> latest = new TreeMap<>();
        Map<UUID, long[]> max = new HashMap<>();
        Map<UUID, Long> endedAt = new HashMap<>();
        Map<UUID, Long> lastAt = new HashMap<>();
        for (LearningEvent e : events) {
            lastAt.merge(e.session(), e.at(), Math::max);
            latest.merge(e.session(), e, (a, b) -> b.seq() > a.seq() ? b : a);
            max.merge(e.session(), new long[] {e.watchMs(), e.creditedMs()}, (a, b) ->
                    new long[] {Math.max(a[0], b[0]), Math.max(a[1], b[1])});
            if (e.ended()) {
                endedAt.merge(e.session(), e.at(), Math::min);
            }
        }
        List<UUID> ids = new ArrayList<>(latest.keySet());
        return conn.preparedQuery("""
                UPDATE learning_session s SET
                    position_ms = CASE WHEN v.seq > s.last_seq THEN v.position ELSE s.position_ms END,
                    last_seq = GREATEST(s.last_seq, v.seq),
                    watch_ms = GREATEST(s.watch_ms, v.watch),
                    credited_ms = GREATEST(s.credited_ms, v.credited),
                    ended_at = COALESCE(s.ended_at, v.ended_at),
                    last_heartbeat_at = GREATEST(s.last_heartbeat_at, v.last_at),
                    updated_at = now()
                FROM unnest($1::uuid[], $2::int[], $3::int[], $4::bigint[], $5::bigint[], $6::timestamptz[], $7::timestamptz[])
                    AS v(id, seq, position, watch, credited, ended_at, last_at)
                WHERE s.id = v.id""")
                .execute(Tuple.from(new Object[] {
                    ids.toArray(UUID[]::new),
                    ids.stream().map(id -> latest.get(id).seq()).toArray(Integer[]::new),
                    ids.stream().map(id -> latest.get(id).positionMs()).toArray(Integer[]::new),
                    ids.stream().map(id -> max.get(id)[0]).toArray(Long[]::new),
                    ids.stream().map(id -> max.get(id)[1]).toArray(Long[]::new),
                    ids.stream()
                            .map(id -> endedAt.containsKey(id) ? utc(endedAt.get(id)) : null)
                            .toArray(OffsetDateTime[]::new),
                    ids.stream().map(id -> utc(lastAt.get(id))).toArray(OffsetDateTime[]::new)
                }))
                .replaceWithVoid();
    }

    /** What a (session, day) adds to the ledger: its growth since it was last stored. */
    record Delta(UUID learner, UUID lesson, UUID course, LocalDate day, long watchMs, long creditedMs) {}

    private record DayKey(UUID session, LocalDate day) {}

    private Uni<List<Delta>> sessionDays(SqlConnection conn, List<LearningEvent> events) {
        Map<DayKey, LearningEvent> byDay =
                new TreeMap<>(Comparator.comparing(DayKey::session).thenComparing(DayKey::day));
        Map<DayKey, long[]> max = new HashMap<>();
        for (LearningEvent e : events) {
            DayKey key = new DayKey(e.session(), e.day());
            byDay.putIfAbsent(key, e);
            max.merge(key, new long[] {e.dayWatchMs(), e.dayCreditedMs()}, (a, b) ->
                    new long[] {Math.max(a[0], b[0]), Math.max(a[1], b[1])});
        }
        List<DayKey> keys = new ArrayList<>(byDay.keySet());
        UUID[] sessions = keys.stream().map(DayKey::session).toArray(UUID[]::new);
        LocalDate[] days = keys.stream().map(DayKey::day).toArray(LocalDate[]::new);
        return conn.preparedQuery("INSERT INTO session_day (session_id, day) "
                        + "SELECT * FROM unnest($1::uuid[], $2::date[]) ORDER BY 1, 2 ON CONFLICT DO NOTHING")
                .execute(Tuple.of(sessions, days))
                // The row locks, taken in key order, make concurrent flushers wait for each other.
                .chain(() -> conn.preparedQuery("SELECT session_id, day, watch_ms, credited_ms FROM session_day "
                                + "WHERE (session_id, day) IN (SELECT * FROM unnest($1::uuid[], $2::date[])) "
                                + "ORDER BY session_id, day FOR UPDATE")
                        .execute(Tuple.of(sessions, days)))
                .chain(rows -> {
                    Map<DayKey, long[]> stored = new HashMap<>();
                    for (Row row : rows) {
                        stored.put(
                                new DayKey(row.getUUID("session_id"), row.getLocalDate("day")),
                                new long[] {row.getLong("watch_ms"), row.getLong("credited_ms")});
                    }
                    List<Delta> deltas = new ArrayList<>();
                    for (DayKey key : keys) {
                        long[] now = max.get(key);
                        long[] before = stored.getOrDefault(key, new long[] {0, 0});
                        long dw = Math.max(0, now[0] - before[0]);
                        long dc = Math.max(0, now[1] - before[1]);
                        if (dw > 0 || dc > 0) {
                            LearningEvent e = byDay.get(key);
                            deltas.add(new Delta(e.learner(), e.lesson(), e.course(), key.day(), dw, dc));
                        }
                    }
                    return conn.preparedQuery("UPDATE session_day d SET watch_ms = GREATEST(d.watch_ms, v.w), "
                                    + "credited_ms = GREATEST(d.credited_ms, v.c) "
                                    + "FROM unnest($1::uuid[], $2::date[], $3::bigint[], $4::bigint[]) AS v(s, day, w, c) "
                                    + "WHERE d.session_id = v.s AND d.day = v.day")
                            .execute(Tuple.of(
                                    sessions,
                                    days,
                                    keys.stream().map(k -> max.get(k)[0]).toArray(Long[]::new),
                                    keys.stream().map(k -> max.get(k)[1]).toArray(Long[]::new)))
                            .replaceWith(deltas);
                });
    }

    private Uni<Void> ledger(SqlConnection conn, List<Delta> deltas) {
        if (deltas.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("""
                INSERT INTO hours_ledger (learner_id, lesson_id, course_id, day, watch_ms, credited_ms)
                SELECT learner, lesson, min(course::text)::uuid, day, sum(w), sum(c)
                FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::date[], $5::bigint[], $6::bigint[])
                    AS v(learner, lesson, course, day, w, c)
                GROUP BY learner, lesson, day ORDER BY learner, lesson, day
                ON CONFLICT (learner_id, lesson_id, day) DO UPDATE SET
                    watch_ms = hours_ledger.watch_ms + EXCLUDED.watch_ms,
                    credited_ms = hours_ledger.credited_ms + EXCLUDED.credited_ms""").execute(deltaTuple(deltas)).replaceWithVoid();
    }

    /** Multirange literals as one literal of all their ranges (PostgreSQL merges what overlaps). */
    static String union(List<String> multiranges) {
        StringBuilder union = new StringBuilder("{");
        for (String m : multiranges) {
            if (!m.equals("{}")) {
                union.append(union.length() > 1 ? "," : "").append(m, 1, m.length() - 1);
            }
        }
        return union.append('}').toString();
    }

    private static List<RollupWriter.Growth> growth(List<Delta> deltas) {
        return deltas.stream()
                .map(d -> new RollupWriter.Growth(d.learner(), d.course(), d.day(), d.watchMs(), d.creditedMs()))
                .toList();
    }

    private static Tuple deltaTuple(List<Delta> deltas) {
        return Tuple.of(
                deltas.stream().map(Delta::learner).toArray(UUID[]::new),
                deltas.stream().map(Delta::lesson).toArray(UUID[]::new),
                deltas.stream().map(Delta::course).toArray(UUID[]::new),
                deltas.stream().map(Delta::day).toArray(LocalDate[]::new),
                deltas.stream().map(Delta::watchMs).toArray(Long[]::new),
                deltas.stream().map(Delta::creditedMs).toArray(Long[]::new));
    }

    private record LessonKey(UUID learner, UUID lesson) {}

    /** Coverage (a union: idempotent in any order), latest position, and completion once. */
    private Uni<List<Completion>> progress(SqlConnection conn, List<LearningEvent> events) {
        Map<LessonKey, List<LearningEvent>> byLesson =
                new TreeMap<>(Comparator.comparing(LessonKey::learner).thenComparing(LessonKey::lesson));
        for (LearningEvent e : events) {
            byLesson.computeIfAbsent(new LessonKey(e.learner(), e.lesson()), k -> new ArrayList<>())
                    .add(e);
        }
        List<LessonKey> keys = new ArrayList<>(byLesson.keySet());
        List<Object[]> rows = new ArrayList<>();
        for (LessonKey key : keys) {
            List<LearningEvent> list = byLesson.get(key);
            LearningEvent last = list.stream()
                    .max(Comparator.comparingLong(LearningEvent::at))
                    .orElseThrow();
            rows.add(new Object[] {
                key.learner(),
                key.lesson(),
                last.course(),
                last.durationMs(),
                union(list.stream().map(LearningEvent::multirange).toList()),
                last.positionMs(),
                utc(last.at()),
                last.day()
            });
        }
        Tuple args = Tuple.from(new Object[] {
            rows.stream().map(r -> (UUID) r[0]).toArray(UUID[]::new),
            rows.stream().map(r -> (UUID) r[1]).toArray(UUID[]::new),
            rows.stream().map(r -> (UUID) r[2]).toArray(UUID[]::new),
            rows.stream().map(r -> (Integer) r[3]).toArray(Integer[]::new),
            rows.stream().map(r -> (String) r[4]).toArray(String[]::new),
            rows.stream().map(r -> (Integer) r[5]).toArray(Integer[]::new),
            rows.stream().map(r -> (OffsetDateTime) r[6]).toArray(OffsetDateTime[]::new)
        });
        return conn.preparedQuery("""
                INSERT INTO lesson_progress (learner_id, lesson_id, course_id, duration_ms, covered, position_ms,
                                             position_at, updated_at)
                SELECT learner, lesson, course, duration, covered::int4multirange, position, at, now()
                FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::int[], $7::timestamptz[])
                    AS v(learner, lesson, course, duration, covered, position, at)
                ORDER BY learner, lesson
                ON CONFLICT (learner_id, lesson_id) DO UPDATE SET
                    covered = lesson_progress.covered + EXCLUDED.covered,
                    position_ms = CASE WHEN EXCLUDED.position_at >= coalesce(lesson_progress.position_at, '-infinity')
                                       THEN EXCLUDED.position_ms ELSE lesson_progress.position_ms END,
                    position_at = GREATEST(lesson_progress.position_at, EXCLUDED.position_at),
                    updated_at = now()""")
                .execute(args)
                .chain(() -> conn.preparedQuery("""
                        UPDATE lesson_progress p SET
                            covered_ms = m.ms,
                            completed_at = CASE WHEN p.completed_at IS NULL AND m.ms >= $3::float8 * p.duration_ms
                                                THEN now() ELSE p.completed_at END,
                            completed_on = CASE WHEN p.completed_at IS NULL AND m.ms >= $3::float8 * p.duration_ms
                                                THEN m.day ELSE p.completed_on END
                        FROM (SELECT lp.learner_id, lp.lesson_id, lp.completed_at AS was, v.day,
                                     (SELECT coalesce(sum(upper(r) - lower(r)), 0) FROM unnest(lp.covered) AS r)::int AS ms
                              FROM lesson_progress lp
                              JOIN unnest($1::uuid[], $2::uuid[], $4::date[]) AS v(learner, lesson, day)
                                  ON lp.learner_id = v.learner AND lp.lesson_id = v.lesson) AS m
                        WHERE p.learner_id = m.learner_id AND p.lesson_id = m.lesson_id
                        RETURNING p.learner_id, p.course_id, p.completed_on, (m.was IS NULL AND p.completed_at IS NOT NULL) AS newly""")
                        .execute(Tuple.of(
                                args.getValue(0),
                                args.getValue(1),
                                config.completionThreshold(),
                                rows.stream().map(r -> (LocalDate) r[7]).toArray(LocalDate[]::new))))
                .map(result -> {
                    List<Completion> completions = new ArrayList<>();
                    for (Row row : result) {
                        if (row.getBoolean("newly")) {
                            completions.add(new Completion(
                                    row.getUUID("learner_id"),
                                    row.getUUID("course_id"),
                                    row.getLocalDate("completed_on")));
                        }
                    }
                    return completions;
                });
    }

    /**
     * Courses completed by the lessons this batch completed: once per learner and course, when
     * every lesson of the course is complete, on the day its last lesson was completed (which is
     * not this batch's day when a lesson's plays arrive late, an offline sync or a backlog). A lock per (learner, course), taken in key order,
     * makes two flushers completing a course's last two lessons at once see each other's work
     * (each statement reads what committed before it).
     */
    private Uni<List<Completion>> courseCompletions(SqlConnection conn, List<Completion> lessons) {
        if (lessons.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<LessonKey, LocalDate> byCourse =
                new TreeMap<>(Comparator.comparing(LessonKey::learner).thenComparing(LessonKey::lesson));
        lessons.forEach(
                c -> byCourse.merge(new LessonKey(c.learner(), c.course()), c.day(), (a, b) -> a.isBefore(b) ? a : b));
        UUID[] learners = byCourse.keySet().stream().map(LessonKey::learner).toArray(UUID[]::new);
        UUID[] courses = byCourse.keySet().stream().map(LessonKey::lesson).toArray(UUID[]::new);
        LocalDate[] days = byCourse.values().toArray(LocalDate[]::new);
        return conn.preparedQuery("SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT "
                        + "hashtextextended(learner::text || course::text, 0) AS k FROM unnest($1::uuid[], $2::uuid[]) "
                        + "AS v(learner, course) ORDER BY 1) AS keys")
                .execute(Tuple.of(learners, courses))
                .chain(() -> conn.preparedQuery("""
                        INSERT INTO course_completion (learner_id, course_id, day, completed_at)
                        SELECT v.learner, v.course, coalesce(done.last_day, v.day), now()
                        FROM unnest($1::uuid[], $2::uuid[], $3::date[]) AS v(learner, course, day)
                        CROSS JOIN LATERAL (
                            SELECT count(*) AS lessons, max(p.completed_on) AS last_day
                            FROM lesson le JOIN lesson_progress p ON p.lesson_id = le.id
                            WHERE le.course_id = v.course AND p.learner_id = v.learner AND p.completed_at IS NOT NULL) AS done
                        WHERE (SELECT count(*) FROM lesson le WHERE le.course_id = v.course) = done.lessons
                        ORDER BY 1, 2
                        ON CONFLICT DO NOTHING
                        RETURNING learner_id, course_id, day""").execute(Tuple.of(learners, courses, days)))
                .map(rows -> {
                    List<Completion> done = new ArrayList<>();
                    rows.forEach(r -> done.add(
                            new Completion(r.getUUID("learner_id"), r.getUUID("course_id"), r.getLocalDate("day"))));
                    return done;
                });
    }

    private static OffsetDateTime utc(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
    }
}
