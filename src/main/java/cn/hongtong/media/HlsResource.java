package cn.hongtong.media;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * HLS playlists for players and poster images for image tags, which send no bearer token: access
 * rests on the expiring HMAC signature in the URL that the API handed out.
 */
@Path("/api/v1/media/{assetId}")
@PermitAll
@Tag(name = "playback")
public class HlsResource {

    private static final String M3U8 = "application/vnd.apple.mpegurl";

    private final PlaybackService playback;

    HlsResource(PlaybackService playback) {
        this.playback = playback;
    }

    @GET
    @Path("/hls/master.m3u8")
    @Produces(M3U8)
    @Operation(summary = "Signed HLS master playlist")
    public Uni<Response> master(
            @PathParam("assetId") UUID assetId,
            @QueryParam("exp") @NotNull Long exp,
            @QueryParam("sig") @NotNull @Size(max = 100) String sig) {
        return playback.master(assetId, exp, sig).map(HlsResource::playlist);
    }

    @GET
    @Path("/hls/{rendition}/index.m3u8")
    @Produces(M3U8)
    @Operation(summary = "Signed HLS media playlist; segments are presigned object URLs")
    public Uni<Response> rendition(
            @PathParam("assetId") UUID assetId,
            @PathParam("rendition") String rendition,
            @QueryParam("exp") @NotNull Long exp,
            @QueryParam("sig") @NotNull @Size(max = 100) String sig) {
        return playback.rendition(assetId, rendition, exp, sig).map(HlsResource::playlist);
    }

    @GET
    @Path("/mp4")
    @Operation(
            summary = "The MP4 rendition",
            description = "Redirects to a freshly presigned object URL (Range works "
                    + "there) while the signature is valid.")
    public Response mp4(
            @PathParam("assetId") UUID assetId,
            @QueryParam("exp") @NotNull Long exp,
            @QueryParam("sig") @NotNull @Size(max = 100) String sig) {
        return redirect(playback.mp4(assetId, exp, sig), 60);
    }

    /** A redirect to a presigned URL, cacheable for {@code maxAge} seconds: well inside the target's lifetime. */
    private static Response redirect(String presigned, int maxAge) {
        return Response.status(Response.Status.FOUND)
                .location(URI.create(presigned))
                .header("Cache-Control", "private, max-age=" + maxAge)
                .build();
    }

    @GET
    @Path("/poster")
    @Operation(summary = "Signed poster link", description = "Redirects to a presigned poster image.")
    public Response poster(
            @PathParam("assetId") UUID assetId,
            @QueryParam("exp") @NotNull Long exp,
            @QueryParam("sig") @NotNull @Size(max = 100) String sig) {
        return redirect(playback.poster(assetId, exp, sig), 300);
    }

    private static Response playlist(String text) {
        // Short: a cached copy must not outlive the signature of the URL it was fetched with by much.
        return Response.ok(text, M3U8)
                .header("Cache-Control", "private, max-age=60")
                .build();
    }
}
