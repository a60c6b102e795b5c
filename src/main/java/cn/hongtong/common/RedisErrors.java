package cn.hongtong.common;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Redis's error replies as the Vert.x client reports them: a lone command's as "CODE message", a
 * batch's as "ERR [index] CODE message" (the index of the command that failed). One place reads
 * both, for the outage classification and the hot path's retries.
 */
public final class RedisErrors {

    private static final Pattern BATCH_PREFIX = Pattern.compile("^ERR \\[\\d+\\] ");

    private RedisErrors() {}

    /** The error reply without a batch's prefix ("" for none). */
    public static String reply(Throwable failure) {
        String message = failure.getMessage();
        return message == null ? "" : BATCH_PREFIX.matcher(message).replaceFirst("");
    }

    /** Whether the reply starts with one of these codes. */
    public static boolean is(Throwable failure, String... codes) {
        return is(failure, List.of(codes));
    }

    public static boolean is(Throwable failure, List<String> codes) {
        String reply = reply(failure);
        return codes.stream().anyMatch(reply::startsWith);
    }
}
