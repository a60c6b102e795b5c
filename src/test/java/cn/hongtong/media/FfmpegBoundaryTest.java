package cn.hongtong.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.media.storage.ObjectStorage;
import cn.hongtong.testsupport.ConfigOverride;
import cn.hongtong.testsupport.MediaFixtures;
import cn.hongtong.testsupport.Videos;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 7: ffprobe and ffmpeg are killed at their timeouts (a hung child never holds a
 * worker), run with an empty environment, and what is transcoded is the object that was probed.
 */
@QuarkusTest
class FfmpegBoundaryTest {

    @Inject
    MediaConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    ObjectStorage storage;

    @Inject
    Pool pool;

    private static Path script(String body) throws Exception {
        Path file = Files.createTempFile("fake-ffmpeg-", ".sh");
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** The media configuration with other binaries and timeouts. */
    private MediaConfig with(String ffprobe, String ffmpeg, Duration timeout) {
        MediaConfig.Processing processing = ConfigOverride.of(
                MediaConfig.Processing.class,
                config.processing(),
                Map.of("ffprobe", ffprobe, "ffmpeg", ffmpeg, "timeout", timeout, "probeTimeout", timeout));
        return ConfigOverride.of(MediaConfig.class, config, Map.of("processing", processing));
    }

    @Test
    void aHungProbeIsKilledAtItsTimeout() throws Exception {
        Path hung = script("sleep 60");
        MediaProbe probe = new MediaProbe(with(hung.toString(), "ffmpeg", Duration.ofSeconds(1)), mapper);
        long started = System.nanoTime();
        MediaProbe.Result result = probe.probe("http://127.0.0.1:9/x.mp4");
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertFalse(result.playable());
        assertTrue(result.rejection().contains("longer"), result.rejection());
        assertTrue(seconds < 10, "killed after " + seconds + " s");
    }

    @Test
    void aHungTranscoderIsKilledAtItsTimeout() throws Exception {
        Path hung = script("sleep 60");
        Transcoder transcoder = new Transcoder(with("ffprobe", hung.toString(), Duration.ofSeconds(1)));
        Path out = Files.createTempDirectory("transcode-");
        long started = System.nanoTime();
        Transcoder.TranscodeException e = assertThrows(
                Transcoder.TranscodeException.class,
                () -> transcoder.transcode("http://127.0.0.1:9/x.mp4", 10_000, true, 360, out, percent -> {}));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 10);
        assertTrue(e.getMessage().contains("longer"), e.getMessage());
    }

    @Test
    void childrenGetAnEmptyEnvironmentAndTheWhitelists() throws Exception {
        Path seen = Files.createTempFile("ffprobe-env-", ".txt");
        Path spy = script("env > " + seen + "; echo \"$@\" >> " + seen + "; echo '{}'");
        new MediaProbe(with(spy.toString(), "ffmpeg", Duration.ofSeconds(10)), mapper)
                .probe("http://127.0.0.1:9/x.mp4");
        String text = Files.readString(seen);
        assertFalse(text.contains("HOME="), text);
        assertFalse(text.contains("JAVA_HOME="), text);
        assertTrue(text.contains("-protocol_whitelist " + FfmpegInput.PROTOCOLS), text);
        assertTrue(text.contains("-format_whitelist " + FfmpegInput.FORMATS), text);
    }

    /** In a container ffmpeg sees the node's cores, not the CPU limit: hongtong.media.processing.threads bounds it. */
    @Test
    void ffmpegThreadsAreBoundedWhenConfigured() throws Exception {
        assertEquals(0, count(ffmpegArguments(0), "-threads"), "0: ffmpeg's own choice");
        String bounded = ffmpegArguments(2);
        assertEquals(3, count(bounded, "-threads 2"), "the decoder and both outputs: " + bounded);
        assertEquals(1, count(bounded, "-filter_complex_threads 2"), bounded);
    }

    private String ffmpegArguments(int threads) throws Exception {
        Path seen = Files.createTempFile("ffmpeg-args-", ".txt");
        Path spy = script("echo \"$@\" > " + seen + "; exit 1");
        MediaConfig.Processing processing = ConfigOverride.of(
                MediaConfig.Processing.class,
                config.processing(),
                Map.of("ffmpeg", spy.toString(), "threads", threads, "timeout", Duration.ofSeconds(10)));
        Transcoder transcoder =
                new Transcoder(ConfigOverride.of(MediaConfig.class, config, Map.of("processing", processing)));
        assertThrows(
                Transcoder.TranscodeException.class,
                () -> transcoder.transcode(
                        "http://127.0.0.1:9/x.mp4",
                        10_000,
                        true,
                        360,
                        Files.createTempDirectory("transcode-"),
                        percent -> {}));
        return Files.readString(seen);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void whatIsTranscodedIsWhatWasProbedEvenIfTheUploadUrlIsUsedAgain() throws Exception {
        byte[] video = Files.readAllBytes(Videos.small());
        Response ticket = MediaFixtures.startUpload("lecture.mp4", "video/mp4", video.length);
        UUID asset = UUID.fromString(ticket.path("assetId"));
        String uploadUrl = ticket.path("uploadUrl");
        assertEquals(200, MediaFixtures.put(uploadUrl, video).statusCode());
        MediaFixtures.complete(asset, null).then().statusCode(202);
        String key = pool.preparedQuery("SELECT original_key FROM media_asset WHERE id = $1")
                .execute(Tuple.of(asset))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getString("original_key");
        assertEquals("assets/" + asset + "/source.mp4", key, "the pinned copy is what the job reads");
        // The upload URL is still valid: writing through it again must not change what is processed.
        assertEquals(
                200,
                MediaFixtures.put(uploadUrl, "replaced after probing".getBytes())
                        .statusCode());
        assertEquals(
                video.length,
                storage.size(key).await().atMost(Duration.ofSeconds(10)).orElseThrow());
        MediaFixtures.awaitStatus(asset, "ready", Duration.ofSeconds(90));
    }
}
