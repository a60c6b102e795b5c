package cn.hongtong.audit;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.identity.Roles;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit trail, for admins: newest first, filtered by object or actor, in keyset pages. */
@Path("/api/v1/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "admin", description = "Administration")
public class AuditResource {

    private final Pool pool;
    private final ObjectMapper mapper;

    AuditResource(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /** One recorded action. */
    public record AuditEntry(
            long id,
            Instant at,
            String actorSubject,
            String actorUsername,
            String action,
            String targetType,
            String targetId,
            Map<String, Object> detail) {}

    public record AuditPage(List<AuditEntry> items, String nextCursor) {}

    @GET
    @Operation(
            summary = "Read the audit trail",
            description = "Staff actions (course and lesson changes, uploads), "
                    + "newest first; filter by targetType and targetId, or by actor (Keycloak subject); pages of limit "
                    + "(1 to 200) following nextCursor.")
    public Uni<AuditPage> list(
            @QueryParam("targetType") @Pattern(regexp = "[a-z-]{1,32}") String targetType,
            @QueryParam("targetId") @Size(max = 64) String targetId,
            @QueryParam("actor") @Size(max = 64) String actor,
            @QueryParam("cursor") @Pattern(regexp = "[0-9]{1,19}") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        if (targetId != null && targetType == null) {
            throw ProblemException.invalidField(
                    "targetType", LocalizedText.of("按对象筛选时需同时给出对象类型", "targetId needs targetType"));
        }
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("WHERE true");
        if (targetType != null) {
            params.add(targetType);
            where.append(" AND target_type = $").append(params.size());
        }
        if (targetId != null) {
            params.add(targetId);
            where.append(" AND target_id = $").append(params.size());
        }
        if (actor != null) {
            params.add(actor);
            where.append(" AND actor_subject = $").append(params.size());
        }
        if (cursor != null) {
            params.add(Long.parseLong(cursor));
            where.append(" AND id < $").append(params.size());
        }
        params.add(limit + 1);
        String sql =
                "SELECT id, at, actor_subject, actor_username, action, target_type, target_id, detail::text AS detail "
                        + "FROM audit_event " + where + " ORDER BY id DESC LIMIT $" + params.size();
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
            List<AuditEntry> items = new ArrayList<>();
            for (Row row : rows) {
                items.add(new AuditEntry(
                        row.getLong("id"),
                        row.getOffsetDateTime("at").toInstant(),
                        row.getString("actor_subject"),
                        row.getString("actor_username"),
                        row.getString("action"),
                        row.getString("target_type"),
                        row.getString("target_id"),
                        detail(row.getString("detail"))));
            }
            String next = null;
            if (items.size() > limit) {
                items = new ArrayList<>(items.subList(0, limit));
                next = Long.toString(items.get(limit - 1).id());
            }
            return new AuditPage(items, next);
        });
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> detail(String json) {
        try {
            return mapper.readValue(json, Map.class);
        } catch (Exception e) {
            return Map.of();
        }
    }
}
