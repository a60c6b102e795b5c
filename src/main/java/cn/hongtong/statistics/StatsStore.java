package cn.hongtong.statistics;

import static cn.hongtong.statistics.StatsPlan.bucketEnd;
import static cn.hongtong.statistics.StatsPlan.bucketStarts;
import static cn.hongtong.statistics.StatsPlan.categoryRows;
import static cn.hongtong.statistics.StatsPlan.grain;
import static cn.hongtong.statistics.StatsPlan.min;
import static cn.hongtong.statistics.StatsPlan.perBucket;
import static cn.hongtong.statistics.StatsPlan.spans;
import static cn.hongtong.statistics.StatsPlan.whole;
import static cn.hongtong.statistics.StatsPlan.wholeMonths;

import cn.hongtong.statistics.Group.Count;
import cn.hongtong.statistics.Rollups.Grain;
import cn.hongtong.statistics.StatsPlan.Grouping;
import cn.hongtong.statistics.StatsPlan.Query;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * All SQL of the statistics, over the rollups the flusher keeps (never the ledger).
 *
 * <p>Additive measures come from {@code stats_daily}, at the coarsest grain that can answer:
 * grain 2 (all courses x county x profession) when no course is involved and regions are needed
 * to county level at most; grain 1 (course x province) when courses are involved and regions to
 * province level at most (and not by profession); otherwise grain 0 (the full detail). Distinct
 * learners come from the activity multiranges, one row per learner (and course) and profile, so
 * they are exact for any period.
 */
@ApplicationScoped
class StatsStore {

    private final Pool pool;
    private final ZoneId zone;

    StatsStore(Pool pool, StatsConfig config) {
        this.pool = pool;
        this.zone = config.zone();
    }

    /** A statement and its parameters, numbered as they are added. */
    static final class Sql {
        final StringBuilder text = new StringBuilder();
        final List<Object> params = new ArrayList<>();

        Sql add(String part) {
            text.append(part);
            return this;
        }

        String p(Object value) {
            params.add(value);
            return "$" + params.size();
        }

        Tuple tuple() {
            return Tuple.from(params);
        }
    }

    /** Every group with any activity (and, when {@code registered}, any registered learner). */
    Uni<Map<String, Group>> groups(Query q, boolean registered) {
        // Three independent queries, on three connections at once.
        return Uni.combine()
                .all()
                .unis(
                        additive(q),
                        learners(q),
                        registered ? registered(q) : Uni.createFrom().item(Map.<String, Count>of()))
                .with((sums, counts, reg) -> merge(sums, counts, registered ? reg : null));
    }

    /** A group's additive measures, summed over the rollup rows. */
    private record Sums(long watchMs, long creditedMs, long lessonCompletions, long courseCompletions) {}

    /** The groups of a query's additive sums and learner counts (and registered learners, when not null). */
    private static Map<String, Group> merge(Map<String, Sums> sums, Map<String, Count> counts, Map<String, Count> reg) {
        Map<String, Group> out = new LinkedHashMap<>();
        for (Map.Entry<String, Sums> e : sums.entrySet()) {
            Sums m = e.getValue();
            out.put(
                    e.getKey(),
                    new Group(
                            e.getKey(),
                            counts.getOrDefault(e.getKey(), Count.ZERO),
                            reg != null ? reg.getOrDefault(e.getKey(), Count.ZERO) : null,
                            m.watchMs(),
                            m.creditedMs(),
                            m.lessonCompletions(),
                            m.courseCompletions()));
        }
        counts.forEach((k, n) ->
                out.putIfAbsent(k, new Group(k, n, reg != null ? reg.getOrDefault(k, Count.ZERO) : null, 0, 0, 0, 0)));
        if (reg != null) {
            reg.forEach((k, n) -> out.putIfAbsent(k, Group.empty(k, n)));
        }
        return out;
    }

    /** A time series' groups (without registered learners) and its distinct active learners in all. */
    record SeriesGroups(Map<String, Group> groups, Count learners) {}

    /**
     * The groups of a time series and its learners in all. Where the buckets' learners come from
     * the first-seen counts, the clipped buckets and the whole period are counted in one pass over
     * the activity rows (a year by month: one pass instead of three).
     */
    Uni<SeriesGroups> series(Query q) {
        if (!perBucket(q)) {
            return Uni.combine()
                    .all()
                    .unis(groups(q, false), activeLearners(whole(q)))
                    .with(SeriesGroups::new);
        }
        return Uni.combine().all().unis(additive(q), learnersPerBucket(q, true)).with((sums, counts) -> {
            Map<String, Count> buckets = new HashMap<>(counts);
            Count total = buckets.remove(WHOLE);
            return new SeriesGroups(merge(sums, buckets, null), total);
        });
    }

