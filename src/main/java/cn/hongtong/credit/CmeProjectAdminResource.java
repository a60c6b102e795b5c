package cn.hongtong.credit;

import cn.hongtong.common.Csv;
import cn.hongtong.credit.CreditDtos.Project;
import cn.hongtong.credit.CreditDtos.ProjectInput;
import cn.hongtong.credit.CreditDtos.ProjectList;
import cn.hongtong.identity.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.LocalDate;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

/** Accredited continuing-education projects, and the export a provincial CME office takes. */
@Path("/api/v1/admin/cme-projects")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.COURSE_ADMIN, Roles.ADMIN})
@Tag(name = "credit admin", description = "CME projects, assessments, revocations and exports")
public class CmeProjectAdminResource {

    private final ProjectService projects;
    private final CreditService credits;

    CmeProjectAdminResource(ProjectService projects, CreditService credits) {
        this.projects = projects;
        this.credits = credits;
    }

    @GET
    @Operation(summary = "All projects, latest validity first")
    public Uni<ProjectList> list() {
        return projects.list();
    }

    @GET
    @Path("/{id}")
    public Uni<Project> get(@PathParam("id") UUID id) {
        return projects.get(id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(
            summary = "Register a project",
            description =
                    "Project number (unique), name, level (national or "
                            + "provincial), class (I or II), the credits one learner may earn from it, the issuing body and the validity.")
    public Uni<Response> create(@Valid @NotNull ProjectInput input) {
        return projects.create(input)
                .map(p -> Response.created(URI.create("/api/v1/admin/cme-projects/" + p.id()))
                        .entity(p)
                        .build());
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(summary = "Edit a project", description = "Credits already granted keep what they were granted.")
    public Uni<Project> update(@PathParam("id") UUID id, @Valid @NotNull ProjectInput input) {
        return projects.update(id, input);
    }

    @GET
    @Path("/{id}/credits.csv")
    @Produces(Csv.MEDIA_TYPE)
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Granted credits of a project, for the provincial CME office",
            description = "CSV (UTF-8 with "
                    + "a byte order mark): project number, project name, name, the learner's identifier as configured "
                    + "(hongtong.credit.export.learner-id), class, credits, date granted, course, hours. Revoked credits are left "
                    + "out. `from` and `to` (dates granted, inclusive) default to the current year.")
    public Uni<Response> export(
            @PathParam("id") UUID id, @QueryParam("from") LocalDate from, @QueryParam("to") LocalDate to) {
        int year = credits.currentYear();
        LocalDate start = from == null ? LocalDate.of(year, 1, 1) : from;
        LocalDate end = to == null ? LocalDate.of(year, 12, 31) : to;
        return credits.export(id, start, end)
                .map(csv -> Response.ok(csv, Csv.MEDIA_TYPE + "; charset=UTF-8")
                        .header(
                                "Content-Disposition",
                                "attachment; filename=\"cme-credits-" + start + "-" + end + ".csv\"")
                        .build());
    }
}
