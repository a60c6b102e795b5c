package cn.hongtong.learning;

import cn.hongtong.common.ProblemException;
import cn.hongtong.common.RedisErrors;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Redis side of learning: session state, coverage, the learner's credit and watch clocks, the
 * credit lock, the daily counter and the event stream. Every heartbeat, offline play and session
 * end is one call of {@code learning/heartbeat.lua}: validated, applied and appended to the
 * stream atomically, with no database on the way.
 *
 * <p>This class owns the contract with the script: every key name ({@link Keys}), every argument,
 * TTL and window ({@link Call}), and the reply ({@link Reply}, whose JSON answer is passed to the
 * client as the script wrote it). The script declares the same names in the same order;
 * {@code HotPathContractTest} fails when the two drift apart.
 *
 * <p>Sharded for Redis Cluster: every learner belongs to one of {@link #SHARDS} shards (a hash of
 * their id), every key of the learner carries the shard's hash tag, and the shard's event stream
 * carries it too, so one call touches one slot, and one learner's events stay in order in one
 * stream. The flusher consumes every shard's stream. The number of shards is fixed in code, not
 * configured: changing it moves every learner's keys to another slot.
 */
@ApplicationScoped
class HotPath {

    /**
     * The prefix of the shards' event streams ({@code learning:events:{h7}}); the unsharded stream
     * of this name, written before the shards, is still read until it is empty.
     */
    static final String STREAM = "learning:events";
    /** Shards of the hot path: streams, and slots of learners' keys (16 slots spread over the masters). */
    static final int SHARDS = 16;

    static final String SCRIPT = "learning/heartbeat.lua";
    /** The window of the per-minute heartbeat limits. */
    static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    private final Redis redis;
    /** The configuration's part of every call (fixed for the life of the bean). */
    private final Rules rules;

    private final LearningConfig config;
    private final String script;
    private final String stream;
    /** The script's digest, loaded on first use and again after Redis lost its script cache. */
    private volatile String sha;

    @Inject
    HotPath(ReactiveRedisDataSource redis, LearningConfig config) {
        this(redis.getRedis(), config, STREAM);
    }

    /** For tests that run the script against a Redis of their own, on streams of their own (a prefix). */
    HotPath(Redis redis, LearningConfig config, String stream) {
        this.redis = redis;
        this.config = config;
        this.stream = stream;
        this.script = resource(SCRIPT);
        this.rules = rules();
    }

    /** The keys of one call, in the order the script declares them. */
    record Keys(
            String session,
            String coverage,
            String lock,
            String creditedToday,
            String creditClock,
            String watchClock,
            String resume,
            String learnerRate,
            String sessionRate,
            String stream) {}

    /**
     * The arguments of one call, in the order the script declares them. {@code mode}: online,
     * offline or end. Times in server epoch milliseconds: {@code now} is server time, {@code at}
     * the time the event is dated (now online; the play's end offline). {@code windowStart} and
     * {@code windowEnd} bound the wall-clock time this call may stamp; the script also never goes
     * before the session's start, nor more than {@code lookBack} before its previous heartbeat.
     */
    record Call(
            String mode,
            String subject,
            long now,
            long at,
            int seq,
            long position,
            double rate,
            String state,
            String played,
            String day,
            long windowStart,
            long lookBack,
            long windowEnd,
            long lockTtl,
            Rules rules) {}

    /**
     * The arguments every call shares, from the configuration (the script reads them after the
     * call's own, in this order).
     */
    record Rules(
            long dailyCap,
            double completionThreshold,
            long sessionTtl,
            int perSession,
            int perLearner,
            long rateWindow,
            long clockRetention,
            long lessonStateTtl,
            long dayCounterTtl,
            long clockTtl) {}

    /**
     * What the script answered. {@code status}: ok, replay, stale, missing, ended or limited;
     * {@code json} the answer for the client (empty when there is none); {@code waitMillis} when
     * limited; {@code reasons} the refusals of this call (for the integrity metrics).
     */
    record Reply(String status, String json, long waitMillis, List<String> reasons) {}

