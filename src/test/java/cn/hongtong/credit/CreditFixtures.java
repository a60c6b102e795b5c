package cn.hongtong.credit;

import static io.restassured.RestAssured.given;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.TestClock;
import cn.hongtong.testsupport.Tokens;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Projects, courses in them, question banks, and learners who complete courses, through the API. */
final class CreditFixtures {

    static final String VILLAGE = "520121001200";

    private CreditFixtures() {}

    /** A national class I project valid this year and next, allowing {@code credits} per learner. */
    static String project(String level, String creditClass, double credits) {
        int year = LocalDate.now().getYear();
        return given().auth()
                .oauth2(Tokens.of("editor"))
                .contentType("application/json")
                .body(String.format(
                        Locale.ROOT,
                        "{\"number\":\"%s\",\"name\":\"基层常见病诊疗进展\",\"level\":\"%s\","
                                + "\"creditClass\":\"%s\",\"credits\":%s,\"issuer\":\"全国继续医学教育委员会\","
                                + "\"validFrom\":\"%d-01-01\",\"validTo\":\"%d-12-31\"}",
                        "2026-04-" + UUID.randomUUID().toString().substring(0, 8),
                        level,
                        creditClass,
                        credits,
                        year - 1,
                        year + 1))
                .post("/api/v1/admin/cme-projects")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** A published one-lesson course (a 20 s video) of {@code hours} credit hours, in a project. */
    static Course course(Fixtures fixtures, String project, double hours) {
        UUID lesson = Learning.lesson(fixtures, 20);
        String course = fixtures.queryString("SELECT course_id::text FROM lesson WHERE id = $1", lesson);
        fixtures.execute(
                "UPDATE course SET credit_hours = $2 WHERE id = $1",
                UUID.fromString(course),
                BigDecimal.valueOf(hours));
        if (project != null) {
            given().auth()
                    .oauth2(Tokens.of("editor"))
                    .contentType("application/json")
                    .body("{\"projectId\":\"" + project + "\"}")
                    .put("/api/v1/admin/courses/" + course + "/cme-project")
                    .then()
                    .statusCode(200);
        }
        return new Course(UUID.fromString(course), lesson);
    }

    record Course(UUID id, UUID lesson) {
        String title(Fixtures fixtures) {
            return fixtures.queryString("SELECT title FROM course WHERE id = $1", id);
        }
    }

    /** An assessment and a bank of {@code bank} single-choice questions whose answer is "b". */
    static void assessment(
            UUID course,
            int perAttempt,
            int passPercent,
            int attempts,
            int cooldownMinutes,
            Integer timeLimit,
            int bank) {
        String editor = Tokens.of("editor");
        given().auth()
                .oauth2(editor)
                .contentType("application/json")
                .body("{\"questionsPerAttempt\":" + perAttempt + ",\"passPercent\":" + passPercent
                        + ",\"attemptLimit\":" + attempts + ",\"cooldownMinutes\":" + cooldownMinutes
                        + ",\"timeLimitSeconds\":" + timeLimit + "}")
                .put("/api/v1/admin/courses/" + course + "/assessment")
                .then()
                .statusCode(200);
        for (int i = 0; i < bank; i++) {
            given().auth()
                    .oauth2(editor)
                    .contentType("application/json")
                    .body("{\"kind\":\"single\",\"stem\":\"第" + i + "题：高血压的诊断标准是？\",\"options\":["
                            + "{\"id\":\"a\",\"text\":\"120/80 mmHg\"},{\"id\":\"b\",\"text\":\"140/90 mmHg\"},"
                            + "{\"id\":\"c\",\"text\":\"160/100 mmHg\"}],\"correct\":[\"b\"],"
                            + "\"explanation\":\"诊室血压≥140/90 mmHg\"}")
                    .post("/api/v1/admin/courses/" + course + "/assessment/questions")
                    .then()
                    .statusCode(201);
        }
    }

    /** A learner with a complete profile (name, village doctor, a village clinic). */
    static String learner(String name) {
        String token = Learning.newLearner();
        long clinic = ((Number) given().auth()
                        .oauth2(token)
                        .queryParam("region", VILLAGE)
                        .queryParam("limit", 1)
                        .get("/api/v1/institutions")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("items[0].id"))
                .longValue();
        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{\"displayName\":\"" + name + "\",\"profession\":\"village-doctor\",\"institutionId\":" + clinic
                        + ",\"regionCode\":\"" + VILLAGE + "\"}")
                .put("/api/v1/me")
                .then()
                .statusCode(200);
        return token;
    }

    /** Watches the course's 20 s lesson through (on the test clock) and waits until the course is complete. */
    static void complete(Fixtures fixtures, TestClock clock, String token, Course course) throws InterruptedException {
        clock.fix();
        try {
            String session = Learning.startSession(token, course.lesson(), "tablet");
            clock.advanceSeconds(10);
            Learning.playing(token, session, 1, 0, 10).then().statusCode(200);
            clock.advanceSeconds(10);
            Learning.heartbeat(token, session, 2, 20, 1, "ended", 10, 20).then().statusCode(200);
            Learning.end(token, session).then().statusCode(200);
        } finally {
            clock.reset();
        }
        fixtures.awaitLong(
                "course complete",
                1,
                "SELECT count(*) FROM course_completion c JOIN learner l ON l.id = c.learner_id "
                        + "WHERE c.course_id = $1 AND l.id = (SELECT id FROM learner WHERE subject = $2)",
                course.id(),
                subject(token));
    }

    static String subject(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        return payload.replaceAll(".*\"sub\":\"([^\"]+)\".*", "$1");
    }

    static Response start(String token, UUID course, UUID attempt) {
        return given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{\"attemptId\":\"" + attempt + "\"}")
                .post("/api/v1/me/courses/" + course + "/assessment/attempts");
    }

    /** Answers every question of an attempt with {@code choice}. */
    static Response submit(String token, UUID course, UUID attempt, List<String> questions, String choice) {
        StringBuilder answers = new StringBuilder("[");
        for (String q : questions) {
            answers.append(answers.length() > 1 ? "," : "")
                    .append("{\"questionId\":\"")
                    .append(q)
                    .append("\",\"choices\":[\"")
                    .append(choice)
                    .append("\"]}");
        }
        return given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{\"answers\":" + answers + "]}")
                .post("/api/v1/me/courses/" + course + "/assessment/attempts/" + attempt + "/submission");
    }
}
