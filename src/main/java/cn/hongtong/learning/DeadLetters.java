package cn.hongtong.learning;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Other features' way to the dead-letter stream of learning events (raw events the flusher refused). */
@ApplicationScoped
public class DeadLetters {

    private final ReactiveRedisDataSource redis;

    DeadLetters(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** Drops dead-lettered events older than {@code before}; answers how many were dropped. */
    public Uni<Long> trimOlderThan(Instant before) {
        return redis.execute("XTRIM", Flusher.DEAD_LETTER, "MINID", before.toEpochMilli() + "-0")
                .map(r -> r == null ? 0L : r.toLong());
    }
}
