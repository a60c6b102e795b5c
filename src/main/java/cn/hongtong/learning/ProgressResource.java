package cn.hongtong.learning;

import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The learner's own hours: what the continuing-education credit rests on. */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.LEARNER)
@Tag(name = "learning")
public class ProgressResource {

    private final ProgressService progress;
    private final CurrentUser currentUser;

    ProgressResource(ProgressService progress, CurrentUser currentUser) {
        this.progress = progress;
        this.currentUser = currentUser;
    }

    @GET
    @Path("/progress")
    @Operation(
            summary = "My hours and courses",
            description = "Credited and watch hours today, this month and "
                    + "this year (days in Asia/Shanghai); courses in progress and completed. Reflects heartbeats once flushed "
                    + "(normally within a second).")
    public Uni<ProgressService.Progress> progress() {
        return progress.progress(currentUser);
    }

    @GET
    @Path("/ledger")
    @Operation(summary = "My hours per day and lesson", description = "From `from` to `to` (dates, at most a year).")
    public Uni<List<ProgressService.LedgerDay>> ledger(
            @QueryParam("from") @NotNull LocalDate from, @QueryParam("to") @NotNull LocalDate to) {
        return progress.ledger(currentUser, from, to);
    }
}
