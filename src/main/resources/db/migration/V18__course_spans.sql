-- Distinct learners per course over a long period without testing every (learner, course) row
-- (issue 16: the courses of a year tested 590,534 rows of bench/seed, p95 249 ms).
--
-- A row's span is its first and last day f and l, both days it learned on. For a period
-- [from, to] whose first and last months M0 < M1 differ (M0 ends on e0, M1 starts on s1), every
-- row with a day in the period is exactly one of:
--   a. f or l in a whole month strictly between M0 and M1 (course_span, per course, province and
--      the months of f and l), whatever the days between;
--   b. l in [from, e0];
--   c. f in [s1, to];
--   d1. f in [from, e0] and l in M1 or later;
--   d2. l in [s1, to] and f before M0
--      (b to d2 from course_span_edge, per day of f or l and month of the other);
--   d3. f in M0 before from and l in [s1, to]: read, all counted;
--   d4. f before from and l after to: read, counted when a day falls in the period.
-- Any other row has l before from or f after to, or both f and l outside the period on the same
-- side. d3 and d4 read few rows for a period that starts at its month's start or ends near today.
-- Rows marked shared (a learner whose profile changed) are left out here: they are de-duplicated
-- at query time as before. See statistics/StatsQueries.
--
-- Triggers keep both counter tables in the statement that changes course_activity, whoever
-- writes it (the flusher, erasure, the seeders), so they are exactly as current as the rows.

CREATE FUNCTION stats_month_number(day_number integer) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ((extract(year FROM DATE '2000-01-01' + day_number) - 2000) * 12
            + extract(month FROM DATE '2000-01-01' + day_number) - 1)::integer;

-- Rows (not shared) per course, province (first two digits of the region) and the months of
-- their first and last day: learners counts the rows, keys sums their record keys.
CREATE TABLE course_span (
    course_id   uuid       NOT NULL,
    province    varchar(2) NOT NULL,
    first_month integer    NOT NULL,
    last_month  integer    NOT NULL,
    learners    bigint     NOT NULL,
    keys        bigint     NOT NULL,
    PRIMARY KEY (course_id, province, first_month, last_month)
);

-- The same rows per day number of their first day (edge 'f', other_month the month of their last
-- day) and of their last day (edge 'l', other_month the month of their first day): each row counts
-- once under each edge.
CREATE TABLE course_span_edge (
    edge        char(1)    NOT NULL CHECK (edge IN ('f', 'l')),
    day         integer    NOT NULL,
    other_month integer    NOT NULL,
    course_id   uuid       NOT NULL,
    province    varchar(2) NOT NULL,
    learners    bigint     NOT NULL,
    keys        bigint     NOT NULL,
    PRIMARY KEY (edge, day, other_month, course_id, province)
);

-- Cases d3 and d4: rows by their first and their last day. Not partial: the planner keeps
-- statistics of an index's expressions only for indexes over every row, and without them it
-- guessed a third of the table for each end and read 33,922 rows to find none.
CREATE INDEX course_activity_first_day_idx ON course_activity (lower(days));
CREATE INDEX course_activity_last_day_idx ON course_activity (upper(days));

-- The shared rows, read on their own for the distinct step (here and in learner_activity): an
-- index instead of a scan of every row to find the few.
CREATE INDEX course_activity_shared_idx ON course_activity (course_id) WHERE shared;
CREATE INDEX learner_activity_shared_idx ON learner_activity (learner_id) WHERE shared;

-- Adds the rows a statement wrote (+1) and takes away those it replaced or deleted (-1). Counters
-- are taken in key order (as every rollup statement does), so concurrent flushers wait for each
-- other on a counter but never deadlock on these tables.
CREATE FUNCTION course_span_count() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM new_rows'
        WHEN 'UPDATE' THEN 'SELECT *, 1 AS sign FROM new_rows UNION ALL SELECT *, -1 FROM old_rows'
        ELSE 'SELECT *, -1 AS sign FROM old_rows' END;
BEGIN
    -- Most of the flusher's upserts change no row (a day already held): nothing to count.
    IF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
            RETURN NULL;
        END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM new_rows) THEN
        RETURN NULL;
    END IF;
    EXECUTE format($sql$
        WITH c AS MATERIALIZED (
            SELECT course_id, left(region_code, 2) AS province, lower(days) AS f, upper(days) - 1 AS l, sign,
                   sign * record_key::bigint AS k
            FROM (%s) AS r WHERE NOT shared AND NOT isempty(days)),
        months AS (
            INSERT INTO course_span AS s (course_id, province, first_month, last_month, learners, keys)
            SELECT course_id, province, stats_month_number(f), stats_month_number(l), sum(sign), sum(k)
            FROM c GROUP BY 1, 2, 3, 4 HAVING sum(sign) <> 0 OR sum(k) <> 0 ORDER BY 1, 2, 3, 4
            ON CONFLICT (course_id, province, first_month, last_month) DO UPDATE
                SET learners = s.learners + EXCLUDED.learners, keys = s.keys + EXCLUDED.keys)
        INSERT INTO course_span_edge AS s (edge, day, other_month, course_id, province, learners, keys)
        SELECT edge, day, other_month, course_id, province, sum(sign), sum(k)
        FROM (SELECT 'f' AS edge, f AS day, stats_month_number(l) AS other_month, course_id, province, sign, k FROM c
              UNION ALL SELECT 'l', l, stats_month_number(f), course_id, province, sign, k FROM c) AS e
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(sign) <> 0 OR sum(k) <> 0 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (edge, day, other_month, course_id, province) DO UPDATE
            SET learners = s.learners + EXCLUDED.learners, keys = s.keys + EXCLUDED.keys
        $sql$, changed);
    RETURN NULL;
END
$fn$;

CREATE TRIGGER course_span_insert AFTER INSERT ON course_activity
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION course_span_count();
CREATE TRIGGER course_span_update AFTER UPDATE ON course_activity
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION course_span_count();
CREATE TRIGGER course_span_delete AFTER DELETE ON course_activity
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION course_span_count();

-- What course_activity holds already.
INSERT INTO course_span (course_id, province, first_month, last_month, learners, keys)
SELECT course_id, left(region_code, 2), stats_month_number(lower(days)), stats_month_number(upper(days) - 1), count(*),
       sum(record_key)
FROM course_activity WHERE NOT shared AND NOT isempty(days) GROUP BY 1, 2, 3, 4;
INSERT INTO course_span_edge (edge, day, other_month, course_id, province, learners, keys)
SELECT 'f', lower(days), stats_month_number(upper(days) - 1), course_id, left(region_code, 2), count(*), sum(record_key)
FROM course_activity WHERE NOT shared AND NOT isempty(days) GROUP BY 2, 3, 4, 5
UNION ALL
SELECT 'l', upper(days) - 1, stats_month_number(lower(days)), course_id, left(region_code, 2), count(*), sum(record_key)
FROM course_activity WHERE NOT shared AND NOT isempty(days) GROUP BY 2, 3, 4, 5;

-- The expressions' statistics now, not at the next automatic analyze.
ANALYZE course_activity;