    /** The same query ungrouped: its total. */
    /** Distinct active learners of an ungrouped query (with the sum of their record keys). */
    Uni<Count> activeLearners(Query whole) {
        return learners(whole).map(m -> m.getOrDefault("", Count.ZERO));
    }

    /** Learners registered by the end of an ungrouped query's period. */
    Uni<Count> registeredLearners(Query whole) {
        return registered(whole).map(m -> m.getOrDefault("", Count.ZERO));
    }

    private static String additiveKey(Query q) {
        return switch (q.grouping()) {
            case NONE -> "''";
            case DAY -> "s.day";
            case WEEK -> "date_trunc('week', s.day)::date";
            case MONTH -> "date_trunc('month', s.day)::date";
            case COURSE -> "s.course_id";
            case REGION -> "left(s.region_code, " + q.childLength() + ") COLLATE \"C\"";
            case INSTITUTION -> "s.institution_id";
            case PROFESSION -> "s.profession COLLATE \"C\"";
        };
    }

    /**
     * The additive measures per group: whole months of the period from the monthly rows, the days
     * before and after them from the daily rows (a year is 12 monthly rows per group instead of
     * 365); day and week groupings read daily rows only.
     */
    private Uni<Map<String, Sums>> additive(Query q) {
        Sql sql = new Sql();
        Grain grain = grain(q);
        LocalDate[] months =
                q.grouping() == Grouping.DAY || q.grouping() == Grouping.WEEK ? null : wholeMonths(q.from(), q.to());
        // Grouped by the raw key (no text collation to sort by), turned into text for the answer.
        sql.add("SELECT k::text AS k, w, c, lc, cc FROM (SELECT " + additiveKey(q) + " AS k, sum(s.watch_ms) AS w, "
                + "sum(s.credited_ms) AS c, sum(s.lesson_completions) AS lc, sum(s.course_completions) AS cc FROM (");
        if (months == null) {
            rows(sql, q, grain.code, q.from(), q.to());
        } else {
            rows(sql, q, grain.monthly, months[0], months[1]);
            if (q.from().isBefore(months[0])) {
                sql.add(" UNION ALL ");
                rows(sql, q, grain.code, q.from(), months[0].minusDays(1));
            }
            LocalDate afterMonths = months[1].plusMonths(1);
            if (!q.to().isBefore(afterMonths)) {
                sql.add(" UNION ALL ");
                rows(sql, q, grain.code, afterMonths, q.to());
            }
        }
        sql.add(") AS s GROUP BY 1) AS g");
        return pool.preparedQuery(sql.text.toString()).execute(sql.tuple()).map(rows -> {
            Map<String, Sums> out = new LinkedHashMap<>();
            for (Row r : rows) {
                out.put(r.getString("k"), new Sums(r.getLong("w"), r.getLong("c"), r.getLong("lc"), r.getLong("cc")));
            }
            return out;
        });
    }

    /** The rows of one grain between two days (inclusive) that the query's filters select. */
    private static void rows(Sql sql, Query q, int grain, LocalDate from, LocalDate to) {
        sql.add("SELECT s.day, s.course_id, s.region_code, s.institution_id, s.profession, s.watch_ms, s.credited_ms, "
                        + "s.lesson_completions, s.course_completions FROM stats_daily s WHERE s.grain = ")
                .add(sql.p(grain))
                .add(" AND s.day >= ")
                .add(sql.p(from))
                .add(" AND s.day <= ")
                .add(sql.p(to));
        filters(sql, q, "s");
    }

    private static void filters(Sql sql, Query q, String alias) {
        regionFilter(sql, q.region(), alias);
        courseFilters(sql, q, alias);
    }

    private static void courseFilters(Sql sql, Query q, String alias) {
        if (q.course() != null) {
            sql.add(" AND " + alias + ".course_id = ").add(sql.p(q.course()));
        }
        if (q.category() != null) {
            // The category's courses as an array computed first, so that an index on course_id can
            // serve (as a join, a category's 59,245 rows of a year were found by reading all 590,765).
            sql.add(" AND " + alias + ".course_id = ANY (ARRAY(SELECT id FROM course WHERE category_code = ")
                    .add(sql.p(q.category()))
                    .add("))");
        }
    }

    /** The region and everything below it ("" = nationwide: no condition). */
    private static void regionFilter(Sql sql, String region, String alias) {
        if (!region.isEmpty()) {
            sql.add(" AND " + alias + ".region_code LIKE ").add(sql.p(region + "%"));
        }
    }

