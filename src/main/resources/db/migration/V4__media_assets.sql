-- Media assets: one uploaded video, its probe results and its processing job (state kept here so
-- that an interrupted job survives a restart of the API).
CREATE TABLE media_asset (
    id               uuid         PRIMARY KEY,
    status           varchar(20)  NOT NULL CHECK (status IN ('awaiting-upload', 'queued', 'processing',
                         'ready', 'failed', 'rejected')),
    file_name        varchar(255) NOT NULL,
    content_type     varchar(100) NOT NULL,
    declared_size    bigint       NOT NULL CHECK (declared_size > 0),
    original_key     varchar(300) NOT NULL,
    upload_id        varchar(300),
    duration_ms      integer      CHECK (duration_ms > 0),
    width            integer,
    height           integer,
    video_codec      varchar(40),
    audio_codec      varchar(40),
    download_size    bigint,
    progress         smallint     NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    attempts         smallint     NOT NULL DEFAULT 0,
    lease_owner      varchar(100),
    lease_until      timestamptz,
    failure_reason   varchar(500),
    created_by       varchar(64)  NOT NULL,
    created_at       timestamptz  NOT NULL,
    updated_at       timestamptz  NOT NULL
);
-- The processing worker's queue: queued jobs, and running ones whose lease ran out.
CREATE INDEX media_asset_work_idx ON media_asset (status, lease_until) WHERE status IN ('queued', 'processing');
