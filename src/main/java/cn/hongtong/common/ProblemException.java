package cn.hongtong.common;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A domain error with a stable kind and a message for people. Thrown (or failed into a Uni) by
 * services; resources never build error responses themselves.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final LocalizedText detail;
    private final List<Problem.FieldError> errors;
    private final Duration retryAfter;

    public ProblemException(ProblemType type, LocalizedText detail) {
        this(type, detail, null, null);
    }

    /** A problem whose title says it all. */
    public ProblemException(ProblemType type) {
        this(type, type.title());
    }

    public ProblemException(ProblemType type, LocalizedText detail, List<Problem.FieldError> errors) {
        this(type, detail, errors, null);
    }

    /** A problem the caller may retry, after {@code retryAfter} (sent as {@code Retry-After}). */
    public static ProblemException retryable(ProblemType type, LocalizedText detail, Duration retryAfter) {
        return new ProblemException(type, detail, null, retryAfter);
    }

    /** One invalid field, as a validation problem. */
    public static ProblemException invalidField(String field, LocalizedText message) {
        return new ProblemException(
                CommonProblems.VALIDATION_FAILED, message, List.of(new Problem.FieldError(field, message.en())));
    }

    private ProblemException(
            ProblemType type, LocalizedText detail, List<Problem.FieldError> errors, Duration retryAfter) {
        super(type.slug() + ": " + detail.en(), null, false, false);
        this.type = Objects.requireNonNull(type, "type");
        this.detail = Objects.requireNonNull(detail, "detail");
        this.errors = errors == null ? null : List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    public ProblemType type() {
        return type;
    }

    public LocalizedText detail() {
        return detail;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
