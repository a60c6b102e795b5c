-- Cell-key perturbation of the statistics (issue 16). Every learner gets a random record key,
-- never shown to anyone; a published cell's key is the sum of its learners' record keys, so the
-- same set of learners always gets the same perturbation, and another set another one.
ALTER TABLE learner ADD COLUMN record_key integer NOT NULL DEFAULT floor(random() * 2147483647)::integer;
COMMENT ON COLUMN learner.record_key IS 'Secret random key of the statistics'' cell-key perturbation; never published.';

-- Grain 2 keeps, beside each first-seen count, the sum of those learners' record keys, so that a
-- day's, week's or month's distinct learners have their cell key without a per-learner row.
ALTER TABLE stats_daily
    ADD COLUMN day_learner_keys   bigint NOT NULL DEFAULT 0,
    ADD COLUMN week_learner_keys  bigint NOT NULL DEFAULT 0,
    ADD COLUMN month_learner_keys bigint NOT NULL DEFAULT 0;

UPDATE stats_daily s SET day_learner_keys = m.dk, week_learner_keys = m.wk, month_learner_keys = m.mk
FROM (SELECT p.first_day AS day, p.region_code AS region, p.profession AS prof,
             coalesce(sum(l.record_key) FILTER (WHERE p.kind = 'd'), 0) AS dk,
             coalesce(sum(l.record_key) FILTER (WHERE p.kind = 'w'), 0) AS wk,
             coalesce(sum(l.record_key) FILTER (WHERE p.kind = 'm'), 0) AS mk
      FROM learner_period p JOIN learner l ON l.id = p.learner_id
      GROUP BY 1, 2, 3) AS m
WHERE s.grain = 2 AND s.day = m.day AND s.course_id = '00000000-0000-0000-0000-000000000000'
  AND s.region_code = m.region AND s.institution_id = 0 AND s.profession = m.prof;
