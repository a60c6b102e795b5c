package cn.hongtong.learning;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Redis side of learning sessions: session state, coverage, the credit lock, the daily
 * counter and the event stream. Every heartbeat is one Lua script: validated, applied and
 * appended to the stream atomically, with no database on the way.
 */
@ApplicationScoped
class HotPath {

    static final String STREAM = "learning:events";

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final LearningConfig config;
    private final String heartbeatScript;
    private final String endScript;
    /** Script digests, loaded on first use and again after Redis lost its script cache. */
    private volatile String heartbeatSha;
    private volatile String endSha;

    HotPath(ReactiveRedisDataSource redis, ObjectMapper mapper, LearningConfig config) {
        this.redis = redis;
        this.mapper = mapper;
        this.config = config;
        this.heartbeatScript = resource("learning/heartbeat.lua");
        this.endScript = resource("learning/end.lua");
    }

    /** What the script answered: ok, replay, stale, missing or ended, with the acknowledgement. */
    record Outcome(String status, LearningDtos.HeartbeatAck ack, long waitMillis) {
        Outcome(String status, LearningDtos.HeartbeatAck ack) {
            this(status, ack, 0);
        }
    }

    static String sessionKey(UUID session) {
        return "session:" + session;
    }

    static String coverageKey(UUID learner, UUID lesson) {
        return "coverage:" + learner + ":" + lesson;
    }

    static String lockKey(UUID learner) {
        return "credit-lock:" + learner;
    }

    static String creditedTodayKey(UUID learner, String day) {
        return "credited-today:" + learner + ":" + day;
    }

    static String resumeKey(UUID learner, UUID lesson) {
        return "resume:" + learner + ":" + lesson;
    }

