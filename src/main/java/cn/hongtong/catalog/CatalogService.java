package cn.hongtong.catalog;

import cn.hongtong.audit.AuditLog;
import cn.hongtong.catalog.CatalogDtos.AdminCourse;
import cn.hongtong.catalog.CatalogDtos.AdminCoursePage;
import cn.hongtong.catalog.CatalogDtos.AdminLessonView;
import cn.hongtong.catalog.CatalogDtos.CategoryView;
import cn.hongtong.catalog.CatalogDtos.CourseDetail;
import cn.hongtong.catalog.CatalogDtos.CourseHeader;
import cn.hongtong.catalog.CatalogDtos.CourseInput;
import cn.hongtong.catalog.CatalogDtos.CoursePage;
import cn.hongtong.catalog.CatalogDtos.CourseSummary;
import cn.hongtong.catalog.CatalogDtos.LessonInput;
import cn.hongtong.catalog.CatalogDtos.LessonView;
import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.Problem;
import cn.hongtong.common.ProblemException;
import cn.hongtong.common.Slice;
import cn.hongtong.media.MediaAssets;
import cn.hongtong.media.PosterLinks;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Courses and lessons: what learners may see, and every change course admins make. */
@ApplicationScoped
class CatalogService {

    private final CourseRepository courses;
    private final LessonRepository lessons;
    private final CategoryRepository categories;
    private final MediaAssets media;
    private final PosterLinks posters;
    private final Clock clock;
    private final AuditLog audit;
    private final CatalogVersion version;

