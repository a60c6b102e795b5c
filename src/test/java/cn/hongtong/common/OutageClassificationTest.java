package cn.hongtong.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.hongtong.testsupport.Fast;
import io.vertx.pgclient.PgException;
import io.vertx.redis.client.impl.types.ErrorType;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/**
 * Which failures of a dependency are an outage (503 with Retry-After, the client retries) and
 * which are a defect (500 with an incident id). Found by bench/faults: a heartbeat that met Redis
 * loading its data after a restart answered 500.
 */
@Fast
class OutageClassificationTest {

    @Test
    void redisSayingNotNowIsAnOutage() {
        assertTrue(ProblemMappers.isOutage(ErrorType.create("LOADING Redis is loading the dataset in memory")));
        assertTrue(ProblemMappers.isOutage(
                new RuntimeException(ErrorType.create("OOM command not allowed when used memory > 'maxmemory'."))));
        assertTrue(ProblemMappers.isOutage(ErrorType.create("BUSY Redis is busy running a script.")));
        assertTrue(ProblemMappers.isOutage(ErrorType.create("CONNECTION_CLOSED")));
    }

    /** A batch (a script with WAIT behind it) reports a command's error as "ERR [index] CODE ...". */
    @Test
    void redisSayingNotNowInsideABatchIsAnOutage() {
        assertTrue(ProblemMappers.isOutage(ErrorType.create("ERR [0] NOREPLICAS Not enough good replicas to write.")));
        assertTrue(ProblemMappers.isOutage(
                ErrorType.create("ERR [0] TRYAGAIN Multiple keys request during rehashing of slot")));
        assertTrue(ProblemMappers.isOutage(ErrorType.create("ERR [1] CLUSTERDOWN The cluster is down")));
        // A redirect the client did not follow (past the hot path's retries): the slot moved, not a defect.
        assertTrue(ProblemMappers.isOutage(ErrorType.create("ERR [0] MOVED 4735 127.0.0.1:7103")));
        assertTrue(ProblemMappers.isOutage(ErrorType.create("ERR [0] ASK 606 127.0.0.1:7101")));
        assertFalse(ProblemMappers.isOutage(ErrorType.create("ERR [0] NOSCRIPT No matching script")));
        assertFalse(ProblemMappers.isOutage(ErrorType.create("ERR [0] ERR wrong number of arguments")));
    }

    @Test
    void postgresGoingAwayIsAnOutage() {
        assertTrue(ProblemMappers.isOutage(
                new PgException("terminating connection due to administrator command", "FATAL", "57P01", null)));
        assertTrue(
                ProblemMappers.isOutage(new PgException("the database system is starting up", "FATAL", "57P03", null)));
        assertTrue(ProblemMappers.isOutage(new PgException("sorry, too many clients already", "FATAL", "53300", null)));
        assertTrue(ProblemMappers.isOutage(ClosedConnectionException.INSTANCE));
        assertTrue(ProblemMappers.isOutage(new SocketException("Connection reset")));
    }

    @Test
    void defectsAreNotOutages() {
        assertFalse(ProblemMappers.isOutage(ErrorType.create("ERR wrong number of arguments for 'hset' command")));
        assertFalse(ProblemMappers.isOutage(ErrorType.create("NOSCRIPT No matching script")));
        assertFalse(ProblemMappers.isOutage(new PgException("duplicate key value", "ERROR", "23505", null)));
        assertFalse(ProblemMappers.isOutage(new PgException("syntax error", "ERROR", "42601", null)));
        assertFalse(ProblemMappers.isOutage(new IllegalStateException("Connection pool")));
    }
}
