package cn.hongtong.credit;

import cn.hongtong.credit.CreditDtos.CmeIdInput;
import cn.hongtong.credit.CreditDtos.YearCredits;
import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

/** A learner's own credits, certificates and transcripts. */
@Path("/api/v1/me")
@RolesAllowed(Roles.LEARNER)
@Tag(name = "credit")
public class CreditResource {

    static final String PDF = "application/pdf";

    private final CreditService credits;
    private final CurrentUser user;

    CreditResource(CreditService credits, CurrentUser user) {
        this.credits = credits;
        this.user = user;
    }

    @GET
    @Path("/credits")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "My credits of a year against my profession's requirement",
            description = "Each credit with "
                    + "its course, project number, class, credits, hours, date (Asia/Shanghai) and verification code; the "
                    + "totals by class and as they count (each class up to its maximum); whether the year's requirement is met. "
                    + "`year` defaults to the current one.")
    public Uni<YearCredits> credits(@QueryParam("year") @Min(2000) @Max(2100) Integer year) {
        return credits.year(user, year == null ? credits.currentYear() : year);
    }

    @GET
    @Path("/credits/{id}/certificate")
    @Produces(PDF)
    @Operation(
            summary = "The certificate of one of my credits (PDF)",
            description = "Name, institution, course, project "
                    + "number, class, credits, hours, date, the verification code and a QR code of the verification page. "
                    + "Needs the name in my profile; not issued for a revoked credit.")
    public Uni<Response> certificate(@PathParam("id") UUID id) {
        return credits.certificate(user, id).map(pdf -> pdf(pdf, "certificate-" + id + ".pdf"));
    }

    @GET
    @Path("/transcripts/{year}")
    @Produces(PDF)
    @Operation(summary = "My transcript of a year (PDF)")
    public Uni<Response> transcript(@PathParam("year") @Min(2000) @Max(2100) int year) {
        return credits.transcript(user, year).map(pdf -> pdf(pdf, "transcript-" + year + ".pdf"));
    }

    @PUT
    @Path("/cme-id")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(
            summary = "Set the number my provincial CME office knows me by",
            description = "Printed in the export a "
                    + "project sends to the office when the deployment is configured so (hongtong.credit.export.learner-id=cme-id). "
                    + "Empty clears it. Erased with the account.")
    public Uni<Response> cmeId(@Valid @NotNull CmeIdInput input) {
        return credits.setCmeId(user, input.cmeId())
                .map(v -> Response.noContent().build());
    }

    private static Response pdf(byte[] pdf, String name) {
        return Response.ok(pdf, PDF)
                .header("Content-Disposition", "inline; filename=\"" + name + "\"")
                .header("Cache-Control", "private, no-store")
                .build();
    }
}
