package cn.hongtong.common;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Gauge {@code hongtong_dependency_up{dependency}}: 1 while the dependency answered its last probe,
 * 0 otherwise, refreshed every {@link HealthConfig#dependencyInterval()}. Alerts watch it; readiness
 * does not (see {@link DependencyProbe}).
 */
@ApplicationScoped
class DependencyMetrics {

    private final List<DependencyProbe> probes;
    private final Vertx vertx;
    private final HealthConfig config;
    private final Map<String, AtomicInteger> up = new ConcurrentHashMap<>();
    private volatile long timer = -1;

    DependencyMetrics(@Any Instance<DependencyProbe> probes, Vertx vertx, HealthConfig config, MeterRegistry metrics) {
        this.probes = probes.stream().toList();
        this.vertx = vertx;
        this.config = config;
        for (DependencyProbe probe : this.probes) {
            AtomicInteger value = new AtomicInteger(0);
            up.put(probe.dependency(), value);
            Gauge.builder("hongtong.dependency.up", value, AtomicInteger::get)
                    .description("1 while the dependency answers its probe, 0 otherwise")
                    .tag("dependency", probe.dependency())
                    .register(metrics);
        }
    }

    void start(@Observes StartupEvent event) {
        probeAll();
        timer = vertx.setPeriodic(config.dependencyInterval().toMillis(), id -> probeAll());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void probeAll() {
        for (DependencyProbe probe : probes) {
            probe.call()
                    .subscribe()
                    .with(
                            response -> up.get(probe.dependency())
                                    .set(response.getStatus() == HealthCheckResponse.Status.UP ? 1 : 0),
                            failure -> up.get(probe.dependency()).set(0));
        }
    }
}
