-- Continuing medical education (CME): accredited projects, course assessments and the credit
-- they grant. A credit is granted once per learner and course, by credit_grant_issue() below,
-- which both writers call inside the transaction that makes a course creditable: the flusher's
-- when it completes a course without an assessment, the assessment's when an attempt passes.

CREATE TABLE cme_project (
    id           uuid         PRIMARY KEY,
    number       varchar(40)  NOT NULL UNIQUE CHECK (length(btrim(number)) > 0),
    name         varchar(200) NOT NULL CHECK (length(btrim(name)) > 0),
    level        varchar(12)  NOT NULL CHECK (level IN ('national', 'provincial')),
    credit_class varchar(2)   NOT NULL CHECK (credit_class IN ('I', 'II')),
    -- The most credits one learner earns from the project, over all its courses.
    credits      numeric(4,1) NOT NULL CHECK (credits > 0 AND credits <= 50),
    issuer       varchar(100) NOT NULL CHECK (length(btrim(issuer)) > 0),
    valid_from   date         NOT NULL,
    valid_to     date         NOT NULL,
    created_at   timestamptz  NOT NULL,
    updated_at   timestamptz  NOT NULL,
    CHECK (valid_to >= valid_from)
);

-- The number a provincial CME office knows the learner by (as the export is configured), entered
-- by the learner; erased with the account.
ALTER TABLE learner ADD COLUMN cme_id varchar(40);

ALTER TABLE course ADD COLUMN cme_project_id uuid REFERENCES cme_project (id);
CREATE INDEX course_cme_project_idx ON course (cme_project_id) WHERE cme_project_id IS NOT NULL;

-- A course's assessment: its settings. The course has one when this row exists.
CREATE TABLE assessment (
    course_id             uuid        PRIMARY KEY REFERENCES course (id),
    questions_per_attempt smallint    NOT NULL CHECK (questions_per_attempt BETWEEN 1 AND 100),
    pass_percent          smallint    NOT NULL CHECK (pass_percent BETWEEN 1 AND 100),
    attempt_limit         smallint    NOT NULL CHECK (attempt_limit BETWEEN 1 AND 20),
    cooldown_minutes      integer     NOT NULL CHECK (cooldown_minutes BETWEEN 0 AND 10080),
    time_limit_seconds    integer     CHECK (time_limit_seconds BETWEEN 60 AND 14400),
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);

-- The question bank. Options keep the ids they were written with ("a", "b", ...); an attempt
-- shows them shuffled. A question some attempt drew is retired, never deleted.
CREATE TABLE assessment_question (
    id          uuid          PRIMARY KEY,
    course_id   uuid          NOT NULL REFERENCES course (id),
    kind        varchar(8)    NOT NULL CHECK (kind IN ('single', 'multiple')),
    stem        varchar(1000) NOT NULL CHECK (length(btrim(stem)) > 0),
    options     jsonb         NOT NULL CHECK (jsonb_typeof(options) = 'array'),
    correct     text[]        NOT NULL CHECK (cardinality(correct) > 0),
    explanation varchar(2000) NOT NULL DEFAULT '',
    drawn       boolean       NOT NULL DEFAULT false,
    retired_at  timestamptz,
    created_at  timestamptz   NOT NULL,
    updated_at  timestamptz   NOT NULL
);
CREATE INDEX assessment_question_course_idx ON assessment_question (course_id, created_at);

-- One attempt: its id is chosen by the client, so a retried start or submission finds it again.
-- The paper is the drawn questions as shown, with their answers: graded against it, so editing
-- the bank never changes an attempt under way. Who the learner was (region, institution,
-- profession) is kept as at the start, for the statistics.
CREATE TABLE assessment_attempt (
    learner_id     uuid        NOT NULL REFERENCES learner (id),
    id             uuid        NOT NULL,
    course_id      uuid        NOT NULL REFERENCES course (id),
    seed           bigint      NOT NULL,
    paper          jsonb       NOT NULL,
    started_at     timestamptz NOT NULL,
    deadline       timestamptz,
    submitted_at   timestamptz,
    answers        jsonb,
    correct_count  smallint,
    score          smallint    CHECK (score BETWEEN 0 AND 100),
    outcome        varchar(8)  CHECK (outcome IN ('passed', 'failed', 'expired')),
    region_code    varchar(12),
    institution_id bigint,
    profession     varchar(32),
    PRIMARY KEY (learner_id, id),
    CHECK ((outcome IS NULL) = (submitted_at IS NULL))
);
CREATE INDEX assessment_attempt_course_idx ON assessment_attempt (learner_id, course_id, started_at);
CREATE INDEX assessment_attempt_started_idx ON assessment_attempt (started_at, course_id);

