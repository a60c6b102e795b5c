package cn.hongtong.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The RFC 9457 body of every error: {@code type} is stable, {@code title} and {@code detail}
 * are in the caller's language, {@code errors} lists invalid fields, {@code incident} lets
 * support find the log line of an unexpected failure.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        List<FieldError> errors,
        String incident) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid input: where it is (a field path or parameter name) and what is wrong. */
    public record FieldError(String field, String message) {}
}
