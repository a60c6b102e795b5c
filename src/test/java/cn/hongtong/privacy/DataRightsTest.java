package cn.hongtong.privacy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.KeycloakAdmin;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.TestClock;
import cn.hongtong.testsupport.Tokens;
import cn.hongtong.testsupport.WeChatFake;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 6: a learner deletes their account through the public API, as the app's
 * "注销账号" screen would. Afterwards nothing in PostgreSQL, Redis or Keycloak names them (every
 * text column of every table is searched for their identifiers), tokens issued before are
 * refused, logging in again starts afresh, and every statistics figure is what it was.
 */
@QuarkusTest
class DataRightsTest {

    private static final String VILLAGE = "520121001200";

    @Inject
    Fixtures fixtures;

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @Inject
    TestClock clock;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    /** A learner on the app: identifiers the test searches for afterwards. */
    private record Person(
            String unionid,
            String openid,
            String nickname,
            String device,
            String token,
            String handle,
            String learnerId) {}

    private static Person appLearner() {
        String code = WeChatFake.newCode();
        String unionid = WeChatFake.newUnionid();
        String openid = "app-openid-" + UUID.randomUUID();
        String nickname = "注销测试" + unionid.substring(4, 10);
        WeChatFake.appAuthorization(code, openid, unionid, "at-" + code);
        WeChatFake.userInfo("at-" + code, openid, unionid, nickname);
        Response login = given().contentType("application/json")
                .body("{\"code\":\"" + code + "\"}")
                .post("/api/v1/auth/wechat/app");
        login.then().statusCode(200);
        return new Person(
                unionid,
                openid,
                nickname,
                "tablet-" + UUID.randomUUID(),
                login.path("accessToken"),
                login.path("renewalHandle"),
                login.path("learnerId"));
    }

    @Test
    void deletionErasesEveryIdentifierKeepsTheStatisticsAndRefusesOldTokens() throws Exception {
        Person person = appLearner();
        long clinic = ((Number) given().auth()
                        .oauth2(person.token())
                        .queryParam("region", VILLAGE)
                        .queryParam("limit", 1)
                        .get("/api/v1/institutions")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("items[0].id"))
                .longValue();
        given().auth()
                .oauth2(person.token())
                .contentType("application/json")
                .body("{\"displayName\":\"" + person.nickname()
                        + "\",\"profession\":\"village-doctor\",\"institutionId\":" + clinic + ",\"regionCode\":\""
                        + VILLAGE + "\"}")
                .put("/api/v1/me")
                .then()
                .statusCode(200);
        UUID lesson = Learning.lesson(fixtures, 60);
        clock.fix();
        String session = Learning.startSession(person.token(), lesson, person.device());
        clock.advanceSeconds(10);
        Learning.playing(person.token(), session, 1, 0, 10).then().statusCode(200);
        clock.advanceSeconds(10);
        Learning.playing(person.token(), session, 2, 10, 20).then().statusCode(200);
        Learning.end(person.token(), session).then().statusCode(200);
        UUID learner = UUID.fromString(person.learnerId());
        fixtures.awaitLong(
                "the ledger holds the 20 s",
                20_000,
                "SELECT coalesce(sum(credited_ms), 0) FROM hours_ledger WHERE learner_id = $1",
                learner);

        // The export holds everything, identifiers included, and no secret.
        Response export = given().auth().oauth2(person.token()).get("/api/v1/me/export");
        export.then()
                .statusCode(200)
                .header("Content-Disposition", "attachment; filename=\"hongtong-export.json\"")
                .body("learnerId", equalTo(person.learnerId()))
                .body("profile.unionid", equalTo(person.unionid()))
                .body("profile.appOpenid", equalTo(person.openid()))
                .body("profile.displayName", equalTo(person.nickname()))
                .body("profile.regionCode", equalTo(VILLAGE))
                .body("sessions", hasSize(1))
                .body("sessions[0].device_id", equalTo(person.device()))
                .body("renewalHandles", hasSize(1))
                .body("hoursLedger[0].credited_ms", equalTo(20_000));
        assertFalse(export.asString().contains("token_hash"), "renewal handle hashes are not exported");

        // An answer the API keeps in memory (progress) must not outlive the account either.
        given().auth()
                .oauth2(person.token())
                .get("/api/v1/me/progress")
                .then()
                .statusCode(200)
                .body("creditedHours.thisYear", equalTo(0.006f));

        Map<String, Object> statsBefore = statistics();
        String overviewBefore = overview();

        given().auth().oauth2(person.token()).delete("/api/v1/me").then().statusCode(204);

        // Nothing names the person any more: not a column of any table, not Redis, not Keycloak.
        List<String> identifiers = List.of(
                person.unionid(), person.openid(), person.nickname(), person.device(), subjectOf(person.token()));
        assertEquals(List.of(), columnsHolding(identifiers), "columns still holding an identifier");
        assertEquals(0, KeycloakAdmin.usersLinkedTo(person.unionid()).size(), "Keycloak user deleted");
        assertEquals(List.of(), new ArrayList<>(redis.key().keys("*" + learner + "*")), "Redis keys of the learner");
        assertEquals(0, fixtures.queryLong("SELECT count(*) FROM renewal_handle WHERE learner_id = $1", learner));
        assertEquals(
                1,
                fixtures.queryLong(
                        "SELECT count(*) FROM learner WHERE id = $1 AND erased_at IS NOT NULL "
                                + "AND avatar_url IS NULL AND display_name IS NULL AND unionid IS NULL AND mini_openid IS NULL "
                                + "AND app_openid IS NULL AND subject = 'erased:' || id::text",
                        learner));

        // The statistics did not move.
        assertEquals(statsBefore, statistics());
        assertEquals(overviewBefore, overview());

        // Tokens issued before are refused, the renewal handle is dead, and a repeat changes nothing.
        given().auth()
                .oauth2(person.token())
                .get("/api/v1/me/export")
                .then()
                .statusCode(403)
                .body("type", equalTo("urn:hongtong:problem:account-erased"));
        Learning.start(person.token(), lesson, person.device())
                .then()
                .statusCode(403)
                .body("type", equalTo("urn:hongtong:problem:account-erased"));
        given().auth().oauth2(person.token()).get("/api/v1/me/progress").then().statusCode(403);
        given().contentType("application/json")
                .body("{\"renewalHandle\":\"" + person.handle() + "\"}")
                .post("/api/v1/auth/refresh")
                .then()
                .statusCode(401);
        given().auth().oauth2(person.token()).delete("/api/v1/me").then().statusCode(204);
        assertEquals(List.of(), columnsHolding(identifiers));

        // Logging in again with WeChat starts a new account with nothing of the old one (in real time:
        // Keycloak refuses an assertion issued in its future).
        clock.reset();
        String code = WeChatFake.newCode();
        WeChatFake.miniProgramSession(code, "mp-" + person.unionid(), person.unionid());
        Response again = given().contentType("application/json")
                .body("{\"code\":\"" + code + "\"}")
                .post("/api/v1/auth/wechat/mini-program");
        again.then().statusCode(200).body("profileComplete", equalTo(false));
        assertNotEquals(person.learnerId(), again.path("learnerId"));
        given().auth()
                .oauth2(again.<String>path("accessToken"))
                .get("/api/v1/me/export")
                .then()
                .statusCode(200)
                .body("hoursLedger", hasSize(0))
                .body("sessions", hasSize(0));
    }

