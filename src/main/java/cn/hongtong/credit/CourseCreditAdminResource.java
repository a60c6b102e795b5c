package cn.hongtong.credit;

import cn.hongtong.credit.CreditDtos.AdminAssessment;
import cn.hongtong.credit.CreditDtos.AdminQuestion;
import cn.hongtong.credit.CreditDtos.AssessmentSettings;
import cn.hongtong.credit.CreditDtos.CourseProject;
import cn.hongtong.credit.CreditDtos.CourseProjectInput;
import cn.hongtong.credit.CreditDtos.QuestionInput;
import cn.hongtong.credit.CreditDtos.QuestionRemoval;
import cn.hongtong.identity.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

/** A course's continuing-education side, for course admins: its project, its assessment and question bank. */
@Path("/api/v1/admin/courses/{id}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.COURSE_ADMIN, Roles.ADMIN})
@Tag(name = "credit admin")
public class CourseCreditAdminResource {

    private final ProjectService projects;
    private final QuestionBank bank;

    CourseCreditAdminResource(ProjectService projects, QuestionBank bank) {
        this.projects = projects;
        this.bank = bank;
    }

    @GET
    @Path("/cme-project")
    @Operation(summary = "The project a course belongs to (null: none)")
    public Uni<CourseProject> project(@PathParam("id") UUID id) {
        return projects.ofCourse(id);
    }

    @PUT
    @Path("/cme-project")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(
            summary = "Put a course in a project, or out of any (projectId null)",
            description =
                    "The course's "
                            + "credit class becomes the project's. Completing it (and passing its assessment) then grants credits.")
    public Uni<CourseProject> setProject(@PathParam("id") UUID id, @Valid @NotNull CourseProjectInput input) {
        return projects.assign(id, input.projectId());
    }

    @GET
    @Path("/assessment")
    @Operation(summary = "The assessment: settings (null: none) and the whole question bank, with answers")
    public Uni<AdminAssessment> assessment(@PathParam("id") UUID id) {
        return bank.get(id);
    }

    @PUT
    @Path("/assessment")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(
            summary = "Give a course an assessment, or change its settings",
            description = "Questions per attempt, "
                    + "pass mark (percent of questions right), attempt limit, cool-down after a failed attempt (minutes), time "
                    + "limit (seconds, optional). From then on the course's credit needs a passed attempt.")
    public Uni<AdminAssessment> putAssessment(@PathParam("id") UUID id, @Valid @NotNull AssessmentSettings settings) {
        return bank.putSettings(id, settings);
    }

    @POST
    @Path("/assessment/questions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(
            summary = "Add a question",
            description = "Single or multiple choice; options with ids a-h; the correct "
                    + "option ids; an explanation shown after submission.")
    public Uni<Response> addQuestion(@PathParam("id") UUID id, @Valid @NotNull QuestionInput input) {
        return bank.add(id, input)
                .map(q -> Response.created(
                                URI.create("/api/v1/admin/courses/" + id + "/assessment/questions/" + q.id()))
                        .entity(q)
                        .build());
    }

    @PUT
    @Path("/assessment/questions/{questionId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(summary = "Edit a question", description = "Attempts already under way keep the paper they drew.")
    public Uni<AdminQuestion> editQuestion(
            @PathParam("id") UUID id, @PathParam("questionId") UUID questionId, @Valid @NotNull QuestionInput input) {
        return bank.edit(id, questionId, input);
    }

    @DELETE
    @Path("/assessment/questions/{questionId}")
    @Cancellable(false)
    @Operation(
            summary = "Remove a question",
            description = "Deleted when no attempt ever drew it; otherwise retired "
                    + "(kept, never drawn again). The answer says which.")
    public Uni<QuestionRemoval> removeQuestion(@PathParam("id") UUID id, @PathParam("questionId") UUID questionId) {
        return bank.remove(id, questionId);
    }
}
