-- What the queue's filters offer: every currency and payment method that
-- any stored request has, kept by a trigger at intake so the lists are
-- complete at a million requests without reading them (the window used
-- to offer only what its loaded rows showed).
CREATE TABLE filter_choices (
    what  TEXT NOT NULL,   -- 'currency' | 'method'
    value TEXT NOT NULL,
    PRIMARY KEY (what, value)
) WITHOUT ROWID;

INSERT OR IGNORE INTO filter_choices (what, value)
    SELECT DISTINCT 'currency', currency FROM requests;
INSERT OR IGNORE INTO filter_choices (what, value)
    SELECT DISTINCT 'method', method FROM requests;

CREATE TRIGGER requests_filter_choices AFTER INSERT ON requests BEGIN
    INSERT OR IGNORE INTO filter_choices (what, value) VALUES ('currency', new.currency);
    INSERT OR IGNORE INTO filter_choices (what, value) VALUES ('method', new.method);
END;
