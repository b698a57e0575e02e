-- Comments a reviewer leaves on one question or choice of the draft under review. The place is
-- the lens's own ids ("pillar/question" or "pillar/question/choice"); its title is kept as it
-- read when the comment was made, since a later import may rename or remove it. The review's
-- author resolves a comment once the draft answers it.

CREATE TABLE review_comments (
    id           INTEGER PRIMARY KEY,
    review_id    INTEGER NOT NULL REFERENCES reviews (id),
    place        TEXT    NOT NULL,
    place_title  TEXT    NOT NULL,
    author       TEXT    NOT NULL,
    body         TEXT    NOT NULL CHECK (length(body) > 0),
    created_at   TEXT    NOT NULL,
    resolved_by  TEXT,
    resolved_at  TEXT,
    CHECK ((resolved_by IS NULL) = (resolved_at IS NULL))
);
CREATE INDEX review_comments_by_review ON review_comments (review_id, id);
