package cn.hongtong.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Offline download grants: a signed, expiring statement that a learner may watch a lesson's
 * download rendition offline. The app keeps it and presents it when it syncs offline plays.
 */
@ApplicationScoped
public class DownloadGrants {

    private final Signer signer;
    private final ObjectMapper mapper;

    DownloadGrants(Signer signer, ObjectMapper mapper) {
        this.signer = signer;
        this.mapper = mapper;
    }

    /** What a grant states. */
    public record Grant(UUID learnerId, UUID lessonId, UUID assetId, Instant validFrom, Instant validUntil) {}

    private record Claims(int v, UUID lrn, UUID les, UUID ast, long nbf, long exp) {}

    String issue(Grant grant) {
        try {
            byte[] json = mapper.writeValueAsBytes(new Claims(
                    1,
                    grant.learnerId(),
                    grant.lessonId(),
                    grant.assetId(),
                    grant.validFrom().getEpochSecond(),
                    grant.validUntil().getEpochSecond()));
            String body = Base64.getUrlEncoder().withoutPadding().encodeToString(json);
            return body + "." + signer.sign("grant:" + body);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a download grant", e);
        }
    }

    /**
     * The grant's statement when its signature holds; empty for anything forged, altered or
     * malformed. Validity in time is the caller's to judge against the plays it covers.
     */
    public Optional<Grant> verify(String token) {
        if (token == null || token.length() > 1024) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || !signer.verify("grant:" + token.substring(0, dot), token.substring(dot + 1))) {
            return Optional.empty();
        }
        try {
            Claims c = mapper.readValue(Base64.getUrlDecoder().decode(token.substring(0, dot)), Claims.class);
            if (c.v() != 1 || c.lrn() == null || c.les() == null || c.ast() == null) {
                return Optional.empty();
            }
            return Optional.of(new Grant(
                    c.lrn(), c.les(), c.ast(), Instant.ofEpochSecond(c.nbf()), Instant.ofEpochSecond(c.exp())));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
