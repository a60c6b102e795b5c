package cn.hongtong.learning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs the hot-path script against the test stack's real Redis (database 2, never the app's),
 * without Quarkus: the property tests drive {@link HotPath} directly with a clock of their own.
 */
final class HotPathHarness implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final ObjectMapper JSON = new ObjectMapper();

    final Vertx vertx = Vertx.vertx();
    final Redis redis;

    HotPathHarness() {
        String port = Optional.ofNullable(System.getenv("HONGTONG_REDIS_PORT")).orElse("6380");
        redis = Redis.createClient(vertx, "redis://127.0.0.1:" + port + "/2");
        send(Request.cmd(Command.FLUSHDB));
    }

    /** Against the local Redis Cluster (bin/stack up redis-cluster); keys are random, nothing is flushed. */
    private HotPathHarness(int clusterPort) {
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER);
        for (int port = clusterPort; port < clusterPort + 3; port++) {
            options.addConnectionString("redis://127.0.0.1:" + port);
        }
        redis = Redis.createClient(vertx, options);
    }

    static HotPathHarness cluster(int port) {
        return new HotPathHarness(port);
    }

    Response send(Request request) {
        return redis.send(request).await().atMost(TIMEOUT);
    }

    /** A hot path on a stream of its own. */
    HotPath hotPath(LearningConfig config, String stream) {
        return new HotPath(redis, config, stream);
    }

    static String day(long millis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZONE).toString();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static long ms(JsonNode answer, String field) {
        return Math.round(answer.path(field).asDouble() * 1000);
    }

    /**
     * The entries of every shard's stream under a prefix, as field maps (with "id"),
     * oldest first by id (each learner's entries are in one stream, in the order written).
     */
    List<Map<String, String>> entries(String prefix) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String stream : HotPath.streams(prefix)) {
            for (Response item :
                    send(Request.cmd(Command.XRANGE).arg(stream).arg("-").arg("+"))) {
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("id", item.get(0).toString());
                Response kv = item.get(1);
                for (int i = 0; i + 1 < kv.size(); i += 2) {
                    fields.put(kv.get(i).toString(), kv.get(i + 1).toString());
                }
                out.add(fields);
            }
        }
        out.sort(Comparator.comparing(
                        (Map<String, String> e) -> Long.parseLong(e.get("id").split("-")[0]))
                .thenComparing(e -> Long.parseLong(e.get("id").split("-")[1])));
        return out;
    }

    String get(String key) {
        Response r = send(Request.cmd(Command.GET).arg(key));
        return r == null ? "" : r.toString();
    }

    /** "s,e,s,e" to a list of [s, e]. */
    static List<long[]> pairs(String text) {
        List<long[]> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        String[] n = text.split(",");
        for (int i = 0; i + 1 < n.length; i += 2) {
            out.add(new long[] {Long.parseLong(n[i]), Long.parseLong(n[i + 1])});
        }
        return out;
    }

    static List<long[]> union(List<long[]> spans) {
        List<long[]> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(s -> s[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] s : sorted) {
            if (s[1] <= s[0]) {
                continue;
            }
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && s[0] <= last[1]) {
                last[1] = Math.max(last[1], s[1]);
            } else {
                out.add(new long[] {s[0], s[1]});
            }
        }
        return out;
    }

    static long length(List<long[]> spans) {
        long sum = 0;
        for (long[] s : spans) {
            sum += s[1] - s[0];
        }
        return sum;
    }

    /** The learning configuration of the tests: the defaults, with no per-minute limits (they run in real time). */
    static LearningConfig config(Duration dailyCap) {
        return config(dailyCap, 0, Duration.ofMillis(500));
    }

    /** The same, acknowledging writes only once {@code replicas} replicas hold them. */
    static LearningConfig config(Duration dailyCap, int replicas, Duration waitTimeout) {
        return new LearningConfig() {
            public Duration heartbeatInterval() {
                return Duration.ofSeconds(10);
            }

            public Duration tolerance() {
                return Duration.ofSeconds(2);
            }

            public Duration creditClockRetention() {
                return Duration.ofDays(14);
            }

            public double completionThreshold() {
                return 0.9;
            }

            public Duration dailyCap() {
                return dailyCap;
            }

            public int maxIntervals() {
                return 64;
            }

            public int heartbeatsPerSessionPerMinute() {
                return Integer.MAX_VALUE;
            }

            public int heartbeatsPerLearnerPerMinute() {
                return Integer.MAX_VALUE;
            }

            public Duration sessionIdleTtl() {
                return Duration.ofHours(24);
            }

            public Flusher flusher() {
                throw new UnsupportedOperationException("no flusher in these tests");
            }

            public Durability durability() {
                return new Durability() {
                    public int replicas() {
                        return replicas;
                    }

                    public Duration timeout() {
                        return waitTimeout;
                    }
                };
            }

            public Redis redis() {
                return new Redis() {
                    public Duration lessonStateTtl() {
                        return Duration.ofDays(30);
                    }

                    public Duration dayCounterTtl() {
                        return Duration.ofDays(2);
                    }

                    public Duration progressStampTtl() {
                        return Duration.ofDays(2);
                    }

                    public int redirectTries() {
                        return 6;
                    }

                    public Duration redirectBackoff() {
                        return Duration.ofMillis(50);
                    }
                };
            }

            public Offline offline() {
                throw new UnsupportedOperationException("no offline sync in these tests");
            }

            public int memoSize() {
                return 1000;
            }

            public int ledgerMaxDays() {
                return 366;
            }

            public ProgressCache progressCache() {
                throw new UnsupportedOperationException("no progress answers in these tests");
            }

            public ZoneId timeZone() {
                return ZONE;
            }
        };
    }

    /** Creates an online session (or an offline play's) in Redis, as the services do. */
    void createSession(
            HotPath hot, UUID learner, UUID session, UUID lesson, UUID course, int durationMs, long startMillis) {
        hot.createSession(
                        learner,
                        session,
                        HotPath.newSession(
                                session,
                                "subject-" + learner,
                                learner,
                                lesson,
                                course,
                                durationMs,
                                "device",
                                startMillis,
                                day(startMillis)))
                .await()
                .atMost(TIMEOUT);
    }

    @Override
    public void close() {
        redis.close();
        vertx.closeAndAwait();
    }
}
