-- The resource a document belongs to (a share's lens or workload), so a resource's shares are
-- an index lookup instead of a scan of every share.
ALTER TABLE documents ADD COLUMN parent TEXT;
CREATE INDEX documents_by_parent ON documents (kind, parent, seq);
UPDATE documents SET parent = json_extract(body, '$.resource')
WHERE kind IN ('lens-share', 'workload-share');
