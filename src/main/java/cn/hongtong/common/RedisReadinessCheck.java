package cn.hongtong.common;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Redis answers PING through the client the API uses. */
@Readiness
@HealthGroup("dependencies")
@ApplicationScoped
class RedisReadinessCheck implements DependencyProbe {

    private final ReactiveRedisDataSource redis;
    private final HealthConfig config;

    RedisReadinessCheck(ReactiveRedisDataSource redis, HealthConfig config) {
        this.redis = redis;
        this.config = config;
    }

    @Override
    public String dependency() {
        return "redis";
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return ReadinessProbe.probe("redis", config, redis.execute("PING"));
    }
}
