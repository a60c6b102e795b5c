package cn.hongtong.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;

/** Who calls, and how WeChat identities become Keycloak accounts. */
@ConfigMapping(prefix = "hongtong.identity")
public interface IdentityConfig {

    /**
     * Access-token claim holding an analyst's region scope: a prefix of administrative region
     * codes ({@code 52} is Guizhou). Absent means nationwide.
     */
    @WithDefault("region_scope")
    String regionScopeClaim();

    Keycloak keycloak();

    Bridge bridge();

    WeChat wechat();

    Renewal renewal();

    LoginLimits loginLimits();

    Tokens tokens();

    /** Which verified tokens the API accepts, beyond issuer, signature, expiry and audience. */
    interface Tokens {

        /**
         * Clients ({@code azp}) whose access tokens the API accepts: the bridge (learners) and the
         * dashboard (staff). The local stack adds its password-grant test clients.
         */
        @WithDefault("hongtong-bridge,hongtong-dashboard")
        List<String> allowedClients();

        /**
         * Verified access tokens kept (by SHA-256 of the token, until its {@code exp}) so that a
         * learner's next heartbeat skips the RS256 verification; 0 turns the cache off. An entry
         * holds the parsed token, a few kilobytes: size it with the heap (a full cache verifies
         * new tokens every time rather than growing).
         */
        @WithDefault("20000")
        int verifiedCacheSize();
    }

    /** The Keycloak realm, seen from the bridge. */
    interface Keycloak {

        /** Realm URL, exactly the token issuer; defaults to {@code quarkus.oidc.auth-server-url}. */
        @WithDefault("${quarkus.oidc.auth-server-url}")
        String realmUrl();

        /** Confidential client allowed the JWT Authorization Grant for identity provider {@code wechat}. */
        @WithDefault("hongtong-bridge")
        String bridgeClientId();

        /** Secret of the bridge client. */
        String bridgeClientSecret();

        /** Service-account client holding only {@code realm-management/manage-users}. */
        @WithDefault("hongtong-bridge-admin")
        String adminClientId();

        /** Secret of the provisioning client: as sensitive as an admin password. */
        String adminClientSecret();

        /** Alias of the JWT Authorization Grant identity provider. */
        @WithDefault("wechat")
        String identityProvider();

        /** Timeout of each call to Keycloak. */
        @WithDefault("5s")
        Duration timeout();

        /**
         * Before the first login, check that neither the configured secrets nor Keycloak accept a
         * known development secret (see {@code BridgeGuard}); logins answer 503 until the check
         * passes, and for good when it fails. Off only for the local stack and tests, whose realm
         * is the dev realm.
         */
        @WithDefault("true")
        boolean refuseDevSecrets();

        /** How soon the dev-secret check is tried again while Keycloak cannot answer it. */
        @WithDefault("10s")
        Duration devSecretCheckRetry();

        /** Confidential clients of the realm whose secrets are checked against the known dev values. */
        @WithDefault("hongtong-api,hongtong-bridge,hongtong-bridge-admin")
        List<String> confidentialClients();
    }

    /** The assertions the bridge signs for the JWT Authorization Grant (RFC 7523). */
    interface Bridge {

        /** {@code iss} of the assertions; must equal the identity provider's configured issuer. */
        @WithDefault("https://bridge.hongtong.local")
        String issuer();

        /** {@code kid} of the signing key, as configured on the identity provider. */
        @WithDefault("bridge-dev")
        String keyId();

        /** PKCS#8 PEM file of the RSA signing key (mounted from a secret in production). */
        String privateKeyFile();

        /** Lifetime of an assertion; Keycloak refuses more than 60 seconds. */
        @WithDefault("60s")
        Duration assertionLifetime();
    }

    /** WeChat's servers. */
    interface WeChat {

        /** Base URL of the WeChat API ({@code https://api.weixin.qq.com} in production). */
        String apiBaseUrl();

        /** Timeout of each call to WeChat. */
        @WithDefault("5s")
        Duration timeout();

        /** The mini-program's credentials. */
        @WithName("mini-program")
        AppCredentials miniProgram();

        /** The Hong Tong Tong app's credentials (WeChat Open Platform mobile application). */
        AppCredentials app();

        /**
         * Accept a login without a unionid, keyed by the app's openid instead. Off by default:
         * without a unionid the same worker on the mini-program and on the app would become two
         * learners with split hours. Only for an app not yet bound to the Open Platform account.
         */
        @WithDefault("false")
        boolean allowOpenidFallback();
    }

    interface AppCredentials {
        String appId();

        String appSecret();
    }

    /** The app's renewal handles. */
    interface Renewal {

        /** How long an unused handle stays valid; each renewal issues a new one. */
        @WithDefault("30d")
        Duration lifetime();
    }

    /** Limits on the login endpoints: per client address, per WeChat code, and for the whole deployment. */
    interface LoginLimits {

        /**
         * Logins and renewals from one client (an IPv4 address or an IPv6 /64, see
         * {@code hongtong.http.trusted-proxies}) per window.
         */
        @WithDefault("30")
        int perAddress();

        /** Attempts with one WeChat code per window (a code is single-use anyway). */
        @WithDefault("3")
        int perCode();

        /**
         * WeChat logins of the whole deployment per window, across replicas: kept below WeChat's
         * app-wide minute quota (errcode 45011, which would refuse everyone) so that many
         * addresses together cannot spend it.
         */
        @WithDefault("3000")
        int global();

        @WithDefault("1m")
        Duration window();
    }
}
