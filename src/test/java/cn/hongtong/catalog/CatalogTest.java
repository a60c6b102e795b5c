package cn.hongtong.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import cn.hongtong.common.Problem;
import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CatalogTest {

    @Inject
    Fixtures fixtures;

    private static String admin() {
        return Tokens.of("editor");
    }

    private static String learner() {
        return Tokens.of("learner-demo");
    }

    private static String courseJson(String title, String summary, String category, String creditClass) {
        return "{\"title\":\"" + title + "\",\"summary\":\"" + summary + "\",\"categoryCode\":\"" + category
                + "\",\"creditClass\":\"" + creditClass + "\",\"creditHours\":2.5}";
    }

    private String draft(String title, String summary, String category, String creditClass) {
        return given().auth()
                .oauth2(admin())
                .contentType("application/json")
                .body(courseJson(title, summary, category, creditClass))
                .post("/api/v1/admin/courses")
                .then()
                .statusCode(201)
                .body("status", equalTo("draft"))
                .extract()
                .path("id");
    }

    private Response addLesson(String courseId, String title, UUID asset, Integer position) {
        return given().auth()
                .oauth2(admin())
                .contentType("application/json")
                .body("{\"title\":\"" + title + "\"" + (asset == null ? "" : ",\"mediaAssetId\":\"" + asset + "\"")
                        + (position == null ? "" : ",\"position\":" + position) + "}")
                .post("/api/v1/admin/courses/" + courseId + "/lessons");
    }

    private String published(String title, String summary, String category, String creditClass) {
        String id = draft(title, summary, category, creditClass);
        addLesson(id, "第一课", fixtures.asset("ready", 300), null).then().statusCode(201);
        given().auth()
                .oauth2(admin())
                .post("/api/v1/admin/courses/" + id + "/publish")
                .then()
                .statusCode(200)
                .body("status", equalTo("published"));
        return id;
    }

    private static String token() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void chineseSearchFindsAnySubstringOfTitleOrSummary() {
        String tag = token();
        String id = published("基层高血压规范化管理 " + tag, "面向村医的慢病随访", "chronic-disease", "II");
        String other = published("儿童预防接种 " + tag, "含高血压孕妇的注意事项", "maternal-child", "I");
        given().auth()
                .oauth2(learner())
                .queryParam("q", "高血压")
                .queryParam("limit", 100)
                .get("/api/v1/courses")
                .then()
                .statusCode(200)
                .body("items.id", hasItem(id))
                .body("items.id", hasItem(other));
        given().auth()
                .oauth2(learner())
                .queryParam("q", "规范化管理 " + tag)
                .get("/api/v1/courses")
                .then()
                .statusCode(200)
                .body("items.id", contains(id))
                .body("items[0].title", equalTo("基层高血压规范化管理 " + tag))
                .body("items[0].lessonCount", equalTo(1))
                .body("items[0].durationSeconds", equalTo(300))
                .body("items[0].category.name", equalTo("慢病管理"));
        given().auth()
                .oauth2(learner())
                .queryParam("q", "完全不存在的词" + tag)
                .get("/api/v1/courses")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
        given().auth()
                .oauth2(learner())
                .queryParam("q", "100%_" + tag)
                .get("/api/v1/courses")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
    }

    @Test
    void filtersNarrowByCategoryAndCreditClass() {
        String tag = token();
        String a = published("课程甲 " + tag, "", "pharmacy", "I");
        String b = published("课程乙 " + tag, "", "pharmacy", "II");
        String c = published("课程丙 " + tag, "", "first-aid", "I");
        given().auth()
                .oauth2(learner())
                .queryParam("q", tag)
                .queryParam("category", "pharmacy")
                .get("/api/v1/courses")
                .then()
                .statusCode(200)
                .body("items.id", contains(b, a));
        given().auth()
                .oauth2(learner())
                .queryParam("q", tag)
                .queryParam("creditClass", "I")
                .get("/api/v1/courses")
                .then()
                .statusCode(200)
                .body("items.id", contains(c, a));
        given().auth()
                .oauth2(learner())
                .queryParam("creditClass", "III")
                .get("/api/v1/courses")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("creditClass"));
    }

    @Test
    void pagesHaveNoDuplicatesOrGapsWhileCoursesAreAdded() {
        String tag = token();
        Set<String> original = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            original.add(published("分页 " + tag + " " + i, "", "public-health", "none"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int page = 0;
        do {
            var request = given().auth().oauth2(learner()).queryParam("q", tag).queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath json = request.get("/api/v1/courses")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            seen.addAll(json.getList("items.id", String.class));
            cursor = json.getString("nextCursor");
            // Newer courses appear while the client pages through.
            published("分页 " + tag + " new " + page++, "", "public-health", "none");
        } while (cursor != null);
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no course twice: " + seen);
        // Courses published meanwhile are newer than the cursor: they belong before the first page.
        assertEquals(original, new HashSet<>(seen), "exactly the courses there were, no gap");
    }

    @Test
    void unchangedListAnswers304AndChangesShowANewEtag() {
        String tag = token();
        published("缓存 " + tag, "", "mental-health", "none");
        Response first = given().auth().oauth2(learner()).queryParam("q", tag).get("/api/v1/courses");
        first.then().statusCode(200).header("ETag", notNullValue());
        String etag = first.header("ETag");
        given().auth()
                .oauth2(learner())
                .queryParam("q", tag)
                .header("If-None-Match", etag)
                .get("/api/v1/courses")
                .then()
                .statusCode(304)
                .header("ETag", equalTo(etag));
        published("缓存 " + tag + " 2", "", "mental-health", "none");
        Response changed = given().auth()
                .oauth2(learner())
                .queryParam("q", tag)
                .header("If-None-Match", etag)
                .get("/api/v1/courses");
        changed.then().statusCode(200).body("items", hasSize(2));
        assertNotEquals(etag, changed.header("ETag"));
    }

    @Test
    void draftsAndArchivedCoursesDoNotExistForLearners() {
        String tag = token();
        String draft = draft("草稿 " + tag, "", "social-work", "none");
        String archived = published("归档 " + tag, "", "social-work", "none");
        given().auth()
                .oauth2(admin())
                .post("/api/v1/admin/courses/" + archived + "/archive")
                .then()
                .statusCode(200)
                .body("status", equalTo("archived"));
        for (String id : List.of(draft, archived)) {
            given().auth()
                    .oauth2(learner())
                    .get("/api/v1/courses/" + id)
                    .then()
                    .statusCode(404)
                    .contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo("urn:hongtong:problem:course-not-found"));
        }
        given().auth()
                .oauth2(learner())
                .queryParam("q", tag)
                .get("/api/v1/courses")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
        given().auth()
                .oauth2(admin())
                .get("/api/v1/admin/courses/" + draft)
                .then()
                .statusCode(200);
    }

    @Test
    void publishedCourseShowsItsLessonsInOrder() {
        String id = draft("顺序 " + token(), "", "traditional-medicine", "II");
        UUID video = fixtures.asset("ready", 120);
        String l1 =
                addLesson(id, "一", video, null).then().statusCode(201).extract().path("lessons[0].id");
        String l2 =
                addLesson(id, "二", video, null).then().statusCode(201).extract().path("lessons[1].id");
        String l3 =
                addLesson(id, "三", video, null).then().statusCode(201).extract().path("lessons[2].id");
        given().auth()
                .oauth2(admin())
                .contentType("application/json")
                .body("{\"lessonIds\":[\"" + l3 + "\",\"" + l1 + "\",\"" + l2 + "\"]}")
                .put("/api/v1/admin/courses/" + id + "/lessons/order")
                .then()
                .statusCode(200)
                .body("lessons.title", contains("三", "一", "二"));
        given().auth()
                .oauth2(admin())
                .post("/api/v1/admin/courses/" + id + "/publish")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(learner())
                .get("/api/v1/courses/" + id)
                .then()
                .statusCode(200)
                .body("lessons.title", contains("三", "一", "二"))
                .body("lessons.position", contains(1, 2, 3))
                .body("lessons.durationSeconds", everyItem(equalTo(120)))
                .body("lessons.playable", everyItem(equalTo(true)));
    }

    @Test
    void adminInputIsValidatedWithClearProblems() {
        given().auth()
                .oauth2(admin())
                .contentType("application/json")
                .body(courseJson("  ", "", "pharmacy", "I"))
                .post("/api/v1/admin/courses")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("title"));
        given().auth()
                .oauth2(admin())
                .contentType("application/json")
                .body(courseJson("x", "", "astrology", "I"))
                .post("/api/v1/admin/courses")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("categoryCode"));
        given().auth()
                .oauth2(admin())
                .contentType("application/json")
                .body("{\"title\":\"x\",\"categoryCode\":\"pharmacy\",\"creditClass\":\"I\",\"creditHours\":1.25}")
                .post("/api/v1/admin/courses")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("creditHours"));

        String id = draft("校验 " + token(), "", "pharmacy", "I");
        addLesson(id, "一", null, 1).then().statusCode(201);
        addLesson(id, "重复", null, 1)
                .then()
                .statusCode(409)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:hongtong:problem:lesson-position-taken"));
        addLesson(id, "", null, null).then().statusCode(400).body("errors.field", hasItem("title"));
        addLesson(id, "无视频", UUID.randomUUID(), null)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("mediaAssetId"));
        given().auth()
                .oauth2(admin())
                .contentType("application/json")
                .body("{\"lessonIds\":[\"" + UUID.randomUUID() + "\"]}")
                .put("/api/v1/admin/courses/" + id + "/lessons/order")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("lessonIds"));
    }

    @Test
    void courseWithoutReadyVideosCannotBePublished() {
        String empty = draft("空 " + token(), "", "pharmacy", "I");
        given().auth()
                .oauth2(admin())
                .post("/api/v1/admin/courses/" + empty + "/publish")
                .then()
                .statusCode(409)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:hongtong:problem:course-not-publishable"))
                .body("errors.field", hasItem("lessons"));
        String pending = draft("待处理 " + token(), "", "pharmacy", "I");
        addLesson(pending, "处理中", fixtures.asset("processing", 60), null).then().statusCode(201);
        addLesson(pending, "没有视频", null, null).then().statusCode(201);
        given().auth()
                .oauth2(admin())
                .post("/api/v1/admin/courses/" + pending + "/publish")
                .then()
                .statusCode(409)
                .body("errors.field", contains("lessons[0]", "lessons[1]"))
                .body("errors.message", contains("video is processing", "has no video"));
        given().auth()
                .oauth2(admin())
                .get("/api/v1/admin/courses/" + pending)
                .then()
                .body("status", equalTo("draft"));
    }

    @Test
    void lessonsOfPublishedCoursesStay() {
        String id = published("保留 " + token(), "", "pharmacy", "I");
        String lesson = given().auth()
                .oauth2(admin())
                .get("/api/v1/admin/courses/" + id)
                .then()
                .extract()
                .path("lessons[0].id");
        given().auth()
                .oauth2(admin())
                .delete("/api/v1/admin/courses/" + id + "/lessons/" + lesson)
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:hongtong:problem:course-not-editable"));
    }

    @Test
    void catalogAdministrationIsForCourseAdmins() {
        given().auth()
                .oauth2(learner())
                .contentType("application/json")
                .body(courseJson("x", "", "pharmacy", "I"))
                .post("/api/v1/admin/courses")
                .then()
                .statusCode(403)
                .contentType(Problem.MEDIA_TYPE);
        given().auth()
                .oauth2(Tokens.of("analyst"))
                .get("/api/v1/admin/courses")
                .then()
                .statusCode(403);
        given().get("/api/v1/courses").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        given().get("/api/v1/admin/courses").then().statusCode(401);
        given().auth()
                .oauth2(Tokens.of("admin"))
                .get("/api/v1/admin/courses")
                .then()
                .statusCode(200)
                .body("items", not(hasSize(-1)));
        given().auth()
                .oauth2(learner())
                .get("/api/v1/categories")
                .then()
                .statusCode(200)
                .body("code", hasItem("clinical-skills"))
                .body("name", hasItem("临床技能"));
    }

    @Test
    void malformedCursorIsABadRequest() {
        given().auth()
                .oauth2(learner())
                .queryParam("cursor", "not-a-cursor")
                .get("/api/v1/courses")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("cursor"));
    }
}
