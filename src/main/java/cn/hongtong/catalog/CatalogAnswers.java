package cn.hongtong.catalog;

import cn.hongtong.common.ConditionalGet;
import cn.hongtong.common.ConditionalGet.Representation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Learners' catalog answers (published course lists and course details), serialised once with
 * their ETag and kept in a {@link VersionedMemo}: a list or a detail, and an {@code If-None-Match}
 * on either, costs one Redis GET and no PostgreSQL. An answer is kept for the hour it was made in
 * only (the poster links in it are signed by the hour), and the kept bodies stay within a byte
 * budget ({@code max-bytes}).
 */
@ApplicationScoped
class CatalogAnswers {

    private final ConditionalGet conditional;
    private final Clock clock;
    private final VersionedMemo<String, Representation> memo;

    CatalogAnswers(CatalogVersion version, ConditionalGet conditional, CatalogConfig config, Clock clock) {
        this.conditional = conditional;
        this.clock = clock;
        this.memo = new VersionedMemo<>(
                version,
                clock,
                config.cache().ttl(),
                config.cache().maxBytes().asLongValue(),
                (key, answer) -> answer.json().length + key.length() * 2L + 64);
    }

    /** The answer for {@code key}: kept, or computed by {@code compute} and kept. */
    Uni<Representation> get(String key, Supplier<Uni<?>> compute) {
        long hour = clock.millis() / 3_600_000;
        return memo.get(key + "\u0000" + hour, () -> compute.get().map(conditional::represent));
    }
}
