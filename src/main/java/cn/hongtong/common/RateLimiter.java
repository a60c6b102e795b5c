package cn.hongtong.common;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Fixed-window request limits kept in Redis, so that every replica counts against the same
 * budget. One atomic script per check: count, start the window on the first hit, report the
 * time left.
 */
@ApplicationScoped
public class RateLimiter {

    private static final String SCRIPT = """
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
            return {count, ttl}
            """;

    private final ReactiveRedisDataSource redis;

    public RateLimiter(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /**
     * Counts one hit on {@code key}; fails with a retryable {@code rate-limited} problem once
     * more than {@code limit} hits fall in the current window.
     */
    public Uni<Void> hit(String key, int limit, Duration window, LocalizedText detail) {
        return redis.execute("EVAL", SCRIPT, "1", "ratelimit:" + key, Long.toString(window.toMillis()))
                .map(RateLimiter::countAndTtl)
                .invoke(countAndTtl -> {
                    if (countAndTtl.get(0) > limit) {
                        throw ProblemException.retryable(
                                CommonProblems.RATE_LIMITED, detail, Duration.ofMillis(countAndTtl.get(1)));
                    }
                })
                .replaceWithVoid();
    }

    private static List<Long> countAndTtl(Response response) {
        return List.of(response.get(0).toLong(), response.get(1).toLong());
    }
}
