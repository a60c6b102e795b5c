package cn.hongtong.learning;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every replica's consumer of the learning event stream, in one consumer group: reads batches,
 * applies each in one PostgreSQL transaction, acknowledges only after commit. Entries left
 * pending by a dead replica are claimed after a while; entries that keep failing go to a
 * dead-letter stream with the reason. On shutdown it stops reading and finishes its batch.
 */
@ApplicationScoped
class Flusher {

    static final String GROUP = "flushers";
    static final String DEAD_LETTER = HotPath.STREAM + ":dead";

    private final ReactiveRedisDataSource redis;
    private final FlushWriter writer;
    private final LearningConfig.Flusher config;
    private final Vertx vertx;
    private final MeterRegistry metrics;
    private final String consumer = "flusher-" + UUID.randomUUID();
    private final AtomicLong lagMillis = new AtomicLong();
    /** Why an entry last failed, for its dead letter. */
    private final Map<String, String> lastErrors = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile CompletableFuture<Void> idle = CompletableFuture.completedFuture(null);
    private long maintenanceTimer = -1;

    Flusher(ReactiveRedisDataSource redis, FlushWriter writer, LearningConfig config, Vertx vertx, MeterRegistry metrics) {
        this.redis = redis;
        this.writer = writer;
        this.config = config.flusher();
        this.vertx = vertx;
        this.metrics = metrics;
        metrics.gauge("hongtong.flush.lag.ms", lagMillis);
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.info("the learning flusher is disabled in this replica");
            return;
        }
        ensureGroup().subscribe().with(ok -> loop(), f -> {
            Log.warnf("cannot create the flusher group yet (%s); retrying", f.getMessage());
            vertx.setTimer(1000, id -> start(event));
        });
        maintenanceTimer = vertx.setPeriodic(config.maintenanceInterval().toMillis(),
                id -> maintain().subscribe().with(ok -> { }, f -> Log.debugf("flusher maintenance: %s", f.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (maintenanceTimer >= 0) {
            vertx.cancelTimer(maintenanceTimer);
        }
        try {
            idle.get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.warnf("the flusher did not drain in time; its pending entries will be claimed by another replica");
        }
    }

    private Uni<Void> ensureGroup() {
        return redis.execute("XGROUP", "CREATE", HotPath.STREAM, GROUP, "0", "MKSTREAM").replaceWithVoid()
                .onFailure(f -> String.valueOf(f.getMessage()).contains("BUSYGROUP")).recoverWithNull();
    }

    private void loop() {
        if (stopping) {
            return;
        }
        CompletableFuture<Void> running = new CompletableFuture<>();
        idle = running;
        read().chain(this::applyAndAck).subscribe().with(applied -> {
            running.complete(null);
            vertx.runOnContext(this::loop);
        }, failure -> {
            running.complete(null);
            Log.warnf("flusher: %s; retrying in 1 s", failure.getMessage());
            vertx.setTimer(1000, id -> loop());
        });
    }

    /** One read of new entries for this consumer, waiting up to the linger time. */
    private Uni<List<Entry>> read() {
        return redis.execute("XREADGROUP", "GROUP", GROUP, consumer, "COUNT", Integer.toString(config.batchSize()),
                "BLOCK", Long.toString(Math.max(1, config.linger().toMillis())), "STREAMS", HotPath.STREAM, ">")
                .map(response -> response == null ? List.of() : entries(response.get(0).get(1)));
    }

    record Entry(String id, Map<String, String> fields) {
    }

    private static List<Entry> entries(Response list) {
        List<Entry> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        for (Response item : list) {
            if (item == null || item.size() < 2 || item.get(1) == null) {
                continue; // deleted meanwhile
            }
            Map<String, String> fields = new LinkedHashMap<>();
            Response kv = item.get(1);
            for (int i = 0; i + 1 < kv.size(); i += 2) {
                fields.put(kv.get(i).toString(), kv.get(i + 1).toString());
            }
            out.add(new Entry(item.get(0).toString(), fields));
        }
        return out;
    }

    /** Applies entries: all in one transaction, or one by one when the batch fails. */
    Uni<Integer> applyAndAck(List<Entry> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<LearningEvent> events = new ArrayList<>();
        try {
            for (Entry entry : batch) {
                events.add(LearningEvent.of(entry.id(), entry.fields()));
            }
        } catch (RuntimeException malformed) {
            return oneByOne(batch);
        }
        return writer.apply(events)
                .chain(() -> ack(batch.stream().map(Entry::id).toList()))
                .invoke(() -> record(events))
                .replaceWith(batch.size())
                .onFailure().recoverWithUni(f -> {
                    Log.warnf("a batch of %d events failed (%s): applying one by one", batch.size(), f.getMessage());
                    return oneByOne(batch);
                });
    }

    /** Failing entries stay pending: retried by maintenance, dead-lettered after too many deliveries. */
    private Uni<Integer> oneByOne(List<Entry> batch) {
        return Multi.createFrom().iterable(batch).onItem().transformToUniAndConcatenate(entry -> {
            LearningEvent event;
            try {
                event = LearningEvent.of(entry.id(), entry.fields());
            } catch (RuntimeException malformed) {
                remember(entry.id(), "malformed entry: " + malformed);
                return Uni.createFrom().item(0);
            }
            return writer.apply(List.of(event)).chain(() -> ack(List.of(entry.id()))).replaceWith(1)
                    .onFailure().recoverWithItem(f -> {
                        remember(entry.id(), String.valueOf(f.getMessage()));
                        return 0;
                    });
        }).collect().with(java.util.stream.Collectors.summingInt(Integer::intValue));
    }

    private void remember(String id, String error) {
        if (lastErrors.size() > 10_000) {
            lastErrors.clear();
        }
        lastErrors.put(id, error.length() > 300 ? error.substring(0, 300) : error);
    }

    private Uni<Void> ack(List<String> ids) {
        List<String> args = new ArrayList<>(List.of(HotPath.STREAM, GROUP));
        args.addAll(ids);
        return redis.execute("XACK", args.toArray(String[]::new)).replaceWithVoid();
    }

    private void record(List<LearningEvent> events) {
        metrics.summary("hongtong.flush.batch.size").record(events.size());
        long newest = events.stream().mapToLong(LearningEvent::at).max().orElse(System.currentTimeMillis());
        lagMillis.set(Math.max(0, System.currentTimeMillis() - newest));
    }

    /**
     * Claims entries pending too long on any consumer (a dead replica) and applies them; moves
     * entries delivered too often to the dead-letter stream; trims what all have acknowledged.
     */
    Uni<Void> maintain() {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        long idleMs = config.reclaimAfter().toMillis();
        return redis.execute("XPENDING", HotPath.STREAM, GROUP, "IDLE", Long.toString(idleMs), "-", "+",
                Integer.toString(config.batchSize()))
                .chain(pending -> {
                    List<String> poison = new ArrayList<>();
                    List<String> stale = new ArrayList<>();
                    if (pending != null) {
                        for (Response p : pending) {
                            (p.get(3).toLong() >= config.maxDeliveries() ? poison : stale).add(p.get(0).toString());
                        }
                    }
                    return deadLetter(poison).chain(() -> claim(stale, idleMs));
                })
                .chain(this::trim);
    }

    private Uni<Void> claim(List<String> ids, long idleMs) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = new ArrayList<>(List.of(HotPath.STREAM, GROUP, consumer, Long.toString(idleMs)));
        args.addAll(ids);
        return redis.execute("XCLAIM", args.toArray(String[]::new))
                .chain(claimed -> {
                    List<Entry> entries = entries(claimed);
                    if (!entries.isEmpty()) {
                        Log.infof("claimed %d learning events left pending by another consumer", entries.size());
                    }
                    return applyAndAck(entries);
                })
                .replaceWithVoid();
    }

    private Uni<Void> deadLetter(List<String> ids) {
        return Multi.createFrom().iterable(ids).onItem().transformToUniAndConcatenate(id ->
                redis.execute("XRANGE", HotPath.STREAM, id, id).chain(found -> {
                    List<Entry> entries = entries(found);
                    String reason = "failed " + config.maxDeliveries() + " deliveries; last error: "
                            + lastErrors.getOrDefault(id, "unknown (applied by another replica)");
                    lastErrors.remove(id);
                    List<String> args = new ArrayList<>(List.of(DEAD_LETTER, "*", "original-id", id, "reason", reason));
                    if (!entries.isEmpty()) {
                        entries.get(0).fields().forEach((k, v) -> {
                            args.add(k);
                            args.add(v);
                        });
                    }
                    Log.errorf("learning event %s moved to %s after %d failed deliveries", id, DEAD_LETTER,
                            config.maxDeliveries());
                    metrics.counter("hongtong.flush.dead.letters").increment();
                    return redis.execute("XADD", args.toArray(String[]::new)).chain(() -> ack(List.of(id)));
                })).collect().last().replaceWithVoid();
    }

    /** Drops entries older than both the oldest pending one and the last delivered one. */
    private Uni<Void> trim() {
        return redis.execute("XPENDING", HotPath.STREAM, GROUP)
                .chain(summary -> {
                    String oldestPending = summary != null && summary.get(0).toLong() > 0 ? summary.get(1).toString() : null;
                    return redis.execute("XINFO", "GROUPS", HotPath.STREAM).map(groups -> {
                        for (Response g : groups) {
                            Map<String, String> info = new LinkedHashMap<>();
                            for (int i = 0; i + 1 < g.size(); i += 2) {
                                info.put(g.get(i).toString(), g.get(i + 1) == null ? null : g.get(i + 1).toString());
                            }
                            if (GROUP.equals(info.get("name"))) {
                                String delivered = info.get("last-delivered-id");
                                return oldestPending != null && compare(oldestPending, delivered) < 0 ? oldestPending : delivered;
                            }
                        }
                        return null;
                    });
                })
                .chain(minId -> minId == null || "0-0".equals(minId) ? Uni.createFrom().voidItem()
                        : redis.execute("XTRIM", HotPath.STREAM, "MINID", minId).replaceWithVoid());
    }

    private static int compare(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return c != 0 ? c : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }
}
