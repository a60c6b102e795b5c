package cn.hongtong.identity;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
class MeService {

    private final LearnerRepository learners;

    MeService(LearnerRepository learners) {
        this.learners = learners;
    }

    /** The caller's view of themselves; a learner's record is created on first contact. */
    @WithTransaction
    Uni<MeResponse> me(CurrentUser user) {
        String subject = user.subject();
        Uni<Learner> learner = user.hasRole(Roles.LEARNER) ? ensureLearner(subject) : Uni.createFrom().nullItem();
        return learner.map(l -> new MeResponse(subject, user.username().orElse(null), user.roles(),
                user.regionScope().orElse(null), l == null ? null : l.id));
    }

    Uni<Learner> ensureLearner(String subject) {
        return learners.findBySubject(subject).chain(found -> found != null
                ? Uni.createFrom().item(found)
                : learners.insertIfAbsent(subject).chain(ignored -> learners.findBySubject(subject)));
    }
}
