package cn.hongtong.credit;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** What the credit endpoints take and answer. */
public final class CreditDtos {

    private CreditDtos() {}

    // --- projects (admin)

    public record ProjectInput(
            @NotBlank
            @Size(max = 40)
            @Pattern(regexp = "[\\p{L}\\p{N}()（）\\-_/. ]+", message = "letters, digits and - _ / . ( )")
            String number,

            @NotBlank @Size(max = 200) String name,

            @NotNull @Pattern(regexp = "national|provincial", message = "must be national or provincial")
            String level,

            @NotNull @Pattern(regexp = "I|II", message = "must be I or II")
            String creditClass,

            @NotNull @DecimalMin("0.1") @DecimalMax("50.0") @Digits(integer = 2, fraction = 1)
            BigDecimal credits,

            @NotBlank @Size(max = 100) String issuer,
            @NotNull LocalDate validFrom,
            @NotNull LocalDate validTo) {}

    public record Project(
            UUID id,
            String number,
            String name,
            String level,
            String creditClass,
            BigDecimal credits,
            String issuer,
            LocalDate validFrom,
            LocalDate validTo,
            int courses) {}

    public record ProjectList(List<Project> items) {}

    /** The project a course belongs to; null takes it out of any project. */
    public record CourseProjectInput(UUID projectId) {}

    public record CourseProject(UUID courseId, Project project) {}

    // --- assessments (admin)

    public record AssessmentSettings(
            @NotNull @Min(1) @Max(100) Integer questionsPerAttempt,
            @NotNull @Min(1) @Max(100) Integer passPercent,
            @NotNull @Min(1) @Max(20) Integer attemptLimit,
            @NotNull @Min(0) @Max(10080) Integer cooldownMinutes,
            @Min(60) @Max(14400) Integer timeLimitSeconds) {}

    public record OptionInput(
            @NotBlank @Pattern(regexp = "[a-z]", message = "one lower-case letter")
            String id,

            @NotBlank @Size(max = 500) String text) {}

    public record QuestionInput(
            @NotNull @Pattern(regexp = "single|multiple", message = "must be single or multiple")
            String kind,

            @NotBlank @Size(max = 1000) String stem,
            @NotNull @Size(min = 2, max = 8) List<@Valid @NotNull OptionInput> options,
            @NotNull @NotEmpty @Size(max = 8) List<@NotBlank @Pattern(regexp = "[a-z]") String> correct,
            @Size(max = 2000) String explanation) {}

    public record Option(String id, String text) {}

    public record AdminQuestion(
            UUID id,
            String kind,
            String stem,
            List<Option> options,
            List<String> correct,
            String explanation,
            String status,
            boolean drawn,
            Instant updatedAt) {}

    public record AdminAssessment(
            UUID courseId, AssessmentSettings settings, int activeQuestions, List<AdminQuestion> questions) {}

    /** What removing a question did: {@code deleted} (never drawn) or {@code retired}. */
    public record QuestionRemoval(UUID id, String outcome) {}

    // --- assessments (learner)

    public record AttemptRef(UUID id, Instant startedAt, Instant deadline) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AssessmentStatus(
            UUID courseId,
            boolean hasAssessment,
            boolean courseComplete,
            Integer questionsPerAttempt,
            Integer passPercent,
            Integer attemptLimit,
            int attemptsUsed,
            Integer cooldownMinutes,
            Integer timeLimitSeconds,
            Instant nextAttemptAt,
            AttemptRef openAttempt,
            boolean passed,
            Integer bestScore,
            boolean canStart,
            Credit credit) {}

    public record StartAttempt(@NotNull UUID attemptId) {}

    /** A drawn question as the learner sees it: never its answer. */
    public record PaperQuestion(UUID id, String kind, String stem, List<Option> options) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Attempt(
            UUID id,
            UUID courseId,
            Instant startedAt,
            Instant deadline,
            Integer timeLimitSeconds,
            List<PaperQuestion> questions,
            AttemptResult result) {}

    public record Answer(
            @NotNull UUID questionId,
            @NotNull @Size(max = 8) List<@NotNull @Pattern(regexp = "[a-z]") String> choices) {}

    public record Submission(@NotNull @Size(max = 100) List<@Valid @NotNull Answer> answers) {}

    /** A question after submission: what was chosen, what was right, and why. */
    public record Reviewed(
            UUID id,
            String kind,
            String stem,
            List<Option> options,
            List<String> chosen,
            List<String> correct,
            boolean right,
            String explanation) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AttemptResult(
            String outcome,
            int score,
            int correctCount,
            int questionCount,
            int passPercent,
            Instant submittedAt,
            List<Reviewed> review,
            Credit credit) {}

    // --- credits

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Credit(
            UUID id,
            UUID courseId,
            String courseTitle,
            String projectNumber,
            String projectName,
            String level,
            String creditClass,
            BigDecimal credits,
            BigDecimal hours,
            BigDecimal learnedHours,
            LocalDate grantedOn,
            String verificationCode,
            String status,
            Instant revokedAt,
            String revokeReason) {}

    public record Requirement(
            BigDecimal total,
            BigDecimal classIMin,
            BigDecimal classIMax,
            BigDecimal classIiMin,
            BigDecimal classIiMax,
            Integer trainingEveryYears) {}

    /** Credits of the year: as granted, and as they count toward the requirement (each class capped). */
    public record Earned(BigDecimal classI, BigDecimal classIi, BigDecimal total, BigDecimal counted) {}

    /** The every-N-years training rule: the latest credit in the window that ends with the year. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Training(int everyYears, LocalDate lastCreditOn, boolean met) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record YearCredits(
            int year,
            String profession,
            Requirement requirement,
            Earned earned,
            boolean met,
            Training training,
            List<Credit> credits) {}

    /** A credit as an admin finds it: with its holder's name (null once the account is erased). */
    public record CreditHolder(Credit credit, String name) {}

    public record Revocation(@NotBlank @Size(max = 500) String reason) {}

    /** What the public verification page shows: what an employer needs, nothing more. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Verification(
            String code,
            String name,
            String course,
            String projectNumber,
            String creditClass,
            BigDecimal credits,
            LocalDate grantedOn,
            String status,
            LocalDate revokedOn) {}

    public record CmeIdInput(
            @Size(max = 40) @Pattern(regexp = "[0-9A-Za-z\\-]*", message = "letters, digits and -")
            String cmeId) {}
}
