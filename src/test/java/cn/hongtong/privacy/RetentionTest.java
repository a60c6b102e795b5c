package cn.hongtong.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 6: the retention job deletes what is past its period (renewal handles,
 * sessions with their per-day totals, offline plays, the credit clock's copy, dead-lettered
 * events, markers of deleted accounts), keeps what is not, and never touches the ledger.
 */
@QuarkusTest
class RetentionTest {

    @Inject
    RetentionJobs retention;

    @Inject
    Fixtures fixtures;

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    private void sql(String statement, Object... params) {
        pool.preparedQuery(statement).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void whatIsPastItsPeriodGoesAndNothingElse() {
        Learning.newLearner();
        UUID learner =
                (UUID) pool.query("SELECT id FROM learner WHERE erased_at IS NULL ORDER BY created_at DESC LIMIT 1")
                        .execute()
                        .await()
                        .atMost(Duration.ofSeconds(10))
                        .iterator()
                        .next()
                        .getValue(0);
        UUID lesson = Learning.lesson(fixtures, 60);
        UUID course = (UUID) pool.preparedQuery("SELECT course_id FROM lesson WHERE id = $1")
                .execute(Tuple.of(lesson))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getValue(0);
        Instant now = Instant.now();
        Map<String, UUID> ids = new HashMap<>();
        for (String age : new String[] {"old", "new"}) {
            Instant at = age.equals("old") ? now.minus(800, ChronoUnit.DAYS) : now.minus(10, ChronoUnit.DAYS);
            UUID session = UUID.randomUUID();
            ids.put(age, session);
            sql(
                    "INSERT INTO learning_session (id, learner_id, lesson_id, course_id, device_id, client, started_at, updated_at) "
                            + "VALUES ($1, $2, $3, $4, 'retention-device', 'app', $5, $5)",
                    session,
                    learner,
                    lesson,
                    course,
                    at.atOffset(ZoneOffset.UTC));
            sql(
                    "INSERT INTO session_day (session_id, day, watch_ms, credited_ms) VALUES ($1, $2, 1000, 1000)",
                    session,
                    LocalDate.ofInstant(at, ZoneOffset.UTC));
            sql(
                    "INSERT INTO offline_play (learner_id, play_id, lesson_id, session_id, started_at, ended_at, status, "
                            + "credited_ms, created_at) VALUES ($1, $2, $3, $4, $5, $5, 'accepted', 0, $5)",
                    learner,
                    UUID.randomUUID(),
                    lesson,
                    session,
                    at.atOffset(ZoneOffset.UTC));
            Instant expires = age.equals("old") ? now.minus(30, ChronoUnit.DAYS) : now.plus(20, ChronoUnit.DAYS);
            sql(
                    "INSERT INTO renewal_handle (id, family_id, learner_id, token_hash, created_at, expires_at) "
                            + "VALUES ($1, $1, $2, $3, $4, $5)",
                    session,
                    learner,
                    Buffer.buffer(session.toString()),
                    expires.minus(30, ChronoUnit.DAYS).atOffset(ZoneOffset.UTC),
                    expires.atOffset(ZoneOffset.UTC));
            sql(
                    "INSERT INTO credit_clock (learner_id, day, spans) VALUES ($1, $2, '{}') ON CONFLICT DO NOTHING",
                    learner,
                    LocalDate.ofInstant(age.equals("old") ? now.minus(100, ChronoUnit.DAYS) : now, ZoneOffset.UTC));
            sql(
                    "INSERT INTO account_erasure (subject_hash, keycloak_user_id, erased_at) VALUES ($1, NULL, $2)",
                    Buffer.buffer(session.toString()),
                    (age.equals("old") ? now.minus(3, ChronoUnit.DAYS) : now).atOffset(ZoneOffset.UTC));
        }
        // An old entry can only be added to a stream whose last id is older: start it afresh.
        redis.execute("DEL", "learning:events:dead");
        redis.execute(
                "XADD", "learning:events:dead", (now.minus(40, ChronoUnit.DAYS).toEpochMilli()) + "-0", "old", "1");
        redis.execute("XADD", "learning:events:dead", "*", "new", "1");
        long ledgerBefore = fixtures.queryLong("SELECT count(*) FROM hours_ledger");

        RetentionJobs.Run run = retention.runOnce().await().atMost(Duration.ofSeconds(60));

        assertTrue(
                run.sessions() >= 1
                        && run.renewalHandles() >= 1
                        && run.offlinePlays() >= 1
                        && run.creditClockDays() >= 1
                        && run.deadEvents() >= 1
                        && run.erasureMarkers() >= 1,
                run.toString());
        for (String age : new String[] {"old", "new"}) {
            long expected = age.equals("old") ? 0 : 1;
            UUID id = ids.get(age);
            assertEquals(
                    expected,
                    fixtures.queryLong("SELECT count(*) FROM learning_session WHERE id = $1", id),
                    age + " session");
            assertEquals(
                    expected,
                    fixtures.queryLong("SELECT count(*) FROM session_day WHERE session_id = $1", id),
                    age + " day");
            assertEquals(
                    expected,
                    fixtures.queryLong("SELECT count(*) FROM offline_play WHERE session_id = $1", id),
                    age + " play");
            assertEquals(
                    expected,
                    fixtures.queryLong("SELECT count(*) FROM renewal_handle WHERE id = $1", id),
                    age + " handle");
            assertEquals(
                    expected,
                    fixtures.queryLong(
                            "SELECT count(*) FROM account_erasure WHERE subject_hash = $1",
                            Buffer.buffer(id.toString())),
                    age + " marker");
        }
        assertEquals(
                0,
                fixtures.queryLong(
                        "SELECT count(*) FROM credit_clock WHERE learner_id = $1 AND day < $2",
                        learner,
                        LocalDate.ofInstant(now.minus(60, ChronoUnit.DAYS), ZoneOffset.UTC)));
        assertEquals(1, fixtures.queryLong("SELECT count(*) FROM credit_clock WHERE learner_id = $1", learner));
        var dead = redis.execute("XRANGE", "learning:events:dead", "-", "+");
        assertTrue(dead.size() >= 1, "the recent dead letter stays");
        dead.forEach(entry -> assertTrue(
                Long.parseLong(entry.get(0).toString().split("-")[0])
                        > now.minus(30, ChronoUnit.DAYS).toEpochMilli(),
                "no dead letter older than 30 days"));
        assertEquals(
                ledgerBefore, fixtures.queryLong("SELECT count(*) FROM hours_ledger"), "the ledger is never aged out");
    }
}
