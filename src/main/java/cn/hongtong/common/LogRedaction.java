package cn.hongtong.common;

import io.quarkus.logging.LoggingFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The last line of defence between a log call and the log: masks what must never be written
 * (query parameters that carry secrets or a person's identifiers, bearer tokens, JWTs, presigned
 * URL signatures, credentials in URIs), in the message and in every exception message of the
 * chain. Call sites are written not to log such things in the first place; this catches what a
 * library puts into an exception message (Vert.x and OkHttp put the full request URI there).
 */
@LoggingFilter(name = "redact")
public final class LogRedaction implements Filter {

    static final String MASK = "***";

    /** Query or form parameters whose value is a secret or identifies a person. */
    private static final Pattern SENSITIVE_PARAMETER = Pattern.compile(
            "(?i)\\b(secret|client_secret|appsecret|access_token|refresh_token|id_token|session_key|js_code|code"
                    + "|password|assertion|token|openid|unionid|idpUserId|renewalHandle|handle|sig|signature"
                    + "|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=([^&\\s\"',;)]+)");

    private static final Pattern BEARER = Pattern.compile("(?i)\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
    private static final Pattern URI_CREDENTIALS = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\\s:@]+:[^/\\s@]+@");
    /** JSON fields of WeChat's and Keycloak's answers that carry secrets or identifiers. */
    private static final Pattern SENSITIVE_JSON = Pattern.compile(
            "(?i)\"(access_token|refresh_token|id_token|session_key|openid|unionid|client_secret|secret|userId|userName)\""
                    + "\\s*:\\s*\"[^\"]*\"");

    /** {@code text} with every sensitive value masked; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = SENSITIVE_PARAMETER.matcher(text).replaceAll("$1=" + MASK);
        out = BEARER.matcher(out).replaceAll("$1 " + MASK);
        out = JWT.matcher(out).replaceAll(MASK);
        out = URI_CREDENTIALS.matcher(out).replaceAll("$1" + MASK + "@");
        out = SENSITIVE_JSON.matcher(out).replaceAll("\"$1\":\"" + MASK + "\"");
        return out;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String formatted = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String redacted = redact(formatted);
        if (redacted != null && !redacted.equals(formatted)) {
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(redacted, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(redacted);
            }
            record.setParameters(null);
        }
        Throwable thrown = record.getThrown();
        if (thrown != null && needsRedaction(thrown)) {
            record.setThrown(Redacted.of(thrown));
        }
        return true;
    }

    private static boolean needsRedaction(Throwable thrown) {
        List<Throwable> seen = new ArrayList<>();
        for (Throwable t = thrown; t != null && !seen.contains(t); t = t.getCause()) {
            seen.add(t);
            String message = t.getMessage();
            if (message != null && !message.equals(redact(message))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A copy of an exception chain whose messages are redacted: same stack traces, and the
     * original class at the head of the message (JSON logs print the message and this class's
     * name), so that the log still says what failed.
     */
    static final class Redacted extends RuntimeException {

        private Redacted(Throwable original, Throwable cause) {
            super(
                    original.getClass().getName()
                            + (original.getMessage() == null ? "" : ": " + redact(original.getMessage())),
                    cause,
                    false,
                    true);
            setStackTrace(original.getStackTrace());
        }

        static Throwable of(Throwable original) {
            List<Throwable> chain = new ArrayList<>();
            for (Throwable t = original; t != null && !chain.contains(t); t = t.getCause()) {
                chain.add(t);
            }
            Throwable copy = null;
            for (int i = chain.size() - 1; i >= 0; i--) {
                copy = new Redacted(chain.get(i), copy);
            }
            return copy;
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