    /** The learner's shard: a hash of the id, stable across versions. */
    static int shard(UUID learner) {
        long h = learner.getMostSignificantBits() ^ learner.getLeastSignificantBits();
        return (int) Math.floorMod(h ^ (h >>> 32), (long) SHARDS);
    }

    /** The shard's hash tag, which its keys and its stream share. */
    static String shardTag(int shard) {
        return "{h" + shard + "}";
    }

    /** The stream of a shard, under a prefix ({@link #STREAM} in the application). */
    static String stream(String prefix, int shard) {
        return prefix + ":" + shardTag(shard);
    }

    /** Every shard's stream under a prefix. */
    static List<String> streams(String prefix) {
        List<String> out = new ArrayList<>(SHARDS);
        for (int i = 0; i < SHARDS; i++) {
            out.add(stream(prefix, i));
        }
        return out;
    }

    /** The start of every key of the learner: the shard's hash tag, then the learner. */
    static String tag(UUID learner) {
        return shardTag(shard(learner)) + ":" + learner;
    }

    static String sessionKey(UUID learner, UUID session) {
        return tag(learner) + ":session:" + session;
    }

    static String coverageKey(UUID learner, UUID lesson) {
        return tag(learner) + ":coverage:" + lesson;
    }

    static String creditedTodayKey(UUID learner, String day) {
        return tag(learner) + ":credited:" + day;
    }

    static String creditClockKey(UUID learner) {
        return tag(learner) + ":credit-clock";
    }

    /** Changed by the flusher whenever it commits something of the learner's (see ProgressStamps). */
    static String progressStampKey(UUID learner) {
        return tag(learner) + ":progress";
    }

    static String resumeKey(UUID learner, UUID lesson) {
        return tag(learner) + ":resume:" + lesson;
    }

    static Keys keys(UUID learner, UUID session, UUID lesson, String day, String stream) {
        String tag = tag(learner);
        return new Keys(
                sessionKey(learner, session),
                coverageKey(learner, lesson),
                tag + ":credit-lock",
                creditedTodayKey(learner, day),
                creditClockKey(learner),
                tag + ":watch-clock",
                resumeKey(learner, lesson),
                tag + ":rate",
                tag + ":rate:" + session,
                stream);
    }

    Keys keys(UUID learner, UUID session, UUID lesson, String day) {
        return keys(learner, session, lesson, day, stream(stream, shard(learner)));
    }

    /** An online heartbeat: it may stamp wall-clock time up to now plus the tolerance. */
    Call online(
            String subject,
            Instant now,
            String day,
            int seq,
            long positionMs,
            double rate,
            String state,
            String played) {
        long at = now.toEpochMilli();
        long tolerance = config.tolerance().toMillis();
        return new Call(
                "online",
                subject,
                at,
                at,
                seq,
                positionMs,
                rate,
                state,
                played,
                day,
                0,
                tolerance,
                at + tolerance,
                config.heartbeatInterval().toMillis() * 3,
                rules);
    }

    /**
     * An offline play, credited and ended in one call: it may stamp only its own wall-clock span,
     * cut at server time (never the future, no tolerance).
     */
    Call offline(
            String subject,
            Instant now,
            Instant start,
            Instant end,
            String day,
            long positionMs,
            double rate,
            String played) {
        long until = Math.min(end.toEpochMilli(), now.toEpochMilli());
        return new Call(
                "offline",
                subject,
                now.toEpochMilli(),
                Math.max(until, start.toEpochMilli()),
                1,
                positionMs,
                rate,
                "ended",
                played,
                day,
                start.toEpochMilli(),
                0,
                until,
                0,
                rules);
    }

    /** The end of a session: releases the credit lock if the session holds it. */
    Call end(String subject, Instant now) {
        long at = now.toEpochMilli();
        return new Call("end", subject, at, at, 0, 0, 1, "ended", "", "", 0, 0, 0, 0, rules);
    }

