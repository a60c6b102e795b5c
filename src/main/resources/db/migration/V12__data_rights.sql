-- Learners' data rights (PIPL): account deletion keeps the learner row as a pseudonym (the hours
-- ledger, progress, completions and the statistics' activity sets stay attached to its random id,
-- with every identifier erased), and retention jobs age out what is no longer needed.

ALTER TABLE learner ADD COLUMN erased_at timestamptz;
COMMENT ON COLUMN learner.erased_at IS 'Set when the person deleted their account: the row is a pseudonym since.';

-- One row per deleted account, keyed by a hash of the Keycloak subject: a token issued before the
-- deletion (valid until it expires) must not bring the learner back, and the Keycloak user is
-- deleted (retried until it is) while keycloak_user_id is set. Aged out by the retention job.
CREATE TABLE account_erasure (
    subject_hash     bytea       PRIMARY KEY,
    keycloak_user_id varchar(64),
    erased_at        timestamptz NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0
);
CREATE INDEX account_erasure_pending_idx ON account_erasure (erased_at) WHERE keycloak_user_id IS NOT NULL;

-- The retention job deletes by age.
CREATE INDEX learning_session_started_idx ON learning_session (started_at);
CREATE INDEX offline_play_created_idx ON offline_play (created_at);
CREATE INDEX credit_clock_day_idx ON credit_clock (day);
