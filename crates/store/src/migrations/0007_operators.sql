-- Operators log in, with roles; approvals above a threshold need a second,
-- different supervisor; a person deciding a request claims it first.

-- Several roles per operator (`agent,supervisor`); the old single `role`
-- column stays (append-only) and is no longer read.
ALTER TABLE operators ADD COLUMN roles TEXT NOT NULL DEFAULT 'agent';
-- Argon2id PHC string of a password or a numeric PIN.
ALTER TABLE operators ADD COLUMN secret_kind TEXT NOT NULL DEFAULT 'password'
    CHECK (secret_kind IN ('password','pin'));
ALTER TABLE operators ADD COLUMN secret_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE operators ADD COLUMN failed_tries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE operators ADD COLUMN locked_until_ms INTEGER;

-- Who entered a desk request (an operator id): never its approver.
ALTER TABLE requests ADD COLUMN entered_by TEXT;
-- Who gave the first approval (`first_approver` from 0001 holds the id).
ALTER TABLE requests ADD COLUMN first_approved_ms INTEGER;

-- At or above `threshold`, approval needs a second operator. `scope`:
-- one request, an agent's approvals in a day, an end user's requests in
-- a day. NULL account/kind/method: any.
CREATE TABLE approval_rules (
    id          INTEGER PRIMARY KEY,
    scope       TEXT NOT NULL CHECK (scope IN ('request','agent_day','end_user_day')),
    account_id  TEXT,
    kind        TEXT CHECK (kind IN ('deposit','withdrawal')),
    method      TEXT,
    currency    TEXT NOT NULL,
    threshold   TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    removed_ms  INTEGER
);

-- One live claim per request: who is deciding it, until when.
CREATE TABLE claims (
    request_id    TEXT PRIMARY KEY REFERENCES requests(id),
    operator_id   TEXT NOT NULL,
    operator_name TEXT NOT NULL,
    since_ms      INTEGER NOT NULL,
    until_ms      INTEGER NOT NULL
);

-- Entries appended with the desk's audit key (an HMAC key in the OS
-- keychain): their hash is an HMAC, so a rewritten log cannot be
-- re-chained without the key. Entries from before stay plain SHA-256.
ALTER TABLE audit_log ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0;
