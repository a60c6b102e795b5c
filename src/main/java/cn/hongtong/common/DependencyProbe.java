package cn.hongtong.common;

import io.smallrye.health.api.AsyncHealthCheck;

/**
 * One dependency's health, probed by a round trip. Every probe is in health group
 * {@code dependencies} ({@code /q/health/group/dependencies}) and in gauge
 * {@code hongtong_dependency_up{dependency=...}} ({@link DependencyMetrics}), for dashboards and
 * alerts. Only Redis also decides readiness: readiness says whether this replica can serve its
 * hot path, and an outage of PostgreSQL, the object store or Keycloak must not empty the Service
 * (the design keeps heartbeats flowing into Redis while PostgreSQL is away).
 */
public interface DependencyProbe extends AsyncHealthCheck {

    /** The dependency's name: the health check's name and the gauge's tag. */
    String dependency();
}
