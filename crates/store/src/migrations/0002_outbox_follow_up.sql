-- A follow-up row carries a provider call that comes after the request's
-- decision is final (CashWeb: cancel a rejected deposit). The worker sends
-- it like any row, but it never moves the request's lifecycle.
ALTER TABLE outbox ADD COLUMN follow_up INTEGER NOT NULL DEFAULT 0;
