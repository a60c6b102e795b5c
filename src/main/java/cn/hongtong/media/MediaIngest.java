package cn.hongtong.media;

import cn.hongtong.media.MediaDtos.UploadRequest;
import cn.hongtong.media.storage.ObjectStorage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Server-side ingestion of a video file through the very pipeline admins' uploads take: an
 * upload is opened, the file stored, then completed (size check, probe, queued for processing).
 */
@ApplicationScoped
public class MediaIngest {

    private final UploadService uploads;
    private final MediaAssetRepository assets;
    private final ObjectStorage storage;

    MediaIngest(UploadService uploads, MediaAssetRepository assets, ObjectStorage storage) {
        this.uploads = uploads;
        this.assets = assets;
        this.storage = storage;
    }

    /** Ingests an MP4 file; gives the asset id once it is queued for processing. */
    public Uni<UUID> ingest(Path file, String createdBy) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uploads.start(new UploadRequest(file.getFileName().toString(), "video/mp4", size), createdBy)
                .chain(ticket -> io.quarkus.hibernate.reactive.panache.Panache.withSession(() -> assets.findById(ticket.assetId()))
                        .chain(asset -> storage.upload(asset.originalKey, file, "video/mp4"))
                        .chain(() -> uploads.complete(ticket.assetId(), null))
                        .map(view -> view.id()));
    }
}
