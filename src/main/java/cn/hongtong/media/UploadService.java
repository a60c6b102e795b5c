package cn.hongtong.media;

import cn.hongtong.common.Contexts;
import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.media.MediaDtos.AssetView;
import cn.hongtong.media.MediaDtos.CompleteRequest;
import cn.hongtong.media.MediaDtos.MultipartTicket;
import cn.hongtong.media.MediaDtos.PartUrl;
import cn.hongtong.media.MediaDtos.UploadRequest;
import cn.hongtong.media.MediaDtos.UploadTicket;
import cn.hongtong.media.storage.ObjectStorage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Uploads straight to object storage: the API hands out presigned URLs, then, on completion,
 * checks what arrived (size, and by probing the real container, codecs and duration) before the
 * video is queued for processing. Whatever is not a playable video is deleted.
 */
@ApplicationScoped
class UploadService {

    private static final Pattern EXTENSION = Pattern.compile("\\.([A-Za-z0-9]{1,5})$");

    private final MediaAssetRepository assets;
    private final ObjectStorage storage;
    private final MediaProbe probe;
    private final MediaConfig config;
    private final Clock clock;

    private final cn.hongtong.audit.AuditLog audit;

    UploadService(
            MediaAssetRepository assets,
            ObjectStorage storage,
            MediaProbe probe,
            MediaConfig config,
            Clock clock,
            cn.hongtong.audit.AuditLog audit) {
        this.audit = audit;
        this.assets = assets;
        this.storage = storage;
        this.probe = probe;
        this.config = config;
        this.clock = clock;
    }

