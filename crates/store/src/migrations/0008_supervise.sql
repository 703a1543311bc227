-- The supervisor's audit trail filters by action, subject and operator
-- (actor), newest first.
CREATE INDEX audit_log_action ON audit_log(action, seq);
CREATE INDEX audit_log_subject ON audit_log(subject, seq);
CREATE INDEX audit_log_actor ON audit_log(actor, seq);
