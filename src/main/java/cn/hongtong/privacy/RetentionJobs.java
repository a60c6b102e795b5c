package cn.hongtong.privacy;

import cn.hongtong.learning.DeadLetters;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Ages out what is no longer needed ({@link PrivacyConfig.Retention}): renewal handles, sessions
 * with their per-day totals and device ids, offline plays, the credit clock's copy, dead-lettered
 * raw events and the markers of deleted accounts; and retries Keycloak deletions of deleted
 * accounts. Runs on every replica; every step is an idempotent, batched delete.
 */
@ApplicationScoped
class RetentionJobs {

    private final PrivacyStore store;
    private final DataRightsService rights;
    private final DeadLetters deadLetters;
    private final PrivacyConfig.Retention config;
    private final Vertx vertx;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long timer = -1;

    RetentionJobs(
            PrivacyStore store,
            DataRightsService rights,
            DeadLetters deadLetters,
            PrivacyConfig config,
            Vertx vertx,
            Clock clock) {
        this.store = store;
        this.rights = rights;
        this.deadLetters = deadLetters;
        this.config = config.retention();
        this.vertx = vertx;
        this.clock = clock;
    }

    /** What one run deleted. */
    record Run(
            int renewalHandles,
            int sessions,
            int offlinePlays,
            int creditClockDays,
            long deadEvents,
            int erasureMarkers,
            int keycloakUsers) {}

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(config.interval().toMillis(), id -> {
            if (running.compareAndSet(false, true)) {
                runOnce()
                        .subscribe()
                        .with(
                                run -> {
                                    running.set(false);
                                    Log.debugf("retention: %s", run);
                                },
                                failure -> {
                                    running.set(false);
                                    Log.warnf(
                                            "retention run failed (%s); next run in %s",
                                            failure.getClass().getSimpleName(), config.interval());
                                });
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    Uni<Run> runOnce() {
        Instant now = clock.instant();
        int batch = config.batchSize();
        int[] counts = new int[6];
        long[] deadEvents = new long[1];
        return drain(() -> store.deleteStaleRenewalHandles(now.minus(config.renewalHandles()), batch), batch)
                .invoke(n -> counts[0] = n)
                .chain(() -> drain(() -> store.deleteOldSessions(now.minus(config.sessions()), batch), batch))
                .invoke(n -> counts[1] = n)
                .chain(() -> drain(() -> store.deleteOldOfflinePlays(now.minus(config.sessions()), batch), batch))
                .invoke(n -> counts[2] = n)
                .chain(() -> drain(
                        () -> store.deleteOldCreditClock(
                                LocalDate.ofInstant(now.minus(config.creditClock()), ZoneOffset.UTC), batch),
                        batch))
                .invoke(n -> counts[3] = n)
                .chain(() -> deadLetters.trimOlderThan(now.minus(config.deadEvents())))
                .invoke(n -> deadEvents[0] = n)
                .chain(this::retryKeycloakDeletions)
                .invoke(n -> counts[4] = n)
                .chain(() ->
                        drain(() -> store.deleteOldErasureMarkers(now.minus(config.erasureMarkers()), batch), batch))
                .invoke(n -> counts[5] = n)
                .map(ignored ->
                        new Run(counts[0], counts[1], counts[2], counts[3], deadEvents[0], counts[5], counts[4]));
    }

    private Uni<Integer> retryKeycloakDeletions() {
        return store.pendingKeycloakDeletions(100).chain(pending -> {
            Uni<Integer> done = Uni.createFrom().item(0);
            for (PrivacyStore.PendingDeletion p : pending) {
                done = done.chain(n -> rights.deleteKeycloakUser(p.subjectHash(), p.keycloakUserId())
                        .replaceWith(n + 1));
            }
            return done;
        });
    }

    /** Repeats a batched delete until a batch comes back short (or max-batches of them); the total. */
    private Uni<Integer> drain(Supplier<Uni<Integer>> step, int batch) {
        return drain(step, batch, 0, 0);
    }

    private Uni<Integer> drain(Supplier<Uni<Integer>> step, int batch, int total, int batches) {
        return step.get()
                .chain(n -> n < batch || batches + 1 >= config.maxBatches()
                        ? Uni.createFrom().item(total + n)
                        : drain(step, batch, total + n, batches + 1));
    }
}
