package cn.hongtong.media;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * One ffmpeg pass from the original to everything playback needs: an HLS ladder for poor rural
 * networks (160p at 12 fps, 48 kbit/s, with 16 kbit/s mono sound at 22.05 kHz: about 80 kbit/s
 * at its peak, so that a 150 kbit/s line with a 600 ms round trip per request still fills the
 * buffer faster than it plays; 240p, 360p, 480p, and an audio-only rung for listen mode;
 * H.264/AAC; keyframes every 2 s so every rung switches cleanly; 4-second segments, a fast start
 * without paying a round trip every 2 s), a poster, and a faststart
 * MP4 of the 240p rung for offline download. The master playlist then declares what the segments
 * really need: BANDWIDTH the peak segment bitrate measured on the files, AVERAGE-BANDWIDTH their
 * mean (encoders overshoot their targets by 5 to 16 % on short videos). Blocking: runs on the
 * processing executor.
 */
@ApplicationScoped
class Transcoder {

    /** A rung of the ladder: name, height, video bitrate in kbit/s, frame rate (0: the source's), audio. */
    record Rung(String name, int height, int kbps, int fps, int audioKbps, int audioChannels, int audioRate) {}

    static final List<Rung> LADDER = List.of(
            new Rung("160p", 160, 48, 12, 16, 1, 22050),
            new Rung("240p", 240, 300, 0, 64, 2, 44100),
            new Rung("360p", 360, 600, 0, 64, 2, 44100),
            new Rung("480p", 480, 1000, 0, 64, 2, 44100));
    /** Seconds between forced keyframes: segment lengths are multiples of it. */
    static final int KEYFRAME_SECONDS = 2;

    /** H.264 as every phone and tablet decodes it: main profile, 4:2:0, a fast preset for a small worker. */
    private static final List<String> H264 =
            List.of("-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-pix_fmt", "yuv420p");

    private final MediaConfig config;

    Transcoder(MediaConfig config) {
        this.config = config;
        int segment = config.processing().segmentSeconds();
        if (segment < KEYFRAME_SECONDS || segment % KEYFRAME_SECONDS != 0) {
            throw new IllegalStateException("hongtong.media.processing.segment-seconds must be a multiple of "
                    + KEYFRAME_SECONDS + ", was " + segment);
        }
    }

