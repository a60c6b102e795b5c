-- The statistics data generator (run by bench/seed, which passes the variables below). Every
-- random choice is a hash of (seed, purpose, key), so the same seed gives the same data whatever
-- plan PostgreSQL picks. Loads the raw facts (learners, courses, lessons, the hours ledger, lesson
-- coverage), then derives every statistics table from them with the same rules the flusher
-- applies one batch at a time.
--   :seed  :learners  :courses  :days  :end_day
\set ON_ERROR_STOP on
\timing off
SET max_parallel_workers_per_gather = 2;
SET work_mem = '256MB';
SET maintenance_work_mem = '1GB';
SET synchronous_commit = off;

-- u(key, purpose): uniform in [0, 1), a pure function of the seed, purpose and key.
CREATE OR REPLACE FUNCTION pg_temp.u(k bigint, purpose int) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (hashint8extended(k, purpose::bigint * 1000003 + :seed) & 4503599627370495)::float8 / 4503599627370496;

\echo [seed] clearing the learning, catalog and learner tables
TRUNCATE stats_daily, learner_period, learner_activity, course_activity, course_span, course_span_edge, category_activity, course_completion, hours_ledger, lesson_progress,
         session_day, offline_play, learning_session, renewal_handle, lesson, course, media_asset, learner CASCADE;

\echo [seed] courses and lessons
INSERT INTO course (id, title, summary, category_code, credit_class, credit_hours, status, published_at, created_at, updated_at)
SELECT md5('course:' || :seed || ':' || n)::uuid,
       c.name_zh || '专题 ' || lpad(n::text, 3, '0'),
       '基层卫生人员继续教育课程（压测数据）',
       c.code,
       (ARRAY['I', 'II', 'II', 'none'])[1 + floor(pg_temp.u(n, 1) * 4)::int],
       (1 + floor(pg_temp.u(n, 2) * 8))::numeric / 2,
       'published',
       (:'end_day'::date - 730 + floor(pg_temp.u(n, 3) * 700)::int)::timestamptz,
       (:'end_day'::date - 760)::timestamptz, (:'end_day'::date - 760)::timestamptz
FROM generate_series(1, :courses) AS n
JOIN (SELECT code, name_zh, row_number() OVER (ORDER BY position) - 1 AS i, count(*) OVER () AS k FROM category) c
    ON c.i = (n - 1) % c.k;

-- Course number n (1..courses) in a dense table the generator can index into.
CREATE TEMP TABLE gen_course AS
SELECT n, md5('course:' || :seed || ':' || n)::uuid AS id, 4 + floor(pg_temp.u(n, 4) * 9)::int AS lessons
FROM generate_series(1, :courses) AS n;

INSERT INTO lesson (id, course_id, position, title, created_at, updated_at)
SELECT md5('lesson:' || :seed || ':' || c.n || ':' || p)::uuid, c.id, p, '第' || p || '讲',
       (:'end_day'::date - 760)::timestamptz, (:'end_day'::date - 760)::timestamptz
FROM gen_course c, generate_series(1, c.lessons) AS p;

-- Lesson durations: 3 to 15 minutes (fragments), whole seconds.
CREATE TEMP TABLE gen_lesson AS
SELECT c.n AS course_n, p AS position, md5('lesson:' || :seed || ':' || c.n || ':' || p)::uuid AS id, c.id AS course_id,
       (180 + floor(pg_temp.u(c.n * 100 + p, 5) * 721))::int * 1000 AS duration_ms
FROM gen_course c, generate_series(1, c.lessons) AS p;
CREATE UNIQUE INDEX ON gen_lesson (course_n, position);
ANALYZE gen_course; ANALYZE gen_lesson;

\echo [seed] learners: profession, institution and region as they really are distributed
-- Professions and the institutions they work at; 60 % of learners in Guizhou, 40 % in Heilongjiang.
CREATE TEMP TABLE gen_institution AS
SELECT left(region_code, 2) AS province, kind, id, region_code,
       row_number() OVER (PARTITION BY left(region_code, 2), kind ORDER BY id) - 1 AS i,
       count(*) OVER (PARTITION BY left(region_code, 2), kind) AS k
