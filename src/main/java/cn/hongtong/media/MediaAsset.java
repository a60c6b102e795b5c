package cn.hongtong.media;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One uploaded video: where it is, what probing found, and where its processing stands. */
@Entity
@Table(name = "media_asset")
public class MediaAsset {

    public static final String AWAITING_UPLOAD = "awaiting-upload";
    public static final String QUEUED = "queued";
    public static final String PROCESSING = "processing";
    public static final String READY = "ready";
    public static final String FAILED = "failed";
    public static final String REJECTED = "rejected";

    @Id
    public UUID id;

    @Column(name = "status", nullable = false, length = 20)
    public String status;

    @Column(name = "file_name", nullable = false, length = 255)
    public String fileName;

    @Column(name = "content_type", nullable = false, length = 100)
    public String contentType;

    @Column(name = "declared_size", nullable = false)
    public long declaredSize;

    @Column(name = "original_key", nullable = false, length = 300)
    public String originalKey;

    @Column(name = "upload_id", length = 300)
    public String uploadId;

    @Column(name = "duration_ms")
    public Integer durationMs;

    @Column(name = "width")
    public Integer width;

    @Column(name = "height")
    public Integer height;

    @Column(name = "video_codec", length = 40)
    public String videoCodec;

    @Column(name = "audio_codec", length = 40)
    public String audioCodec;

    @Column(name = "download_size")
    public Long downloadSize;

    @Column(name = "progress", nullable = false)
    public short progress;

    @Column(name = "attempts", nullable = false)
    public short attempts;

    @Column(name = "lease_owner", length = 100)
    public String leaseOwner;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "failure_reason", length = 500)
    public String failureReason;

    @Column(name = "created_by", nullable = false, length = 64)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Object keys under the asset's prefix; the only place that spells them. */
    public static String prefix(UUID id) {
        return "assets/" + id + "/";
    }

    public static String masterPlaylistKey(UUID id) {
        return prefix(id) + "hls/master.m3u8";
    }

    public static String posterKey(UUID id) {
        return prefix(id) + "poster.jpg";
    }

    public static String downloadKey(UUID id) {
        return prefix(id) + "download.mp4";
    }
}
