package cn.hongtong.credit;

import static cn.hongtong.credit.CreditFixtures.assessment;
import static cn.hongtong.credit.CreditFixtures.complete;
import static cn.hongtong.credit.CreditFixtures.course;
import static cn.hongtong.credit.CreditFixtures.learner;
import static cn.hongtong.credit.CreditFixtures.project;
import static cn.hongtong.credit.CreditFixtures.start;
import static cn.hongtong.credit.CreditFixtures.submit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.credit.CreditFixtures.Course;
import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.TestClock;
import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Course admins' side: projects, a course's project, the question bank (edit, retire, delete). */
@QuarkusTest
class QuestionBankTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    private static String questionBody(String stem, String correct) {
        return "{\"kind\":\"single\",\"stem\":\"" + stem + "\",\"options\":[{\"id\":\"a\",\"text\":\"甲\"},"
                + "{\"id\":\"b\",\"text\":\"乙\"}],\"correct\":[\"" + correct + "\"],\"explanation\":\"因为\"}";
    }

    @Test
    void projectsCoursesInThemAndCreditsClaimedLater() throws Exception {
        String editor = Tokens.of("editor");
        int year = LocalDate.now(ZoneId.of("Asia/Shanghai")).getYear();
        String number = "P-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"number\":\"" + number + "\",\"name\":\"项目\",\"level\":\"provincial\",\"creditClass\":\"II\","
                + "\"credits\":4,\"issuer\":\"省继续医学教育委员会\",\"validFrom\":\"" + year + "-01-01\",\"validTo\":\"" + year
                + "-12-31\"}";
        String id = given().auth()
                .oauth2(editor)
                .contentType("application/json")
                .body(body)
                .post("/api/v1/admin/cme-projects")
                .then()
                .statusCode(201)
                .body("number", equalTo(number))
                .body("courses", equalTo(0))
                .extract()
                .path("id");
        given().auth()
                .oauth2(editor)
                .contentType("application/json")
                .body(body)
                .post("/api/v1/admin/cme-projects")
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:hongtong:problem:cme-project-number-taken"));
        given().auth()
                .oauth2(editor)
                .contentType("application/json")
                .body(body.replace("\"validTo\":\"" + year + "-12-31\"", "\"validTo\":\"" + (year - 1) + "-12-31\""))
                .put("/api/v1/admin/cme-projects/" + id)
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(editor)
                .contentType("application/json")
                .body(body.replace("\"credits\":4", "\"credits\":6"))
                .put("/api/v1/admin/cme-projects/" + id)
                .then()
                .statusCode(200)
                .body("credits", equalTo(6.0f));
        given().auth()
                .oauth2(editor)
                .get("/api/v1/admin/cme-projects")
                .then()
                .statusCode(200)
                .body("items.id", hasItem(id));
        given().auth()
                .oauth2(editor)
                .get("/api/v1/admin/cme-projects/" + UUID.randomUUID())
                .then()
                .statusCode(404);

        Course course = course(fixtures, null, 2);
        String early = learner("蒋医生");
        complete(fixtures, clock, early, course);
        given().auth()
                .oauth2(editor)
                .contentType("application/json")
                .body("{\"projectId\":\"" + id + "\"}")
                .put("/api/v1/admin/courses/" + course.id() + "/cme-project")
                .then()
                .statusCode(200)
                .body("project.number", equalTo(number))
                .body("project.courses", equalTo(1));
        assertEquals("II", fixtures.queryString("SELECT credit_class FROM course WHERE id = $1", course.id()));
        // A learner who completed the course before it joined the project claims its credit, once.
        given().auth()
                .oauth2(early)
                .post("/api/v1/me/courses/" + course.id() + "/assessment/credit")
                .then()
                .statusCode(200)
                .body("projectNumber", equalTo(number))
                .body("credits", equalTo(0.3f));
        given().auth()
                .oauth2(early)
                .post("/api/v1/me/courses/" + course.id() + "/assessment/credit")
                .then()
                .statusCode(200);
        assertEquals(1, fixtures.queryLong("SELECT count(*) FROM credit_grant WHERE course_id = $1", course.id()));
        given().auth()
                .oauth2(learner("韩医生"))
                .post("/api/v1/me/courses/" + course.id() + "/assessment/credit")
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:hongtong:problem:credit-not-earned"));
        given().auth()
                .oauth2(editor)
                .contentType("application/json")
                .body("{\"projectId\":null}")
                .put("/api/v1/admin/courses/" + course.id() + "/cme-project")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(editor)
                .get("/api/v1/admin/courses/" + course.id() + "/cme-project")
                .then()
                .statusCode(200)
                .body("project", equalTo(null));
        given().auth()
                .oauth2(editor)
                .contentType("application/json")
                .body("{\"projectId\":\"" + UUID.randomUUID() + "\"}")
                .put("/api/v1/admin/courses/" + course.id() + "/cme-project")
                .then()
                .statusCode(404);
    }

    @Test
    void aDrawnQuestionIsRetiredNotDeletedAndAnAttemptKeepsItsPaper() throws Exception {
        String editor = Tokens.of("editor");
        Course course = course(fixtures, project("national", "I", 10), 3);
        assessment(course.id(), 1, 100, 3, 0, null, 0);
        String base = "/api/v1/admin/courses/" + course.id() + "/assessment/questions";
        String unused = given().auth()
                .oauth2(editor)
                .contentType("application/json")
                .body(questionBody("未用的题", "a"))
                .post(base)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().auth()
                .oauth2(editor)
                .delete(base + "/" + unused)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("deleted"));
        given().auth().oauth2(editor).delete(base + "/" + unused).then().statusCode(404);
        String used = given().auth()
                .oauth2(editor)
                .contentType("application/json")
                .body(questionBody("会被抽到的题", "a"))
                .post(base)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        // Invalid questions are refused: an answer that is no option, two answers to a single choice.
        given().auth()
                .oauth2(editor)
                .contentType("application/json")
                .body(questionBody("坏题", "z"))
                .post(base)
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(editor)
                .contentType("application/json")
                .body(questionBody("坏题", "a").replace("[\"a\"]", "[\"a\",\"b\"]"))
                .post(base)
                .then()
                .statusCode(400);

        String token = learner("冯医生");
        complete(fixtures, clock, token, course);
        UUID attempt = UUID.randomUUID();
        List<String> q = start(token, course.id(), attempt)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("questions.id");
        assertEquals(List.of(used), q);
        // The admin changes the answer and retires the question while the attempt is open.
        given().auth()
                .oauth2(editor)
                .contentType("application/json")
                .body(questionBody("会被抽到的题（改）", "b"))
                .put(base + "/" + used)
                .then()
                .statusCode(200)
                .body("correct", equalTo(List.of("b")));
        given().auth()
                .oauth2(editor)
                .delete(base + "/" + used)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("retired"));
        given().auth()
                .oauth2(editor)
                .get("/api/v1/admin/courses/" + course.id() + "/assessment")
                .then()
                .statusCode(200)
                .body("questions", hasSize(1))
                .body("questions[0].status", equalTo("retired"))
                .body("activeQuestions", equalTo(0));
        // Graded against the paper it drew: "a" was right then.
        submit(token, course.id(), attempt, q, "a")
                .then()
                .statusCode(200)
                .body("result.outcome", equalTo("passed"))
                .body("result.review[0].stem", equalTo("会被抽到的题"));
        // A retired question is never drawn again: with no active question the assessment is not ready.
        String other = learner("褚医生");
        complete(fixtures, clock, other, course);
        start(other, course.id(), UUID.randomUUID())
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:hongtong:problem:assessment-not-ready"));
    }
}
