package cn.hongtong.privacy;

import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

/** A learner's data rights: deleting their account, and a copy of everything held about them. */
@Path("/api/v1/me")
@Tag(name = "me", description = "The caller's own account and learner profile")
public class DataRightsResource {

    private final DataRightsService service;
    private final CurrentUser currentUser;

    DataRightsResource(DataRightsService service, CurrentUser currentUser) {
        this.service = service;
        this.currentUser = currentUser;
    }

    @DELETE
    @RolesAllowed(Roles.LEARNER)
    @Cancellable(false)
    @Operation(
            summary = "Delete my account",
            description =
                    "Erases the profile, WeChat identifiers, Keycloak account, "
                            + "renewal handles, device ids and what Redis holds; the hours ledger, progress and completions are kept "
                            + "under a pseudonym (continuing-education records), so statistics do not change; granted credits stay verifiable, without a name. Tokens issued before "
                            + "answer 403 account-erased from then on; logging in again starts a new account. 204, also when repeated.")
    public Uni<Response> delete() {
        return service.erase(currentUser).replaceWith(Response.noContent().build());
    }

    @GET
    @Path("/export")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.LEARNER)
    @Operation(
            summary = "Export my data",
            description =
                    "Everything held about the caller as one JSON document: "
                            + "the profile with its WeChat identifiers, renewal handles (without secrets), sessions, per-day totals, "
                            + "offline plays, lesson progress, the hours ledger, completions, the credit clock and activity sets.")
    public Uni<Response> export() {
        return service.export(currentUser)
                .map(document -> Response.ok(document, MediaType.APPLICATION_JSON_TYPE)
                        .header("Content-Disposition", "attachment; filename=\"hongtong-export.json\"")
                        .header("Cache-Control", "no-store")
                        .build());
    }
}
