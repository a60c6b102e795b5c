package cn.hongtong.dashboard;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the dashboard page needs before anyone has logged in: the realm and its public client.
 * Public on purpose: both are visible to anyone who opens the login page anyway.
 */
@Path("/api/v1/dashboard/config")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "dashboard", description = "The analysts' dashboard at /dashboard/")
public class DashboardResource {

    /** The realm URL and client id the page logs in with. */
    public record LoginConfig(String issuer, String clientId) {}

    private final LoginConfig login;

    DashboardResource(DashboardConfig config) {
        String issuer = config.issuer();
        this.login = new LoginConfig(
                issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer, config.clientId());
    }

    @GET
    @Operation(
            summary = "Login settings of the dashboard",
            description =
                    "The Keycloak realm URL as browsers reach it "
                            + "and the public client the dashboard uses (authorization code with PKCE). No authentication needed.")
    public LoginConfig config() {
        return login;
    }
}
