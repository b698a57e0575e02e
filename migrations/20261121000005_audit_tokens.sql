-- A resubmitted form derives the same idempotency token; finding its earlier operation by
-- token is what keeps a double submission from becoming a second change.
CREATE INDEX audit_by_token ON audit_events (idempotency_token) WHERE idempotency_token IS NOT NULL;