    /**
     * Runs a statement whose rows are a text key {@code k}, a count of learners {@code n} and the
     * sum of their record keys {@code ks}.
     */
    private Uni<Map<String, Count>> counts(Sql sql) {
        return pool.preparedQuery(sql.text.toString()).execute(sql.tuple()).map(rows -> {
            Map<String, Count> out = new HashMap<>();
            rows.forEach(r -> out.put(r.getString("k"), count(r)));
            return out;
        });
    }

    private static Count count(Row r) {
        Long keys = r.getLong("ks");
        return new Count(r.getLong("n"), keys == null ? 0 : keys);
    }

    /** Distinct learners per group: exact, from the days each learner learned. */
    private Uni<Map<String, Count>> learners(Query q) {
        return perBucket(q) ? learnersPerBucket(q, false) : learnersByActivity(q);
    }

    /** Whether a series' learners per bucket come from the first-seen counts (grain 2 and 5). */
    /** The key of the whole period among {@link #learnersPerBucket}'s counts. */
    private static final String WHOLE = "";

    /**
     * Distinct learners per day, week or month without touching per-learner rows: the flusher
     * counted each learner once, on their first day in each day, week and month (grain 2). Only
     * whole buckets can be answered that way; the clipped ones at the ends of the period (at most
     * two) are counted from the activity rows.
     */
    private Uni<Map<String, Count>> learnersPerBucket(Query q, boolean withWhole) {
        String column = switch (q.grouping()) {
            case DAY -> "day_learner";
            case WEEK -> "week_learner";
            default -> "month_learner";
        };
        LocalDate firstFull = null;
        LocalDate lastFull = null;
        List<LocalDate[]> clipped = new ArrayList<>();
        for (LocalDate b : bucketStarts(q)) {
            LocalDate end = bucketEnd(q.grouping(), b);
            if (b.isBefore(q.from()) || end.isAfter(q.to())) {
                clipped.add(new LocalDate[] {b, b.isBefore(q.from()) ? q.from() : b, min(end, q.to())});
            } else {
                firstFull = firstFull == null ? b : firstFull;
                lastFull = end;
            }
        }
        Sql sql = new Sql();
        // Months from the monthly rows (one per month, county and profession), days and weeks from the daily ones.
        int grain = q.grouping() == Grouping.MONTH ? Grain.COUNTY_PROFESSION.monthly : Grain.COUNTY_PROFESSION.code;
        sql.add("SELECT k::text AS k, n, ks FROM (SELECT " + additiveKey(q) + " AS k, sum(s." + column + "s) AS n, "
                        + "sum(s." + column + "_keys) AS ks FROM stats_daily s WHERE s.grain = " + grain
                        + " AND s.day >= ")
                .add(sql.p(firstFull))
                .add(" AND s.day <= ")
                .add(sql.p(lastFull));
        filters(sql, q, "s");
        sql.add(" GROUP BY 1) AS g");
        // The whole buckets, and the (at most two) clipped ones with the whole period when asked
        // in one pass over the activity rows, at once on two connections.
        Map<String, LocalDate[]> scans = new LinkedHashMap<>();
        for (LocalDate[] c : clipped) {
            scans.put(c[0].toString(), new LocalDate[] {c[1], c[2]});
        }
        if (withWhole) {
            scans.put(WHOLE, new LocalDate[] {q.from(), q.to()});
        }
        return Uni.combine()
                .all()
                .unis(
                        firstFull == null ? Uni.createFrom().item(Map.<String, Count>of()) : counts(sql),
                        learnersInPeriods(q.region(), scans))
                .with((whole, scanned) -> {
                    Map<String, Count> out = new HashMap<>(whole);
                    out.putAll(scanned);
                    return out;
                });
    }

