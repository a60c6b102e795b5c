package cn.hongtong.identity;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Other features' way to the caller's learner record. */
@ApplicationScoped
public class LearnerDirectory {

    private final LearnerService learners;
    private final Pool pool;

    LearnerDirectory(LearnerService learners, Pool pool) {
        this.learners = learners;
        this.pool = pool;
    }

    /**
     * The learner id of the calling learner, creating the record on first contact. An existing
     * learner is one indexed read, without a transaction or an entity (every learner-facing read
     * path asks); only the first contact (or a deleted account's token) takes the full way.
     */
    public Uni<UUID> learnerId(CurrentUser user) {
        String subject = user.subject();
        return pool.preparedQuery("SELECT id FROM learner WHERE subject = $1")
                .execute(Tuple.of(subject))
                .chain(rows -> rows.size() > 0
                        ? Uni.createFrom().item(rows.iterator().next().getUUID("id"))
                        : Panache.withTransaction(() -> learners.ensureLearner(subject))
                                .map(learner -> learner.id));
    }

    /** The problem answered to a token of a deleted account (403 account-erased). */
    public static cn.hongtong.common.ProblemException accountErased() {
        return LearnerService.accountErased();
    }
}
