package cn.hongtong.media.storage;

import cn.hongtong.common.DependencyProbe;
import cn.hongtong.common.HealthConfig;
import cn.hongtong.common.ReadinessProbe;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** The object store answers and the media bucket is there. */
@HealthGroup("dependencies")
@ApplicationScoped
class ObjectStorageProbe implements DependencyProbe {

    private final ObjectStorage storage;
    private final HealthConfig config;

    ObjectStorageProbe(ObjectStorage storage, HealthConfig config) {
        this.storage = storage;
        this.config = config;
    }

    @Override
    public String dependency() {
        return "object-storage";
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return ReadinessProbe.probe(
                "object-storage", config, storage.bucketExists().invoke(exists -> {
                    if (!exists) {
                        throw new IllegalStateException("bucket is missing");
                    }
                }));
    }
}
