package cn.hongtong.learning;

import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.Roles;
import cn.hongtong.learning.LearningDtos.HeartbeatAnswer;
import cn.hongtong.learning.LearningDtos.HeartbeatRequest;
import cn.hongtong.learning.LearningDtos.StartRequest;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

/** Learning sessions: the heartbeats of fragmented viewing that become learning hours. */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.LEARNER)
@Tag(name = "learning", description = "Learning sessions and heartbeats")
public class SessionResource {

    private final SessionService sessions;
    private final OfflineSyncService offline;
    private final CurrentUser currentUser;

    SessionResource(SessionService sessions, OfflineSyncService offline, CurrentUser currentUser) {
        this.sessions = sessions;
        this.offline = offline;
        this.currentUser = currentUser;
    }

    @POST
    @Path("/offline")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(
            summary = "Sync plays watched offline",
            description = "Each play names the download grant it was "
                    + "watched under, its wall-clock span and the intervals played. Plausible plays are credited like "
                    + "online viewing (same rules, same daily cap); a resent play id gets the same answer.")
    public Uni<OfflineDtos.SyncResponse> offline(@Valid @NotNull OfflineDtos.SyncRequest request) {
        return offline.sync(currentUser, request);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(
            summary = "Start watching a lesson",
            description = "Returns the session id, the heartbeat interval "
                    + "and the resume position (the last position on any of the learner's devices).")
    public Uni<Response> start(@Valid @NotNull StartRequest request) {
        return sessions.start(currentUser, request)
                .map(started -> Response.created(URI.create("/api/v1/sessions/" + started.sessionId()))
                        .entity(started)
                        .build());
    }

    @POST
    @Path("/{id}/heartbeats")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Report playback",
            description = "`played` lists the intervals played since the last "
                    + "acknowledged heartbeat; resend them until acknowledged. A resent seq gets the same answer and changes "
                    + "nothing; an older seq is ignored. Credit is stamped on the learner's one credit clock: a second of "
                    + "server time credits at most one second of video, over every session, device and offline play.")
    @APIResponse(
            responseCode = "200",
            description = "What this heartbeat earned and what was refused, and why",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = HeartbeatAnswer.class)))
    public Uni<String> heartbeat(@PathParam("id") UUID id, @Valid @NotNull HeartbeatRequest request) {
        return sessions.heartbeat(currentUser, id, request);
    }

    @POST
    @Path("/{id}/end")
    @Operation(summary = "End a session", description = "Releases the learner's credit for another device.")
    @APIResponse(
            responseCode = "200",
            description = "The session's last answer",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = HeartbeatAnswer.class)))
    public Uni<String> end(@PathParam("id") UUID id) {
        return sessions.end(currentUser, id);
    }
}
