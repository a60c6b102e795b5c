package cn.hongtong.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, delivery 1 (the API's half): a page on an allowed origin may call the API with a
 * bearer token and read ETag and friends; any other origin is refused; same-origin and
 * non-browser clients are unaffected.
 */
@QuarkusTest
class CorsTest {

    private static final String ALLOWED = "https://h5.allowed.test";

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithWhatPlayersNeed() {
        given().header("Origin", ALLOWED)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization,range,if-none-match")
                .options("/api/v1/courses")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(ALLOWED))
                .header("Access-Control-Allow-Headers", containsString("Authorization"))
                .header("Access-Control-Allow-Headers", containsString("Range"))
                .header("Access-Control-Allow-Headers", containsString("If-None-Match"));
    }

    @Test
    void anAllowedOriginReadsTheAnswerAndItsHeaders() {
        given().header("Origin", ALLOWED)
                .auth()
                .oauth2(Tokens.of("learner-demo"))
                .get("/api/v1/courses")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(ALLOWED))
                .header("Access-Control-Expose-Headers", containsString("ETag"))
                .header("Access-Control-Expose-Headers", containsString("Retry-After"))
                .header("Access-Control-Expose-Headers", containsString("Content-Range"));
    }

    @Test
    void anyOtherOriginIsRefused() {
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .options("/api/v1/courses")
                .then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://evil.example")
                .auth()
                .oauth2(Tokens.of("learner-demo"))
                .get("/api/v1/courses")
                .then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Inject
    cn.hongtong.media.storage.ObjectStorage storage;

    /** The object store's half: segments, MP4 and posters are fetched by the page itself, with Range. */
    @Test
    void theObjectStoreServesAnAllowedOriginWithRangeAndRefusesOthers() throws Exception {
        String key = "tests/cors-" + UUID.randomUUID() + ".ts";
        Path file = Files.createTempFile("segment", ".ts");
        Files.write(file, new byte[4096]);
        storage.upload(key, file, "video/mp2t").await().atMost(Duration.ofSeconds(10));
        String url = storage.presignGet(key, Duration.ofMinutes(5));
        given().urlEncodingEnabled(false)
                .header("Origin", ALLOWED)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "range")
                .options(url)
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(ALLOWED))
                .header("Access-Control-Allow-Headers", containsString("range"));
        given().urlEncodingEnabled(false)
                .header("Origin", ALLOWED)
                .header("Range", "bytes=0-99")
                .get(url)
                .then()
                .statusCode(206)
                .header("Access-Control-Allow-Origin", equalTo(ALLOWED))
                .header("Access-Control-Expose-Headers", containsString("Content-Range"));
        given().urlEncodingEnabled(false)
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "range")
                .options(url)
                .then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void clientsWithoutAnOriginAreUnaffected() {
        given().auth()
                .oauth2(Tokens.of("learner-demo"))
                .get("/api/v1/courses")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
