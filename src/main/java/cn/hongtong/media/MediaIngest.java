package cn.hongtong.media;

import cn.hongtong.media.MediaDtos.UploadRequest;
import cn.hongtong.media.storage.ObjectStorage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    private final MediaStore jobs;
    private final Event<MediaAssets.StatusChanged> changes;

    MediaIngest(
            UploadService uploads,
            MediaAssetRepository assets,
            ObjectStorage storage,
            MediaStore jobs,
            Event<MediaAssets.StatusChanged> changes) {
        this.changes = changes;
        this.uploads = uploads;
        this.assets = assets;
        this.storage = storage;
        this.jobs = jobs;
    }

    /** A video whose renditions are gone from the store, with the length its original had. */
    public record Lost(UUID id, int durationMs) {}

    /**
     * The videos ingested by {@code createdBy} that are ready (or failed) while their master
     * playlist is missing from the store: a bucket wiped or another machine's database.
     */
    public Uni<List<Lost>> lostRenditions(String createdBy) {
        return Panache.withSession(() -> assets.list(
                        "createdBy = ?1 and status in ('ready', 'failed') and durationMs is not null order by createdAt",
                        createdBy))
                .chain(found -> found.isEmpty()
                        ? Uni.createFrom().item(List.<Lost>of())
                        : Uni.join()
                                .all(found.stream()
                                        .map(asset -> storage.size(MediaAsset.masterPlaylistKey(asset.id))
                                                .map(size ->
                                                        size.isPresent() ? null : new Lost(asset.id, asset.durationMs)))
                                        .toList())
                                .andFailFast()
                                .map(all -> all.stream()
                                        .filter(lost -> lost != null)
                                        .toList()));
    }

    /**
     * Stores {@code file} as the original of video {@code assetId} again and queues it for
     * processing from scratch: its id, and every lesson that plays it, stay as they are.
     */
    public Uni<Boolean> reprocess(UUID assetId, Path file) {
        return Panache.withSession(() -> assets.findById(assetId))
                .chain(asset -> storage.upload(asset.originalKey, file, "video/mp4"))
                .chain(() -> jobs.requeue(assetId))
                .invoke(requeued -> changes.fire(new MediaAssets.StatusChanged(assetId)));
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
                .chain(ticket -> Panache.withSession(() -> assets.findById(ticket.assetId()))
                        .chain(asset -> storage.upload(asset.originalKey, file, "video/mp4"))
                        .chain(() -> uploads.complete(ticket.assetId(), null))
                        .map(view -> view.id()));
    }
}
