package cn.hongtong.common;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Redis answers PING through the client the API uses. */
@Readiness
@ApplicationScoped
class RedisReadinessCheck implements AsyncHealthCheck {

    private final ReactiveRedisDataSource redis;
    private final HealthConfig config;

    RedisReadinessCheck(ReactiveRedisDataSource redis, HealthConfig config) {
        this.redis = redis;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return ReadinessProbe.probe("redis", config, redis.execute("PING"));
    }
}
