package cn.hongtong.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Arc;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

    private final CurrentIdentityAssociation identities;
    private final ObjectMapper mapper;
    private final Clock clock;

    AuditLog(CurrentIdentityAssociation identities, ObjectMapper mapper, Clock clock) {
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
        OffsetDateTime at = clock.instant().atOffset(ZoneOffset.UTC);
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
            if (conn != null) {
                return conn.preparedQuery(
                                "INSERT INTO audit_event (at, actor_subject, actor_username, action, target_type, "
                                        + "target_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb)")
                        .execute(Tuple.from(
                                new Object[] {at, subject, username, action, targetType, String.valueOf(targetId), json
                                }))
                        .replaceWithVoid();
            }
            return insert(at, subject, username, action, targetType, targetId, json);
        });
    }

    private Uni<Void> insert(
            OffsetDateTime at,
            String subject,
            String username,
            String action,
            String targetType,
            Object targetId,
            String json) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "INSERT INTO audit_event (at, actor_subject, actor_username, action, target_type, target_id, detail) "
                                        + "VALUES (:at, :subject, CAST(:username AS varchar), :action, :type, :target, CAST(CAST(:detail AS text) AS jsonb))")
                        .setParameter("at", at)
                        .setParameter("subject", subject)
                        .setParameter("username", username)
                        .setParameter("action", action)
                        .setParameter("type", targetType)
                        .setParameter("target", String.valueOf(targetId))
                        .setParameter("detail", json)
                        .executeUpdate())
                .replaceWithVoid();
    }
}
