package cn.hongtong.learning;

import cn.hongtong.catalog.CatalogVersion;
import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.LearnerDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
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

    private final LearningStore store;
    private final LearnerDirectory learners;
    private final ProgressStamps stamps;
    private final CatalogVersion catalog;
    private final Clock clock;
    private final ZoneId zone;
    private final LearningConfig.ProgressCache cache;
    private final int ledgerMaxDays;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    ProgressService(
            LearningStore store,
            LearnerDirectory learners,
            ProgressStamps stamps,
            CatalogVersion catalog,
            LearningConfig config,
            Clock clock) {
        this.store = store;
        this.learners = learners;
        this.stamps = stamps;
        this.catalog = catalog;
        this.clock = clock;
        this.zone = config.timeZone();
        this.cache = config.progressCache();
        this.ledgerMaxDays = config.ledgerMaxDays();
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
        return store.progress(learner, today).invoke(progress -> {
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

    Uni<List<LedgerDay>> ledger(CurrentUser user, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            return Uni.createFrom()
                    .failure(ProblemException.invalidField(
                            "to", LocalizedText.of("结束日期早于开始日期", "ends before it starts")));
        }
        if (from.plusDays(ledgerMaxDays).isBefore(to)) {
            return Uni.createFrom()
                    .failure(ProblemException.invalidField(
                            "to",
                            LocalizedText.of(
                                    "一次最多查询 " + ledgerMaxDays + " 天", "at most " + ledgerMaxDays + " days at a time")));
        }
        return learners.learnerId(user).chain(learner -> store.ledger(learner, from, to));
    }
}