    /** Failure of a run, with the end of ffmpeg's own report. */
    static final class TranscodeException extends RuntimeException {
        TranscodeException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Transcodes {@code input} (a URL ffmpeg can read) of {@code durationMs} into {@code out}:
     * {@code hls/master.m3u8} with {@code hls/<rung>/index.m3u8} and segments, {@code poster.jpg},
     * {@code download.mp4}; no rung above the source's {@code sourceHeight} (null: unknown) but
     * the lowest. Reports progress in percent.
     */
    void transcode(
            String input, int durationMs, boolean hasAudio, Integer sourceHeight, Path out, IntConsumer progress) {
        List<String> command = command(input, durationMs, hasAudio, sourceHeight, out);
        Path log = out.resolve("ffmpeg.log");
        Process process;
        try {
            Files.createDirectories(out.resolve("hls"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
            FfmpegInput.clearEnvironment(builder);
            process = builder.start();
        } catch (IOException e) {
            throw new TranscodeException("cannot start ffmpeg: " + e.getClass().getSimpleName());
        }
        // The watchdog: a hung ffmpeg writes no progress, so reading it would wait forever; killing
        // it ends the output and the loop below.
        Process running = process;
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture<?> watchdog = CompletableFuture.runAsync(
                () -> {
                    if (running.isAlive()) {
                        timedOut.set(true);
                        // Its children too: one holding the output open would keep the reader waiting.
                        running.descendants().forEach(ProcessHandle::destroyForcibly);
                        running.destroyForcibly();
                    }
                },
                CompletableFuture.delayedExecutor(config.processing().timeout().toMillis(), TimeUnit.MILLISECONDS));
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int last = -1;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("out_time_us=") || line.startsWith("out_time_ms=")) {
                    long micros = parse(line.substring(line.indexOf('=') + 1));
                    int percent = (int) Math.max(0, Math.min(99, micros / 10.0 / durationMs));
                    if (percent != last) {
                        last = percent;
                        progress.accept(percent);
                    }
                }
            }
            if (!process.waitFor(config.processing().timeout().toSeconds(), TimeUnit.SECONDS) || timedOut.get()) {
                process.destroyForcibly();
                throw new TranscodeException(
                        "ffmpeg took longer than " + config.processing().timeout());
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new TranscodeException(
                    "reading ffmpeg's progress failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TranscodeException("interrupted");
        } finally {
            watchdog.cancel(false);
        }
        if (process.exitValue() != 0) {
            // ffmpeg's messages quote the input: the presigned URL, signature included, never leaves.
            throw new TranscodeException("ffmpeg exited with " + process.exitValue() + ": " + tail(log, input));
        }
        if (!Files.exists(out.resolve("hls/master.m3u8"))
                || !Files.exists(out.resolve("poster.jpg"))
                || !Files.exists(out.resolve("download.mp4"))) {
            throw new TranscodeException("ffmpeg finished without all renditions");
        }
        try {
            declareMeasuredBandwidth(out.resolve("hls"));
        } catch (IOException | RuntimeException e) {
            throw new TranscodeException(
                    "cannot measure the renditions: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The rungs worth making of a source {@code sourceHeight} lines high (null: unknown): none
     * above the source, since an upscaled rung costs bandwidth and encoding time and shows nothing
     * more; the lowest always, so that every video plays on the slowest line.
     */
    static List<Rung> ladderFor(Integer sourceHeight) {
        if (sourceHeight == null) {
            return LADDER;
        }
        List<Rung> rungs = new ArrayList<>(List.of(LADDER.get(0)));
        LADDER.stream().skip(1).filter(rung -> rung.height() <= sourceHeight).forEach(rungs::add);
        return rungs;
    }

    private List<String> command(String input, int durationMs, boolean hasAudio, Integer sourceHeight, Path out) {
        List<Rung> ladder = ladderFor(sourceHeight);
        int top = ladder.get(ladder.size() - 1).height();
        int downloadHeight = Math.min(config.processing().downloadHeight(), top);
        int segment = config.processing().segmentSeconds();
        double posterAt = Math.min(1.0, durationMs / 2000.0);
        List<String> c = new ArrayList<>(
                List.of(config.processing().ffmpeg(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
        List<String> threads = threads();
        if (config.processing().threads() > 0) {
            c.addAll(List.of(
                    "-filter_complex_threads",
                    Integer.toString(config.processing().threads())));
        }
        c.addAll(FfmpegInput.OPTIONS);
        c.addAll(threads);
        c.addAll(List.of("-i", input));
        String audio = "0:a:0";
        if (!hasAudio) {
            // Every rung carries audio so that players never meet a track that comes and goes.
            c.addAll(List.of("-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate=44100"));
            audio = "1:a:0";
        }
        StringBuilder filter = new StringBuilder("[0:v]split=" + (ladder.size() + 2));
        for (int i = 0; i < ladder.size() + 2; i++) {
            filter.append("[s").append(i).append(']');
        }
        for (int i = 0; i < ladder.size(); i++) {
            Rung rung = ladder.get(i);
            filter.append(";[s")
                    .append(i)
                    .append(']')
                    .append(rung.fps() > 0 ? "fps=" + rung.fps() + "," : "")
                    .append("scale=-2:")
                    .append(rung.height())
                    .append("[v")
                    .append(rung.height())
                    .append(']');
        }
        filter.append(String.format(
                Locale.ROOT,
                ";[s%d]scale=-2:%d[vdl];[s%d]select='gte(t\\,%.3f)',scale=-2:%d[vpost]",
                ladder.size(),
                downloadHeight,
                ladder.size() + 1,
                posterAt,
                top));
        c.addAll(List.of("-filter_complex", filter.toString()));
        // Poster.
        c.addAll(List.of(
                "-map",
                "[vpost]",
                "-frames:v",
                "1",
                "-update",
                "1",
                out.resolve("poster.jpg").toString()));
        // Offline download: the 240p rung (or the source's height, if lower) as a faststart MP4.
        c.addAll(List.of("-map", "[vdl]", "-map", audio));
        c.addAll(H264);
        c.addAll(List.of(
                "-b:v",
                "300k",
                "-maxrate",
                "330k",
                "-bufsize",
                "600k",
                "-c:a",
                "aac",
                "-ac",
                "2",
                "-b:a",
                "64k",
                "-movflags",
                "+faststart"));
        c.addAll(threads);
        if (!hasAudio) {
            c.add("-shortest");
        }
        c.add(out.resolve("download.mp4").toString());
        // The HLS ladder, then the audio-only rung.
        StringBuilder streamMap = new StringBuilder();
        for (int i = 0; i < ladder.size(); i++) {
            Rung rung = ladder.get(i);
            c.addAll(List.of("-map", "[v" + rung.height() + "]", "-map", audio));
            streamMap
                    .append("v:")
                    .append(i)
                    .append(",a:")
                    .append(i)
                    .append(",name:")
                    .append(rung.name())
                    .append(' ');
        }
        c.addAll(List.of("-map", audio));
        streamMap.append("a:").append(ladder.size()).append(",name:audio");
        c.addAll(threads);
        c.addAll(H264);
        c.addAll(List.of("-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*" + KEYFRAME_SECONDS + ")"));
        for (int i = 0; i < ladder.size(); i++) {
            int kbps = ladder.get(i).kbps();
            c.addAll(List.of(
                    "-b:v:" + i,
                    kbps + "k",
                    "-maxrate:v:" + i,
                    (kbps * 11 / 10) + "k",
                    "-bufsize:v:" + i,
                    (kbps * 2) + "k"));
        }
        c.addAll(List.of("-c:a", "aac"));
        for (int i = 0; i < ladder.size(); i++) {
            Rung rung = ladder.get(i);
            c.addAll(List.of(
                    "-b:a:" + i,
                    rung.audioKbps() + "k",
                    "-ac:a:" + i,
                    Integer.toString(rung.audioChannels()),
                    "-ar:a:" + i,
                    Integer.toString(rung.audioRate())));
        }
        int listen = ladder.size();
        c.addAll(List.of("-b:a:" + listen, "64k", "-ac:a:" + listen, "2", "-ar:a:" + listen, "44100"));
        if (!hasAudio) {
            c.add("-shortest");
        }
        // No -hls_init_time: in a VOD playlist (never full) ffmpeg applies it to every segment, not the first.
        c.addAll(List.of(
                "-f",
                "hls",
                "-hls_time",
                Integer.toString(segment),
                "-hls_playlist_type",
                "vod",
                "-hls_flags",
                "independent_segments",
                "-hls_segment_filename",
                out.resolve("hls/%v/seg_%03d.ts").toString(),
                "-master_pl_name",
                "master.m3u8",
                "-var_stream_map",
                streamMap.toString(),
                out.resolve("hls/%v/index.m3u8").toString(),
                "-progress",
                "pipe:1",
                "-nostats"));
        return c;
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static final Pattern BANDWIDTH = Pattern.compile("(?<![-A-Z])BANDWIDTH=[0-9]+");
    /** "-threads n" when the configuration bounds ffmpeg's threads, else nothing. */
    private List<String> threads() {
        int n = config.processing().threads();
        return n > 0 ? List.of("-threads", Integer.toString(n)) : List.of();
    }

    private static final Pattern AVERAGE = Pattern.compile(",?AVERAGE-BANDWIDTH=[0-9]+");

    /**
     * Rewrites the master playlist's BANDWIDTH of every variant to the peak bitrate of its
     * segments as written (bytes x 8 / EXTINF, transport overhead included) and AVERAGE-BANDWIDTH
     * to their mean: a player that trusts them never picks a rung its network cannot carry.
     */
    static void declareMeasuredBandwidth(Path hls) throws IOException {
        Path master = hls.resolve("master.m3u8");
        List<String> lines = Files.readAllLines(master, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#EXT-X-STREAM-INF:") && i + 1 < lines.size()) {
                BitRates measured = measure(hls.resolve(lines.get(i + 1).strip()));
                String attributes = AVERAGE.matcher(line.substring("#EXT-X-STREAM-INF:".length()))
                        .replaceAll("");
                attributes = BANDWIDTH.matcher(attributes).replaceFirst("BANDWIDTH=" + measured.peak());
                line = "#EXT-X-STREAM-INF:" + attributes + ",AVERAGE-BANDWIDTH=" + measured.average();
            }
            out.add(line);
        }
        Files.write(master, out, StandardCharsets.UTF_8);
    }

    /** A rendition's peak and average bit rates, in bit/s. */
    private record BitRates(long peak, long average) {}

    /** The bit rates of a media playlist's segments. */
    private static BitRates measure(Path playlist) throws IOException {
        Path dir = playlist.getParent();
        double peak = 0;
        double bits = 0;
        double seconds = 0;
        double duration = -1;
        for (String line : Files.readAllLines(playlist, StandardCharsets.UTF_8)) {
            if (line.startsWith("#EXTINF:")) {
                duration = Double.parseDouble(
                        line.substring(8, line.indexOf(',') < 0 ? line.length() : line.indexOf(',')));
            } else if (!line.isBlank() && !line.startsWith("#") && duration > 0) {
                double segmentBits = Files.size(dir.resolve(line.strip())) * 8.0;
                peak = Math.max(peak, segmentBits / duration);
                bits += segmentBits;
                seconds += duration;
                duration = -1;
            }
        }
        if (seconds <= 0) {
            throw new IllegalStateException("a rendition without segments");
        }
        return new BitRates((long) Math.ceil(peak), (long) Math.ceil(bits / seconds));
    }

    /** Any URL in ffmpeg's words: its messages quote the input, a presigned URL with its signature. */
    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s|'\"]+");

    /**
     * The end of ffmpeg's report, for the job's failure reason (shown to course admins, logged):
     * the input and every other URL replaced before it is shortened, so no part of one survives.
     */
    static String tail(Path log, String input) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            String text = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            text = cn.hongtong.common.LogRedaction.redact(
                    URL.matcher(text.replace(input, "<input>")).replaceAll("<url>"));
            return text.length() > 300 ? text.substring(text.length() - 300) : text;
        } catch (IOException e) {
            return "no log";
        }
    }
}
