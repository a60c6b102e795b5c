package cn.hongtong.media;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Looks up the video of a progress stream before the stream starts: once a server-sent-event
 * response has begun (200) an unknown id could only break it off; here it is a 404 problem. Runs
 * after authentication and the role check, so it tells nothing to callers who may not ask.
 */
class ProgressStreamFilter {

    private final UploadService uploads;

    ProgressStreamFilter(UploadService uploads) {
        this.uploads = uploads;
    }

    @ServerRequestFilter
    Uni<Void> knownVideo(SimpleResourceInfo resource, UriInfo uri) {
        if (resource.getResourceClass() != MediaAdminResource.class
                || !resource.getMethodName().equals("events")) {
            return Uni.createFrom().voidItem();
        }
        UUID id;
        try {
            id = UUID.fromString(uri.getPathParameters().getFirst("id"));
        } catch (IllegalArgumentException | NullPointerException malformed) {
            return Uni.createFrom().voidItem();
        }
        return uploads.view(id).replaceWithVoid();
    }
}
