-- kith schema version 14: what a capture run changed of records an earlier run captured (an
-- event's newer SEQUENCE updates it, a cancellation removes it), kept as they were before the
-- change, so `kith capture --undo BATCH` puts them back as they were.

CREATE TABLE capture_revisions (
    batch_id    INTEGER NOT NULL REFERENCES capture_batches(id) ON DELETE CASCADE, -- the run that changed it
    kind        TEXT NOT NULL CHECK (kind = 'mail' OR kind = 'event'),
    key         TEXT NOT NULL,
    captured_by INTEGER NOT NULL REFERENCES capture_batches(id), -- the run that captured it
    change      TEXT NOT NULL CHECK (change = 'updated' OR change = 'removed'),
    previous    TEXT NOT NULL,  -- JSON: the interaction, its participants and its record as they were
    PRIMARY KEY (batch_id, kind, key)
) WITHOUT ROWID;
CREATE INDEX capture_revisions_by_record ON capture_revisions(kind, key);
CREATE INDEX capture_revisions_by_captured_by ON capture_revisions(captured_by);

-- The full-text indexes' pages (their FTS5 shadow tables) as they were before the latest
-- capture run that wrote, with a digest of the text they index. Taking that run back puts
-- them back when the text is the same again, so the book is as it was byte for byte, not
-- only row for row; only the latest run's copy is kept.
CREATE TABLE capture_index_pages (
    batch_id INTEGER NOT NULL REFERENCES capture_batches(id) ON DELETE CASCADE,
    shadow   TEXT NOT NULL,      -- the shadow table: interactions_fts_data, ..._idx, ...
    c0, c1, c2                   -- its row, column by column
);
CREATE INDEX capture_index_pages_by_batch ON capture_index_pages(batch_id, shadow);
CREATE TABLE capture_index_digests (
    batch_id INTEGER NOT NULL REFERENCES capture_batches(id) ON DELETE CASCADE,
    fts      TEXT NOT NULL,      -- interactions_fts or contact_notes_fts
    digest   TEXT NOT NULL,      -- SHA-256 of the rows it indexes, in id order
    PRIMARY KEY (batch_id, fts)
) WITHOUT ROWID;
