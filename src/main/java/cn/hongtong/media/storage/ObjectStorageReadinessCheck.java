package cn.hongtong.media.storage;

import cn.hongtong.common.HealthConfig;
import cn.hongtong.common.ReadinessProbe;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** The object store answers and the media bucket is there. */
@Readiness
@ApplicationScoped
class ObjectStorageReadinessCheck implements AsyncHealthCheck {

    private final ObjectStorage storage;
    private final HealthConfig config;

    ObjectStorageReadinessCheck(ObjectStorage storage, HealthConfig config) {
        this.storage = storage;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return ReadinessProbe.probe("object-storage", config, storage.bucketExists().invoke(exists -> {
            if (!exists) {
                throw new IllegalStateException("bucket is missing");
            }
        }));
    }
}
