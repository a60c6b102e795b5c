package cn.hongtong.catalog;

import cn.hongtong.media.MediaAssets;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The version of what learners see of the catalog, shared by every replica in Redis: bumped
 * after every committed admin change and every change of a video's state (a lesson becomes
 * playable), read by {@link CatalogAnswers} (and learning's progress answers) before serving a kept answer.
 */
@ApplicationScoped
public class CatalogVersion {

    static final String KEY = "catalog:version";

    private final ReactiveValueCommands<String, Long> values;
    private final long refreshNanos;
    /** The version last read or set here, and when (System.nanoTime); none yet at first. */
    private volatile Known known;

    private record Known(long version, long atNanos) {}

    CatalogVersion(ReactiveRedisDataSource redis, CatalogConfig config) {
        this.values = redis.value(Long.class);
        this.refreshNanos = config.cache().versionRefresh().toNanos();
    }

    /**
     * The current version (0 before the first change); other features key what they keep by it
     * too. Read from Redis at most once per {@code hongtong.catalog.cache.version-refresh}; a bump
     * made by this replica counts at once.
     */
    public Uni<Long> current() {
        Known k = known;
        long now = System.nanoTime();
        if (k != null && now - k.atNanos() < refreshNanos) {
            return Uni.createFrom().item(k.version());
        }
        return values.get(KEY).map(v -> {
            long version = v == null ? 0L : v;
            remember(version, now);
            return version;
        });
    }

    /** Keeps what was read, unless something newer was learnt since the read began (a bump here). */
    private void remember(long version, long readAtNanos) {
        Known k = known;
        if (k == null || readAtNanos - k.atNanos() >= 0) {
            known = new Known(version, readAtNanos);
        }
    }

    /**
     * Marks every replica's kept answers stale. Never fails the change that asked for it: should
     * Redis be down, kept answers go stale after {@code hongtong.catalog.cache.ttl} at most.
     */
    public Uni<Void> bump() {
        return values.incr(KEY)
                .invoke(v -> known = new Known(v, System.nanoTime()))
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(e -> {
                    Log.warnf(
                            "could not bump the catalog version (%s); kept answers expire on their own",
                            e.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }

    void onMediaChange(@Observes MediaAssets.StatusChanged change) {
        bump().subscribe().with(ignored -> {}, e -> {});
    }
}
