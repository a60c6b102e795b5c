package cn.hongtong.identity;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
class LearnerRepository implements PanacheRepositoryBase<Learner, UUID> {

    Uni<Learner> findBySubject(String subject) {
        return find("subject", subject).firstResult();
    }

    /**
     * Inserts the learner unless one with this subject exists. Safe under concurrent first
     * requests of the same person: the unique subject decides, nobody fails.
     */
    Uni<Integer> insertIfAbsent(String subject) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "INSERT INTO learner (id, subject, created_at) VALUES (gen_random_uuid(), :subject, now()) "
                        + "ON CONFLICT (subject) DO NOTHING")
                .setParameter("subject", subject)
                .executeUpdate());
    }
}
