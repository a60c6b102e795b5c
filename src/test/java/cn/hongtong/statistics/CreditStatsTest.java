package cn.hongtong.statistics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Credits and assessment pass rates in the statistics: counted by hand on rows written here, in
 * the caller's scope, small groups hidden (perturbation off: exact values).
 */
@QuarkusTest
@TestProfile(ExactStatistics.class)
class CreditStatsTest {

    static final String VILLAGE = "520121001200";

    @Inject
    Fixtures fixtures;

    private UUID project;

    private UUID course() {
        if (project == null) {
            project = UUID.randomUUID();
            fixtures.execute(
                    "INSERT INTO cme_project (id, number, name, level, credit_class, credits, issuer, valid_from, "
                            + "valid_to, created_at, updated_at) VALUES ($1, $2, 'stats', 'national', 'I', 10, 'stats', '2020-01-01', "
                            + "'2030-12-31', now(), now())",
                    project,
                    "S-" + project);
        }
        UUID course = UUID.randomUUID();
        fixtures.execute(
                "INSERT INTO course (id, title, category_code, credit_class, credit_hours, status, published_at, "
                        + "created_at, updated_at, cme_project_id) VALUES ($1, $2, 'pharmacy', 'I', 1.5, 'published', now(), now(), now(), $3)",
                course,
                "统计课程 " + course,
                project);
        return course;
    }

    private UUID learner(String profession) {
        UUID id = UUID.randomUUID();
        fixtures.execute(
                "INSERT INTO learner (id, subject, profession, region_code) VALUES ($1, $2, $3, $4)",
                id,
                "stats-" + id,
                profession,
                VILLAGE);
        return id;
    }

    private void grant(UUID learner, UUID course, String credits) {
        fixtures.execute(
                "INSERT INTO credit_grant (id, learner_id, course_id, project_id, credit_class, level, credits, hours, "
                        + "learned_ms, granted_on, granted_at, verification_code, region_code, profession) VALUES ($1, $2, $3, $4, 'I', "
                        + "'national', $5, 1.5, 0, $6, now(), $7, $8, (SELECT profession FROM learner WHERE id = $2))",
                UUID.randomUUID(),
                learner,
                course,
                project,
                new BigDecimal(credits),
                today(),
                UUID.randomUUID().toString().replace("-", "").substring(0, 20).toUpperCase(),
                VILLAGE);
    }

    private void attempt(UUID learner, UUID course, String outcome) {
        fixtures.execute(
                "INSERT INTO assessment_attempt (learner_id, id, course_id, seed, paper, started_at, submitted_at, score, "
                        + "outcome, region_code, profession) VALUES ($1, $2, $3, 1, '[]', now(), now(), 50, $4, $5, "
                        + "(SELECT profession FROM learner WHERE id = $1))",
                learner,
                UUID.randomUUID(),
                course,
                outcome,
                VILLAGE);
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneId.of("Asia/Shanghai"));
    }

    private static JsonPath get(String token, Map<String, Object> params) {
        return given().auth()
                .oauth2(token)
                .queryParams(params)
                .get("/api/v1/stats/credits")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void creditsAndPassRatesPerCourseProfessionAndRegion() {
        UUID course = course();
        for (int i = 0; i < 6; i++) {
            UUID l = learner("village-doctor");
            grant(l, course, "0.5");
            if (i < 5) {
                attempt(l, course, i < 3 ? "passed" : "failed");
            }
            if (i == 4) {
                attempt(l, course, "expired");
            }
        }
        UUID revoked = learner("nurse");
        grant(revoked, course, "0.5");
        fixtures.execute(
                "UPDATE credit_grant SET revoked_at = now(), revoke_reason = 'test' WHERE learner_id = $1", revoked);
        String day = today().toString();
        JsonPath byCourse =
                get(Tokens.of("analyst-gz"), Map.of("by", "course", "course", course, "from", day, "to", day));
        assertEquals(1, byCourse.getList("groups").size());
        assertEquals(course.toString(), byCourse.getString("groups[0].key"));
        assertEquals(6, byCourse.getInt("groups[0].creditedLearners"));
        assertEquals(6, byCourse.getInt("groups[0].creditsGranted"));
        assertEquals(3.0f, byCourse.getFloat("groups[0].credits"));
        assertEquals(5, byCourse.getInt("groups[0].assessedLearners"));
        assertEquals(6, byCourse.getInt("groups[0].attempts"));
        assertEquals(3, byCourse.getInt("groups[0].passedAttempts"));
        assertEquals(0.5f, byCourse.getFloat("groups[0].passRate"));
        assertEquals(6, byCourse.getInt("total.creditedLearners"));

        JsonPath byProfession =
                get(Tokens.of("analyst-gz"), Map.of("by", "profession", "course", course, "from", day, "to", day));
        List<String> keys = byProfession.getList("groups.key");
        assertTrue(keys.containsAll(List.of("village-doctor", "nurse", "general-practitioner")), keys.toString());
        int doctors = keys.indexOf("village-doctor");
        assertEquals(6, byProfession.getInt("groups[" + doctors + "].creditedLearners"));
        assertEquals("乡村医生", byProfession.getString("groups[" + doctors + "].name"));

        JsonPath byRegion = get(
                Tokens.of("analyst-gz"),
                Map.of("by", "region", "region", "52", "course", course, "from", day, "to", day));
        List<String> regions = byRegion.getList("groups.key");
        int guiyang = regions.indexOf("5201");
        assertEquals(6, byRegion.getInt("groups[" + guiyang + "].creditedLearners"));

        given().auth()
                .oauth2(Tokens.of("analyst-gz"))
                .queryParam("region", "23")
                .get("/api/v1/stats/credits")
                .then()
                .statusCode(403);
        String csv = given().auth()
                .oauth2(Tokens.of("analyst-gz"))
                .accept("text/csv")
                .queryParam("course", course)
                .queryParam("from", day)
                .queryParam("to", day)
                .get("/api/v1/stats/credits")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(csv.startsWith("\uFEFF分组代码,名称,获学分人数"), csv);
    }

    @Test
    void smallGroupsAreHidden() {
        UUID course = course();
        for (int i = 0; i < 3; i++) {
            grant(learner("pharmacist"), course, "0.5");
        }
        String day = today().toString();
        JsonPath answer =
                get(Tokens.of("analyst-gz"), Map.of("by", "course", "course", course, "from", day, "to", day));
        assertTrue(answer.getBoolean("groups[0].suppressed"));
        assertNull(answer.get("groups[0].creditedLearners"));
        assertNull(answer.get("groups[0].credits"));
        assertTrue(answer.getBoolean("total.suppressed"));
        given().auth()
                .oauth2(Tokens.of("analyst-gz"))
                .queryParam("by", "lesson")
                .get("/api/v1/stats/credits")
                .then()
                .statusCode(400);
    }
}
