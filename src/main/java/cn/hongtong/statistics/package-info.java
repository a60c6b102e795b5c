/**
 * Read-only statistics for analysts over the rollups the learning flusher keeps, always within
 * the caller's region scope and with small groups suppressed. {@link cn.hongtong.statistics.StatsPlan}
 * decides which rollup answers (pure), {@link cn.hongtong.statistics.StatsStore} reads it,
 * {@link cn.hongtong.statistics.RollupStore} writes the rollups in the flusher's transaction.
 */
package cn.hongtong.statistics;