    /** The state of a new session, as the heartbeat script reads it; times in epoch milliseconds. */
    static Map<String, String> newSession(String subject, UUID learner, UUID lesson, UUID course, int durationMs,
            String device, long startMillis, String day) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("subject", subject);
        fields.put("learner", learner.toString());
        fields.put("lesson", lesson.toString());
        fields.put("course", course.toString());
        fields.put("duration", Integer.toString(durationMs));
        fields.put("device", device);
        fields.put("started", Long.toString(startMillis));
        fields.put("lastHb", Long.toString(startMillis));
        fields.put("anchor", Long.toString(startMillis));
        fields.put("seq", "0");
        fields.put("watch", "0");
        fields.put("credited", "0");
        fields.put("day", day);
        fields.put("dwatch", "0");
        fields.put("dcredited", "0");
        fields.put("pos", "0");
        fields.put("ended", "0");
        return fields;
    }

    Uni<Void> createSession(UUID session, Map<String, String> fields, long ttlMillis) {
        List<String> args = new ArrayList<>();
        args.add(sessionKey(session));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return redis.execute("HSET", args.toArray(String[]::new))
                .chain(() -> redis.execute("PEXPIRE", sessionKey(session), Long.toString(ttlMillis)))
                .replaceWithVoid();
    }

    /** Creates the session hash unless it exists (a resent offline play finds it). */
    Uni<Void> createSessionIfAbsent(UUID session, Map<String, String> fields, long ttlMillis) {
        return exists(sessionKey(session)).chain(present -> present ? Uni.createFrom().voidItem()
                : createSession(session, fields, ttlMillis));
    }

    /** SET NX with a lifetime; true when this call set it (a lock taken). */
    Uni<Boolean> setIfAbsentReporting(String key, String value, long ttlMillis) {
        return redis.execute("SET", key, value, "NX", "PX", Long.toString(ttlMillis)).map(r -> r != null);
    }

    Uni<Void> delete(String key) {
        return redis.execute("DEL", key).replaceWithVoid();
    }

    /** Sets a key only if it is absent (a cache filled from PostgreSQL), with a lifetime. */
    Uni<Void> setIfAbsent(String key, String value, long ttlMillis) {
        return redis.execute("SET", key, value, "NX", "PX", Long.toString(ttlMillis)).replaceWithVoid();
    }

    Uni<Boolean> exists(String key) {
        return redis.execute("EXISTS", key).map(r -> r.toInteger() == 1);
    }

    Uni<String> get(String key) {
        return redis.execute("GET", key).map(r -> r == null ? null : r.toString());
    }

    /** Some fields of a hash; null when the hash does not exist. */
    Uni<List<String>> fields(String key, String... names) {
        String[] args = new String[names.length + 1];
        args[0] = key;
        System.arraycopy(names, 0, args, 1, names.length);
        return redis.execute("HMGET", args).map(r -> {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                if (r.get(i) == null) {
                    return null;
                }
                values.add(r.get(i).toString());
            }
            return values;
        });
    }

    /**
     * One heartbeat as the script takes it. Online sessions pass the learner's credit lock and
     * per-minute limits; offline plays a lock and limits of their own.
     */
    record Heartbeat(UUID session, UUID learner, UUID lesson, String subject, long nowMillis, int seq, long positionMs,
            double rate, String state, String played, String day, String lockKey, long lockTtlMillis,
            String sessionRateKey, String subjectRateKey, int perSession, int perSubject) {
    }

    /** Runs heartbeat.lua; keys and arguments in the order the script reads them. */
    Uni<Outcome> heartbeat(Heartbeat h) {
        List<String> keys = List.of(sessionKey(h.session()), coverageKey(h.learner(), h.lesson()), h.lockKey(),
                creditedTodayKey(h.learner(), h.day()), STREAM, resumeKey(h.learner(), h.lesson()), h.sessionRateKey(),
                h.subjectRateKey());
        List<String> args = List.of(h.subject(), Long.toString(h.nowMillis()), Integer.toString(h.seq()),
                Long.toString(h.positionMs()), Double.toString(h.rate()), h.state(), h.played(),
                Long.toString(config.tolerance().toMillis()), Long.toString(h.lockTtlMillis()),
                Long.toString(config.dailyCap().toMillis()), h.day(), Double.toString(config.completionThreshold()),
                h.session().toString(), Long.toString(config.sessionIdleTtl().toMillis()),
                Integer.toString(h.perSession()), Integer.toString(h.perSubject()), "60000");
        return run(true, keys, args);
    }

    Uni<Outcome> end(List<String> keys, List<String> args) {
        return run(false, keys, args);
    }

    private Uni<Outcome> run(boolean heartbeat, List<String> keys, List<String> args) {
        String sha = heartbeat ? heartbeatSha : endSha;
        Uni<String> loaded = sha != null ? Uni.createFrom().item(sha)
                : redis.execute("SCRIPT", "LOAD", heartbeat ? heartbeatScript : endScript).map(r -> {
                    String s = r.toString();
                    if (heartbeat) {
                        heartbeatSha = s;
                    } else {
                        endSha = s;
                    }
                    return s;
                });
        return loaded.chain(s -> evalsha(s, keys, args))
                .map(this::outcome)
                .onFailure(f -> sha != null && String.valueOf(f.getMessage()).startsWith("NOSCRIPT")).recoverWithUni(() -> {
                    // Redis restarted and forgot its scripts: load again, once.
                    heartbeatSha = null;
                    endSha = null;
                    return run(heartbeat, keys, args);
                });
    }

    private Uni<Response> evalsha(String sha, List<String> keys, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(sha);
        command.add(Integer.toString(keys.size()));
        command.addAll(keys);
        command.addAll(args);
        return redis.execute("EVALSHA", command.toArray(String[]::new));
    }

    private Outcome outcome(Response response) {
        String status = response.get(0).toString();
        String ack = response.get(1).toString();
        if ("limited".equals(status)) {
            return new Outcome(status, null, Long.parseLong(ack));
        }
        try {
            return new Outcome(status, ack.isEmpty() ? null : mapper.readValue(ack, LearningDtos.HeartbeatAck.class));
        } catch (IOException e) {
            throw new IllegalStateException("unreadable heartbeat acknowledgement", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = HotPath.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
