package cn.hongtong.media;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What other features may know of media assets: whether one is playable and how long it is. */
@ApplicationScoped
public class MediaAssets {

    private final MediaAssetRepository assets;

    MediaAssets(MediaAssetRepository assets) {
        this.assets = assets;
    }

    /**
     * A CDI event: a video's state changed in a way lessons show (it became ready, failed, or
     * went back to processing). The catalog observes it to invalidate what it keeps.
     */
    public record StatusChanged(UUID assetId) {}

    /** The summary of a video as lessons show it. */
    public record Summary(UUID id, String status, Integer durationMs) {

        /** The duration rounded to whole seconds, as lessons show it. */
        public Integer durationSeconds() {
            return durationMs == null ? null : (int) Math.round(durationMs / 1000.0);
        }

        public boolean ready() {
            return MediaAsset.READY.equals(status);
        }
    }

    @WithSession
    public Uni<Map<UUID, Summary>> summaries(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return assets.list("id in ?1", ids)
                .map(list -> list.stream()
                        .map(a -> new Summary(a.id, a.status, a.durationMs))
                        .collect(Collectors.toMap(Summary::id, Function.identity())));
    }
}
