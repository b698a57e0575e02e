-- The audit history: one append-only, hash-chained table of events. `seq` is the chain order;
-- each row stores the SHA-256 of the previous row's hash and its own canonical content.
CREATE TABLE audit_events (
    seq               INTEGER PRIMARY KEY,
    occurred_at       TEXT    NOT NULL,
    actor             TEXT    NOT NULL,
    actor_role        TEXT    NOT NULL,
    action            TEXT    NOT NULL,
    target            TEXT    NOT NULL,
    phase             TEXT    NOT NULL CHECK (phase IN ('requested', 'succeeded', 'failed', 'recorded')),
    -- Joins a `requested` event to its outcome.
    operation_id      TEXT    NOT NULL,
    idempotency_token TEXT,
    request           TEXT    NOT NULL,
    response          TEXT,
    error_code        TEXT,
    error_message     TEXT,
    aws_request_id    TEXT,
    attempts          INTEGER,
    duration_ms       INTEGER,
    prev_hash         TEXT    NOT NULL,
    hash              TEXT    NOT NULL UNIQUE
);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

-- The audit browser's filters, each ending in seq for keyset pagination.
CREATE INDEX audit_by_time    ON audit_events (occurred_at, seq);
CREATE INDEX audit_by_actor   ON audit_events (actor, seq);
CREATE INDEX audit_by_action  ON audit_events (action, seq);
CREATE INDEX audit_by_target  ON audit_events (target, seq);
CREATE INDEX audit_by_phase   ON audit_events (phase, seq);
CREATE INDEX audit_by_operation ON audit_events (operation_id, seq);

-- Full-text search over what was asked and answered.
CREATE VIRTUAL TABLE audit_search USING fts5(
    action, target, request, response, error_message,
    content = 'audit_events', content_rowid = 'seq'
);

CREATE TRIGGER audit_events_index AFTER INSERT ON audit_events
BEGIN
    INSERT INTO audit_search (rowid, action, target, request, response, error_message)
    VALUES (new.seq, new.action, new.target, new.request, new.response, new.error_message);
END;
