package cn.hongtong.learning;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.UUID;

/**
 * A learner's progress stamp, shared by every replica in Redis: a value that changes whenever the
 * flusher commits something of the learner's (hours, coverage, completions). A replica keeps a
 * learner's {@code /me/progress} answer under the stamp it read before computing it, and serves it
 * again only while the stamp is the same. A stamp is never reused: it is the id of the stream
 * entry whose batch changed it, or a random value for a learner with no stamp yet.
 */
@ApplicationScoped
class ProgressStamps {

    private final Redis redis;
    /** Stamps are refreshed by every flush of the learner; an idle learner's stamp goes after this. */
    private final Duration ttl;

    ProgressStamps(ReactiveRedisDataSource redis, LearningConfig config) {
        this.redis = redis.getRedis();
        this.ttl = config.redis().progressStampTtl();
    }

    /** The learner's stamp; null when the learner has none (never flushed lately, or erased). */
    Uni<String> current(UUID learner) {
        return redis.send(Request.cmd(Command.GET).arg(HotPath.progressStampKey(learner)))
                .map(r -> r == null ? null : r.toString());
    }

    /**
     * The stamp of a learner known to exist, giving one without a stamp a new random one (set only
     * if still absent, in the same command), so that an answer is never kept under "no stamp":
     * deleting the stamp (an erased account) makes every kept answer of the learner stale.
     */
    Uni<String> establish(UUID learner) {
        String fresh = "r-" + UUID.randomUUID();
        return redis.send(Request.cmd(Command.SET)
                        .arg(HotPath.progressStampKey(learner))
                        .arg(fresh)
                        .arg("NX")
                        .arg("GET")
                        .arg("PX")
                        .arg(ttl.toMillis()))
                .map(r -> r == null ? fresh : r.toString());
    }

    /**
     * Gives the learners of a committed batch a new stamp. Never fails the flush: should Redis
     * fail here, kept answers go stale after the cache TTL at most.
     */
    Uni<Void> changed(Collection<UUID> learners, String stamp) {
        if (learners.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join()
                .all(learners.stream()
                        .map(l -> redis.send(Request.cmd(Command.SET)
                                .arg(HotPath.progressStampKey(l))
                                .arg(stamp)
                                .arg("PX")
                                .arg(ttl.toMillis())))
                        .toList())
                .andCollectFailures()
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    Log.warnf(
                            "could not renew progress stamps (%s); kept progress answers expire on their own",
                            e.getClass().getSimpleName());
                    return null;
                });
    }
}
