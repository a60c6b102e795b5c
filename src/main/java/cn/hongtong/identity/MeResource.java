package cn.hongtong.identity;

import cn.hongtong.identity.IdentityDtos.LearnerProfile;
import cn.hongtong.identity.IdentityDtos.MeResponse;
import cn.hongtong.identity.IdentityDtos.ProfileUpdate;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "me", description = "The caller's own account and learner profile")
public class MeResource {

    private final LearnerService service;
    private final CurrentUser currentUser;

    MeResource(LearnerService service, CurrentUser currentUser) {
        this.service = service;
        this.currentUser = currentUser;
    }

    @GET
    @RolesAllowed({Roles.LEARNER, Roles.COURSE_ADMIN, Roles.ANALYST, Roles.ADMIN})
    @Operation(
            summary = "Who am I",
            description = "Subject, roles and region scope from the token; "
                    + "for a learner also their profile (the record is created on first contact).")
    public Uni<MeResponse> me() {
        return service.me(currentUser);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.LEARNER)
    @Cancellable(false)
    @Operation(
            summary = "Set my profile",
            description = "Display name, profession, institution and region; "
                    + "every field is set as given. The profile is complete when all four are set.")
    public Uni<LearnerProfile> update(@Valid @NotNull ProfileUpdate update) {
        return service.updateProfile(currentUser, update);
    }
}
