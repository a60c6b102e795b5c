package cn.hongtong.common;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.Management;
import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the OpenAPI document, called as each kind of caller, against the expected
 * outcomes kept in {@code src/test/resources/authorization-matrix.tsv}. An operation missing from
 * the table fails the test, so a new endpoint cannot slip through without a decision. Then every
 * protected operation with forged tokens: expired, for another audience, from another issuer,
 * unsigned ({@code alg: none}), with an altered signature.
 */
@QuarkusTest
class AuthorizationMatrixTest {

    static final List<String> CALLERS =
            List.of("anonymous", "learner", "other-learner", "course-admin", "analyst-gz", "admin");

    @Inject
    Fixtures fixtures;

    private final Map<String, String> tokens = new LinkedHashMap<>();
    private String session;
    private UUID lesson;

    @BeforeEach
    void callers() {
        lesson = Learning.lesson(fixtures, 60);
        String learner = Learning.newLearner();
        session = Learning.startSession(learner, lesson, "phone");
        tokens.put("learner", learner);
        tokens.put("other-learner", Learning.newLearner());
        tokens.put("course-admin", Tokens.of("editor"));
        tokens.put("analyst-gz", Tokens.of("analyst-gz"));
        tokens.put("admin", Tokens.of("admin"));
    }

    record Operation(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static Map<Operation, List<String>> expected() throws IOException {
        Map<Operation, List<String>> table = new LinkedHashMap<>();
        try (InputStream in = AuthorizationMatrixTest.class.getResourceAsStream("/authorization-matrix.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#") || line.startsWith("method\t")) {
                    continue;
                }
                String[] cells = line.split("\t");
                assertEquals(2 + CALLERS.size(), cells.length, "columns of: " + line);
                table.put(new Operation(cells[0], cells[1]), List.of(cells).subList(2, cells.length));
            }
        }
        return table;
    }

    private static List<Operation> documented() {
        JsonPath doc = JsonPath.from(Management.request()
                .queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        List<Operation> out = new ArrayList<>();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        // The test build's own probe resources (testsupport) are not part of the API.
        paths.entrySet().removeIf(e -> e.getKey().startsWith("/test-support/"));
        paths.forEach((path, ops) -> ops.keySet().stream()
                .filter(m -> List.of("get", "post", "put", "delete", "patch").contains(m))
                .forEach(m -> out.add(new Operation(m.toUpperCase(), path))));
        return out;
    }

    @Test
    void everyOperationIsInTheTableAndTheTableHasNoOther() throws IOException {
        Map<Operation, List<String>> table = expected();
        List<Operation> documented = documented();
        TreeSet<String> missing = new TreeSet<>();
        documented.stream().filter(op -> !table.containsKey(op)).forEach(op -> missing.add(op.toString()));
        TreeSet<String> stale = new TreeSet<>();
        table.keySet().stream().filter(op -> !documented.contains(op)).forEach(op -> stale.add(op.toString()));
        assertTrue(missing.isEmpty(), "operations without an expected outcome in authorization-matrix.tsv: " + missing);
        assertTrue(stale.isEmpty(), "rows of authorization-matrix.tsv for operations that do not exist: " + stale);
        assertTrue(documented.size() >= 40, "the OpenAPI document lists the API: " + documented.size());
    }

    @Test
    void everyCallerGetsExactlyWhatTheTableSays() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<Operation, List<String>> row : expected().entrySet()) {
            for (int i = 0; i < CALLERS.size(); i++) {
                String caller = CALLERS.get(i);
                Response response = call(row.getKey(), tokens.get(caller));
                String outcome = outcome(response, row.getValue().get(i));
                if (!outcome.equals(row.getValue().get(i))) {
                    wrong.add(row.getKey() + " as " + caller + ": expected "
                            + row.getValue().get(i) + ", got "
                            + response.statusCode() + " "
                            + response.asString()
                                    .replaceAll("\\s+", " ")
                                    .substring(
                                            0, Math.min(160, response.asString().length())));
                }
                if (response.statusCode() == 401 || response.statusCode() == 403) {
                    assertTrue(
                            response.contentType().startsWith("application/problem+json"),
                            row.getKey() + " as " + caller);
                }
            }
        }
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " outcomes differ from authorization-matrix.tsv:\n" + String.join("\n", wrong));
        }
    }

    @Test
    void forgedTokensAreRefusedEverywhere() throws IOException, InterruptedException {
        String good = Tokens.fromClient("hongtong-dev", "admin");
        String expiring = Tokens.fromClient("hongtong-dev-short", "admin");
        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("another audience", Tokens.fromClient("hongtong-dev-other", "admin"));
        forged.put("another issuer", Tokens.tampered(good, "iss", "https://evil.example/realms/hongtong"));
        forged.put("a raised role", Tokens.tampered(good, "preferred_username", "root"));
        String[] parts = good.split("\\.");
        forged.put("alg none", base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".");
        char last = parts[2].charAt(parts[2].length() / 2);
        forged.put(
                "an altered signature",
                parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() / 2)
                        + (last == 'A' ? 'B' : 'A') + parts[2].substring(parts[2].length() / 2 + 1));
        forged.put("garbage", "not-a-jwt");
        Thread.sleep(2_500);
        forged.put("expired", expiring);
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<Operation, List<String>> row : expected().entrySet()) {
            if (!row.getValue().get(0).equals("401")) {
                continue;
            }
            for (Map.Entry<String, String> token : forged.entrySet()) {
                Response response = call(row.getKey(), token.getValue());
                if (response.statusCode() != 401 || !response.contentType().startsWith("application/problem+json")) {
                    wrong.add(row.getKey() + " with " + token.getKey() + ": " + response.statusCode());
                }
            }
        }
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " forged tokens were not refused with 401:\n" + String.join("\n", wrong));
        }
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** 401, 403, 404 where the table hides, otherwise ok; a 5xx is always a failure. */
    private static String outcome(Response response, String expected) {
        int status = response.statusCode();
        if (status >= 500) {
            return "5xx";
        }
        if (status == 401 || status == 403) {
            return Integer.toString(status);
        }
        if (status == 404 && expected.equals("404")) {
            return "404";
        }
        return "ok";
    }

    private Response call(Operation op, String token) {
        String path = op.path()
                .replace("{assetId}", UUID.randomUUID().toString())
                .replace("{rendition}", "360p")
                .replace("{code}", "52")
                .replace("{lessonId}", lesson.toString())
                .replace("{courseId}", UUID.randomUUID().toString())
                .replace("{attemptId}", UUID.randomUUID().toString())
                .replace("{questionId}", UUID.randomUUID().toString())
                .replace("{year}", "2026");
        if (path.startsWith("/api/v1/sessions/")) {
            path = path.replace("{id}", session);
        } else if (path.startsWith("/api/v1/lessons/")) {
            path = path.replace("{id}", lesson.toString());

        } else {
            path = path.replace("{id}", UUID.randomUUID().toString());
        }
        RequestSpecification request = given().redirects().follow(false);
        if (path.startsWith("/api/v1/media/")) {
            request = request.queryParam("exp", 1).queryParam("sig", "invalid");
        }
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        if (path.endsWith("/heartbeats")) {
            // A valid heartbeat, so that ownership (not validation) decides.
            request = request.contentType("application/json")
                    .body("{\"seq\":1,\"position\":0,\"rate\":1,\"state\":\"paused\",\"played\":[]}");
        } else if (!op.method().equals("GET") && !op.method().equals("DELETE")) {
            request = request.contentType("application/json").body("{}");
        }
        return request.request(op.method(), path);
    }
}
