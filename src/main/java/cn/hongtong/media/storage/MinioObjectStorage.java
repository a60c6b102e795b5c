package cn.hongtong.media.storage;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.errors.ErrorResponseException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletionException;
import okhttp3.OkHttpClient;

/** {@link ObjectStorage} on the MinIO SDK's asynchronous client (any S3-compatible server). */
@ApplicationScoped
class MinioObjectStorage implements ObjectStorage {

    private final StorageConfig config;
    private final MinioAsyncClient client;

    MinioObjectStorage(StorageConfig config) {
        this.config = config;
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.ioTimeout())
                .writeTimeout(config.ioTimeout())
                .retryOnConnectionFailure(false)
                .build();
        this.client = MinioAsyncClient.builder()
                .endpoint(config.endpoint())
                .region(config.region())
                .credentials(config.accessKey(), config.secretKey())
                .httpClient(http, true)
                .build();
    }

    void createBucketOnStart(@Observes StartupEvent event) {
        if (config.createBucket()) {
            // Not awaited: start-up must not hang on storage; readiness reports it until it exists.
            ensureBucket().subscribe().with(
                    ignored -> Log.infof("object storage bucket %s is present", config.bucket()),
                    failure -> Log.warnf("could not ensure bucket %s: %s", config.bucket(), failure.getMessage()));
        }
    }

    @Override
    public Uni<Boolean> bucketExists() {
        return Uni.createFrom().completionStage(() -> {
            try {
                return client.bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build());
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    @Override
    public Uni<Void> ensureBucket() {
        return bucketExists().chain(exists -> exists ? Uni.createFrom().voidItem() : makeBucket());
    }

    private Uni<Void> makeBucket() {
        return Uni.createFrom().completionStage(() -> {
            try {
                return client.makeBucket(MakeBucketArgs.builder().bucket(config.bucket()).region(config.region()).build());
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }).onFailure(MinioObjectStorage::alreadyOwned).recoverWithNull().replaceWithVoid();
    }

    /** Two replicas starting at once may both try to create the bucket; the loser is fine. */
    private static boolean alreadyOwned(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof ErrorResponseException e
                && ("BucketAlreadyOwnedByYou".equals(e.errorResponse().code())
                        || "BucketAlreadyExists".equals(e.errorResponse().code()));
    }
}
