-- The agent's queue at a million requests: find any identifier as it is
-- typed, filter by amount, sort by amount or time left.

-- Amount as an integer of 10^-8 units, derived from the exact decimal text
-- with string operations (no float): the amount filter and sort read an
-- index on it. Virtual, so every writer keeps it right without knowing it.
ALTER TABLE requests ADD COLUMN amount_key INTEGER GENERATED ALWAYS AS (
    CASE WHEN instr(amount, '.') = 0
        THEN CAST(amount AS INTEGER) * 100000000
        ELSE CAST(substr(amount, 1, instr(amount, '.') - 1) AS INTEGER) * 100000000
           + CAST(substr(substr(amount, instr(amount, '.') + 1) || '00000000', 1, 8) AS INTEGER)
    END) VIRTUAL;
CREATE INDEX requests_view_amount ON requests(view, amount_key, seq);

-- Each request's identifiers (end user, TrxID/UTR/hash, sender, destination,
-- our reference, the provider's ids, every text value of its details),
-- one per line, in a trigram index: any 3+ characters of any of them find
-- it. Contentless (the text is in `requests`), with deletes, so an update
-- replaces the row's entry. Decisions rewrite `provider_txn_id` with its own
-- value: the trigger runs only when a searched value really changed.
CREATE VIRTUAL TABLE request_search USING fts5(
    terms, tokenize = 'trigram', content = '', contentless_delete = 1);

CREATE VIEW request_terms AS
SELECT seq, concat_ws(char(10), id, end_user_ref, end_user_name, provider_user_id, trx_id,
        sender, destination, agent_number, merchant_ref, provider_txn_id, intake_ref,
        (SELECT group_concat(value, char(10)) FROM json_each(details_json)
          WHERE type = 'text')) AS terms
FROM requests;

INSERT INTO request_search(rowid, terms) SELECT seq, terms FROM request_terms;

CREATE TRIGGER requests_search_insert AFTER INSERT ON requests BEGIN
    INSERT INTO request_search(rowid, terms)
    SELECT seq, terms FROM request_terms WHERE seq = new.seq;
END;

CREATE TRIGGER requests_search_update AFTER UPDATE OF end_user_ref, end_user_name,
    provider_user_id, trx_id, sender, destination, agent_number, provider_txn_id,
    details_json ON requests
WHEN old.end_user_ref IS NOT new.end_user_ref OR old.end_user_name IS NOT new.end_user_name
    OR old.provider_user_id IS NOT new.provider_user_id OR old.trx_id IS NOT new.trx_id
    OR old.sender IS NOT new.sender OR old.destination IS NOT new.destination
    OR old.agent_number IS NOT new.agent_number OR old.provider_txn_id IS NOT new.provider_txn_id
    OR old.details_json IS NOT new.details_json
BEGIN
    DELETE FROM request_search WHERE rowid = old.seq;
    INSERT INTO request_search(rowid, terms)
    SELECT seq, terms FROM request_terms WHERE seq = new.seq;
END;

-- An end user's requests: the daily total a maker–checker rule counts,
-- and their recent history in the detail, without a scan.
CREATE INDEX requests_end_user ON requests(end_user_ref, created_ms);
