-- The supervisor's overview, people pages and shift close.

-- One row per decision a person made, written in the transaction that
-- makes it: the overview's throughput, decide times and rejections, and
-- an agent's page, read these by time range instead of scanning history.
-- `waited_ms`: from the request reaching this person's queue (created, or
-- first approved for a second approval) to the decision; `handled_ms`:
-- from their claim (opening it) to the decision, when they held one.
CREATE TABLE decisions (
    seq           INTEGER PRIMARY KEY,
    request_id    TEXT NOT NULL REFERENCES requests(id),
    operator_id   TEXT NOT NULL,
    operator_name TEXT NOT NULL,
    action        TEXT NOT NULL CHECK (action IN
        ('approve','first_approval','second_approval','send_again','reject','settle')),
    to_status     TEXT NOT NULL,
    provider      TEXT NOT NULL,
    account_id    TEXT NOT NULL,
    kind          TEXT NOT NULL,
    method        TEXT NOT NULL,
    amount        TEXT NOT NULL,
    currency      TEXT NOT NULL,
    reason        TEXT,
    waited_ms     INTEGER NOT NULL,
    handled_ms    INTEGER,
    decided_ms    INTEGER NOT NULL
);
-- The overview's counts and percentiles read only this index (covering).
CREATE INDEX decisions_time ON decisions(decided_ms, operator_id, provider, handled_ms);
CREATE INDEX decisions_operator ON decisions(operator_id, decided_ms);
CREATE INDEX decisions_rejects ON decisions(decided_ms, operator_id, reason) WHERE action = 'reject';

-- Decisions made before this table existed, from the request history.
INSERT INTO decisions (request_id, operator_id, operator_name, action, to_status, provider,
    account_id, kind, method, amount, currency, reason, waited_ms, handled_ms, decided_ms)
SELECT e.request_id, substr(e.actor, 10, 36), substr(e.actor, 47),
    CASE
        WHEN e.to_status = 'awaiting_second_approval' THEN 'first_approval'
        WHEN e.to_status = 'approved' AND e.from_status = 'awaiting_second_approval' THEN 'second_approval'
        WHEN e.to_status = 'approved' AND e.from_status = 'failed' THEN 'send_again'
        WHEN e.to_status = 'approved' THEN 'approve'
        WHEN e.to_status = 'rejected' THEN 'reject'
        ELSE 'settle'
    END,
    e.to_status, r.provider, r.account_id, r.kind, r.method, r.amount, r.currency, e.reason,
    max(0, e.at_ms - r.created_ms), NULL, e.at_ms
FROM request_events e JOIN requests r ON r.id = e.request_id
WHERE e.actor LIKE 'operator:%' AND substr(e.actor, 46, 1) = ':' AND substr(e.actor, 18, 1) = '-'
  AND (e.to_status IN ('approved','awaiting_second_approval','rejected')
       OR e.from_status IN ('outcome_unknown','amount_differs'))
ORDER BY e.seq;

-- When a request reached its final state (completed, rejected, expired):
-- a shift's completed deposits and withdrawals are a range on it.
ALTER TABLE requests ADD COLUMN final_ms INTEGER;
UPDATE requests SET final_ms = (SELECT max(at_ms) FROM request_events e WHERE e.request_id = requests.id)
WHERE status IN ('completed','rejected','rejected_by_provider','expired');
CREATE INDEX requests_final ON requests(final_ms) WHERE final_ms IS NOT NULL;

-- Queue depth now per provider, kind and method, and how many have
-- waited past the SLA: partial indexes on the pending requests only.
CREATE INDEX requests_pending_depth ON requests(provider, kind, method, created_ms)
    WHERE status = 'pending';
CREATE INDEX requests_pending_age ON requests(created_ms) WHERE status = 'pending';

-- Queue depth over time: pending requests per provider, kind and method,
-- sampled every few minutes (one row per bucket; a second desk server
-- sampling the same bucket writes nothing new).
CREATE TABLE depth_samples (
    at_ms    INTEGER NOT NULL,
    provider TEXT NOT NULL,
    kind     TEXT NOT NULL,
    method   TEXT NOT NULL,
    pending  INTEGER NOT NULL,
    PRIMARY KEY (at_ms, provider, kind, method)
);

-- Shifts: one open at a time; closing one (signed by a supervisor) opens
-- the next with the closing balances as its opening ones.
CREATE TABLE shifts (
    id          INTEGER PRIMARY KEY,
    opened_ms   INTEGER NOT NULL,
    opened_by   TEXT NOT NULL,
    closed_ms   INTEGER,
    closed_by   TEXT,
    -- The signed report: every line's figures, variances and reasons.
    report_json TEXT
);

-- Balances per account, wallet ('' when the provider reports one per
-- account) and currency, at a shift's opening or close. `source`: asked
-- of the provider, typed by a person, or carried from the last close.
CREATE TABLE shift_balances (
    shift_id   INTEGER NOT NULL REFERENCES shifts(id),
    phase      TEXT NOT NULL CHECK (phase IN ('open','close')),
    account_id TEXT NOT NULL,
    wallet     TEXT NOT NULL DEFAULT '',
    currency   TEXT NOT NULL,
    amount     TEXT NOT NULL,
    source     TEXT NOT NULL CHECK (source IN ('provider','hand','carried')),
    PRIMARY KEY (shift_id, phase, account_id, wallet, currency)
);
