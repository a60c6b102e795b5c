package cn.hongtong.testsupport;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Exists only in the test application: a JSON endpoint with validation and one that fails
 * unexpectedly, to prove the error model on every way a request can go wrong.
 */
@Path("/test-support/probe")
@PermitAll
public class ProblemProbeResource {

    public record Sample(
            @NotBlank @Size(max = 20) String name,
            @NotNull @Min(0) @Max(100) Integer score,
            @Size(max = 3) List<@NotNull @Min(0) Integer> values) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Sample echo(@Valid @NotNull Sample sample) {
        return sample;
    }

    @GET
    @Path("/page")
    @Produces(MediaType.APPLICATION_JSON)
    public int page(@QueryParam("limit") @Min(1) @Max(100) int limit) {
        return limit;
    }

    @GET
    @Path("/boom")
    @Produces(MediaType.APPLICATION_JSON)
    public String boom() {
        throw new IllegalStateException("secret internal detail of cn.hongtong.SomeClass");
    }
}
