package cn.hongtong.identity;

import cn.hongtong.common.ClientAddress;
import cn.hongtong.identity.IdentityDtos.LoginResponse;
import cn.hongtong.identity.IdentityDtos.RenewalRequest;
import cn.hongtong.identity.IdentityDtos.WeChatLoginRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

/** Logging in with WeChat, renewing and logging out: the only endpoints without a bearer token. */
@Path("/api/v1/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "auth", description = "WeChat login and token renewal")
public class AuthResource {

    private final WeChatLoginService logins;
    private final ClientAddress clients;

    AuthResource(WeChatLoginService logins, ClientAddress clients) {
        this.logins = logins;
        this.clients = clients;
    }

    @POST
    @Path("/wechat/mini-program")
    @Cancellable(false)
    @Operation(
            summary = "Log in from the mini-program",
            description = "With the code of wx.login; "
                    + "returns a Keycloak access token. Log in again with a fresh code when it expires.")
    public Uni<LoginResponse> miniProgram(@Valid @NotNull WeChatLoginRequest body, HttpServerRequest request) {
        return logins.miniProgram(body.code(), clients.key(request));
    }

    @POST
    @Path("/wechat/app")
    @Cancellable(false)
    @Operation(
            summary = "Log in from the app",
            description = "With the code of the app's WeChat authorization; "
                    + "returns a Keycloak access token and a renewal handle.")
    public Uni<LoginResponse> app(@Valid @NotNull WeChatLoginRequest body, HttpServerRequest request) {
        return logins.app(body.code(), clients.key(request));
    }

    @POST
    @Path("/refresh")
    @Cancellable(false)
    @Operation(
            summary = "Renew the app's access token",
            description = "Uses the renewal handle once and returns "
                    + "a new token and the next handle. A handle presented twice revokes its whole chain.")
    public Uni<LoginResponse> refresh(@Valid @NotNull RenewalRequest body, HttpServerRequest request) {
        return logins.refresh(body.renewalHandle(), clients.key(request));
    }

    @POST
    @Path("/logout")
    @Cancellable(false)
    @Operation(
            summary = "Log the app out",
            description =
                    "Revokes the renewal handle and its chain; " + "answers 204 whether or not the handle was known.")
    public Uni<Void> logout(@Valid @NotNull RenewalRequest body) {
        return logins.logout(body.renewalHandle());
    }
}
