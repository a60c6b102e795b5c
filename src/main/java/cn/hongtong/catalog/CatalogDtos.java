package cn.hongtong.catalog;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the catalog. */
public final class CatalogDtos {

    private CatalogDtos() {}

    public record CategoryView(String code, String name, String nameEn) {
        static CategoryView of(Category c) {
            return new CategoryView(c.code, c.nameZh, c.nameEn);
        }
    }

    /** What every view of a course starts with (its fields appear in the view's JSON, not nested). */
    public record CourseHeader(
            UUID id, String title, String summary, CategoryView category, String creditClass, BigDecimal creditHours) {

        static CourseHeader of(Course c, Category category) {
            return new CourseHeader(c.id, c.title, c.summary, CategoryView.of(category), c.creditClass, c.creditHours);
        }
    }

    /** A course in a learner's list. */
    /** {@code coverUrl}: a path from the API root, loadable without a token; null when there is no video yet. */
    public record CourseSummary(
            @JsonUnwrapped CourseHeader course,
            int lessonCount,
            int durationSeconds,
            Instant publishedAt,
            String coverUrl) {}

    public record CoursePage(List<CourseSummary> items, String nextCursor) {}

    public record LessonView(UUID id, int position, String title, Integer durationSeconds, boolean playable) {}

    /** A published course as learners see it. */
    public record CourseDetail(
            @JsonUnwrapped CourseHeader course, Instant publishedAt, String coverUrl, List<LessonView> lessons) {}

    /** A lesson as course admins see it, with its video's state. */
    public record AdminLessonView(
            UUID id, int position, String title, UUID mediaAssetId, String mediaStatus, Integer durationSeconds) {}

    public record AdminCourse(
            @JsonUnwrapped CourseHeader course,
            UUID coverAssetId,
            String status,
            Instant publishedAt,
            Instant createdAt,
            Instant updatedAt,
            List<AdminLessonView> lessons) {}

    public record AdminCoursePage(List<AdminCourse> items, String nextCursor) {}

    public record CourseInput(
            @NotBlank @Size(max = 100) String title,
            @Size(max = 2000) String summary,

            @NotBlank @Size(max = 40) @Pattern(regexp = "[a-z][a-z0-9-]*")
            String categoryCode,

            @NotNull @Pattern(regexp = "I|II|none", message = "must be I, II or none")
            String creditClass,

            @NotNull @DecimalMin("0.0") @DecimalMax("100.0") @Digits(integer = 3, fraction = 1)
            BigDecimal creditHours,

            UUID coverAssetId) {}

    public record LessonInput(
            @NotBlank @Size(max = 100) String title,
            UUID mediaAssetId,
            @Positive Integer position) {}

    public record LessonOrder(@NotEmpty @Size(max = 500) List<@NotNull UUID> lessonIds) {}
}
