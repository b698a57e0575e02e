-- Drafts, reviews and published versions: what AWS does not keep. Every lens JSON imported through
-- lensgate is a revision; a review approves one revision; a version records what was published,
-- from which revision, approved by whom.

CREATE TABLE lens_revisions (
    id            INTEGER PRIMARY KEY,
    lens_arn      TEXT    NOT NULL,
    json          TEXT    NOT NULL,
    imported_by   TEXT    NOT NULL,
    imported_at   TEXT    NOT NULL,
    -- The audit operation of the ImportLens call.
    operation_id  TEXT    NOT NULL
);
CREATE INDEX lens_revisions_by_lens ON lens_revisions (lens_arn, id);

CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY,
    lens_arn      TEXT    NOT NULL,
    revision_id   INTEGER NOT NULL REFERENCES lens_revisions (id),
    author        TEXT    NOT NULL,
    note          TEXT    NOT NULL,
    state         TEXT    NOT NULL
                  CHECK (state IN ('open', 'approved', 'changes_requested', 'superseded', 'published')),
    created_at    TEXT    NOT NULL,
    -- Why the review closed without a publication (superseded by which revision).
    closed_reason TEXT
);
CREATE INDEX reviews_by_lens ON reviews (lens_arn, id);
CREATE INDEX reviews_by_state ON reviews (state, id);

CREATE TABLE review_decisions (
    id          INTEGER PRIMARY KEY,
    review_id   INTEGER NOT NULL REFERENCES reviews (id),
    reviewer    TEXT    NOT NULL,
    decision    TEXT    NOT NULL CHECK (decision IN ('approve', 'request_changes')),
    comment     TEXT    NOT NULL,
    decided_at  TEXT    NOT NULL
);
CREATE INDEX review_decisions_by_review ON review_decisions (review_id, id);

CREATE TABLE lens_versions (
    id            INTEGER PRIMARY KEY,
    lens_arn      TEXT    NOT NULL,
    version_name  TEXT    NOT NULL,
    is_major      INTEGER NOT NULL,
    revision_id   INTEGER NOT NULL REFERENCES lens_revisions (id),
    review_id     INTEGER NOT NULL REFERENCES reviews (id),
    json          TEXT    NOT NULL,
    author        TEXT    NOT NULL,
    -- Usernames, comma-separated, in the order they approved.
    approvers     TEXT    NOT NULL,
    publisher     TEXT    NOT NULL,
    published_at  TEXT    NOT NULL,
    -- The audit operation of the CreateLensVersion call.
    operation_id  TEXT    NOT NULL,
    UNIQUE (lens_arn, version_name)
);