    private Rules rules() {
        return new Rules(
                config.dailyCap().toMillis(),
                config.completionThreshold(),
                config.sessionIdleTtl().toMillis(),
                config.heartbeatsPerSessionPerMinute(),
                config.heartbeatsPerLearnerPerMinute(),
                RATE_WINDOW.toMillis(),
                config.creditClockRetention().toMillis(),
                config.redis().lessonStateTtl().toMillis(),
                config.redis().dayCounterTtl().toMillis(),
                clockTtl().toMillis());
    }

    /** The credit and watch clocks outlive their retention by a day, so a refill is rarely needed. */
    Duration clockTtl() {
        return config.creditClockRetention().plusDays(1);
    }

    /** The state of a new session, as the script reads it; times in epoch milliseconds. */
    static Map<String, String> newSession(
            UUID id,
            String subject,
            UUID learner,
            UUID lesson,
            UUID course,
            int durationMs,
            String device,
            long startMillis,
            String day) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id.toString());
        fields.put("subject", subject);
        fields.put("learner", learner.toString());
        fields.put("lesson", lesson.toString());
        fields.put("course", course.toString());
        fields.put("duration", Integer.toString(durationMs));
        fields.put("device", device);
        fields.put("started", Long.toString(startMillis));
        fields.put("lastHb", Long.toString(startMillis));
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

    /** Creates a session's hash, unless it exists (a resent offline play finds it). */
    Uni<Void> createSession(UUID learner, UUID session, Map<String, String> fields) {
        String key = sessionKey(learner, session);
        return exists(key).chain(present -> {
            if (present) {
                return Uni.createFrom().voidItem();
            }
            Request hset = Request.cmd(Command.HSET).arg(key);
            fields.forEach((k, v) -> hset.arg(k).arg(v));
            return durably(List.of(
                            hset,
                            Request.cmd(Command.PEXPIRE)
                                    .arg(key)
                                    .arg(config.sessionIdleTtl().toMillis())))
                    .replaceWithVoid();
        });
    }

    Uni<Boolean> exists(String key) {
        return redis.send(Request.cmd(Command.EXISTS).arg(key)).map(r -> r.toInteger() == 1);
    }

    Uni<String> get(String key) {
        return redis.send(Request.cmd(Command.GET).arg(key)).map(r -> r == null ? null : r.toString());
    }

    /** One field of a hash; null when the hash or the field does not exist. */
    Uni<String> field(String key, String name) {
        return redis.send(Request.cmd(Command.HGET).arg(key).arg(name)).map(r -> r == null ? null : r.toString());
    }

    /** SET NX with a lifetime; true when this call set it (a lock taken, a cache filled). */
    Uni<Boolean> setIfAbsent(String key, String value, Duration ttl) {
        return redis.send(Request.cmd(Command.SET)
                        .arg(key)
                        .arg(value)
                        .arg("NX")
                        .arg("PX")
                        .arg(ttl.toMillis()))
                .map(r -> r != null);
    }

    Uni<Void> delete(String key) {
        return redis.send(Request.cmd(Command.DEL).arg(key)).replaceWithVoid();
    }

    /** Deletes keys that share one hash tag (one slot in a cluster: one learner's) in one command. */
    Uni<Void> delete(List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Request del = Request.cmd(Command.DEL);
        keys.forEach(del::arg);
        return redis.send(del).replaceWithVoid();
    }

    Uni<Reply> call(Keys keys, Call call) {
        return run(values(keys), values(call));
    }

    /**
     * EVALSHA, and EVAL of the whole script when the node that holds the keys does not know it (a
     * restarted Redis, or in a cluster a master the script was never loaded on: SCRIPT LOAD goes
     * to one node only). EVAL runs it and caches it on that node, so the next EVALSHA there works.
     */
    private Uni<Reply> run(List<String> keys, List<String> args) {
        String known = sha;
        Uni<String> loaded = known != null
                ? Uni.createFrom().item(known)
                : redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script))
                        .map(r -> sha = r.toString());
        return loaded.chain(s -> evalsha(s, keys, args))
                .onFailure(f -> RedisErrors.is(f, "NOSCRIPT"))
                .recoverWithUni(() -> eval(keys, args))
                .map(HotPath::reply);
    }

    private Uni<Response> eval(List<String> keys, List<String> args) {
        Request request = Request.cmd(Command.EVAL).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return durably(List.of(request)).map(responses -> responses.get(0));
    }

    private Uni<Response> evalsha(String sha, List<String> keys, List<String> args) {
        Request request = Request.cmd(Command.EVALSHA).arg(sha).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return durably(List.of(request)).map(responses -> responses.get(0));
    }

    /**
     * Sends writes and, when durability asks for replicas, a {@code WAIT} behind them in the same
     * batch: one connection to the node that holds the keys (a cluster client routes a batch by
     * its keyed commands, and WAIT has none), so WAIT counts exactly these writes. Fewer replicas
     * than asked within the timeout: 503 not-durable, and the client resends.
     */
    private Uni<List<Response>> durably(List<Request> writes) {
        int replicas = config.durability().replicas();
        if (replicas <= 0) {
            return writes.size() == 1 ? redis.send(writes.get(0)).map(List::of) : batch(writes);
        }
        List<Request> batch = new ArrayList<>(writes);
        batch.add(Request.cmd(Command.WAIT)
                .arg(replicas)
                .arg(config.durability().timeout().toMillis()));
        return batch(batch).map(responses -> {
            if (responses.get(writes.size()).toInteger() < replicas) {
                throw ProblemException.retryable(
                        LearningProblems.NOT_DURABLE, LearningProblems.NOT_DURABLE.title(), Duration.ofSeconds(1));
            }
            return responses.subList(0, writes.size());
        });
    }

    /**
     * A batch on a cluster, sent again when the node it went to no longer holds the slot. The
     * Vert.x cluster client follows MOVED and ASK for single commands but not inside a batch: it
     * reports them as "ERR [0] MOVED ..." and keeps its slot map until that expires (1 s), so
     * during a resharding or after a failover a batch would fail. Nothing ran on the wrong node
     * (a redirect executes nothing), so sending it again is safe; past about 1.5 s the failure
     * stands and the client hears 503.
     */
    private Uni<List<Response>> batch(List<Request> requests) {
        return redis.batch(requests)
                .onFailure(HotPath::redirected)
                .retry()
                .withBackOff(
                        config.redis().redirectBackoff(),
                        config.redis().redirectBackoff().multipliedBy(8))
                .atMost(config.redis().redirectTries());
    }

    private static boolean redirected(Throwable failure) {
        return RedisErrors.is(failure, "MOVED ", "ASK ", "TRYAGAIN ");
    }

    private static Reply reply(Response response) {
        String status = response.get(0).toString();
        String second = response.get(1).toString();
        if ("limited".equals(status)) {
            return new Reply(status, "", Long.parseLong(second), List.of());
        }
        List<String> reasons = new ArrayList<>(response.size() - 2);
        for (int i = 2; i < response.size(); i++) {
            reasons.add(response.get(i).toString());
        }
        return new Reply(status, second, 0, reasons);
    }

    /** The accessors of a record's components, in declaration order, looked up once per record type. */
    private static final ClassValue<Method[]> ACCESSORS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            return Arrays.stream(type.getRecordComponents())
                    .map(RecordComponent::getAccessor)
                    .toArray(Method[]::new);
        }
    };

    /** A record's component values as the script's strings, in declaration order. */
    static List<String> values(Record record) {
        Method[] accessors = ACCESSORS.get(record.getClass());
        List<String> out = new ArrayList<>(accessors.length);
        for (Method accessor : accessors) {
            try {
                Object value = accessor.invoke(record);
                if (value instanceof Record nested) {
                    out.addAll(values(nested));
                    continue;
                }
                out.add(
                        value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)
                                ? Long.toString(d.longValue())
                                : String.valueOf(value));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
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
