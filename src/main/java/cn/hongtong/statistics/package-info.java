/**
 * Read-only statistics for analysts over the rollups the learning flusher keeps, always within
 * the caller's region scope and with small groups suppressed.
 */
package cn.hongtong.statistics;
