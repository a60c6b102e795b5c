-- Learners' WeChat identity and profile, institutions, and the app's renewal handles.

CREATE TABLE institution (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        varchar(100) NOT NULL,
    kind        varchar(32)  NOT NULL CHECK (kind IN ('township-health-center', 'village-clinic',
                    'community-health-center', 'county-hospital', 'other')),
    region_code varchar(12)  NOT NULL REFERENCES region (code),
    UNIQUE (region_code, name)
);
-- Institutions of a region and everything below it: prefix search on the code.
CREATE INDEX institution_region_prefix_idx ON institution (region_code varchar_pattern_ops, id);

ALTER TABLE learner
    ADD COLUMN unionid        varchar(64) UNIQUE,
    ADD COLUMN mini_openid    varchar(64),
    ADD COLUMN app_openid     varchar(64),
    ADD COLUMN display_name   varchar(30),
    ADD COLUMN avatar_url     varchar(512),
    ADD COLUMN profession     varchar(32) CHECK (profession IN ('village-doctor', 'general-practitioner', 'nurse',
                                  'public-health-worker', 'pharmacist', 'social-worker', 'other')),
    ADD COLUMN institution_id bigint REFERENCES institution (id),
    ADD COLUMN region_code    varchar(12) REFERENCES region (code),
    ADD COLUMN updated_at     timestamptz NOT NULL DEFAULT now();

COMMENT ON COLUMN learner.unionid IS 'WeChat unionid: one person across the mini-program and the app.';

-- Opaque, rotating renewal handles of the app. Only a hash is stored; a family is one login's
-- chain of rotations, revoked together on logout or when a used handle is presented again.
CREATE TABLE renewal_handle (
    id          uuid        PRIMARY KEY,
    family_id   uuid        NOT NULL,
    learner_id  uuid        NOT NULL REFERENCES learner (id),
    token_hash  bytea       NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX renewal_handle_family_idx ON renewal_handle (family_id);
CREATE INDEX renewal_handle_expiry_idx ON renewal_handle (expires_at);
