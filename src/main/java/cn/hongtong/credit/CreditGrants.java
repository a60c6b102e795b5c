package cn.hongtong.credit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * Grants credits, in the caller's transaction, to (learner, course) pairs that have just become
 * creditable: the flusher calls it with the courses a batch completed, the assessment with the
 * course an attempt passed. The rules live in one place, {@code credit_grant_issue} (migration
 * V20): complete, assessment passed if there is one, project valid today, within the project's
 * credits, never twice.
 */
@ApplicationScoped
public class CreditGrants {

    /** A credit just granted. */
    public record Granted(UUID id, UUID learner, UUID course, BigDecimal credits) {}

    private final BigDecimal hoursNational;
    private final BigDecimal hoursProvincial;
    private final ZoneId zone;
    private final Clock clock;

    @Inject
    CreditGrants(CreditConfig config, Clock clock) {
        this(config.hoursPerCredit().national(), config.hoursPerCredit().provincial(), config.zone(), clock);
    }

    /** Outside CDI (tests that drive the flusher's writer on their own pool). */
    public CreditGrants(BigDecimal hoursNational, BigDecimal hoursProvincial, ZoneId zone, Clock clock) {
        this.hoursNational = hoursNational;
        this.hoursProvincial = hoursProvincial;
        this.zone = zone;
        this.clock = clock;
    }

    /** The date a grant made now carries. */
    LocalDate today() {
        return LocalDate.now(clock.withZone(zone));
    }

    public Uni<List<Granted>> issue(SqlConnection conn, List<UUID> learners, List<UUID> courses) {
        if (learners.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return CreditStore.issueGrants(conn, learners, courses, today(), hoursNational, hoursProvincial);
    }
}
