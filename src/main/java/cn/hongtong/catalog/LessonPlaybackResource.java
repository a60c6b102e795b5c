package cn.hongtong.catalog;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.LearnerDirectory;
import cn.hongtong.identity.Roles;
import cn.hongtong.media.MediaAssets;
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
import java.util.List;
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
    private final MediaAssets media;
    private final PlaybackService playback;
    private final LearnerDirectory learners;
    private final CurrentUser currentUser;

    LessonPlaybackResource(PlayableLessons lessons, MediaAssets media, PlaybackService playback, LearnerDirectory learners,
            CurrentUser currentUser) {
        this.lessons = lessons;
        this.media = media;
        this.playback = playback;
        this.learners = learners;
        this.currentUser = currentUser;
    }

    @GET
    @Path("/playback")
    @RolesAllowed({ Roles.LEARNER, Roles.COURSE_ADMIN, Roles.ADMIN })
    @Operation(summary = "Play a lesson", description = "MP4, HLS and listen-mode (audio) URLs any player can open "
            + "without headers, the poster and the duration; every URL works until expiresAt, however long the "
            + "learner pauses.")
    public Uni<Playback> playback(@PathParam("id") UUID id, @Context UriInfo uri) {
        return readyVideo(id).chain(asset -> playback.playback(id, asset, base(uri)));
    }

    @GET
    @Path("/download")
    @RolesAllowed(Roles.LEARNER)
    @Operation(summary = "Download a lesson for offline viewing", description = "A presigned URL of the small "
            + "offline rendition and a signed grant to present when syncing what was watched offline.")
    public Uni<Download> download(@PathParam("id") UUID id) {
        return readyVideo(id).chain(asset -> learners.learnerId(currentUser)
                .chain(learnerId -> playback.download(id, asset, learnerId)));
    }

    /** The lesson's video when the lesson may be played and the video is ready; 404 lesson-not-playable otherwise. */
    private Uni<UUID> readyVideo(UUID lessonId) {
        return lessons.find(lessonId)
                .onItem().ifNull().failWith(() -> PlayableLessons.notPlayable(
                        LocalizedText.of("课时不存在或视频尚未就绪", "No such lesson, or its video is not ready")))
                .chain(lesson -> media.summaries(List.of(lesson.assetId())).map(summaries -> {
                    MediaAssets.Summary asset = summaries.get(lesson.assetId());
                    if (asset == null || !asset.ready()) {
                        throw PlayableLessons.notPlayable(
                                LocalizedText.of("课时视频尚未就绪", "The lesson's video is not ready"));
                    }
                    return lesson.assetId();
                }));
    }

    private static String base(UriInfo uri) {
        String base = uri.getBaseUri().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
