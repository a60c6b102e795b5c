package cn.hongtong.common;

/** Problem kinds shared by every feature: protocol-level errors and the unexpected. */
public final class CommonProblems {

    public static final ProblemType MALFORMED_REQUEST =
            new ProblemType("malformed-request", 400, LocalizedText.of("请求格式错误", "Malformed request"));
    public static final ProblemType VALIDATION_FAILED =
            new ProblemType("validation-failed", 400, LocalizedText.of("请求参数不合法", "Invalid request"));
    public static final ProblemType UNAUTHENTICATED =
            new ProblemType("unauthenticated", 401, LocalizedText.of("需要登录", "Authentication required"));
    public static final ProblemType FORBIDDEN =
            new ProblemType("forbidden", 403, LocalizedText.of("无权访问", "Forbidden"));
    public static final ProblemType NOT_FOUND =
            new ProblemType("not-found", 404, LocalizedText.of("资源不存在", "Not found"));
    public static final ProblemType METHOD_NOT_ALLOWED =
            new ProblemType("method-not-allowed", 405, LocalizedText.of("不支持该请求方法", "Method not allowed"));
    public static final ProblemType NOT_ACCEPTABLE =
            new ProblemType("not-acceptable", 406, LocalizedText.of("无法提供所要求的格式", "Not acceptable"));
    public static final ProblemType CONFLICT =
            new ProblemType("conflict", 409, LocalizedText.of("与当前状态冲突", "Conflict"));
    public static final ProblemType PAYLOAD_TOO_LARGE =
            new ProblemType("payload-too-large", 413, LocalizedText.of("请求体过大", "Payload too large"));
    public static final ProblemType UNSUPPORTED_MEDIA_TYPE =
            new ProblemType("unsupported-media-type", 415, LocalizedText.of("不支持的内容类型", "Unsupported media type"));
    public static final ProblemType RATE_LIMITED =
            new ProblemType("rate-limited", 429, LocalizedText.of("请求过于频繁", "Too many requests"));
    public static final ProblemType INTERNAL =
            new ProblemType("internal", 500, LocalizedText.of("服务器内部错误", "Internal server error"));
    public static final ProblemType UNAVAILABLE =
            new ProblemType("unavailable", 503, LocalizedText.of("服务暂时不可用", "Service temporarily unavailable"));

    private CommonProblems() {}

    /** The generic kind for a bare HTTP status, for errors raised below the application. */
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 503 -> UNAVAILABLE;
            default -> status >= 400 && status < 500 ? MALFORMED_REQUEST : INTERNAL;
        };
    }
}
