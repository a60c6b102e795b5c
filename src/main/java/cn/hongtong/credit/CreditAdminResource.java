package cn.hongtong.credit;

import cn.hongtong.credit.CreditDtos.Credit;
import cn.hongtong.credit.CreditDtos.CreditHolder;
import cn.hongtong.credit.CreditDtos.Revocation;
import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

/** Finding and revoking a granted credit: admins only, with a reason that is kept. */
@Path("/api/v1/admin/credits")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "credit admin")
public class CreditAdminResource {

    private final CreditService credits;
    private final CurrentUser user;

    CreditAdminResource(CreditService credits, CurrentUser user) {
        this.credits = credits;
        this.user = user;
    }

    @GET
    @Operation(
            summary = "Find a credit by its verification code",
            description =
                    "The whole credit, with its id (to "
                            + "revoke it) and the holder's name as in their profile; `code` as printed (any case, dashes or not).")
    public Uni<CreditHolder> find(@QueryParam("code") @NotNull @Size(max = 40) String code) {
        return credits.find(code);
    }

    @POST
    @Path("/{id}/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(
            summary = "Revoke a credit",
            description = "Kept with who revoked it, when and why; its verification "
                    + "page then says revoked and its certificate is no longer issued. Revoking again changes nothing.")
    public Uni<Credit> revoke(@PathParam("id") UUID id, @Valid @NotNull Revocation revocation) {
        return credits.revoke(id, revocation.reason(), user);
    }
}
