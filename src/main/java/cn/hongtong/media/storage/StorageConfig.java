package cn.hongtong.media.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Where the videos live: an S3-compatible server (MinIO in production, S3Proxy locally). */
@ConfigMapping(prefix = "hongtong.media.storage")
public interface StorageConfig {

    /** Base URL of the S3 endpoint, for example {@code http://minio:9000}. */
    String endpoint();

    /**
     * Base URL clients reach the store at, when it differs from {@link #endpoint()} (for example
     * a public host in front of MinIO). Presigned URLs are signed for this host.
     */
    Optional<String> publicEndpoint();

    /** Region the bucket is signed for; MinIO accepts any. */
    @WithDefault("us-east-1")
    String region();

    /** Access key id; from the environment in production. */
    String accessKey();

    /** Secret key; from the environment in production. */
    String secretKey();

    /** The bucket holding originals, renditions and posters. */
    @WithDefault("hongtong-media")
    String bucket();

    /**
     * Create the bucket at start-up when it is missing. Convenient for dev and tests; in
     * production the bucket is provisioned with its policies and this stays off.
     */
    @WithDefault("false")
    boolean createBucket();

    /** Connect timeout of the HTTP client. */
    @WithDefault("3s")
    Duration connectTimeout();

    /** Read and write timeout of the HTTP client. */
    @WithDefault("30s")
    Duration ioTimeout();

    /**
     * How long an idle pooled connection is kept: shorter than the server's own idle timeout
     * (MinIO and S3Proxy's Jetty close idle connections after about 30 s), so that a read rarely
     * meets a connection the server already closed; a read that does is retried once.
     */
    @WithDefault("20s")
    Duration idleConnectionTimeout();
}
