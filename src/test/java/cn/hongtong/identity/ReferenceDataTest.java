package cn.hongtong.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.common.Problem;
import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReferenceDataTest {

    private static String learner() {
        return Tokens.of("learner-demo");
    }

    @Test
    void provincesAreGuizhouAndHeilongjiang() {
        given().auth()
                .oauth2(learner())
                .get("/api/v1/regions")
                .then()
                .statusCode(200)
                .body("code", contains("23", "52"))
                .body("name", contains("黑龙江省", "贵州省"))
                .body("hasChildren", everyItem(equalTo(true)));
    }

    @Test
    void childrenOfACityAreItsCounties() {
        given().auth()
                .oauth2(learner())
                .queryParam("parent", "5201")
                .get("/api/v1/regions")
                .then()
                .statusCode(200)
                .body("code", hasItem("520102"))
                .body("find { it.code == '520102' }.name", equalTo("南明区"))
                .body("level", everyItem(equalTo(3)))
                .body("parentCode", everyItem(equalTo("5201")));
    }

    @Test
    void aVillageHasItsPathFromTheProvince() {
        given().auth()
                .oauth2(learner())
                .get("/api/v1/regions/520121001200")
                .then()
                .statusCode(200)
                .body("name", equalTo("城西村"))
                .body("level", equalTo(5))
                .body("path.code", contains("52", "5201", "520121", "520121001", "520121001200"))
                .body("path[0].name", equalTo("贵州省"));
    }

    @Test
    void unknownRegionIsNotFoundAndMalformedIsBadRequest() {
        given().auth()
                .oauth2(learner())
                .queryParam("parent", "53")
                .get("/api/v1/regions")
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:hongtong:problem:region-not-found"));
        given().auth()
                .oauth2(learner())
                .queryParam("parent", "5")
                .get("/api/v1/regions")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("parent"));
        given().auth()
                .oauth2(learner())
                .get("/api/v1/regions/52x")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void institutionsOfACountyPageWithoutGapsOrDuplicates() {
        Set<Integer> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().auth()
                    .oauth2(learner())
                    .queryParam("region", "520121")
                    .queryParam("limit", 40);
            if (cursor != null) {
                request.queryParam("after", cursor);
            }
            var page = request.get("/api/v1/institutions")
                    .then()
                    .statusCode(200)
                    .body("items.regionCode", everyItem(startsWith("520121")))
                    .extract()
                    .jsonPath();
            List<Integer> ids = page.getList("items.id", Integer.class);
            for (Integer id : ids) {
                assertTrue(seen.add(id), "institution " + id + " listed twice");
            }
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 100);
        assertTrue(pages > 1, "more than one page");
        assertTrue(seen.size() > 40);
    }

    @Test
    void institutionsCanBeSearchedByName() {
        given().auth()
                .oauth2(learner())
                .queryParam("region", "5201")
                .queryParam("q", "城西村")
                .get("/api/v1/institutions")
                .then()
                .statusCode(200)
                .body("items.name", hasItem("城西村卫生室"))
                .body("items.kind", hasItem("village-clinic"));
        given().auth()
                .oauth2(learner())
                .queryParam("region", "52")
                .queryParam("q", "%")
                .get("/api/v1/institutions")
                .then()
                .statusCode(200)
                .body("items", hasSize(0))
                .body("nextCursor", nullValue());
    }

    @Test
    void institutionQueriesAreValidated() {
        given().auth()
                .oauth2(learner())
                .get("/api/v1/institutions")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("region"));
        given().auth()
                .oauth2(learner())
                .queryParam("region", "52")
                .queryParam("limit", 0)
                .get("/api/v1/institutions")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("limit"));
        given().auth()
                .oauth2(learner())
                .queryParam("region", "52")
                .queryParam("after", "-5")
                .get("/api/v1/institutions")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("after"));
    }

    @Test
    void referenceDataNeedsAToken() {
        given().get("/api/v1/regions").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(Tokens.of("nobody")).get("/api/v1/regions").then().statusCode(403);
        given().auth()
                .oauth2(Tokens.of("analyst"))
                .get("/api/v1/regions")
                .then()
                .statusCode(200)
                .body("code", not(hasItem(nullValue())))
                .body("$", notNullValue());
    }
}
