-- Signed checkpoints of the audit chain: "at signed_at the chain ended at event seq, whose hash
-- is hash", signed with the Ed25519 key named by `key` (hex). The same lines go to the
-- append-only checkpoint file; this copy travels with the database and its backups.
CREATE TABLE audit_checkpoints (
    id         INTEGER PRIMARY KEY,
    seq        INTEGER NOT NULL,
    hash       TEXT    NOT NULL,
    signed_at  TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    signature  TEXT    NOT NULL
);

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit checkpoints are append-only');
END;

CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit checkpoints are append-only');
END;
