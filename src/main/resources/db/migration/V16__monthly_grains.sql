-- Statistics fast enough to explore (issue 16). Year-long questions summed a year of daily rows
-- (443,235 of them at the county grain of bench/seed); the same three grains per month answer the
-- whole months of a period, the daily rows only its ragged ends. Grains 3, 4 and 5 are grains 0,
-- 1 and 2 per month (day = the month's first day); at grain 5 only the month's first-seen count
-- and its key sum are kept (per-day and per-week counts do not add up over a month).
ALTER TABLE stats_daily DROP CONSTRAINT stats_daily_grain_check;
ALTER TABLE stats_daily ADD CONSTRAINT stats_daily_grain_check CHECK (grain BETWEEN 0 AND 5);

INSERT INTO stats_daily (grain, day, course_id, region_code, institution_id, profession, watch_ms, credited_ms,
                         lesson_completions, course_completions, month_learners, month_learner_keys)
SELECT grain + 3, date_trunc('month', day)::date, course_id, region_code, institution_id, profession,
       sum(watch_ms), sum(credited_ms), sum(lesson_completions), sum(course_completions), sum(month_learners),
       sum(month_learner_keys)
FROM stats_daily WHERE grain <= 2
GROUP BY 1, 2, 3, 4, 5, 6;

DROP INDEX stats_daily_course_idx;
CREATE INDEX stats_daily_course_idx ON stats_daily (grain, course_id, day) WHERE grain IN (0, 1, 3, 4);

-- Distinct learners come with their record keys' sum (the perturbation's cell key): kept on the
-- activity rows, so counting them reads no learner row.
ALTER TABLE learner_activity ADD COLUMN record_key integer NOT NULL DEFAULT 0;
UPDATE learner_activity a SET record_key = l.record_key FROM learner l WHERE l.id = a.learner_id;
ALTER TABLE course_activity ADD COLUMN record_key integer NOT NULL DEFAULT 0;
UPDATE course_activity a SET record_key = l.record_key FROM learner l WHERE l.id = a.learner_id;
