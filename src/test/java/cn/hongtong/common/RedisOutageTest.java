package cn.hongtong.common;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.testsupport.Management;
import cn.hongtong.testsupport.RedisNodes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The project's own Redis goes away and comes back while the API keeps running: readiness
 * follows it, liveness never moves.
 */
@QuarkusTest
class RedisOutageTest {

    @AfterEach
    void redisIsBack() throws Exception {
        RedisNodes.bringBack();
    }

    @Test
    void readinessFollowsRedisWhileLivenessStaysUp() throws Exception {
        awaitRedisCheck("UP", Duration.ofSeconds(30));

        RedisNodes.shutDown();
        awaitRedisCheck("DOWN", Duration.ofSeconds(30));
        Management.request().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        Management.request().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        RedisNodes.bringBack();
        awaitRedisCheck("UP", Duration.ofSeconds(30));
        Management.request().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static void awaitRedisCheck(String expected, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            JsonPath health =
                    Management.request().get("/q/health/ready").then().extract().jsonPath();
            seen = health.getString("checks.find { it.name == 'redis' }.status");
            if (expected.equals(seen)) {
                return;
            }
            Thread.sleep(250);
        }
        assertEquals(expected, seen, "redis readiness within " + within);
    }
}
