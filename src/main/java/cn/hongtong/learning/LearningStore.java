package cn.hongtong.learning;

import cn.hongtong.learning.FlushBatch.ClockSpans;
import cn.hongtong.learning.FlushBatch.Delta;
import cn.hongtong.learning.FlushBatch.LessonTouch;
import cn.hongtong.learning.FlushBatch.SessionDay;
import cn.hongtong.learning.FlushBatch.SessionTotal;
import cn.hongtong.learning.OfflineDtos.PlayResult;
import cn.hongtong.learning.ProgressService.CourseProgress;
import cn.hongtong.learning.ProgressService.Hours;
import cn.hongtong.learning.ProgressService.LedgerDay;
import cn.hongtong.learning.ProgressService.Progress;
import cn.hongtong.statistics.RollupStore.Completion;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * All of learning's SQL: starting a session, the learner's progress and ledger, offline plays,
 * and the flusher's set-based writes (each takes its rows in key order, the order
 * {@link FlushBatch} folds them in, so concurrent flushers wait for each other but never
 * deadlock). Never on the heartbeat path, which is Redis only.
 */
@ApplicationScoped
class LearningStore {

    private final Pool pool;

    LearningStore(Pool pool) {
        this.pool = pool;
    }

    /** What PostgreSQL knows of the learner's progress in a lesson. */
    record LessonState(String covered, int positionMs) {}

