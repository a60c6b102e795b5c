package cn.hongtong.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cn.hongtong.common.ProblemException;
import cn.hongtong.testsupport.RedisNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Acknowledged means durable (hongtong.learning.durability): with replicas required, a write is
 * answered only once a replica holds it; otherwise 503 not-durable, and the client's resend is
 * answered by seq without counting anything twice.
 */
class DurableAcknowledgementTest {

    private static final String STREAM = "test:durable:" + UUID.randomUUID();

    /** The test stack's single Redis has no replica: every WAIT comes back short. */
    @Test
    void withoutTheReplicaAHeartbeatIsRefusedAndItsResendCountsOnce() {
        try (HotPathHarness harness = new HotPathHarness()) {
            LearningConfig plain = HotPathHarness.config(Duration.ofHours(4));
            LearningConfig durable = HotPathHarness.config(Duration.ofHours(4), 1, Duration.ofMillis(150));
            HotPath masterOnly = harness.hotPath(plain, STREAM);
            HotPath replicated = harness.hotPath(durable, STREAM);
            UUID learner = UUID.randomUUID();
            UUID session = UUID.randomUUID();
            UUID lesson = UUID.randomUUID();
            long start = System.currentTimeMillis() - 20_000;
            harness.createSession(masterOnly, learner, session, lesson, UUID.randomUUID(), 60_000, start);
            long now = System.currentTimeMillis();
            HotPath.Call call = masterOnly.online(
                    "subject-" + learner,
                    Instant.ofEpochMilli(now),
                    HotPathHarness.day(now),
                    1,
                    10_000,
                    1,
                    "playing",
                    "0,10000");
            HotPath.Keys keys = masterOnly.keys(learner, session, lesson, HotPathHarness.day(now));

            long began = System.nanoTime();
            try {
                replicated.call(keys, call).await().atMost(HotPathHarness.TIMEOUT);
                fail("acknowledged without a replica");
            } catch (ProblemException e) {
                assertEquals(LearningProblems.NOT_DURABLE, e.type());
                assertEquals(Duration.ofSeconds(1), e.retryAfter());
            }
            long waited = (System.nanoTime() - began) / 1_000_000;
            assertTrue(waited >= 140, "WAIT waited its timeout, not " + waited + " ms");

            // The client resends the same seq: the answer of the write that did happen, once.
            HotPath.Reply resent = masterOnly.call(keys, call).await().atMost(HotPathHarness.TIMEOUT);
            assertEquals("replay", resent.status());
            List<Map<String, String>> events = harness.entries(STREAM).stream()
                    .filter(e -> session.toString().equals(e.get("session")))
                    .toList();
            assertEquals(1, events.size(), "one event for one heartbeat: " + events);
        }
    }

    /** On the local cluster every master has a replica: writes are acknowledged once it has them. */
    @Test
    void onTheClusterAReplicaConfirmsEveryWrite() {
        Assumptions.assumeTrue(RedisNodes.cluster(), "runs under bin/test --redis-cluster");
        try (HotPathHarness harness = HotPathHarness.cluster(RedisNodes.clusterPort())) {
            HotPath replicated =
                    harness.hotPath(HotPathHarness.config(Duration.ofHours(4), 1, Duration.ofSeconds(2)), STREAM);
            for (int i = 0; i < 20; i++) {
                UUID learner = UUID.randomUUID();
                UUID session = UUID.randomUUID();
                UUID lesson = UUID.randomUUID();
                long start = System.currentTimeMillis() - 20_000;
                harness.createSession(replicated, learner, session, lesson, UUID.randomUUID(), 60_000, start);
                assertEquals(
                        "ok", heartbeat(replicated, learner, session, lesson, 1).status());
            }
        }
    }

    /**
     * A shard's slot moves to another master between two heartbeats (as in a resharding, or when a
     * failover changes the owner): the script and its WAIT go in one batch, which the Vert.x
     * cluster client does not redirect by itself ("ERR [0] MOVED ..."); the hot path sends it again.
     * Found by bench/faults scenario 12: two heartbeats answered 500 during the rebalance.
     */
    @Test
    void aHeartbeatFollowsItsShardToAnotherMaster() throws Exception {
        Assumptions.assumeTrue(RedisNodes.cluster(), "runs under bin/test --redis-cluster");
        try (HotPathHarness harness = HotPathHarness.cluster(RedisNodes.clusterPort())) {
            HotPath replicated =
                    harness.hotPath(HotPathHarness.config(Duration.ofHours(4), 1, Duration.ofSeconds(2)), STREAM);
            UUID learner = UUID.randomUUID();
            UUID session = UUID.randomUUID();
            UUID lesson = UUID.randomUUID();
            long start = System.currentTimeMillis() - 30_000;
            harness.createSession(replicated, learner, session, lesson, UUID.randomUUID(), 60_000, start);
            assertEquals(
                    "ok", heartbeat(replicated, learner, session, lesson, 1).status());
            int slot = Integer.parseInt(ClusterSlots.cli(
                            RedisNodes.clusterPort(), "CLUSTER", "KEYSLOT", HotPath.shardTag(HotPath.shard(learner)))
                    .trim());
            int from = ClusterSlots.owner(slot);
            int to = ClusterSlots.masters().stream()
                    .filter(p -> p != from)
                    .findFirst()
                    .orElseThrow();
            ClusterSlots.move(slot, from, to);
            try {
                // At once: the client still believes the slot is where it was.
                assertEquals(
                        "ok", heartbeat(replicated, learner, session, lesson, 2).status());
            } finally {
                ClusterSlots.move(slot, to, from);
            }
        }
    }

    private static HotPath.Reply heartbeat(HotPath hot, UUID learner, UUID session, UUID lesson, int seq) {
        long now = System.currentTimeMillis();
        return hot.call(
                        hot.keys(learner, session, lesson, HotPathHarness.day(now)),
                        hot.online(
                                "subject-" + learner,
                                Instant.ofEpochMilli(now),
                                HotPathHarness.day(now),
                                seq,
                                seq * 10_000L,
                                1,
                                "playing",
                                (seq - 1) * 10_000 + "," + seq * 10_000))
                .await()
                .atMost(HotPathHarness.TIMEOUT);
    }
}
