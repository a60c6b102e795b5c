-- Statistics for analysts. The flusher keeps everything here, in the transaction that writes the
-- ledger, from the same increments (new - stored under row locks), so it is exactly-once too.

-- Day numbers (days since 2000-01-01) are what the activity multiranges hold.
CREATE FUNCTION stats_day_number(d date) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN d - DATE '2000-01-01';

-- Additive measures per day at three grains, so that a query reads the smallest one that can
-- answer it (see statistics/StatsQueries):
--   grain 0: course x learner's region (any level, as stored) x institution x profession;
--   grain 1: course x province (first two digits of the region);
--   grain 2: all courses (nil course id) x county (first six digits) x profession.
-- Region, institution and profession are the learner's at the time of learning; '' and 0 mean
-- "not given". No foreign key on course_id: grain 2 uses the nil uuid for "all courses".
CREATE TABLE stats_daily (
    grain              smallint    NOT NULL CHECK (grain BETWEEN 0 AND 2),
    day                date        NOT NULL,
    course_id          uuid        NOT NULL,
    region_code        varchar(12) NOT NULL,
    institution_id     bigint      NOT NULL,
    profession         varchar(32) NOT NULL,
    watch_ms           bigint      NOT NULL DEFAULT 0,
    credited_ms        bigint      NOT NULL DEFAULT 0,
    lesson_completions integer     NOT NULL DEFAULT 0,
    course_completions integer     NOT NULL DEFAULT 0,
    -- Grain 2 only: learners whose first activity of the day, of the ISO week and of the month
    -- (the first flushed, for week and month) falls on this day. Summed over a day, a whole week
    -- or a whole month they give its distinct learners without touching any per-learner row.
    day_learners       integer     NOT NULL DEFAULT 0,
    week_learners      integer     NOT NULL DEFAULT 0,
    month_learners     integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, day, course_id, region_code, institution_id, profession)
);

-- Which learners were active in which day (d), ISO week (w, by its Monday) and month (m, by
-- its first day): inserting here tells the flusher, race-free, whom it sees first.
CREATE TABLE learner_period (
    kind       char(1) NOT NULL CHECK (kind IN ('d', 'w', 'm')),
    start      date    NOT NULL,
    learner_id uuid    NOT NULL,
    PRIMARY KEY (kind, start, learner_id)
);
CREATE INDEX stats_daily_region_idx ON stats_daily (grain, region_code varchar_pattern_ops, day);
CREATE INDEX stats_daily_course_idx ON stats_daily (grain, course_id, day) WHERE grain < 2;

-- A lesson's completion day (Asia/Shanghai, of the event that completed it) and each course
-- completion, recorded once.
ALTER TABLE lesson_progress ADD COLUMN completed_on date;
UPDATE lesson_progress SET completed_on = (completed_at AT TIME ZONE 'Asia/Shanghai')::date
    WHERE completed_at IS NOT NULL;
CREATE TABLE course_completion (
    learner_id   uuid        NOT NULL REFERENCES learner (id),
    course_id    uuid        NOT NULL REFERENCES course (id),
    day          date        NOT NULL,
    completed_at timestamptz NOT NULL,
    PRIMARY KEY (learner_id, course_id)
);

-- The days on which a learner learned (any course; and per course), by the profile they had:
-- exact distinct-learner counts over any period are a scan of one row per learner (and
-- profile), testing the multirange against the period. Days are stats_day_number values.
CREATE TABLE learner_activity (
    learner_id     uuid           NOT NULL REFERENCES learner (id),
    region_code    varchar(12)    NOT NULL,
    institution_id bigint         NOT NULL,
    profession     varchar(32)    NOT NULL,
    days           int4multirange NOT NULL,
    PRIMARY KEY (learner_id, region_code, institution_id, profession)
);
CREATE INDEX learner_activity_region_idx ON learner_activity (region_code varchar_pattern_ops);

