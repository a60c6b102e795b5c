package cn.hongtong.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import cn.hongtong.testsupport.Management;
import io.quarkus.test.junit.QuarkusTest;
import org.hamcrest.MatcherAssert;
import org.junit.jupiter.api.Test;

/**
 * Readiness says whether this replica can serve its hot path: Redis only (issue 13, finding 5).
 * PostgreSQL, the object store and Keycloak are watched in health group {@code dependencies} and
 * in gauge {@code hongtong_dependency_up}; their outage must not take every replica out of the
 * Service (bench/faults scenario 7 shows heartbeats answered while PostgreSQL is frozen).
 */
@QuarkusTest
class ReadinessTest {

    @Test
    void readinessDependsOnRedisOnly() {
        Management.request()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                // Quarkus's own check turns DOWN during the shutdown delay, so the pod leaves the Service first.
                .body("checks.name", containsInAnyOrder("Graceful Shutdown", "redis"));
    }

    @Test
    void everyDependencyIsInTheDependenciesGroup() {
        Management.request()
                .get("/q/health/group/dependencies")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", containsInAnyOrder("postgres", "redis", "object-storage", "oidc"));
    }

    @Test
    void everyDependencyHasAnUpGauge() {
        String metrics = Management.request()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        for (String dependency : new String[] {"postgres", "redis", "object-storage", "oidc"}) {
            MatcherAssert.assertThat(
                    metrics, containsString("hongtong_dependency_up{dependency=\"" + dependency + "\"} 1.0"));
        }
    }

    @Test
    void livenessAndStartupAreUp() {
        Management.request().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        Management.request().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    /** Issue 13, finding 10: the public port serves the API, never health detail, metrics or the OpenAPI document. */
    @Test
    void managementIsOffThePublicPort() {
        for (String path : new String[] {
            "/q/metrics", "/q/openapi", "/q/health", "/q/health/ready", "/q/health/group/dependencies", "/q/health/live"
        }) {
            given().get(path).then().statusCode(404);
        }
    }

    @Test
    void metricsAndOpenApiAreServed() {
        Management.request().get("/q/metrics").then().statusCode(200);
        Management.request().get("/q/openapi").then().statusCode(200);
    }
}
