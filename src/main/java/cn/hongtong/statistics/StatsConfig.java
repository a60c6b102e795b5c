package cn.hongtong.statistics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.ZoneId;

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
}
