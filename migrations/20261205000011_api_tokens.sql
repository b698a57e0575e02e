-- Personal API tokens. Only the SHA-256 of a token is kept: the token itself is shown once,
-- when it is created. `role` is the most the token may do; its user's current role caps it too.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    token_hash   TEXT    NOT NULL UNIQUE,
    -- The token's first characters, so people can tell their tokens apart.
    prefix       TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role IN ('viewer', 'author', 'reviewer', 'admin')),
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT,
    revoked_by   TEXT
);

CREATE INDEX api_tokens_by_user ON api_tokens (user_id, id);
