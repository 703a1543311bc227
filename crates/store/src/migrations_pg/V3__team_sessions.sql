-- Mirrors SQLite migration 0017: desktops' session tokens (hashes only).
CREATE TABLE team_sessions (
    token_hash  TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL REFERENCES operators(id),
    device      TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    expires_ms  BIGINT NOT NULL,
    seen_ms     BIGINT NOT NULL,
    revoked_ms  BIGINT
);
CREATE INDEX team_sessions_operator ON team_sessions(operator_id);
