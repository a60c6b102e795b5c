package cn.hongtong.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits of the HTTP layer that are ours rather than Quarkus's. */
@ConfigMapping(prefix = "hongtong.http")
public interface HttpConfig {

    /**
     * How long a request may wait for a dependency before it is answered 503 problem+json with
     * Retry-After. A frozen database or Redis (a network partition, not a refused connection)
     * otherwise holds requests until the client gives up. What was asked may still happen after
     * the 503; every write is idempotent, so the client's retry neither loses nor doubles it.
     */
    @WithDefault("5s")
    Duration deadline();
}
