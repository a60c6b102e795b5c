package cn.hongtong.identity;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "me", description = "The caller's own account")
public class MeResource {

    private final MeService service;
    private final CurrentUser currentUser;

    MeResource(MeService service, CurrentUser currentUser) {
        this.service = service;
        this.currentUser = currentUser;
    }

    @GET
    @RolesAllowed({ Roles.LEARNER, Roles.COURSE_ADMIN, Roles.ANALYST, Roles.ADMIN })
    @Operation(summary = "Who am I", description = "Subject, roles and region scope from the token; "
            + "for a learner also the learner record, created on first contact.")
    public Uni<MeResponse> me() {
        return service.me(currentUser);
    }
}
