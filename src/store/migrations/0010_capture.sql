-- kith schema version 10: capture (`kith capture`), conversations read from mail and calendar
-- files into the timeline, and who "me" is. Only adds tables; the interactions a run makes
-- are ordinary interactions, and these tables say which run made what, so a run can be taken
-- back (`kith capture --undo BATCH`) and a record seen again is recognised.

-- My own addresses: mail from one is outbound, to one inbound; they are never participants.
CREATE TABLE me_addresses (
    match_key TEXT PRIMARY KEY,          -- lowercase, a +tag in the local part removed
    address   TEXT NOT NULL,             -- as typed
    added_at  TEXT NOT NULL
) WITHOUT ROWID;

-- One row per run that wrote something; `name` is what the report prints and --undo takes.
CREATE TABLE capture_batches (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    sources    TEXT NOT NULL             -- the paths it read, one a line
);

-- Each captured message or event, by the key that makes capture idempotent: a normalised
-- Message-ID (or a digest of sender, date and subject) for mail; UID and RECURRENCE-ID for an
-- event, whose SEQUENCE decides whether a later copy updates it. The interaction it became
-- goes with it; deleting that interaction forgets the key.
CREATE TABLE captured_records (
    kind           TEXT NOT NULL CHECK (kind = 'mail' OR kind = 'event'),
    key            TEXT NOT NULL,
    interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    batch_id       INTEGER NOT NULL REFERENCES capture_batches(id),
    thread_key     TEXT,                 -- mail: the thread's root Message-ID
    sequence       INTEGER,              -- event: its SEQUENCE
    location       TEXT,                 -- event: its LOCATION
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX captured_records_by_interaction ON captured_records(interaction_id);
CREATE INDEX captured_records_by_batch ON captured_records(batch_id);
CREATE INDEX captured_records_by_thread ON captured_records(thread_key)
    WHERE thread_key IS NOT NULL;

-- A participant a later run added to an interaction an earlier run captured (a contact
-- created since knows that address now).
CREATE TABLE captured_participations (
    interaction_id INTEGER NOT NULL,
    contact_id     INTEGER NOT NULL,
    batch_id       INTEGER NOT NULL REFERENCES capture_batches(id),
    PRIMARY KEY (interaction_id, contact_id),
    FOREIGN KEY (interaction_id, contact_id)
        REFERENCES interaction_participants(interaction_id, contact_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX captured_participations_by_batch ON captured_participations(batch_id);

-- The contacts `kith capture --add-unknown` created.
CREATE TABLE captured_contacts (
    contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
    batch_id   INTEGER NOT NULL REFERENCES capture_batches(id)
);
CREATE INDEX captured_contacts_by_batch ON captured_contacts(batch_id);
