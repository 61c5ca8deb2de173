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
