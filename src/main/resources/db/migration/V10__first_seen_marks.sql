-- Where each learner's first-seen mark of a day, week or month stands: its day, and the group of
-- the statistics row (grain 2: county and profession) that counts it. A play of an earlier day
-- that arrives late (offline sync, a backlog after an outage) moves the mark to that day, so
-- that the counts do not depend on the order in which plays arrive.
ALTER TABLE learner_period
    ADD COLUMN first_day   date,
    ADD COLUMN region_code varchar(6),
    ADD COLUMN profession  varchar(32);

UPDATE learner_period SET first_day = start WHERE kind = 'd';
UPDATE learner_period p SET first_day = f.first_day
FROM (SELECT learner_id, date_trunc('week', day)::date AS start, min(day) AS first_day
      FROM hours_ledger GROUP BY 1, 2) AS f
WHERE p.kind = 'w' AND p.learner_id = f.learner_id AND p.start = f.start;
UPDATE learner_period p SET first_day = f.first_day
FROM (SELECT learner_id, date_trunc('month', day)::date AS start, min(day) AS first_day
      FROM hours_ledger GROUP BY 1, 2) AS f
WHERE p.kind = 'm' AND p.learner_id = f.learner_id AND p.start = f.start;
UPDATE learner_period SET first_day = start WHERE first_day IS NULL;
-- The profile the marks were counted under when V8 carried them over: the current one.
UPDATE learner_period p SET region_code = left(coalesce(l.region_code, ''), 6), profession = coalesce(l.profession, '')
FROM learner l WHERE l.id = p.learner_id;

ALTER TABLE learner_period
    ALTER COLUMN first_day SET NOT NULL,
    ALTER COLUMN region_code SET NOT NULL,
    ALTER COLUMN profession SET NOT NULL,
    ADD CHECK (first_day >= start);
