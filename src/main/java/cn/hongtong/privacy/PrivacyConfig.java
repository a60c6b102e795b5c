package cn.hongtong.privacy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long what is no longer needed is kept, and how often the retention job runs. */
@ConfigMapping(prefix = "hongtong.privacy")
public interface PrivacyConfig {

    Retention retention();

    /**
     * An erasure deletes the Redis keys of the learner's sessions that started within this: longer
     * than {@code hongtong.learning.session-idle-ttl} (Redis forgets older ones by itself).
     */
    @WithDefault("3d")
    Duration hotSessions();

    interface Retention {

        /** How often the retention job runs (each replica; every step is idempotent). */
        @WithDefault("1h")
        Duration interval();

        /** Rows deleted per statement, so that no statement holds locks for long. */
        @WithDefault("1000")
        int batchSize();

        /** Statements per step and run at most, so that one run never monopolises the connection pool. */
        @WithDefault("50")
        int maxBatches();

        /**
         * Renewal handles are deleted this long after they expired or were revoked (a used handle
         * is kept until it expires: presenting it again revokes its chain).
         */
        @WithDefault("7d")
        Duration renewalHandles();

        /**
         * Sessions (with their per-day totals and the device id), and offline plays, are deleted
         * this long after they started; the hours ledger, progress and completions they produced
         * stay. Two years: continuing-education credit is audited per year, the year after.
         */
        @WithDefault("730d")
        Duration sessions();

        /** The credit clock's PostgreSQL copy (wall-clock spans of credited time), by its day. */
        @WithDefault("60d")
        Duration creditClock();

        /** Raw learning events the flusher could not apply ({@code learning:events:dead}). */
        @WithDefault("30d")
        Duration deadEvents();

        /**
         * Markers of deleted accounts (a hash of the subject), kept while tokens issued before the
         * deletion can still verify; longer than any access token's lifetime.
         */
        @WithDefault("2d")
        Duration erasureMarkers();
    }
}
