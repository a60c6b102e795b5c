package cn.hongtong.credit;

import static cn.hongtong.credit.CreditFixtures.assessment;
import static cn.hongtong.credit.CreditFixtures.complete;
import static cn.hongtong.credit.CreditFixtures.course;
import static cn.hongtong.credit.CreditFixtures.learner;
import static cn.hongtong.credit.CreditFixtures.project;
import static cn.hongtong.credit.CreditFixtures.start;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.credit.CreditFixtures.Course;
import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Management;
import cn.hongtong.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Correct answers never reach a learner before submission, checked two ways over the OpenAPI
 * document: no schema a learner-facing operation answers with has an answer or an explanation
 * except through a submitted attempt's result; and every learner-facing GET, called with the ids
 * of an open attempt, answers no answer key and no explanation text.
 */
@QuarkusTest
class AnswersNeverLeakTest {

    private static final Set<String> SECRET_FIELDS = Set.of("correct", "explanation");

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    private static JsonPath openApi() {
        return JsonPath.from(Management.request()
                .queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    private static boolean learnerFacing(String path) {
        return !path.startsWith("/api/v1/admin/")
                && !path.startsWith("/api/v1/stats/")
                && !path.startsWith("/test-support/");
    }

    @Test
    void noLearnerFacingSchemaCarriesAnswersExceptASubmittedResult() {
        JsonPath doc = openApi();
        Map<String, Map<String, Object>> schemas = doc.getMap("components.schemas");
        Set<String> holding = new TreeSet<>();
        schemas.forEach((name, schema) -> {
            Object props = schema.get("properties");
            if (props instanceof Map<?, ?> p && p.keySet().stream().anyMatch(SECRET_FIELDS::contains)) {
                holding.add(name);
            }
        });
        assertTrue(holding.contains("Reviewed"), "the review of a submitted attempt carries the answers: " + holding);
        // Every schema reachable from a learner-facing response, not descending into a submitted result.
        Deque<Object> todo = new ArrayDeque<>();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        paths.forEach((path, ops) -> {
            if (learnerFacing(path)) {
                ops.values().forEach(op -> {
                    if (op instanceof Map<?, ?> m && m.get("responses") != null) {
                        todo.add(m.get("responses"));
                    }
                });
            }
        });
        Set<String> reached = new HashSet<>();
        while (!todo.isEmpty()) {
            Object node = todo.pop();
            if (node instanceof Map<?, ?> map) {
                Object ref = map.get("$ref");
                if (ref instanceof String r && r.startsWith("#/components/schemas/")) {
                    String name = r.substring("#/components/schemas/".length());
                    if (!name.equals("AttemptResult") && reached.add(name)) {
                        todo.add(schemas.get(name));
                    }
                }
                map.values().forEach(todo::add);
            } else if (node instanceof List<?> list) {
                list.forEach(todo::add);
            }
        }
        assertTrue(reached.contains("Attempt") && reached.contains("PaperQuestion"), reached.toString());
        Set<String> leaking = new TreeSet<>(reached);
        leaking.retainAll(holding);
        assertEquals(Set.of(), leaking, "learner-facing schemas that carry answers outside a submitted result");
    }

    @Test
    void noLearnerFacingGetAnswersAnAnswerWhileTheAttemptIsOpen() throws Exception {
        Course course = course(fixtures, project("national", "I", 10), 3);
        assessment(course.id(), 2, 50, 3, 0, null, 3);
        String token = learner("黄医生");
        complete(fixtures, clock, token, course);
        UUID attempt = UUID.randomUUID();
        AssessmentTest.assertNoAnswers(start(token, course.id(), attempt)
                .then()
                .statusCode(200)
                .extract()
                .asString());
        Map<String, Map<String, Object>> paths = openApi().getMap("paths");
        List<String> called = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : paths.entrySet()) {
            if (!learnerFacing(e.getKey())
                    || !e.getValue().containsKey("get")
                    || e.getKey().startsWith("/api/v1/media/")) {
                continue;
            }
            String path = e.getKey()
                    .replace("{courseId}", course.id().toString())
                    .replace("{attemptId}", attempt.toString())
                    .replace("{lessonId}", course.lesson().toString())
                    .replace("{year}", "2026")
                    .replace("{code}", "52");
            path = path.startsWith("/api/v1/lessons/")
                    ? path.replace("{id}", course.lesson().toString())
                    : path.replace("{id}", course.id().toString());
            Response r = given().auth().oauth2(token).accept("application/json").get(path);
            assertTrue(r.statusCode() < 500, path + " -> " + r.statusCode());
            if (!"application/pdf".equals(r.contentType())) {
                AssessmentTest.assertNoAnswers(r.asString());
            }
            called.add(path);
        }
        assertTrue(called.stream().anyMatch(p -> p.endsWith("/attempts/" + attempt)), called.toString());
        assertFalse(called.isEmpty());
    }
}
