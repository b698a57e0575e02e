-- Events webhooks announce, written in the transaction of the audit event they come from, so
-- a change and its announcement commit together; the webhook worker fans each one out to the
-- endpoints subscribed at that moment, then marks it.
CREATE TABLE audit_outbox (
    seq        INTEGER PRIMARY KEY REFERENCES audit_events (seq),
    kind       TEXT    NOT NULL,
    payload    TEXT    NOT NULL,
    fanned_out INTEGER NOT NULL DEFAULT 0 CHECK (fanned_out IN (0, 1))
);

CREATE INDEX audit_outbox_waiting ON audit_outbox (seq) WHERE fanned_out = 0;

-- Webhook endpoints administrators configure. The secret signs every delivery (HMAC-SHA256),
-- so it is kept as it was given.
CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY,
    url        TEXT    NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
    secret     TEXT    NOT NULL,
    -- The kinds it receives, comma-separated.
    events     TEXT    NOT NULL,
    format     TEXT    NOT NULL CHECK (format IN ('json', 'slack')),
    created_by TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    removed_at TEXT
);

-- One delivery per endpoint and event, retried with backoff until it succeeds or a day passed.
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    webhook_id      INTEGER NOT NULL REFERENCES webhooks (id),
    seq             INTEGER NOT NULL,
    kind            TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    delivered_at    TEXT,
    abandoned_at    TEXT,
    last_status     INTEGER,
    last_error      TEXT,
    last_response   TEXT,
    UNIQUE (webhook_id, seq)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
    WHERE delivered_at IS NULL AND abandoned_at IS NULL;
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id);
