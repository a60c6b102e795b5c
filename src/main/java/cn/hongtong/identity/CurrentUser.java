package cn.hongtong.identity;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller of the current request: the one way code learns who calls. */
@RequestScoped
public class CurrentUser {

    private final SecurityIdentity identity;
    private final JsonWebToken token;
    private final IdentityConfig config;

    CurrentUser(SecurityIdentity identity, JsonWebToken token, IdentityConfig config) {
        this.identity = identity;
        this.token = token;
        this.config = config;
    }

    /** Keycloak's user id ({@code sub}): stable for the life of the account. */
    public String subject() {
        requireAuthenticated();
        return token.getSubject();
    }

    public Optional<String> username() {
        return Optional.ofNullable(token.<String>getClaim("preferred_username"));
    }

    public Set<String> roles() {
        return new TreeSet<>(identity.getRoles());
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    /** The token's region scope as written: {@code all} or a region-code prefix; empty when absent. */
    public Optional<String> regionScope() {
        Object claim = token.getClaim(config.regionScopeClaim());
        return claim == null
                ? Optional.empty()
                : Optional.of(claim.toString().strip()).filter(s -> !s.isEmpty());
    }

    /**
     * The region-code prefix the caller may see: "" for {@code all} (nationwide), the prefix
     * otherwise; empty when the token has no valid scope. Nationwide is never a default: a staff
     * account created without a scope sees nothing until an admin sets one.
     */
    public Optional<String> regionPrefix() {
        return regionScope()
                .filter(s -> s.equals(NATIONWIDE) || s.matches("[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12}"))
                .map(s -> s.equals(NATIONWIDE) ? "" : s);
    }

    /** The region scope that means the whole country. */
    public static final String NATIONWIDE = "all";

    private void requireAuthenticated() {
        if (identity.isAnonymous() || token.getSubject() == null) {
            throw new UnauthorizedException();
        }
    }
}