CREATE TABLE course_activity (
    course_id      uuid           NOT NULL REFERENCES course (id),
    learner_id     uuid           NOT NULL REFERENCES learner (id),
    region_code    varchar(12)    NOT NULL,
    institution_id bigint         NOT NULL,
    profession     varchar(32)    NOT NULL,
    days           int4multirange NOT NULL,
    PRIMARY KEY (course_id, learner_id, region_code, institution_id, profession)
);

-- Registered learners by region and time.
CREATE INDEX learner_region_idx ON learner (region_code varchar_pattern_ops, created_at);

-- Carry over what the learning issue's tables held (local stacks only: nothing is deployed yet).
INSERT INTO stats_daily (grain, day, course_id, region_code, institution_id, profession, watch_ms, credited_ms,
                         lesson_completions)
SELECT 0, day, course_id, region_code, institution_id, profession, watch_ms, credited_ms, lesson_completions
FROM daily_rollup;
INSERT INTO stats_daily (grain, day, course_id, region_code, institution_id, profession, watch_ms, credited_ms,
                         lesson_completions)
SELECT 1, day, course_id, left(region_code, 2), 0, '', sum(watch_ms), sum(credited_ms), sum(lesson_completions)
FROM daily_rollup GROUP BY day, course_id, left(region_code, 2);
INSERT INTO stats_daily (grain, day, course_id, region_code, institution_id, profession, watch_ms, credited_ms,
                         lesson_completions)
SELECT 2, day, '00000000-0000-0000-0000-000000000000', left(region_code, 6), 0, profession, sum(watch_ms),
       sum(credited_ms), sum(lesson_completions)
FROM daily_rollup GROUP BY day, left(region_code, 6), profession;

INSERT INTO learner_activity (learner_id, region_code, institution_id, profession, days)
SELECT h.learner_id, coalesce(l.region_code, ''), coalesce(l.institution_id, 0), coalesce(l.profession, ''),
       range_agg(int4range(stats_day_number(h.day), stats_day_number(h.day) + 1))
FROM hours_ledger h JOIN learner l ON l.id = h.learner_id
GROUP BY 1, 2, 3, 4;
INSERT INTO course_activity (course_id, learner_id, region_code, institution_id, profession, days)
SELECT h.course_id, h.learner_id, coalesce(l.region_code, ''), coalesce(l.institution_id, 0),
       coalesce(l.profession, ''), range_agg(int4range(stats_day_number(h.day), stats_day_number(h.day) + 1))
FROM hours_ledger h JOIN learner l ON l.id = h.learner_id
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO learner_period (kind, start, learner_id)
SELECT DISTINCT 'd', day, learner_id FROM hours_ledger
UNION SELECT DISTINCT 'w', date_trunc('week', day)::date, learner_id FROM hours_ledger
UNION SELECT DISTINCT 'm', date_trunc('month', day)::date, learner_id FROM hours_ledger;
UPDATE stats_daily s SET day_learners = m.dl, week_learners = m.wl, month_learners = m.ml
FROM (SELECT day, r, p, count(*) AS dl, sum(wl) AS wl, sum(ml) AS ml
      FROM (SELECT f.day, left(coalesce(l.region_code, ''), 6) AS r, coalesce(l.profession, '') AS p,
                   (row_number() OVER (PARTITION BY f.learner_id, date_trunc('week', f.day) ORDER BY f.day) = 1)::int AS wl,
                   (row_number() OVER (PARTITION BY f.learner_id, date_trunc('month', f.day) ORDER BY f.day) = 1)::int AS ml
            FROM (SELECT DISTINCT learner_id, day FROM hours_ledger) AS f JOIN learner l ON l.id = f.learner_id) AS x
      GROUP BY day, r, p) AS m
WHERE s.grain = 2 AND s.day = m.day AND s.course_id = '00000000-0000-0000-0000-000000000000'
  AND s.region_code = m.r AND s.institution_id = 0 AND s.profession = m.p;

DROP TABLE daily_rollup;
DROP TABLE daily_learner;
