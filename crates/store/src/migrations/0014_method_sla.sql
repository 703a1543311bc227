-- An SLA per payment method an admin sets (bKash agents answer in
-- minutes, a bank transfer takes longer); the desk's SLA for the rest.
-- The due-time triggers of migration 11 are replaced by ones that look
-- the method up first; a method's SLA set, changed or removed re-dates
-- that method's waiting requests, the desk's SLA the others'.
CREATE TABLE method_sla (
    method  TEXT PRIMARY KEY,
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440)
) WITHOUT ROWID;

DROP TRIGGER requests_due_insert;
DROP TRIGGER requests_due_deadline;
DROP TRIGGER settings_sla_insert;
DROP TRIGGER settings_sla_update;
DROP TRIGGER settings_sla_delete;

CREATE TRIGGER requests_due_insert AFTER INSERT ON requests BEGIN
    UPDATE requests SET due_ms = COALESCE(new.expires_ms, new.created_ms + COALESCE(
        (SELECT minutes * 60000 FROM method_sla WHERE method = new.method),
        (SELECT ms FROM desk_sla_ms)))
    WHERE seq = new.seq;
END;

CREATE TRIGGER requests_due_deadline AFTER UPDATE OF expires_ms ON requests
WHEN old.expires_ms IS NOT new.expires_ms BEGIN
    UPDATE requests SET due_ms = COALESCE(new.expires_ms, new.created_ms + COALESCE(
        (SELECT minutes * 60000 FROM method_sla WHERE method = new.method),
        (SELECT ms FROM desk_sla_ms)))
    WHERE seq = new.seq;
END;

CREATE TRIGGER settings_sla_insert AFTER INSERT ON settings WHEN new.key = 'desk.sla_minutes' BEGIN
    UPDATE requests SET due_ms = created_ms + (SELECT ms FROM desk_sla_ms)
    WHERE view = 'queue' AND expires_ms IS NULL
      AND method NOT IN (SELECT method FROM method_sla);
END;

CREATE TRIGGER settings_sla_update AFTER UPDATE ON settings WHEN new.key = 'desk.sla_minutes' BEGIN
    UPDATE requests SET due_ms = created_ms + (SELECT ms FROM desk_sla_ms)
    WHERE view = 'queue' AND expires_ms IS NULL
      AND method NOT IN (SELECT method FROM method_sla);
END;

CREATE TRIGGER settings_sla_delete AFTER DELETE ON settings WHEN old.key = 'desk.sla_minutes' BEGIN
    UPDATE requests SET due_ms = created_ms + (SELECT ms FROM desk_sla_ms)
    WHERE view = 'queue' AND expires_ms IS NULL
      AND method NOT IN (SELECT method FROM method_sla);
END;

CREATE TRIGGER method_sla_insert AFTER INSERT ON method_sla BEGIN
    UPDATE requests SET due_ms = created_ms + new.minutes * 60000
    WHERE view = 'queue' AND expires_ms IS NULL AND method = new.method;
END;

CREATE TRIGGER method_sla_update AFTER UPDATE ON method_sla BEGIN
    UPDATE requests SET due_ms = created_ms + new.minutes * 60000
    WHERE view = 'queue' AND expires_ms IS NULL AND method = new.method;
END;

CREATE TRIGGER method_sla_delete AFTER DELETE ON method_sla BEGIN
    UPDATE requests SET due_ms = created_ms + (SELECT ms FROM desk_sla_ms)
    WHERE view = 'queue' AND expires_ms IS NULL AND method = old.method;
END;

-- No index on (view, method): re-dating reads the queue's range once, when
-- an admin changes a method's SLA, while an index would be rewritten by
-- every decision that moves a request between tabs (the approve path).
