-- The learner's credit clock, as the flusher copies it from Redis: the server wall-clock spans
-- (epoch milliseconds, half-open) that credited time was stamped on, one union per learner and
-- day of the events that stamped them. Every credited millisecond has its own wall-clock
-- millisecond, so for a learner the sum of credited_ms over the ledger equals the total length of
-- these spans, and no span is counted twice. Redis is refilled from here if it loses the clock.
CREATE TABLE credit_clock (
    learner_id uuid           NOT NULL REFERENCES learner (id),
    day        date           NOT NULL,
    spans      int8multirange NOT NULL,
    PRIMARY KEY (learner_id, day)
);

-- What an offline play claimed but was not credited, and why (reasons, comma-separated).
ALTER TABLE offline_play
    ADD COLUMN refused_ms bigint NOT NULL DEFAULT 0 CHECK (refused_ms >= 0),
    ADD COLUMN refused_reasons varchar(200);
