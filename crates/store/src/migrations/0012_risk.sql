-- Risk signals read by index, never by scanning history: the same
-- screenshot bytes (sha256), a re-encoded or resized copy of it (a 64-bit
-- perceptual hash, computed by the core at intake and at attach), and the
-- end user's recent requests (requests_end_user, migration 10).
ALTER TABLE attachments ADD COLUMN phash INTEGER;
CREATE INDEX attachments_sha256 ON attachments(sha256);

-- The perceptual hash cut into four 16-bit bands: two hashes within three
-- bits of each other share at least one band exactly (pigeonhole), so a
-- near copy is found by four index probes. Kept by triggers.
CREATE TABLE screenshot_bands (
    band          INTEGER NOT NULL,
    value         INTEGER NOT NULL,
    attachment_id TEXT NOT NULL,
    PRIMARY KEY (band, value, attachment_id)
) WITHOUT ROWID;
CREATE INDEX screenshot_bands_attachment ON screenshot_bands(attachment_id);

CREATE TRIGGER attachments_bands_insert AFTER INSERT ON attachments
WHEN new.phash IS NOT NULL BEGIN
    INSERT INTO screenshot_bands (band, value, attachment_id) VALUES
        (0, new.phash & 65535, new.id),
        (1, (new.phash >> 16) & 65535, new.id),
        (2, (new.phash >> 32) & 65535, new.id),
        (3, (new.phash >> 48) & 65535, new.id);
END;

CREATE TRIGGER attachments_bands_delete AFTER DELETE ON attachments BEGIN
    DELETE FROM screenshot_bands WHERE attachment_id = old.id;
END;

-- Who decided the request a signal names: its latest decision, by index.
CREATE INDEX decisions_request ON decisions(request_id, seq);
