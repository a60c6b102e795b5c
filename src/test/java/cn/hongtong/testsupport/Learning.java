package cn.hongtong.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Learners and lessons for learning tests, and the calls the mini-program and the app make. */
public final class Learning {

    /**
     * Every learning event stream: the unsharded one of earlier versions and the 16 shards' (as
     * learning.HotPath names them; HotPathContractTest checks the two agree).
     */
    public static final List<String> EVENT_STREAMS = eventStreams();

    private Learning() {}

    private static List<String> eventStreams() {
        List<String> out = new ArrayList<>(List.of("learning:events"));
        for (int shard = 0; shard < 16; shard++) {
            out.add("learning:events:{h" + shard + "}");
        }
        return List.copyOf(out);
    }

    /** A new learner logged in through the WeChat fake; gives the access token. */
    public static String newLearner() {
        String code = WeChatFake.newCode();
        String unionid = WeChatFake.newUnionid();
        WeChatFake.miniProgramSession(code, "mp-" + unionid, unionid);
        return given().contentType("application/json")
                .body("{\"code\":\"" + code + "\"}")
                .post("/api/v1/auth/wechat/mini-program")
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");
    }

    /** A published lesson whose video lasts {@code seconds}. */
    public static UUID lesson(Fixtures fixtures, int seconds) {
        return MediaFixtures.publishedLesson(fixtures.asset("ready", seconds), "学习测试 " + UUID.randomUUID());
    }

    public static Response start(String token, UUID lesson, String device) {
        return given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{\"lessonId\":\"" + lesson + "\",\"deviceId\":\"" + device + "\",\"client\":\"app\"}")
                .post("/api/v1/sessions");
    }

    public static String startSession(String token, UUID lesson, String device) {
        return start(token, lesson, device).then().statusCode(201).extract().path("sessionId");
    }

    /** A heartbeat; {@code played} as pairs of seconds: from, to, from, to... */
    public static Response heartbeat(
            String token, String session, int seq, double position, double rate, String state, double... played) {
        StringBuilder intervals = new StringBuilder("[");
        for (int i = 0; i < played.length; i += 2) {
            if (i > 0) {
                intervals.append(',');
            }
            intervals.append(String.format(Locale.ROOT, "[%s,%s]", played[i], played[i + 1]));
        }
        intervals.append(']');
        return given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(String.format(
                        Locale.ROOT,
                        "{\"seq\":%d,\"position\":%s,\"rate\":%s,\"state\":\"%s\",\"played\":%s}",
                        seq,
                        position,
                        rate,
                        state,
                        intervals))
                .post("/api/v1/sessions/" + session + "/heartbeats");
    }

    /** A plain playing heartbeat at 1x, ending at the end of its last interval. */
    public static Response playing(String token, String session, int seq, double... played) {
        return heartbeat(
                token, session, seq, played.length == 0 ? 0 : played[played.length - 1], 1.0, "playing", played);
    }

    public static Response end(String token, String session) {
        return given().auth().oauth2(token).post("/api/v1/sessions/" + session + "/end");
    }
}
