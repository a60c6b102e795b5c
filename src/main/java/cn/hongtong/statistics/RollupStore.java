package cn.hongtong.statistics;

import cn.hongtong.statistics.Rollups.Grain;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The one writer of the statistics rollups: {@code stats_daily} at its three grains, the learners'
 * first-seen marks per day, week and month ({@code learner_period}), and the activity multiranges
 * ({@code learner_activity}, {@code course_activity}). The learning flusher calls it inside the
 * transaction that writes the ledger, with that batch's increments (computed there, new minus
 * stored under row locks), so the rollups are exactly-once with the ledger. One statement per
 * table per batch; every statement takes its row locks in key order, so concurrent flushers wait
 * for each other but never deadlock.
 */
@ApplicationScoped
public class RollupStore {

    /** What a learner's learning on a course grew by on a day (ledger growth). */
    public record Growth(UUID learner, UUID course, LocalDate day, long watchMs, long creditedMs) {}

    /** A lesson or a course newly completed by a learner, on the day it was completed. */
    public record Completion(UUID learner, UUID course, LocalDate day) {}

    /**
     * Applies one batch's increments to every rollup, in the caller's transaction: first-seen
     * marks, then {@code stats_daily}, then the activity multiranges.
     */
    public Uni<Void> write(
            SqlConnection conn, List<Growth> growth, List<Completion> lessons, List<Completion> courses) {
        return firstSeen(conn, growth)
                .chain(marks -> daily(conn, growth, lessons, courses, marks))
                .chain(() -> activity(conn, growth));
    }

    private static final String DAILY = """
            WITH v AS (
                SELECT v.day, v.course, coalesce(l.region_code, '') AS region, coalesce(l.institution_id, 0) AS inst,
                       coalesce(l.profession, '') AS prof, v.w, v.c, v.lc, v.cc
                FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::bigint[], $5::bigint[], $6::int[], $7::int[])
                    AS v(learner, course, day, w, c, lc, cc)
                JOIN learner l ON l.id = v.learner),
            county AS (
                SELECT day, left(region, %5$d) AS region, prof, w, c, lc, cc, 0 AS dl, 0 AS wl, 0 AS ml,
                       0::bigint AS dk, 0::bigint AS wk, 0::bigint AS mk FROM v
                UNION ALL
                SELECT day, region, prof, 0, 0, 0, 0, dl, wl, ml, dk, wk, mk
                FROM unnest($8::date[], $9::text[], $10::text[], $11::int[], $12::int[], $13::int[],
                            $14::bigint[], $15::bigint[], $16::bigint[])
                    AS m(day, region, prof, dl, wl, ml, dk, wk, mk))
            INSERT INTO stats_daily (grain, day, course_id, region_code, institution_id, profession,
                                     watch_ms, credited_ms, lesson_completions, course_completions,
                                     day_learners, week_learners, month_learners,
                                     day_learner_keys, week_learner_keys, month_learner_keys)
            SELECT * FROM (
                SELECT %1$d AS g, day, course, region, inst, prof, sum(w), sum(c), sum(lc), sum(cc), 0, 0, 0, 0, 0, 0
                FROM v GROUP BY day, course, region, inst, prof
                UNION ALL
                SELECT %2$d, day, course, left(region, %4$d), 0, '', sum(w), sum(c), sum(lc), sum(cc), 0, 0, 0, 0, 0, 0
                FROM v GROUP BY day, course, left(region, %4$d)
                UNION ALL
                SELECT %3$d, day, '%6$s'::uuid, region, 0, prof, sum(w), sum(c), sum(lc), sum(cc), sum(dl), sum(wl), sum(ml),
                       sum(dk), sum(wk), sum(mk)
                FROM county GROUP BY day, region, prof
                -- The same per month; only the month's first-seen count adds up over a month.
                UNION ALL
                SELECT %7$d, date_trunc('month', day)::date, course, region, inst, prof, sum(w), sum(c), sum(lc), sum(cc),
                       0, 0, 0, 0, 0, 0
                FROM v GROUP BY 2, course, region, inst, prof
                UNION ALL
                SELECT %8$d, date_trunc('month', day)::date, course, left(region, %4$d), 0, '', sum(w), sum(c), sum(lc),
                       sum(cc), 0, 0, 0, 0, 0, 0
                FROM v GROUP BY 2, course, left(region, %4$d)
                UNION ALL
                SELECT %9$d, date_trunc('month', day)::date, '%6$s'::uuid, region, 0, prof, sum(w), sum(c), sum(lc),
                       sum(cc), 0, 0, sum(ml), 0, 0, sum(mk)
                FROM county GROUP BY 2, region, prof) AS r
            ORDER BY 1, 2, 3, 4, 5, 6
            ON CONFLICT (grain, day, course_id, region_code, institution_id, profession) DO UPDATE SET
                watch_ms = stats_daily.watch_ms + EXCLUDED.watch_ms,
                credited_ms = stats_daily.credited_ms + EXCLUDED.credited_ms,
                lesson_completions = stats_daily.lesson_completions + EXCLUDED.lesson_completions,
                course_completions = stats_daily.course_completions + EXCLUDED.course_completions,
                day_learners = stats_daily.day_learners + EXCLUDED.day_learners,
                week_learners = stats_daily.week_learners + EXCLUDED.week_learners,
                month_learners = stats_daily.month_learners + EXCLUDED.month_learners,
                day_learner_keys = stats_daily.day_learner_keys + EXCLUDED.day_learner_keys,
                week_learner_keys = stats_daily.week_learner_keys + EXCLUDED.week_learner_keys,
                month_learner_keys = stats_daily.month_learner_keys + EXCLUDED.month_learner_keys""".formatted(
                    Grain.DETAIL.code,
                    Grain.COURSE_PROVINCE.code,
                    Grain.COUNTY_PROFESSION.code,
                    Rollups.PROVINCE_DIGITS,
                    Rollups.COUNTY_DIGITS,
                    Rollups.ALL_COURSES,
                    Grain.DETAIL.monthly,
                    Grain.COURSE_PROVINCE.monthly,
                    Grain.COUNTY_PROFESSION.monthly);