-- A credit granted: at most one per learner and course, ever; a revocation is kept on the row.
-- Class, level, credits and hours are as granted (a project edited later changes nothing
-- granted). The learner's region, institution and profession are as at the grant.
CREATE TABLE credit_grant (
    id                uuid         PRIMARY KEY,
    learner_id        uuid         NOT NULL REFERENCES learner (id),
    course_id         uuid         NOT NULL REFERENCES course (id),
    project_id        uuid         NOT NULL REFERENCES cme_project (id),
    credit_class      varchar(2)   NOT NULL CHECK (credit_class IN ('I', 'II')),
    level             varchar(12)  NOT NULL CHECK (level IN ('national', 'provincial')),
    credits           numeric(4,1) NOT NULL CHECK (credits > 0),
    hours             numeric(4,1) NOT NULL CHECK (hours >= 0),
    learned_ms        bigint       NOT NULL CHECK (learned_ms >= 0),
    granted_on        date         NOT NULL,
    granted_at        timestamptz  NOT NULL,
    attempt_id        uuid,
    verification_code char(20)     NOT NULL UNIQUE CHECK (verification_code ~ '^[0-9A-F]{20}$'),
    region_code       varchar(12),
    institution_id    bigint,
    profession        varchar(32),
    revoked_at        timestamptz,
    revoked_by        varchar(64),
    revoke_reason     varchar(500),
    UNIQUE (learner_id, course_id),
    CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX credit_grant_learner_idx ON credit_grant (learner_id, granted_on);
CREATE INDEX credit_grant_project_idx ON credit_grant (project_id, granted_on);
CREATE INDEX credit_grant_day_idx ON credit_grant (granted_on, course_id);

-- Grants what the given (learner, course) pairs have earned and not yet been granted; returns
-- the new grants. A pair earns a credit when the course is complete (course_completion), its
-- assessment, if it has one, has a passed attempt, its project is valid on the day (p_today, the caller's date in Asia/Shanghai)
-- and the learner's credits from the project stay within the project's credits. Credits are the
-- course's hours over the hours per credit of the project's level (one decimal, rounded down),
-- capped by what the project has left for the learner; nothing left, no grant.
-- Idempotent and safe under concurrency: the unique (learner, course) makes a second grant a
-- no-op, and a lock per (learner, project), taken in key order before reading what the learner
-- holds, makes two transactions granting two courses of one project see each other's credits.
CREATE FUNCTION credit_grant_issue(p_learners uuid[], p_courses uuid[], p_today date, p_hours_national numeric,
                                   p_hours_provincial numeric)
RETURNS SETOF credit_grant
LANGUAGE plpgsql AS $$
DECLARE
    today date := p_today;
    candidate record;
    held numeric;
    earned numeric;
    granted credit_grant;
BEGIN
    PERFORM pg_advisory_xact_lock(k) FROM (
        SELECT DISTINCT hashtextextended('credit:' || v.learner::text || ':' || c.cme_project_id::text, 0) AS k
        FROM unnest(p_learners, p_courses) AS v(learner, course)
        JOIN course c ON c.id = v.course
        WHERE c.cme_project_id IS NOT NULL
        ORDER BY 1) AS keys;
    FOR candidate IN
        SELECT DISTINCT v.learner, v.course, c.credit_hours, p.id AS project, p.level, p.credit_class,
               p.credits AS project_credits
        FROM unnest(p_learners, p_courses) AS v(learner, course)
        JOIN course c ON c.id = v.course
        JOIN cme_project p ON p.id = c.cme_project_id
        WHERE today BETWEEN p.valid_from AND p.valid_to
          AND EXISTS (SELECT 1 FROM course_completion cc WHERE cc.learner_id = v.learner AND cc.course_id = v.course)
          AND (NOT EXISTS (SELECT 1 FROM assessment a WHERE a.course_id = v.course)
               OR EXISTS (SELECT 1 FROM assessment_attempt t WHERE t.learner_id = v.learner
                          AND t.course_id = v.course AND t.outcome = 'passed'))
          AND NOT EXISTS (SELECT 1 FROM credit_grant g WHERE g.learner_id = v.learner AND g.course_id = v.course)
        ORDER BY v.learner, v.course
    LOOP
        SELECT coalesce(sum(g.credits), 0) INTO held FROM credit_grant g
        WHERE g.learner_id = candidate.learner AND g.project_id = candidate.project AND g.revoked_at IS NULL;
        earned := least(
            floor(candidate.credit_hours * 10 / CASE candidate.level WHEN 'national' THEN p_hours_national
                                                                     ELSE p_hours_provincial END) / 10,
            candidate.project_credits - held);
        CONTINUE WHEN earned <= 0;
        INSERT INTO credit_grant (id, learner_id, course_id, project_id, credit_class, level, credits, hours,
                                  learned_ms, granted_on, granted_at, attempt_id, verification_code,
                                  region_code, institution_id, profession)
        SELECT gen_random_uuid(), candidate.learner, candidate.course, candidate.project, candidate.credit_class,
               candidate.level, earned, candidate.credit_hours,
               (SELECT coalesce(sum(h.credited_ms), 0) FROM hours_ledger h
                WHERE h.learner_id = candidate.learner AND h.course_id = candidate.course),
               today, now(),
               (SELECT t.id FROM assessment_attempt t WHERE t.learner_id = candidate.learner
                AND t.course_id = candidate.course AND t.outcome = 'passed' ORDER BY t.submitted_at LIMIT 1),
               -- 80 random bits (gen_random_uuid draws from a strong source): unguessable.
               upper(substr(md5(gen_random_uuid()::text || gen_random_uuid()::text), 1, 20)),
               l.region_code, l.institution_id, l.profession
        FROM learner l WHERE l.id = candidate.learner
        ON CONFLICT (learner_id, course_id) DO NOTHING
        RETURNING * INTO granted;
        IF granted.id IS NOT NULL THEN
            RETURN NEXT granted;
        END IF;
        granted := NULL;
    END LOOP;
END
$$;
