package cn.hongtong.media;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.UUID;

/**
 * Image links for lists: a signed API URL that redirects to a presigned poster. The expiry is
 * rounded to the hour, so a link stays byte-for-byte the same for an hour and lists that carry
 * it keep their ETags; it needs no header, so an image tag can load it.
 */
@ApplicationScoped
public class PosterLinks {

    private static final long HOUR = 3600;

    private final Signer signer;
    private final Clock clock;

    PosterLinks(Signer signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    /** The path (from the API root) of the poster of a video, valid for one to two hours. */
    public String posterPath(UUID assetId) {
        long exp = (clock.instant().getEpochSecond() / HOUR + 2) * HOUR;
        return "/api/v1/media/" + assetId + "/poster?exp=" + exp + "&sig="
                + signer.sign(PlaybackService.scope(assetId, "poster", exp));
    }
}
