package cn.hongtong.statistics;

import cn.hongtong.common.Csv;
import cn.hongtong.common.Language;
import cn.hongtong.identity.CurrentUser;
import cn.hongtong.identity.Roles;
import cn.hongtong.statistics.StatsDtos.Tabular;
import cn.hongtong.statistics.StatsPlan.Grouping;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Learning statistics for analysts and admins, as JSON or, with {@code Accept: text/csv}, as CSV
 * (one row per group). Always within the caller's region scope; groups of fewer than five
 * learners are suppressed.
 */
@Path("/api/v1/stats")
@Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
@RolesAllowed({Roles.ANALYST, Roles.ADMIN})
@Tag(name = "statistics")
public class StatsResource {

    private static final String FILTERS =
            " Filters: `from`, `to` (dates, Asia/Shanghai, inclusive; default the last 30 "
                    + "days), `region` (a region code or `all`; default the caller's scope, and outside it 403), `category`, "
                    + "`course`. Groups of 1-4 learners are suppressed (measures null, `suppressed` true), with complementary "
                    + "suppression so that the total does not reveal them. `Accept: text/csv` gives CSV.";

    private final StatsService stats;
    private final CurrentUser user;

    StatsResource(StatsService stats, CurrentUser user) {
        this.stats = stats;
        this.user = user;
    }

    @GET
    @Path("/overview")
    @Operation(
            summary = "Overview of a period",
            description = "Registered learners (at the end of the period), active "
                    + "learners, watch and credited hours, lesson and course completions." + FILTERS)
    public Uni<Response> overview(@Valid @BeanParam StatsFilterParams filters, @Context HttpHeaders headers) {
        return respond(stats.overview(user, filters.params()), headers);
    }

    @GET
    @Path("/series")
    @Operation(
            summary = "Time series",
            description = "The overview's measures per day, week (from Monday) or month; "
                    + "registered learners as of each bucket's end. Daily series cover at most 366 days." + FILTERS)
    public Uni<Response> series(
            @Valid @BeanParam StatsFilterParams filters,
            @QueryParam("granularity")
                    @DefaultValue("day")
                    @Pattern(regexp = "day|week|month", message = "must be day, week or month")
                    String granularity,
            @Context HttpHeaders headers) {
        return respond(
                stats.series(user, filters.params(), Grouping.valueOf(granularity.toUpperCase(Locale.ROOT))), headers);
    }

    @GET
    @Path("/courses")
    @Operation(
            summary = "Per course",
            description = "Courses learned in the period: learners, completions, completion "
                    + "rate (completions / learners), credited hours, average credited minutes per learner; sorted by `sort` "
                    + "(learners, completions, completion-rate, credited-hours, avg-credited-minutes, watch-hours, title) and "
                    + "`order`, suppressed courses last." + FILTERS)
    public Uni<Response> courses(
            @Valid @BeanParam StatsFilterParams filters,
            @QueryParam("sort")
                    @DefaultValue("credited-hours")
                    @Pattern(
                            regexp = "learners|completions|completion-rate|"
                                    + "credited-hours|avg-credited-minutes|watch-hours|title",
                            message = "unknown sort")
                    String sort,
            @QueryParam("order") @DefaultValue("desc") @Pattern(regexp = "asc|desc", message = "must be asc or desc")
                    String order,
            @QueryParam("limit") @DefaultValue("200") @Min(1) @Max(1000) int limit,
            @Context HttpHeaders headers) {
        return respond(
                stats.courses(
                        user,
                        filters.params(),
                        StatsService.CourseSort.valueOf(
                                sort.toUpperCase(Locale.ROOT).replace('-', '_')),
                        order.equals("desc"),
                        limit),
                headers);
    }

    @GET
    @Path("/regions")
    @Operation(
            summary = "Per region",
            description = "The children of `region` (nation to provinces, province to cities, "
                    + "city to counties, county to townships, township to villages), every child listed, plus a row for learners "
                    + "registered at the region itself." + FILTERS)
    public Uni<Response> regions(@Valid @BeanParam StatsFilterParams filters, @Context HttpHeaders headers) {
        return respond(stats.regions(user, filters.params(), language(headers)), headers);
    }

    @GET
    @Path("/institutions")
    @Operation(
            summary = "Per institution",
            description = "Institutions whose learners learned (or registered), by "
                    + "credited hours, at most `limit`." + FILTERS)
    public Uni<Response> institutions(
            @Valid @BeanParam StatsFilterParams filters,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @Context HttpHeaders headers) {
        return respond(stats.institutions(user, filters.params(), limit, language(headers)), headers);
    }

    @GET
    @Path("/professions")
    @Operation(summary = "Per profession", description = "Every profession." + FILTERS)
    public Uni<Response> professions(@Valid @BeanParam StatsFilterParams filters, @Context HttpHeaders headers) {
        return respond(stats.professions(user, filters.params(), language(headers)), headers);
    }

    @GET
    @Path("/credits")
    @Operation(
            summary = "Continuing-education credit",
            description = "Per course, region, institution or profession "
                    + "(`by`; the learner's profile as at the grant or the attempt): learners credited, credits granted and their "
                    + "sum (valid credits granted in the period), learners assessed, assessment attempts finished in the period, "
                    + "passed attempts and the pass rate. Regions list every child of `region`; professions every profession. "
                    + "Groups with 1-4 learners credited or assessed are suppressed; published values are perturbed like the "
                    + "learning measures." + FILTERS)
    public Uni<Response> credits(
            @Valid @BeanParam StatsFilterParams filters,
            @QueryParam("by")
                    @DefaultValue("course")
                    @Pattern(
                            regexp = "course|region|institution|profession",
                            message = "must be course, region, institution or profession")
                    String by,
            @Context HttpHeaders headers) {
        return respond(
                stats.credits(user, filters.params(), Grouping.valueOf(by.toUpperCase(Locale.ROOT)), language(headers)),
                headers);
    }

    @GET
    @Path("/lessons/{lessonId}/retention")
    @Operation(
            summary = "Lesson retention curve",
            description = "For each percentile 1..100 of the lesson, the share of "
                    + "its viewers (learners in `region` who watched any of it, ever) whose watched intervals cover the middle of "
                    + "that percentile. Suppressed under five viewers.")
    public Uni<Response> retention(
            @PathParam("lessonId") UUID lesson,
            @QueryParam("region")
                    @Pattern(
                            regexp = StatsFilterParams.REGION,
                            message = "must be a 2, 4, 6, 9 or 12 digit region code, or all")
                    String region,
            @Context HttpHeaders headers) {
        return respond(stats.retention(user, lesson, region), headers);
    }

    private static Language language(HttpHeaders headers) {
        return Language.fromAcceptLanguage(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
    }

    /** JSON unless the caller prefers CSV. */
    private static Uni<Response> respond(Uni<? extends Tabular> answer, HttpHeaders headers) {
        boolean csv = false;
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isCompatible(MediaType.valueOf(Csv.MEDIA_TYPE)) && !type.isWildcardType()) {
                csv = true;
                break;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                break;
            }
        }
        Language language = language(headers);
        if (!csv) {
            return answer.map(
                    a -> Response.ok(a, MediaType.APPLICATION_JSON_TYPE).build());
        }
        return answer.map(a -> {
            StatsDtos.Table table = a.table();
            return Response.ok(
                            Csv.write(
                                    table.columns().stream()
                                            .map(c -> c.header(language))
                                            .toList(),
                                    table.rows()),
                            Csv.MEDIA_TYPE + "; charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"hongtong-" + table.name() + ".csv\"")
                    .build();
        });
    }
}
