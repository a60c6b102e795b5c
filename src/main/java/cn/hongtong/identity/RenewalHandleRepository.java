package cn.hongtong.identity;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

@ApplicationScoped
class RenewalHandleRepository implements PanacheRepositoryBase<RenewalHandle, UUID> {

    Uni<RenewalHandle> findByHash(byte[] hash) {
        return find("tokenHash", hash).firstResult();
    }

    /**
     * Marks the handle used if it still may be: 1 when this call used it, 0 when it was used,
     * revoked or expired meanwhile (a concurrent renewal, or a replay).
     */
    Uni<Integer> markUsed(UUID id, Instant now) {
        return update(
                "usedAt = :now where id = :id and usedAt is null and revokedAt is null and expiresAt > :now",
                Parameters.with("now", now).and("id", id));
    }

    Uni<Integer> revokeFamily(UUID familyId, Instant now) {
        return update(
                "revokedAt = :now where familyId = :family and revokedAt is null",
                Parameters.with("now", now).and("family", familyId));
    }
}
