-- Every time Cashdesk asked a provider about a request (postback lookup,
-- status, reference) and what it answered. A person settling an unknown
-- outcome sees them all; a lookup that found nothing proves nothing unless
-- the provider's document defines it for recovery. Consecutive identical
-- answers fold into one row (times, first and last), so a request asked
-- every few seconds for a month stays a few rows.
CREATE TABLE lookups (
    id         INTEGER PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests(id),
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    first_ms   INTEGER NOT NULL,
    last_ms    INTEGER NOT NULL,
    times      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX lookups_request ON lookups(request_id, id);
