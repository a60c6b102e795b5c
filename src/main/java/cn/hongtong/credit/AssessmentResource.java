package cn.hongtong.credit;

import cn.hongtong.credit.CreditDtos.AssessmentStatus;
import cn.hongtong.credit.CreditDtos.Attempt;
import cn.hongtong.credit.CreditDtos.StartAttempt;
import cn.hongtong.credit.CreditDtos.Submission;
import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

/**
 * A learner takes a course's assessment: see where they stand, start an attempt (a client-chosen
 * id makes a retried start safe), read it again (to resume after a lost connection), submit.
 */
@Path("/api/v1/me/courses/{courseId}/assessment")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.LEARNER)
@Tag(name = "credit", description = "Assessments, credits, certificates")
public class AssessmentResource {

    private final AssessmentService assessments;
    private final CurrentUser user;

    AssessmentResource(AssessmentService assessments, CurrentUser user) {
        this.assessments = assessments;
        this.user = user;
    }

    @GET
    @Operation(
            summary = "My standing in a course's assessment",
            description = "Whether the course has one, whether it "
                    + "is open to me (course complete), attempts used and left, when the next may start, the open attempt to "
                    + "resume, whether I passed, and the credit granted.")
    public Uni<AssessmentStatus> status(@PathParam("courseId") UUID courseId) {
        return assessments.status(user, courseId);
    }

    @POST
    @Path("/attempts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(
            summary = "Start an attempt",
            description = "Draws the questions (options shuffled, never their answers). "
                    + "Sending the same attemptId again answers the same attempt. Refused before the course is complete "
                    + "(assessment-locked), while another attempt is open, after passing, beyond the attempt limit and during "
                    + "the cool-down (429 with Retry-After).")
    public Uni<Attempt> start(@PathParam("courseId") UUID courseId, @Valid @NotNull StartAttempt body) {
        return assessments.start(user, courseId, body.attemptId());
    }

    @POST
    @Path("/credit")
    @Cancellable(false)
    @Operation(
            summary = "Claim the course's credit",
            description = "Grants the credit if it is earned and not yet "
                    + "granted (normally it is granted by itself, on completion or on passing; a course that joined a project after "
                    + "the learner completed it is credited this way), and answers it; 409 credit-not-earned otherwise. Safe to "
                    + "repeat: a course is credited once.")
    public Uni<CreditDtos.Credit> claim(@PathParam("courseId") UUID courseId) {
        return assessments.claim(user, courseId);
    }

    @GET
    @Path("/attempts/{attemptId}")
    @Operation(summary = "An attempt: its questions while open, its graded review once submitted or expired")
    public Uni<Attempt> attempt(@PathParam("courseId") UUID courseId, @PathParam("attemptId") UUID attemptId) {
        return assessments.get(user, courseId, attemptId);
    }

    @POST
    @Path("/attempts/{attemptId}/submission")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(
            summary = "Submit the answers",
            description =
                    "Graded on the server: a question is right when exactly "
                            + "its correct options are chosen. Sending the same answers again answers the same result; other answers "
                            + "to a submitted attempt are refused. After the time limit (server time) the answers are refused "
                            + "(assessment-time-over) and the attempt counts as failed. A pass grants the course's credit at once.")
    public Uni<Attempt> submit(
            @PathParam("courseId") UUID courseId,
            @PathParam("attemptId") UUID attemptId,
            @Valid @NotNull Submission submission) {
        return assessments.submit(user, courseId, attemptId, submission);
    }
}
