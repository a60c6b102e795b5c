package cn.hongtong.learning;

import cn.hongtong.credit.CreditGrants;
import cn.hongtong.learning.FlushBatch.Delta;
import cn.hongtong.statistics.RollupStore;
import cn.hongtong.statistics.RollupStore.Completion;
import cn.hongtong.statistics.RollupStore.Growth;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Applies a batch of learning events to PostgreSQL in one transaction: session totals, per-day
 * session totals, the hours ledger, lesson coverage and completion, the credits of courses it
 * completes ({@link CreditGrants}) and (through statistics' {@link RollupStore}) the statistics
 * rollups, all in the same transaction.
 * Exactly once by construction: stored values only grow (GREATEST), and every increment is
 * new - stored, computed under a row lock on (session, day). Applying a batch twice, out of
 * order, or from two flushers at once therefore gives the same totals. {@link FlushBatch} folds
 * the events into rows; {@link LearningStore} writes them.
 */
@ApplicationScoped
class FlushWriter {

    private final Pool pool;
    private final LearningStore store;
    private final LearningConfig config;
    private final RollupStore rollups;
    private final CreditGrants grants;

    FlushWriter(Pool pool, LearningStore store, LearningConfig config, RollupStore rollups, CreditGrants grants) {
        this.pool = pool;
        this.store = store;
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
        return pool.withTransaction(conn -> store.updateSessions(conn, FlushBatch.sessions(events))
                .chain(() -> store.growSessionDays(conn, FlushBatch.sessionDays(events)))
                .chain(deltas -> store.addToLedger(conn, deltas)
                        .chain(() ->
                                store.mergeProgress(conn, FlushBatch.lessons(events), config.completionThreshold()))
                        .chain(lessons -> store.completeCourses(conn, FlushBatch.courseCandidates(lessons))
                                .call(courses -> grants.issue(
                                        conn,
                                        courses.stream()
                                                .map(Completion::learner)
                                                .toList(),
                                        courses.stream().map(Completion::course).toList()))
                                .chain(courses -> rollups.write(conn, growth(deltas), lessons, courses))))
                .chain(() -> store.mergeCreditClock(conn, FlushBatch.clock(events))));
    }

    private static List<Growth> growth(List<Delta> deltas) {
        return deltas.stream()
                .map(d -> new Growth(d.learner(), d.course(), d.day(), d.watchMs(), d.creditedMs()))
                .toList();
    }
}
