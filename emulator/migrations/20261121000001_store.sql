-- Resources of both services, one JSON document each. Handlers own the document shapes;
-- the table gives them transactions, ordering and persistence.
CREATE TABLE documents (
    kind  TEXT    NOT NULL,
    id    TEXT    NOT NULL,
    owner TEXT    NOT NULL,
    body  TEXT    NOT NULL,
    seq   INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX documents_by_kind ON documents (kind, seq);

-- The first response to each client token, replayed for a retry with the same parameters.
CREATE TABLE idempotency (
    account     TEXT    NOT NULL,
    operation   TEXT    NOT NULL,
    token       TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    response    TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (account, operation, token)
);

-- Settings the emulator creates once, such as the key that signs pagination tokens.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
