-- kith search, faster: the folded haystacks `find` and name resolution scan, packed 256
-- contacts to a row (contact ids id >> 8), so a query over 100k contacts reads ~400 blobs
-- instead of decoding 100k rows, and folds nothing.
-- Folding (case, diacritics via deunicode) happens in Rust, so triggers only mark a chunk
-- stale whenever one of its contact_search rows is rewritten; kith refolds stale chunks at
-- the end of every write transaction, and a reader folds a chunk still stale (say, after a
-- hand edit in sqlite3) on the fly. The blob layout is in src/store/haystacks.rs.
-- Only adds a table and triggers; kith fills the chunks right after this migration.
CREATE TABLE search_chunks (
    chunk INTEGER PRIMARY KEY,
    stale INTEGER NOT NULL,
    data  BLOB
);

-- One statement per trigger: these fire for every contact_search rewrite (several per imported
-- contact), and each statement costs. An upsert's DO UPDATE holds whatever conflict policy the
-- statement that fired the trigger has (an INSERT OR IGNORE into contact_tags): the chunk is
-- always marked (checked by the store's tests).
CREATE TRIGGER search_chunks_after_search_insert AFTER INSERT ON contact_search BEGIN
    INSERT INTO search_chunks (chunk, stale) VALUES (NEW.contact_id >> 8, 1)
        ON CONFLICT (chunk) DO UPDATE SET stale = 1 WHERE stale = 0;
END;
CREATE TRIGGER search_chunks_after_search_update AFTER UPDATE ON contact_search BEGIN
    UPDATE search_chunks SET stale = 1 WHERE chunk = OLD.contact_id >> 8 AND stale = 0;
    INSERT INTO search_chunks (chunk, stale) VALUES (NEW.contact_id >> 8, 1)
        ON CONFLICT (chunk) DO UPDATE SET stale = 1 WHERE stale = 0;
END;
CREATE TRIGGER search_chunks_after_search_delete AFTER DELETE ON contact_search BEGIN
    UPDATE search_chunks SET stale = 1 WHERE chunk = OLD.contact_id >> 8 AND stale = 0;
END;

INSERT INTO search_chunks (chunk, stale) SELECT DISTINCT contact_id >> 8, 1 FROM contact_search;
