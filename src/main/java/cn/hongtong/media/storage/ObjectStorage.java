package cn.hongtong.media.storage;

import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The object store holding the media, seen from the rest of the API. */
public interface ObjectStorage {

    /** One uploaded part of a multipart upload, as the client reports it. */
    record UploadedPart(int partNumber, String etag) {}

    /** The configured bucket exists and the credentials can see it. */
    Uni<Boolean> bucketExists();

    /** Creates the configured bucket unless it exists. */
    Uni<Void> ensureBucket();

    /** A URL clients can GET (with Range) until it expires. */
    String presignGet(String key, Duration lifetime);

    /** A URL the API's own tools (ffprobe, ffmpeg) can GET, on the internal endpoint. */
    String internalGet(String key, Duration lifetime);

    /** A URL a client can PUT the whole object to. */
    String presignPut(String key, Duration lifetime);

    /** Starts a multipart upload; gives its upload id. */
    Uni<String> startMultipart(String key, String contentType);

    /** A URL a client can PUT part {@code partNumber} (1-based) to. */
    String presignPart(String key, String uploadId, int partNumber, Duration lifetime);

    Uni<Void> completeMultipart(String key, String uploadId, List<UploadedPart> parts);

    Uni<Void> abortMultipart(String key, String uploadId);

    /** The object's size, or empty when there is no such object. */
    Uni<Optional<Long>> size(String key);

    Uni<Void> delete(String key);

    /** Copies an object inside the bucket, server-side (no bytes through the API). */
    Uni<Void> copy(String from, String to);

    /** Deletes every object under the prefix. */
    Uni<Void> deletePrefix(String prefix);

    Uni<Void> upload(String key, Path file, String contentType);

    /** A small text object (a playlist). */
    Uni<String> readText(String key);

    /** The object asked for does not exist (a read answers 404 for it, never 500). */
    final class NotFound extends RuntimeException {
        public NotFound(String key) {
            super("no object " + key, null, false, false);
        }
    }
}
