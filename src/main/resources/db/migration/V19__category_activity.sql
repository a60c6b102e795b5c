-- Active learners of a category without a distinct step over its courses' rows (issue 16): a
-- learner who learned three courses of a category has three course_activity rows, so counting a
-- category's learners was count(DISTINCT) over them (a category's year on bench/seed: 59,245 rows
-- for 30,717 learners, 75-90 ms of the query alone). category_activity holds one row per learner,
-- category and profile: the days they learned any of the category's courses, so a category's
-- learners are counted like learner_activity's (rows as they are, shared rows de-duplicated).
--
-- It is derived from course_activity and the courses' categories, never written by the
-- application: triggers recompute the rows of every (category, learner) a statement touches,
-- from that learner's course rows in that category. A recomputation reads a learner's few rows of
-- one category; the union of days cannot be undone by subtraction, recomputing can.

CREATE TABLE category_activity (
    category_code  varchar(40)    NOT NULL,
    learner_id     uuid           NOT NULL,
    region_code    varchar(12)    NOT NULL,
    institution_id bigint         NOT NULL,
    profession     varchar(32)    NOT NULL,
    days           int4multirange NOT NULL,
    record_key     integer        NOT NULL,
    -- A learner with rows of more than one profile in the category (as course_activity.shared).
    shared         boolean        NOT NULL,
    PRIMARY KEY (category_code, learner_id, region_code, institution_id, profession)
);
CREATE INDEX category_activity_region_idx ON category_activity (category_code, region_code varchar_pattern_ops);
CREATE INDEX category_activity_shared_idx ON category_activity (category_code) WHERE shared;

-- The rows of the given (category, learner) pairs, recomputed from course_activity. Pairs are
-- taken in key order; callers hold the learners' row locks (the flusher takes them before it
-- writes course_activity), so two writers never recompute one learner at once.
CREATE FUNCTION category_activity_recompute(categories varchar[], learners uuid[]) RETURNS void
    LANGUAGE sql AS $fn$
    DELETE FROM category_activity t
    USING (SELECT DISTINCT * FROM unnest(categories, learners) AS p(category_code, learner_id)) AS p
    WHERE t.category_code = p.category_code AND t.learner_id = p.learner_id;
    INSERT INTO category_activity (category_code, learner_id, region_code, institution_id, profession, days,
                                   record_key, shared)
    SELECT c.category_code, a.learner_id, a.region_code, a.institution_id, a.profession, range_agg(a.days),
           min(a.record_key), count(*) OVER (PARTITION BY c.category_code, a.learner_id) > 1
    FROM course_activity a
    JOIN course c ON c.id = a.course_id
    JOIN (SELECT DISTINCT * FROM unnest(categories, learners) AS p(category_code, learner_id)) AS p
        ON p.category_code = c.category_code AND p.learner_id = a.learner_id
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5;
$fn$;

CREATE FUNCTION category_activity_of_course_activity() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    pairs record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(c.category_code) AS categories, array_agg(r.learner_id) AS learners INTO pairs
        FROM (SELECT DISTINCT course_id, learner_id FROM new_rows) AS r JOIN course c ON c.id = r.course_id;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT array_agg(c.category_code) AS categories, array_agg(r.learner_id) AS learners INTO pairs
        FROM (SELECT course_id, learner_id FROM new_rows UNION SELECT course_id, learner_id FROM old_rows) AS r
        JOIN course c ON c.id = r.course_id;
    ELSE
        SELECT array_agg(c.category_code) AS categories, array_agg(r.learner_id) AS learners INTO pairs
        FROM (SELECT DISTINCT course_id, learner_id FROM old_rows) AS r JOIN course c ON c.id = r.course_id;
    END IF;
    IF pairs.learners IS NOT NULL THEN
        PERFORM category_activity_recompute(pairs.categories, pairs.learners);
    END IF;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER category_activity_insert AFTER INSERT ON course_activity
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION category_activity_of_course_activity();
CREATE TRIGGER category_activity_update AFTER UPDATE ON course_activity
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION category_activity_of_course_activity();
CREATE TRIGGER category_activity_delete AFTER DELETE ON course_activity
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION category_activity_of_course_activity();

-- A course moved to another category: its learners' rows in both categories. Their learner rows
-- are locked first, in id order, as the flusher locks them, so neither waits on the other in a cycle.
CREATE FUNCTION category_activity_of_course() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    learners uuid[];
BEGIN
    SELECT array_agg(DISTINCT learner_id) INTO learners FROM course_activity WHERE course_id = NEW.id;
    IF learners IS NOT NULL THEN
        PERFORM 1 FROM learner WHERE id = ANY (learners) ORDER BY id FOR NO KEY UPDATE;
        PERFORM category_activity_recompute(array_fill(OLD.category_code, ARRAY[cardinality(learners)]) ||
                                            array_fill(NEW.category_code, ARRAY[cardinality(learners)]),
                                            learners || learners);
    END IF;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER category_activity_course AFTER UPDATE OF category_code ON course
    FOR EACH ROW WHEN (OLD.category_code IS DISTINCT FROM NEW.category_code)
    EXECUTE FUNCTION category_activity_of_course();

-- What course_activity holds already.
INSERT INTO category_activity (category_code, learner_id, region_code, institution_id, profession, days, record_key,
                               shared)
SELECT c.category_code, a.learner_id, a.region_code, a.institution_id, a.profession, range_agg(a.days),
       min(a.record_key), count(*) OVER (PARTITION BY c.category_code, a.learner_id) > 1
FROM course_activity a JOIN course c ON c.id = a.course_id
GROUP BY 1, 2, 3, 4, 5;
ANALYZE category_activity;
