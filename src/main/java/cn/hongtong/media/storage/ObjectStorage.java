package cn.hongtong.media.storage;

import io.smallrye.mutiny.Uni;

/** The object store holding the media, seen from the rest of the API. */
public interface ObjectStorage {

    /** The configured bucket exists and the credentials can see it. */
    Uni<Boolean> bucketExists();

    /** Creates the configured bucket unless it exists. */
    Uni<Void> ensureBucket();
}
