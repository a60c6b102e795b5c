package cn.hongtong.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.hongtong.testsupport.Fixtures;
import cn.hongtong.testsupport.Learning;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many heartbeats at once are all answered. Found by bench/durability on the Redis Cluster: the
 * cluster client takes a pooled connection to every master for each command, so with more
 * commands in flight than the pool holds per node, commands held one node's connection while
 * waiting for another's and every heartbeat ran into the request deadline (503). bin/test
 * --redis-cluster sets the pool that the cluster needs (as k8s does); this test fails under the
 * default pool of 64.
 */
@QuarkusTest
class ConcurrentHeartbeatsTest {

    private static final int LEARNERS = 100;
    private static final int IN_FLIGHT = 300;

    @Inject
    Fixtures fixtures;

    @Test
    void manyHeartbeatsInFlightAreAllAnswered() throws Exception {
        UUID lesson = Learning.lesson(fixtures, 600);
        List<String[]> sessions = new ArrayList<>();
        for (int i = 0; i < LEARNERS; i++) {
            String learner = Learning.newLearner();
            sessions.add(new String[] {learner, Learning.startSession(learner, lesson, "d" + i)});
        }
        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int round = 1; round <= 5; round++) {
                for (String[] s : sessions) {
                    int seq = round;
                    answers.add(pool.submit(
                            () -> Learning.playing(s[0], s[1], seq, 0, 1).statusCode()));
                }
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (Future<Integer> answer : answers) {
                statuses.merge(answer.get(), 1, Integer::sum);
            }
            // Rounds race each other, so a session's older seq may arrive after a newer one: it is
            // answered 200 too (flagged stale); nothing may be refused or time out.
            assertEquals(Map.of(200, LEARNERS * 5), statuses);
        } finally {
            pool.shutdownNow();
        }
    }
}