    /** One learner's increment of a (course, day): growth, or one lesson or course completed. */
    private record Increment(
            UUID learner,
            UUID course,
            LocalDate day,
            long watchMs,
            long creditedMs,
            int lessonCompletions,
            int courseCompletions) {}

    /**
     * {@code stats_daily} at its three grains, from this batch's increments: ledger growth, lessons
     * and courses completed, and the learner counts the marks changed (only the county grain keeps
     * those: they belong to no course).
     */
    private Uni<Void> daily(
            SqlConnection conn,
            List<Growth> growth,
            List<Completion> lessons,
            List<Completion> courses,
            List<Mark> marks) {
        List<Increment> rows = new ArrayList<>();
        growth.forEach(
                d -> rows.add(new Increment(d.learner(), d.course(), d.day(), d.watchMs(), d.creditedMs(), 0, 0)));
        lessons.forEach(c -> rows.add(new Increment(c.learner(), c.course(), c.day(), 0, 0, 1, 0)));
        courses.forEach(c -> rows.add(new Increment(c.learner(), c.course(), c.day(), 0, 0, 0, 1)));
        if (rows.isEmpty() && marks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(DAILY)
                .execute(Tuple.from(new Object[] {
                    rows.stream().map(Increment::learner).toArray(UUID[]::new),
                    rows.stream().map(Increment::course).toArray(UUID[]::new),
                    rows.stream().map(Increment::day).toArray(LocalDate[]::new),
                    rows.stream().map(Increment::watchMs).toArray(Long[]::new),
                    rows.stream().map(Increment::creditedMs).toArray(Long[]::new),
                    rows.stream().map(Increment::lessonCompletions).toArray(Integer[]::new),
                    rows.stream().map(Increment::courseCompletions).toArray(Integer[]::new),
                    marks.stream().map(Mark::day).toArray(LocalDate[]::new),
                    marks.stream().map(Mark::region).toArray(String[]::new),
                    marks.stream().map(Mark::profession).toArray(String[]::new),
                    marks.stream()
                            .map(m -> m.kind().equals("d") ? m.count() : 0)
                            .toArray(Integer[]::new),
                    marks.stream()
                            .map(m -> m.kind().equals("w") ? m.count() : 0)
                            .toArray(Integer[]::new),
                    marks.stream()
                            .map(m -> m.kind().equals("m") ? m.count() : 0)
                            .toArray(Integer[]::new),
                    marks.stream()
                            .map(m -> m.kind().equals("d") ? m.count() * m.key() : 0L)
                            .toArray(Long[]::new),
                    marks.stream()
                            .map(m -> m.kind().equals("w") ? m.count() * m.key() : 0L)
                            .toArray(Long[]::new),
                    marks.stream()
                            .map(m -> m.kind().equals("m") ? m.count() * m.key() : 0L)
                            .toArray(Long[]::new)
                }))
                .replaceWithVoid();
    }

    /**
     * A change of a learner count in a county-grain group: +1 where a learner is seen first in a
     * day (d), ISO week (w) or month (m); -1 where a mark moved away from. {@code key} is the
     * learner's record key, added to (or taken from) the group's key sum with the count.
     */
    private record Mark(String kind, LocalDate day, String region, String profession, int count, long key) {}

    private record PeriodKey(UUID learner, String kind, LocalDate start) {}

    private static final String NEW_MARKS = """
            INSERT INTO learner_period (kind, start, learner_id, first_day, region_code, profession)
            SELECT v.kind, v.start, v.learner, v.day, left(coalesce(l.region_code, ''), %1$d), coalesce(l.profession, '')
            FROM unnest($1::text[], $2::date[], $3::uuid[], $4::date[]) AS v(kind, start, learner, day)
            JOIN learner l ON l.id = v.learner
            ORDER BY 1, 2, 3
            ON CONFLICT DO NOTHING
            RETURNING kind, first_day, region_code, profession,
                      (SELECT record_key FROM learner WHERE id = learner_period.learner_id) AS record_key""".formatted(Rollups.COUNTY_DIGITS);

    private static final String MOVED_MARKS = """
            WITH v AS (SELECT * FROM unnest($1::text[], $2::date[], $3::uuid[], $4::date[]) AS v(kind, start, learner, day)),
            old AS (SELECT p.kind, p.start, p.learner_id, p.first_day, p.region_code, p.profession, v.day AS new_day
                    FROM learner_period p
                    JOIN v ON v.kind = p.kind AND v.start = p.start AND v.learner = p.learner_id
                    WHERE v.day < p.first_day
                    ORDER BY 1, 2, 3
                    FOR UPDATE OF p),
            moved AS (UPDATE learner_period p
                      SET first_day = o.new_day, region_code = left(coalesce(l.region_code, ''), %1$d),
                          profession = coalesce(l.profession, '')
                      FROM old o JOIN learner l ON l.id = o.learner_id
                      WHERE p.kind = o.kind AND p.start = o.start AND p.learner_id = o.learner_id
                      RETURNING p.kind, p.start, p.learner_id, p.first_day, p.region_code, p.profession, l.record_key)
            SELECT o.kind, o.first_day AS old_day, o.region_code AS old_region, o.profession AS old_profession,
                   m.first_day AS new_day, m.region_code AS new_region, m.profession AS new_profession, m.record_key
            FROM old o JOIN moved m ON m.kind = o.kind AND m.start = o.start AND m.learner_id = o.learner_id""".formatted(Rollups.COUNTY_DIGITS);

    /**
     * Marks the learners' days, weeks and months as active. A new mark (the unique key decides
     * between concurrent flushers) counts the learner once, on the earliest day of the batch in
     * that period, in the group of their profile now. A week's or month's mark on a later day
     * than this batch's earliest (a play that arrived late) moves to the earlier day: the counts
     * come out the same whatever order the plays arrive in.
     */
    private Uni<List<Mark>> firstSeen(SqlConnection conn, List<Growth> growth) {
        if (growth.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<PeriodKey, LocalDate> earliest = new TreeMap<>(Comparator.comparing(PeriodKey::kind)
                .thenComparing(PeriodKey::start)
                .thenComparing(PeriodKey::learner));
        for (Growth d : growth) {
            earliest.merge(new PeriodKey(d.learner(), "d", d.day()), d.day(), RollupStore::earlier);
            earliest.merge(
                    new PeriodKey(d.learner(), "w", d.day().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))),
                    d.day(),
                    RollupStore::earlier);
            earliest.merge(new PeriodKey(d.learner(), "m", d.day().withDayOfMonth(1)), d.day(), RollupStore::earlier);
        }
        List<PeriodKey> keys = new ArrayList<>(earliest.keySet());
        Tuple args = Tuple.of(
                keys.stream().map(PeriodKey::kind).toArray(String[]::new),
                keys.stream().map(PeriodKey::start).toArray(LocalDate[]::new),
                keys.stream().map(PeriodKey::learner).toArray(UUID[]::new),
                keys.stream().map(earliest::get).toArray(LocalDate[]::new));
        List<Mark> marks = new ArrayList<>();
        return conn.preparedQuery(NEW_MARKS)
                .execute(args)
                .chain(inserted -> {
                    inserted.forEach(r -> marks.add(new Mark(
                            r.getString("kind"),
                            r.getLocalDate("first_day"),
                            r.getString("region_code"),
                            r.getString("profession"),
                            1,
                            r.getInteger("record_key"))));
                    // Marks standing on a later day than this batch saw: locked in key order, moved.
                    return conn.preparedQuery(MOVED_MARKS).execute(args);
                })
                .map(moved -> {
                    for (Row r : moved) {
                        String kind = r.getString("kind");
                        long key = r.getInteger("record_key");
                        marks.add(new Mark(
                                kind,
                                r.getLocalDate("old_day"),
                                r.getString("old_region"),
                                r.getString("old_profession"),
                                -1,
                                key));
                        marks.add(new Mark(
                                kind,
                                r.getLocalDate("new_day"),
                                r.getString("new_region"),
                                r.getString("new_profession"),
                                1,
                                key));
                    }
                    return marks;
                });
    }

