package cn.hongtong.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.Tokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Generated bad input (issue 7, part): malformed, oversized, mistyped, out-of-range and hostile
 * requests to every endpoint that takes input. Each generated request breaks at least one rule of
 * its endpoint, so each must be refused: a 4xx, as problem+json, never a 5xx, never a stack trace;
 * and together they must leave the database and the event stream as they were. Reproducible:
 * {@code -Dfuzz.seed=N}, {@code -Dfuzz.cases=N} (default 10,000); a failure names the seed and case.
 */
@QuarkusTest
class BadInputFuzzTest {

    static final long SEED = Long.getLong("fuzz.seed", 20261122L);
    static final int CASES = Integer.getInteger("fuzz.cases", 10_000);

    @Inject
    Fixtures fixtures;

    @Inject
    RedisDataSource redis;

    enum Kind {
        INT,
        NUM,
        ENUM,
        TEXT,
        UUID,
        INSTANT,
        LIST
    }

    /** A body field: its kind, whether required, its bounds (numbers) or longest length (text). */
    record Field(String name, Kind kind, boolean required, double min, double max, String valid) {}

    record Target(String method, String path, String caller, List<Field> fields, String wrapper) {}

    static Field f(String name, Kind kind, boolean required, double min, double max, String valid) {
        return new Field(name, kind, required, min, max, valid);
    }

