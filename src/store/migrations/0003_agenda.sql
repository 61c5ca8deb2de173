-- Follow-ups that recur from completion, the original day a recurrence clamps from, the
-- interaction that completed a follow-up, keep-in-touch cadences per tag, and yearly dates
-- (anniversaries, renewals) on contacts. Only adds; never edit once shipped.

-- 'due': the next date counts from the due date (the default, also when NULL);
-- 'done': it counts from the day the follow-up was completed.
ALTER TABLE reminders ADD COLUMN recur_from TEXT CHECK (recur_from IN ('due', 'done'));
-- The due date a due-anchored recurrence counts from, so month-end clamping does not drift
-- (Jan 31 → Feb 28 → Mar 31). NULL: the due date itself.
ALTER TABLE reminders ADD COLUMN recur_anchor TEXT;

-- The interaction logged by `kith done ID --log ...`.
ALTER TABLE reminder_completions ADD COLUMN interaction_id INTEGER
    REFERENCES interactions(id) ON DELETE SET NULL;

-- A default keep-in-touch cadence for everyone carrying a tag. Keyed by the tag's name, so
-- it survives the tag being carried by nobody for a while.
CREATE TABLE tag_cadences (
    tag        TEXT PRIMARY KEY,          -- normalised tag name
    cadence    TEXT NOT NULL,             -- a period such as 30d, 2w, 2m, 1y
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- Yearly dates on a contact other than the birthday: anniversaries, contract renewals.
CREATE TABLE contact_dates (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    label      TEXT NOT NULL,             -- lowercase word: anniversary, renewal, ...
    date       TEXT NOT NULL,             -- YYYY-MM-DD, or --MM-DD without a year
    UNIQUE (contact_id, label)
);
