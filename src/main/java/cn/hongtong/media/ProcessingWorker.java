package cn.hongtong.media;

import cn.hongtong.media.storage.ObjectStorage;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Turns queued uploads into playable renditions, off the event loop on threads of its own. Any
 * replica may run it: jobs are claimed with a lease in PostgreSQL, so a job whose replica died is
 * taken up again once its lease runs out, and a failing job is retried up to the configured
 * number of attempts, then marked failed with the reason.
 */
@ApplicationScoped
class ProcessingWorker {

    private final MediaConfig config;
    private final MediaStore jobs;
    private final Transcoder transcoder;
    private final ObjectStorage storage;
    private final Vertx vertx;
    private final String owner = "worker-" + UUID.randomUUID();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean stopping;
    private ExecutorService executor;
    private long timer = -1;

    private final Event<MediaAssets.StatusChanged> changes;

    ProcessingWorker(
            MediaConfig config,
            MediaStore jobs,
            Transcoder transcoder,
            ObjectStorage storage,
            Vertx vertx,
            Event<MediaAssets.StatusChanged> changes) {
        this.changes = changes;
        this.config = config;
        this.jobs = jobs;
        this.transcoder = transcoder;
        this.storage = storage;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (!config.processing().enabled()) {
            Log.info("media processing is disabled in this replica");
            return;
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(config.processing().concurrency(), r -> {
            Thread t = new Thread(r, "media-processing-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        timer = vertx.setPeriodic(config.processing().pollInterval().toMillis(), id -> poll());
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                jobs.release(owner).await().atMost(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                Log.warnf("could not release processing leases of %s: %s", owner, e.getMessage());
            }
        }
    }

    private void poll() {
        if (stopping || running.get() >= config.processing().concurrency()) {
            return;
        }
        running.incrementAndGet();
        jobs.claim(owner, config.processing().lease())
                .subscribe()
                .with(
                        job -> {
                            if (job == null) {
                                running.decrementAndGet();
                            } else if (job.attempts() > config.processing().maxAttempts()) {
                                jobs.giveUp(
                                                job.id(),
                                                owner,
                                                "gave up after "
                                                        + config.processing().maxAttempts() + " attempts: "
                                                        + job.lastFailure())
                                        .subscribe()
                                        .with(ok -> running.decrementAndGet(), f -> running.decrementAndGet());
                            } else {
                                executor.execute(() -> process(job));
                            }
                        },
                        failure -> {
                            running.decrementAndGet();
                            Log.warnf("could not claim a media job: %s", failure.getMessage());
                        });
    }

    private void process(MediaStore.Job job) {
        Path dir = null;
        try {
            Log.infof("processing video %s (attempt %d)", job.id(), job.attempts());
            dir = config.processing().workDir().isPresent()
                    ? Files.createTempDirectory(
                            Files.createDirectories(
                                    Path.of(config.processing().workDir().get())),
                            "asset-")
                    : Files.createTempDirectory("hongtong-asset-");
            String input = storage.internalGet(
                    job.originalKey(), config.processing().timeout().plusMinutes(5));
            transcoder.transcode(
                    input,
                    job.durationMs(),
                    job.hasAudio(),
                    job.height(),
                    dir,
                    percent -> reportProgress(job, percent));
            uploadAll(job.id(), dir).await().atMost(config.processing().storageWait());
            long downloadSize = Files.size(dir.resolve("download.mp4"));
            boolean done = jobs.ready(job.id(), owner, downloadSize).await().atMost(Duration.ofSeconds(30));
            changes.fire(new MediaAssets.StatusChanged(job.id()));
            Log.infof("video %s %s", job.id(), done ? "is ready" : "was taken over by another worker");
        } catch (Exception e) {
            String reason = e instanceof Transcoder.TranscodeException ? e.getMessage() : e.toString();
            Log.warnf("processing video %s failed (attempt %d): %s", job.id(), job.attempts(), reason);
            if (!stopping) {
                try {
                    jobs.failed(job.id(), owner, reason, config.processing().maxAttempts())
                            .await()
                            .atMost(Duration.ofSeconds(30));
                    changes.fire(new MediaAssets.StatusChanged(job.id()));
                } catch (RuntimeException again) {
                    Log.warnf(
                            "could not record the failure of %s; its lease will run out: %s",
                            job.id(), again.getMessage());
                }
            }
        } finally {
            running.decrementAndGet();
            deleteQuietly(dir);
        }
    }

    private void reportProgress(MediaStore.Job job, int percent) {
        jobs.progress(job.id(), owner, percent, config.processing().lease())
                .subscribe()
                .with(ok -> {}, f -> Log.debugf("progress of %s not saved: %s", job.id(), f.getMessage()));
    }

    private Uni<Void> uploadAll(UUID id, Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals("ffmpeg.log"))
                    .toList();
        }
        return Multi.createFrom()
                .iterable(files)
                .onItem()
                .transformToUni(file -> storage.upload(
                        MediaAsset.prefix(id) + dir.relativize(file).toString().replace('\\', '/'),
                        file,
                        contentType(file)))
                .merge(4)
                .collect()
                .last()
                .replaceWithVoid();
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".m3u8")) {
            return "application/vnd.apple.mpegurl";
        } else if (name.endsWith(".ts")) {
            return "video/mp2t";
        } else if (name.endsWith(".jpg")) {
            return "image/jpeg";
        } else if (name.endsWith(".mp4")) {
            return "video/mp4";
        }
        return "application/octet-stream";
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            Log.debugf("could not clean %s: %s", dir, e.getMessage());
        }
    }
}