FROM institution;
CREATE INDEX ON gen_institution (province, kind, i);
ANALYZE gen_institution;

CREATE TEMP TABLE gen_learner AS
SELECT n, md5('learner:' || :seed || ':' || n)::uuid AS id,
       CASE WHEN pg_temp.u(n, 10) < 0.6 THEN '52' ELSE '23' END AS province,
       CASE WHEN x < 0.45 THEN 'village-doctor' WHEN x < 0.65 THEN 'nurse' WHEN x < 0.77 THEN 'general-practitioner'
            WHEN x < 0.87 THEN 'public-health-worker' WHEN x < 0.92 THEN 'pharmacist'
            WHEN x < 0.97 THEN 'social-worker' ELSE 'other' END AS profession,
       pg_temp.u(n, 12) AS y,
       -- Engagement: a tenth never learn; the rest learn on 8 % to 78 % of days, most near the low end.
       CASE WHEN pg_temp.u(n, 13) < 0.1 THEN 0 ELSE 0.08 + 0.7 * pg_temp.u(n, 14) ^ 2 END AS engagement,
       -- 70 % registered before the year; the rest join during it (the platform grows).
       CASE WHEN pg_temp.u(n, 15) < 0.7 THEN -1 - floor(pg_temp.u(n, 16) * 300)::int
            ELSE floor(pg_temp.u(n, 16) * :days)::int END AS joined,
       5 + floor(pg_temp.u(n, 17) ^ 2 * 36)::int AS enrolments
FROM (SELECT n, pg_temp.u(n, 11) AS x FROM generate_series(1, :learners) AS n) AS g;

ALTER TABLE gen_learner ADD COLUMN kind text, ADD COLUMN pick bigint, ADD COLUMN institution_id bigint,
    ADD COLUMN region_code varchar(12);
UPDATE gen_learner SET kind = CASE profession
    WHEN 'village-doctor' THEN 'village-clinic'
    WHEN 'nurse' THEN CASE WHEN y < 0.7 THEN 'township-health-center' ELSE 'county-hospital' END
    WHEN 'general-practitioner' THEN CASE WHEN y < 0.6 THEN 'township-health-center' WHEN y < 0.8 THEN 'community-health-center'
                                          ELSE 'county-hospital' END
    WHEN 'public-health-worker' THEN CASE WHEN y < 0.75 THEN 'township-health-center' ELSE 'community-health-center' END
    WHEN 'pharmacist' THEN CASE WHEN y < 0.6 THEN 'township-health-center' ELSE 'county-hospital' END
    WHEN 'social-worker' THEN 'community-health-center'
    ELSE CASE WHEN y < 0.5 THEN 'township-health-center' ELSE 'village-clinic' END END;
UPDATE gen_learner g SET pick = floor(pg_temp.u(g.n, 18) * k.k)::bigint
FROM (SELECT province, kind, count(*) AS k FROM gen_institution GROUP BY 1, 2) AS k
WHERE k.province = g.province AND k.kind = g.kind;
UPDATE gen_learner g SET institution_id = i.id, region_code = i.region_code
FROM gen_institution i
WHERE i.province = g.province AND i.kind = g.kind AND i.i = g.pick;
ANALYZE gen_learner;

INSERT INTO learner (id, subject, created_at, unionid, display_name, profession, institution_id, region_code, updated_at,
                     record_key)
SELECT id, 'bench-' || n,
       (:'end_day'::date - :days + 1 + joined)::timestamp AT TIME ZONE 'Asia/Shanghai' + make_interval(secs => floor(pg_temp.u(n, 19) * 86400)),
       'bench-union-' || n, '学员' || n, profession, institution_id, region_code, now(),
       floor(pg_temp.u(n, 23) * 2147483647)::integer
FROM gen_learner;
\echo [seed] learners loaded
SELECT format('[seed]   %s learners: %s in Guizhou, %s in Heilongjiang; %s institutions', count(*),
              count(*) FILTER (WHERE province = '52'), count(*) FILTER (WHERE province = '23'),
              count(DISTINCT institution_id)) FROM gen_learner \gset p_
\echo :p_format