    private List<Target> targets(String session) {
        String random = UUID.randomUUID().toString();
        List<Field> heartbeat = List.of(
                f("seq", Kind.INT, true, 1, Integer.MAX_VALUE, "1"),
                f("position", Kind.NUM, true, 0, 86400, "0"),
                f("rate", Kind.NUM, true, 0.1, 16, "1"),
                f("state", Kind.ENUM, true, 0, 0, "\"paused\""),
                f("played", Kind.LIST, true, 0, 64, "[]"));
        List<Field> play = List.of(
                f("playId", Kind.UUID, true, 0, 0, "\"" + UUID.randomUUID() + "\""),
                f("grant", Kind.TEXT, true, 1, 1024, "\"g\""),
                f("lessonId", Kind.UUID, true, 0, 0, "\"" + random + "\""),
                f("deviceId", Kind.ENUM, true, 0, 0, "\"tablet\""),
                f("startedAt", Kind.INSTANT, true, 0, 0, "\"2026-01-01T00:00:00Z\""),
                f("endedAt", Kind.INSTANT, true, 0, 0, "\"2026-01-01T00:01:00Z\""),
                f("rate", Kind.NUM, false, 0.1, 16, "1"),
                f("played", Kind.LIST, true, 0, 256, "[]"));
        return List.of(
                new Target("POST", "/api/v1/sessions/" + session + "/heartbeats", "learner", heartbeat, null),
                new Target(
                        "POST",
                        "/api/v1/sessions",
                        "learner",
                        List.of(
                                f("lessonId", Kind.UUID, true, 0, 0, "\"" + random + "\""),
                                f("deviceId", Kind.ENUM, true, 0, 0, "\"phone\""),
                                f("client", Kind.ENUM, true, 0, 0, "\"app\"")),
                        null),
                new Target("POST", "/api/v1/sessions/offline", "learner", play, "{\"plays\":[%s]}"),
                new Target(
                        "PUT",
                        "/api/v1/me",
                        "learner",
                        List.of(
                                f("displayName", Kind.TEXT, false, 1, 30, "\"名\""),
                                f("profession", Kind.ENUM, false, 0, 0, "\"nurse\""),
                                f("institutionId", Kind.INT, false, 1, Long.MAX_VALUE, "null"),
                                f("regionCode", Kind.ENUM, false, 0, 0, "\"52\"")),
                        null),
                new Target(
                        "POST",
                        "/api/v1/admin/courses",
                        "editor",
                        List.of(
                                f("title", Kind.TEXT, true, 1, 100, "\"t\""),
                                f("summary", Kind.TEXT, false, 0, 2000, "\"s\""),
                                f("categoryCode", Kind.ENUM, true, 0, 0, "\"pharmacy\""),
                                f("creditClass", Kind.ENUM, true, 0, 0, "\"I\""),
                                f("creditHours", Kind.NUM, true, 0, 100, "1.0"),
                                f("coverAssetId", Kind.UUID, false, 0, 0, "null")),
                        null),
                new Target(
                        "POST",
                        "/api/v1/admin/courses/" + random + "/lessons",
                        "editor",
                        List.of(
                                f("title", Kind.TEXT, true, 1, 100, "\"t\""),
                                f("mediaAssetId", Kind.UUID, false, 0, 0, "null"),
                                f("position", Kind.INT, false, 1, Integer.MAX_VALUE, "null")),
                        null),
                new Target(
                        "PUT",
                        "/api/v1/admin/courses/" + random + "/lessons/order",
                        "editor",
                        List.of(f("lessonIds", Kind.LIST, true, 1, 500, "[\"" + random + "\"]")),
                        null),
                new Target(
                        "POST",
                        "/api/v1/admin/media/uploads",
                        "editor",
                        List.of(
                                f("fileName", Kind.TEXT, true, 1, 255, "\"a.mp4\""),
                                f("contentType", Kind.TEXT, true, 1, 100, "\"video/mp4\""),
                                f("size", Kind.INT, true, 1, Long.MAX_VALUE, "1000")),
                        null),
                new Target(
                        "POST",
                        "/api/v1/auth/wechat/mini-program",
                        null,
                        List.of(f("code", Kind.ENUM, true, 0, 128, "\"c\"")),
                        null),
                new Target(
                        "POST",
                        "/api/v1/auth/wechat/app",
                        null,
                        List.of(f("code", Kind.ENUM, true, 0, 128, "\"c\"")),
                        null),
                new Target(
                        "POST",
                        "/api/v1/auth/refresh",
                        null,
                        List.of(f("renewalHandle", Kind.ENUM, true, 0, 128, "\"h\"")),
                        null),
                new Target(
                        "POST",
                        "/api/v1/admin/cme-projects",
                        "editor",
                        List.of(
                                f("number", Kind.ENUM, true, 0, 40, "\"P-1\""),
                                f("name", Kind.TEXT, true, 1, 200, "\"n\""),
                                f("level", Kind.ENUM, true, 0, 0, "\"national\""),
                                f("creditClass", Kind.ENUM, true, 0, 0, "\"I\""),
                                f("credits", Kind.NUM, true, 0.1, 50, "1"),
                                f("issuer", Kind.TEXT, true, 1, 100, "\"i\""),
                                f("validFrom", Kind.INSTANT, true, 0, 0, "\"2026-01-01\""),
                                f("validTo", Kind.INSTANT, true, 0, 0, "\"2026-12-31\"")),
                        null),
                new Target(
                        "PUT",
                        "/api/v1/admin/courses/" + random + "/assessment",
                        "editor",
                        List.of(
                                f("questionsPerAttempt", Kind.INT, true, 1, 100, "1"),
                                f("passPercent", Kind.INT, true, 1, 100, "60"),
                                f("attemptLimit", Kind.INT, true, 1, 20, "3"),
                                f("cooldownMinutes", Kind.INT, true, 0, 10080, "0"),
                                f("timeLimitSeconds", Kind.INT, false, 60, 14400, "null")),
                        null),
                new Target(
                        "POST",
                        "/api/v1/admin/courses/" + random + "/assessment/questions",
                        "editor",
                        List.of(
                                f("kind", Kind.ENUM, true, 0, 0, "\"single\""),
                                f("stem", Kind.TEXT, true, 1, 1000, "\"s\""),
                                f(
                                        "options",
                                        Kind.LIST,
                                        true,
                                        2,
                                        8,
                                        "[{\"id\":\"a\",\"text\":\"x\"},{\"id\":\"b\",\"text\":\"y\"}]"),
                                f("correct", Kind.LIST, true, 1, 8, "[\"a\"]"),
                                f("explanation", Kind.TEXT, false, 0, 2000, "\"e\"")),
                        null),
                new Target(
                        "POST",
                        "/api/v1/me/courses/" + random + "/assessment/attempts",
                        "learner",
                        List.of(f("attemptId", Kind.UUID, true, 0, 0, "\"" + UUID.randomUUID() + "\"")),
                        null),
                new Target(
                        "POST",
                        "/api/v1/me/courses/" + random + "/assessment/attempts/" + random + "/submission",
                        "learner",
                        List.of(f("answers", Kind.LIST, true, 0, 100, "[]")),
                        null),
                new Target(
                        "PUT",
                        "/api/v1/me/cme-id",
                        "learner",
                        List.of(f("cmeId", Kind.ENUM, false, 0, 40, "\"A-1\"")),
                        null),
                new Target(
                        "POST",
                        "/api/v1/admin/credits/" + random + "/revoke",
                        "admin",
                        List.of(f("reason", Kind.TEXT, true, 1, 500, "\"r\"")),
                        null));
    }

