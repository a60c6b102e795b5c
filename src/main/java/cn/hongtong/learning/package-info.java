/**
 * Learning sessions and heartbeats, the integrity rules that make learning hours exact and hard
 * to fake, the Redis hot path, the flusher into PostgreSQL, the hours ledger and learner progress.
 */
package cn.hongtong.learning;
