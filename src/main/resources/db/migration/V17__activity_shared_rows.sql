-- Distinct learners without a distinct step where none is needed (issue 16). A learner has one
-- activity row (per course, in course_activity) unless their profile changed; only those rows
-- need de-duplicating. "shared" marks every row of a learner (or learner and course) that has
-- more than one; the flusher keeps it, under a lock on the learner rows, in the transaction that
-- adds a row. Counting is then count(*) over unmarked rows plus count(DISTINCT) over marked ones.
ALTER TABLE learner_activity ADD COLUMN shared boolean NOT NULL DEFAULT false;
UPDATE learner_activity a SET shared = true
WHERE a.learner_id IN (SELECT learner_id FROM learner_activity GROUP BY learner_id HAVING count(*) > 1);
ALTER TABLE course_activity ADD COLUMN shared boolean NOT NULL DEFAULT false;
UPDATE course_activity a SET shared = true
FROM (SELECT course_id, learner_id FROM course_activity GROUP BY 1, 2 HAVING count(*) > 1) m
WHERE a.course_id = m.course_id AND a.learner_id = m.learner_id;
