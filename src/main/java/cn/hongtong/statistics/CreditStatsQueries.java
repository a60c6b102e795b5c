package cn.hongtong.statistics;

import cn.hongtong.statistics.Group.Count;
import cn.hongtong.statistics.StatsQueries.Query;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Continuing-education credit for the statistics: credits granted (valid ones, by the day they
 * were granted) and assessment attempts finished (by the day they were submitted or expired),
 * grouped like the learning statistics by course, region, institution or profession as the
 * learner's profile was at the grant or the attempt. Small tables (one row per grant or attempt),
 * read directly.
 */
@ApplicationScoped
class CreditStatsQueries {

    /** One group: learners credited and their grants and credits; learners who finished attempts, attempts and passes. */
    record CreditGroup(
            String key, Count credited, long grants, BigDecimal credits, Count assessed, long attempts, long passed) {

        static CreditGroup empty(String key) {
            return new CreditGroup(key, Count.ZERO, 0, BigDecimal.ZERO, Count.ZERO, 0, 0);
        }
    }

    private final Pool pool;
    private final ZoneId zone;

    CreditStatsQueries(Pool pool, StatsConfig config) {
        this.pool = pool;
        this.zone = config.zone();
    }

    /** The groups of {@code q} by its grouping (NONE: one group, key ""). */
    Uni<Map<String, CreditGroup>> groups(Query q) {
        String grantKey = key(q, "g");
        String attemptKey = key(q, "t");
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
                """.formatted(grantKey, filters("g"), attemptKey, filters("t"));
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

    private static String key(Query q, String t) {
        return switch (q.grouping()) {
            case COURSE -> t + ".course_id::text";
            case REGION -> "left(coalesce(" + t + ".region_code, ''), " + q.childLength() + ")";
            case INSTITUTION -> "coalesce(" + t + ".institution_id, 0)::text";
            case PROFESSION -> "coalesce(" + t + ".profession, '')";
            default -> "''";
        };
    }

    /** The course and category filters ($4, $5: a null one is always true). */
    private static String filters(String t) {
        return "AND ($4::uuid IS NULL OR " + t + ".course_id = $4) " + "AND ($5::text IS NULL OR " + t
                + ".course_id IN (SELECT id FROM course WHERE category_code = $5))";
    }
}
