package cn.hongtong.common;

import cn.hongtong.testsupport.Management;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The project's own Redis goes away and comes back while the API keeps running: readiness
 * follows it, liveness never moves.
 */
@QuarkusTest
class RedisOutageTest {

    private static final String REDIS_PORT = System.getenv().getOrDefault("HONGTONG_REDIS_PORT", "6380");

    @AfterEach
    void redisIsBack() throws Exception {
        run("bin/stack", "up", "redis");
    }

    @Test
    void readinessFollowsRedisWhileLivenessStaysUp() throws Exception {
        awaitRedisCheck("UP", Duration.ofSeconds(30));

        run("redis-cli", "-h", "127.0.0.1", "-p", REDIS_PORT, "shutdown");
        awaitRedisCheck("DOWN", Duration.ofSeconds(30));
        Management.request().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        Management.request().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        run("bin/stack", "up", "redis");
        awaitRedisCheck("UP", Duration.ofSeconds(30));
        Management.request().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static void awaitRedisCheck(String expected, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            JsonPath health = Management.request().get("/q/health/ready").then().extract().jsonPath();
            seen = health.getString("checks.find { it.name == 'redis' }.status");
            if (expected.equals(seen)) {
                return;
            }
            Thread.sleep(250);
        }
        assertEquals(expected, seen, "redis readiness within " + within);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command))
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
        }
    }
}
