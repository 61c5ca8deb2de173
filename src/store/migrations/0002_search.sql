-- kith search: what `kith find` reads and what `kith grep` searches, kept in sync by triggers
-- so every writer (kith, an import, a hand edit in sqlite3) leaves them right.
-- Only adds tables, views and triggers; existing rows are backfilled at the end.

-- One compact row per contact with every field `find` matches, so loading 100k contacts is a
-- single sequential read. `doc` is the fields separated by char(31), each led by a kind letter:
-- n name, k nickname, o organization, t title, e email, p phone, g tag.
-- Triggers refresh a row by DELETE then INSERT, never INSERT OR REPLACE: the conflict policy of
-- the statement that fired a trigger (an INSERT OR IGNORE into contact_tags) overrides the
-- trigger's own, which would silently keep the stale row.
CREATE TABLE contact_search (
    contact_id      INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
    organization_id INTEGER,
    archived        INTEGER NOT NULL,
    doc             TEXT NOT NULL
);

CREATE VIEW contact_search_source AS
SELECT c.id AS contact_id,
       c.organization_id AS organization_id,
       c.archived_at IS NOT NULL AS archived,
       'n' || c.display_name
         || coalesce(char(31) || 'k' || c.nickname, '')
         || coalesce(char(31) || 'o' || (SELECT o.name FROM organizations o WHERE o.id = c.organization_id), '')
         || coalesce(char(31) || 't' || c.title, '')
         || coalesce((SELECT group_concat(char(31) || CASE d.kind WHEN 'email' THEN 'e' ELSE 'p' END || d.value, '')
                        FROM (SELECT kind, value FROM contact_details
                               WHERE contact_id = c.id AND kind IN ('email', 'phone')
                               ORDER BY kind, position) d), '')
         || coalesce((SELECT group_concat(char(31) || 'g' || t.name, '')
                        FROM (SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                               WHERE ct.contact_id = c.id ORDER BY t.name) t), '')
         AS doc
  FROM contacts c;

CREATE TRIGGER contact_search_after_contact_insert AFTER INSERT ON contacts BEGIN
    DELETE FROM contact_search WHERE contact_id = NEW.id;
    INSERT INTO contact_search SELECT * FROM contact_search_source WHERE contact_id = NEW.id;
END;
CREATE TRIGGER contact_search_after_contact_update
AFTER UPDATE OF display_name, nickname, organization_id, title, archived_at ON contacts BEGIN
    DELETE FROM contact_search WHERE contact_id = NEW.id;
    INSERT INTO contact_search SELECT * FROM contact_search_source WHERE contact_id = NEW.id;
END;
CREATE TRIGGER contact_search_after_contact_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contact_search WHERE contact_id = OLD.id;
END;
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
CREATE TRIGGER contact_search_after_tag_insert AFTER INSERT ON contact_tags BEGIN
    DELETE FROM contact_search WHERE contact_id = NEW.contact_id;
    INSERT INTO contact_search SELECT * FROM contact_search_source WHERE contact_id = NEW.contact_id;
END;
CREATE TRIGGER contact_search_after_tag_delete AFTER DELETE ON contact_tags BEGIN
    DELETE FROM contact_search WHERE contact_id = OLD.contact_id;
    INSERT INTO contact_search SELECT * FROM contact_search_source WHERE contact_id = OLD.contact_id;
END;
CREATE TRIGGER contact_search_after_tag_rename AFTER UPDATE OF name ON tags BEGIN
    DELETE FROM contact_search WHERE contact_id IN (SELECT contact_id FROM contact_tags WHERE tag_id = NEW.id);
    INSERT INTO contact_search SELECT * FROM contact_search_source WHERE contact_id IN (SELECT contact_id FROM contact_tags WHERE tag_id = NEW.id);
END;
CREATE TRIGGER contact_search_after_organization_rename AFTER UPDATE OF name ON organizations BEGIN
    DELETE FROM contact_search WHERE contact_id IN (SELECT id FROM contacts WHERE organization_id = NEW.id);
    INSERT INTO contact_search SELECT * FROM contact_search_source WHERE contact_id IN (SELECT id FROM contacts WHERE organization_id = NEW.id);
END;

INSERT INTO contact_search SELECT * FROM contact_search_source;

-- Full-text search over contact notes and interaction summaries and bodies. External-content
-- tables: the text lives once, in its own table; every row is indexed (NULL as empty) so the
-- delete-with-old-values that FTS5 needs always matches what was indexed.
CREATE VIRTUAL TABLE contact_notes_fts USING fts5(
    notes, content = 'contacts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE interactions_fts USING fts5(
    summary, body, content = 'interactions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER contact_notes_fts_after_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_notes_fts (rowid, notes) VALUES (NEW.id, NEW.notes);
END;
CREATE TRIGGER contact_notes_fts_after_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contact_notes_fts (contact_notes_fts, rowid, notes) VALUES ('delete', OLD.id, OLD.notes);
END;
CREATE TRIGGER contact_notes_fts_after_update AFTER UPDATE OF notes ON contacts BEGIN
    INSERT INTO contact_notes_fts (contact_notes_fts, rowid, notes) VALUES ('delete', OLD.id, OLD.notes);
    INSERT INTO contact_notes_fts (rowid, notes) VALUES (NEW.id, NEW.notes);
END;

CREATE TRIGGER interactions_fts_after_insert AFTER INSERT ON interactions BEGIN
    INSERT INTO interactions_fts (rowid, summary, body) VALUES (NEW.id, NEW.summary, NEW.body);
END;
CREATE TRIGGER interactions_fts_after_delete AFTER DELETE ON interactions BEGIN
    INSERT INTO interactions_fts (interactions_fts, rowid, summary, body)
    VALUES ('delete', OLD.id, OLD.summary, OLD.body);
END;
CREATE TRIGGER interactions_fts_after_update AFTER UPDATE OF summary, body ON interactions BEGIN
    INSERT INTO interactions_fts (interactions_fts, rowid, summary, body)
    VALUES ('delete', OLD.id, OLD.summary, OLD.body);
    INSERT INTO interactions_fts (rowid, summary, body) VALUES (NEW.id, NEW.summary, NEW.body);
END;

INSERT INTO contact_notes_fts (contact_notes_fts) VALUES ('rebuild');
INSERT INTO interactions_fts (interactions_fts) VALUES ('rebuild');
