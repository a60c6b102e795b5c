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
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Every replica's consumer of the learning event streams (one per shard, see {@link HotPath}, and
 * the unsharded stream of earlier versions until it is empty), in one consumer group per stream:
 * reads a batch from one stream at a time, in turn, applies it in one PostgreSQL transaction,
 * acknowledges only after commit. A learner's events are all in one stream, in order. Entries
 * left pending by a dead replica are claimed after a while; entries that keep failing go to a
 * dead-letter stream with the reason. On shutdown it stops reading and finishes its batch.
 */
@ApplicationScoped
class Flusher {

    static final String GROUP = "flushers";
    static final String DEAD_LETTER = HotPath.STREAM + ":dead";

    private final ReactiveRedisDataSource redis;
    private final FlushWriter writer;
    private final ProgressStamps stamps;
    private final LearningConfig.Flusher config;
    private final Vertx vertx;
    private final MeterRegistry metrics;
    private final String consumer;
    private final AtomicLong lagMillis = new AtomicLong();
    /** Why an entry last failed, for its dead letter. */
    private final Map<String, String> lastErrors = new ConcurrentHashMap<>();

    private volatile boolean stopping;
    /** The streams read: every shard's, and the unsharded one of earlier versions. */
    private final List<String> streams;
    /**
     * Per stream, where reading this consumer's own unacknowledged entries stands ("0": from the
     * start); absent once they are done and new entries are read. Reset after a start and a failure.
     */
    private final Map<String, String> backlog = new ConcurrentHashMap<>();
    /** The stream the next read starts from (reads go round the streams). */
    private int next;

    private volatile CompletableFuture<Void> idle = CompletableFuture.completedFuture(null);
    private long maintenanceTimer = -1;

    Flusher(
            ReactiveRedisDataSource redis,
            FlushWriter writer,
            ProgressStamps stamps,
            LearningConfig config,
            Vertx vertx,
            MeterRegistry metrics) {
        this.redis = redis;
        this.writer = writer;
        this.stamps = stamps;
        this.config = config.flusher();
        this.vertx = vertx;
        this.metrics = metrics;
        this.consumer = this.config.consumer().orElseGet(Flusher::defaultConsumer);
        List<String> all = new ArrayList<>(HotPath.streams(HotPath.STREAM));
        all.add(HotPath.STREAM);
        this.streams = List.copyOf(all);
        streams.forEach(stream -> backlog.put(stream, "0"));
        metrics.gauge("hongtong.flush.lag.ms", lagMillis);
    }