\echo [seed] active days: weekly rhythm, Spring Festival, campaign months, growth
-- Day weights: Saturdays 0.6 and Sundays 0.45 of a weekday; the two weeks around Spring Festival
-- 0.35; March (training month) and September (before the credit deadline) 1.3; July and
-- August 0.85; the platform's use grows by half over the year.
CREATE TEMP TABLE gen_day AS
SELECT d, day, (CASE extract(isodow FROM day) WHEN 6 THEN 0.6 WHEN 7 THEN 0.45 ELSE 1.0 END)
       * (CASE WHEN (day - CASE extract(year FROM day) WHEN 2025 THEN DATE '2025-01-29' WHEN 2026 THEN DATE '2026-02-17'
                               WHEN 2027 THEN DATE '2027-02-06' ELSE make_date(extract(year FROM day)::int, 2, 5) END)
                    BETWEEN -10 AND 7 THEN 0.35
               WHEN extract(month FROM day) IN (3, 9) THEN 1.3
               WHEN extract(month FROM day) IN (7, 8) THEN 0.85 ELSE 1.0 END)
       * (0.75 + 0.5 * d / :days) AS weight
FROM (SELECT d, :'end_day'::date - :days + 1 + d AS day FROM generate_series(0, :days - 1) AS d) AS g;
ANALYZE gen_day;

CREATE TEMP TABLE gen_active AS
SELECT l.n, l.id AS learner_id, l.enrolments, d.d, d.day
FROM gen_learner l JOIN gen_day d ON d.d >= l.joined
WHERE pg_temp.u(l.n::bigint * 1000 + d.d, 20) < l.engagement * d.weight;
SELECT format('[seed]   %s learner-days', count(*)) FROM gen_active \gset p_
\echo :p_format

\echo [seed] the hours ledger: fragments of one to eight consecutive lessons a day
-- On an active day a learner takes one of their courses (popular courses are in more lists),
-- starts at some lesson and watches 1..8 consecutive ones (geometric, mean about 4), each for a
-- quarter to all of its duration; about one fragment in ten is credited only in part (a second
-- device, the daily cap).
CREATE TEMP TABLE gen_row AS
SELECT a.n, a.d, gl.course_n, gl.position, w.watch,
       CASE WHEN pg_temp.u(a.k + gl.position, 25) < 0.9 THEN w.watch
            ELSE (w.watch * (0.4 + 0.6 * pg_temp.u(a.k + gl.position, 26)))::int END AS credited
FROM (SELECT a.*, a.n::bigint * 100000 + a.d * 10 AS k,
             -- Course: the enrolment slot picked today, mapped to a course with a skew to popular ones.
             1 + floor(pg_temp.u(floor(pg_temp.u(a.n::bigint * 1000 + a.d, 21) * a.enrolments)::bigint * 1000003 + a.n, 22) ^ 1.7
                       * :courses)::int AS course_n,
             least(8, 1 + floor(-ln(1 - pg_temp.u(a.n::bigint * 1000 + a.d, 23)) * 3.8)::int) AS count,
             pg_temp.u(a.n::bigint * 1000 + a.d, 24) AS start
      FROM gen_active a) AS a
JOIN gen_course c ON c.n = a.course_n
JOIN gen_lesson gl ON gl.course_n = a.course_n
    AND gl.position BETWEEN 1 + floor(a.start * c.lessons)::int AND floor(a.start * c.lessons)::int + a.count
-- Whole seconds, as stored in milliseconds.
CROSS JOIN LATERAL (SELECT (gl.duration_ms / 1000 * (0.25 + 0.75 * pg_temp.u(a.k + gl.position, 27)))::int AS watch) AS w;
SELECT format('[seed]   %s ledger rows generated', count(*)) FROM gen_row \gset p_
\echo :p_format

ALTER TABLE hours_ledger DROP CONSTRAINT hours_ledger_pkey,
    DROP CONSTRAINT hours_ledger_learner_id_fkey, DROP CONSTRAINT hours_ledger_lesson_id_fkey,
    DROP CONSTRAINT hours_ledger_course_id_fkey;
