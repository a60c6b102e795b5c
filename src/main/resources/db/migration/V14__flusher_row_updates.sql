-- The flusher updates the same rows batch after batch (a session, its day, the ledger and progress
-- rows of a lesson, the rollup groups). Room left in each page lets PostgreSQL update a row in
-- place (a HOT update: no new index entries) when no indexed column changes.
ALTER TABLE learning_session SET (fillfactor = 80);
ALTER TABLE session_day SET (fillfactor = 80);
ALTER TABLE hours_ledger SET (fillfactor = 80);
ALTER TABLE lesson_progress SET (fillfactor = 80);
ALTER TABLE stats_daily SET (fillfactor = 80);

-- Unused since overlapping plays are checked on the learner's credit clock (V11): it indexed an
-- expression over last_heartbeat_at, so every flush of a session inserted a GiST entry and no
-- session update could be HOT (bench/api: 0 of 154,948 updates were).
DROP INDEX learning_session_span_idx;
