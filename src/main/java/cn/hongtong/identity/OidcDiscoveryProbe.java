package cn.hongtong.identity;

import cn.hongtong.common.DependencyProbe;
import cn.hongtong.common.HealthConfig;
import cn.hongtong.common.ReadinessProbe;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The token issuer answers its OpenID discovery document. Without it no new signing key can be
 * fetched and the WeChat bridge cannot log anyone in.
 */
@HealthGroup("dependencies")
@ApplicationScoped
class OidcDiscoveryProbe implements DependencyProbe {

    private final WebClient client;
    private final String discoveryUrl;
    private final HealthConfig config;

    OidcDiscoveryProbe(
            Vertx vertx,
            HealthConfig config,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") String authServerUrl) {
        this.client = WebClient.create(vertx);
        this.config = config;
        this.discoveryUrl = authServerUrl.replaceFirst("/+$", "") + "/.well-known/openid-configuration";
    }

    @Override
    public String dependency() {
        return "oidc";
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return ReadinessProbe.probe(
                "oidc",
                config,
                client.getAbs(discoveryUrl)
                        .timeout(config.timeout().toMillis())
                        .send()
                        .invoke(response -> {
                            if (response.statusCode() != 200
                                    || !response.bodyAsString().contains("\"issuer\"")) {
                                throw new IllegalStateException("discovery answered HTTP " + response.statusCode());
                            }
                        }));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
