package cn.hongtong.media;

import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.Roles;
import cn.hongtong.media.MediaDtos.AssetView;
import cn.hongtong.media.MediaDtos.CompleteRequest;
import cn.hongtong.media.MediaDtos.ProgressEvent;
import cn.hongtong.media.MediaDtos.UploadRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.server.Cancellable;

/** Course admins upload videos straight to object storage and follow their processing. */
@Path("/api/v1/admin/media")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.COURSE_ADMIN, Roles.ADMIN})
@Tag(name = "media admin", description = "Uploading and processing videos")
public class MediaAdminResource {

    private final UploadService uploads;
    private final MediaStore jobs;
    private final CurrentUser currentUser;
    private final Vertx vertx;

    MediaAdminResource(UploadService uploads, MediaStore jobs, CurrentUser currentUser, Vertx vertx) {
        this.uploads = uploads;
        this.jobs = jobs;
        this.currentUser = currentUser;
        this.vertx = vertx;
    }

    @POST
    @Path("/uploads")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(
            summary = "Ask to upload a video",
            description = "Gives a presigned PUT URL, or presigned part URLs "
                    + "above the multipart threshold. Upload there, then call complete.")
    public Uni<Response> start(@Valid @NotNull UploadRequest request) {
        return uploads.start(request, currentUser.subject())
                .map(ticket ->
                        Response.status(Response.Status.CREATED).entity(ticket).build());
    }

    @POST
    @Path("/{id}/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(
            summary = "Complete an upload",
            description = "Checks size and probes the file; a file that is not "
                    + "a playable video is deleted (422). A multipart upload lists its parts' numbers and ETags.")
    public Uni<Response> complete(@PathParam("id") UUID id, @Valid CompleteRequest request) {
        return uploads.complete(id, request)
                .map(view ->
                        Response.status(Response.Status.ACCEPTED).entity(view).build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A video's state and processing progress")
    public Uni<AssetView> get(@PathParam("id") UUID id) {
        return uploads.view(id);
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Processing progress as server-sent events",
            description = "One event per change; the " + "stream ends once the video is ready, failed or rejected.")
    public Multi<ProgressEvent> events(@PathParam("id") UUID id) {
        return uploads.view(id)
                .onItem()
                .transformToMulti(first -> Multi.createFrom().<ProgressEvent>emitter(emitter -> {
                    AtomicReference<ProgressEvent> last = new AtomicReference<>();
                    long timer = vertx.setPeriodic(
                            0,
                            500,
                            tick -> jobs.status(id)
                                    .subscribe()
                                    .with(
                                            status -> {
                                                if (status == null) {
                                                    emitter.complete();
                                                    return;
                                                }
                                                ProgressEvent event = new ProgressEvent(
                                                        id, status.status(), status.progress(), status.failureReason());
                                                if (!event.equals(last.getAndSet(event))) {
                                                    emitter.emit(event);
                                                }
                                                if (UploadService.isTerminal(status.status())) {
                                                    emitter.complete();
                                                }
                                            },
                                            emitter::fail));
                    emitter.onTermination(() -> vertx.cancelTimer(timer));
                }));
    }
}