DROP INDEX hours_ledger_day_idx;
INSERT INTO hours_ledger (learner_id, lesson_id, course_id, day, watch_ms, credited_ms)
SELECT l.id, gl.id, gl.course_id, gd.day, r.watch * 1000::bigint, r.credited * 1000::bigint
FROM gen_row r JOIN gen_learner l ON l.n = r.n JOIN gen_day gd ON gd.d = r.d
JOIN gen_lesson gl ON gl.course_n = r.course_n AND gl.position = r.position;
\echo [seed] ledger keys and indexes
ALTER TABLE hours_ledger ADD CONSTRAINT hours_ledger_pkey PRIMARY KEY (learner_id, lesson_id, day);
CREATE INDEX hours_ledger_day_idx ON hours_ledger (learner_id, day);
ALTER TABLE hours_ledger ADD CONSTRAINT hours_ledger_learner_id_fkey FOREIGN KEY (learner_id) REFERENCES learner (id),
    ADD CONSTRAINT hours_ledger_lesson_id_fkey FOREIGN KEY (lesson_id) REFERENCES lesson (id),
    ADD CONSTRAINT hours_ledger_course_id_fkey FOREIGN KEY (course_id) REFERENCES course (id);

\echo [seed] lesson coverage and completions
-- Viewers watch from the start (one in twelve skips the first 5 %) as far as their watching
-- took them; a lesson is complete at 90 %, on the last day it was watched.
CREATE TEMP TABLE gen_progress AS
SELECT p.n, p.course_n, p.position, gl.id AS lesson_id, gl.course_id, gl.duration_ms, p.last_d,
       s, least(gl.duration_ms::bigint, p.watched)::int AS e
FROM (SELECT n, course_n, position, max(d) AS last_d, sum(watch) * 1000::bigint AS watched
      FROM gen_row GROUP BY n, course_n, position) AS p
JOIN gen_lesson gl ON gl.course_n = p.course_n AND gl.position = p.position
CROSS JOIN LATERAL (SELECT CASE WHEN pg_temp.u(p.n::bigint * 100000 + p.course_n * 100 + p.position, 30) < 1.0 / 12
                                THEN gl.duration_ms / 20 ELSE 0 END AS s) AS skip;
DELETE FROM gen_progress WHERE e <= s;
ALTER TABLE gen_progress ADD COLUMN completed boolean;
UPDATE gen_progress SET completed = e - s >= 0.9 * duration_ms;

ALTER TABLE lesson_progress DROP CONSTRAINT lesson_progress_pkey, DROP CONSTRAINT lesson_progress_learner_id_fkey,
    DROP CONSTRAINT lesson_progress_lesson_id_fkey, DROP CONSTRAINT lesson_progress_course_id_fkey;
DROP INDEX lesson_progress_course_idx;
INSERT INTO lesson_progress (learner_id, lesson_id, course_id, duration_ms, covered, covered_ms, position_ms, position_at,
                             completed_at, completed_on, updated_at)
SELECT l.id, p.lesson_id, p.course_id, p.duration_ms, int4multirange(int4range(p.s, p.e)), p.e - p.s, p.e,
       gd.day::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '20 hours',
       CASE WHEN p.completed THEN gd.day::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '20 hours' END,
       CASE WHEN p.completed THEN gd.day END, now()
FROM gen_progress p JOIN gen_learner l ON l.n = p.n JOIN gen_day gd ON gd.d = p.last_d;
ALTER TABLE lesson_progress ADD CONSTRAINT lesson_progress_pkey PRIMARY KEY (learner_id, lesson_id);
CREATE INDEX lesson_progress_course_idx ON lesson_progress (learner_id, course_id);
ALTER TABLE lesson_progress ADD CONSTRAINT lesson_progress_learner_id_fkey FOREIGN KEY (learner_id) REFERENCES learner (id),
    ADD CONSTRAINT lesson_progress_lesson_id_fkey FOREIGN KEY (lesson_id) REFERENCES lesson (id),
    ADD CONSTRAINT lesson_progress_course_id_fkey FOREIGN KEY (course_id) REFERENCES course (id);

INSERT INTO course_completion (learner_id, course_id, day, completed_at)
SELECT l.id, c.id, gd.day, gd.day::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '20 hours'
FROM (SELECT n, course_n, max(last_d) AS last_d, count(*) AS done FROM gen_progress WHERE completed
      GROUP BY n, course_n) AS p
