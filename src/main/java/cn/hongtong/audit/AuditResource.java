package cn.hongtong.audit;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.identity.Roles;
import io.smallrye.mutiny.Uni;
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

    private final AuditLog audit;

    AuditResource(AuditLog audit) {
        this.audit = audit;
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
        return audit.read(targetType, targetId, actor, cursor == null ? null : Long.valueOf(cursor), limit);
    }
}
