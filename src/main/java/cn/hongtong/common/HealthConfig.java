package cn.hongtong.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Readiness probing of the API's dependencies. */
@ConfigMapping(prefix = "hongtong.health")
public interface HealthConfig {

    /**
     * How long one dependency may take to answer a readiness probe before it counts as DOWN.
     * Short, so that a probe never outlives the Kubernetes probe timeout.
     */
    @WithDefault("2s")
    Duration timeout();

    /** How often every dependency is probed for gauge {@code hongtong_dependency_up}. */
    @WithDefault("10s")
    Duration dependencyInterval();
}