    private static LocalDate earlier(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static final String LEARNER_ACTIVITY = """
            INSERT INTO learner_activity (learner_id, region_code, institution_id, profession, days, record_key)
            SELECT v.learner, coalesce(l.region_code, ''), coalesce(l.institution_id, 0), coalesce(l.profession, ''),
                   range_agg(int4range(v.day, v.day + 1)), min(l.record_key)
            FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS v(learner, course, day)
            JOIN learner l ON l.id = v.learner
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (learner_id, region_code, institution_id, profession) DO UPDATE
                SET days = learner_activity.days + EXCLUDED.days
                WHERE NOT learner_activity.days @> EXCLUDED.days""";

    private static final String COURSE_ACTIVITY = """
            INSERT INTO course_activity (course_id, learner_id, region_code, institution_id, profession, days, record_key)
            SELECT v.course, v.learner, coalesce(l.region_code, ''), coalesce(l.institution_id, 0),
                   coalesce(l.profession, ''), range_agg(int4range(v.day, v.day + 1)), min(l.record_key)
            FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS v(learner, course, day)
            JOIN learner l ON l.id = v.learner
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (course_id, learner_id, region_code, institution_id, profession) DO UPDATE
                SET days = course_activity.days + EXCLUDED.days
                WHERE NOT course_activity.days @> EXCLUDED.days""";

    /** The days each learner learned, overall and per course, by the profile they have now (day numbers). */
    private Uni<Void> activity(SqlConnection conn, List<Growth> growth) {
        if (growth.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple args = Tuple.of(
                growth.stream().map(Growth::learner).toArray(UUID[]::new),
                growth.stream().map(Growth::course).toArray(UUID[]::new),
                growth.stream().map(d -> Rollups.dayNumber(d.day())).toArray(Integer[]::new));
        UUID[] learners =
                growth.stream().map(Growth::learner).distinct().sorted().toArray(UUID[]::new);
        // Two flushers adding rows of another profile for the same learner at once would each miss
        // the other's row when marking; the learner rows' locks, in id order, make them take turns.
        return conn.preparedQuery("SELECT id FROM learner WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE")
                .execute(Tuple.of(learners))
                .chain(() -> conn.preparedQuery(LEARNER_ACTIVITY).execute(args))
                .chain(() -> conn.preparedQuery(COURSE_ACTIVITY).execute(args))
                .chain(() -> conn.preparedQuery(SHARED_LEARNER_ROWS).execute(Tuple.of(learners)))
                .chain(() ->
                        conn.preparedQuery(SHARED_COURSE_ROWS).execute(Tuple.of(args.getValue(0), args.getValue(1))))
                .replaceWithVoid();
    }

    /** Marks every activity row of a learner who has more than one (their profile changed). */
    private static final String SHARED_LEARNER_ROWS = """
            UPDATE learner_activity a SET shared = true
            FROM (SELECT learner_id FROM learner_activity WHERE learner_id = ANY($1) GROUP BY 1 HAVING count(*) > 1) AS m
            WHERE a.learner_id = m.learner_id AND NOT a.shared""";

    /** The same per course: every row of a (course, learner) that has more than one. */
    private static final String SHARED_COURSE_ROWS = """
            UPDATE course_activity a SET shared = true
            FROM (SELECT c.course_id, c.learner_id FROM course_activity c
                  JOIN (SELECT DISTINCT * FROM unnest($1::uuid[], $2::uuid[]) AS v(learner, course)) AS v
                      ON c.course_id = v.course AND c.learner_id = v.learner
                  GROUP BY 1, 2 HAVING count(*) > 1) AS m
            WHERE a.course_id = m.course_id AND a.learner_id = m.learner_id AND NOT a.shared""";
}
