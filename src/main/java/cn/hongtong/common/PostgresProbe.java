package cn.hongtong.common;

import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** PostgreSQL answers a query through the reactive pool the API uses (a dependency probe, not readiness). */
@HealthGroup("dependencies")
@ApplicationScoped
class PostgresProbe implements DependencyProbe {

    private final Pool pool;
    private final HealthConfig config;

    PostgresProbe(Pool pool, HealthConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Override
    public String dependency() {
        return "postgres";
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return ReadinessProbe.probe("postgres", config, pool.query("SELECT 1").execute());
    }
}
