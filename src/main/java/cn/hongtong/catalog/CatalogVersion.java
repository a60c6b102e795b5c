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

    CatalogVersion(ReactiveRedisDataSource redis) {
        this.values = redis.value(Long.class);
    }

    /** The current version (0 before the first change); other features key what they keep by it too. */
    public Uni<Long> current() {
        return values.get(KEY).map(v -> v == null ? 0L : v);
    }

    /**
     * Marks every replica's kept answers stale. Never fails the change that asked for it: should
     * Redis be down, kept answers go stale after {@code hongtong.catalog.cache.ttl} at most.
     */
    Uni<Void> bump() {
        return values.incr(KEY).replaceWithVoid().onFailure().recoverWithUni(e -> {
            Log.warnf("could not bump the catalog version (%s); kept answers expire on their own", e.getClass().getSimpleName());
            return Uni.createFrom().voidItem();
        });
    }

    void onMediaChange(@Observes MediaAssets.StatusChanged change) {
        bump().subscribe().with(ignored -> { }, e -> { });
    }
}
