-- The grant versions created through lensgate: who made each one and in which audited
-- operation. AWS keeps the versions themselves (GetGrant with Version); this is what it does
-- not know. Filled once from the audit history's successful CreateGrantVersion events.
CREATE TABLE grant_versions (
    grant_arn     TEXT NOT NULL,
    version       TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    operation_id  TEXT NOT NULL,
    PRIMARY KEY (grant_arn, version)
);

INSERT OR IGNORE INTO grant_versions (grant_arn, version, created_by, created_at, operation_id)
SELECT target, json_extract(response, '$.Version'), actor, occurred_at, operation_id
FROM audit_events
WHERE action = 'CreateGrantVersion' AND phase = 'succeeded'
  AND json_extract(response, '$.Version') IS NOT NULL
ORDER BY seq;
