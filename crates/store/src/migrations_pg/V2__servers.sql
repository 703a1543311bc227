-- Mirrors SQLite migration 0016: servers that register and beat, and the
-- server sending each outbox row.
CREATE TABLE desk_servers (
    id         TEXT PRIMARY KEY,
    host       TEXT NOT NULL,
    started_ms BIGINT NOT NULL,
    beat_ms    BIGINT NOT NULL
);

ALTER TABLE outbox ADD COLUMN owner TEXT;
