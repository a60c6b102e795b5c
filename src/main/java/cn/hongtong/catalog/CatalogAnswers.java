package cn.hongtong.catalog;

import cn.hongtong.common.ConditionalGet;
import cn.hongtong.common.ConditionalGet.Representation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Learners' catalog answers (published course lists and course details), serialised once with
 * their ETag and kept in memory while the {@link CatalogVersion} stays the same: a list or a
 * detail, and an {@code If-None-Match} on either, costs one Redis GET and no PostgreSQL. An entry
 * is served only under the version, the hour (the poster links in it are signed by the hour) and
 * within the TTL it was made with; the first request under a new version empties the cache. When
 * Redis cannot say the version, answers are computed and not kept. Kept bodies stay within a
 * byte budget ({@code max-bytes}): expired entries are dropped when it is reached, and past it
 * answers are served without being kept.
 */
@ApplicationScoped
class CatalogAnswers {

    private record Entry(Representation answer, long version, long hour, long expiresAtMillis) {
    }

    private final CatalogVersion version;
    private final ConditionalGet conditional;
    private final CatalogConfig.Cache config;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long seenVersion = Long.MIN_VALUE;

    CatalogAnswers(CatalogVersion version, ConditionalGet conditional, CatalogConfig config, Clock clock) {
        this.version = version;
        this.conditional = conditional;
        this.config = config.cache();
        this.clock = clock;
    }

    private void keep(String key, Entry entry, long now) {
        long size = entry.answer().json().length + key.length() * 2L + 64;
        long budget = config.maxBytes().asLongValue();
        if (bytes.get() + size > budget) {
            entries.entrySet().removeIf(e -> {
                boolean stale = e.getValue().expiresAtMillis() <= now || e.getValue().version() != seenVersion;
                if (stale) {
                    bytes.addAndGet(-(e.getValue().answer().json().length + e.getKey().length() * 2L + 64));
                }
                return stale;
            });
            if (bytes.get() + size > budget) {
                return;
            }
        }
        Entry previous = entries.put(key, entry);
        bytes.addAndGet(size - (previous == null ? 0 : previous.answer().json().length + key.length() * 2L + 64));
    }

    /** The answer for {@code key}: kept, or computed by {@code compute} and kept. */
    Uni<Representation> get(String key, Supplier<Uni<?>> compute) {
        return version.current().onFailure().recoverWithItem(Long.MIN_VALUE).chain(v -> {
            if (v == Long.MIN_VALUE) {
                return compute.get().map(conditional::represent);
            }
            if (v != seenVersion) {
                entries.clear();
                bytes.set(0);
                seenVersion = v;
            }
            long now = clock.millis();
            long hour = now / 3_600_000;
            Entry entry = entries.get(key);
            if (entry != null && entry.version() == v && entry.hour() == hour && now < entry.expiresAtMillis()) {
                return Uni.createFrom().item(entry.answer());
            }
            return compute.get().map(body -> {
                Representation answer = conditional.represent(body);
                keep(key, new Entry(answer, v, hour, now + config.ttl().toMillis()), now);
                return answer;
            });
        });
    }
}
