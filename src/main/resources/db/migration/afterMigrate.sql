-- Flyway callback, run by the migration role after every migrate: the API's runtime role (its
-- name from placeholder appRole, HONGTONG_DB_APP_ROLE) may read and write every table and use
-- every sequence, now and for tables later migrations create, and nothing else: no DDL, no
-- TRUNCATE, no CREATE in the schema. A deployment without that role (the local stack's tests
-- create it, see bin/stack) is left as it is.
DO $grants$
DECLARE
    app text := '${appRole}';
BEGIN
    -- Replicas that migrate at start (dev, bench) run this callback at the same moment, and
    -- concurrent GRANTs fail with "tuple concurrently updated": one at a time (released at the
    -- end of this statement's transaction).
    PERFORM pg_advisory_xact_lock(4242001);
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app) THEN
        EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
        EXECUTE format('REVOKE CREATE ON SCHEMA public FROM %I', app);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', app);
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', app);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', app);
    END IF;
END
$grants$;