    /**
     * Distinct active learners (without a course dimension) in a region for each of a few periods,
     * in one pass over {@code learner_activity}: rows counted as they are except the shared ones,
     * de-duplicated (as in {@link #activitySql}).
     */
    private Uni<Map<String, Count>> learnersInPeriods(String region, Map<String, LocalDate[]> periods) {
        if (periods.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Sql sql = new Sql();
        List<String> labels = new ArrayList<>(periods.keySet());
        // Each row's overlap with each period, computed once (the fence keeps the planner from
        // repeating it in every aggregate that filters on it).
        StringBuilder flags = new StringBuilder();
        StringBuilder plain = new StringBuilder();
        StringBuilder distinct = new StringBuilder();
        StringBuilder total = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) {
            LocalDate[] p = periods.get(labels.get(i));
            flags.append(", a.days && int4range(")
                    .append(sql.p(Rollups.dayNumber(p[0])))
                    .append(", ")
                    .append(sql.p(Rollups.dayNumber(p[1]) + 1))
                    .append(") AS o")
                    .append(i);
            plain.append(i == 0 ? "" : ", ")
                    .append("count(*) FILTER (WHERE o")
                    .append(i)
                    .append("), sum(rk) FILTER (WHERE o")
                    .append(i)
                    .append(")");
            distinct.append(i == 0 ? "" : ", ")
                    .append("count(DISTINCT learner) FILTER (WHERE o")
                    .append(i)
                    .append("), sum(rk) FILTER (WHERE o")
                    .append(i)
                    .append(")");
            total.append(i == 0 ? "" : ", ")
                    .append("sum(n")
                    .append(i)
                    .append(")::bigint AS n")
                    .append(i)
                    .append(", sum(k")
                    .append(i)
                    .append(")::bigint AS k")
                    .append(i);
            names.append(i == 0 ? "" : ", ").append("n").append(i).append(", k").append(i);
        }
        String flagged = "SELECT a.learner_id AS learner, a.record_key::bigint AS rk" + flags
                + " FROM learner_activity a WHERE ";
        sql.add("SELECT " + total + " FROM (SELECT " + plain + " FROM (" + flagged + "NOT a.shared");
        regionFilter(sql, region, "a");
        sql.add(" OFFSET 0) AS x UNION ALL SELECT " + distinct + " FROM (" + flagged + "a.shared");
        regionFilter(sql, region, "a");
        sql.add(") AS y) AS z (" + names + ")");
        return pool.preparedQuery(sql.text.toString()).execute(sql.tuple()).map(rows -> {
            Row r = rows.iterator().next();
            Map<String, Count> out = new HashMap<>();
            for (int i = 0; i < labels.size(); i++) {
                Long keys = r.getLong("k" + i);
                out.put(labels.get(i), new Count(r.getLong("n" + i), keys == null ? 0 : keys));
            }
            return out;
        });
    }

    /** The starts of the day, week or month buckets that the query's period touches. */
    /**
     * Distinct learners per group from the activity rows (one per learner and profile, or per
     * learner, course and profile), with the sum of their record keys.
     */
    private Uni<Map<String, Count>> learnersByActivity(Query q) {
        return !q.time() && spans(q) ? learnersBySpans(q) : counts(activitySql(q));
    }

    private static String activityTable(Query q) {
        return !q.courseDimension() ? "learner_activity" : categoryRows(q) ? "category_activity" : "course_activity";
    }

    /** The filters of a query over its activity table (alias a). */
    private static void activityFilters(Sql sql, Query q) {
        if (categoryRows(q)) {
            regionFilter(sql, q.region(), "a");
            sql.add(" AND a.category_code = ").add(sql.p(q.category()));
        } else {
            filters(sql, q, "a");
        }
    }

    /** The statement of {@link #learnersByActivity}: rows {@code k}, {@code n}, {@code ks}. */
    static Sql activitySql(Query q) {
        Sql sql = new Sql();
        String table = activityTable(q);
        // A multirange overlaps a range without building a multirange of the period for every row
        // (a third of the time of a learner_activity scan); the time path intersects multiranges.
        String period =
                "int4range(" + sql.p(Rollups.dayNumber(q.from())) + ", " + sql.p(Rollups.dayNumber(q.to()) + 1) + ")";
        String key = switch (q.grouping()) {
            case NONE -> "''";
            case COURSE -> "a.course_id";
            case REGION -> "left(a.region_code, " + q.childLength() + ") COLLATE \"C\"";
            case INSTITUTION -> "a.institution_id";
            case PROFESSION -> "a.profession COLLATE \"C\"";
            // A learner's days within the period, as ranges, spread over the buckets they touch.
            case DAY -> Rollups.dayOfNumberSql("b");
            case WEEK -> "DATE '" + Rollups.FIRST_MONDAY + "' + 7 * b";
            case MONTH -> "make_date(" + Rollups.DAY_ZERO.getYear() + " + b / 12, b % 12 + 1, 1)";
        };
        // The key sum is over the matching rows: a learner counted through two profile rows (one who
        // moved) adds their key twice, still the same sum for the same rows, and it spares a second
        // distinct aggregate (a third slower on the courses of a year).
        if (!q.time()) {
            // A learner with one profile has one row (per course, per category): those rows are
            // counted as they are; only the rows marked shared (a learner whose profile changed)
            // need the distinct step. The courses of a year: 526 ms with count(DISTINCT) over every row.
            sql.add("SELECT k::text AS k, sum(n)::bigint AS n, sum(ks)::bigint AS ks FROM (SELECT " + key + " AS k, "
                    + "count(*) AS n, sum(a.record_key::bigint) AS ks FROM " + table
                    + " a WHERE NOT a.shared AND a.days && "
                    + period);
            activityFilters(sql, q);
            sql.add(" GROUP BY 1 UNION ALL SELECT " + key
                    + ", count(DISTINCT a.learner_id), sum(a.record_key::bigint) FROM " + table
                    + " a WHERE a.shared AND a.days && " + period);
            activityFilters(sql, q);
            sql.add(" GROUP BY 1) AS g GROUP BY 1");
            return sql;
        }
        sql.add("SELECT k::text AS k, n, ks FROM (SELECT " + key + " AS k, count(DISTINCT a.learner_id) AS n, "
                + "sum(a.record_key::bigint) AS ks FROM " + table + " a");
        if (q.time()) {
            sql.add(" CROSS JOIN LATERAL unnest(a.days * int4multirange(" + period
                            + ")) AS r CROSS JOIN LATERAL generate_series(")
                    .add(
                            switch (q.grouping()) {
                                case DAY -> "lower(r), upper(r) - 1";
                                case WEEK ->
                                    "floor((lower(r) - " + FIRST_MONDAY + ") / 7.0)::int, floor((upper(r) - 1 - "
                                            + FIRST_MONDAY + ") / 7.0)::int";
                                default -> monthNumber("lower(r)") + ", " + monthNumber("upper(r) - 1");
                            })
                    .add(") AS b");
        }
        sql.add(" WHERE a.days && " + period);
        activityFilters(sql, q);
        sql.add(" GROUP BY 1) AS g");
        return sql;
    }

