-- Sign-in throttling kept in the database rather than in one process's memory: a restart does
-- not lift a lockout, and every server on the same data counts the same failures. One row per
-- key: "user:<lowercased name>" or "ip:<address>". Times are milliseconds since 1970 (UTC).

CREATE TABLE sign_in_throttle (
    key          TEXT    PRIMARY KEY,
    -- Failures counted since `window_start`; a failure a minute later starts a new window.
    window_start INTEGER NOT NULL,
    failures     INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0,
    -- Lockouts so far: each lasts twice as long as the one before.
    lockouts     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