    @Test
    void aLearnerSeesOnlyTheirOwnExportAndStaffHaveNone() {
        Person one = appLearner();
        Person two = appLearner();
        String exportOfOne = given().auth()
                .oauth2(one.token())
                .get("/api/v1/me/export")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertFalse(exportOfOne.contains(two.unionid()));
        given().auth()
                .oauth2(Tokens.of("analyst"))
                .get("/api/v1/me/export")
                .then()
                .statusCode(403);
        given().auth().oauth2(Tokens.of("admin")).delete("/api/v1/me").then().statusCode(403);
        given().get("/api/v1/me/export").then().statusCode(401);
        given().delete("/api/v1/me").then().statusCode(401);
    }

    /** Every aggregate a statistics answer is made of, summed over the whole database. */
    private Map<String, Object> statistics() {
        Map<String, Object> out = new LinkedHashMap<>();
        String[] queries = {
            "SELECT count(*) FROM learner",
            "SELECT count(*) FROM learner WHERE region_code IS NOT NULL",
            "SELECT coalesce(sum(watch_ms), 0) + coalesce(sum(credited_ms), 0) FROM stats_daily",
            "SELECT coalesce(sum(lesson_completions), 0) + coalesce(sum(course_completions), 0) FROM stats_daily",
            "SELECT coalesce(sum(day_learners + week_learners + month_learners), 0) FROM stats_daily",
            "SELECT count(*) FROM learner_activity",
            "SELECT count(*) FROM course_activity",
            "SELECT count(*) FROM learner_period",
            "SELECT coalesce(sum(credited_ms), 0) FROM hours_ledger",
            "SELECT count(*) FROM course_completion",
            "SELECT count(*) FROM lesson_progress"
        };
        for (String sql : queries) {
            out.put(sql, fixtures.queryLong(sql));
        }
        return out;
    }

    /** The analysts' overview of this month, nationwide, as JSON text. */
    private static String overview() {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        return given().auth()
                .oauth2(Tokens.of("analyst"))
                .queryParam("from", today.minusDays(30).toString())
                .queryParam("to", today.toString())
                .get("/api/v1/stats/overview")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    private static String subjectOf(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        return JsonPath.from(payload).getString("sub");
    }

    /** "table.column" of every text column, in any table, that holds one of {@code values}. */
    private List<String> columnsHolding(List<String> values) {
        var columns = pool.query(
                        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
                                + "AND data_type IN ('character varying', 'text', 'character') AND table_name <> 'flyway_schema_history'")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(10));
        List<String> found = new ArrayList<>();
        for (Row column : columns) {
            String table = column.getString("table_name");
            String name = column.getString("column_name");
            StringBuilder where = new StringBuilder();
            for (int v = 1; v <= values.size(); v++) {
                where.append(v > 1 ? " OR " : "")
                        .append("position($")
                        .append(v)
                        .append(" in \"")
                        .append(name)
                        .append("\") > 0");
            }
            long hits = ((Number) pool.preparedQuery("SELECT count(*) FROM \"" + table + "\" WHERE " + where)
                            .execute(Tuple.from(values.toArray()))
                            .await()
                            .atMost(Duration.ofSeconds(10))
                            .iterator()
                            .next()
                            .getValue(0))
                    .longValue();
            if (hits > 0) {
                found.add(table + "." + name);
            }
        }
        return found;
    }
}
