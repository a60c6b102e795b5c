package cn.hongtong.identity;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
class LearnerRepository implements PanacheRepositoryBase<Learner, UUID> {

    private final Pool pool;

    LearnerRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * The id of the learner with this subject, null when there is none: one indexed read on the
     * SQL client, without a Hibernate session or an entity, because every learner-facing request
     * asks it ({@link LearnerDirectory}).
     */
    Uni<UUID> idBySubject(String subject) {
        return pool.preparedQuery("SELECT id FROM learner WHERE subject = $1")
                .execute(Tuple.of(subject))
                .map(rows -> rows.size() > 0 ? rows.iterator().next().getUUID("id") : null);
    }

    Uni<Learner> findBySubject(String subject) {
        return find("subject", subject).firstResult();
    }

    /** Whether the account with this subject was deleted (a token issued before still verifies). */
    Uni<Boolean> erased(String subject) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT count(*) FROM account_erasure WHERE subject_hash = :hash", Long.class)
                        .setParameter("hash", SubjectHash.of(subject))
                        .getSingleResult())
                .map(count -> count > 0);
    }

    /**
     * Inserts the learner unless one with this subject exists. Safe under concurrent first
     * requests of the same person: the unique subject decides, nobody fails.
     */
    Uni<Integer> insertIfAbsent(String subject) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "INSERT INTO learner (id, subject, created_at) VALUES (gen_random_uuid(), :subject, now()) "
                                        + "ON CONFLICT (subject) DO NOTHING")
                        .setParameter("subject", subject)
                        .executeUpdate());
    }

    /**
     * Records a WeChat login of the person {@code unionid} holding Keycloak account
     * {@code subject}, keeping the openid of the app they came through. Idempotent and safe
     * under concurrent first logins. If the person's Keycloak account was recreated, their
     * learner record (and so their hours) follows them to the new account.
     */
    Uni<Void> recordWeChatLogin(String subject, String unionid, String miniOpenid, String appOpenid) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("UPDATE learner SET subject = :subject, updated_at = now() "
                                + "WHERE unionid = :unionid AND subject <> :subject "
                                + "AND NOT EXISTS (SELECT 1 FROM learner other WHERE other.subject = :subject)")
                        .setParameter("subject", subject)
                        .setParameter("unionid", unionid)
                        .executeUpdate()
                        .chain(ignored -> session.createNativeQuery(
                                        "INSERT INTO learner (id, subject, unionid, mini_openid, app_openid, created_at, updated_at) "
                                                + "VALUES (gen_random_uuid(), :subject, :unionid, CAST(:mini AS varchar), "
                                                + "CAST(:app AS varchar), now(), now()) "
                                                + "ON CONFLICT (subject) DO UPDATE SET "
                                                + "unionid = COALESCE(learner.unionid, EXCLUDED.unionid), "
                                                + "mini_openid = COALESCE(EXCLUDED.mini_openid, learner.mini_openid), "
                                                + "app_openid = COALESCE(EXCLUDED.app_openid, learner.app_openid), "
                                                + "updated_at = now()")
                                .setParameter("subject", subject)
                                .setParameter("unionid", unionid)
                                .setParameter("mini", miniOpenid)
                                .setParameter("app", appOpenid)
                                .executeUpdate()))
                .replaceWithVoid();
    }
}