    /** Query-string endpoints: each parameter with values it refuses. */
    static final Map<String, List<String>> QUERY_TARGETS = new LinkedHashMap<>();

    static {
        List<String> stats = List.of("overview", "series", "courses", "regions", "institutions", "professions");
        for (String s : stats) {
            QUERY_TARGETS.put("/api/v1/stats/" + s, List.of("from", "to", "region", "course", "category"));
        }
        QUERY_TARGETS.put("/api/v1/stats/series#", List.of("granularity"));
        QUERY_TARGETS.put("/api/v1/stats/courses#", List.of("sort", "order", "limit"));
        QUERY_TARGETS.put("/api/v1/me/ledger", List.of("from", "to"));
        QUERY_TARGETS.put("/api/v1/stats/credits", List.of("from", "to", "region", "course", "category", "by"));
        QUERY_TARGETS.put("/api/v1/me/credits", List.of("year"));
        QUERY_TARGETS.put("/api/v1/admin/credits", List.of("code"));
    }

    static final String OVERSIZED = "{\"pad\":\"" + "x".repeat(1_100_000) + "\"}";

    static final String[] HOSTILE = {
        "'; DROP TABLE learner; --",
        "<script>alert(1)</script>",
        "\u0000",
        "\u202Egnp.exe",
        "💥🔥",
        " ",
        "%00",
        "../../etc/passwd",
        "${jndi:ldap://x}",
        "\r\nX-Injected: 1",
        "NaN",
        "-Infinity",
        "null",
        "{{7*7}}",
        "\\",
        "\"",
        "𠜎𠜱𠝹",
        "0x7fffffff"
    };

    private static String hostile(Random r) {
        return HOSTILE[r.nextInt(HOSTILE.length)] + (r.nextBoolean() ? "" : "é".repeat(r.nextInt(3)));
    }

