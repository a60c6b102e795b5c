/**
 * Learning sessions and heartbeats, the integrity rules that make learning hours exact and hard
 * to fake, the Redis hot path, the flusher into PostgreSQL, the hours ledger and learner progress.
 * Redis is reached only through {@link cn.hongtong.learning.HotPath}; PostgreSQL only through
 * {@link cn.hongtong.learning.LearningStore}.
 */
package cn.hongtong.learning;
