-- Sign-in throttling shared by every replica (see the SQLite migration of the same name). Times
-- are milliseconds since 1970 (UTC).

CREATE TABLE sign_in_throttle (
    key          TEXT   PRIMARY KEY,
    window_start BIGINT NOT NULL,
    failures     BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    lockouts     BIGINT NOT NULL DEFAULT 0
);
