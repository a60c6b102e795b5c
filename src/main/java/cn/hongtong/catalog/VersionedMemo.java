package cn.hongtong.catalog;

import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToLongBiFunction;

/**
 * Values computed from what learners see of the catalog, kept in one replica's memory while the
 * {@link CatalogVersion} stays the same. An entry is served only under the version it was made
 * under and within its TTL (the bound on staleness should a version bump be lost); the first
 * call under a new version empties the memo. When Redis cannot say the version, values are
 * computed and not kept. Kept values stay within a budget, each weighing what {@code weight}
 * says: expired entries are dropped when it is reached, and past it values are not kept.
 */
final class VersionedMemo<K, V> {

    private record Entry<V>(V value, long version, long weight, long expiresAtMillis) {}

    private final CatalogVersion version;
    private final Clock clock;
    private final Duration ttl;
    private final long budget;
    private final ToLongBiFunction<K, V> weight;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong used = new AtomicLong();
    private volatile long seenVersion = Long.MIN_VALUE;

    VersionedMemo(CatalogVersion version, Clock clock, Duration ttl, long budget, ToLongBiFunction<K, V> weight) {
        this.version = version;
        this.clock = clock;
        this.ttl = ttl;
        this.budget = budget;
        this.weight = weight;
    }

    /** The value for {@code key}: kept, or computed by {@code compute} and kept. */
    Uni<V> get(K key, Supplier<Uni<V>> compute) {
        return version.current().onFailure().recoverWithItem(Long.MIN_VALUE).chain(v -> {
            if (v == Long.MIN_VALUE) {
                return compute.get();
            }
            if (v != seenVersion) {
                entries.clear();
                used.set(0);
                seenVersion = v;
            }
            long now = clock.millis();
            Entry<V> entry = entries.get(key);
            if (entry != null && entry.version() == v && now < entry.expiresAtMillis()) {
                return Uni.createFrom().item(entry.value());
            }
            return once(
                    key,
                    v,
                    () -> compute.get()
                            .invoke(value -> keep(
                                    key,
                                    new Entry<>(value, v, weight.applyAsLong(key, value), now + ttl.toMillis()),
                                    now)));
        });
    }

    /** A computation under way: callers that miss the same key under the same version wait for it. */
    private record Flight<V>(long version, CompletableFuture<V> result) {}

    private final Map<K, Flight<V>> flights = new ConcurrentHashMap<>();

    /**
     * Computes a missing value once however many callers miss it at the same moment (an expiry
     * or a version change under load would otherwise run the same query once per waiting
     * request). Waiters get the first caller's value or failure; should the first caller go
     * away before it is done (its client disconnected), they compute for themselves.
     */
    private Uni<V> once(K key, long version, Supplier<Uni<V>> compute) {
        Flight<V> mine = new Flight<>(version, new CompletableFuture<>());
        Flight<V> current = flights.merge(key, mine, (old, created) -> old.version() == version ? old : created);
        if (current != mine) {
            return Uni.createFrom()
                    .completionStage(current.result())
                    .onFailure(CancellationException.class)
                    .recoverWithUni(() -> compute.get());
        }
        return compute.get()
                .onItemOrFailure()
                .invoke((value, failure) -> {
                    flights.remove(key, mine);
                    if (failure != null) {
                        mine.result().completeExceptionally(failure);
                    } else {
                        mine.result().complete(value);
                    }
                })
                .onCancellation()
                .invoke(() -> {
                    flights.remove(key, mine);
                    mine.result().completeExceptionally(new CancellationException());
                });
    }

    private void keep(K key, Entry<V> entry, long now) {
        if (used.get() + entry.weight() > budget) {
            entries.values().removeIf(e -> {
                boolean stale = e.expiresAtMillis() <= now || e.version() != seenVersion;
                if (stale) {
                    used.addAndGet(-e.weight());
                }
                return stale;
            });
            if (used.get() + entry.weight() > budget) {
                return;
            }
        }
        Entry<V> previous = entries.put(key, entry);
        used.addAndGet(entry.weight() - (previous == null ? 0 : previous.weight()));
    }
}
