package cn.hongtong.catalog;

import cn.hongtong.common.LocalizedText;
import cn.hongtong.common.ProblemException;
import cn.hongtong.media.MediaAssets;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Which lessons learners may play: lessons with a video, in published courses. */
@ApplicationScoped
public class PlayableLessons {

    private final LessonRepository lessons;
    private final CourseRepository courses;
    private final MediaAssets media;
    /** Ready lessons under the catalog version they were found under: the hot path reads no PostgreSQL. */
    private final VersionedMemo<UUID, ReadyLesson> ready;

    PlayableLessons(
            LessonRepository lessons,
            CourseRepository courses,
            MediaAssets media,
            CatalogVersion version,
            CatalogConfig config,
            Clock clock) {
        this.lessons = lessons;
        this.courses = courses;
        this.media = media;
        this.ready = new VersionedMemo<>(
                version, clock, config.cache().ttl(), config.cache().maxLessons(), (id, lesson) -> 1);
    }

    public record PlayableLesson(UUID lessonId, UUID courseId, UUID assetId) {}

    /** A playable lesson whose video is ready to play, with the video's duration. */
    public record ReadyLesson(PlayableLesson lesson, int durationMs) {}

    /** 404 lesson-not-playable: no such lesson, no video, course not published, or video not ready. */
    public static ProblemException notPlayable(LocalizedText detail) {
        return new ProblemException(CatalogProblems.LESSON_NOT_PLAYABLE, detail);
    }

    /**
     * The lesson with its ready video, for playing it now (playback URLs, a learning session);
     * fails with 404 lesson-not-playable otherwise.
     */
    public Uni<ReadyLesson> requireReady(UUID lessonId) {
        // Whether a lesson plays changes only with an admin change or a video's state, both of
        // which bump the catalog version: a ready lesson is kept under the version it was found.
        return ready.get(lessonId, () -> findReady(lessonId));
    }

    private Uni<ReadyLesson> findReady(UUID lessonId) {
        return find(lessonId)
                .onItem()
                .ifNull()
                .failWith(() ->
                        notPlayable(LocalizedText.of("课时不存在或视频尚未就绪", "No such lesson, or its video is not ready")))
                .chain(lesson -> media.summaries(List.of(lesson.assetId())).map(assets -> {
                    MediaAssets.Summary asset = assets.get(lesson.assetId());
                    if (asset == null || !asset.ready() || asset.durationMs() == null) {
                        throw notPlayable(LocalizedText.of("课时视频尚未就绪", "The lesson's video is not ready"));
                    }
                    return new ReadyLesson(lesson, asset.durationMs());
                }));
    }

    /** The lesson if a learner may play it; null otherwise (no such lesson, no video, course not published). */
    @WithSession
    public Uni<PlayableLesson> find(UUID lessonId) {
        return lessons.findById(lessonId)
                .chain(lesson -> lesson == null || lesson.mediaAssetId == null
                        ? Uni.createFrom().nullItem()
                        : courses.findById(lesson.courseId)
                                .map(course -> course != null && Course.PUBLISHED.equals(course.status)
                                        ? new PlayableLesson(lesson.id, course.id, lesson.mediaAssetId)
                                        : null));
    }
}
