-- The shares of lenses and workloads made through lensgate: who made each and when, by AWS's
-- share id. AWS lists the shares; it does not know who asked lensgate for them. Filled once
-- from the audit history's successful CreateLensShare and CreateWorkloadShare events.
CREATE TABLE shares (
    share_id      TEXT PRIMARY KEY NOT NULL,
    resource      TEXT NOT NULL,
    shared_with   TEXT NOT NULL,
    shared_by     TEXT NOT NULL,
    shared_at     TEXT NOT NULL,
    operation_id  TEXT NOT NULL
);

CREATE INDEX shares_by_resource ON shares (resource);

INSERT OR IGNORE INTO shares (share_id, resource, shared_with, shared_by, shared_at, operation_id)
SELECT json_extract(done.response, '$.ShareId'), done.target,
       COALESCE((SELECT json_extract(asked.request, '$.shared_with') FROM audit_events AS asked
                 WHERE asked.operation_id = done.operation_id AND asked.phase = 'requested'), ''),
       done.actor, done.occurred_at, done.operation_id
FROM audit_events AS done
WHERE done.action IN ('CreateLensShare', 'CreateWorkloadShare') AND done.phase = 'succeeded'
  AND json_extract(done.response, '$.ShareId') IS NOT NULL
ORDER BY done.seq;
