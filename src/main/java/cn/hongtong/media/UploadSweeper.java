package cn.hongtong.media;

import cn.hongtong.media.storage.ObjectStorage;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.stream.Collectors;

/**
 * Cleans up uploads that were asked for and never completed: the object, or the open multipart
 * upload, is deleted, and the video is marked failed. Every replica sweeps; each abandoned
 * upload is claimed by exactly one.
 */
@ApplicationScoped
class UploadSweeper {

    private final MediaStore jobs;
    private final ObjectStorage storage;
    private final MediaConfig config;
    private final Vertx vertx;
    private long timer = -1;

    UploadSweeper(MediaStore jobs, ObjectStorage storage, MediaConfig config, Vertx vertx) {
        this.jobs = jobs;
        this.storage = storage;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(
                config.upload().sweepInterval().toMillis(),
                id -> sweep().subscribe()
                        .with(
                                count -> {
                                    if (count > 0) {
                                        Log.infof("cleaned up %d abandoned uploads", count);
                                    }
                                },
                                failure -> Log.warnf("sweeping abandoned uploads failed: %s", failure.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    Uni<Integer> sweep() {
        return jobs.abandon(config.upload().abandonAfter())
                .chain(list -> Multi.createFrom()
                        .iterable(list)
                        .onItem()
                        .transformToUniAndConcatenate(upload -> {
                            Uni<Void> abort = upload.uploadId() == null
                                    ? Uni.createFrom().voidItem()
                                    : storage.abortMultipart(upload.originalKey(), upload.uploadId())
                                            .onFailure()
                                            .recoverWithNull()
                                            .replaceWithVoid();
                            // Deleting an object that is not there succeeds in S3.
                            return abort.chain(() -> storage.delete(upload.originalKey()))
                                    .onFailure()
                                    .recoverWithNull()
                                    .replaceWith(1);
                        })
                        .collect()
                        .with(Collectors.summingInt(Integer::intValue)));
    }
}
