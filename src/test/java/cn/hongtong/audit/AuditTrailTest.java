package cn.hongtong.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 12: every staff change to a course or lesson is in the audit trail with who
 * made it and when, in the change's own transaction (a refused change leaves nothing), and only
 * admins can read it.
 */
@QuarkusTest
class AuditTrailTest {

    private static final String COURSES = "/api/v1/admin/courses";

    @Inject
    Fixtures fixtures;

    private static String editor() {
        return Tokens.of("editor");
    }

    @Test
    void courseChangesAreRecordedWithTheirActorAndOnlyAdminsReadThem() {
        String body = "{\"title\":\"审计测试课程 " + UUID.randomUUID()
                + "\",\"summary\":\"s\",\"categoryCode\":\"clinical-skills\","
                + "\"creditClass\":\"II\",\"creditHours\":1.5}";
        Response created = given().auth()
                .oauth2(editor())
                .contentType("application/json")
                .body(body)
                .post(COURSES);
        created.then().statusCode(201);
        String course = created.path("id");
        given().auth()
                .oauth2(editor())
                .contentType("application/json")
                .body(body.replace("1.5", "2.0"))
                .put(COURSES + "/" + course)
                .then()
                .statusCode(200);
        UUID asset = fixtures.asset("ready", 60);
        String lesson = given().auth()
                .oauth2(editor())
                .contentType("application/json")
                .body("{\"title\":\"第一课\",\"mediaAssetId\":\"" + asset + "\"}")
                .post(COURSES + "/" + course + "/lessons")
                .then()
                .statusCode(201)
                .extract()
                .path("lessons[0].id");
        given().auth()
                .oauth2(editor())
                .post(COURSES + "/" + course + "/publish")
                .then()
                .statusCode(200);
        // A refused change (an archived course cannot take a lesson of a missing asset) records nothing.
        given().auth()
                .oauth2(editor())
                .contentType("application/json")
                .body("{\"title\":\"x\",\"mediaAssetId\":\"" + UUID.randomUUID() + "\"}")
                .post(COURSES + "/" + course + "/lessons")
                .then()
                .statusCode(Matchers.greaterThanOrEqualTo(400));

        given().auth()
                .oauth2(Tokens.of("admin"))
                .queryParam("targetType", "course")
                .queryParam("targetId", course)
                .get("/api/v1/admin/audit")
                .then()
                .statusCode(200)
                .body("items.action", contains("course.published", "course.updated", "course.created"))
                .body("items.actorUsername", everyItem(equalTo("editor")))
                .body("items.actorSubject", everyItem(notNullValue()))
                .body("items[1].detail.creditHours", equalTo("2.0"));
        given().auth()
                .oauth2(Tokens.of("admin"))
                .queryParam("targetType", "lesson")
                .queryParam("targetId", lesson)
                .get("/api/v1/admin/audit")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].action", equalTo("lesson.added"))
                .body("items[0].detail.courseId", equalTo(course));

        for (String who : new String[] {"editor", "analyst", "learner-demo"}) {
            given().auth()
                    .oauth2(Tokens.of(who))
                    .get("/api/v1/admin/audit")
                    .then()
                    .statusCode(403);
        }
        given().auth()
                .oauth2(Learning.newLearner())
                .get("/api/v1/admin/audit")
                .then()
                .statusCode(403);
        given().get("/api/v1/admin/audit").then().statusCode(401);
    }

    @Inject
    cn.hongtong.media.MediaIngest ingest;

    /**
     * Regression: what no request asked for (the dev demo seeder ingesting its videos) failed with
     * "The current thread cannot be blocked" when the audit asked for the caller's identity; it is
     * recorded with the system as its actor.
     */
    @Test
    void whatNoRequestAskedForIsRecordedWithTheSystemAsActor() throws Throwable {
        UUID asset = VertxContextSupport.subscribeAndAwait(
                () -> ingest.ingest(cn.hongtong.testsupport.Videos.silent(), "audit-test"));
        given().auth()
                .oauth2(Tokens.of("admin"))
                .queryParam("targetType", "media")
                .queryParam("targetId", asset.toString())
                .get("/api/v1/admin/audit")
                .then()
                .statusCode(200)
                .body("items.action", contains("media.upload-started"))
                .body("items.actorUsername", everyItem(equalTo("system")))
                .body("items.actorSubject", everyItem(equalTo("system")));
    }

    @Test
    void pagesFollowTheCursorWithoutGapsOrRepeats() {
        String body =
                "{\"title\":\"审计分页 " + UUID.randomUUID() + "\",\"summary\":\"s\",\"categoryCode\":\"clinical-skills\","
                        + "\"creditClass\":\"II\",\"creditHours\":1}";
        String course = given().auth()
                .oauth2(editor())
                .contentType("application/json")
                .body(body)
                .post(COURSES)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        for (int i = 0; i < 4; i++) {
            given().auth()
                    .oauth2(editor())
                    .contentType("application/json")
                    .body(body)
                    .put(COURSES + "/" + course)
                    .then()
                    .statusCode(200);
        }
        Response first = given().auth()
                .oauth2(Tokens.of("admin"))
                .queryParam("targetType", "course")
                .queryParam("targetId", course)
                .queryParam("limit", 3)
                .get("/api/v1/admin/audit");
        first.then().statusCode(200).body("items", hasSize(3)).body("nextCursor", notNullValue());
        given().auth()
                .oauth2(Tokens.of("admin"))
                .queryParam("targetType", "course")
                .queryParam("targetId", course)
                .queryParam("limit", 3)
                .queryParam("cursor", first.<String>path("nextCursor"))
                .get("/api/v1/admin/audit")
                .then()
                .statusCode(200)
                .body("items.action", contains("course.updated", "course.created"))
                .body("nextCursor", Matchers.nullValue());
        given().auth()
                .oauth2(Tokens.of("admin"))
                .queryParam("targetId", course)
                .get("/api/v1/admin/audit")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(Tokens.of("admin"))
                .queryParam("limit", 0)
                .get("/api/v1/admin/audit")
                .then()
                .statusCode(400);
    }
}
