package cn.hongtong.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import cn.hongtong.testsupport.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 11: the API runs as a role that can read and write rows and nothing else
 * (hongtong_app, created by bin/stack, granted by the migrations' afterMigrate callback), does not
 * migrate, and validates the schema at start. The schema is migrated beforehand by the owner, as
 * the migration Job does in production. A learner plays and the flusher writes the ledger; DDL
 * through the API's own pool is refused.
 */
@QuarkusTest
@TestProfile(DmlRoleTest.AsAppRole.class)
@QuarkusTestResource(value = DmlRoleTest.MigratedByOwner.class, restrictToAnnotatedClass = true)
class DmlRoleTest {

    public static class AsAppRole implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.username",
                    System.getenv().getOrDefault("HONGTONG_DB_APP_ROLE", "hongtong_app"),
                    "quarkus.datasource.password",
                    System.getenv().getOrDefault("HONGTONG_DB_APP_PASSWORD", "hongtong-app"),
                    "quarkus.flyway.migrate-at-start",
                    "false",
                    "quarkus.flyway.clean-at-start",
                    "false",
                    "quarkus.flyway.validate-at-start",
                    "true");
        }
    }

    /** The migration step: the schema's owner migrates before the API starts, as the Job does. */
    public static class MigratedByOwner implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            String port = System.getenv().getOrDefault("HONGTONG_PG_PORT", "5432");
            Flyway.configure()
                    .dataSource(
                            "jdbc:postgresql://127.0.0.1:" + port + "/hongtong_test",
                            "hongtong",
                            System.getenv().getOrDefault("HONGTONG_PG_PASSWORD", "hongtong"))
                    .locations("classpath:db/migration", "classpath:db/demo")
                    .placeholders(
                            Map.of("appRole", System.getenv().getOrDefault("HONGTONG_DB_APP_ROLE", "hongtong_app")))
                    .load()
                    .migrate();
            return Map.of();
        }

        @Override
        public void stop() {}
    }

    @Inject
    Pool pool;

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void theApiRunsAsTheRowsOnlyRoleAndLearningWorks() throws Exception {
        String user = pool.query("SELECT current_user")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getString(0);
        assertEquals(System.getenv().getOrDefault("HONGTONG_DB_APP_ROLE", "hongtong_app"), user);

        String token = Learning.newLearner();
        UUID lesson = Learning.lesson(fixtures, 60);
        clock.fix();
        String session = Learning.startSession(token, lesson, "dml-role-phone");
        clock.advanceSeconds(10);
        Learning.playing(token, session, 1, 0, 10).then().statusCode(200);
        Learning.end(token, session).then().statusCode(200);
        fixtures.awaitLong(
                "the flusher writes the ledger as the rows-only role",
                10_000,
                "SELECT coalesce(sum(h.credited_ms), 0) FROM hours_ledger h JOIN learning_session s "
                        + "ON s.learner_id = h.learner_id AND s.lesson_id = h.lesson_id WHERE s.id = $1",
                UUID.fromString(session));
    }

    /**
     * Replicas that migrate at start (dev, bench/faults' three replicas) run the grants callback at
     * once: it must not fail with "tuple concurrently updated" (it did, and a replica never started).
     */
    @Test
    void concurrentMigrationsGrantWithoutConflict() throws Exception {
        var pool = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 3; round++) {
                var runs = new ArrayList<Future<?>>();
                for (int i = 0; i < 6; i++) {
                    runs.add(pool.submit(() -> new MigratedByOwner().start()));
                }
                for (var run : runs) {
                    run.get(120, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ddlThroughTheApisPoolIsRefused() {
        for (String ddl : new String[] {
            "CREATE TABLE intruder (i int)",
            "DROP TABLE hours_ledger",
            "TRUNCATE learner",
            "ALTER TABLE learner ADD COLUMN x int",
            "CREATE INDEX intruder_idx ON learner (created_at)"
        }) {
            Throwable failure = pool.query(ddl)
                    .execute()
                    .onItem()
                    .transform(r -> (Throwable) null)
                    .onFailure()
                    .recoverWithItem(f -> f)
                    .await()
                    .atMost(Duration.ofSeconds(10));
            assertTrue(failure instanceof PgException, ddl + " was allowed");
            assertEquals("42501", ((PgException) failure).getSqlState(), ddl + ": " + failure.getMessage());
        }
    }
}