    private static String json(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** A value this field refuses, whatever else the body holds. */
    private static String invalid(Field field, Random r) {
        List<String> options = new ArrayList<>(List.of("{}", "[[[]]]", "{\"$gt\":\"\"}"));
        switch (field.kind()) {
            case INT -> {
                // Strings that Jackson cannot read as a number (it reads "12", and blank as null).
                options.addAll(List.of(
                        "\"abc\"",
                        "\"12abc\"",
                        Long.toString((long) field.min() - 1 - r.nextInt(1000)),
                        "1e400",
                        "99999999999999999999999999"));
                if (field.max() < Long.MAX_VALUE) {
                    options.add(Long.toString((long) field.max() + 1 + r.nextInt(1000)));
                }
            }
            case NUM ->
                options.addAll(List.of(
                        "\"abc\"",
                        "\"12abc\"",
                        "1e400",
                        "-1e400",
                        Double.toString(field.min() - 0.5 - r.nextInt(1000)),
                        Double.toString(field.max() + 0.5 + r.nextInt(1000))));
            case ENUM -> {
                // Every pattern of these fields refuses a space.
                options.addAll(List.of(json(hostile(r) + " !"), json("A".repeat(200 + r.nextInt(5000)) + " !")));
                if (field.required()) {
                    options.add("\"\"");
                }
            }
            case TEXT -> {
                options.add(json("x".repeat((int) field.max() + 1 + r.nextInt(3000))));
                if (field.min() > 0) {
                    options.add("\"\"");
                }
            }
            case UUID ->
                options.addAll(List.of(json(hostile(r)), "\"not-a-uuid\"", "\"" + UUID.randomUUID() + "0\"", "42"));
            case INSTANT ->
                options.addAll(List.of("\"2026-13-45T00:00:00Z\"", "\"yesterday\"", json(hostile(r)), "true"));
            case LIST ->
                options.addAll(List.of(
                        "\"x\"",
                        "42",
                        "[[\"a\",\"b\"]]",
                        "[[1,2,3]]",
                        "[[-1,2]]",
                        "[[1e9,2]]",
                        "[null]",
                        "[" + "[0,1],".repeat((int) field.max()) + "[0,1]]"));
        }
        if (field.required()) {
            options.add("null");
        }
        return options.get(r.nextInt(options.size()));
    }

    private static String body(Target t, Map<String, String> values) {
        StringBuilder b = new StringBuilder("{");
        values.forEach((k, v) -> b.append(b.length() > 1 ? "," : "")
                .append('"')
                .append(k)
                .append("\":")
                .append(v));
        String object = b.append('}').toString();
        return t.wrapper() == null ? object : String.format(t.wrapper(), object);
    }

    /** One request that breaks a rule of the target; describes itself for the failure message. */
    private static String[] generate(Target t, Random r) {
        Map<String, String> values = new LinkedHashMap<>();
        t.fields().forEach(f -> values.put(f.name(), f.valid()));
        String contentType = "application/json";
        String body;
        String how;
        switch (r.nextInt(10)) {
            case 0 -> {
                String whole = body(t, values);
                body = whole.substring(0, r.nextInt(Math.max(1, whole.length() - 1)));
                how = "truncated";
            }
            case 1 -> {
                body = List.of("[]", "\"x\"", "42", "null", "true", "{\"a\":", "}{", "\u0000", "")
                        .get(r.nextInt(9));
                how = "not an object";
            }
            case 2 -> {
                Field required =
                        t.fields().stream().filter(Field::required).findFirst().orElse(null);
                if (required == null) {
                    body = "[" + body(t, values) + "]";
                    how = "wrapped in an array";
                } else {
                    values.remove(required.name());
                    body = body(t, values);
                    how = "without " + required.name();
                }
            }
            case 3 -> {
                body = "[".repeat(2000 + r.nextInt(3000)) + "]".repeat(10);
                how = "deeply nested";
            }
            case 4 -> {
                // Over the 1 MiB limit now and then; mostly large but allowed bodies of junk fields.
                body = r.nextInt(20) == 0
                        ? OVERSIZED
                        : "{\"pad\":\"" + "x".repeat(r.nextInt(100_000)) + "\","
                                + body(t, values).substring(1);
                how = body == OVERSIZED ? "oversized" : "padded";
                if (body != OVERSIZED) {
                    Field field = t.fields().get(r.nextInt(t.fields().size()));
                    values.put(field.name(), invalid(field, r));
                    body = "{\"pad\":\"" + "x".repeat(r.nextInt(100_000)) + "\","
                            + body(t, values).substring(1);
                    how = "padded, " + field.name() + " = " + values.get(field.name());
                }
            }
            case 5 -> {
                body = body(t, values);
                contentType = List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")
                        .get(r.nextInt(3));
                how = "as " + contentType;
            }
            default -> {
                Field field = t.fields().get(r.nextInt(t.fields().size()));
                values.put(field.name(), invalid(field, r));
                body = body(t, values);
                how = field.name() + " = " + values.get(field.name());
            }
        }
        return new String[] {body, contentType, how};
    }

    private static String badQueryValue(String param, Random r) {
        List<String> options = new ArrayList<>(List.of(hostile(r), "x".repeat(300)));
        switch (param) {
            case "from", "to" ->
                options.addAll(List.of("2026-02-30", "yesterday", "99999-01-01", "1999-12-31", "2026-1-1"));
            case "region" -> options.addAll(List.of("5", "529999999999", "52%", "all ", "ALL"));
            case "course" ->
                options.addAll(List.of(
                        "not-a-uuid", UUID.randomUUID() + "0", UUID.randomUUID().toString()));
            case "category" -> options.addAll(List.of("A", "no-such-category", "-x"));
            case "granularity" -> options.addAll(List.of("year", "DAY"));
            case "sort" -> options.addAll(List.of("popularity", "title;"));
            case "order" -> options.addAll(List.of("up", "DESC"));
            case "limit" -> options.addAll(List.of("0", "-1", "1001", "1e3", "2147483648"));
            case "year" -> options.addAll(List.of("1999", "2101", "2026.5", "-2026", "99999999999"));
            case "by" -> options.addAll(List.of("lesson", "COURSE", "course,region"));
            default -> {}
        }
        return options.get(r.nextInt(options.size()));
    }

    private Map<String, Long> state() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : List.of(
                "learner",
                "course",
                "lesson",
                "media_asset",
                "learning_session",
                "hours_ledger",
                "lesson_progress",
                "offline_play",
                "renewal_handle",
                "stats_daily",
                "cme_project",
                "assessment",
                "assessment_question",
                "assessment_attempt",
                "credit_grant")) {
            counts.put(table, fixtures.queryLong("SELECT count(*) FROM " + table));
        }
        long events = 0;
        for (String stream : Learning.EVENT_STREAMS) {
            events += redis.stream(String.class).xlen(stream);
        }
        counts.put("redis learning:events (every shard)", events);
        return counts;
    }

    /** The flusher and other tests' leftovers settle before the snapshot. */
    private Map<String, Long> settledState() throws InterruptedException {
        Map<String, Long> last = state();
        for (int i = 0; i < 50; i++) {
            Thread.sleep(200);
            Map<String, Long> now = state();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    @Test
    void generatedBadRequestsAreRefusedCleanlyAndChangeNothing() throws Exception {
        String learner = Learning.newLearner();
        String session = Learning.startSession(learner, Learning.lesson(fixtures, 60), "phone");
        Map<String, String> tokens = Map.of(
                "learner",
                learner,
                "editor",
                Tokens.of("editor"),
                "analyst",
                Tokens.of("analyst"),
                "admin",
                Tokens.of("admin"));
        List<Target> targets = targets(session);
        List<String> queryPaths = new ArrayList<>(QUERY_TARGETS.keySet());
        // Plain java.net.http: ten thousand requests through rest-assured would take minutes.
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://localhost:" + RestAssured.port;
        Map<String, Long> before = settledState();
        Random r = new Random(SEED);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < CASES && failures.size() < 20; i++) {
            HttpRequest.Builder request;
            String what;
            if (r.nextInt(5) == 0) {
                String key = queryPaths.get(r.nextInt(queryPaths.size()));
                String path = key.replace("#", "");
                List<String> params = QUERY_TARGETS.get(key);
                String param = params.get(r.nextInt(params.size()));
                String value = badQueryValue(param, r);
                String query = param + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
                String caller = "analyst";
                if (path.startsWith("/api/v1/me/")) {
                    caller = "learner";
                } else if (path.startsWith("/api/v1/admin/")) {
                    caller = "admin";
                }
                if (path.equals("/api/v1/me/ledger")) {
                    query += param.equals("from") ? "&to=2026-01-31" : "&from=2026-01-01";
                }
                what = "GET " + path + "?" + param + "=" + value;
                request = HttpRequest.newBuilder(URI.create(base + path + "?" + query))
                        .GET()
                        .header("Authorization", "Bearer " + tokens.get(caller));
            } else {
                Target t = targets.get(r.nextInt(targets.size()));
                String[] generated = generate(t, r);
                what = t.method() + " " + t.path() + " (" + generated[2] + ")";
                request = HttpRequest.newBuilder(URI.create(base + t.path()))
                        .method(t.method(), HttpRequest.BodyPublishers.ofString(generated[0], StandardCharsets.UTF_8))
                        .header("Content-Type", generated[1] + "; charset=UTF-8");
                if (t.caller() != null) {
                    request.header("Authorization", "Bearer " + tokens.get(t.caller()));
                }
            }
            HttpResponse<String> response = client.send(
                    request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            int status = response.statusCode();
            String text = response.body();
            String type = response.headers().firstValue("Content-Type").orElse(null);
            if (status < 400 || status >= 500) {
                failures.add("case " + i + ": " + what + " -> " + status + " "
                        + text.substring(0, Math.min(200, text.length())));
            } else if (type == null
                    || !type.startsWith("application/problem+json")
                    || !text.contains("urn:hongtong:problem:")
                    || text.contains("Exception")
                    || text.contains("\tat ")
                    || text.contains("java.")) {
                failures.add("case " + i + ": " + what + " -> " + status + " " + type + " "
                        + text.substring(0, Math.min(200, text.length())));
            }
        }
        if (!failures.isEmpty()) {
            fail("seed " + SEED + ": " + failures.size() + " bad requests were not refused cleanly:\n"
                    + String.join("\n", failures));
        }
        assertEquals(before, settledState(), "refused requests changed stored state");
    }
}
