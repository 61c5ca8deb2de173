-- kith schema version 1. Shipped migrations are never edited; add a new file instead.
-- Times are UTC RFC 3339 text; calendar dates are YYYY-MM-DD.

CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,          -- folded name: lowercase, no diacritics
    domain      TEXT,
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    archived_at TEXT
);
CREATE UNIQUE INDEX organizations_by_name_key ON organizations(name_key);

CREATE TABLE contacts (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE,
    display_name      TEXT NOT NULL,
    name_key          TEXT NOT NULL,    -- folded display name, for exact lookups
    given_name        TEXT,
    family_name       TEXT,
    nickname          TEXT,
    organization_id   INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
    title             TEXT,
    birthday          TEXT,             -- YYYY-MM-DD, or --MM-DD without a year
    preferred_channel TEXT,
    cadence           TEXT,             -- a period such as 30d, 2w, 2m, 1y
    notes             TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    archived_at       TEXT
);
CREATE INDEX contacts_by_name_key ON contacts(name_key);
CREATE INDEX contacts_by_organization ON contacts(organization_id);

-- Emails, phones, addresses, URLs and social handles, each with an optional label.
CREATE TABLE contact_details (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'address', 'url', 'social')),
    label      TEXT,
    value      TEXT NOT NULL,
    match_key  TEXT NOT NULL,           -- lowercase email, digits of a phone
    position   INTEGER NOT NULL
);
CREATE INDEX contact_details_by_key ON contact_details(kind, match_key);
CREATE INDEX contact_details_by_contact ON contact_details(contact_id, kind, position);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE           -- normalised to lowercase by kith
);

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX contact_tags_by_tag ON contact_tags(tag_id);

CREATE TABLE organization_tags (
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    tag_id          INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (organization_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX organization_tags_by_tag ON organization_tags(tag_id);

-- Directed: from_contact <kind> to_contact ("Ada reports-to Bob").
CREATE TABLE relationships (
    id              INTEGER PRIMARY KEY,
    from_contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    to_contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    note            TEXT,
    created_at      TEXT NOT NULL,
    UNIQUE (from_contact_id, to_contact_id, kind),
    CHECK (from_contact_id <> to_contact_id)
);
CREATE INDEX relationships_by_to ON relationships(to_contact_id);

CREATE TABLE interactions (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    occurred_at TEXT NOT NULL,
    channel     TEXT NOT NULL,
    direction   TEXT CHECK (direction IN ('in', 'out')),
    summary     TEXT NOT NULL,
    body        TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX interactions_by_time ON interactions(occurred_at);

CREATE TABLE interaction_participants (
    interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    contact_id     INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (interaction_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX interaction_participants_by_contact ON interaction_participants(contact_id, interaction_id);

CREATE TABLE reminders (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    contact_id      INTEGER REFERENCES contacts(id) ON DELETE CASCADE,
    organization_id INTEGER REFERENCES organizations(id) ON DELETE CASCADE,
    text            TEXT NOT NULL,
    due             TEXT NOT NULL,      -- YYYY-MM-DD (all day, local) or RFC 3339 UTC
    recurrence      TEXT,               -- a period such as 2w; NULL for one-off
    snoozed_until   TEXT,
    done_at         TEXT,
    interaction_id  INTEGER REFERENCES interactions(id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (contact_id IS NOT NULL OR organization_id IS NOT NULL)
);
CREATE INDEX reminders_by_contact ON reminders(contact_id);
CREATE INDEX reminders_by_organization ON reminders(organization_id);
CREATE INDEX reminders_open_by_due ON reminders(due) WHERE done_at IS NULL;

-- Each completion of a follow-up; a recurring one moves on and keeps this history.
CREATE TABLE reminder_completions (
    id          INTEGER PRIMARY KEY,
    reminder_id INTEGER NOT NULL REFERENCES reminders(id) ON DELETE CASCADE,
    due         TEXT NOT NULL,
    done_at     TEXT NOT NULL
);
CREATE INDEX reminder_completions_by_reminder ON reminder_completions(reminder_id);

-- Facts about the file itself. `requires_kith` is the kith version that introduced the
-- schema this file has, so an older kith can say which version to install.
CREATE TABLE kith_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
