package cn.hongtong.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Real short videos made by ffmpeg (test pattern and tone), made once per test run. */
public final class Videos {

    private static final Map<String, Path> MADE = new ConcurrentHashMap<>();

    private Videos() {}

    /** 7 s, 320x240, H.264 with an AAC tone: two HLS segments. */
    public static Path small() {
        return make("small", "testsrc2=size=320x240:rate=25:duration=7", true, "300k");
    }

    /** 45 s, 640x360 with a tone, under 1 MiB (one PUT): long enough to watch 30 s of steady playback in a browser. */
    public static Path long45() {
        return make("long45", "testsrc2=size=640x360:rate=25:duration=45", true, "60k");
    }

    /** 3 s without audio. */
    public static Path silent() {
        return make("silent", "testsrc=size=320x240:rate=25:duration=3", false, "300k");
    }

    /** Over 1 MiB (the test profile's multipart threshold). */
    public static Path large() {
        return make("large", "testsrc2=size=640x480:rate=25:duration=6", true, "2500k");
    }

    private static Path make(String name, String source, boolean audio, String bitrate) {
        return MADE.computeIfAbsent(name, n -> {
            try {
                Path file = Files.createTempFile("hongtong-test-" + n + "-", ".mp4");
                List<String> command = new ArrayList<>(
                        List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source));
                if (audio) {
                    command.addAll(List.of(
                            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-shortest", "-c:a", "aac"));
                }
                command.addAll(List.of(
                        "-c:v",
                        "libx264",
                        "-preset",
                        "veryfast",
                        "-b:v",
                        bitrate,
                        "-pix_fmt",
                        "yuv420p",
                        file.toString()));
                Process process = new ProcessBuilder(command).inheritIO().start();
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("ffmpeg could not make the " + n + " test video");
                }
                file.toFile().deleteOnExit();
                return file;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }
}