JOIN gen_course c ON c.n = p.course_n AND c.lessons = p.done
JOIN gen_learner l ON l.n = p.n JOIN gen_day gd ON gd.d = p.last_d;
SELECT format('[seed]   %s lessons viewed, %s completed; %s courses completed',
              (SELECT count(*) FROM gen_progress), (SELECT count(*) FROM gen_progress WHERE completed),
              (SELECT count(*) FROM course_completion)) \gset p_
\echo :p_format

\echo [seed] statistics rollups, derived as the flusher keeps them
CREATE TEMP TABLE gen_nd AS
SELECT DISTINCT r.n, r.d, gd.day FROM gen_row r JOIN gen_day gd ON gd.d = r.d;
ANALYZE gen_nd;
CREATE TEMP TABLE gen_fact AS
SELECT f.d, f.course_n, coalesce(l.region_code, '') AS region, coalesce(l.institution_id, 0) AS inst,
       coalesce(l.profession, '') AS prof, f.w, f.c, f.lc, f.cc, f.dl, f.wl, f.ml,
       -- The learner's record key (as loaded into learner) with each first-seen mark: the cell keys.
       f.dl * floor(pg_temp.u(f.n, 23) * 2147483647)::bigint AS dk,
       f.wl * floor(pg_temp.u(f.n, 23) * 2147483647)::bigint AS wk,
       f.ml * floor(pg_temp.u(f.n, 23) * 2147483647)::bigint AS mk
FROM (SELECT n, d, course_n, sum(watch)::bigint * 1000 AS w, sum(credited)::bigint * 1000 AS c, 0 AS lc, 0 AS cc,
             0 AS dl, 0 AS wl, 0 AS ml
      FROM gen_row GROUP BY n, d, course_n
      UNION ALL
      SELECT n, last_d, course_n, 0, 0, count(*), 0, 0, 0, 0 FROM gen_progress WHERE completed GROUP BY n, last_d, course_n
      UNION ALL
      SELECT n, max(last_d), course_n, 0, 0, 0, 1, 0, 0, 0 FROM gen_progress p WHERE completed GROUP BY n, course_n
      HAVING count(*) = (SELECT lessons FROM gen_course c WHERE c.n = p.course_n)
      UNION ALL
      -- Each learner once per day, and on their first day of each week and month (no course).
      SELECT n, d, NULL, 0, 0, 0, 0, 1,
             (row_number() OVER (PARTITION BY n, date_trunc('week', day) ORDER BY d) = 1)::int,
             (row_number() OVER (PARTITION BY n, date_trunc('month', day) ORDER BY d) = 1)::int
      FROM gen_nd) AS f
JOIN gen_learner l ON l.n = f.n;

INSERT INTO learner_period (kind, start, learner_id, first_day, region_code, profession)
SELECT p.kind, p.start, l.id, p.first_day, left(coalesce(l.region_code, ''), 6), coalesce(l.profession, '')
FROM (SELECT 'd' AS kind, day AS start, n, day AS first_day FROM gen_nd
      UNION ALL
      SELECT 'w', date_trunc('week', day)::date, n, min(day) FROM gen_nd GROUP BY 2, 3
      UNION ALL
      SELECT 'm', date_trunc('month', day)::date, n, min(day) FROM gen_nd GROUP BY 2, 3) AS p
JOIN gen_learner l ON l.n = p.n;

ALTER TABLE stats_daily DROP CONSTRAINT stats_daily_pkey;
DROP INDEX stats_daily_region_idx, stats_daily_course_idx;
INSERT INTO stats_daily (grain, day, course_id, region_code, institution_id, profession, watch_ms, credited_ms,
                         lesson_completions, course_completions, day_learners, week_learners, month_learners,
                         day_learner_keys, week_learner_keys, month_learner_keys)
SELECT g.grain, gd.day, coalesce(c.id, '00000000-0000-0000-0000-000000000000'), g.region, g.inst, g.prof, g.w, g.c, g.lc, g.cc,
       g.dl, g.wl, g.ml, g.dk, g.wk, g.mk