    /**
     * Inserts a session's row unless it exists (a resent offline play finds it); true when this
     * call inserted it. Never for a learner whose account was deleted: their tokens verify until
     * they expire, and another replica may still know the learner by its subject.
     */
    Uni<Boolean> insertSession(
            UUID id, UUID learner, UUID lesson, UUID course, String device, String client, Instant at) {
        return pool.preparedQuery(
                        "INSERT INTO learning_session (id, learner_id, lesson_id, course_id, device_id, client, "
                                + "started_at, updated_at) SELECT $1, $2, $3, $4, $5, $6, $7, $7 "
                                + "WHERE NOT EXISTS (SELECT 1 FROM learner WHERE id = $2 AND erased_at IS NOT NULL) "
                                + "ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.from(new Object[] {id, learner, lesson, course, device, client, utc(at)}))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Coverage as "s,e,s,e" in milliseconds and the last position; empty when nothing was watched. */
    Uni<LessonState> lessonState(UUID learner, UUID lesson) {
        return pool.preparedQuery("SELECT covered::text AS covered, position_ms FROM lesson_progress "
                        + "WHERE learner_id = $1 AND lesson_id = $2")
                .execute(Tuple.of(learner, lesson))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return new LessonState("", 0);
                    }
                    Row row = rows.iterator().next();
                    return new LessonState(flatten(row.getString("covered")), row.getInteger("position_ms"));
                });
    }

    /** Credited milliseconds of the learner on a day, from the ledger. */
    Uni<Long> creditedOn(UUID learner, LocalDate day) {
        return pool.preparedQuery(
                        "SELECT coalesce(sum(credited_ms), 0) AS ms FROM hours_ledger WHERE learner_id = $1 AND day = $2")
                .execute(Tuple.of(learner, day))
                .map(rows -> rows.iterator().next().getLong("ms"));
    }

    /** The learner's credit clock as "s,e,s,e" (epoch ms), from the days since {@code since}. */
    Uni<String> creditClock(UUID learner, LocalDate since) {
        return pool.preparedQuery(
                        "SELECT coalesce(range_agg(r)::text, '{}') AS spans FROM credit_clock c, unnest(c.spans) AS r "
                                + "WHERE c.learner_id = $1 AND c.day >= $2")
                .execute(Tuple.of(learner, since))
                .map(rows -> flatten(rows.iterator().next().getString("spans")));
    }

    /** The learner's totals (today, this month, this year) and their courses, latest first. */
    Uni<Progress> progress(UUID learner, LocalDate today) {
        // One round trip: the year's totals on every row, with the learner's courses (none: one row of nulls).
        return pool.preparedQuery("""
                WITH totals AS (
                    SELECT coalesce(sum(credited_ms) FILTER (WHERE day = $2), 0) AS c_day,
                           coalesce(sum(credited_ms) FILTER (WHERE day >= date_trunc('month', $2::date)), 0) AS c_month,
                           coalesce(sum(credited_ms), 0) AS c_year,
                           coalesce(sum(watch_ms) FILTER (WHERE day = $2), 0) AS w_day,
                           coalesce(sum(watch_ms) FILTER (WHERE day >= date_trunc('month', $2::date)), 0) AS w_month,
                           coalesce(sum(watch_ms), 0) AS w_year
                    FROM hours_ledger WHERE learner_id = $1 AND day >= date_trunc('year', $2::date) AND day <= $2),
                courses AS (
                    SELECT c.id, c.title,
                           (SELECT count(*) FROM lesson l WHERE l.course_id = c.id) AS lessons,
                           count(p.completed_at) AS completed,
                           coalesce((SELECT sum(h.credited_ms) FROM hours_ledger h
                                     WHERE h.learner_id = $1 AND h.course_id = c.id), 0) AS credited,
                           max(p.updated_at) AS last_update
                    FROM lesson_progress p JOIN course c ON c.id = p.course_id
                    WHERE p.learner_id = $1
                    GROUP BY c.id, c.title)
                SELECT t.*, c.id, c.title, c.lessons, c.completed, c.credited
                FROM totals t LEFT JOIN courses c ON true
                ORDER BY c.last_update DESC NULLS LAST""").execute(Tuple.of(learner, today)).map(rows -> {
            Row t = null;
            List<CourseProgress> inProgress = new ArrayList<>();
            List<CourseProgress> done = new ArrayList<>();
            for (Row r : rows) {
                t = r;
                if (r.getUUID("id") == null) {
                    continue;
                }
                int lessons = r.getLong("lessons").intValue();
                int completed = r.getLong("completed").intValue();
                CourseProgress cp = new CourseProgress(
                        r.getUUID("id"),
                        r.getString("title"),
                        lessons,
                        completed,
                        hours(r.getLong("credited")),
                        lessons > 0 && completed >= lessons);
                (cp.completed() ? done : inProgress).add(cp);
            }
            return new Progress(
                    new Hours(hours(t.getLong("c_day")), hours(t.getLong("c_month")), hours(t.getLong("c_year"))),
                    new Hours(hours(t.getLong("w_day")), hours(t.getLong("w_month")), hours(t.getLong("w_year"))),
                    inProgress,
                    done);
        });
    }

    /** The learner's ledger between two days (inclusive), day by day and lesson by lesson. */
    Uni<List<LedgerDay>> ledger(UUID learner, LocalDate from, LocalDate to) {
        return pool.preparedQuery("""
                SELECT h.day, h.lesson_id, l.title AS lesson_title, h.course_id, c.title AS course_title,
                       h.credited_ms, h.watch_ms
                FROM hours_ledger h JOIN lesson l ON l.id = h.lesson_id JOIN course c ON c.id = h.course_id
                WHERE h.learner_id = $1 AND h.day BETWEEN $2 AND $3
                ORDER BY h.day, c.title, l.position""").execute(Tuple.of(learner, from, to)).map(rows -> {
            List<LedgerDay> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new LedgerDay(
                        r.getLocalDate("day"),
                        r.getUUID("lesson_id"),
                        r.getString("lesson_title"),
                        r.getUUID("course_id"),
                        r.getString("course_title"),
                        r.getLong("credited_ms") / 60000.0,
                        r.getLong("watch_ms") / 60000.0));
            }
            return out;
        });
    }

    /** Hours with three decimals, from milliseconds. */
    private static double hours(long millis) {
        return Math.round(millis / 3600.0) / 1000.0;
    }

    /** What an offline play was answered when it was first synced; null when it never was. */
    Uni<PlayResult> offlinePlay(UUID learner, UUID playId) {
        return pool.preparedQuery("SELECT status, reason, credited_ms, refused_ms, refused_reasons FROM offline_play "
                        + "WHERE learner_id = $1 AND play_id = $2")
                .execute(Tuple.of(learner, playId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    String reasons = r.getString("refused_reasons");
                    return new PlayResult(
                            playId,
                            r.getString("status"),
                            r.getString("reason"),
                            r.getLong("credited_ms") / 1000.0,
                            r.getLong("refused_ms") / 1000.0,
                            reasons == null || reasons.isEmpty() ? List.of() : List.of(reasons.split(",")));
                });
    }

    /** An offline play's verdict, recorded once: a resent play keeps its first answer. */
    record OfflineVerdict(
            UUID learner,
            UUID playId,
            UUID lesson,
            UUID session,
            Instant startedAt,
            Instant endedAt,
            String status,
            String reason,
            long creditedMs,
            long refusedMs,
            List<String> refusedReasons) {}

    /** Records the verdict unless the play has one, and answers the play's recorded verdict. */
    Uni<PlayResult> recordOfflinePlay(OfflineVerdict v) {
        return pool.preparedQuery(
                        "INSERT INTO offline_play (learner_id, play_id, lesson_id, session_id, started_at, ended_at, "
                                + "status, reason, credited_ms, refused_ms, refused_reasons, created_at) "
                                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now()) ON CONFLICT (learner_id, play_id) DO NOTHING")
                .execute(Tuple.from(Arrays.asList(
                        v.learner(),
                        v.playId(),
                        v.lesson(),
                        v.session(),
                        utc(v.startedAt()),
                        utc(v.endedAt()),
                        v.status(),
                        v.reason(),
                        v.creditedMs(),
                        v.refusedMs(),
                        String.join(",", v.refusedReasons()))))
                .chain(() -> offlinePlay(v.learner(), v.playId()));
    }

    // ---- the flusher's writes, all on the batch's connection and transaction ----

    /** Session totals: the latest seq's position, the largest cumulative values. */
    Uni<Void> updateSessions(SqlConnection conn, List<SessionTotal> totals) {
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
                    column(totals, SessionTotal::session, UUID[]::new),
                    column(totals, SessionTotal::seq, Integer[]::new),
                    column(totals, SessionTotal::positionMs, Integer[]::new),
                    column(totals, SessionTotal::watchMs, Long[]::new),
                    column(totals, SessionTotal::creditedMs, Long[]::new),
                    column(totals, t -> t.endedAt() == null ? null : utc(t.endedAt()), OffsetDateTime[]::new),
                    column(totals, t -> utc(t.lastAt()), OffsetDateTime[]::new)
                }))
                .replaceWithVoid();
    }

    private record DayKey(UUID session, LocalDate day) {}

    /**
     * Stores each (session, day)'s largest totals and answers what they grew by since they were
     * last stored: computed under the rows' locks, so a batch applied twice, or by two flushers
     * at once, grows the ledger once.
     */
    Uni<List<Delta>> growSessionDays(SqlConnection conn, List<SessionDay> days) {
        UUID[] sessions = column(days, SessionDay::session, UUID[]::new);
        LocalDate[] dates = column(days, SessionDay::day, LocalDate[]::new);
        return conn.preparedQuery("INSERT INTO session_day (session_id, day) "
                        + "SELECT * FROM unnest($1::uuid[], $2::date[]) ORDER BY 1, 2 ON CONFLICT DO NOTHING")
                .execute(Tuple.of(sessions, dates))
                .chain(() -> conn.preparedQuery("SELECT session_id, day, watch_ms, credited_ms FROM session_day "
                                + "WHERE (session_id, day) IN (SELECT * FROM unnest($1::uuid[], $2::date[])) "
                                + "ORDER BY session_id, day FOR UPDATE")
                        .execute(Tuple.of(sessions, dates)))
                .chain(rows -> {
                    Map<DayKey, Row> stored = new HashMap<>();
                    for (Row row : rows) {
                        stored.put(new DayKey(row.getUUID("session_id"), row.getLocalDate("day")), row);
                    }
                    List<Delta> deltas = new ArrayList<>();
                    for (SessionDay d : days) {
                        Row before = stored.get(new DayKey(d.session(), d.day()));
                        long dw = Math.max(0, d.watchMs() - (before == null ? 0 : before.getLong("watch_ms")));
                        long dc = Math.max(0, d.creditedMs() - (before == null ? 0 : before.getLong("credited_ms")));
                        if (dw > 0 || dc > 0) {
                            deltas.add(new Delta(d.learner(), d.lesson(), d.course(), d.day(), dw, dc));
                        }
                    }
                    return conn.preparedQuery("UPDATE session_day d SET watch_ms = GREATEST(d.watch_ms, v.w), "
                                    + "credited_ms = GREATEST(d.credited_ms, v.c) "
                                    + "FROM unnest($1::uuid[], $2::date[], $3::bigint[], $4::bigint[]) AS v(s, day, w, c) "
                                    + "WHERE d.session_id = v.s AND d.day = v.day")
                            .execute(Tuple.of(
                                    sessions,
                                    dates,
                                    column(days, SessionDay::watchMs, Long[]::new),
                                    column(days, SessionDay::creditedMs, Long[]::new)))
                            .replaceWith(deltas);
                });
    }

    /** Adds the growth to the hours ledger (learner, lesson, day). */
    Uni<Void> addToLedger(SqlConnection conn, List<Delta> deltas) {
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
                    credited_ms = hours_ledger.credited_ms + EXCLUDED.credited_ms""")
                .execute(Tuple.of(
                        column(deltas, Delta::learner, UUID[]::new),
                        column(deltas, Delta::lesson, UUID[]::new),
                        column(deltas, Delta::course, UUID[]::new),
                        column(deltas, Delta::day, LocalDate[]::new),
                        column(deltas, Delta::watchMs, Long[]::new),
                        column(deltas, Delta::creditedMs, Long[]::new)))
                .replaceWithVoid();
    }

    /**
     * Coverage (a union: idempotent in any order), latest position, and completion once, when
     * the covered share reaches {@code threshold}; answers the lessons this call completed.
     */
    Uni<List<Completion>> mergeProgress(SqlConnection conn, List<LessonTouch> touches, double threshold) {
        UUID[] learners = column(touches, LessonTouch::learner, UUID[]::new);
        UUID[] lessons = column(touches, LessonTouch::lesson, UUID[]::new);
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
                .execute(Tuple.from(new Object[] {
                    learners,
                    lessons,
                    column(touches, LessonTouch::course, UUID[]::new),
                    column(touches, LessonTouch::durationMs, Integer[]::new),
                    column(touches, LessonTouch::covered, String[]::new),
                    column(touches, LessonTouch::positionMs, Integer[]::new),
                    column(touches, t -> utc(t.positionAt()), OffsetDateTime[]::new)
                }))
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
                                learners, lessons, threshold, column(touches, LessonTouch::day, LocalDate[]::new))))
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
     * Completes the candidate courses whose every lesson is complete, once per learner and
     * course, on the day its last lesson was completed (not the batch's day when a lesson's plays
     * arrive late, an offline sync or a backlog). A lock per (learner, course), taken in key
     * order, makes two flushers completing a course's last two lessons at once see each other's
     * work (each statement reads what committed before it).
     */
    Uni<List<Completion>> completeCourses(SqlConnection conn, List<Completion> candidates) {
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        UUID[] learners = column(candidates, Completion::learner, UUID[]::new);
        UUID[] courses = column(candidates, Completion::course, UUID[]::new);
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
                        RETURNING learner_id, course_id, day""")
                        .execute(Tuple.of(learners, courses, column(candidates, Completion::day, LocalDate[]::new))))
                .map(rows -> {
                    List<Completion> done = new ArrayList<>();
                    rows.forEach(r -> done.add(
                            new Completion(r.getUUID("learner_id"), r.getUUID("course_id"), r.getLocalDate("day"))));
                    return done;
                });
    }

    /**
     * The learner's credit clock (the wall-clock spans credit was stamped on), kept as a union per
     * learner and day: Redis is refilled from it if it ever loses the clock, and an auditor can
     * check in SQL that no wall-clock millisecond was credited twice.
     */
    Uni<Void> mergeCreditClock(SqlConnection conn, List<ClockSpans> spans) {
        if (spans.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("""
                INSERT INTO credit_clock (learner_id, day, spans)
                SELECT learner, day, spans::int8multirange
                FROM unnest($1::uuid[], $2::date[], $3::text[]) AS v(learner, day, spans)
                ORDER BY learner, day
                ON CONFLICT (learner_id, day) DO UPDATE SET spans = credit_clock.spans + EXCLUDED.spans""")
                .execute(Tuple.of(
                        column(spans, ClockSpans::learner, UUID[]::new),
                        column(spans, ClockSpans::day, LocalDate[]::new),
                        column(spans, ClockSpans::spans, String[]::new)))
                .replaceWithVoid();
    }

    /** One column of typed rows, as the array {@code unnest} takes. */
    private static <R, T> T[] column(List<R> rows, Function<R, T> field, IntFunction<T[]> array) {
        return rows.stream().map(field).toArray(array);
    }

    private static OffsetDateTime utc(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
    }

    /** "{[0,1000),[5000,6000)}" to "0,1000,5000,6000". */
    static String flatten(String multirange) {
        if (multirange == null) {
            return "";
        }
        return multirange
                .replaceAll("[{}\\[\\)\\s]", "")
                .replace("),(", ",")
                .replaceAll(",,+", ",")
                .replaceAll("^,|,$", "");
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
