package cn.hongtong.media.storage;

import cn.hongtong.common.Contexts;
import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.CopyObjectArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import io.minio.messages.Part;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/** {@link ObjectStorage} on the MinIO SDK's asynchronous client (any S3-compatible server). */
@ApplicationScoped
class MinioObjectStorage implements ObjectStorage {

    private final StorageConfig config;
    private final MinioAsyncClient client;
    /** Signs URLs for the host clients reach; the same as {@link #client} without a public endpoint. */
    private final MinioAsyncClient publicSigner;

    MinioObjectStorage(StorageConfig config) {
        this.config = config;
        // Idle connections are dropped before the server drops them; OkHttp's own retry stays off
        // (it would repeat uploads and multipart completions too): reads retry themselves (read()).
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.ioTimeout())
                .writeTimeout(config.ioTimeout())
                .connectionPool(
                        new ConnectionPool(32, config.idleConnectionTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .retryOnConnectionFailure(false)
                .build();
        this.client = build(config.endpoint(), http);
        this.publicSigner =
                config.publicEndpoint().map(endpoint -> build(endpoint, http)).orElse(client);
    }

    private MinioAsyncClient build(String endpoint, OkHttpClient http) {
        // The region is fixed so that presigning never asks the server for it.
        return MinioAsyncClient.builder()
                .endpoint(endpoint)
                .region(config.region())
                .credentials(config.accessKey(), config.secretKey())
                .httpClient(http, true)
                .build();
    }

    void createBucketOnStart(@Observes StartupEvent event) {
        if (config.createBucket()) {
            // Not awaited: start-up must not hang on storage; readiness reports it until it exists.
            ensureBucket()
                    .subscribe()
                    .with(
                            ignored -> Log.infof("object storage bucket %s is present", config.bucket()),
                            failure ->
                                    Log.warnf("could not ensure bucket %s: %s", config.bucket(), failure.getMessage()));
        }
    }

    @Override
    public Uni<Boolean> bucketExists() {
        return read(() -> client.bucketExists(
                BucketExistsArgs.builder().bucket(config.bucket()).build()));
    }

    @Override
    public Uni<Void> ensureBucket() {
        return bucketExists().chain(exists -> exists ? Uni.createFrom().voidItem() : makeBucket());
    }

    private Uni<Void> makeBucket() {
        return async(() -> client.makeBucket(MakeBucketArgs.builder()
                        .bucket(config.bucket())
                        .region(config.region())
                        .build()))
                .onFailure(MinioObjectStorage::alreadyOwned)
                .recoverWithNull()
                .replaceWithVoid();
    }

    @Override
    public String presignGet(String key, Duration lifetime) {
        return presign(publicSigner, Http.Method.GET, key, lifetime, Map.of());
    }

    @Override
    public String internalGet(String key, Duration lifetime) {
        return presign(client, Http.Method.GET, key, lifetime, Map.of());
    }

    @Override
    public String presignPut(String key, Duration lifetime) {
        return presign(publicSigner, Http.Method.PUT, key, lifetime, Map.of());
    }

    @Override
    public Uni<String> startMultipart(String key, String contentType) {
        return async(() -> client.createMultipartUpload(CreateMultipartUploadArgs.builder()
                        .bucket(config.bucket())
                        .object(key)
                        .headers(new Http.Headers(Map.of("Content-Type", contentType)))
                        .build()))
                .map(response -> response.result().uploadId());
    }

    @Override
    public String presignPart(String key, String uploadId, int partNumber, Duration lifetime) {
        return presign(
                publicSigner,
                Http.Method.PUT,
                key,
                lifetime,
                Map.of("uploadId", uploadId, "partNumber", Integer.toString(partNumber)));
    }

    @Override
    public Uni<Void> completeMultipart(String key, String uploadId, List<UploadedPart> parts) {
        Part[] list =
                parts.stream().map(p -> new Part(p.partNumber(), p.etag())).toArray(Part[]::new);
        return async(() -> client.completeMultipartUpload(CompleteMultipartUploadArgs.builder()
                        .bucket(config.bucket())
                        .object(key)
                        .uploadId(uploadId)
                        .parts(list)
                        .build()))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> abortMultipart(String key, String uploadId) {
        return async(() -> client.abortMultipartUpload(AbortMultipartUploadArgs.builder()
                        .bucket(config.bucket())
                        .object(key)
                        .uploadId(uploadId)
                        .build()))
                .replaceWithVoid();
    }

    @Override
    public Uni<Optional<Long>> size(String key) {
        return read(() -> client.statObject(StatObjectArgs.builder()
                        .bucket(config.bucket())
                        .object(key)
                        .build()))
                .map(stat -> Optional.of(stat.size()))
                .onFailure(MinioObjectStorage::noSuchKey)
                .recoverWithItem(Optional.empty());
    }

    @Override
    public Uni<Void> delete(String key) {
        return async(() -> client.removeObject(RemoveObjectArgs.builder()
                        .bucket(config.bucket())
                        .object(key)
                        .build()))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> copy(String from, String to) {
        return async(() -> client.copyObject(CopyObjectArgs.builder()
                        .bucket(config.bucket())
                        .object(to)
                        .source(SourceObject.builder()
                                .bucket(config.bucket())
                                .object(from)
                                .build())
                        .build()))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> deletePrefix(String prefix) {
        // Listing pages through blocking iterators: done on a worker thread.
        return Contexts.blocking(() -> {
                    Iterable<Result<Item>> items = client.listObjects(ListObjectsArgs.builder()
                            .bucket(config.bucket())
                            .prefix(prefix)
                            .recursive(true)
                            .build());
                    List<String> keys = new ArrayList<>();
                    for (Result<Item> result : items) {
                        try {
                            keys.add(result.get().objectName());
                        } catch (Exception e) {
                            throw new CompletionException(e);
                        }
                    }
                    return keys;
                })
                .chain(keys -> Uni.join()
                        .all(keys.stream().map(this::delete).toList())
                        .andCollectFailures()
                        .onItem()
                        .ignore()
                        .andContinueWithNull())
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> upload(String key, Path file, String contentType) {
        return async(() -> client.uploadObject(UploadObjectArgs.builder()
                        .bucket(config.bucket())
                        .object(key)
                        .filename(file.toString())
                        .contentType(contentType)
                        .build()))
                .replaceWithVoid();
    }

    @Override
    public Uni<String> readText(String key) {
        return Uni.createFrom()
                .deferred(() -> async(() -> client.getObject(GetObjectArgs.builder()
                                .bucket(config.bucket())
                                .object(key)
                                .build()))
                        .chain(stream -> Contexts.blocking(() -> {
                            try (InputStream in = stream) {
                                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                            } catch (IOException e) {
                                throw new CompletionException(e);
                            }
                        })))
                .onFailure(MinioObjectStorage::deadConnection)
                .retry()
                .atMost(1)
                .onFailure(MinioObjectStorage::noSuchKey)
                .transform(f -> new NotFound(key));
    }

    /**
     * An idempotent read, retried once when it met a connection the server had closed (the pool
     * can still hand one out in the moment between the server's close and the eviction).
     */
    private static <T> Uni<T> read(ThrowingSupplier<CompletableFuture<T>> call) {
        return Uni.createFrom()
                .deferred(() -> async(call))
                .onFailure(MinioObjectStorage::deadConnection)
                .retry()
                .atMost(1);
    }

    /** A transport failure of a reused connection (not an answer of the server). */
    static boolean deadConnection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ErrorResponseException) {
                return false;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private String presign(
            MinioAsyncClient signer, Http.Method method, String key, Duration lifetime, Map<String, String> query) {
        try {
            return signer.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(method)
                    .bucket(config.bucket())
                    .object(key)
                    .expiry((int) Math.max(1, lifetime.toSeconds()), TimeUnit.SECONDS)
                    .extraQueryParams(query)
                    .build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot presign " + key, e);
        }
    }

    /** An SDK call; its result comes back on the caller's Vert.x context, not on an HTTP client thread. */
    private static <T> Uni<T> async(ThrowingSupplier<CompletableFuture<T>> call) {
        return Contexts.onCallerContext(Uni.createFrom().completionStage(() -> {
            try {
                return call.get();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }));
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static boolean noSuchKey(Throwable failure) {
        return unwrap(failure) instanceof ErrorResponseException e
                && ("NoSuchKey".equals(e.errorResponse().code())
                        || "NoSuchObject".equals(e.errorResponse().code())
                        || "NotFound".equals(e.errorResponse().code()));
    }

    /** Two replicas starting at once may both try to create the bucket; the loser is fine. */
    private static boolean alreadyOwned(Throwable failure) {
        return unwrap(failure) instanceof ErrorResponseException e
                && ("BucketAlreadyOwnedByYou".equals(e.errorResponse().code())
                        || "BucketAlreadyExists".equals(e.errorResponse().code()));
    }
}
