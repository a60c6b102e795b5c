package cn.hongtong.identity;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Other features' way to the Keycloak accounts the bridge provisions. */
@ApplicationScoped
public class KeycloakAccounts {

    private final KeycloakClient keycloak;

    KeycloakAccounts(KeycloakClient keycloak) {
        this.keycloak = keycloak;
    }

    /** Deletes the Keycloak user with this id (a token's subject); succeeds if it is already gone. */
    public Uni<Void> delete(String userId) {
        return keycloak.deleteUser(userId);
    }
}
