-- A request that passed its due time is announced to supervisors once:
-- this remembers which were, so a restart does not announce them again.
CREATE TABLE breach_notices (
    request_id TEXT PRIMARY KEY,
    at_ms      INTEGER NOT NULL
) WITHOUT ROWID;
