package cn.hongtong.catalog;

import cn.hongtong.catalog.CatalogDtos.AdminCourse;
import cn.hongtong.catalog.CatalogDtos.AdminCoursePage;
import cn.hongtong.catalog.CatalogDtos.CourseInput;
import cn.hongtong.catalog.CatalogDtos.LessonInput;
import cn.hongtong.catalog.CatalogDtos.LessonOrder;
import cn.hongtong.identity.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

/** Course admins create, edit, order, publish and archive courses. */
@Path("/api/v1/admin/courses")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.COURSE_ADMIN, Roles.ADMIN})
@Tag(name = "catalog admin", description = "Creating and publishing courses")
public class CourseAdminResource {

    private final CatalogService catalog;

    CourseAdminResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GET
    @Operation(summary = "All courses, any status, newest first")
    public Uni<AdminCoursePage> list(
            @QueryParam("status") @Pattern(regexp = "draft|published|archived") String status,
            @QueryParam("cursor") @Size(max = 200) String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return catalog.forAdmin(status, cursor, limit);
    }

    @GET
    @Path("/{id}")
    public Uni<AdminCourse> get(@PathParam("id") UUID id) {
        return catalog.adminCourse(id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(summary = "Create a draft course")
    public Uni<Response> create(@Valid @NotNull CourseInput input) {
        return catalog.create(input)
                .map(course -> Response.created(URI.create(
                                "/api/v1/admin/courses/" + course.course().id()))
                        .entity(course)
                        .build());
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(summary = "Edit a course's title, summary, category, credit and cover")
    public Uni<AdminCourse> update(@PathParam("id") UUID id, @Valid @NotNull CourseInput input) {
        return catalog.update(id, input);
    }

    @POST
    @Path("/{id}/lessons")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(summary = "Add a lesson", description = "At `position`, or after the last lesson.")
    public Uni<Response> addLesson(@PathParam("id") UUID id, @Valid @NotNull LessonInput input) {
        return catalog.addLesson(id, input)
                .map(course ->
                        Response.status(Response.Status.CREATED).entity(course).build());
    }

    @PUT
    @Path("/{id}/lessons/{lessonId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    public Uni<AdminCourse> updateLesson(
            @PathParam("id") UUID id, @PathParam("lessonId") UUID lessonId, @Valid @NotNull LessonInput input) {
        return catalog.updateLesson(id, lessonId, input);
    }

    @DELETE
    @Path("/{id}/lessons/{lessonId}")
    @Cancellable(false)
    @Operation(summary = "Remove a lesson of a draft course")
    public Uni<AdminCourse> removeLesson(@PathParam("id") UUID id, @PathParam("lessonId") UUID lessonId) {
        return catalog.removeLesson(id, lessonId);
    }

    @PUT
    @Path("/{id}/lessons/order")
    @Consumes(MediaType.APPLICATION_JSON)
    @Cancellable(false)
    @Operation(summary = "Reorder lessons", description = "`lessonIds` names every lesson once, in the new order.")
    public Uni<AdminCourse> reorder(@PathParam("id") UUID id, @Valid @NotNull LessonOrder order) {
        return catalog.reorder(id, order.lessonIds());
    }

    @POST
    @Path("/{id}/publish")
    @Cancellable(false)
    @Operation(summary = "Publish", description = "Refused (409) unless every lesson has a ready video.")
    public Uni<AdminCourse> publish(@PathParam("id") UUID id) {
        return catalog.publish(id);
    }

    @POST
    @Path("/{id}/archive")
    @Cancellable(false)
    @Operation(summary = "Archive: learners no longer see the course")
    public Uni<AdminCourse> archive(@PathParam("id") UUID id) {
        return catalog.archive(id);
    }
}
