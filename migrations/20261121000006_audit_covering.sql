-- Filters combine: each filter index also carries the other filter columns, so a combined
-- filter (actor + action + outcome) walks one index newest first and reads a row only when it
-- matches. Measured at one million events: 10.5 ms p50 before, through the actor's index
-- reading every row of that actor.
DROP INDEX audit_by_actor;
DROP INDEX audit_by_action;
DROP INDEX audit_by_phase;
CREATE INDEX audit_by_actor  ON audit_events (actor, seq, action, phase, target);
CREATE INDEX audit_by_action ON audit_events (action, seq, actor, phase, target);
CREATE INDEX audit_by_phase  ON audit_events (phase, seq, actor, action, target);
