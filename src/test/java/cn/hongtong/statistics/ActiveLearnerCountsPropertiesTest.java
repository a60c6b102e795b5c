package cn.hongtong.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.statistics.StatsPlan.Grouping;
import cn.hongtong.statistics.StatsPlan.Query;
import cn.hongtong.testsupport.TestDatabase;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The span counters of migration V18 against their definition, on the real database: whatever
 * sequence of writes course_activity sees (days added in any order, as the flusher's upsert adds
 * them; rows marked shared; rows deleted; rows of several courses, learners and provinces), the
 * triggers leave {@code course_span} and {@code course_span_edge} equal to the counts computed from
 * the rows, and {@code category_activity} (migration V19) equals its definition whatever courses
 * moved between categories; and for any period, the learners the statistics count (from the span counters where
 * they answer, else from the rows) per course, per province and in all, of a course or of a
 * category, equal {@code count(DISTINCT learner_id)} over the rows with a day in the period. Every try runs in a transaction that is rolled back, so the test
 * database keeps nothing of it.
 */
class ActiveLearnerCountsPropertiesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Day numbers from 2031-01-20 to 2031-05-10: five months, two of them whole. */
    private static final LocalDate WINDOW_START = LocalDate.of(2031, 1, 20);

    private static final int WINDOW_DAYS = 110;
    private static final String[] PROVINCES = {"52", "23"};

    private static Vertx vertx;
    private static PgPool pool;
    private static String[] regions;

    /** One write to course_activity. */
    record Write(int kind, int course, int learner, int province, int day, int length) {}

    @BeforeContainer
    static void connect() {
        vertx = Vertx.vertx();
        pool = TestDatabase.migratedPool(vertx, 1);
        regions = new String[PROVINCES.length];
        for (int i = 0; i < PROVINCES.length; i++) {
            regions[i] = pool.preparedQuery("SELECT min(code) FROM region WHERE code LIKE $1 AND level = 3")
                    .execute(Tuple.of(PROVINCES[i] + "%"))
                    .await()
                    .atMost(TIMEOUT)
                    .iterator()
                    .next()
                    .getString(0);
        }
    }

    @AfterContainer
    static void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
    }

    @Provide
    Arbitrary<List<Write>> writes() {
        Arbitrary<Write> write = Combinators.combine(
                        Arbitraries.integers().between(0, 19),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 11),
                        Arbitraries.integers().between(0, 1),
                        day(0, WINDOW_DAYS - 1),
                        Arbitraries.integers().between(1, 4))
                .as(Write::new);
        return write.list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<int[]>> periods() {
        return Combinators.combine(day(-5, WINDOW_DAYS + 5), day(-5, WINDOW_DAYS + 5))
                .as((a, b) -> new int[] {Math.min(a, b), Math.max(a, b)})
                .list()
                .ofMinSize(1)
                .ofMaxSize(8);
    }

    /** A day offset in [min, max], half the time on either side of a month's start (where the cases change). */
    private static Arbitrary<Integer> day(int min, int max) {
        List<Integer> edges = new ArrayList<>();
        for (LocalDate d = WINDOW_START.withDayOfMonth(1);
                d.isBefore(WINDOW_START.plusDays(max + 1));
                d = d.plusMonths(1)) {
            int offset = d.getDayOfYear() - WINDOW_START.getDayOfYear();
            for (int o = offset - 1; o <= offset + 1; o++) {
                if (o >= min && o <= max) {
                    edges.add(o);
                }
            }
        }
        return Arbitraries.oneOf(Arbitraries.integers().between(min, max), Arbitraries.of(edges));
    }

    @Property(tries = 200)
    void spanCountersAndCountsEqualTheRows(
            @ForAll("writes") List<Write> writes, @ForAll("periods") List<int[]> periods) {
        SqlConnection conn = pool.getConnection().await().atMost(TIMEOUT);
        try {
            run(conn, "BEGIN");
            String category = conn.query("SELECT min(code) FROM category")
                    .execute()
                    .await()
                    .atMost(TIMEOUT)
                    .iterator()
                    .next()
                    .getString(0);
            UUID[] courses = new UUID[3];
            for (int c = 0; c < courses.length; c++) {
                courses[c] = UUID.randomUUID();
                run(
                        conn,
                        "INSERT INTO course (id, title, category_code, credit_class, credit_hours, status, published_at, "
                                + "created_at, updated_at) SELECT $1, 'spans', min(code), 'none', 0, 'published', now(), now(), now() "
                                + "FROM category",
                        courses[c]);
            }
            UUID[] learners = new UUID[12];
            for (int l = 0; l < learners.length; l++) {
                learners[l] = UUID.randomUUID();
                run(
                        conn,
                        "INSERT INTO learner (id, subject, region_code) VALUES ($1, $2, $3)",
                        learners[l],
                        "spans-" + learners[l],
                        regions[l % regions.length]);
            }
            for (Write w : writes) {
                apply(conn, w, courses, learners);
            }
            // The counters equal their definition over every row (other tests' rows included).
            assertEquals(
                    0,
                    count(
                            conn,
                            symmetricDifference(
                                    "SELECT course_id, province, first_month, last_month, learners, keys FROM course_span WHERE learners <> 0 OR keys <> 0",
                                    "SELECT course_id, left(region_code, 2), stats_month_number(lower(days)), stats_month_number(upper(days) - 1), "
                                            + "count(*), sum(record_key) FROM course_activity WHERE NOT shared AND NOT isempty(days) GROUP BY 1, 2, 3, 4")),
                    "course_span equals its rows");
            assertEquals(
                    0,
                    count(
                            conn,
                            symmetricDifference(
                                    "SELECT edge, day, other_month, course_id, province, learners, keys FROM course_span_edge "
                                            + "WHERE learners <> 0 OR keys <> 0",
                                    "SELECT e, d, m, course_id, p, count(*), sum(k) FROM (SELECT 'f' AS e, lower(days) AS d, "
                                            + "stats_month_number(upper(days) - 1) AS m, course_id, left(region_code, 2) AS p, record_key AS k "
                                            + "FROM course_activity WHERE NOT shared AND NOT isempty(days) UNION ALL SELECT 'l', upper(days) - 1, "
                                            + "stats_month_number(lower(days)), course_id, left(region_code, 2), record_key FROM course_activity "
                                            + "WHERE NOT shared AND NOT isempty(days)) AS x GROUP BY 1, 2, 3, 4, 5")),
                    "course_span_edge equals its rows");
            assertEquals(
                    0,
                    count(
                            conn,
                            symmetricDifference(
                                    "SELECT category_code, learner_id, region_code, institution_id, profession, days, record_key, shared "
                                            + "FROM category_activity",
                                    "SELECT c.category_code, a.learner_id, a.region_code, a.institution_id, a.profession, range_agg(a.days), "
                                            + "min(a.record_key), count(*) OVER (PARTITION BY c.category_code, a.learner_id) > 1 "
                                            + "FROM course_activity a JOIN course c ON c.id = a.course_id GROUP BY 1, 2, 3, 4, 5")),
                    "category_activity equals its rows");
            for (int[] p : periods) {
                LocalDate from = WINDOW_START.plusDays(p[0]);
                LocalDate to = WINDOW_START.plusDays(p[1]);
                for (Query q : List.of(
                        new Query(from, to, "", null, null, Grouping.COURSE, 0),
                        new Query(from, to, PROVINCES[0], null, null, Grouping.COURSE, 0),
                        new Query(from, to, "", courses[0], null, Grouping.NONE, 0),
                        new Query(from, to, "", courses[1], null, Grouping.REGION, 2),
                        new Query(from, to, "", null, category, Grouping.NONE, 0),
                        new Query(from, to, "", null, category, Grouping.REGION, 2),
                        new Query(from, to, PROVINCES[1], null, category, Grouping.COURSE, 0))) {
                    StatsStore.Sql sql = StatsPlan.spans(q) ? StatsStore.spansSql(q) : StatsStore.activitySql(q);
                    assertEquals(byScan(conn, q), rows(conn, sql.text.toString(), sql.tuple()), "learners " + q);
                }
            }
        } finally {
            run(conn, "ROLLBACK");
            conn.closeAndAwait();
        }
    }

    /**
     * Kinds 0-13 add days as the flusher's upsert does (any day, any order); 14-16 mark a
     * (course, learner)'s rows shared and add a row of another profile; 17-18 delete a row; 19
     * moves the course to another category.
     */
    private static void apply(SqlConnection conn, Write w, UUID[] courses, UUID[] learners) {
        UUID course = courses[w.course()];
        UUID learner = learners[w.learner()];
        String region = regions[w.province()];
        int day = Rollups.dayNumber(WINDOW_START) + w.day();
        if (w.kind() < 14) {
            run(
                    conn,
                    "INSERT INTO course_activity (course_id, learner_id, region_code, institution_id, profession, days, record_key) "
                            + "VALUES ($1, $2, $3, 0, 'doctor', int4multirange(int4range($4, $5)), $6) "
                            + "ON CONFLICT (course_id, learner_id, region_code, institution_id, profession) DO UPDATE "
                            + "SET days = course_activity.days + EXCLUDED.days WHERE NOT course_activity.days @> EXCLUDED.days",
                    course,
                    learner,
                    region,
                    day,
                    day + w.length(),
                    w.learner() * 1000 + 7);
            // As the flusher does after its upsert: a (course, learner) with two rows has both marked.
            run(
                    conn,
                    "UPDATE course_activity a SET shared = true WHERE course_id = $1 AND learner_id = $2 AND NOT shared "
                            + "AND (SELECT count(*) FROM course_activity b WHERE b.course_id = $1 AND b.learner_id = $2) > 1",
                    course,
                    learner);
        } else if (w.kind() < 17) {
            run(
                    conn,
                    "INSERT INTO course_activity (course_id, learner_id, region_code, institution_id, profession, days, record_key, shared) "
                            + "VALUES ($1, $2, $3, 0, 'nurse', int4multirange(int4range($4, $4 + 1)), $5, true) ON CONFLICT DO NOTHING",
                    course,
                    learner,
                    region,
                    day,
                    w.learner() * 1000 + 7);
            run(
                    conn,
                    "UPDATE course_activity SET shared = true WHERE course_id = $1 AND learner_id = $2 AND NOT shared",
                    course,
                    learner);
        } else if (w.kind() < 19) {
            run(
                    conn,
                    "DELETE FROM course_activity WHERE course_id = $1 AND learner_id = $2 AND profession = 'doctor'",
                    course,
                    learner);
        } else {
            // The course moves to the other of two categories.
            run(
                    conn,
                    "UPDATE course SET category_code = CASE WHEN category_code = (SELECT min(code) FROM category) "
                            + "THEN (SELECT max(code) FROM category) ELSE (SELECT min(code) FROM category) END WHERE id = $1",
                    course);
        }
    }

    private static Map<String, List<Long>> byScan(SqlConnection conn, Query q) {
        String key = switch (q.grouping()) {
            case COURSE -> "course_id::text";
            case REGION -> "left(region_code, 2)";
            default -> "''";
        };
        List<Object> params = new ArrayList<>(List.of(Rollups.dayNumber(q.from()), Rollups.dayNumber(q.to()) + 1));
        String where = "";
        if (!q.region().isEmpty()) {
            params.add(q.region() + "%");
            where += " AND region_code LIKE $" + params.size();
        }
        if (q.course() != null) {
            params.add(q.course());
            where += " AND course_id = $" + params.size();
        }
        if (q.category() != null) {
            params.add(q.category());
            where += " AND course_id IN (SELECT id FROM course WHERE category_code = $" + params.size() + ")";
        }
        // Every distinct learner once, with their key once per row counted: per course row, or for a
        // category's learners (not per course) once per learner and profile.
        String from = "course_activity WHERE days && int4multirange(int4range($1, $2))" + where;
        if (StatsPlan.categoryRows(q)) {
            from = "(SELECT DISTINCT learner_id, region_code, institution_id, profession, record_key FROM " + from
                    + ") AS r";
        }
        return rows(
                conn,
                "SELECT " + key + " AS k, count(DISTINCT learner_id) AS n, sum(record_key::bigint) AS ks FROM " + from
                        + " GROUP BY 1",
                Tuple.from(params));
    }

    private static Map<String, List<Long>> rows(SqlConnection conn, String sql, Tuple params) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (Row r : conn.preparedQuery(sql).execute(params).await().atMost(TIMEOUT)) {
            out.put(r.getString("k"), List.of(r.getLong("n"), r.getLong("ks")));
        }
        return out;
    }

    private static String symmetricDifference(String a, String b) {
        return "SELECT count(*) FROM ((" + a + " EXCEPT " + b + ") UNION ALL (" + b + " EXCEPT " + a + ")) AS d";
    }

    private static long count(SqlConnection conn, String sql) {
        return conn.query(sql)
                .execute()
                .await()
                .atMost(TIMEOUT)
                .iterator()
                .next()
                .getLong(0);
    }

    private static void run(SqlConnection conn, String sql, Object... params) {
        if (params.length == 0) {
            conn.query(sql).execute().await().atMost(TIMEOUT);
        } else {
            conn.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(TIMEOUT);
        }
    }
}
