package cn.hongtong.learning;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** PostgreSQL reads and writes of starting a session (never on the heartbeat path). */
@ApplicationScoped
class LearningStore {

    private final Pool pool;

    LearningStore(Pool pool) {
        this.pool = pool;
    }

    /** What PostgreSQL knows of the learner's progress in a lesson. */
    record Progress(String covered, int positionMs) {}

    /**
     * Inserts a session's row unless it exists (a resent offline play finds it); true when this
     * call inserted it. Never for a learner whose account was deleted: their tokens verify until
     * they expire, and another replica may still know the learner by its subject.
     */
    Uni<Boolean> insertSession(
            UUID id, UUID learner, UUID lesson, UUID course, String device, String client, Instant at) {
        return pool.preparedQuery(
                        "INSERT INTO learning_session (id, learner_id, lesson_id, course_id, device_id, client, "
                                + "started_at, updated_at) SELECT $1, $2, $3, $4, $5, $6, $7, $7 "
                                + "WHERE NOT EXISTS (SELECT 1 FROM learner WHERE id = $2 AND erased_at IS NOT NULL) "
                                + "ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.from(new Object[] {id, learner, lesson, course, device, client, utc(at)}))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Coverage as "s,e,s,e" in milliseconds and the last position; empty when nothing was watched. */
    Uni<Progress> progress(UUID learner, UUID lesson) {
        return pool.preparedQuery("SELECT covered::text AS covered, position_ms FROM lesson_progress "
                        + "WHERE learner_id = $1 AND lesson_id = $2")
                .execute(Tuple.of(learner, lesson))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return new Progress("", 0);
                    }
                    Row row = rows.iterator().next();
                    return new Progress(flatten(row.getString("covered")), row.getInteger("position_ms"));
                });
    }

    /** Credited milliseconds of the learner on a day, from the ledger. */
    Uni<Long> creditedOn(UUID learner, LocalDate day) {
        return pool.preparedQuery(
                        "SELECT coalesce(sum(credited_ms), 0) AS ms FROM hours_ledger WHERE learner_id = $1 AND day = $2")
                .execute(Tuple.of(learner, day))
                .map(rows -> rows.iterator().next().getLong("ms"));
    }

    /** The learner's credit clock as "s,e,s,e" (epoch ms), from the days since {@code since}. */
    Uni<String> creditClock(UUID learner, LocalDate since) {
        return pool.preparedQuery(
                        "SELECT coalesce(range_agg(r)::text, '{}') AS spans FROM credit_clock c, unnest(c.spans) AS r "
                                + "WHERE c.learner_id = $1 AND c.day >= $2")
                .execute(Tuple.of(learner, since))
                .map(rows -> flatten(rows.iterator().next().getString("spans")));
    }

    /** "{[0,1000),[5000,6000)}" to "0,1000,5000,6000". */
    static String flatten(String multirange) {
        if (multirange == null) {
            return "";
        }
        return multirange
                .replaceAll("[{}\\[\\)\\s]", "")
                .replace("),(", ",")
                .replaceAll(",,+", ",")
                .replaceAll("^,|,$", "");
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
