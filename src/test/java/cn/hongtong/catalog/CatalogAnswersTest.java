package cn.hongtong.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.common.ConditionalGet;
import cn.hongtong.media.MediaAssets;
import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Tokens;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: learners' catalog answers are kept in memory under the catalog version, so that a
 * 304 touches no database; every admin change, on any replica, makes the next answer fresh.
 */
@QuarkusTest
class CatalogAnswersTest {

    private static final String COURSES = "/api/v1/admin/courses";

    @Inject
    Fixtures fixtures;

    @Inject
    CatalogVersion version;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    ConditionalGet conditional;

    @Inject
    CatalogConfig config;

    @Inject
    Event<MediaAssets.StatusChanged> mediaChanges;

    private String publishedCourse(String title) {
        String id = given().auth()
                .oauth2(Tokens.of("editor"))
                .contentType("application/json")
                .body("{\"title\":\"" + title
                        + "\",\"summary\":\"s\",\"categoryCode\":\"pharmacy\",\"creditClass\":\"II\","
                        + "\"creditHours\":1.0}")
                .post(COURSES)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        UUID asset = fixtures.asset("ready", 60);
        given().auth()
                .oauth2(Tokens.of("editor"))
                .contentType("application/json")
                .body("{\"title\":\"第一课\",\"mediaAssetId\":\"" + asset + "\"}")
                .post(COURSES + "/" + id + "/lessons")
                .then()
                .statusCode(201);
        given().auth()
                .oauth2(Tokens.of("editor"))
                .post(COURSES + "/" + id + "/publish")
                .then()
                .statusCode(200);
        return id;
    }

    @Test
    void anAdminEditTurnsThe304OfAListAndOfACourseIntoA200WithTheNewContent() {
        String learner = Tokens.of("learner-demo");
        String course = publishedCourse("缓存测试 " + UUID.randomUUID());
        Response list = given().auth()
                .oauth2(learner)
                .queryParam("category", "pharmacy")
                .queryParam("limit", 100)
                .get("/api/v1/courses");
        list.then().statusCode(200);
        String listTag = list.header("ETag");
        Response detail = given().auth().oauth2(learner).get("/api/v1/courses/" + course);
        String detailTag = detail.header("ETag");
        given().auth()
                .oauth2(learner)
                .header("If-None-Match", listTag)
                .queryParam("category", "pharmacy")
                .queryParam("limit", 100)
                .get("/api/v1/courses")
                .then()
                .statusCode(304);
        given().auth()
                .oauth2(learner)
                .header("If-None-Match", detailTag)
                .get("/api/v1/courses/" + course)
                .then()
                .statusCode(304);

        String renamed = "改名后 " + UUID.randomUUID();
        given().auth()
                .oauth2(Tokens.of("editor"))
                .contentType("application/json")
                .body("{\"title\":\"" + renamed
                        + "\",\"summary\":\"s\",\"categoryCode\":\"pharmacy\",\"creditClass\":\"II\","
                        + "\"creditHours\":1.0}")
                .put(COURSES + "/" + course)
                .then()
                .statusCode(200);

        given().auth()
                .oauth2(learner)
                .header("If-None-Match", listTag)
                .queryParam("category", "pharmacy")
                .queryParam("limit", 100)
                .get("/api/v1/courses")
                .then()
                .statusCode(200)
                .body("items.title", hasItem(renamed));
        given().auth()
                .oauth2(learner)
                .header("If-None-Match", detailTag)
                .get("/api/v1/courses/" + course)
                .then()
                .statusCode(200)
                .body("title", equalTo(renamed));
    }

    /**
     * The playback path keeps ready lessons under the catalog version: archiving the course makes
     * its lessons unplayable at once; answers of the same minute are one answer, whose expiry is
     * stated as it is (between 6 h and 6 h plus a minute from now).
     */
    @Test
    void aKeptPlayableLessonStopsPlayingTheMomentItsCourseIsArchived() {
        String learner = Tokens.of("learner-demo");
        String course = publishedCourse("播放缓存 " + UUID.randomUUID());
        String lesson = given().auth()
                .oauth2(learner)
                .get("/api/v1/courses/" + course)
                .then()
                .statusCode(200)
                .extract()
                .path("lessons[0].id");
        Instant before = Instant.now();
        Response first = given().auth().oauth2(learner).get("/api/v1/lessons/" + lesson + "/playback");
        first.then().statusCode(200);
        Instant expires = Instant.parse(first.path("expiresAt"));
        Assertions.assertTrue(
                !expires.isBefore(before.plus(Duration.ofHours(6)))
                        && !expires.isAfter(
                                Instant.now().plus(Duration.ofHours(6)).plusSeconds(61)),
                expires.toString());
        given().auth()
                .oauth2(learner)
                .get("/api/v1/lessons/" + lesson + "/playback")
                .then()
                .statusCode(200);

        given().auth()
                .oauth2(Tokens.of("editor"))
                .post(COURSES + "/" + course + "/archive")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(learner)
                .get("/api/v1/lessons/" + lesson + "/playback")
                .then()
                .statusCode(404)
                .body("type", equalTo("urn:hongtong:problem:lesson-not-playable"));
    }

