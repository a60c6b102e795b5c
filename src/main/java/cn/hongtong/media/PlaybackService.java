package cn.hongtong.media;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.media.MediaDtos.Download;
import cn.hongtong.media.MediaDtos.Playback;
import cn.hongtong.media.storage.ObjectStorage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Playback URLs. Players send no headers or cookies, so every URL of a playback answer (MP4,
 * HLS master and rendition playlists, poster) is an API URL signed until the answer's expiry
 * ({@code answer-lifetime}, hours). The API serves the playlists itself; a rendition playlist
 * lists its segments as object URLs presigned until that same expiry, so a learner who pauses
 * for an hour resumes without 403, and each segment costs one request to the store, not a
 * redirect through the API first (a round trip saved per segment on a 600 ms rural line, and a
 * browser keeps the page's Origin, which a cross-origin redirect would turn into {@code null}).
 * The MP4 and the poster are answered with a redirect to an object URL presigned at that moment.
 * Nothing is readable without a signature of the API.
 */
@ApplicationScoped
public class PlaybackService {

    static final Pattern RENDITION = Pattern.compile("160p|240p|360p|480p|audio");
    static final Pattern SEGMENT = Pattern.compile("seg_[0-9]{3,6}\\.ts");
    /** The longest a SigV4 presigned URL may live: the answer's lifetime cannot exceed it. */
    static final Duration PRESIGN_LIMIT = Duration.ofDays(7);

    /** A playback answer's identity: the same lesson, video and API address within one minute. */
    private record AnswerKey(UUID lessonId, UUID assetId, String apiBase, long exp) {}

    private final MediaAssetRepository assets;
    private final ObjectStorage storage;
    private final Signer signer;
    private final DownloadGrants grants;
    private final MediaConfig config;
    private final Clock clock;
    /** This minute's playback answers. */
    private final Map<AnswerKey, Playback> answers = new ConcurrentHashMap<>();

    private volatile long answersExp;
    /** Playlists of ready assets never change: kept after the first read. */
    private final Map<String, String> playlists = new ConcurrentHashMap<>();

    PlaybackService(
            MediaAssetRepository assets,
            ObjectStorage storage,
            Signer signer,
            DownloadGrants grants,
            MediaConfig config,
            Clock clock) {
        this.assets = assets;
        this.storage = storage;
        this.signer = signer;
        this.grants = grants;
        this.config = config;
        this.clock = clock;
        if (config.playback().answerLifetime().plusMinutes(1).compareTo(PRESIGN_LIMIT) > 0) {
            throw new IllegalStateException(
                    "hongtong.media.playback.answer-lifetime is at most 7 days less a minute (the "
                            + "presigned URLs of its segments cannot live longer)");
        }
    }

    /**
     * How to play the ready video {@code assetId} of {@code durationMs} in lesson {@code lessonId}
     * (which the caller found playable). Answers made within the same minute for the same video
     * are one answer (its expiry is the minute's end plus the answer lifetime, stated as is in
     * {@code expiresAt}), kept so that a busy lesson is signed once a minute, not per request.
     */
    public Playback playback(UUID lessonId, UUID assetId, int durationMs, String apiBase) {
        long exp = (clock.instant().getEpochSecond() / 60 + 1) * 60
                + config.playback().answerLifetime().toSeconds();
        AnswerKey key = new AnswerKey(lessonId, assetId, apiBase, exp);
        Playback kept = answers.get(key);
        if (kept != null) {
            return kept;
        }
        String base = apiBase + "/api/v1/media/" + assetId;
        String hls = base + "/hls/master.m3u8?exp=" + exp + "&sig=" + signer.sign(scope(assetId, "master", exp));
        String mp4 = base + "/mp4?exp=" + exp + "&sig=" + signer.sign(scope(assetId, "mp4", exp));
        String poster = base + "/poster?exp=" + exp + "&sig=" + signer.sign(scope(assetId, "poster", exp));
        String listen = base + "/hls/audio/index.m3u8?exp=" + exp + "&sig=" + signer.sign(scope(assetId, "audio", exp));
        Playback answer = new Playback(
                lessonId,
                assetId,
                (int) Math.round(durationMs / 1000.0),
                mp4,
                hls,
                listen,
                poster,
                Instant.ofEpochSecond(exp));
        if (exp != answersExp) {
            answers.clear();
            answersExp = exp;
        }
        if (answers.size() < config.playback().answerCacheSize()) {
            answers.put(key, answer);
        }
        return answer;
    }

    /** The offline rendition of the video {@code assetId} of lesson {@code lessonId}, with its grant. */
    public Uni<Download> download(UUID lessonId, UUID assetId, UUID learnerId) {
        return readyAsset(assetId).map(asset -> {
            Instant now = clock.instant();
            Instant urlExpires = now.plus(config.playback().downloadUrlLifetime());
            Instant grantUntil = now.plus(config.playback().downloadGrantLifetime());
            String grant = grants.issue(new DownloadGrants.Grant(learnerId, lessonId, asset.id, now, grantUntil));
            return new Download(
                    lessonId,
                    asset.id,
                    storage.presignGet(
                            MediaAsset.downloadKey(asset.id), config.playback().downloadUrlLifetime()),
                    asset.downloadSize == null ? 0 : asset.downloadSize,
                    urlExpires,
                    grant,
                    grantUntil);
        });
    }

    /** The master playlist, its renditions pointing at signed API URLs of the same expiry. */
    Uni<String> master(UUID assetId, long exp, String sig) {
        verify(assetId, "master", exp, sig);
        return playlist(MediaAsset.masterPlaylistKey(assetId))
                .map(text -> rewrite(text, uri -> {
                    String rendition = uri.substring(0, uri.indexOf('/'));
                    return rendition + "/index.m3u8?exp=" + exp + "&sig=" + signer.sign(scope(assetId, rendition, exp));
                }));
    }

    /**
     * A rendition's playlist, every segment an object URL presigned until the playlist's own
     * expiry: it plays however long the learner pauses, as long as the answer is valid.
     */
    Uni<String> rendition(UUID assetId, String rendition, long exp, String sig) {
        if (!RENDITION.matcher(rendition).matches()) {
            throw invalidSignature();
        }
        verify(assetId, rendition, exp, sig);
        String base = MediaAsset.prefix(assetId) + "hls/" + rendition + "/";
        Duration lifetime = Duration.ofSeconds(Math.max(1, exp - clock.instant().getEpochSecond()));
        return playlist(base + "index.m3u8")
                .map(text -> rewrite(text, segment -> {
                    if (!SEGMENT.matcher(segment).matches()) {
                        throw new IllegalStateException("unexpected entry in a stored playlist");
                    }
                    return storage.presignGet(base + segment, lifetime);
                }));
    }

    /** A fresh presigned URL of the MP4 rendition, when the signature is valid. */
    String mp4(UUID assetId, long exp, String sig) {
        verify(assetId, "mp4", exp, sig);
        return storage.presignGet(
                MediaAsset.downloadKey(assetId), config.playback().urlLifetime());
    }

    /** A presigned poster URL, when the signed poster link is valid. */
    String poster(UUID assetId, long exp, String sig) {
        verify(assetId, "poster", exp, sig);
        return storage.presignGet(
                MediaAsset.posterKey(assetId), config.playback().urlLifetime());
    }

    private Uni<MediaAsset> readyAsset(UUID assetId) {
        return Panache.withSession(() -> assets.findById(assetId)).map(asset -> {
            if (asset == null || !MediaAsset.READY.equals(asset.status)) {
                throw new ProblemException(
                        MediaProblems.ASSET_NOT_FOUND,
                        LocalizedText.of("视频不存在或尚未就绪", "No such video, or it is not ready"));
            }
            return asset;
        });
    }

    private void verify(UUID assetId, String rendition, long exp, String sig) {
        if (exp < clock.instant().getEpochSecond() || !signer.verify(scope(assetId, rendition, exp), sig)) {
            throw invalidSignature();
        }
    }

    /** What a playlist or poster link's signature covers. */
    static String scope(UUID assetId, String rendition, long exp) {
        return "hls:" + assetId + ":" + rendition + ":" + exp;
    }

    private Uni<String> playlist(String key) {
        String cached = playlists.get(key);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return storage.readText(key)
                .invoke(text -> {
                    if (playlists.size() >= config.playback().playlistCacheSize()) {
                        playlists.clear();
                    }
                    playlists.put(key, text);
                })
                .onFailure(ObjectStorage.NotFound.class)
                .transform(missing -> new ProblemException(
                        MediaProblems.ASSET_NOT_FOUND, LocalizedText.of("播放列表不存在", "No such playlist")));
    }

    /** Replaces every URI line of a playlist (lines that are neither tags nor blank). */
    private static String rewrite(String playlist, UnaryOperator<String> uri) {
        StringBuilder out = new StringBuilder(playlist.length() * 2);
        for (String line : playlist.split("\r?\n")) {
            String trimmed = line.strip();
            out.append(trimmed.isEmpty() || trimmed.startsWith("#") ? line : uri.apply(trimmed))
                    .append('\n');
        }
        return out.toString();
    }

    private static ProblemException invalidSignature() {
        return new ProblemException(
                MediaProblems.SIGNATURE_INVALID,
                LocalizedText.of("播放链接无效或已过期，请重新获取", "The playback link is invalid or expired; fetch a new one"));
    }
}
