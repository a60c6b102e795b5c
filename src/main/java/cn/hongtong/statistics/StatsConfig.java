package cn.hongtong.statistics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.ZoneId;
import java.util.Optional;

/** Analysts' statistics. */
@ConfigMapping(prefix = "hongtong.statistics")
public interface StatsConfig {

    /** Groups with fewer distinct learners than this (but more than none) are suppressed. */
    @WithDefault("5")
    int minGroupSize();

    /** The longest period one query may cover, in days. */
    @WithDefault("1096")
    int maxPeriodDays();

    /** The longest period a daily time series may cover, in days. */
    @WithDefault("366")
    int maxDailySeriesDays();

    /** The period when a query names none: this many days up to yesterday. */
    @WithDefault("30")
    int defaultPeriodDays();

    /** The zone whose calendar days the statistics count (the flusher's days). */
    @WithDefault("Asia/Shanghai")
    ZoneId zone();

    /** The cell-key perturbation of every published cell (see {@link CellKeyPerturbation}). */
    Perturbation perturbation();

    interface Perturbation {

        /**
         * Off gives exact values (with small groups still hidden) and no protection across
         * answers: for tests of the rollups' arithmetic only; refused in production.
         */
        @WithDefault("true")
        boolean enabled();

        /** Counts of learners and completions move by at most this much, up or down. */
        @WithDefault("2")
        int maxCountNoise();

        /**
         * Hours move by a quarter to all of this many times the cell's average hours per active
         * learner, up or down: about one learner's share, so no difference of answers isolates
         * one learner's hours exactly.
         */
        @WithDefault("1.0")
        double hoursNoise();

        /**
         * Mixed into every perturbation's hash with the cell key (a deployment's secret: without
         * it, someone who knew every record key could compute the noise).
         */
        Optional<String> secret();
    }
}
