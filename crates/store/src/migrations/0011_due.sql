-- When each waiting request is due: the provider's deadline where it sets
-- one (CashWeb's expires_at), else arrival plus the desk's SLA. Stored and
-- indexed so "time left" pages like any other order at a million rows
-- (sorting on the fly read the whole view). Triggers keep it right, so no
-- writer needs to know: a new request, a changed deadline, and the SLA an
-- admin changes (which re-dates the requests still waiting; a request
-- that left the queue keeps the due time it had).
ALTER TABLE requests ADD COLUMN due_ms INTEGER;

CREATE VIEW desk_sla_ms AS
SELECT COALESCE((SELECT CAST(value AS INTEGER) FROM settings
                 WHERE key = 'desk.sla_minutes' AND CAST(value AS INTEGER) > 0), 15) * 60000 AS ms;

UPDATE requests SET due_ms = COALESCE(expires_ms, created_ms + (SELECT ms FROM desk_sla_ms));
CREATE INDEX requests_view_due ON requests(view, due_ms, seq);

CREATE TRIGGER requests_due_insert AFTER INSERT ON requests BEGIN
    UPDATE requests SET due_ms = COALESCE(new.expires_ms, new.created_ms + (SELECT ms FROM desk_sla_ms))
    WHERE seq = new.seq;
END;

CREATE TRIGGER requests_due_deadline AFTER UPDATE OF expires_ms ON requests
WHEN old.expires_ms IS NOT new.expires_ms BEGIN
    UPDATE requests SET due_ms = COALESCE(new.expires_ms, new.created_ms + (SELECT ms FROM desk_sla_ms))
    WHERE seq = new.seq;
END;

CREATE TRIGGER settings_sla_insert AFTER INSERT ON settings WHEN new.key = 'desk.sla_minutes' BEGIN
    UPDATE requests SET due_ms = created_ms + (SELECT ms FROM desk_sla_ms)
    WHERE view = 'queue' AND expires_ms IS NULL;
END;

CREATE TRIGGER settings_sla_update AFTER UPDATE ON settings WHEN new.key = 'desk.sla_minutes' BEGIN
    UPDATE requests SET due_ms = created_ms + (SELECT ms FROM desk_sla_ms)
    WHERE view = 'queue' AND expires_ms IS NULL;
END;

CREATE TRIGGER settings_sla_delete AFTER DELETE ON settings WHEN old.key = 'desk.sla_minutes' BEGIN
    UPDATE requests SET due_ms = created_ms + (SELECT ms FROM desk_sla_ms)
    WHERE view = 'queue' AND expires_ms IS NULL;
END;

-- The operator filter ("requests I entered, claimed, approved first or
-- decided") looks each of these up by index instead of probing every
-- row of the view.
CREATE INDEX requests_entered_by ON requests(entered_by) WHERE entered_by IS NOT NULL;
CREATE INDEX requests_first_approver ON requests(first_approver) WHERE first_approver IS NOT NULL;
CREATE INDEX claims_operator ON claims(operator_id);
