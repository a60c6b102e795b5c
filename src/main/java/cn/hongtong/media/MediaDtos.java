package cn.hongtong.media;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of media uploads and playback. */
public final class MediaDtos {

    private MediaDtos() {}

    record UploadRequest(
            @NotBlank @Size(max = 255) @Pattern(regexp = "[^/\\\\\\p{Cntrl}]+", message = "must be a plain file name")
            String fileName,

            @NotBlank @Size(max = 100) String contentType,
            @NotNull @Positive Long size) {}

    record PartUrl(int partNumber, String url) {}

    record MultipartTicket(String uploadId, long partSize, List<PartUrl> parts) {}

    /**
     * Where to upload: {@code uploadUrl} for one PUT, or {@code multipart} with a URL per part
     * (each PUT answers an ETag header to report back on completion).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UploadTicket(UUID assetId, String status, String uploadUrl, MultipartTicket multipart, Instant expiresAt) {}

    record CompletedPart(
            @Min(1) @Max(10000) int partNumber,
            @NotBlank @Size(max = 200) String etag) {}

    record CompleteRequest(@Size(max = 10000) List<@Valid @NotNull CompletedPart> parts) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AssetView(
            UUID id,
            String status,
            int progress,
            String fileName,
            Integer durationSeconds,
            Integer width,
            Integer height,
            String failureReason,
            int attempts,
            Instant createdAt,
            Instant updatedAt) {

        static AssetView of(MediaAsset a) {
            return new AssetView(
                    a.id,
                    a.status,
                    a.progress,
                    a.fileName,
                    a.durationMs == null ? null : (int) Math.round(a.durationMs / 1000.0),
                    a.width,
                    a.height,
                    a.failureReason,
                    a.attempts,
                    a.createdAt,
                    a.updatedAt);
        }
    }

    /** A progress event of processing. */
    record ProgressEvent(UUID id, String status, int progress, String failureReason) {}

    /**
     * How to play a lesson: {@code mp4Url} (a redirect to the MP4, answers Range requests),
     * {@code hlsUrl} (adaptive, any HLS player, no cookies or headers needed), {@code listenUrl}
     * (listen mode: the audio-only HLS playlist, for learners who only need the sound or whose
     * network carries no video), the poster; all until {@code expiresAt}.
     */
    public record Playback(
            UUID lessonId,
            UUID assetId,
            int durationSeconds,
            String mp4Url,
            String hlsUrl,
            String listenUrl,
            String posterUrl,
            Instant expiresAt) {}

    /** The offline rendition and the grant to present when syncing what was watched offline. */
    public record Download(
            UUID lessonId,
            UUID assetId,
            String url,
            long sizeBytes,
            Instant urlExpiresAt,
            String grant,
            Instant grantValidUntil) {}
}
