package cn.hongtong.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import cn.hongtong.testsupport.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every way a request can go wrong answers problem+json, in the caller's language, with no internals. */
@QuarkusTest
class ProblemResponsesTest {

    private static final String PROBE = "/test-support/probe";

    private static ValidatableResponse assertProblem(ValidatableResponse response, int status, String slug) {
        return response.statusCode(status)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:hongtong:problem:" + slug))
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("detail", notNullValue())
                .body(not(containsString("Exception")))
                .body(not(containsString("cn.hongtong")))
                .body(not(containsString("\tat ")));
    }

    @Test
    void unknownRouteAnswersNotFoundInChineseByDefault() {
        assertProblem(given().get("/api/v1/no-such-thing").then(), 404, "not-found")
                .header("Content-Language", "zh-CN")
                .body("title", equalTo("资源不存在"))
                .body("instance", equalTo("/api/v1/no-such-thing"));
    }

    @Test
    void unknownRouteAnswersInEnglishWhenPreferred() {
        assertProblem(
                        given().header("Accept-Language", "en-GB,en;q=0.9,zh;q=0.5")
                                .get("/nothing/here")
                                .then(),
                        404,
                        "not-found")
                .header("Content-Language", "en")
                .body("title", equalTo("Not found"));
    }

    @Test
    void unknownRouteOutsideTheApiAlsoAnswersProblem() {
        assertProblem(given().get("/q/no-such-endpoint").then(), 404, "not-found");
    }

    @Test
    void malformedAcceptLanguageFallsBackToChinese() {
        assertProblem(
                        given().header("Accept-Language", ";;;===,,")
                                .get("/api/v1/nope")
                                .then(),
                        404,
                        "not-found")
                .header("Content-Language", "zh-CN");
    }

    @Test
    void wrongMethodAnswersMethodNotAllowed() {
        assertProblem(given().delete(PROBE).then(), 405, "method-not-allowed");
    }

    @Test
    void malformedJsonAnswersBadRequest() {
        assertProblem(
                given().contentType("application/json")
                        .body("{\"name\": \"x\", \"score\": ")
                        .post(PROBE)
                        .then(),
                400,
                "malformed-request");
    }

    @Test
    void mistypedJsonNamesTheField() {
        assertProblem(
                        given().contentType("application/json")
                                .body("{\"name\": \"x\", \"score\": \"lots\"}")
                                .post(PROBE)
                                .then(),
                        400,
                        "malformed-request")
                .body("errors.field", hasItem("score"));
    }

    @Test
    void emptyBodyAnswersBadRequest() {
        given().contentType("application/json")
                .body("")
                .post(PROBE)
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", matchesPattern("urn:hongtong:problem:(malformed-request|validation-failed)"));
    }

    @Test
    void invalidFieldsAreListedByName() {
        assertProblem(
                        given().contentType("application/json")
                                .body("{\"name\": \"\", \"score\": 101, \"values\": [1, -1]}")
                                .post(PROBE)
                                .then(),
                        400,
                        "validation-failed")
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("score"))
                .body("errors.field", hasItem("values[1]"));
    }

    @Test
    void invalidQueryParameterIsNamed() {
        assertProblem(given().queryParam("limit", 0).get(PROBE + "/page").then(), 400, "validation-failed")
                .body("errors.field", hasItem("limit"));
    }

    @Test
    void unparsableQueryParameterIsAMalformedRequest() {
        assertProblem(given().queryParam("limit", "many").get(PROBE + "/page").then(), 400, "malformed-request");
    }

    @Test
    void validBodyStillWorks() {
        given().contentType("application/json")
                .body("{\"name\": \"高血压\", \"score\": 7}")
                .post(PROBE)
                .then()
                .statusCode(200)
                .body("name", equalTo("高血压"));
    }

    @Test
    void wrongContentTypeAnswersUnsupportedMediaType() {
        assertProblem(
                given().contentType("text/plain").body("name=x").post(PROBE).then(), 415, "unsupported-media-type");
    }

    @Test
    void oversizedBodyWithContentLengthAnswersPayloadTooLarge() {
        byte[] body = new byte[2 * 1024 * 1024];
        Arrays.fill(body, (byte) 'a');
        assertProblem(
                given().contentType("application/json").body(body).post(PROBE).then(), 413, "payload-too-large");
    }

    @Test
    void oversizedChunkedBodyAnswersPayloadTooLarge() {
        byte[] body =
                ("{\"name\":\"" + "a".repeat(2 * 1024 * 1024) + "\",\"score\":1}").getBytes(StandardCharsets.UTF_8);
        // An InputStream body is sent chunked: no Content-Length for the early check to see.
        assertProblem(
                given().contentType("application/json")
                        .body(new ByteArrayInputStream(body))
                        .post(PROBE)
                        .then(),
                413,
                "payload-too-large");
    }

    @Test
    void unexpectedFailureHidesInternalsAndGivesAnIncident() {
        assertProblem(given().get(PROBE + "/boom").then(), 500, "internal")
                .body("incident", matchesPattern("[0-9a-f-]{36}"))
                .body(not(containsString("secret internal detail")));
    }

    @Test
    void successfulAnswersCarryNoProblemFields() {
        Management.request().get("/q/health/live").then().statusCode(200).body("type", nullValue());
    }
}
