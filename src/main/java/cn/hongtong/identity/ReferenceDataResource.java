package cn.hongtong.identity;

import cn.hongtong.identity.IdentityDtos.InstitutionPage;
import cn.hongtong.identity.IdentityDtos.RegionDetail;
import cn.hongtong.identity.IdentityDtos.RegionView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Administrative regions and institutions, for profiles and for analysts' filters. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.LEARNER, Roles.COURSE_ADMIN, Roles.ANALYST, Roles.ADMIN})
@Tag(name = "reference", description = "Regions and institutions")
public class ReferenceDataResource {

    private final ReferenceDataService service;

    ReferenceDataResource(ReferenceDataService service) {
        this.service = service;
    }

    @GET
    @Path("/regions")
    @Operation(
            summary = "Child regions",
            description = "The children of region `parent` "
                    + "(province 2, city 4, county 6, township 9 digits), or the provinces without it.")
    public Uni<List<RegionView>> regions(
            @QueryParam("parent")
                    @Pattern(
                            regexp = "[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}",
                            message = "must be a 2, 4, 6 or 9 digit region code")
                    String parent) {
        return service.children(parent);
    }

    @GET
    @Path("/regions/{code}")
    @Operation(summary = "One region with its path from the province")
    public Uni<RegionDetail> region(
            @PathParam("code")
                    @Pattern(
                            regexp = IdentityDtos.REGION_CODE,
                            message = "must be a 2, 4, 6, 9 or 12 digit region code")
                    String code) {
        return service.region(code);
    }

    @GET
    @Path("/institutions")
    @Operation(
            summary = "Institutions in a region",
            description = "Institutions in region `region` and below it, "
                    + "optionally whose name contains `q`, in id order; follow `nextCursor` with `after`.")
    public Uni<InstitutionPage> institutions(
            @QueryParam("region")
                    @NotNull
                    @Pattern(
                            regexp = IdentityDtos.REGION_CODE,
                            message = "must be a 2, 4, 6, 9 or 12 digit region code")
                    String region,
            @QueryParam("q") @Size(min = 1, max = 50) String q,
            @QueryParam("after") @Size(max = 20) String after,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return service.institutions(region, q, after, limit);
    }
}
