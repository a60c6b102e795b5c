package cn.hongtong.common;

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

    public ProblemException(ProblemType type, LocalizedText detail) {
        this(type, detail, null);
    }

    public ProblemException(ProblemType type, LocalizedText detail, List<Problem.FieldError> errors) {
        super(type.slug() + ": " + detail.en(), null, false, false);
        this.type = Objects.requireNonNull(type, "type");
        this.detail = Objects.requireNonNull(detail, "detail");
        this.errors = errors == null ? null : List.copyOf(errors);
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
}
