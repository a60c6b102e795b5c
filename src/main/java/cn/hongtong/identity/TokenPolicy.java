package cn.hongtong.identity;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * What quarkus-oidc does not check on its own, applied to every verified token: it must be an
 * access token ({@code typ} Bearer: an ID token of a client whose audience mapper also writes the
 * ID token would otherwise pass the audience check) issued to one of our own clients ({@code azp}
 * in {@code hongtong.identity.tokens.allowed-clients}: a client someone adds to the realm later,
 * with an audience mapper for the API, gets nothing until it is allowed here). Refused tokens
 * answer 401.
 */
@ApplicationScoped
class TokenPolicy implements SecurityIdentityAugmentor {

    private final Set<String> allowedClients;

    TokenPolicy(IdentityConfig config) {
        this.allowedClients = Set.copyOf(config.tokens().allowedClients());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        Object typ = token.getClaim("typ");
        if (typ == null || !"Bearer".equals(typ.toString())) {
            return Uni.createFrom().failure(new AuthenticationFailedException("not an access token"));
        }
        Object azp = token.getClaim("azp");
        if (azp == null || !allowedClients.contains(azp.toString())) {
            return Uni.createFrom()
                    .failure(new AuthenticationFailedException("token issued to a client that is not allowed"));
        }
        return Uni.createFrom().item(identity);
    }
}
