package cn.hongtong.media;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Media's SQL: the processing queue kept in {@code media_asset} (claiming with a lease, progress,
 * outcome). Plain SQL on the reactive pool, usable from the processing threads; the assets
 * themselves, edited through the admin API, go through {@link MediaAssetRepository} (Panache).
 */
@ApplicationScoped
class MediaStore {

    /** A claimed job. */
    record Job(
            UUID id,
            String originalKey,
            int durationMs,
            boolean hasAudio,
            Integer height,
            int attempts,
            String lastFailure) {}

    /** The state of an asset as admins follow it. */
    record Status(String status, int progress, String failureReason) {}

    private final Pool pool;

    MediaStore(Pool pool) {
        this.pool = pool;
    }

    /** The oldest queued job, or a running one whose lease ran out (its replica died); null if none. */
    Uni<Job> claim(String owner, Duration lease) {
        return pool.preparedQuery("""
                WITH next AS (
                    SELECT id FROM media_asset
                    WHERE status = 'queued' OR (status = 'processing' AND lease_until < now())
                    ORDER BY updated_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                UPDATE media_asset a SET status = 'processing', lease_owner = $1,
                    lease_until = now() + $2 * interval '1 millisecond', attempts = a.attempts + 1, progress = 0,
                    updated_at = now()
                FROM next WHERE a.id = next.id
                RETURNING a.id, a.original_key, a.duration_ms, a.audio_codec, a.height, a.attempts, a.failure_reason""")
                .execute(Tuple.of(owner, lease.toMillis()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Job(
                            row.getUUID("id"),
                            row.getString("original_key"),
                            row.getInteger("duration_ms"),
                            row.getString("audio_codec") != null,
                            row.getInteger("height"),
                            row.getInteger("attempts"),
                            row.getString("failure_reason"));
                });
    }

    Uni<Void> progress(UUID id, String owner, int percent, Duration lease) {
        return pool.preparedQuery(
                        "UPDATE media_asset SET progress = $3, lease_until = now() + $4 * interval '1 millisecond', "
                                + "updated_at = now() WHERE id = $1 AND lease_owner = $2 AND status = 'processing'")
                .execute(Tuple.of(id, owner, percent, lease.toMillis()))
                .replaceWithVoid();
    }

    Uni<Boolean> ready(UUID id, String owner, long downloadSize) {
        return pool.preparedQuery("UPDATE media_asset SET status = 'ready', progress = 100, download_size = $3, "
                        + "failure_reason = NULL, lease_owner = NULL, lease_until = NULL, updated_at = now() "
                        + "WHERE id = $1 AND lease_owner = $2 AND status = 'processing'")
                .execute(Tuple.of(id, owner, downloadSize))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Back to the queue for another attempt, or failed for good once attempts are used up. */
    Uni<Void> failed(UUID id, String owner, String reason, int maxAttempts) {
        return pool.preparedQuery(
                        "UPDATE media_asset SET status = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'queued' END, "
                                + "failure_reason = $3, lease_owner = NULL, lease_until = NULL, updated_at = now() "
                                + "WHERE id = $1 AND lease_owner = $2 AND status = 'processing'")
                .execute(Tuple.of(id, owner, truncate(reason), maxAttempts))
                .replaceWithVoid();
    }

    /** A job claimed once too often: failed with the last reason it had. */
    Uni<Void> giveUp(UUID id, String owner, String reason) {
        return pool.preparedQuery("UPDATE media_asset SET status = 'failed', failure_reason = $3, lease_owner = NULL, "
                        + "lease_until = NULL, updated_at = now() WHERE id = $1 AND lease_owner = $2")
                .execute(Tuple.of(id, owner, truncate(reason)))
                .replaceWithVoid();
    }

    /**
     * Back to the queue from scratch (its original stored again): a ready or failed video whose
     * renditions were lost. False when the video is queued or being processed already.
     */
    Uni<Boolean> requeue(UUID id) {
        return pool.preparedQuery("UPDATE media_asset SET status = 'queued', attempts = 0, progress = 0, "
                        + "failure_reason = NULL, lease_owner = NULL, lease_until = NULL, updated_at = now() "
                        + "WHERE id = $1 AND status IN ('ready', 'failed')")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 1);
    }

    /** On a clean shutdown: give the jobs back without spending an attempt. */
    Uni<Void> release(String owner) {
        return pool.preparedQuery("UPDATE media_asset SET status = 'queued', attempts = greatest(attempts - 1, 0), "
                        + "lease_owner = NULL, lease_until = NULL, updated_at = now() "
                        + "WHERE lease_owner = $1 AND status = 'processing'")
                .execute(Tuple.of(owner))
                .replaceWithVoid();
    }

    /** An upload given up on: its object key and open multipart upload, if any. */
    record Abandoned(UUID id, String originalKey, String uploadId) {}

    /** Marks uploads never completed as failed; each row goes to exactly one caller. */
    Uni<List<Abandoned>> abandon(Duration after) {
        return pool.preparedQuery("UPDATE media_asset SET status = 'failed', failure_reason = 'upload abandoned', "
                        + "updated_at = now() WHERE status = 'awaiting-upload' AND created_at < now() - $1 * interval '1 millisecond' "
                        + "RETURNING id, original_key, upload_id")
                .execute(Tuple.of(after.toMillis()))
                .map(rows -> {
                    List<Abandoned> out = new ArrayList<>();
                    for (Row row : rows) {
                        out.add(new Abandoned(
                                row.getUUID("id"), row.getString("original_key"), row.getString("upload_id")));
                    }
                    return out;
                });
    }

    Uni<Status> status(UUID id) {
        return pool.preparedQuery("SELECT status, progress, failure_reason FROM media_asset WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Status(
                            row.getString("status"), row.getInteger("progress"), row.getString("failure_reason"));
                });
    }

    private static String truncate(String reason) {
        String text = reason == null ? "unknown" : reason;
        return text.length() > 500 ? text.substring(0, 500) : text;
    }
}
