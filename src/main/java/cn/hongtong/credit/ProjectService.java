package cn.hongtong.credit;

import cn.hongtong.audit.AuditLog;
import cn.hongtong.catalog.CatalogProblems;
import cn.hongtong.catalog.CatalogVersion;
import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.credit.CreditDtos.CourseProject;
import cn.hongtong.credit.CreditDtos.Project;
import cn.hongtong.credit.CreditDtos.ProjectInput;
import cn.hongtong.credit.CreditDtos.ProjectList;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** Accredited CME projects, and which project a course belongs to. */
@ApplicationScoped
class ProjectService {

    private final CreditStore store;
    private final AuditLog audit;
    private final CatalogVersion catalog;
    private final Clock clock;

    ProjectService(CreditStore store, AuditLog audit, CatalogVersion catalog, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.catalog = catalog;
        this.clock = clock;
    }

    Uni<ProjectList> list() {
        return store.projects().map(ProjectList::new);
    }

    Uni<Project> get(UUID id) {
        return store.project(store.pool(), id).map(p -> found(p));
    }

    Uni<Project> create(ProjectInput input) {
        checkPeriod(input);
        UUID id = UUID.randomUUID();
        return store.pool()
                .withTransaction(conn -> store.insertProject(conn, id, input, clock.instant())
                        .chain(inserted -> {
                            if (inserted == 0) {
                                throw new ProblemException(CreditProblems.PROJECT_NUMBER_TAKEN);
                            }
                            return audit.record(
                                    conn,
                                    "cme-project.created",
                                    "cme-project",
                                    id,
                                    Map.of("number", input.number().strip()));
                        })
                        .chain(() -> store.project(conn, id)));
    }

    Uni<Project> update(UUID id, ProjectInput input) {
        checkPeriod(input);
        return store.pool()
                .withTransaction(conn -> store.updateProject(conn, id, input, clock.instant())
                        .chain(updated -> {
                            if (updated == 0) {
                                throw notFound();
                            }
                            if (updated < 0) {
                                throw new ProblemException(CreditProblems.PROJECT_NUMBER_TAKEN);
                            }
                            return audit.record(
                                    conn,
                                    "cme-project.updated",
                                    "cme-project",
                                    id,
                                    Map.of("number", input.number().strip()));
                        })
                        .chain(() -> store.project(conn, id)));
    }

    /** Puts a course in a project (or, with null, out of any); credits already granted keep what they were granted. */
    Uni<CourseProject> assign(UUID course, UUID project) {
        return store.pool()
                .withTransaction(conn -> (project == null
                                ? Uni.createFrom().item((Project) null)
                                : store.project(conn, project).map(p -> found(p)))
                        .chain(p -> store.setCourseProject(conn, course, project, clock.instant())
                                .chain(updated -> {
                                    if (!updated) {
                                        throw new ProblemException(CatalogProblems.COURSE_NOT_FOUND);
                                    }
                                    return audit.record(
                                            conn,
                                            "course.cme-project-set",
                                            "course",
                                            course,
                                            Map.of("project", p == null ? "none" : p.number()));
                                })
                                .chain(() -> project == null
                                        ? Uni.createFrom().item((Project) null)
                                        : store.project(conn, project))
                                .map(after -> new CourseProject(course, after))))
                .call(catalog::bump);
    }

    Uni<CourseProject> ofCourse(UUID course) {
        return store.requireCourse(store.pool(), course)
                .chain(() -> store.courseProject(store.pool(), course))
                .chain(p -> p == null ? Uni.createFrom().item((Project) null) : store.project(store.pool(), p))
                .map(p -> new CourseProject(course, p));
    }

    private static void checkPeriod(ProjectInput input) {
        if (input.validTo().isBefore(input.validFrom())) {
            throw ProblemException.invalidField("validTo", LocalizedText.of("有效期结束早于开始", "ends before it starts"));
        }
    }

    private static Project found(Project p) {
        if (p == null) {
            throw notFound();
        }
        return p;
    }

    private static ProblemException notFound() {
        return new ProblemException(CreditProblems.PROJECT_NOT_FOUND);
    }
}
