package cn.hongtong.audit;

import cn.hongtong.common.Slice;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Arc;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Records a staff action in the audit trail, in the current Hibernate Reactive transaction: call
 * it inside the {@code @WithTransaction} method that makes the change, so that the record and the
 * change commit or roll back together. The actor is the caller of the current request.
 */
@ApplicationScoped
public class AuditLog {

    /** The actor of what no request asked for. */
    static final String SYSTEM = "system";

    private final AuditStore store;
    private final CurrentIdentityAssociation identities;
    private final ObjectMapper mapper;
    private final Clock clock;

    AuditLog(AuditStore store, CurrentIdentityAssociation identities, ObjectMapper mapper, Clock clock) {
        this.store = store;
        this.identities = identities;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * @param action what was done, {@code <object>.<verb>} ({@code course.published})
     * @param targetType the kind of object ({@code course}, {@code lesson}, {@code media})
     * @param targetId its id
     * @param detail what changed, as small JSON (never a secret or a learner's identifier)
     */
    public Uni<Void> record(String action, String targetType, Object targetId, Map<String, ?> detail) {
        return record(null, action, targetType, targetId, detail);
    }

    /**
     * The same, in the transaction of {@code conn} (a Vert.x SQL connection of a feature that
     * writes with SQL), or in the current Hibernate Reactive transaction when it is null.
     */
    public Uni<Void> record(
            SqlConnection conn, String action, String targetType, Object targetId, Map<String, ?> detail) {
        String json;
        try {
            json = mapper.writeValueAsString(detail == null ? Map.of() : detail);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("audit detail is not serialisable", e));
        }
        // Outside a request (the dev profile's demo seeder, jobs) the actor is the system itself.
        // The identity is asked for without blocking: callers run on an event loop.
        Uni<SecurityIdentity> caller = Arc.container().requestContext().isActive()
                ? identities.getDeferredIdentity()
                : Uni.createFrom().nullItem();
        Instant at = clock.instant();
        return caller.chain(identity -> {
            String subject = SYSTEM;
            String username = SYSTEM;
            if (identity != null
                    && !identity.isAnonymous()
                    && identity.getPrincipal() instanceof JsonWebToken token
                    && token.getSubject() != null) {
                subject = token.getSubject();
                username = token.getClaim("preferred_username");
            }
            return store.insert(
                    conn,
                    new AuditStore.NewEvent(at, subject, username, action, targetType, String.valueOf(targetId), json));
        });
    }

    /** A page of the trail, newest first: {@code limit} events and the cursor of the next page. */
    Uni<AuditResource.AuditPage> read(String targetType, String targetId, String actor, Long before, int limit) {
        return store.read(new AuditStore.Filter(targetType, targetId, actor, before, limit + 1))
                .map(events -> Slice.of(events, limit))
                .map(page ->
                        new AuditResource.AuditPage(page.items(), page.nextCursor(last -> Long.toString(last.id()))));
    }
}