    /**
     * Two replicas share Redis and PostgreSQL, each with its own memory: this test's second
     * CatalogAnswers is the other replica. It keeps its answer until a change made through the
     * API (this replica) bumps the shared version; then it computes the answer again.
     */
    @Test
    void aChangeOnOneReplicaMakesTheOtherReplicasAnswerFresh() {
        // Another replica: its own kept answers and its own view of the version, shared only through Redis.
        CatalogAnswers other =
                new CatalogAnswers(new CatalogVersion(redis, config), conditional, config, Clock.systemUTC());
        AtomicInteger computed = new AtomicInteger();
        String key = "test\u0000" + UUID.randomUUID();
        Supplier<Uni<?>> compute = () -> Uni.createFrom().item(Map.of("n", computed.incrementAndGet()));
        Duration wait = Duration.ofSeconds(10);
        assertEquals(1, body(other.get(key, compute).await().atMost(wait)));
        assertEquals(1, body(other.get(key, compute).await().atMost(wait)), "kept while nothing changed");

        // This replica (the application's own version) makes the change: its answers are fresh at once.
        String mine = "test\u0000" + UUID.randomUUID();
        AtomicInteger minesComputed = new AtomicInteger();
        Supplier<Uni<?>> computeMine = () -> Uni.createFrom().item(Map.of("n", minesComputed.incrementAndGet()));
        CatalogAnswers here = new CatalogAnswers(version, conditional, config, Clock.systemUTC());
        assertEquals(1, body(here.get(mine, computeMine).await().atMost(wait)));
        publishedCourse("另一副本 " + UUID.randomUUID());
        assertEquals(
                2, body(here.get(mine, computeMine).await().atMost(wait)), "fresh at once where the change was made");
        // The other replica within its version refresh (250 ms), and not before the change.
        long changed = System.nanoTime();
        int fresh = 1;
        while (fresh == 1 && System.nanoTime() - changed < wait.toNanos()) {
            fresh = body(other.get(key, compute).await().atMost(wait));
        }
        long tookMs = (System.nanoTime() - changed) / 1_000_000;
        assertEquals(2, fresh, "fresh after an admin change elsewhere");
        assertTrue(tookMs <= config.cache().versionRefresh().toMillis() + 200, "seen after " + tookMs + " ms");
        assertEquals(2, body(other.get(key, compute).await().atMost(wait)));

        // A video whose state changes (ready, failed, reprocessed) changes what lessons show.
        mediaChanges.fire(new MediaAssets.StatusChanged(UUID.randomUUID()));
        long deadline = System.nanoTime() + wait.toNanos();
        int seen = 2;
        while (seen == 2 && System.nanoTime() < deadline) {
            seen = body(other.get(key, compute).await().atMost(wait));
        }
        assertEquals(3, seen, "fresh after a video changed state");
    }

    /** Clients choose filters, pages and limits: what is kept stays within a byte budget. */
    @Test
    void keptAnswersStayWithinTheirByteBudget() {
        CatalogConfig small = new CatalogConfig() {
            @Override
            public boolean demoSeed() {
                return false;
            }

            @Override
            public Cache cache() {
                return new Cache() {
                    @Override
                    public Duration ttl() {
                        return Duration.ofMinutes(1);
                    }

                    @Override
                    public MemorySize maxBytes() {
                        return new MemorySize(BigInteger.valueOf(2_000));
                    }

                    @Override
                    public Duration versionRefresh() {
                        return config.cache().versionRefresh();
                    }

                    @Override
                    public int maxLessons() {
                        return config.cache().maxLessons();
                    }
                };
            }
        };
        CatalogAnswers replica = new CatalogAnswers(version, conditional, small, Clock.systemUTC());
        AtomicInteger computed = new AtomicInteger();
        String big = "x".repeat(600);
        Duration wait = Duration.ofSeconds(10);
        String prefix = "budget\u0000" + UUID.randomUUID() + "\u0000";
        Runnable askForThree = () -> {
            for (int i = 0; i < 3; i++) {
                int n = i;
                replica.get(prefix + n, () -> {
                            computed.incrementAndGet();
                            return Uni.createFrom().item(Map.of("n", n, "pad", big));
                        })
                        .await()
                        .atMost(wait);
            }
        };
        askForThree.run();
        assertEquals(3, computed.get());
        // The first two (about 700 bytes each with their keys) were kept; the third did not fit.
        askForThree.run();
        assertEquals(4, computed.get(), "two answers served from memory, the one past the budget computed again");
    }

