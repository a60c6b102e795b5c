package cn.hongtong.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The learner table against the real database. */
@QuarkusTest
class LearnerRepositoryTest {

    @Inject
    LearnerRepository learners;

    @Inject
    LearnerService service;

    @Test
    void insertIfAbsentInsertsOnce() throws Exception {
        String subject = "test-" + UUID.randomUUID();
        int first = inTransaction(() -> learners.insertIfAbsent(subject));
        int second = inTransaction(() -> learners.insertIfAbsent(subject));
        assertEquals(1, first);
        assertEquals(0, second);
        Learner found = inTransaction(() -> learners.findBySubject(subject));
        assertNotNull(found.id);
        assertNotNull(found.createdAt);
    }

    @Test
    void concurrentFirstContactsMakeOneLearner() throws Exception {
        String subject = "test-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            // Each attempt on its own thread, hence its own Vert.x context, session and connection.
            List<Future<UUID>> attempts = pool.invokeAll(IntStream.range(0, 6)
                    .mapToObj(i -> (Callable<UUID>) () -> inTransaction(() -> service.ensureLearner(subject)).id)
                    .toList());
            Set<UUID> ids = new HashSet<>();
            for (Future<UUID> attempt : attempts) {
                ids.add(attempt.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1, ids.size(), "all first contacts see the same learner");
        } finally {
            pool.shutdownNow();
        }
        long rows = inTransaction(() -> learners.count("subject", subject));
        assertEquals(1L, rows);
    }

    @Test
    void weChatLoginsOfOnePersonKeepOneRecordWithBothOpenids() throws Exception {
        String subject = "test-" + UUID.randomUUID();
        String unionid = "u-" + UUID.randomUUID();
        inTransaction(() ->
                learners.recordWeChatLogin(subject, unionid, "mini-1", null).replaceWith(0));
        inTransaction(() ->
                learners.recordWeChatLogin(subject, unionid, null, "app-1").replaceWith(0));
        Learner learner = inTransaction(() -> learners.findBySubject(subject));
        assertEquals(unionid, learner.unionid);
        assertEquals("mini-1", learner.miniOpenid);
        assertEquals("app-1", learner.appOpenid);
        assertEquals(1L, (long) inTransaction(() -> learners.count("unionid", unionid)));
    }

    @Test
    void recreatedKeycloakAccountKeepsThePersonsLearnerRecord() throws Exception {
        String unionid = "u-" + UUID.randomUUID();
        String oldSubject = "test-" + UUID.randomUUID();
        String newSubject = "test-" + UUID.randomUUID();
        inTransaction(() ->
                learners.recordWeChatLogin(oldSubject, unionid, "mini-1", null).replaceWith(0));
        UUID before = inTransaction(() -> learners.findBySubject(oldSubject)).id;
        inTransaction(() ->
                learners.recordWeChatLogin(newSubject, unionid, "mini-1", null).replaceWith(0));
        Learner after = inTransaction(() -> learners.findBySubject(newSubject));
        assertEquals(before, after.id, "the hours stay with the person");
        assertEquals(1L, (long) inTransaction(() -> learners.count("unionid", unionid)));
    }

    private static <T> T inTransaction(Supplier<Uni<T>> work) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(work));
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
