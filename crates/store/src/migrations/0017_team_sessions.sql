-- A team desk's desktops log in to a server and then send a bearer token.
-- Only the token's SHA-256 is kept (a copy of this table lets nobody in);
-- any server on the database accepts it until it expires or an admin
-- revokes it, so a desktop keeps its session when it moves to another
-- server of the desk.
CREATE TABLE team_sessions (
    token_hash  TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL REFERENCES operators(id),
    device      TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    expires_ms  INTEGER NOT NULL,
    seen_ms     INTEGER NOT NULL,
    revoked_ms  INTEGER
);
CREATE INDEX team_sessions_operator ON team_sessions(operator_id);
