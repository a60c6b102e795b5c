package cn.hongtong.testsupport;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.response.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/** Videos through the real upload API, as the admin console does it. */
public final class MediaFixtures {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MediaFixtures() {}

    /** Asks for an upload of {@code file} declared as {@code size} bytes. */
    public static Response startUpload(String fileName, String contentType, long size) {
        return given().auth()
                .oauth2(Tokens.of("editor"))
                .contentType("application/json")
                .body("{\"fileName\":\"" + fileName + "\",\"contentType\":\"" + contentType + "\",\"size\":" + size
                        + "}")
                .post("/api/v1/admin/media/uploads");
    }

    /** PUTs bytes to a presigned URL; gives the response (its ETag header for a part). */
    public static HttpResponse<String> put(String url, byte[] bytes) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(60))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Response complete(UUID assetId, String body) {
        var request = given().auth().oauth2(Tokens.of("editor")).contentType("application/json");
        if (body != null) {
            request.body(body);
        }
        return request.post("/api/v1/admin/media/" + assetId + "/complete");
    }

    /** Uploads a video file through the API and returns its asset id, accepted for processing. */
    public static UUID upload(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Response ticket = startUpload(file.getFileName().toString(), "video/mp4", bytes.length);
            ticket.then().statusCode(201);
            UUID id = UUID.fromString(ticket.path("assetId"));
            assertEquals(200, put(ticket.path("uploadUrl"), bytes).statusCode());
            complete(id, null).then().statusCode(202);
            return id;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the asset reaches {@code status} (ready, failed...) and returns its view. */
    public static Response awaitStatus(UUID assetId, String status, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = given().auth().oauth2(Tokens.of("editor")).get("/api/v1/admin/media/" + assetId);
            if (status.equals(last.path("status"))) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("asset " + assetId + " not " + status + " within " + within + ": "
                + (last == null ? "no answer" : last.asString()));
    }

    /** A course with one lesson playing {@code assetId}, published; gives the lesson id. */
    public static UUID publishedLesson(UUID assetId, String title) {
        String admin = Tokens.of("editor");
        String courseId = given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"title\":\"" + title + "\",\"summary\":\"测试\",\"categoryCode\":\"clinical-skills\","
                        + "\"creditClass\":\"II\",\"creditHours\":1.0}")
                .post("/api/v1/admin/courses")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String lessonId = given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"title\":\"第一课\",\"mediaAssetId\":\"" + assetId + "\"}")
                .post("/api/v1/admin/courses/" + courseId + "/lessons")
                .then()
                .statusCode(201)
                .extract()
                .path("lessons[0].id");
        given().auth()
                .oauth2(admin)
                .post("/api/v1/admin/courses/" + courseId + "/publish")
                .then()
                .statusCode(200);
        return UUID.fromString(lessonId);
    }

    /** Another lesson, added last to an existing course. */
    public static UUID lessonIn(UUID courseId, UUID assetId, String title) {
        String lessonId = given().auth()
                .oauth2(Tokens.of("editor"))
                .contentType("application/json")
                .body("{\"title\":\"" + title + "\",\"mediaAssetId\":\"" + assetId + "\"}")
                .post("/api/v1/admin/courses/" + courseId + "/lessons")
                .then()
                .statusCode(201)
                .extract()
                .path("lessons[-1].id");
        return UUID.fromString(lessonId);
    }
}
