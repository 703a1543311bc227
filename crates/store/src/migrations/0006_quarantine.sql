-- Items a provider sent that Cashdesk could not read (a CashWeb list entry
-- with a field it cannot parse). Set aside here, shown to the desk, and
-- the rest of the feed goes on; released once the item reads again.
CREATE TABLE quarantine (
    account_id TEXT NOT NULL REFERENCES provider_accounts(id),
    item_key   TEXT NOT NULL,
    error      TEXT NOT NULL,
    raw        TEXT NOT NULL,
    first_ms   INTEGER NOT NULL,
    last_ms    INTEGER NOT NULL,
    times      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (account_id, item_key)
);
