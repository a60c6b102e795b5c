package cn.hongtong.identity;

import cn.hongtong.common.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Other features' way to the caller's learner record. */
@ApplicationScoped
public class LearnerDirectory {

    private final LearnerService learners;
    private final LearnerRepository repository;

    LearnerDirectory(LearnerService learners, LearnerRepository repository) {
        this.learners = learners;
        this.repository = repository;
    }

    /**
     * The learner id of the calling learner, creating the record on first contact. An existing
     * learner is one indexed read, without a transaction or an entity (every learner-facing read
     * path asks); only the first contact (or a deleted account's token) takes the full way.
     */
    public Uni<UUID> learnerId(CurrentUser user) {
        String subject = user.subject();
        return repository
                .idBySubject(subject)
                .chain(id -> id != null
                        ? Uni.createFrom().item(id)
                        : Panache.withTransaction(() -> learners.ensureLearner(subject))
                                .map(learner -> learner.id));
    }

    /** The problem answered to a token of a deleted account (403 account-erased). */
    public static ProblemException accountErased() {
        return LearnerService.accountErased();
    }
}
