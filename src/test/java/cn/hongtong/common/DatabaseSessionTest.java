package cn.hongtong.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The API's own database sessions are set up for short queries. */
@QuarkusTest
class DatabaseSessionTest {

    @Inject
    Pool pool;

    /**
     * Regression (issue 15): with stale statistics PostgreSQL JIT-compiled a sub-millisecond
     * progress query for 17 ms on every call; the API's connections run without JIT.
     */
    @Test
    void theApisConnectionsRunWithoutJit() {
        String jit = pool.query("SHOW jit")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getString(0);
        assertEquals("off", jit);
    }
}
