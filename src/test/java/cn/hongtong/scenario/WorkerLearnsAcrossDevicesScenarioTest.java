package cn.hongtong.scenario;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.MediaFixtures;
import cn.hongtong.testsupport.TestClock;
import cn.hongtong.testsupport.WeChatFake;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A village doctor's day, through the public API exactly as the clients call it: logs in on the
 * mini-program, finds a course, watches part of a lesson, continues on the app where they
 * stopped, finishes it, and sees the hours.
 */
@QuarkusTest
class WorkerLearnsAcrossDevicesScenarioTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    private static Response login(String path, String code) {
        return given().contentType("application/json")
                .body("{\"code\":\"" + code + "\"}")
                .post(path);
    }

    @Test
    void villageDoctorLearnsOnTheMiniProgramThenTheApp() throws Exception {
        String unionid = WeChatFake.newUnionid();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        UUID lessonId = MediaFixtures.publishedLesson(fixtures.asset("ready", 30), "基层高血压规范化管理 " + tag);

        // Mini-program: wx.login code, then the catalog.
        String miniCode = WeChatFake.newCode();
        WeChatFake.miniProgramSession(miniCode, "mp-" + unionid, unionid);
        Response mini = login("/api/v1/auth/wechat/mini-program", miniCode);
        mini.then().statusCode(200).body("profileComplete", equalTo(false));
        String miniToken = mini.path("accessToken");
        String courseId = given().auth()
                .oauth2(miniToken)
                .queryParam("q", "高血压规范化管理 " + tag)
                .get("/api/v1/courses")
                .then()
                .statusCode(200)
                .extract()
                .path("items[0].id");
        given().auth()
                .oauth2(miniToken)
                .get("/api/v1/courses/" + courseId)
                .then()
                .statusCode(200)
                .body("lessons[0].id", equalTo(lessonId.toString()))
                .body("lessons[0].playable", equalTo(true));
        given().auth()
                .oauth2(miniToken)
                .get("/api/v1/lessons/" + lessonId + "/playback")
                .then()
                .statusCode(200);

        // Watches 10 s, then the phone call comes.
        clock.fix();
        String miniSession = Learning.startSession(miniToken, lessonId, "wx-phone");
        clock.advanceSeconds(10);
        Learning.playing(miniToken, miniSession, 1, 0, 10)
                .then()
                .statusCode(200)
                .body("session.creditedSeconds", equalTo(10f));
        // Six hours later is the next day when this runs after 18:00 in Shanghai: the ledger is read over both days.
        LocalDate miniDay = LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai"));
        clock.reset();

        // Evening, on the donated tablet: the app, the same person.
        String appCode = WeChatFake.newCode();
        WeChatFake.appAuthorization(appCode, "app-" + unionid, unionid, "at-" + appCode);
        WeChatFake.userInfo("at-" + appCode, "app-" + unionid, unionid, "杨村医");
        Response app = login("/api/v1/auth/wechat/app", appCode);
        app.then().statusCode(200).body("learnerId", equalTo(mini.path("learnerId")));
        String appToken = app.path("accessToken");
        clock.fix();
        // The mini-program never said goodbye; its claim on the credit has long run out by the evening.
        clock.advanceSeconds(6 * 3600);
        Response resumed = Learning.start(appToken, lessonId, "tablet-1");
        resumed.then().statusCode(201).body("resumePositionSeconds", equalTo(10f));
        String appSession = resumed.path("sessionId");
        clock.advanceSeconds(10);
        Learning.playing(appToken, appSession, 1, 10, 20).then().body("session.creditedSeconds", equalTo(10f));
        clock.advanceSeconds(10);
        Learning.heartbeat(appToken, appSession, 2, 30, 1, "ended", 20, 30)
                .then()
                .body("session.creditedSeconds", equalTo(20f))
                .body("lesson.complete", equalTo(true));
        Learning.end(appToken, appSession).then().statusCode(200);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai"));
        clock.reset();

        // The hours, once flushed: 30 s credited in all, the course complete.
        Response progress = null;
        for (int i = 0; i < 100; i++) {
            progress = given().auth().oauth2(appToken).get("/api/v1/me/progress");
            if (progress.jsonPath().getList("completed.courseId").contains(courseId)) {
                break;
            }
            Thread.sleep(100);
        }
        progress.then().statusCode(200).body("completed.courseId", hasItem(courseId));
        double minutes = given().auth()
                .oauth2(miniToken)
                .queryParam("from", miniDay.toString())
                .queryParam("to", today.toString())
                .get("/api/v1/me/ledger")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE))
                .getDouble("sum { it.creditedMinutes }");
        assertEquals(0.5, minutes, 1e-9);
        given().auth().oauth2(miniToken).get("/api/v1/me").then().body("learner.displayName", equalTo("杨村医"));
    }
}
