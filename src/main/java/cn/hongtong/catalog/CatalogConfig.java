package cn.hongtong.catalog;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The catalog. */
@ConfigMapping(prefix = "hongtong.catalog")
public interface CatalogConfig {

    /**
     * Dev builds only: fill an empty catalog with demo courses at start-up. Off for a database
     * that another tool fills (bench/seed).
     */
    @WithDefault("true")
    boolean demoSeed();

    /** What each replica keeps in memory of the catalog learners see (see {@link VersionedMemo}). */
    Cache cache();

    interface Cache {

        /**
         * Longest an answer or a ready lesson is kept even when the catalog version says nothing
         * changed: the bound on staleness should a version bump be lost (Redis down at the moment
         * of an admin change).
         */
        @WithDefault("60s")
        Duration ttl();

        /**
         * Bytes of answers kept at most per replica (the JSON bodies): distinct filters, pages and
         * limits are answers a client chooses, so the budget is in bytes, not entries.
         */
        @WithDefault("64M")
        MemorySize maxBytes();

        /**
         * How long a replica uses the catalog version it last read from Redis before reading it
         * again: the delay before an admin change made on another replica shows here (the replica
         * that made it sees it at once). Saves a Redis round trip on every kept answer.
         */
        @WithDefault("250ms")
        Duration versionRefresh();

        /** Ready lessons kept at most per replica (a few hundred bytes each); past it the memo starts over. */
        @WithDefault("100000")
        int maxLessons();
    }
}
