package cn.hongtong.media;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
class MediaAssetRepository implements PanacheRepositoryBase<MediaAsset, UUID> {}
