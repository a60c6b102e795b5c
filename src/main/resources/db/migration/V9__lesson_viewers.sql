-- A lesson's viewers, for its retention curve (statistics): lesson_progress is keyed by learner first.
CREATE INDEX lesson_progress_lesson_idx ON lesson_progress (lesson_id) WHERE covered_ms > 0;
