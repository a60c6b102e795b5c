package cn.hongtong.learning;

import cn.hongtong.catalog.CatalogVersion;
import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.LearnerDirectory;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A learner's own hours and progress, from the ledger the flusher keeps. Answers of
 * {@code /me/progress} are kept in memory per token subject, under the learner's progress stamp
 * and the catalog version read before they were computed (see {@link ProgressStamps} and
 * {@link LearningConfig.ProgressCache}): a learner polling their progress costs two Redis reads
 * until the flusher commits something of theirs or an admin changes the catalog.
 */
@ApplicationScoped
class ProgressService {

    private final Pool pool;
    private final LearnerDirectory learners;
    private final ProgressStamps stamps;
    private final CatalogVersion catalog;
    private final Clock clock;
    private final ZoneId zone;
    private final LearningConfig.ProgressCache cache;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    ProgressService(
            Pool pool,
            LearnerDirectory learners,
            ProgressStamps stamps,
            CatalogVersion catalog,
            LearningConfig config,
            Clock clock) {
        this.pool = pool;
        this.learners = learners;
        this.stamps = stamps;
        this.catalog = catalog;
        this.clock = clock;
        this.zone = ZoneId.of(config.timeZone());
        this.cache = config.progressCache();
    }

    /** A kept answer and what it was computed under. */
    private record Kept(
            UUID learner, String stamp, long catalogVersion, LocalDate day, long expiresAtMillis, Progress progress) {

        boolean holds(String stamp, long catalogVersion, LocalDate day, long nowMillis) {
            return this.stamp.equals(stamp)
                    && this.catalogVersion == catalogVersion
                    && this.day.equals(day)
                    && nowMillis < expiresAtMillis;
        }
    }

    /** What a kept answer must match: read before the answer is computed, so a commit meanwhile is never hidden. */
    private record Versions(String stamp, long catalogVersion) {}

    record Hours(double today, double thisMonth, double thisYear) {}

    record CourseProgress(
            UUID courseId, String title, int lessons, int completedLessons, double creditedHours, boolean completed) {}

    record Progress(
            Hours creditedHours, Hours watchHours, List<CourseProgress> inProgress, List<CourseProgress> completed) {}

    record LedgerDay(
            LocalDate day,
            UUID lessonId,
            String lessonTitle,
            UUID courseId,
            String courseTitle,
            double creditedMinutes,
            double watchMinutes) {}

    Uni<Progress> progress(CurrentUser user) {
        LocalDate today = LocalDate.now(clock.withZone(zone));
        Kept known = kept.get(user.subject());
        if (known == null) {
            return fresh(user, today);
        }
        return versions(stamps.current(known.learner()))
                .chain(versions -> versions != null
                                && known.holds(versions.stamp(), versions.catalogVersion(), today, clock.millis())
                        ? Uni.createFrom().item(known.progress())
                        // Through the directory again: the account may have been erased (its stamp deleted).
                        : fresh(user, today));
    }

    /** Computes the caller's answer and keeps it under the versions read before. */
    private Uni<Progress> fresh(CurrentUser user, LocalDate today) {
        return learners.learnerId(user)
                .chain(learner -> versions(stamps.establish(learner))
                        .chain(versions -> computeAndKeep(user.subject(), learner, versions, today)));
    }

    /** The stamp and the catalog version, read together; null when there is no stamp or Redis cannot say. */
    private Uni<Versions> versions(Uni<String> stamp) {
        return Uni.combine()
                .all()
                .unis(stamp, catalog.current())
                .asTuple()
                .map(t -> t.getItem1() == null ? null : new Versions(t.getItem1(), t.getItem2()))
                .onFailure()
                .recoverWithNull();
    }

    private Uni<Progress> computeAndKeep(String subject, UUID learner, Versions versions, LocalDate today) {
        return compute(learner, today).invoke(progress -> {
            if (versions == null) {
                return;
            }
            if (kept.size() >= cache.size()) {
                kept.clear();
            }
            kept.put(
                    subject,
                    new Kept(
                            learner,
                            versions.stamp(),
                            versions.catalogVersion(),
                            today,
                            clock.millis() + cache.ttl().toMillis(),
                            progress));
        });
    }

    private Uni<Progress> compute(UUID learner, LocalDate today) {
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

    Uni<List<LedgerDay>> ledger(CurrentUser user, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            return Uni.createFrom()
                    .failure(ProblemException.invalidField(
                            "to", LocalizedText.of("结束日期早于开始日期", "ends before it starts")));
        }
        if (from.plusDays(366).isBefore(to)) {
            return Uni.createFrom()
                    .failure(ProblemException.invalidField(
                            "to", LocalizedText.of("一次最多查询一年", "at most one year at a time")));
        }
        return learners.learnerId(user)
                .chain(learner -> pool.preparedQuery("""
                SELECT h.day, h.lesson_id, l.title AS lesson_title, h.course_id, c.title AS course_title,
                       h.credited_ms, h.watch_ms
                FROM hours_ledger h JOIN lesson l ON l.id = h.lesson_id JOIN course c ON c.id = h.course_id
                WHERE h.learner_id = $1 AND h.day BETWEEN $2 AND $3
                ORDER BY h.day, c.title, l.position""")
                        .execute(Tuple.of(learner, from, to))
                        .map(rows -> {
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
                        }));
    }

    private static double hours(long millis) {
        return Math.round(millis / 3600.0) / 1000.0;
    }
}
