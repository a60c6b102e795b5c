package cn.hongtong.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.Management;
import cn.hongtong.testsupport.RedisNodes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A dependency that stops answering (frozen, as in a network partition: connections hang
 * rather than being refused) costs a request the deadline, then 503 problem+json, never a
 * hang. Found by bench/faults scenario 7: heartbeats waited on a frozen Redis until the client
 * gave up.
 */
@QuarkusTest
class RequestDeadlineTest {

    @Inject
    Fixtures fixtures;

    @Test
    void aFrozenRedisCostsTheDeadlineThenA503() throws Exception {
        String learner = Learning.newLearner();
        UUID lesson = Learning.lesson(fixtures, 60);
        String session = Learning.startSession(learner, lesson, "d");
        RedisNodes.freeze();
        long started = System.nanoTime();
        try {
            // A client-side timeout too, so that a regression fails instead of hanging the build.
            given().config(RestAssuredConfig.config()
                            .httpClient(HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 15_000)))
                    .auth()
                    .oauth2(learner)
                    .contentType("application/json")
                    .body("{\"seq\":1,\"position\":10,\"rate\":1,\"state\":\"playing\",\"played\":[[0,10]]}")
                    .post("/api/v1/sessions/" + session + "/heartbeats")
                    .then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", "5")
                    .body("type", equalTo("urn:hongtong:problem:unavailable"));
        } finally {
            RedisNodes.thaw();
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertTrue(seconds < 9, "answered after " + seconds + " s");
        // Once Redis answers again, the same heartbeat is taken (or, had it run late, replayed).
        Management.request().get("/q/health/live").then().statusCode(200);
        Learning.playing(learner, session, 1, 0, 10).then().statusCode(200);
    }
}
