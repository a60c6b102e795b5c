-- The audit trail of staff actions: who (Keycloak subject and username) did what to which object,
-- when. Written in the transaction of the change itself, so a row exists exactly when the change
-- was committed. Never updated or deleted by the API.
CREATE TABLE audit_event (
    id              bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz  NOT NULL,
    actor_subject   varchar(64)  NOT NULL,
    actor_username  varchar(255),
    action          varchar(64)  NOT NULL,
    target_type     varchar(32)  NOT NULL,
    target_id       varchar(64)  NOT NULL,
    detail          jsonb        NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_event_target_idx ON audit_event (target_type, target_id, id DESC);
CREATE INDEX audit_event_actor_idx ON audit_event (actor_subject, id DESC);
