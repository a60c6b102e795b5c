package cn.hongtong.statistics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.common.Csv;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** Who may see what, bad filters, and CSV. */
@QuarkusTest
class StatsAccessTest extends HandMadePopulationTest {

    static final List<String> ENDPOINTS =
            List.of("overview", "series", "courses", "regions", "institutions", "professions");

    @Test
    void aGuizhouAnalystSeesGuizhouOnly() {
        String gz = Tokens.of("analyst-gz");
        for (String endpoint : ENDPOINTS) {
            for (String region : List.of("23", HandMadeFixture.COUNTY, "all")) {
                given().auth()
                        .oauth2(gz)
                        .queryParam("region", region)
                        .get("/api/v1/stats/" + endpoint)
                        .then()
                        .statusCode(403)
                        .contentType("application/problem+json")
                        .body("type", equalTo("urn:hongtong:problem:region-out-of-scope"));
            }
            given().auth()
                    .oauth2(gz)
                    .get("/api/v1/stats/" + endpoint)
                    .then()
                    .statusCode(200)
                    .body("filters.region.code", equalTo("52"));
            given().auth()
                    .oauth2(gz)
                    .queryParam("region", "5201")
                    .get("/api/v1/stats/" + endpoint)
                    .then()
                    .statusCode(200)
                    .body("filters.region.name", equalTo("贵阳市"));
        }
        given().auth()
                .oauth2(gz)
                .queryParam("region", "23")
                .get("/api/v1/stats/lessons/" + HandMadeFixture.lessonA1 + "/retention")
                .then()
                .statusCode(403);
        // Without a region: the scope's children, Guizhou's cities.
        given().auth()
                .oauth2(gz)
                .get("/api/v1/stats/regions")
                .then()
                .statusCode(200)
                .body("regions.code", hasItem("5201"))
                .body("regions.code", Matchers.not(hasItem("2327")));
        // A nationwide analyst gets the provinces.
        given().auth()
                .oauth2(Tokens.of("analyst"))
                .queryParam("region", "all")
                .get("/api/v1/stats/regions")
                .then()
                .statusCode(200)
                .body("regions.code", hasItem("23"))
                .body("regions.code", hasItem("52"));
    }

    @Test
    void learnersCourseAdminsAndStrangersAreRefused() {
        String learner = Learning.newLearner();
        for (String endpoint : ENDPOINTS) {
            given().auth()
                    .oauth2(learner)
                    .get("/api/v1/stats/" + endpoint)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            given().auth()
                    .oauth2(Tokens.of("editor"))
                    .get("/api/v1/stats/" + endpoint)
                    .then()
                    .statusCode(403);
            given().auth()
                    .oauth2(Tokens.of("nobody"))
                    .get("/api/v1/stats/" + endpoint)
                    .then()
                    .statusCode(403);
            given().get("/api/v1/stats/" + endpoint).then().statusCode(401).contentType("application/problem+json");
            given().auth()
                    .oauth2(Tokens.of("admin"))
                    .get("/api/v1/stats/" + endpoint)
                    .then()
                    .statusCode(200);
        }
    }

    @Test
    void badFiltersAreClearErrors() {
        String analyst = Tokens.of("analyst");
        Object[][] cases = {
            {"overview", "from", "2031-05-07", "to", "2031-05-06", "to"},
            {"overview", "from", "2020-01-01", "to", "2031-01-01", "from"},
            {"overview", "from", "1999-12-31", "to", "2000-01-02", "from"},
            {"overview", "region", "5299", null, null, "region"},
            {"overview", "region", "529999999999", null, null, "region"},
            {"overview", "category", "no-such-category", null, null, "category"},
            {"overview", "course", UUID.randomUUID().toString(), null, null, "course"},
            {"series", "granularity", "hour", null, null, "granularity"},
            {"series", "from", "2030-01-01", "to", "2031-06-01", "granularity"},
            {"courses", "sort", "popularity", null, null, "sort"},
            {"courses", "limit", "0", null, null, "limit"},
            {"institutions", "limit", "100000", null, null, "limit"},
        };
        for (Object[] c : cases) {
            var request = given().auth().oauth2(analyst).queryParam((String) c[1], c[2]);
            if (c[3] != null) {
                request = request.queryParam((String) c[3], c[4]);
            }
            request.get("/api/v1/stats/" + c[0])
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem(Matchers.endsWith((String) c[5])));
        }
        given().auth()
                .oauth2(analyst)
                .queryParam("from", "yesterday")
                .get("/api/v1/stats/overview")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(analyst)
                .queryParam("course", "not-a-uuid")
                .get("/api/v1/stats/overview")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(analyst)
                .get("/api/v1/stats/lessons/" + UUID.randomUUID() + "/retention")
                .then()
                .statusCode(404)
                .body("type", equalTo("urn:hongtong:problem:lesson-not-found"));
        // Errors stay problem+json when CSV was asked for.
        given().auth()
                .oauth2(Tokens.of("analyst-gz"))
                .accept("text/csv")
                .queryParam("region", "23")
                .get("/api/v1/stats/regions")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void csvOpensInExcelWithChineseIntact() {
        Response csv = given().auth()
                .oauth2(Tokens.of("analyst"))
                .accept("text/csv")
                .queryParam("region", HandMadeFixture.COUNTY)
                .queryParam("from", HandMadeFixture.D1)
                .queryParam("to", HandMadeFixture.D2)
                .get("/api/v1/stats/regions");
        csv.then()
                .statusCode(200)
                .contentType(startsWith("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"hongtong-regions.csv\""));
        byte[] bytes = csv.asByteArray();
        assertTrue(
                bytes.length > 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF,
                "UTF-8 byte order mark");
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        List<String> lines = Arrays.asList(text.split("\r\n"));
        assertEquals("地区代码,地区,层级,注册学员,学习学员,观看时长（小时）,认定学时（小时）,完成课时,完成课程,人数少于阈值已隐藏", lines.get(0));
        assertEquals(1 + 8, lines.size(), "a header and one row per township");
        // The values are perturbed (StatsProtectionTest); their form is what matters here.
        assertTrue(
                lines.stream()
                        .anyMatch(l ->
                                l.matches("232721100,呼玛镇,4,\\d+,\\d+,\\d+\\.\\d{4},\\d+\\.\\d{4},\\d+,\\d+,false")),
                lines.toString());
        assertTrue(lines.contains("232721200,三卡乡,4,,,,,,,true"), lines.toString());
        String english = given().auth()
                .oauth2(Tokens.of("analyst"))
                .accept("text/csv")
                .header("Accept-Language", "en")
                .queryParam("region", HandMadeFixture.COUNTY)
                .get("/api/v1/stats/overview")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(english.startsWith("\uFEFFFrom,To,Region code,Region,Registered learners,Active learners"), english);
        // Without a CSV preference: JSON.
        given().auth()
                .oauth2(Tokens.of("analyst"))
                .accept("*/*")
                .get("/api/v1/stats/overview")
                .then()
                .contentType("application/json");
    }

    @Test
    void csvCellsAreQuotedAndNeverFormulas() {
        assertEquals("\"a,b\"", Csv.cell("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.cell("say \"hi\""));
        assertEquals("'=1+1", Csv.cell("=1+1"));
        assertEquals("\"'-2,3\"", Csv.cell("-2,3"));
        assertEquals("-2", Csv.cell(-2));
        assertEquals("", Csv.cell(null));
    }
}
