package cn.hongtong.catalog;

import cn.hongtong.catalog.CatalogDtos.CategoryView;
import cn.hongtong.common.ConditionalGet;
import cn.hongtong.identity.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The published catalog, as learners browse it. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.LEARNER, Roles.COURSE_ADMIN, Roles.ANALYST, Roles.ADMIN})
@Tag(name = "catalog", description = "Published courses and their lessons")
public class CourseResource {

    private final CatalogService catalog;
    private final ConditionalGet conditional;
    private final CatalogAnswers answers;

    CourseResource(CatalogService catalog, ConditionalGet conditional, CatalogAnswers answers) {
        this.answers = answers;
        this.catalog = catalog;
        this.conditional = conditional;
    }

    @GET
    @Path("/categories")
    @Operation(summary = "Professional fields")
    public Uni<List<CategoryView>> categories() {
        return catalog.categories();
    }

    @GET
    @Path("/courses")
    @Operation(
            summary = "Published courses",
            description = "Newest first; `q` finds any substring of title or "
                    + "summary; follow `nextCursor` with `cursor`. Answers carry an ETag: send it as If-None-Match to get "
                    + "304 when nothing changed.")
    public Uni<Response> courses(
            @QueryParam("category") @Size(max = 40) @Pattern(regexp = "[a-z][a-z0-9-]*") String category,
            @QueryParam("creditClass") @Pattern(regexp = "I|II|none", message = "must be I, II or none")
                    String creditClass,
            @QueryParam("q") @Size(min = 1, max = 50) String q,
            @QueryParam("cursor") @Size(max = 200) String cursor,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        String text = q == null || q.isBlank() ? null : q.strip();
        CourseRepository.Filter filter = new CourseRepository.Filter(category, creditClass, text);
        if (text != null) {
            // Searches are not kept: each text is another answer, rarely asked twice.
            return catalog.published(filter, cursor, limit).map(page -> conditional.respond(page, ifNoneMatch));
        }
        // NUL separates the parts and SOH stands for an absent one: no query string can forge another's key.
        String key = String.join(
                "\u0000",
                "list",
                Objects.toString(category, "\u0001"),
                Objects.toString(creditClass, "\u0001"),
                Objects.toString(cursor, "\u0001"),
                Integer.toString(limit));
        return answers.get(key, () -> catalog.published(filter, cursor, limit))
                .map(answer -> conditional.respond(answer, ifNoneMatch));
    }

    @GET
    @Path("/courses/{id}")
    @Operation(summary = "A published course with its lessons")
    public Uni<Response> course(@PathParam("id") UUID id, @HeaderParam("If-None-Match") String ifNoneMatch) {
        return answers.get("course\u0000" + id, () -> catalog.publishedCourse(id))
                .map(answer -> conditional.respond(answer, ifNoneMatch));
    }
}
