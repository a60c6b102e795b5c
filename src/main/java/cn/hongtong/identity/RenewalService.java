package cn.hongtong.identity;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The app's renewal handles: opaque, random, stored only as a hash, single use, expiring.
 * Presenting a used handle again revokes its whole family: someone holds a copy.
 */
@ApplicationScoped
class RenewalService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RenewalHandleRepository handles;
    private final LearnerRepository learners;
    private final IdentityConfig config;
    private final Clock clock;

    RenewalService(RenewalHandleRepository handles, LearnerRepository learners, IdentityConfig config, Clock clock) {
        this.handles = handles;
        this.learners = learners;
        this.config = config;
        this.clock = clock;
    }

    /** A handle the caller holds, and the time it expires. */
    record Issued(String handle, long expiresIn) {}

    /** What a presented handle stands for, when it may be redeemed. */
    record Redeemable(UUID handleId, UUID familyId, UUID learnerId, String unionid, boolean profileComplete) {}

    /** Starts a new family (a login). */
    @WithTransaction
    Uni<Issued> issue(UUID learnerId) {
        return insert(learnerId, UUID.randomUUID());
    }

    /**
     * Checks a presented handle. Unknown, expired and revoked handles give null; a used one
     * revokes its family and gives null.
     */
    @WithTransaction
    Uni<Redeemable> check(String handle) {
        Instant now = clock.instant();
        return handles.findByHash(hash(handle)).chain(found -> {
            if (found == null || found.revokedAt != null || !found.expiresAt.isAfter(now)) {
                return Uni.createFrom().nullItem();
            }
            if (found.usedAt != null) {
                return handles.revokeFamily(found.familyId, now).replaceWith((Redeemable) null);
            }
            return learners.findById(found.learnerId)
                    .map(learner -> learner == null || learner.unionid == null
                            ? null
                            : new Redeemable(
                                    found.id, found.familyId, learner.id, learner.unionid, learner.profileComplete()));
        });
    }

    /**
     * Uses the handle and issues its successor in the same family; null when it was used
     * meanwhile (then the family is revoked).
     */
    @WithTransaction
    Uni<Issued> rotate(Redeemable redeemable) {
        Instant now = clock.instant();
        return handles.markUsed(redeemable.handleId(), now)
                .chain(updated -> updated == 1
                        ? insert(redeemable.learnerId(), redeemable.familyId())
                        : handles.revokeFamily(redeemable.familyId(), now).replaceWith((Issued) null));
    }

    /** Revokes the family of a handle; unknown handles are ignored (logout is idempotent). */
    @WithTransaction
    Uni<Void> revoke(String handle) {
        return handles.findByHash(hash(handle))
                .chain(found -> found == null
                        ? Uni.createFrom().voidItem()
                        : handles.revokeFamily(found.familyId, clock.instant()).replaceWithVoid());
    }

    private Uni<Issued> insert(UUID learnerId, UUID familyId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String handle = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        RenewalHandle row = new RenewalHandle();
        row.id = UUID.randomUUID();
        row.familyId = familyId;
        row.learnerId = learnerId;
        row.tokenHash = hash(handle);
        row.createdAt = now;
        row.expiresAt = now.plus(config.renewal().lifetime());
        return handles.persist(row)
                .replaceWith(new Issued(handle, config.renewal().lifetime().toSeconds()));
    }

    static byte[] hash(String handle) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(handle.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
