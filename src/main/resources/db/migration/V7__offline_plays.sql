-- Plays recorded offline with a download grant, synced later. Keyed by the client's own id, so a
-- resent play gets the same answer; rejected plays are kept with their reason.
CREATE TABLE offline_play (
    learner_id  uuid        NOT NULL REFERENCES learner (id),
    play_id     uuid        NOT NULL,
    lesson_id   uuid        NOT NULL,
    session_id  uuid,
    started_at  timestamptz NOT NULL,
    ended_at    timestamptz NOT NULL,
    status      varchar(10) NOT NULL CHECK (status IN ('accepted', 'rejected')),
    reason      varchar(40),
    credited_ms bigint      NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (learner_id, play_id)
);
-- "Does this span overlap another play of the learner?"
CREATE INDEX offline_play_span_idx ON offline_play USING gist (learner_id, tstzrange(started_at, ended_at))
    WHERE status = 'accepted';
-- A session is active from its start to its last heartbeat (server time of the events, not of
-- the flush, which may be later or, with clock skew, earlier).
ALTER TABLE learning_session ADD COLUMN last_heartbeat_at timestamptz;
CREATE INDEX learning_session_span_idx ON learning_session USING gist (learner_id,
    tstzrange(started_at, greatest(started_at, coalesce(ended_at, last_heartbeat_at, started_at)), '[]'));
