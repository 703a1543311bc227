-- Provider events that settled nothing (no request matched, or several
-- could): shown to a supervisor as candidates for a request whose outcome
-- is unknown, until one of them is used to settle it.
ALTER TABLE inbound_events ADD COLUMN unmatched INTEGER NOT NULL DEFAULT 0;
CREATE INDEX inbound_events_unmatched ON inbound_events(account_id, received_ms) WHERE unmatched = 1;