    Uni<UploadTicket> start(UploadRequest request, String createdBy) {
        String contentType = request.contentType().toLowerCase(Locale.ROOT).strip();
        if (!config.upload().contentTypes().contains(contentType)) {
            return Uni.createFrom()
                    .failure(ProblemException.invalidField(
                            "contentType",
                            LocalizedText.of(
                                    "不支持的视频类型，可用："
                                            + String.join(", ", config.upload().contentTypes()),
                                    "unsupported video type; accepted: "
                                            + String.join(", ", config.upload().contentTypes()))));
        }
        long max = config.upload().maxSize().asLongValue();
        if (request.size() > max) {
            return Uni.createFrom()
                    .failure(ProblemException.invalidField(
                            "size",
                            LocalizedText.of("文件超过上限 " + max + " 字节", "larger than the limit of " + max + " bytes")));
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        Duration lifetime = config.upload().urlLifetime();
        MediaAsset asset = new MediaAsset();
        asset.id = id;
        asset.status = MediaAsset.AWAITING_UPLOAD;
        asset.fileName = request.fileName().strip();
        asset.contentType = contentType;
        asset.declaredSize = request.size();
        asset.originalKey = MediaAsset.prefix(id) + "original" + extension(asset.fileName);
        asset.createdBy = createdBy;
        asset.createdAt = now;
        asset.updatedAt = now;
        boolean multipart =
                request.size() > config.upload().multipartThreshold().asLongValue();
        Uni<String> uploadId = multipart
                ? storage.startMultipart(asset.originalKey, contentType)
                : Uni.createFrom().nullItem();
        return uploadId.chain(upload -> {
            asset.uploadId = upload;
            return Panache.withTransaction(() -> assets.persist(asset)
                            .call(saved -> audit.record(
                                    "media.upload-started",
                                    "media",
                                    id,
                                    Map.of(
                                            "fileName",
                                            asset.fileName,
                                            "contentType",
                                            contentType,
                                            "size",
                                            request.size()))))
                    .map(saved -> {
                        Instant expires = now.plus(lifetime);
                        if (upload == null) {
                            return new UploadTicket(
                                    id, asset.status, storage.presignPut(asset.originalKey, lifetime), null, expires);
                        }
                        long partSize = config.upload().partSize().asLongValue();
                        int count = (int) ((request.size() + partSize - 1) / partSize);
                        List<PartUrl> parts = new ArrayList<>(count);
                        for (int n = 1; n <= count; n++) {
                            parts.add(new PartUrl(n, storage.presignPart(asset.originalKey, upload, n, lifetime)));
                        }
                        return new UploadTicket(
                                id, asset.status, null, new MultipartTicket(upload, partSize, parts), expires);
                    });
        });
    }

    /**
     * Completes an upload: idempotent for an asset already accepted; a file that is not what was
     * declared, or not a playable video, is deleted and the asset rejected.
     */
    Uni<AssetView> complete(UUID id, CompleteRequest request) {
        return find(id).chain(asset -> switch (asset.status) {
            case MediaAsset.AWAITING_UPLOAD -> assemble(asset, request).chain(() -> check(asset));
            case MediaAsset.REJECTED, MediaAsset.FAILED ->
                Uni.createFrom()
                        .failure(new ProblemException(
                                MediaProblems.UPLOAD_STATE,
                                LocalizedText.of(
                                        "该视频已被拒绝或处理失败，请重新上传", "This video was rejected or failed; upload it again")));
            default -> Uni.createFrom().item(AssetView.of(asset));
        });
    }

    @WithSession
    Uni<AssetView> view(UUID id) {
        return find(id).map(AssetView::of);
    }

    private Uni<MediaAsset> find(UUID id) {
        return Panache.withSession(() -> assets.findById(id))
                .onItem()
                .ifNull()
                .failWith(() -> new ProblemException(
                        MediaProblems.ASSET_NOT_FOUND, LocalizedText.of("视频不存在", "No such video")));
    }

    private Uni<Void> assemble(MediaAsset asset, CompleteRequest request) {
        if (asset.uploadId == null) {
            return Uni.createFrom().voidItem();
        }
        if (request == null || request.parts() == null || request.parts().isEmpty()) {
            return Uni.createFrom()
                    .failure(ProblemException.invalidField(
                            "parts",
                            LocalizedText.of(
                                    "分片上传需要列出每个分片的编号和 ETag", "a multipart upload needs each part's number and ETag")));
        }
        List<ObjectStorage.UploadedPart> parts = request.parts().stream()
                .map(p ->
                        new ObjectStorage.UploadedPart(p.partNumber(), p.etag().replace("\"", "")))
                .sorted(Comparator.comparingInt(ObjectStorage.UploadedPart::partNumber))
                .toList();
        return storage.completeMultipart(asset.originalKey, asset.uploadId, parts)
                .onFailure()
                .transform(f -> new ProblemException(
                        MediaProblems.UPLOAD_INCOMPLETE,
                        LocalizedText.of(
                                "分片不完整或 ETag 不符，无法合并", "The parts are incomplete or their ETags do not match")));
    }

    /**
     * Pins what was uploaded before probing it: a server-side copy to a key no upload URL can write
     * (the upload URLs stay valid until they expire, so the uploaded object could be replaced
     * between the probe and the transcoding); the copy is what is probed, kept and transcoded.
     */
    private Uni<AssetView> check(MediaAsset asset) {
        String pinned = MediaAsset.prefix(asset.id) + "source" + extension(asset.fileName);
        return storage.size(asset.originalKey).chain(size -> {
            if (size.isEmpty()) {
                return Uni.createFrom()
                        .failure(new ProblemException(
                                MediaProblems.UPLOAD_INCOMPLETE,
                                LocalizedText.of("尚未收到文件，请先上传", "Nothing was uploaded yet; upload the file first")));
            }
            return storage.copy(asset.originalKey, pinned)
                    .chain(() -> storage.size(pinned))
                    .chain(copied -> {
                        if (copied.isEmpty() || copied.get() != asset.declaredSize) {
                            return reject(
                                    asset,
                                    pinned,
                                    "the upload has " + copied.orElse(size.get()) + " bytes, " + asset.declaredSize
                                            + " were declared");
                        }
                        return Contexts.blocking(() -> probe.probe(storage.internalGet(pinned, Duration.ofMinutes(10))))
                                .chain(result -> result.playable()
                                        ? accept(asset, pinned, result)
                                        : reject(asset, pinned, result.rejection()));
                    });
        });
    }

    private Uni<AssetView> accept(MediaAsset asset, String pinned, MediaProbe.Result result) {
        String uploaded = asset.originalKey;
        return Panache.withTransaction(() -> assets.findById(asset.id).map(current -> {
                    if (MediaAsset.AWAITING_UPLOAD.equals(current.status)) {
                        current.status = MediaAsset.QUEUED;
                        current.originalKey = pinned;
                        current.durationMs = result.durationMs();
                        current.width = result.width();
                        current.height = result.height();
                        current.videoCodec = result.videoCodec();
                        current.audioCodec = result.audioCodec();
                        current.updatedAt = clock.instant();
                    }
                    return AssetView.of(current);
                }))
                .call(() -> uploaded.equals(pinned) ? Uni.createFrom().voidItem() : storage.delete(uploaded));
    }

    private Uni<AssetView> reject(MediaAsset asset, String pinned, String why) {
        Log.infof("upload %s rejected: %s", asset.id, why);
        return storage.delete(asset.originalKey)
                .chain(() -> storage.delete(pinned))
                .chain(() ->
                        Panache.withTransaction(() -> assets.findById(asset.id).invoke(current -> {
                            current.status = MediaAsset.REJECTED;
                            current.failureReason = why.length() > 500 ? why.substring(0, 500) : why;
                            current.updatedAt = clock.instant();
                        })))
                .chain(() -> Uni.createFrom()
                        .failure(new ProblemException(
                                MediaProblems.NOT_PLAYABLE,
                                LocalizedText.of(
                                        "文件不是可播放的视频，已删除：" + why,
                                        "The file is not a playable video and was deleted: " + why))));
    }

    private static String extension(String fileName) {
        Matcher m = EXTENSION.matcher(fileName);
        return m.find() ? "." + m.group(1).toLowerCase(Locale.ROOT) : "";
    }

    static boolean isTerminal(String status) {
        return MediaAsset.READY.equals(status)
                || MediaAsset.FAILED.equals(status)
                || MediaAsset.REJECTED.equals(status);
    }
}
