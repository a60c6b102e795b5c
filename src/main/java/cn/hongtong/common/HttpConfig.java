package cn.hongtong.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /**
     * Address ranges of the reverse proxies in front of the API (ingress controllers, load
     * balancers), as CIDRs or single addresses, comma-separated. Only a request whose peer is in
     * one of them has its {@code X-Forwarded-For} read, and then from the right: the first entry
     * that is not a trusted proxy is the client. Empty (the default) means the peer is the client
     * and {@code X-Forwarded-For} is ignored.
     */
    Optional<List<String>> trustedProxies();
}
