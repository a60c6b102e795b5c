package cn.hongtong.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import cn.hongtong.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint with a token answers 401 problem+json without one, and 403 problem+json to a
 * role it does not serve. (Ownership, such as another learner's session, is tested per feature.)
 */
@QuarkusTest
class EndpointAccessTest {

    private record Call(String method, String path, String body, String wrongRole) {}

    private static final String ID = UUID.randomUUID().toString();
    private static final String JSON = "{}";

    private static final List<Call> CALLS = List.of(
            new Call("GET", "/api/v1/me", null, "nobody"),
            new Call("PUT", "/api/v1/me", JSON, "analyst"),
            new Call("GET", "/api/v1/regions", null, "nobody"),
            new Call("GET", "/api/v1/institutions?region=52", null, "nobody"),
            new Call("GET", "/api/v1/categories", null, "nobody"),
            new Call("GET", "/api/v1/courses", null, "nobody"),
            new Call("GET", "/api/v1/courses/" + ID, null, "nobody"),
            new Call("GET", "/api/v1/admin/courses", null, "learner-demo"),
            new Call("POST", "/api/v1/admin/courses", JSON, "analyst"),
            new Call("PUT", "/api/v1/admin/courses/" + ID, JSON, "learner-demo"),
            new Call("POST", "/api/v1/admin/courses/" + ID + "/lessons", JSON, "learner-demo"),
            new Call("PUT", "/api/v1/admin/courses/" + ID + "/lessons/order", JSON, "learner-demo"),
            new Call("DELETE", "/api/v1/admin/courses/" + ID + "/lessons/" + ID, null, "learner-demo"),
            new Call("POST", "/api/v1/admin/courses/" + ID + "/publish", null, "analyst"),
            new Call("POST", "/api/v1/admin/courses/" + ID + "/archive", null, "learner-demo"),
            new Call("POST", "/api/v1/admin/media/uploads", JSON, "learner-demo"),
            new Call("POST", "/api/v1/admin/media/" + ID + "/complete", JSON, "analyst"),
            new Call("GET", "/api/v1/admin/media/" + ID, null, "learner-demo"),
            new Call("GET", "/api/v1/admin/media/" + ID + "/events", null, "learner-demo"),
            new Call("GET", "/api/v1/lessons/" + ID + "/playback", null, "analyst"),
            new Call("GET", "/api/v1/lessons/" + ID + "/download", null, "editor"),
            new Call("POST", "/api/v1/sessions", JSON, "editor"),
            new Call("POST", "/api/v1/sessions/" + ID + "/heartbeats", JSON, "analyst"),
            new Call("POST", "/api/v1/sessions/" + ID + "/end", null, "admin"),
            new Call("POST", "/api/v1/sessions/offline", JSON, "editor"),
            new Call("GET", "/api/v1/me/progress", null, "analyst"),
            new Call("GET", "/api/v1/me/ledger?from=2026-01-01&to=2026-01-31", null, "admin"),
            new Call("GET", "/api/v1/stats/overview", null, "learner-demo"),
            new Call("GET", "/api/v1/stats/series", null, "editor"),
            new Call("GET", "/api/v1/stats/courses", null, "learner-demo"),
            new Call("GET", "/api/v1/stats/regions", null, "editor"),
            new Call("GET", "/api/v1/stats/institutions", null, "learner-demo"),
            new Call("GET", "/api/v1/stats/professions", null, "editor"),
            new Call("GET", "/api/v1/stats/lessons/" + ID + "/retention", null, "learner-demo"));

    private static void named(Call call, Runnable check) {
        try {
            check.run();
        } catch (AssertionError e) {
            throw new AssertionError(
                    call.method() + " " + call.path() + " as " + call.wrongRole() + ": " + e.getMessage(), e);
        }
    }

    private static RequestSpecification request(Call call) {
        RequestSpecification spec = given().urlEncodingEnabled(false);
        if (call.body() != null) {
            spec.contentType("application/json").body(call.body());
        }
        return spec;
    }

    @Test
    void withoutATokenEveryEndpointAnswers401() {
        for (Call call : CALLS) {
            named(
                    call,
                    () -> request(call)
                            .request(call.method(), call.path())
                            .then()
                            .statusCode(401)
                            .contentType(Problem.MEDIA_TYPE)
                            .body("type", equalTo("urn:hongtong:problem:unauthenticated")));
        }
    }

    @Test
    void aRoleAnEndpointDoesNotServeGets403() {
        for (Call call : CALLS) {
            named(
                    call,
                    () -> request(call)
                            .auth()
                            .oauth2(Tokens.of(call.wrongRole()))
                            .request(call.method(), call.path())
                            .then()
                            .statusCode(403)
                            .contentType(Problem.MEDIA_TYPE)
                            .body("type", equalTo("urn:hongtong:problem:forbidden")));
        }
    }
}