    CatalogService(
            CourseRepository courses,
            LessonRepository lessons,
            CategoryRepository categories,
            MediaAssets media,
            PosterLinks posters,
            Clock clock,
            AuditLog audit,
            CatalogVersion version) {
        this.audit = audit;
        this.version = version;
        this.courses = courses;
        this.lessons = lessons;
        this.categories = categories;
        this.media = media;
        this.posters = posters;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- learners

    @WithSession
    Uni<List<CategoryView>> categories() {
        return categories
                .listAll(Sort.by("position"))
                .map(list -> list.stream().map(CategoryView::of).toList());
    }

    @WithSession
    Uni<CoursePage> published(CourseRepository.Filter filter, String cursor, int limit) {
        return page(
                (at, id) -> courses.published(filter, at, id, limit + 1),
                cursor,
                limit,
                this::summaries,
                last -> new PageCursor(last.publishedAt, last.id),
                CoursePage::new);
    }

    /** A published course; drafts and archived courses do not exist for learners (404). */
    @WithSession
    Uni<CourseDetail> publishedCourse(UUID id) {
        return courses.findById(id)
                .map(course -> {
                    if (course == null || !Course.PUBLISHED.equals(course.status)) {
                        throw courseNotFound();
                    }
                    return course;
                })
                // One session runs one query at a time: the two reads go one after the other.
                .chain(course -> categories
                        .findById(course.categoryCode)
                        .chain(category -> lessonsWithMedia(course.id)
                                .map(lessonList -> new CourseDetail(
                                        CourseHeader.of(course, category),
                                        course.publishedAt,
                                        cover(course, lessonList),
                                        lessonList.stream()
                                                .map(l -> new LessonView(
                                                        l.id(),
                                                        l.position(),
                                                        l.title(),
                                                        l.durationSeconds(),
                                                        "ready".equals(l.mediaStatus())))
                                                .toList()))));
    }

    // ---------------------------------------------------------------- course admins

    /**
     * A keyset page: {@code limit + 1} rows after the cursor (all from the start without one), the
     * first {@code limit} as views, and the cursor of the last when there are more.
     */
    private static <V, P> Uni<P> page(
            BiFunction<Instant, UUID, Uni<List<Course>>> rowsAfter,
            String after,
            int limit,
            Function<List<Course>, Uni<List<V>>> views,
            Function<Course, PageCursor> cursor,
            BiFunction<List<V>, String, P> page) {
        PageCursor from = PageCursor.decode(after);
        return rowsAfter
                .apply(from == null ? null : from.at(), from == null ? null : from.id())
                .map(r -> Slice.of(r, limit))
                .chain(slice -> views.apply(slice.items())
                        .map(items -> page.apply(
                                items,
                                slice.nextCursor(last -> cursor.apply(last).encode()))));
    }

    /**
     * An admin change: {@code work} in one transaction, then, once it committed, the catalog
     * version bumped, so that no replica keeps serving what learners saw before it.
     */
    private <T> Uni<T> changing(Supplier<Uni<T>> work) {
        return Panache.withTransaction(work).call(version::bump);
    }

    @WithSession
    Uni<AdminCoursePage> forAdmin(String status, String cursor, int limit) {
        return page(
                (at, id) -> courses.forAdmin(status, at, id, limit + 1),
                cursor,
                limit,
                this::adminViews,
                last -> new PageCursor(last.createdAt, last.id),
                AdminCoursePage::new);
    }

    @WithSession
    Uni<AdminCourse> adminCourse(UUID id) {
        return course(id).chain(this::adminView);
    }

    Uni<AdminCourse> create(CourseInput input) {
        return changing(() -> createInTransaction(input));
    }

    private Uni<AdminCourse> createInTransaction(CourseInput input) {
        Instant now = clock.instant();
        Course course = new Course();
        course.id = UUID.randomUUID();
        course.status = Course.DRAFT;
        course.createdAt = now;
        return apply(course, input, now)
                .chain(c -> courses.persist(c))
                .chain(this::adminView)
                .call(view -> audit.record(
                        "course.created",
                        "course",
                        view.course().id(),
                        Map.of("title", view.course().title())));
    }

    Uni<AdminCourse> update(UUID id, CourseInput input) {
        return changing(() -> updateInTransaction(id, input));
    }

    private Uni<AdminCourse> updateInTransaction(UUID id, CourseInput input) {
        return course(id)
                .chain(course -> apply(course, input, clock.instant()))
                .chain(this::adminView)
                .call(view -> audit.record(
                        "course.updated",
                        "course",
                        id,
                        Map.of(
                                "title",
                                view.course().title(),
                                "creditClass",
                                String.valueOf(view.course().creditClass()),
                                "creditHours",
                                String.valueOf(view.course().creditHours()))));
    }

    Uni<AdminCourse> addLesson(UUID courseId, LessonInput input) {
        return changing(() -> addLessonInTransaction(courseId, input));
    }

    private Uni<AdminCourse> addLessonInTransaction(UUID courseId, LessonInput input) {
        return course(courseId)
                .chain(course -> requireAttachable(input.mediaAssetId())
                        .chain(() -> lessons.ofCourse(courseId))
                        .chain(existing -> {
                            int position = input.position() != null
                                    ? input.position()
                                    : existing.stream()
                                                    .mapToInt(l -> l.position)
                                                    .max()
                                                    .orElse(0)
                                            + 1;
                            if (existing.stream().anyMatch(l -> l.position == position)) {
                                return Uni.createFrom()
                                        .failure(new ProblemException(
                                                CatalogProblems.LESSON_POSITION_TAKEN,
                                                LocalizedText.of(
                                                        "第 " + position + " 课时的位置已被占用",
                                                        "Position " + position + " is taken"),
                                                List.of(new Problem.FieldError(
                                                        "position", "taken by another lesson"))));
                            }
                            Instant now = clock.instant();
                            Lesson lesson = new Lesson();
                            lesson.id = UUID.randomUUID();
                            lesson.courseId = courseId;
                            lesson.position = position;
                            lesson.title = input.title().strip();
                            lesson.mediaAssetId = input.mediaAssetId();
                            lesson.createdAt = now;
                            lesson.updatedAt = now;
                            course.updatedAt = now;
                            return lessons.persist(lesson).call(saved -> auditLesson("lesson.added", lesson));
                        })
                        .chain(ignored -> adminView(course)));
    }

    /** The audit record of a lesson added or changed: what it now is. */
    private Uni<Void> auditLesson(String action, Lesson lesson) {
        return audit.record(
                action,
                "lesson",
                lesson.id,
                Map.of(
                        "courseId",
                        lesson.courseId.toString(),
                        "title",
                        lesson.title,
                        "position",
                        lesson.position,
                        "mediaAssetId",
                        String.valueOf(lesson.mediaAssetId)));
    }

    Uni<AdminCourse> updateLesson(UUID courseId, UUID lessonId, LessonInput input) {
        return changing(() -> updateLessonInTransaction(courseId, lessonId, input));
    }

    private Uni<AdminCourse> updateLessonInTransaction(UUID courseId, UUID lessonId, LessonInput input) {
        return course(courseId)
                .chain(course -> lesson(courseId, lessonId)
                        .chain(lesson -> requireAttachable(input.mediaAssetId())
                                .chain(() -> lessons.ofCourse(courseId))
                                .invoke(existing -> {
                                    if (input.position() != null
                                            && existing.stream()
                                                    .anyMatch(l ->
                                                            l.position == input.position() && !l.id.equals(lessonId))) {
                                        throw new ProblemException(
                                                CatalogProblems.LESSON_POSITION_TAKEN,
                                                LocalizedText.of("该位置已有课时", "Another lesson has this position"),
                                                List.of(new Problem.FieldError("position", "taken by another lesson")));
                                    }
                                    lesson.title = input.title().strip();
                                    lesson.mediaAssetId = input.mediaAssetId();
                                    if (input.position() != null) {
                                        lesson.position = input.position();
                                    }
                                    lesson.updatedAt = clock.instant();
                                    course.updatedAt = lesson.updatedAt;
                                })
                                .call(ignored -> auditLesson("lesson.updated", lesson)))
                        .chain(ignored -> adminView(course)));
    }

    /** Removes a lesson of a draft: published courses keep their lessons (learners' records point at them). */
    Uni<AdminCourse> removeLesson(UUID courseId, UUID lessonId) {
        return changing(() -> removeLessonInTransaction(courseId, lessonId));
    }

    private Uni<AdminCourse> removeLessonInTransaction(UUID courseId, UUID lessonId) {
        return course(courseId).chain(course -> {
            if (!Course.DRAFT.equals(course.status)) {
                return Uni.createFrom()
                        .failure(new ProblemException(
                                CatalogProblems.COURSE_NOT_EDITABLE,
                                LocalizedText.of("只能删除草稿课程的课时", "Only a draft course's lessons can be removed")));
            }
            return lesson(courseId, lessonId)
                    .chain(lesson -> lessons.delete(lesson))
                    .call(() ->
                            audit.record("lesson.removed", "lesson", lessonId, Map.of("courseId", courseId.toString())))
                    .chain(() -> lessons.ofCourse(courseId))
                    .invoke(rest -> {
                        for (int i = 0; i < rest.size(); i++) {
                            rest.get(i).position = i + 1;
                        }
                        course.updatedAt = clock.instant();
                    })
                    .chain(ignored -> adminView(course));
        });
    }

    /** Puts the lessons in the given order: the list must name each lesson of the course once. */
    Uni<AdminCourse> reorder(UUID courseId, List<UUID> order) {
        return changing(() -> reorderInTransaction(courseId, order));
    }

    private Uni<AdminCourse> reorderInTransaction(UUID courseId, List<UUID> order) {
        return course(courseId)
                .chain(course -> lessons.ofCourse(courseId)
                        .invoke(existing -> {
                            Set<UUID> given = new HashSet<>(order);
                            Set<UUID> actual = existing.stream().map(l -> l.id).collect(Collectors.toSet());
                            if (given.size() != order.size() || !given.equals(actual)) {
                                throw ProblemException.invalidField(
                                        "lessonIds",
                                        LocalizedText.of(
                                                "必须按新顺序列出本课程的每个课时各一次",
                                                "must list every lesson of the course exactly once"));
                            }
                            Map<UUID, Lesson> byId =
                                    existing.stream().collect(Collectors.toMap(l -> l.id, Function.identity()));
                            Instant now = clock.instant();
                            for (int i = 0; i < order.size(); i++) {
                                Lesson lesson = byId.get(order.get(i));
                                lesson.position = i + 1;
                                lesson.updatedAt = now;
                            }
                            course.updatedAt = now;
                        })
                        .call(() -> audit.record(
                                "course.lessons-reordered",
                                "course",
                                courseId,
                                Map.of(
                                        "lessonIds",
                                        order.stream().map(UUID::toString).toList())))
                        .chain(ignored -> adminView(course)));
    }

    /** Publishes a course whose every lesson has a ready video. */
    Uni<AdminCourse> publish(UUID id) {
        return changing(() -> publishInTransaction(id));
    }

    private Uni<AdminCourse> publishInTransaction(UUID id) {
        return course(id)
                .chain(course -> lessonsWithMedia(id).chain(list -> {
                    List<Problem.FieldError> faults = new ArrayList<>();
                    if (list.isEmpty()) {
                        faults.add(new Problem.FieldError("lessons", "the course has no lesson"));
                    }
                    for (AdminLessonView lesson : list) {
                        if (!"ready".equals(lesson.mediaStatus())) {
                            faults.add(new Problem.FieldError(
                                    "lessons[" + (lesson.position() - 1) + "]",
                                    lesson.mediaAssetId() == null
                                            ? "has no video"
                                            : "video is " + lesson.mediaStatus()));
                        }
                    }
                    if (!faults.isEmpty()) {
                        return Uni.createFrom()
                                .failure(new ProblemException(
                                        CatalogProblems.COURSE_NOT_PUBLISHABLE,
                                        LocalizedText.of(
                                                "课程需至少有一个课时，且每个课时的视频都已处理完成",
                                                "A course needs at least one lesson, and a ready video in every lesson"),
                                        faults));
                    }
                    Instant now = clock.instant();
                    course.status = Course.PUBLISHED;
                    course.publishedAt = now;
                    course.updatedAt = now;
                    return audit.record("course.published", "course", id, Map.of("lessons", list.size()))
                            .chain(() -> adminView(course));
                }));
    }

    Uni<AdminCourse> archive(UUID id) {
        return changing(() -> archiveInTransaction(id));
    }

    private Uni<AdminCourse> archiveInTransaction(UUID id) {
        return course(id)
                .invoke(course -> {
                    course.status = Course.ARCHIVED;
                    course.updatedAt = clock.instant();
                })
                .call(() -> audit.record("course.archived", "course", id, Map.of()))
                .chain(this::adminView);
    }

    // ---------------------------------------------------------------- shared

    private Uni<Course> apply(Course course, CourseInput input, Instant now) {
        return categories
                .findById(input.categoryCode())
                .onItem()
                .ifNull()
                .failWith(() ->
                        ProblemException.invalidField("categoryCode", LocalizedText.of("分类不存在", "no such category")))
                .chain(ignored -> requireAttachable(input.coverAssetId()))
                .map(ignored -> {
                    course.title = input.title().strip();
                    course.summary =
                            input.summary() == null ? "" : input.summary().strip();
                    course.categoryCode = input.categoryCode();
                    course.creditClass = input.creditClass();
                    course.creditHours = input.creditHours();
                    course.coverAssetId = input.coverAssetId();
                    course.updatedAt = now;
                    return course;
                });
    }

    private Uni<Void> requireAttachable(UUID assetId) {
        if (assetId == null) {
            return Uni.createFrom().voidItem();
        }
        return media.summaries(List.of(assetId))
                .invoke(found -> {
                    MediaAssets.Summary asset = found.get(assetId);
                    if (asset == null || "rejected".equals(asset.status())) {
                        throw ProblemException.invalidField("mediaAssetId", LocalizedText.of("视频不存在", "no such video"));
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Course> course(UUID id) {
        return courses.findById(id).onItem().ifNull().failWith(CatalogService::courseNotFound);
    }

    private Uni<Lesson> lesson(UUID courseId, UUID lessonId) {
        return lessons.findById(lessonId).map(lesson -> {
            if (lesson == null || !lesson.courseId.equals(courseId)) {
                throw new ProblemException(
                        CatalogProblems.LESSON_NOT_FOUND,
                        LocalizedText.of("该课程没有这个课时", "The course has no such lesson"));
            }
            return lesson;
        });
    }

    private Uni<List<AdminLessonView>> lessonsWithMedia(UUID courseId) {
        return lessons.ofCourse(courseId)
                .chain(list -> media.summaries(assetIds(list))
                        .map(assets ->
                                list.stream().map(l -> lessonView(l, assets)).toList()));
    }

    private Uni<AdminCourse> adminView(Course course) {
        return adminViews(List.of(course)).map(list -> list.get(0));
    }

    private Uni<List<AdminCourse>> adminViews(List<Course> page) {
        return lessonsByCourse(page)
                .chain(byCourse -> categoryMap()
                        .map(cats -> page.stream()
                                .map(c -> new AdminCourse(
                                        CourseHeader.of(c, cats.get(c.categoryCode)),
                                        c.coverAssetId,
                                        c.status,
                                        c.publishedAt,
                                        c.createdAt,
                                        c.updatedAt,
                                        byCourse.getOrDefault(c.id, List.of())))
                                .toList()));
    }

    private Uni<List<CourseSummary>> summaries(List<Course> page) {
        return lessonsByCourse(page)
                .chain(byCourse -> categoryMap()
                        .map(cats -> page.stream()
                                .map(c -> {
                                    List<AdminLessonView> ls = byCourse.getOrDefault(c.id, List.of());
                                    int seconds = ls.stream()
                                            .map(AdminLessonView::durationSeconds)
                                            .filter(Objects::nonNull)
                                            .mapToInt(Integer::intValue)
                                            .sum();
                                    return new CourseSummary(
                                            CourseHeader.of(c, cats.get(c.categoryCode)),
                                            ls.size(),
                                            seconds,
                                            c.publishedAt,
                                            cover(c, ls));
                                })
                                .toList()));
    }

    private Uni<Map<UUID, List<AdminLessonView>>> lessonsByCourse(List<Course> page) {
        return lessons.ofCourses(page.stream().map(c -> c.id).toList())
                .chain(all -> media.summaries(assetIds(all))
                        .map(assets -> all.stream()
                                .collect(Collectors.groupingBy(
                                        l -> l.courseId,
                                        Collectors.mapping(l -> lessonView(l, assets), Collectors.toList())))));
    }

    private Uni<Map<String, Category>> categoryMap() {
        return categories
                .listAll()
                .map(list -> list.stream().collect(Collectors.toMap(c -> c.code, Function.identity())));
    }

    /** The course's cover: the poster of its cover video, or of its first lesson with a ready video. */
    private String cover(Course course, List<AdminLessonView> lessonList) {
        UUID asset = course.coverAssetId != null
                ? course.coverAssetId
                : lessonList.stream()
                        .filter(l -> "ready".equals(l.mediaStatus()))
                        .map(AdminLessonView::mediaAssetId)
                        .findFirst()
                        .orElse(null);
        return asset == null ? null : posters.posterPath(asset);
    }

    private static AdminLessonView lessonView(Lesson lesson, Map<UUID, MediaAssets.Summary> assets) {
        MediaAssets.Summary asset = lesson.mediaAssetId == null ? null : assets.get(lesson.mediaAssetId);
        return new AdminLessonView(
                lesson.id,
                lesson.position,
                lesson.title,
                lesson.mediaAssetId,
                asset == null ? null : asset.status(),
                asset == null ? null : asset.durationSeconds());
    }

    private static List<UUID> assetIds(List<Lesson> list) {
        return list.stream()
                .map(l -> l.mediaAssetId)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
    }

    private static ProblemException courseNotFound() {
        return new ProblemException(CatalogProblems.COURSE_NOT_FOUND, LocalizedText.of("课程不存在", "No such course"));
    }
}
