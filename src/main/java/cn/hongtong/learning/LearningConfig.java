package cn.hongtong.learning;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/** Learning sessions, the rules that turn heartbeats into hours, and the flusher. */
@ConfigMapping(prefix = "hongtong.learning")
public interface LearningConfig {

    /** How often clients send a heartbeat while playing. */
    @WithDefault("10s")
    Duration heartbeatInterval();

    /**
     * Slack on server wall-clock time for network jitter: an online heartbeat may stamp credit on
     * the learner's credit clock up to this far past server time. The clock is per learner, so the
     * slack is never granted twice over the same wall-clock time (not per heartbeat, session or
     * device). Offline plays get none.
     */
    @WithDefault("2s")
    Duration tolerance();

    /**
     * How long the learner's credit and watch clocks remember spent wall-clock time. Offline plays
     * that started earlier than this before their sync are refused (too-old), so no wall-clock
     * time can be credited twice. At least the download grant's validity plus the sync delay a
     * learner may need.
     */
    @WithDefault("14d")
    Duration creditClockRetention();

    /** The share of a lesson's duration that must be covered to complete it. */
    @WithDefault("0.9")
    double completionThreshold();

    /** Credited time a learner may earn per day (Asia/Shanghai), online and offline together. */
    @WithDefault("4h")
    Duration dailyCap();

    /** Most played intervals in one heartbeat. */
    @WithDefault("64")
    int maxIntervals();

    /** Heartbeats per session and per learner per minute (429 beyond). */
    @WithDefault("30")
    int heartbeatsPerSessionPerMinute();

    @WithDefault("90")
    int heartbeatsPerLearnerPerMinute();

    /** A session untouched this long is forgotten by Redis (what it earned is already flushed). */
    @WithDefault("24h")
    Duration sessionIdleTtl();

    Flusher flusher();

    Durability durability();

    Redis redis();

    /** What the hot path keeps in Redis, and how it rides out a cluster's resharding. */
    interface Redis {
        /** Coverage and resume positions live this long in Redis after their last use (PostgreSQL keeps them for good). */
        @WithDefault("30d")
        Duration lessonStateTtl();

        /** A day's credited counter lives this long: past midnight in every time zone. */
        @WithDefault("2d")
        Duration dayCounterTtl();

        /** A learner's progress stamp lives this long after the flush that set it (then a new one is made). */
        @WithDefault("2d")
        Duration progressStampTtl();

        /**
         * Sends of a batch that a cluster node redirected (MOVED, ASK, TRYAGAIN: nothing ran), the
         * first after {@link #redirectBackoff()}, doubling up to eight times that; past them the
         * client hears 503.
         */
        @WithDefault("6")
        int redirectTries();

        @WithDefault("50ms")
        Duration redirectBackoff();
    }

    Offline offline();

    /** Offline plays synced later. */
    interface Offline {
        /** A single offline play longer than this is refused as implausible. */
        @WithDefault("6h")
        Duration longestPlay();

        /** One sync per learner at a time: a second one meanwhile answers 409 with Retry-After; the lock's bound should a replica die. */
        @WithDefault("1m")
        Duration syncLock();
    }

    /**
     * Entries of each of the heartbeat path's in-process memos (a token subject's learner, a
     * session's lesson; about 100 B each): past it a memo starts over.
     */
    @WithDefault("200000")
    int memoSize();

    /** The longest period a learner's ledger is read for at once, in days. */
    @WithDefault("366")
    int ledgerMaxDays();

    /**
     * When a write of the hot path (a heartbeat, an offline sync, a session's start or end) is
     * acknowledged to the client. With 0 replicas, once the master ran it: a process kill loses
     * nothing (AOF), a node loss can take what its replica had not yet received. With 1 or more,
     * only after that many replicas have it too ({@code WAIT}); when they do not confirm within
     * the timeout the answer is 503 {@code not-durable} with Retry-After, and the client's resend
     * is answered idempotently by seq (the write may have happened, it is simply not promised).
     */
    interface Durability {
        /** Replicas that must hold a write before it is acknowledged (0: the master's word). */
        @WithDefault("0")
        int replicas();

        /** How long to wait for them; past it the client is told to resend. */
        @WithDefault("500ms")
        Duration timeout();
    }

    ProgressCache progressCache();

    /**
     * Each replica keeps learners' {@code /me/progress} answers in memory, each under the
     * learner's progress stamp (changed in Redis by the flusher after every commit that touches
     * the learner) and the catalog version: a kept answer is served only while both are the same,
     * on the same day, and within the TTL (the bound on staleness should a stamp change be lost).
     */
    interface ProgressCache {
        /** Most answers kept per replica (about 1 KB each); past it the cache starts over. */
        @WithDefault("20000")
        int size();

        @WithDefault("60s")
        Duration ttl();
    }

    /** Moves events from the Redis stream into PostgreSQL; every replica runs one consumer. */
    interface Flusher {
        @WithDefault("true")
        boolean enabled();

        /**
         * Most events applied in one transaction. Batches fill only when events wait (a peak, a
         * backlog after an outage), and then larger ones catch up faster: each statement's cost is
         * shared by more rows, and a session's heartbeats collapse into one row update (bench/api:
         * 500 -> 2,000 took a backlog from about 1,450 to 6,400 events/s; new rows only, 1,370 to 2,600).
         */
        @WithDefault("2000")
        int batchSize();

        /** How long a read waits for events before it applies what it has. */
        @WithDefault("200ms")
        Duration linger();

        /** An entry pending this long on a consumer (a dead replica) is claimed by another. */
        @WithDefault("60s")
        Duration reclaimAfter();

        /** Deliveries after which an entry that keeps failing goes to the dead-letter stream. */
        @WithDefault("5")
        int maxDeliveries();

        /** How often pending entries are checked for reclaiming. */
        @WithDefault("5s")
        Duration maintenanceInterval();

        /**
         * This replica's name in the consumer group. Stable across restarts (by default the host
         * name and HTTP port; a Kubernetes pod's name), so a restarted replica takes up the
         * entries it had read but not acknowledged at once, instead of leaving them to be
         * claimed after {@link #reclaimAfter()}.
         */
        Optional<String> consumer();
    }

    /** The day boundary of the ledger. */
    @WithDefault("Asia/Shanghai")
    ZoneId timeZone();
}
