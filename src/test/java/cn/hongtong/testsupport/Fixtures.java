package cn.hongtong.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.function.LongSupplier;

/** Rows a test needs as its starting point, written straight to the test database. */
@ApplicationScoped
public class Fixtures {

    private final Pool pool;

    Fixtures(Pool pool) {
        this.pool = pool;
    }

    /** A video asset in the given status (no renditions behind it: for catalog tests only). */
    public UUID asset(String status, int durationSeconds) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO media_asset (id, status, file_name, content_type, declared_size, original_key, "
                        + "duration_ms, progress, attempts, created_by, created_at, updated_at) "
                        + "VALUES ($1, $2, 'fixture.mp4', 'video/mp4', 1000, $3, $4, 0, 0, 'fixture', now(), now())")
                .execute(Tuple.of(id, status, "assets/" + id + "/original.mp4", durationSeconds * 1000))
                .await()
                .atMost(Duration.ofSeconds(10));
        return id;
    }

    /** The first column of the first row, as a long (0 when there is no row or it is null). */
    public long queryLong(String sql, Object... params) {
        var rows = pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10));
        if (rows.size() == 0) {
            return 0;
        }
        Object value = rows.iterator().next().getValue(0);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /**
     * Polls {@link #queryLong} until it gives {@code expected}, for up to 30 s (what the flusher
     * writes arrives a little later than the answer that acknowledged it); fails naming {@code what}.
     */
    public void awaitLong(String what, long expected, String sql, Object... params) throws InterruptedException {
        awaitLong(what, expected, () -> queryLong(sql, params));
    }

    /** Polls {@code actual} until it gives {@code expected}, for up to 30 s; fails naming {@code what}. */
    public static void awaitLong(String what, long expected, LongSupplier actual) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long seen = actual.getAsLong();
        while (seen != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            seen = actual.getAsLong();
        }
        assertEquals(expected, seen, what);
    }

    /** The first column of the first row, as text (null when there is no row). */
    public String queryString(String sql, Object... params) {
        var rows = pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10));
        if (rows.size() == 0) {
            return null;
        }
        Object value = rows.iterator().next().getValue(0);
        return value == null ? null : value.toString();
    }

    /** Runs one statement with positional parameters. */
    public int execute(String sql, Object... params) {
        return pool.preparedQuery(sql)
                .execute(Tuple.from(params))
                .await()
                .atMost(Duration.ofSeconds(10))
                .rowCount();
    }
}
