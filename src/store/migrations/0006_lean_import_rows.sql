-- Fewer, cheaper rows per contact, for imports of 100k contacts in a few seconds.
--
-- 1. contact_details is keyed by (contact, kind, position), the order everything reads it in,
--    so a contact's details are stored together and no separate index by contact is kept.
--    Only emails and phones are looked up by their comparison key, so only they are indexed
--    by it. Its CHECK on `kind` is spelled as comparisons: an IN list of five constants makes
--    SQLite build a temporary index on every row inserted.
-- 2. contact_extras (the vCard properties kith does not model) becomes one row per contact
--    holding a JSON array of the unfolded content lines in file order, instead of one row,
--    and one index entry, per property.
--
-- Both tables are rebuilt. Legacy renaming leaves the view and triggers that name
-- contact_details alone: they refer to it by name, and it exists again once renamed.
PRAGMA legacy_alter_table = ON;

CREATE TABLE contact_details_v6 (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind = 'email' OR kind = 'phone' OR kind = 'address'
                                    OR kind = 'url' OR kind = 'social'),
    label      TEXT,
    value      TEXT NOT NULL,
    match_key  TEXT NOT NULL,           -- lowercase email, digits of a phone
    position   INTEGER NOT NULL,
    PRIMARY KEY (contact_id, kind, position)
) WITHOUT ROWID;
-- Positions are renumbered in their order, in case a hand edit left two the same.
INSERT INTO contact_details_v6 (contact_id, kind, label, value, match_key, position)
SELECT contact_id, kind, label, value, match_key,
       row_number() OVER (PARTITION BY contact_id, kind ORDER BY position, id) - 1
  FROM contact_details;
DROP TABLE contact_details;
ALTER TABLE contact_details_v6 RENAME TO contact_details;
CREATE INDEX contact_details_by_key ON contact_details(kind, match_key)
    WHERE kind = 'email' OR kind = 'phone';

-- The triggers on contact_details went with the old table; these are those of 0002, unchanged.
CREATE TRIGGER contact_search_after_detail_insert AFTER INSERT ON contact_details
WHEN NEW.kind IN ('email', 'phone') BEGIN
    DELETE FROM contact_search WHERE contact_id = NEW.contact_id;
    INSERT INTO contact_search SELECT * FROM contact_search_source WHERE contact_id = NEW.contact_id;
END;
CREATE TRIGGER contact_search_after_detail_update AFTER UPDATE ON contact_details BEGIN
    DELETE FROM contact_search WHERE contact_id IN (OLD.contact_id, NEW.contact_id);
    INSERT INTO contact_search SELECT * FROM contact_search_source WHERE contact_id IN (OLD.contact_id, NEW.contact_id);
END;
CREATE TRIGGER contact_search_after_detail_delete AFTER DELETE ON contact_details
WHEN OLD.kind IN ('email', 'phone') BEGIN
    DELETE FROM contact_search WHERE contact_id = OLD.contact_id;
    INSERT INTO contact_search SELECT * FROM contact_search_source WHERE contact_id = OLD.contact_id;
END;

CREATE TABLE contact_extras_v6 (
    contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
    properties TEXT NOT NULL            -- JSON array of unfolded vCard 3.0/4.0 content lines
);
INSERT INTO contact_extras_v6 (contact_id, properties)
SELECT contact_id, json_group_array(property ORDER BY position)
  FROM contact_extras GROUP BY contact_id;
DROP TABLE contact_extras;
ALTER TABLE contact_extras_v6 RENAME TO contact_extras;

PRAGMA legacy_alter_table = OFF;
