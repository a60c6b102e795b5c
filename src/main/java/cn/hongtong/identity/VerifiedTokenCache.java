package cn.hongtong.identity;

import io.quarkus.oidc.runtime.OidcIdentityProvider;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer tokens verified once, not on every request. A learner's client sends the same access
 * token with every heartbeat until it expires; verifying its RS256 signature and parsing its
 * claims each time was a quarter of the heartbeat path's CPU. This provider runs before
 * quarkus-oidc's: a token seen before, and verified by quarkus-oidc then, is answered from
 * memory until its {@code exp}; any other goes to quarkus-oidc, and only what it accepts is kept.
 *
 * <p>Why it is safe: entries are keyed by the SHA-256 of the whole token (signature included),
 * so a token differing in any byte (a forged signature, another audience) is a miss and goes to
 * full verification; nothing quarkus-oidc refused is ever stored; an entry is served only while
 * the wall clock is before the token's own {@code exp}, the limit quarkus-oidc applies too;
 * {@link TokenPolicy} and every other augmentor still run on each request. What is not seen
 * sooner than without the cache: a signing key removed from Keycloak before the tokens it signed
 * expire (minutes: the realm's access-token lifespan). Bounded: at most {@code
 * verified-cache-size} entries, expired ones purged when it fills; when full of live tokens, new
 * tokens are verified every time rather than cached.
 */
@ApplicationScoped
class VerifiedTokenCache implements IdentityProvider<TokenAuthenticationRequest> {

    /** Before quarkus-oidc's provider, which has the default priority (1001). */
    private static final int PRIORITY = 2000;

    private record Entry(SecurityIdentity identity, long expiresAtSecond) {}

    private final OidcIdentityProvider oidc;
    private final int capacity;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    VerifiedTokenCache(OidcIdentityProvider oidc, IdentityConfig config) {
        this.oidc = oidc;
        this.capacity = config.tokens().verifiedCacheSize();
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if (capacity <= 0 || !(request.getToken() instanceof TokenCredential)) {
            return Uni.createFrom().nullItem();
        }
        Key key = Key.of(request.getToken().getToken());
        Entry entry = entries.get(key);
        if (entry != null) {
            if (nowSecond() < entry.expiresAtSecond()) {
                return Uni.createFrom().item(forThisRequest(entry.identity(), request));
            }
            entries.remove(key, entry);
        }
        return oidc.authenticate(request, context).invoke(identity -> remember(key, identity));
    }

    /** Whether {@code token} is kept as verified (for tests). */
    boolean holds(String token) {
        return entries.containsKey(Key.of(token));
    }

    private void remember(Key key, SecurityIdentity identity) {
        if (identity == null
                || identity.isAnonymous()
                || !(identity.getPrincipal() instanceof JsonWebToken token)
                || token.getExpirationTime() <= 0) {
            return;
        }
        if (entries.size() >= capacity) {
            long now = nowSecond();
            entries.values().removeIf(e -> e.expiresAtSecond() <= now);
            if (entries.size() >= capacity) {
                return;
            }
        }
        entries.put(key, new Entry(stored(identity, token), token.getExpirationTime()));
    }

    /**
     * What is kept of a verified identity: principal, roles, credentials, the token's scopes as
     * permissions and its attributes, but not the request it came with (neither its routing
     * context nor anything that holds it, so that no request stays reachable from the cache).
     */
    private static SecurityIdentity stored(SecurityIdentity identity, JsonWebToken token) {
        Map<String, Object> attributes = new HashMap<>(identity.getAttributes());
        attributes.remove(RoutingContext.class.getName());
        attributes.remove(AuthenticationRequestContext.class.getName());
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addRoles(identity.getRoles())
                .addCredentials(identity.getCredentials())
                .addAttributes(attributes);
        Object scope = token.getClaim("scope");
        if (scope != null && !scope.toString().isBlank()) {
            builder.addPermissionsAsString(
                    new HashSet<>(Arrays.asList(scope.toString().strip().split("\\s+"))));
        }
        return builder.build();
    }

    /** The kept identity with this request's routing context, as quarkus-oidc would attach it. */
    private static SecurityIdentity forThisRequest(SecurityIdentity stored, TokenAuthenticationRequest request) {
        RoutingContext routingContext = HttpSecurityUtils.getRoutingContextAttribute(request);
        if (routingContext == null) {
            return stored;
        }
        return QuarkusSecurityIdentity.builder(stored)
                .addAttribute(RoutingContext.class.getName(), routingContext)
                .build();
    }

    private static long nowSecond() {
        return System.currentTimeMillis() / 1000;
    }

    /** The SHA-256 of a token: what identifies it here (the token itself is not kept as a key). */
    private record Key(byte[] digest) {
        static Key of(String token) {
            try {
                return new Key(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && MessageDigest.isEqual(digest, k.digest);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(digest);
        }
    }
}
