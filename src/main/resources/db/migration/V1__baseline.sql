-- Baseline: extensions the later features rely on, and the learner table.
-- Trusted extensions: the database owner may create them without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE learner (
    id         uuid        PRIMARY KEY,
    subject    varchar(64) NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE learner IS 'A healthcare worker who learns; subject is the Keycloak user id.';
