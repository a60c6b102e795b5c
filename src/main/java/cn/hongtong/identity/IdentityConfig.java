package cn.hongtong.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the API reads who calls from Keycloak tokens. */
@ConfigMapping(prefix = "hongtong.identity")
public interface IdentityConfig {

    /**
     * Access-token claim holding an analyst's region scope: a prefix of 12-digit administrative
     * region codes ({@code 52} is Guizhou). Absent means nationwide.
     */
    @WithDefault("region_scope")
    String regionScopeClaim();
}
