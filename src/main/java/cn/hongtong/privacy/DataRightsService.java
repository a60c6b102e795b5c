package cn.hongtong.privacy;

import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.KeycloakAccounts;
import cn.hongtong.identity.LearnerDirectory;
import cn.hongtong.identity.SubjectHash;
import cn.hongtong.learning.LearnerHotState;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Account deletion and export for the calling learner. Deletion erases every identifier in one
 * PostgreSQL transaction (see {@link PrivacyStore}), then forgets the learner's state in Redis,
 * then deletes their Keycloak user (which holds the WeChat link); a Keycloak failure leaves the
 * deletion recorded and {@link RetentionJobs} retries it. Repeating a deletion changes nothing.
 */
@ApplicationScoped
class DataRightsService {

    private final PrivacyStore store;
    private final LearnerDirectory learners;
    private final LearnerHotState hotState;
    private final KeycloakAccounts keycloak;
    private final Clock clock;
    /** Sessions that started within this may still have keys in Redis. */
    private final Duration hotSessions;

    DataRightsService(
            PrivacyStore store,
            LearnerDirectory learners,
            LearnerHotState hotState,
            KeycloakAccounts keycloak,
            PrivacyConfig config,
            Clock clock) {
        this.store = store;
        this.learners = learners;
        this.hotState = hotState;
        this.keycloak = keycloak;
        this.clock = clock;
        this.hotSessions = config.hotSessions();
    }

    Uni<Void> erase(CurrentUser user) {
        String subject = user.subject();
        byte[] hash = SubjectHash.of(subject);
        Instant now = clock.instant();
        return store.learnerBySubject(subject).chain(learner -> {
            if (learner == null) {
                // Erased already, or never a learner record: nothing is held about the caller here.
                return Uni.createFrom().voidItem();
            }
            return store.hotKeys(learner, now.minus(hotSessions))
                    .chain(hot -> store.erase(learner, subject, hash, now)
                            .chain(erased -> !erased
                                    ? Uni.createFrom().voidItem()
                                    : hotState.forget(learner, hot.sessions(), hot.lessons(), hotState.today(now))
                                            .chain(() -> deleteKeycloakUser(hash, subject))));
        });
    }

    /** Deletes the Keycloak user now; on failure the deletion stays pending for the retention job. */
    Uni<Void> deleteKeycloakUser(byte[] hash, String keycloakUserId) {
        return keycloak.delete(keycloakUserId)
                .chain(() -> store.keycloakDeleted(hash))
                .onFailure()
                .recoverWithUni(failure -> {
                    Log.warnf(
                            "deleting a Keycloak user failed (%s); the retention job retries",
                            failure.getClass().getSimpleName());
                    return store.keycloakDeletionFailed(hash);
                });
    }

    Uni<String> export(CurrentUser user) {
        return learners.learnerId(user).chain(store::export);
    }
}
