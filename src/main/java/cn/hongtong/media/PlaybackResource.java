package cn.hongtong.media;

import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.LearnerDirectory;
import cn.hongtong.identity.Roles;
import cn.hongtong.media.MediaDtos.Download;
import cn.hongtong.media.MediaDtos.Playback;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** How learners play a lesson, online or offline. */
@Path("/api/v1/lessons/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "playback", description = "Playing lessons")
public class PlaybackResource {

    private final PlaybackService playback;
    private final LearnerDirectory learners;
    private final CurrentUser currentUser;

    PlaybackResource(PlaybackService playback, LearnerDirectory learners, CurrentUser currentUser) {
        this.playback = playback;
        this.learners = learners;
        this.currentUser = currentUser;
    }

    @GET
    @Path("/playback")
    @RolesAllowed({ Roles.LEARNER, Roles.COURSE_ADMIN, Roles.ADMIN })
    @Operation(summary = "Play a lesson", description = "A presigned MP4 URL (Range-capable), an HLS master "
            + "playlist URL any HLS player can open, the poster and the duration; URLs expire at expiresAt.")
    public Uni<Playback> playback(@PathParam("id") UUID id, @Context UriInfo uri) {
        return playback.playback(id, base(uri));
    }

    @GET
    @Path("/download")
    @RolesAllowed(Roles.LEARNER)
    @Operation(summary = "Download a lesson for offline viewing", description = "A presigned URL of the small "
            + "offline rendition and a signed grant to present when syncing what was watched offline.")
    public Uni<Download> download(@PathParam("id") UUID id) {
        return learners.learnerId(currentUser).chain(learnerId -> playback.download(id, learnerId));
    }

    private static String base(UriInfo uri) {
        String base = uri.getBaseUri().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
