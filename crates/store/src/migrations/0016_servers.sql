-- A team desk may run several servers on one database. Each registers at
-- start and beats while it runs, and marks the outbox rows it is sending
-- as its own: another server takes over (in doubt, a lookup first) only
-- the rows of a server that stopped beating, never those of one still
-- sending them. A desk alone registers too; its folder lock already
-- makes it the only one.
CREATE TABLE desk_servers (
    id         TEXT PRIMARY KEY,
    host       TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    beat_ms    INTEGER NOT NULL
);

ALTER TABLE outbox ADD COLUMN owner TEXT;
