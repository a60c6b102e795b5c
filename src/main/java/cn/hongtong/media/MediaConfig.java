package cn.hongtong.media;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Uploads, processing and playback of lesson videos. */
@ConfigMapping(prefix = "hongtong.media")
public interface MediaConfig {

    /**
     * HMAC key (at least 32 characters) signing the API's own playlist URLs and offline download
     * grants. A secret: from the environment in production.
     */
    String signingKey();

    /**
     * Id of {@link #signingKey()}, written into every signature ({@code <id>~<mac>}) so that
     * verification knows which key of the ring to use.
     */
    @WithDefault("k1")
    String signingKeyId();

    /**
     * Earlier signing keys, still accepted (never used to sign) while what they signed may be in
     * use: {@code id:key} pairs, comma-separated. Rotation: move the current key here under its
     * id, set a new key with a new id, and drop the old one once the longest-lived download grant
     * it signed has expired (see docs/operations.md, "Key rotation").
     */
    Optional<List<String>> previousSigningKeys();

    Upload upload();

    Processing processing();

    Playback playback();

    interface Upload {
        /** Largest original a course admin may upload. */
        @WithDefault("2G")
        MemorySize maxSize();

        /** Above this size the upload is multipart, in parts of {@link #partSize()}. */
        @WithDefault("64M")
        MemorySize multipartThreshold();

        /** Multipart part size; S3 needs at least 5 MiB for every part but the last. */
        @WithDefault("16M")
        MemorySize partSize();

        /** Lifetime of presigned upload URLs. */
        @WithDefault("1h")
        Duration urlLifetime();

        /** Content types an upload may declare (the real type is probed after upload). */
        @WithDefault("video/mp4,video/quicktime,video/x-matroska,video/webm,video/x-msvideo,video/mpeg,video/3gpp")
        Set<String> contentTypes();

        /** Shortest and longest video accepted. */
        @WithDefault("1s")
        Duration minDuration();

        @WithDefault("1h")
        Duration maxDuration();

        /**
         * An upload asked for but not completed this long after is abandoned: its object (or
         * open multipart upload) is deleted and the video marked failed. Longer than the URL lifetime.
         */
        @WithDefault("3h")
        Duration abandonAfter();

        /** How often abandoned uploads are looked for. */
        @WithDefault("10m")
        Duration sweepInterval();
    }

    interface Processing {
        /** Run the processing worker in this replica. */
        @WithDefault("true")
        boolean enabled();

        /** Videos processed at once by this replica (ffmpeg uses all cores for each). */
        @WithDefault("1")
        int concurrency();

        /** Attempts before a video is marked failed. */
        @WithDefault("3")
        int maxAttempts();

        /** A job whose lease runs out (its replica died) is taken up again. */
        @WithDefault("2m")
        Duration lease();

        @WithDefault("2s")
        Duration pollInterval();

        /**
         * Threads of one ffmpeg run (decoder, filter graph, each encoder): 0 lets ffmpeg take
         * every core it sees, which in a container is the node's, not the CPU limit's. Set it to
         * the worker's CPU limit so that transcoding stays inside it.
         */
        @WithDefault("0")
        int threads();

        /** Longest a single ffmpeg run may take; then it is killed. */
        @WithDefault("2h")
        Duration timeout();

        /** Longest a single ffprobe run may take; then it is killed and the upload rejected. */
        @WithDefault("90s")
        Duration probeTimeout();

        @WithDefault("ffmpeg")
        String ffmpeg();

        @WithDefault("ffprobe")
        String ffprobe();

        /**
         * HLS segment length in seconds, a multiple of 2 (keyframes come every 2 s). 4: a first
         * frame within a few seconds on a slow line, while a 600 ms round trip per request still
         * costs under a sixth of the time a segment plays.
         */
        @WithDefault("4")
        int segmentSeconds();

        /** Scratch space for renditions before upload; the system temp folder by default. */
        Optional<String> workDir();

        /** Height of the offline download rendition (at most the source's): small, for poor networks and donated tablets. */
        @WithDefault("240")
        int downloadHeight();

        /** Longest the upload of one asset's renditions to the object store may take before the job fails (and is retried). */
        @WithDefault("30m")
        Duration storageWait();
    }

    interface Playback {
        /**
         * How long a playback answer keeps working, however long the learner pauses: its MP4,
         * playlist and poster URLs are API URLs signed until then, and the segments listed in its
         * playlists are object URLs presigned until then. At most 7 days (the presign limit).
         */
        @WithDefault("6h")
        Duration answerLifetime();

        /** Lifetime of the presigned object URLs the MP4 and poster redirects point at (fetched at once). */
        @WithDefault("10m")
        Duration urlLifetime();

        /** Validity of an offline download grant. */
        @WithDefault("7d")
        Duration downloadGrantLifetime();

        /** Lifetime of the presigned URL of the download rendition. */
        @WithDefault("1h")
        Duration downloadUrlLifetime();

        /** Playback answers kept per replica (until their expiry minute ends), about 1 KB each. */
        @WithDefault("20000")
        int answerCacheSize();

        /** Media playlists kept per replica (read from the object store once, a few KB each). */
        @WithDefault("2048")
        int playlistCacheSize();
    }
}
