package cn.hongtong.audit;

import cn.hongtong.audit.AuditResource.AuditEntry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The audit trail's SQL. An event is written in the transaction of the change it records: on the
 * caller's SQL connection when the feature writes with SQL, otherwise in the current Hibernate
 * Reactive transaction (features that write through Panache).
 */
@ApplicationScoped
class AuditStore {

    /** An event to write: who did what to which object, {@code detail} as JSON text. */
    record NewEvent(
            Instant at, String subject, String username, String action, String type, String target, String detail) {}

    /** Which events to read: all filters optional, {@code before} an id (keyset paging). */
    record Filter(String targetType, String targetId, String actor, Long before, int limit) {}

    private static final String INSERT =
            "INSERT INTO audit_event (at, actor_subject, actor_username, action, target_type, target_id, detail) ";

    private final Pool pool;
    private final ObjectMapper mapper;

    AuditStore(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    Uni<Void> insert(SqlConnection conn, NewEvent e) {
        if (conn != null) {
            return conn.preparedQuery(INSERT + "VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb)")
                    .execute(Tuple.from(new Object[] {
                        utc(e.at()), e.subject(), e.username(), e.action(), e.type(), e.target(), e.detail()
                    }))
                    .replaceWithVoid();
        }
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(INSERT
                                + "VALUES (:at, :subject, CAST(:username AS varchar), :action, :type, :target, "
                                + "CAST(CAST(:detail AS text) AS jsonb))")
                        .setParameter("at", utc(e.at()))
                        .setParameter("subject", e.subject())
                        .setParameter("username", e.username())
                        .setParameter("action", e.action())
                        .setParameter("type", e.type())
                        .setParameter("target", e.target())
                        .setParameter("detail", e.detail())
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Newest first, at most {@code limit}. */
    Uni<List<AuditEntry>> read(Filter f) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("WHERE true");
        if (f.targetType() != null) {
            params.add(f.targetType());
            where.append(" AND target_type = $").append(params.size());
        }
        if (f.targetId() != null) {
            params.add(f.targetId());
            where.append(" AND target_id = $").append(params.size());
        }
        if (f.actor() != null) {
            params.add(f.actor());
            where.append(" AND actor_subject = $").append(params.size());
        }
        if (f.before() != null) {
            params.add(f.before());
            where.append(" AND id < $").append(params.size());
        }
        params.add(f.limit());
        String sql =
                "SELECT id, at, actor_subject, actor_username, action, target_type, target_id, detail::text AS detail "
                        + "FROM audit_event " + where + " ORDER BY id DESC LIMIT $" + params.size();
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
            List<AuditEntry> events = new ArrayList<>();
            for (Row row : rows) {
                events.add(new AuditEntry(
                        row.getLong("id"),
                        row.getOffsetDateTime("at").toInstant(),
                        row.getString("actor_subject"),
                        row.getString("actor_username"),
                        row.getString("action"),
                        row.getString("target_type"),
                        row.getString("target_id"),
                        detail(row.getString("detail"))));
            }
            return events;
        });
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> detail(String json) {
        try {
            return mapper.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
