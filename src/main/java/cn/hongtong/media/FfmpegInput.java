package cn.hongtong.media;

import java.util.List;
import java.util.Map;

/**
 * The trust boundary around ffprobe and ffmpeg, which read files a course admin uploaded: the
 * uploaded file may only be read as one of the video containers uploads accept, over HTTP(S) from
 * the object store. A playlist (HLS, DASH, concat, a text "ffconcat") disguised as a video would
 * otherwise make ffmpeg fetch URLs of the uploader's choosing from inside the cluster (SSRF) or
 * read local files; the format and protocol whitelists refuse that before a byte is fetched. The
 * child process gets an empty environment (no proxy settings, no credentials).
 */
final class FfmpegInput {

    /** Demuxers of the accepted upload types (MP4/MOV/3GP, Matroska/WebM, AVI, MPEG-PS/TS, FLV). */
    static final String FORMATS = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpeg,mpegts,mpegvideo,flv";
    /** Only what reading a presigned object URL needs. */
    static final String PROTOCOLS = "http,https,tcp,tls";

    private FfmpegInput() {}

    /** The options that must precede the uploaded input's URL. */
    static final List<String> OPTIONS =
            List.of("-protocol_whitelist", PROTOCOLS, "-format_whitelist", FORMATS, "-rw_timeout", "30000000");

    /** An empty environment but a fixed PATH, so that the configured binary name still resolves. */
    static void clearEnvironment(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    }
}