    /**
     * Should a version bump be lost, what is kept (answers and ready lessons alike) is served no
     * longer than its TTL.
     */
    @Test
    void whatIsKeptIsServedNoLongerThanItsTtlEvenWithoutABump() {
        AtomicLong millis = new AtomicLong(System.currentTimeMillis());
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis.get());
            }
        };
        Duration wait = Duration.ofSeconds(10);
        // A video finishing elsewhere in the suite may bump the version meanwhile: then try again.
        for (int attempt = 0; ; attempt++) {
            long before = version.current().await().atMost(wait);
            VersionedMemo<String, Integer> memo =
                    new VersionedMemo<>(version, clock, Duration.ofMinutes(1), 10, (k, v) -> 1);
            AtomicInteger computed = new AtomicInteger();
            String key = "ttl-" + UUID.randomUUID();
            Supplier<Uni<Integer>> compute = () -> Uni.createFrom().item(computed.incrementAndGet());
            int first = memo.get(key, compute).await().atMost(wait);
            millis.addAndGet(59_000);
            int withinTtl = memo.get(key, compute).await().atMost(wait);
            millis.addAndGet(2_000);
            int pastTtl = memo.get(key, compute).await().atMost(wait);
            if (version.current().await().atMost(wait) != before && attempt < 3) {
                continue;
            }
            assertEquals(1, first);
            assertEquals(1, withinTtl, "kept within the TTL");
            assertEquals(2, pastTtl, "computed again past the TTL");
            return;
        }
    }

    /** Many requests missing the same answer at once (an expiry under load) run its query once. */
    @Test
    void concurrentMissesComputeOnceAndShareTheOutcome() {
        Duration wait = Duration.ofSeconds(10);
        for (int attempt = 0; ; attempt++) {
            long before = version.current().await().atMost(wait);
            VersionedMemo<String, Integer> memo =
                    new VersionedMemo<>(version, Clock.systemUTC(), Duration.ofMinutes(1), 10, (k, v) -> 1);
            AtomicInteger computed = new AtomicInteger();
            String key = "herd-" + UUID.randomUUID();
            Supplier<Uni<Integer>> slow = () -> Uni.createFrom()
                    .item(() -> computed.incrementAndGet())
                    .onItem()
                    .delayIt()
                    .by(Duration.ofMillis(300));
            List<Uni<Integer>> callers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                callers.add(memo.get(key, slow));
            }
            List<Integer> got = Uni.join().all(callers).andFailFast().await().atMost(wait);

            // A failure is shared by the callers waiting for it, and not kept.
            String failing = "fail-" + UUID.randomUUID();
            AtomicInteger failures = new AtomicInteger();
            Supplier<Uni<Integer>> broken = () -> Uni.createFrom()
                    .<Integer>failure(new IllegalStateException("no " + failures.incrementAndGet()))
                    .onFailure()
                    .call(() -> Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(300)));
            List<Uni<String>> failingCallers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                failingCallers.add(memo.get(failing, broken)
                        .map(String::valueOf)
                        .onFailure()
                        .recoverWithItem(Throwable::getMessage));
            }
            List<String> outcomes =
                    Uni.join().all(failingCallers).andFailFast().await().atMost(wait);
            int afterFailure =
                    memo.get(failing, () -> Uni.createFrom().item(7)).await().atMost(wait);
            if (version.current().await().atMost(wait) != before && attempt < 3) {
                continue; // a video finishing elsewhere bumped the version meanwhile
            }
            assertEquals(1, computed.get(), "computed once for 20 concurrent misses");
            assertEquals(Collections.nCopies(20, 1), got);
            assertEquals(1, failures.get());
            assertEquals(Collections.nCopies(5, "no 1"), outcomes);
            assertEquals(7, afterFailure, "a failure is not kept");
            return;
        }
    }

    private static int body(ConditionalGet.Representation answer) {
        String json = new String(answer.json(), StandardCharsets.UTF_8);
        return Integer.parseInt(json.replaceAll("[^0-9]", ""));
    }
}