FROM (SELECT 0 AS grain, d, course_n, region, inst, prof, sum(w) AS w, sum(c) AS c, sum(lc) AS lc, sum(cc) AS cc,
             0 AS dl, 0 AS wl, 0 AS ml, 0 AS dk, 0 AS wk, 0 AS mk
      FROM gen_fact WHERE course_n IS NOT NULL GROUP BY d, course_n, region, inst, prof
      UNION ALL
      SELECT 1, d, course_n, left(region, 2), 0, '', sum(w), sum(c), sum(lc), sum(cc), 0, 0, 0, 0, 0, 0 FROM gen_fact
      WHERE course_n IS NOT NULL GROUP BY d, course_n, left(region, 2)
      UNION ALL
      SELECT 2, d, NULL, left(region, 6), 0, prof, sum(w), sum(c), sum(lc), sum(cc), sum(dl), sum(wl), sum(ml),
             sum(dk), sum(wk), sum(mk)
      FROM gen_fact GROUP BY d, left(region, 6), prof) AS g
JOIN gen_day gd ON gd.d = g.d LEFT JOIN gen_course c ON c.n = g.course_n
-- In day order, as the flusher writes them over a year (the rows of a day lie together on disk).
ORDER BY gd.day, g.grain;
-- The same three grains per month (3, 4, 5), as the flusher keeps them.
INSERT INTO stats_daily (grain, day, course_id, region_code, institution_id, profession, watch_ms, credited_ms,
                         lesson_completions, course_completions, month_learners, month_learner_keys)
SELECT grain + 3, date_trunc('month', day)::date, course_id, region_code, institution_id, profession,
       sum(watch_ms), sum(credited_ms), sum(lesson_completions), sum(course_completions), sum(month_learners),
       sum(month_learner_keys)
FROM stats_daily WHERE grain <= 2 GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 2, 1;
ALTER TABLE stats_daily ADD CONSTRAINT stats_daily_pkey PRIMARY KEY (grain, day, course_id, region_code, institution_id, profession);
CREATE INDEX stats_daily_region_idx ON stats_daily (grain, region_code varchar_pattern_ops, day);
CREATE INDEX stats_daily_course_idx ON stats_daily (grain, course_id, day) WHERE grain IN (0, 1, 3, 4);
DROP TABLE gen_fact;
\echo [seed] activity days of every learner, overall and per course

INSERT INTO learner_activity (learner_id, region_code, institution_id, profession, days, record_key)
SELECT l.id, coalesce(l.region_code, ''), coalesce(l.institution_id, 0), coalesce(l.profession, ''), a.days,
       floor(pg_temp.u(l.n, 23) * 2147483647)::integer
FROM (SELECT n, range_agg(int4range(stats_day_number(day), stats_day_number(day) + 1)) AS days
      FROM gen_nd GROUP BY n) AS a
JOIN gen_learner l ON l.n = a.n;
INSERT INTO course_activity (course_id, learner_id, region_code, institution_id, profession, days, record_key)
SELECT c.id, l.id, coalesce(l.region_code, ''), coalesce(l.institution_id, 0), coalesce(l.profession, ''), a.days,
       floor(pg_temp.u(l.n, 23) * 2147483647)::integer
FROM (SELECT n, course_n, range_agg(int4range(stats_day_number(gd.day), stats_day_number(gd.day) + 1)) AS days
      FROM (SELECT DISTINCT n, course_n, d FROM gen_row) AS r JOIN gen_day gd ON gd.d = r.d GROUP BY n, course_n) AS a
JOIN gen_learner l ON l.n = a.n JOIN gen_course c ON c.n = a.course_n;

\echo [seed] vacuum and analyze
VACUUM ANALYZE learner, course, lesson, hours_ledger, lesson_progress, course_completion, stats_daily, learner_period,
    learner_activity, course_activity, course_span, course_span_edge, category_activity;
SELECT format('[seed]   rows: stats_daily %s (grain 0 %s, 1 %s, 2 %s), learner_activity %s, course_activity %s',
              count(*), count(*) FILTER (WHERE grain = 0), count(*) FILTER (WHERE grain = 1),
              count(*) FILTER (WHERE grain = 2), (SELECT count(*) FROM learner_activity),
              (SELECT count(*) FROM course_activity)) FROM stats_daily \gset p_
\echo :p_format
