package cn.hongtong.catalog;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Which lessons learners may play: lessons with a video, in published courses. */
@ApplicationScoped
public class PlayableLessons {

    private final LessonRepository lessons;
    private final CourseRepository courses;

    PlayableLessons(LessonRepository lessons, CourseRepository courses) {
        this.lessons = lessons;
        this.courses = courses;
    }

    public record PlayableLesson(UUID lessonId, UUID courseId, UUID assetId) {
    }

    /** 404 lesson-not-playable: no such lesson, no video, course not published, or video not ready. */
    public static cn.hongtong.common.ProblemException notPlayable(cn.hongtong.common.LocalizedText detail) {
        return new cn.hongtong.common.ProblemException(CatalogProblems.LESSON_NOT_PLAYABLE, detail);
    }

    /** The lesson if a learner may play it; null otherwise (no such lesson, no video, course not published). */
    @WithSession
    public Uni<PlayableLesson> find(UUID lessonId) {
        return lessons.findById(lessonId).chain(lesson -> lesson == null || lesson.mediaAssetId == null
                ? Uni.createFrom().nullItem()
                : courses.findById(lesson.courseId).map(course -> course != null && Course.PUBLISHED.equals(course.status)
                        ? new PlayableLesson(lesson.id, course.id, lesson.mediaAssetId) : null));
    }
}