    /**
     * Distinct learners per course from the rows' spans (migration V18 states the cases and why
     * they are exact and disjoint): (a) from {@code course_span}; (b) to (d2) from
     * {@code course_span_edge}; (d3) and (d4) read from {@code course_activity}; and the shared rows
     * (learners whose profile changed), de-duplicated as in {@link #learnersByActivity}.
     */
    private Uni<Map<String, Count>> learnersBySpans(Query q) {
        return counts(spansSql(q));
    }

    /** The statement of {@link #learnersBySpans}: rows {@code k}, {@code n}, {@code ks}. */
    static Sql spansSql(Query q) {
        Sql sql = new Sql();
        // The group's key in the counter tables (s) and in course_activity (a).
        String spanKey = switch (q.grouping()) {
            case COURSE -> "s.course_id";
            case REGION -> "s.province COLLATE \"C\"";
            default -> "''";
        };
        String rowKey = switch (q.grouping()) {
            case COURSE -> "a.course_id";
            case REGION -> "left(a.region_code, 2) COLLATE \"C\"";
            default -> "''";
        };
        String from = sql.p(Rollups.dayNumber(q.from()));
        String to = sql.p(Rollups.dayNumber(q.to()));
        String m0 = sql.p(Rollups.monthNumber(q.from()));
        String m1 = sql.p(Rollups.monthNumber(q.to()));
        String s0 = sql.p(Rollups.dayNumber(q.from().withDayOfMonth(1)));
        String e0 = sql.p(Rollups.dayNumber(q.from().with(TemporalAdjusters.lastDayOfMonth())));
        String s1 = sql.p(Rollups.dayNumber(q.to().withDayOfMonth(1)));
        sql.add("SELECT k::text AS k, sum(n)::bigint AS n, sum(ks)::bigint AS ks FROM (");
        // (a)
        sql.add("SELECT " + spanKey
                + " AS k, sum(s.learners) AS n, sum(s.keys) AS ks FROM course_span s WHERE (s.first_month > " + m0
                + " AND s.first_month < " + m1 + " OR s.last_month > " + m0 + " AND s.last_month < " + m1 + ")");
        spanFilters(sql, q);
        // (b), (c), (d1), (d2)
        sql.add(" GROUP BY 1 UNION ALL SELECT " + spanKey
                + ", sum(s.learners), sum(s.keys) FROM course_span_edge s WHERE ("
                + "s.edge = 'l' AND s.day BETWEEN " + from + " AND " + e0
                + " OR s.edge = 'f' AND s.day BETWEEN " + s1 + " AND " + to
                + " OR s.edge = 'f' AND s.day BETWEEN " + from + " AND " + e0 + " AND s.other_month >= " + m1
                + " OR s.edge = 'l' AND s.day BETWEEN " + s1 + " AND " + to + " AND s.other_month < " + m0 + ")");
        spanFilters(sql, q);
        // (d3): lower(days) is f, upper(days) is l + 1
        sql.add(" GROUP BY 1 UNION ALL SELECT " + rowKey
                + ", count(*), sum(a.record_key::bigint) FROM course_activity a "
                + "WHERE NOT a.shared AND lower(a.days) >= " + s0 + " AND lower(a.days) < " + from
                + " AND upper(a.days) > " + s1
                + " AND upper(a.days) <= " + to + " + 1");
        filters(sql, q, "a");
        // (d4)
        sql.add(" GROUP BY 1 UNION ALL SELECT " + rowKey
                + ", count(*), sum(a.record_key::bigint) FROM course_activity a "
                + "WHERE NOT a.shared AND lower(a.days) < " + from + " AND upper(a.days) > " + to
                + " + 1 AND a.days && "
                + "int4range(" + from + ", " + to + " + 1)");
        filters(sql, q, "a");
        sql.add(" GROUP BY 1 UNION ALL SELECT " + rowKey + ", count(DISTINCT a.learner_id), sum(a.record_key::bigint) "
                + "FROM course_activity a WHERE a.shared AND a.days && int4range(" + from + ", " + to + " + 1)");
        filters(sql, q, "a");
        // Counters that fell back to zero (their rows grew, moved or went) are no group.
        sql.add(" GROUP BY 1) AS g GROUP BY 1 HAVING sum(n) <> 0");
        return sql;
    }

