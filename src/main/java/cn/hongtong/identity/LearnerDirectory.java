package cn.hongtong.identity;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Other features' way to the caller's learner record. */
@ApplicationScoped
public class LearnerDirectory {

    private final LearnerService learners;

    LearnerDirectory(LearnerService learners) {
        this.learners = learners;
    }

    /** The learner id of the calling learner, creating the record on first contact. */
    @WithTransaction
    public Uni<UUID> learnerId(CurrentUser user) {
        return learners.ensureLearner(user.subject()).map(learner -> learner.id);
    }

    /** The problem answered to a token of a deleted account (403 account-erased). */
    public static cn.hongtong.common.ProblemException accountErased() {
        return LearnerService.accountErased();
    }
}
