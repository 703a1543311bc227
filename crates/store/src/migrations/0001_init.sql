-- Cashdesk schema v1, designed for the whole product (PRODUCT.md), not one slice.
-- Append-only: never edit a released migration; add 0002_… instead.
-- Times are UTC milliseconds since the epoch; amounts are exact decimal text.

CREATE TABLE operators (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL DEFAULT 'agent' CHECK (role IN ('agent','supervisor','admin')),
    created_ms  INTEGER NOT NULL,
    disabled_ms INTEGER
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Secrets never live here: `secret_names` lists which keychain entries exist.
CREATE TABLE provider_accounts (
    id           TEXT PRIMARY KEY,
    provider     TEXT NOT NULL,
    name         TEXT NOT NULL,
    base_url     TEXT NOT NULL,
    secret_names TEXT NOT NULL DEFAULT '[]',
    config_json  TEXT NOT NULL DEFAULT '{}',
    sandbox      INTEGER NOT NULL DEFAULT 0,
    created_ms   INTEGER NOT NULL,
    removed_ms   INTEGER
);

CREATE TABLE requests (
    seq                INTEGER PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    kind               TEXT NOT NULL CHECK (kind IN ('deposit','withdrawal')),
    provider           TEXT NOT NULL,
    account_id         TEXT NOT NULL REFERENCES provider_accounts(id),
    method             TEXT NOT NULL,
    amount             TEXT NOT NULL,
    currency           TEXT NOT NULL,
    end_user_ref       TEXT NOT NULL,
    end_user_name      TEXT,
    provider_user_id   TEXT,
    trx_id             TEXT,
    sender             TEXT,
    destination        TEXT,
    agent_number       TEXT,
    details_json       TEXT NOT NULL DEFAULT '{}',
    merchant_ref       TEXT NOT NULL UNIQUE,
    provider_txn_id    TEXT,
    provider_status    TEXT,
    provider_reason    TEXT,
    status             TEXT NOT NULL,
    -- derived from status; one value per queue tab, so each tab is one index range
    view               TEXT NOT NULL CHECK (view IN ('queue','in_flight','attention','done')),
    status_reason      TEXT,
    source             TEXT NOT NULL,
    intake_ref         TEXT,
    first_approver     TEXT,
    created_ms         INTEGER NOT NULL,
    updated_ms         INTEGER NOT NULL,
    expires_ms         INTEGER,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX requests_intake ON requests(source, intake_ref) WHERE intake_ref IS NOT NULL;
CREATE INDEX requests_view ON requests(view, created_ms, seq);
CREATE INDEX requests_view_filter ON requests(view, provider, kind, created_ms, seq);
CREATE INDEX requests_status_filter ON requests(status, provider, kind, created_ms, seq);
CREATE INDEX requests_provider_txn ON requests(account_id, provider_txn_id) WHERE provider_txn_id IS NOT NULL;
CREATE INDEX requests_trx ON requests(trx_id) WHERE trx_id IS NOT NULL;

-- Every transition with who, when and why.
CREATE TABLE request_events (
    seq         INTEGER PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES requests(id),
    at_ms       INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    reason      TEXT
);
CREATE INDEX request_events_request ON request_events(request_id, seq);

-- One row per provider effect, written in the same transaction as the decision.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    request_id      TEXT NOT NULL REFERENCES requests(id),
    account_id      TEXT NOT NULL REFERENCES provider_accounts(id),
    effect          TEXT NOT NULL,
    merchant_ref    TEXT NOT NULL,
    payload_json    TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending','sending','unknown','done','failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    last_error      TEXT,
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL,
    UNIQUE (request_id, effect)
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_ms, id);

CREATE TABLE drafts (
    id          TEXT PRIMARY KEY,
    operator    TEXT,
    fields_json TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
);

CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    owner_kind  TEXT NOT NULL CHECK (owner_kind IN ('draft','request')),
    owner_id    TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    mime        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    bytes       BLOB NOT NULL,
    created_ms  INTEGER NOT NULL
);
CREATE INDEX attachments_owner ON attachments(owner_kind, owner_id);

-- Webhooks/postbacks/notifications, deduplicated per account.
CREATE TABLE inbound_events (
    id          INTEGER PRIMARY KEY,
    account_id  TEXT NOT NULL,
    dedup_key   TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    payload     BLOB NOT NULL,
    outcome     TEXT,
    UNIQUE (account_id, dedup_key)
);
CREATE INDEX inbound_events_received ON inbound_events(received_ms);

CREATE TABLE sync_cursors (
    account_id  TEXT NOT NULL,
    stream      TEXT NOT NULL,
    cursor      TEXT NOT NULL,
    updated_ms  INTEGER NOT NULL,
    PRIMARY KEY (account_id, stream)
);

-- Append-only and hash-chained: each entry's hash covers the previous hash.
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at_ms        INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    details_json TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
