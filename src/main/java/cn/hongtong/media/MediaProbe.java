package cn.hongtong.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What an uploaded file really is, by ffprobe over a presigned URL (no download): its container,
 * codecs and duration. Blocking: call from a worker thread.
 */
@ApplicationScoped
class MediaProbe {

    /** Containers of still images and raw streams, which ffprobe also reads but are no videos. */
    private static final Set<String> NOT_VIDEO_FORMATS = Set.of(
            "image2", "png_pipe", "jpeg_pipe", "gif", "webp_pipe", "bmp_pipe", "tiff_pipe", "svg_pipe", "tty", "txt");

    /** A probe's JSON is a few kilobytes; anything much larger is not a single video's description. */
    private static final long MAX_PROBE_OUTPUT = 1 << 20;

    private final MediaConfig config;
    private final ObjectMapper mapper;

    MediaProbe(MediaConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    /** What probing found; {@code rejection} is null when the file is a playable video. */
    record Result(
            String formatName,
            Integer durationMs,
            String videoCodec,
            Integer width,
            Integer height,
            String audioCodec,
            String rejection) {

        static Result rejected(String why) {
            return new Result(null, null, null, null, null, null, why);
        }

        boolean playable() {
            return rejection == null;
        }
    }

    Result probe(String url) {
        List<String> command = new ArrayList<>(List.of(
                config.processing().ffprobe(),
                "-v",
                "error",
                "-print_format",
                "json",
                "-show_format",
                "-show_streams"));
        command.addAll(FfmpegInput.OPTIONS);
        command.add(url);
        Path output = null;
        Process process = null;
        try {
            // Output to a file, not a pipe: reading a pipe to its end would wait for a hung ffprobe forever.
            output = Files.createTempFile("hongtong-probe-", ".json");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(output.toFile());
            FfmpegInput.clearEnvironment(builder);
            process = builder.start();
            if (!process.waitFor(config.processing().probeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return Result.rejected("probing took longer than "
                        + config.processing().probeTimeout().toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                return Result.rejected("not a media file ffprobe can read");
            }
            if (Files.size(output) > MAX_PROBE_OUTPUT) {
                return Result.rejected("unreadable probe result");
            }
            return interpret(Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ffprobe", e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing", e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // A temp file left behind is removed with the temp folder.
                }
            }
        }
    }

    Result interpret(String json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (IOException e) {
            return Result.rejected("unreadable probe result");
        }
        String format = root.path("format").path("format_name").asText("");
        if (format.isEmpty() || NOT_VIDEO_FORMATS.stream().anyMatch(format::contains)) {
            return Result.rejected("the file is not a video (" + (format.isEmpty() ? "unknown" : format) + ")");
        }
        JsonNode video = null;
        JsonNode audio = null;
        for (JsonNode stream : root.path("streams")) {
            boolean cover = stream.path("disposition").path("attached_pic").asInt(0) == 1;
            if (video == null && "video".equals(stream.path("codec_type").asText()) && !cover) {
                video = stream;
            }
            if (audio == null && "audio".equals(stream.path("codec_type").asText())) {
                audio = stream;
            }
        }
        if (video == null) {
            return Result.rejected("the file has no video stream");
        }
        double seconds = root.path("format").path("duration").asDouble(Double.NaN);
        if (Double.isNaN(seconds) || seconds <= 0) {
            seconds = video.path("duration").asDouble(Double.NaN);
        }
        if (Double.isNaN(seconds) || seconds <= 0) {
            return Result.rejected("the video has no duration");
        }
        long ms = Math.round(seconds * 1000);
        if (ms < config.upload().minDuration().toMillis()) {
            return Result.rejected(
                    "the video is shorter than " + config.upload().minDuration().toSeconds() + " s");
        }
        if (ms > config.upload().maxDuration().toMillis()) {
            return Result.rejected(
                    "the video is longer than " + config.upload().maxDuration().toMinutes() + " min");
        }
        Log.debugf("probed %s, %d ms, %s", format, ms, video.path("codec_name").asText());
        return new Result(
                format,
                (int) ms,
                video.path("codec_name").asText(null),
                video.path("width").isInt() ? video.path("width").asInt() : null,
                video.path("height").isInt() ? video.path("height").asInt() : null,
                audio == null ? null : audio.path("codec_name").asText(null),
                null);
    }
}