    /** The host name and HTTP port: unique per replica, the same after a restart. */
    static String defaultConsumer() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "replica-" + UUID.randomUUID();
            }
        }
        int port = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.port", Integer.class)
                .orElse(8080);
        return "flusher-" + host + ":" + port;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.info("the learning flusher is disabled in this replica");
            return;
        }
        Log.infof("learning flusher %s starting", consumer);
        ensureGroup().subscribe().with(ok -> loop(), f -> {
            Log.warnf("cannot create the flusher group yet (%s); retrying", f.getMessage());
            vertx.setTimer(1000, id -> start(event));
        });
        maintenanceTimer = vertx.setPeriodic(
                config.maintenanceInterval().toMillis(),
                id -> maintain()
                        .subscribe()
                        .with(ok -> {}, f -> Log.debugf("flusher maintenance: %s", f.getMessage())));
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
        return Multi.createFrom()
                .iterable(streams)
                .onItem()
                .transformToUniAndConcatenate(
                        stream -> redis.execute("XGROUP", "CREATE", stream, GROUP, "0", "MKSTREAM")
                                .replaceWithVoid()
                                .onFailure(f -> String.valueOf(f.getMessage()).contains("BUSYGROUP"))
                                .recoverWithNull())
                .collect()
                .last()
                .replaceWithVoid();
    }

    private void loop() {
        if (stopping) {
            return;
        }
        CompletableFuture<Void> running = new CompletableFuture<>();
        idle = running;
        readAny(streams.size())
                .chain(batch ->
                        batch == null ? Uni.createFrom().item(-1) : applyAndAck(batch.stream(), batch.entries()))
                .subscribe()
                .with(
                        applied -> {
                            running.complete(null);
                            if (applied < 0) {
                                // Every stream was empty: wait a little before going round again.
                                vertx.setTimer(Math.max(1, config.linger().toMillis()), id -> loop());
                            } else {
                                vertx.runOnContext(this::loop);
                            }
                        },
                        failure -> {
                            running.complete(null);
                            streams.forEach(stream -> backlog.put(stream, "0"));
                            Log.warnf("flusher: %s; retrying in 1 s", failure.getMessage());
                            // A Redis that restarted without its data has lost the groups too: create them again.
                            vertx.setTimer(1000, id -> ensureGroup().subscribe().with(ok -> loop(), f -> loop()));
                        });
    }

    /** A batch read from one stream. */
    private record Batch(String stream, List<Entry> entries) {}

    /** The next stream's batch, going round the streams; null when none of the next {@code left} has one. */
    private Uni<Batch> readAny(int left) {
        if (left == 0) {
            return Uni.createFrom().nullItem();
        }
        String stream = streams.get(next);
        next = (next + 1) % streams.size();
        return read(stream)
                .chain(entries ->
                        entries.isEmpty() ? readAny(left - 1) : Uni.createFrom().item(new Batch(stream, entries)));
    }

    /**
     * One read of a stream for this consumer: after a start or a failure, first the entries it
     * read before and did not acknowledge (a crash mid-batch, a database that went away), then
     * new entries. Never blocks: the loop waits when every stream is empty.
     */
    private Uni<List<Entry>> read(String stream) {
        String from = backlog.get(stream);
        if (from != null) {
            return readGroup("STREAMS", stream, from).chain(response -> {
                Response list = response == null ? null : response.get(0).get(1);
                if (list == null || list.size() == 0) {
                    backlog.remove(stream);
                    return read(stream);
                }
                // Entries that fail again as data stay pending (maintenance dead-letters them);
                // the next read goes on after them.
                backlog.put(stream, list.get(list.size() - 1).get(0).toString());
                return ackVanished(stream, list).replaceWith(entries(list));
            });
        }
        return readGroup("STREAMS", stream, ">")
                .map(response ->
                        response == null ? List.of() : entries(response.get(0).get(1)));
    }

    /** XREADGROUP of up to a batch for this consumer, with the given rest of the command. */
    private Uni<Response> readGroup(String... rest) {
        List<String> args =
                new ArrayList<>(List.of("GROUP", GROUP, consumer, "COUNT", Integer.toString(config.batchSize())));
        args.addAll(List.of(rest));
        return redis.execute("XREADGROUP", args.toArray(String[]::new));
    }

    /** Pending entries whose content is gone (deleted from the stream) can only be acknowledged. */
    private Uni<Void> ackVanished(String stream, Response list) {
        List<String> gone = new ArrayList<>();
        for (Response item : list) {
            if (item != null && item.size() >= 2 && item.get(1) == null) {
                gone.add(item.get(0).toString());
            }
        }
        return gone.isEmpty() ? Uni.createFrom().voidItem() : ack(stream, gone);
    }

    record Entry(String id, Map<String, String> fields) {}

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

    /** Applies entries of a stream: all in one transaction, or one by one when the batch fails. */
    Uni<Integer> applyAndAck(String stream, List<Entry> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<LearningEvent> events = new ArrayList<>();
        try {
            for (Entry entry : batch) {
                events.add(LearningEvent.of(entry.id(), entry.fields()));
            }
        } catch (RuntimeException malformed) {
            return oneByOne(stream, batch);
        }
        return apply(events)
                .chain(() -> ack(stream, batch.stream().map(Entry::id).toList()))
                .invoke(() -> record(events))
                .replaceWith(batch.size())
                .onFailure()
                .recoverWithUni(f -> {
                    Log.warnf("a batch of %d events failed (%s): applying one by one", batch.size(), f.getMessage());
                    return oneByOne(stream, batch);
                });
    }

    /** Commits events, then gives their learners a new progress stamp (named after the last entry). */
    private Uni<Void> apply(List<LearningEvent> events) {
        return writer.apply(events)
                .chain(() -> stamps.changed(
                        events.stream().map(LearningEvent::learner).collect(Collectors.toSet()),
                        "e-" + events.get(events.size() - 1).id()));
    }

    /**
     * Entries the database refuses as data stay pending: retried by maintenance, dead-lettered
     * after too many deliveries. Any other failure is an outage: it fails the whole call, and the
     * loop retries shortly, this consumer's pending entries first.
     */
    private Uni<Integer> oneByOne(String stream, List<Entry> batch) {
        return Multi.createFrom()
                .iterable(batch)
                .onItem()
                .transformToUniAndConcatenate(entry -> {
                    LearningEvent event;
                    try {
                        event = LearningEvent.of(entry.id(), entry.fields());
                    } catch (RuntimeException malformed) {
                        remember(stream, entry.id(), "malformed entry: " + malformed);
                        return Uni.createFrom().item(0);
                    }
                    return apply(List.of(event))
                            .chain(() -> ack(stream, List.of(entry.id())))
                            .replaceWith(1)
                            .onFailure(Flusher::refusedAsData)
                            .recoverWithItem(f -> {
                                remember(stream, entry.id(), String.valueOf(f.getMessage()));
                                return 0;
                            });
                })
                .collect()
                .with(Collectors.summingInt(Integer::intValue));
    }

    /**
     * True when PostgreSQL refused the entry itself (a data, constraint or statement error), as
     * opposed to an outage (connection lost, database shutting down, out of resources, a lock
     * conflict): only the former may send an entry to the dead-letter stream, however often an
     * outage makes its delivery fail.
     */
    static boolean refusedAsData(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                String c = pg.getSqlState().substring(0, 2);
                return c.equals("22") || c.equals("23") || c.equals("42") || c.equals("2B") || c.equals("P0");
            }
        }
        return false;
    }

    private void remember(String stream, String id, String error) {
        if (lastErrors.size() > 10_000) {
            lastErrors.clear();
        }
        lastErrors.put(stream + " " + id, error.length() > 300 ? error.substring(0, 300) : error);
    }

    private Uni<Void> ack(String stream, List<String> ids) {
        List<String> args = new ArrayList<>(List.of(stream, GROUP));
        args.addAll(ids);
        return redis.execute("XACK", args.toArray(String[]::new)).replaceWithVoid();
    }

    private void record(List<LearningEvent> events) {
        metrics.summary("hongtong.flush.batch.size").record(events.size());
        long newest = events.stream().mapToLong(LearningEvent::at).max().orElse(System.currentTimeMillis());
        lagMillis.set(Math.max(0, System.currentTimeMillis() - newest));
    }

    /**
     * For every stream: claims entries pending too long on any consumer (a dead replica) and
     * applies them; moves entries delivered too often to the dead-letter stream; trims what all
     * have acknowledged.
     */
    Uni<Void> maintain() {
        return Multi.createFrom()
                .iterable(streams)
                .onItem()
                .transformToUniAndConcatenate(this::maintain)
                .collect()
                .last()
                .replaceWithVoid();
    }

    private Uni<Void> maintain(String stream) {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        long idleMs = config.reclaimAfter().toMillis();
        return redis.execute(
                        "XPENDING",
                        stream,
                        GROUP,
                        "IDLE",
                        Long.toString(idleMs),
                        "-",
                        "+",
                        Integer.toString(config.batchSize()))
                .chain(pending -> {
                    List<String> poison = new ArrayList<>();
                    List<String> stale = new ArrayList<>();
                    if (pending != null) {
                        for (Response p : pending) {
                            String id = p.get(0).toString();
                            // Delivered often and refused as data by this replica: poison. Delivered often
                            // for an outage, or failed elsewhere: tried again here first.
                            boolean refused = lastErrors.containsKey(stream + " " + id);
                            (refused && p.get(3).toLong() >= config.maxDeliveries() ? poison : stale).add(id);
                        }
                    }
                    return deadLetter(stream, poison).chain(() -> claim(stream, stale, idleMs));
                })
                .chain(() -> trim(stream))
                // A stream (or group) not made yet: nothing to maintain there.
                .onFailure(f -> String.valueOf(f.getMessage()).contains("NOGROUP"))
                .recoverWithNull();
    }

    private Uni<Void> claim(String stream, List<String> ids, long idleMs) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = new ArrayList<>(List.of(stream, GROUP, consumer, Long.toString(idleMs)));
        args.addAll(ids);
        return redis.execute("XCLAIM", args.toArray(String[]::new))
                .chain(claimed -> {
                    List<Entry> entries = entries(claimed);
                    if (!entries.isEmpty()) {
                        Log.infof("claimed %d learning events left pending by another consumer", entries.size());
                    }
                    return applyAndAck(stream, entries);
                })
                .replaceWithVoid();
    }

    private Uni<Void> deadLetter(String stream, List<String> ids) {
        return Multi.createFrom()
                .iterable(ids)
                .onItem()
                .transformToUniAndConcatenate(id -> redis.execute("XRANGE", stream, id, id)
                        .chain(found -> {
                            List<Entry> entries = entries(found);
                            String reason = "failed " + config.maxDeliveries() + " deliveries; last error: "
                                    + lastErrors.get(stream + " " + id);
                            lastErrors.remove(stream + " " + id);
                            List<String> args = new ArrayList<>(
                                    List.of(DEAD_LETTER, "*", "original-id", id, "stream", stream, "reason", reason));
                            if (!entries.isEmpty()) {
                                entries.get(0).fields().forEach((k, v) -> {
                                    args.add(k);
                                    args.add(v);
                                });
                            }
                            Log.errorf(
                                    "learning event %s of %s moved to %s after %d failed deliveries",
                                    id, stream, DEAD_LETTER, config.maxDeliveries());
                            metrics.counter("hongtong.flush.dead.letters").increment();
                            return redis.execute("XADD", args.toArray(String[]::new))
                                    .chain(() -> ack(stream, List.of(id)));
                        }))
                .collect()
                .last()
                .replaceWithVoid();
    }

    /** Drops entries older than both the oldest pending one and the last delivered one. */
    private Uni<Void> trim(String stream) {
        return redis.execute("XPENDING", stream, GROUP)
                .chain(summary -> {
                    String oldestPending = summary != null && summary.get(0).toLong() > 0
                            ? summary.get(1).toString()
                            : null;
                    return redis.execute("XINFO", "GROUPS", stream).map(groups -> {
                        for (Response g : groups) {
                            Map<String, String> info = new LinkedHashMap<>();
                            for (int i = 0; i + 1 < g.size(); i += 2) {
                                info.put(
                                        g.get(i).toString(),
                                        g.get(i + 1) == null
                                                ? null
                                                : g.get(i + 1).toString());
                            }
                            if (GROUP.equals(info.get("name"))) {
                                String delivered = info.get("last-delivered-id");
                                return oldestPending != null && compare(oldestPending, delivered) < 0
                                        ? oldestPending
                                        : delivered;
                            }
                        }
                        return null;
                    });
                })
                .chain(minId -> minId == null || "0-0".equals(minId)
                        ? Uni.createFrom().voidItem()
                        : redis.execute("XTRIM", stream, "MINID", minId).replaceWithVoid());
    }

    private static int compare(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return c != 0 ? c : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }
}
