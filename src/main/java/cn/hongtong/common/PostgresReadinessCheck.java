package cn.hongtong.common;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** PostgreSQL answers a query through the reactive pool the API uses. */
@Readiness
@ApplicationScoped
class PostgresReadinessCheck implements AsyncHealthCheck {

    private final Pool pool;
    private final HealthConfig config;

    PostgresReadinessCheck(Pool pool, HealthConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return ReadinessProbe.probe("postgres", config, pool.query("SELECT 1").execute());
    }
}
