-- Learning sessions and the hours they earn. The flusher writes every table here from the Redis
-- event stream; events carry cumulative values, so applying one twice, late or out of order
-- changes nothing (values only grow: GREATEST), and increments are derived as new - stored
-- under a row lock.

CREATE TABLE learning_session (
    id            uuid        PRIMARY KEY,
    learner_id    uuid        NOT NULL REFERENCES learner (id),
    lesson_id     uuid        NOT NULL REFERENCES lesson (id),
    course_id     uuid        NOT NULL REFERENCES course (id),
    device_id     varchar(64) NOT NULL,
    client        varchar(20) NOT NULL CHECK (client IN ('mini-program', 'app', 'offline')),
    started_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    last_seq      integer     NOT NULL DEFAULT 0,
    position_ms   integer     NOT NULL DEFAULT 0,
    watch_ms      bigint      NOT NULL DEFAULT 0 CHECK (watch_ms >= 0),
    credited_ms   bigint      NOT NULL DEFAULT 0 CHECK (credited_ms >= 0),
    updated_at    timestamptz NOT NULL
);
CREATE INDEX learning_session_learner_idx ON learning_session (learner_id, started_at DESC);

-- A session's cumulative totals within one day (Asia/Shanghai): the unit of exactly-once.
CREATE TABLE session_day (
    session_id  uuid   NOT NULL REFERENCES learning_session (id),
    day         date   NOT NULL,
    watch_ms    bigint NOT NULL DEFAULT 0,
    credited_ms bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, day)
);

-- What of a lesson a learner has watched (milliseconds, half-open ranges), and where they stopped.
CREATE TABLE lesson_progress (
    learner_id   uuid           NOT NULL REFERENCES learner (id),
    lesson_id    uuid           NOT NULL REFERENCES lesson (id),
    course_id    uuid           NOT NULL REFERENCES course (id),
    duration_ms  integer        NOT NULL CHECK (duration_ms > 0),
    covered      int4multirange NOT NULL DEFAULT '{}',
    covered_ms   integer        NOT NULL DEFAULT 0,
    position_ms  integer        NOT NULL DEFAULT 0,
    position_at  timestamptz,
    completed_at timestamptz,
    updated_at   timestamptz    NOT NULL,
    PRIMARY KEY (learner_id, lesson_id)
);
CREATE INDEX lesson_progress_course_idx ON lesson_progress (learner_id, course_id);

-- The hours ledger: per learner, lesson and day (Asia/Shanghai).
CREATE TABLE hours_ledger (
    learner_id  uuid   NOT NULL REFERENCES learner (id),
    lesson_id   uuid   NOT NULL REFERENCES lesson (id),
    course_id   uuid   NOT NULL REFERENCES course (id),
    day         date   NOT NULL,
    watch_ms    bigint NOT NULL DEFAULT 0 CHECK (watch_ms >= 0),
    credited_ms bigint NOT NULL DEFAULT 0 CHECK (credited_ms >= 0),
    PRIMARY KEY (learner_id, lesson_id, day)
);
CREATE INDEX hours_ledger_day_idx ON hours_ledger (learner_id, day);

-- Rollups for the statistics: per day, course and the learner's region, institution and
-- profession at the time.
CREATE TABLE daily_rollup (
    day               date        NOT NULL,
    course_id         uuid        NOT NULL REFERENCES course (id),
    region_code       varchar(12) NOT NULL DEFAULT '',
    institution_id    bigint      NOT NULL DEFAULT 0,
    profession        varchar(32) NOT NULL DEFAULT '',
    watch_ms          bigint      NOT NULL DEFAULT 0,
    credited_ms       bigint      NOT NULL DEFAULT 0,
    lesson_completions integer    NOT NULL DEFAULT 0,
    PRIMARY KEY (day, course_id, region_code, institution_id, profession)
);

-- Who learned what on which day: distinct-learner counts over any period come from here.
CREATE TABLE daily_learner (
    day        date NOT NULL,
    course_id  uuid NOT NULL REFERENCES course (id),
    learner_id uuid NOT NULL REFERENCES learner (id),
    PRIMARY KEY (day, course_id, learner_id)
);
