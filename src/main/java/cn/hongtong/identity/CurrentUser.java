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

    /** The analyst's region-code prefix; empty means nationwide. */
    public Optional<String> regionScope() {
        Object claim = token.getClaim(config.regionScopeClaim());
        return claim == null ? Optional.empty() : Optional.of(claim.toString()).filter(s -> !s.isBlank());
    }

    private void requireAuthenticated() {
        if (identity.isAnonymous() || token.getSubject() == null) {
            throw new UnauthorizedException();
        }
    }
}