    private static void spanFilters(Sql sql, Query q) {
        if (!q.region().isEmpty()) {
            sql.add(" AND s.province = ").add(sql.p(q.region()));
        }
        courseFilters(sql, q, "s");
    }

    /** Learners registered by the end of the period, by their present profile. */
    private Uni<Map<String, Count>> registered(Query q) {
        Sql sql = new Sql();
        String key = switch (q.grouping()) {
            case REGION -> "left(coalesce(l.region_code, ''), " + q.childLength() + ")";
            case INSTITUTION -> "coalesce(l.institution_id, 0)::text";
            case PROFESSION -> "coalesce(l.profession, '')";
            default -> "''";
        };
        sql.add("SELECT " + key + " AS k, count(*) AS n, sum(l.record_key) AS ks FROM learner l WHERE l.created_at < ")
                .add(sql.p(startOf(q.to().plusDays(1))));
        regionFilter(sql, q.region(), "l");
        sql.add(" GROUP BY 1");
        return counts(sql);
    }

    private OffsetDateTime startOf(LocalDate day) {
        return day.atStartOfDay(zone).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
    }

    /**
     * Registered learners at the end of each bucket of a time series: those registered before the
     * period, then each bucket's registrations added up. Rows are put in buckets by comparing
     * their instant with the buckets' first instants ({@code width_bucket}: 0 before the period,
     * i in the i-th bucket), not by converting each to a local date (57 ms instead of 23 for the
     * 50,000 learners of bench/seed).
     */
    Uni<Map<String, Count>> registeredSeries(Query q, List<LocalDate> bucketStarts) {
        OffsetDateTime[] starts = new OffsetDateTime[bucketStarts.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = startOf(i == 0 ? q.from() : bucketStarts.get(i));
        }
        Sql sql = new Sql();
        sql.add("SELECT width_bucket(l.created_at, " + sql.p(starts) + "::timestamptz[]) AS b, count(*) AS n, "
                        + "sum(l.record_key) AS ks FROM learner l WHERE l.created_at < ")
                .add(sql.p(startOf(q.to().plusDays(1))));
        regionFilter(sql, q.region(), "l");
        sql.add(" GROUP BY 1");
        return pool.preparedQuery(sql.text.toString()).execute(sql.tuple()).map(rows -> {
            Count[] per = new Count[starts.length + 1];
            for (Row r : rows) {
                per[r.getInteger("b")] = count(r);
            }
            long running = 0;
            long runningKeys = 0;
            Map<String, Count> out = new LinkedHashMap<>();
            for (int b = 0; b <= starts.length; b++) {
                if (per[b] != null) {
                    running += per[b].n();
                    runningKeys += per[b].keys();
                }
                if (b > 0) {
                    out.put(bucketStarts.get(b - 1).toString(), new Count(running, runningKeys));
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ retention

    /** Viewers (with the sum of their record keys) and, per percentile 1..100, how many watched it. */
    record RetentionCounts(Count viewers, long[] watched) {}

    /**
     * Viewers of a lesson (learners who watched any of it), and how many watched the middle of each
     * percentile: percentile k (1..100) is watched when a watched range [a, b) holds
     * floor((2k - 1) * duration / 200), that is for k from ceil((200a + d) / 2d) to
     * ceil((200b + d) / 2d) - 1. Ranges of one viewer never overlap, so each counts once; the
     * database returns where ranges start and end (+1 and -1 per percentile), summed up here.
     */
    Uni<RetentionCounts> retention(UUID lesson, String region) {
        Sql sql = new Sql();
        String viewers =
                "SELECT p.covered, p.duration_ms::bigint AS d, l.record_key::bigint AS rk FROM lesson_progress p"
                        + " JOIN learner l ON l.id = p.learner_id WHERE p.lesson_id = " + sql.p(lesson)
                        + " AND p.covered_ms > 0";
        sql.add("WITH v AS MATERIALIZED (" + viewers);
        regionFilter(sql, region, "l");
        sql.add("), r AS MATERIALIZED (SELECT "
                + "greatest(1, (200 * lower(r) + 3 * v.d - 1) / (2 * v.d))::int AS lo, "
                + "least(100, (200 * upper(r) + 3 * v.d - 1) / (2 * v.d) - 1)::int AS hi "
                + "FROM v CROSS JOIN LATERAL unnest(v.covered) AS r) "
                + "SELECT 0 AS k, count(*) AS n, sum(v.rk) AS ks FROM v "
                + "UNION ALL SELECT lo, count(*), NULL FROM r WHERE lo <= hi GROUP BY lo "
                + "UNION ALL SELECT hi + 1, -count(*), NULL FROM r WHERE lo <= hi GROUP BY hi + 1");
        return pool.preparedQuery(sql.text.toString()).execute(sql.tuple()).map(rows -> {
            Count viewersCount = Count.ZERO;
            long[] delta = new long[102];
            for (Row r : rows) {
                int k = r.getInteger("k");
                if (k == 0) {
                    viewersCount = count(r);
                } else {
                    delta[k] += r.getLong("n");
                }
            }
            long[] watched = new long[101];
            long running = 0;
            for (int k = 1; k <= 100; k++) {
                running += delta[k];
                watched[k] = running;
            }
            return new RetentionCounts(viewersCount, watched);
        });
    }

    // ------------------------------------------------------------------ names

    record RegionInfo(String code, String name, int level) {}

    Uni<RegionInfo> region(String code) {
        return pool.preparedQuery("SELECT code, name, level FROM region WHERE code = $1")
                .execute(Tuple.of(code))
                .map(rows ->
                        rows.size() == 0 ? null : regionInfo(rows.iterator().next()));
    }

    /** The children of a region ("" = the provinces). */
    Uni<List<RegionInfo>> children(String code) {
        return pool.preparedQuery(
                        code.isEmpty()
                                ? "SELECT code, name, level FROM region WHERE level = 1 ORDER BY code"
                                : "SELECT code, name, level FROM region WHERE parent_code = $1 ORDER BY code")
                .execute(code.isEmpty() ? Tuple.tuple() : Tuple.of(code))
                .map(rows -> {
                    List<RegionInfo> out = new ArrayList<>();
                    rows.forEach(r -> out.add(regionInfo(r)));
                    return out;
                });
    }

    private static RegionInfo regionInfo(Row r) {
        return new RegionInfo(r.getString("code"), r.getString("name"), r.getShort("level"));
    }

    record CourseInfo(UUID id, String title, String category) {}

    Uni<Map<UUID, CourseInfo>> courses(List<UUID> ids) {
        return pool.preparedQuery("SELECT id, title, category_code FROM course WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, CourseInfo> out = new HashMap<>();
                    rows.forEach(r -> out.put(
                            r.getUUID("id"),
                            new CourseInfo(r.getUUID("id"), r.getString("title"), r.getString("category_code"))));
                    return out;
                });
    }

    Uni<Boolean> courseExists(UUID id) {
        return pool.preparedQuery("SELECT 1 FROM course WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() > 0);
    }

    Uni<Boolean> categoryExists(String code) {
        return pool.preparedQuery("SELECT 1 FROM category WHERE code = $1")
                .execute(Tuple.of(code))
                .map(rows -> rows.size() > 0);
    }

    record InstitutionInfo(long id, String name, String kind, String regionCode) {}

    Uni<Map<Long, InstitutionInfo>> institutions(List<Long> ids) {
        return pool.preparedQuery("SELECT id, name, kind, region_code FROM institution WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(Long[]::new)))
                .map(rows -> {
                    Map<Long, InstitutionInfo> out = new HashMap<>();
                    rows.forEach(r -> out.put(
                            r.getLong("id"),
                            new InstitutionInfo(
                                    r.getLong("id"),
                                    r.getString("name"),
                                    r.getString("kind"),
                                    r.getString("region_code"))));
                    return out;
                });
    }

    record LessonInfo(UUID id, String title, UUID course) {}

    Uni<LessonInfo> lesson(UUID id) {
        return pool.preparedQuery("SELECT id, title, course_id FROM lesson WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new LessonInfo(r.getUUID("id"), r.getString("title"), r.getUUID("course_id"));
                });
    }

    /** Months since January 2000 of the day with this day number (an SQL expression). */
    private static String monthNumber(String day) {
        String date = Rollups.dayOfNumberSql(day);
        return "((extract(year FROM " + date + ") - " + Rollups.DAY_ZERO.getYear() + ") * 12 + extract(month FROM "
                + date + ") - 1)::int";
    }

    /** The day number of the first Monday: weeks are numbered from it. */
    private static final int FIRST_MONDAY = Rollups.dayNumber(Rollups.FIRST_MONDAY);

    /** One group: learners credited and their grants and credits; learners who finished attempts, attempts and passes. */
    record CreditGroup(
            String key, Count credited, long grants, BigDecimal credits, Count assessed, long attempts, long passed) {

        static CreditGroup empty(String key) {
            return new CreditGroup(key, Count.ZERO, 0, BigDecimal.ZERO, Count.ZERO, 0, 0);
        }
    }

    /**
     * Continuing-education credit by the grouping of {@code q} (NONE: one group, key ""): credits
     * granted (valid ones, by the day they were granted) and assessment attempts finished (by the
     * day they were submitted or expired), grouped by the learner's profile at the grant or the
     * attempt. Small tables (one row per grant or attempt), read directly.
     */
    Uni<Map<String, CreditGroup>> creditGroups(Query q) {
        String grantKey = creditKey(q, "g");
        String attemptKey = creditKey(q, "t");
        String sql = """
                WITH grants AS (
                    SELECT %s AS k, g.learner_id, count(*) AS n, sum(g.credits) AS credits
                    FROM credit_grant g
                    WHERE g.revoked_at IS NULL AND g.granted_on BETWEEN $1 AND $2
                      AND coalesce(g.region_code, '') LIKE $3 || '%%' %s
                    GROUP BY 1, 2),
                attempts AS (
                    SELECT %s AS k, t.learner_id, count(*) AS n, count(*) FILTER (WHERE t.outcome = 'passed') AS passed
                    FROM assessment_attempt t
                    WHERE t.outcome IS NOT NULL
                      AND t.submitted_at >= ($1::date::timestamp AT TIME ZONE $6)
                      AND t.submitted_at < (($2::date + 1)::timestamp AT TIME ZONE $6)
                      AND coalesce(t.region_code, '') LIKE $3 || '%%' %s
                    GROUP BY 1, 2)
                SELECT 'g' AS kind, k, count(*) AS learners, coalesce(sum(l.record_key), 0) AS keys, sum(x.n) AS n,
                       sum(x.credits) AS credits, 0 AS passed
                FROM grants x JOIN learner l ON l.id = x.learner_id GROUP BY k
                UNION ALL
                SELECT 'a', k, count(*), coalesce(sum(l.record_key), 0), sum(x.n), 0, sum(x.passed)
                FROM attempts x JOIN learner l ON l.id = x.learner_id GROUP BY k
                """.formatted(grantKey, creditFilters("g"), attemptKey, creditFilters("t"));
        return pool.preparedQuery(sql)
                .execute(
                        Tuple.from(new Object[] {q.from(), q.to(), q.region(), q.course(), q.category(), zone.getId()}))
                .map(rows -> {
                    Map<String, CreditGroup> out = new LinkedHashMap<>();
                    for (Row r : rows) {
                        String k = r.getString("k");
                        CreditGroup g = out.getOrDefault(k, CreditGroup.empty(k));
                        Count count = new Count(r.getLong("learners"), r.getLong("keys"));
                        out.put(
                                k,
                                r.getString("kind").equals("g")
                                        ? new CreditGroup(
                                                k,
                                                count,
                                                r.getLong("n"),
                                                r.getBigDecimal("credits"),
                                                g.assessed(),
                                                g.attempts(),
                                                g.passed())
                                        : new CreditGroup(
                                                k,
                                                g.credited(),
                                                g.grants(),
                                                g.credits(),
                                                count,
                                                r.getLong("n"),
                                                r.getLong("passed")));
                    }
                    return out;
                });
    }

    private static String creditKey(Query q, String t) {
        return switch (q.grouping()) {
            case COURSE -> t + ".course_id::text";
            case REGION -> "left(coalesce(" + t + ".region_code, ''), " + q.childLength() + ")";
            case INSTITUTION -> "coalesce(" + t + ".institution_id, 0)::text";
            case PROFESSION -> "coalesce(" + t + ".profession, '')";
            default -> "''";
        };
    }

    /** The course and category filters ($4, $5: a null one is always true). */
    private static String creditFilters(String t) {
        return "AND ($4::uuid IS NULL OR " + t + ".course_id = $4) " + "AND ($5::text IS NULL OR " + t
                + ".course_id IN (SELECT id FROM course WHERE category_code = $5))";
    }
}
