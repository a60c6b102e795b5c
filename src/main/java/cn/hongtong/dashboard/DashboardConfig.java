package cn.hongtong.dashboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the dashboard sends analysts to log in. */
@ConfigMapping(prefix = "hongtong.dashboard")
public interface DashboardConfig {

    /**
     * The realm's URL as browsers reach it ({@code https://sso.example.cn/realms/hongtong}); by
     * default {@code quarkus.oidc.auth-server-url} (right when the API and browsers see Keycloak at
     * the same address, as on the local stack).
     */
    @WithDefault("${quarkus.oidc.auth-server-url}")
    String issuer();

    /** The realm's public client for the dashboard (authorization code with PKCE, S256). */
    @WithDefault("hongtong-dashboard")
    String clientId();
}
