package cn.hongtong.catalog;

import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.LearnerDirectory;
import cn.hongtong.identity.Roles;
import cn.hongtong.media.MediaDtos.Download;
import cn.hongtong.media.MediaDtos.Playback;
import cn.hongtong.media.PlaybackService;
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

/**
 * How learners play a lesson, online or offline. The catalog decides whether the lesson may be
 * played and which video it shows, and asks media for that video's URLs: media knows videos, not
 * lessons (no package cycle between the two).
 */
@Path("/api/v1/lessons/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "playback", description = "Playing lessons")
public class LessonPlaybackResource {

    private final PlayableLessons lessons;
    private final PlaybackService playback;
    private final LearnerDirectory learners;
    private final CurrentUser currentUser;

    LessonPlaybackResource(
            PlayableLessons lessons, PlaybackService playback, LearnerDirectory learners, CurrentUser currentUser) {
        this.lessons = lessons;
        this.playback = playback;
        this.learners = learners;
        this.currentUser = currentUser;
    }

    @GET
    @Path("/playback")
    @RolesAllowed({Roles.LEARNER, Roles.COURSE_ADMIN, Roles.ADMIN})
    @Operation(
            summary = "Play a lesson",
            description = "MP4, HLS and listen-mode (audio) URLs any player can open "
                    + "without headers, the poster and the duration; every URL works until expiresAt, however long the "
                    + "learner pauses.")
    public Uni<Playback> playback(@PathParam("id") UUID id, @Context UriInfo uri) {
        return lessons.requireReady(id)
                .map(ready -> playback.playback(id, ready.lesson().assetId(), ready.durationMs(), base(uri)));
    }

    @GET
    @Path("/download")
    @RolesAllowed(Roles.LEARNER)
    @Operation(
            summary = "Download a lesson for offline viewing",
            description = "A presigned URL of the small "
                    + "offline rendition and a signed grant to present when syncing what was watched offline.")
    public Uni<Download> download(@PathParam("id") UUID id) {
        return lessons.requireReady(id)
                .chain(ready -> learners.learnerId(currentUser)
                        .chain(learnerId -> playback.download(id, ready.lesson().assetId(), learnerId)));
    }

    private static String base(UriInfo uri) {
        String base = uri.getBaseUri().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
