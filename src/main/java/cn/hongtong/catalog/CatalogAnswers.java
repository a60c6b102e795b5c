package cn.hongtong.catalog;

import cn.hongtong.common.ConditionalGet;
import cn.hongtong.common.ConditionalGet.Representation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Learners' catalog answers (published course lists and course details), serialised once with
 * their ETag and kept in memory while the {@link CatalogVersion} stays the same: a list or a
 * detail, and an {@code If-None-Match} on either, costs one Redis GET and no PostgreSQL. An entry
 * is served only under the version, the hour (the poster links in it are signed by the hour) and
 * within the TTL it was made with; the first request under a new version empties the cache. When
 * Redis cannot say the version, answers are computed and not kept.
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
    private volatile long seenVersion = Long.MIN_VALUE;

    CatalogAnswers(CatalogVersion version, ConditionalGet conditional, CatalogConfig config, Clock clock) {
        this.version = version;
        this.conditional = conditional;
        this.config = config.cache();
        this.clock = clock;
    }

    /** The answer for {@code key}: kept, or computed by {@code compute} and kept. */
    Uni<Representation> get(String key, Supplier<Uni<?>> compute) {
        return version.current().onFailure().recoverWithItem(Long.MIN_VALUE).chain(v -> {
            if (v == Long.MIN_VALUE) {
                return compute.get().map(conditional::represent);
            }
            if (v != seenVersion) {
                entries.clear();
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
                if (entries.size() < config.maxEntries()) {
                    entries.put(key, new Entry(answer, v, hour, now + config.ttl().toMillis()));
                }
                return answer;
            });
        });
    }
}
