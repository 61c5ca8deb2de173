-- kith schema version 19: each organization's follow-ups side by side (its own and its
-- people's), as `kith show`'s company line and `kith org show` read them: one range of rows
-- instead of a probe for each person there and a row scattered over the file for each
-- follow-up (at a million contacts, 1,722 probes and 209 pages read for one company).
--
-- Derived data, not in the backup: for a follow-up on an organization, one row under that
-- organization; for a follow-up about a contact who has an organization, one row under it
-- (one row when both are the same). Each row holds what a company's brief reads of the
-- follow-up, as `reminders` holds it, `own_organization_id` being the follow-up's own
-- organization. The triggers below keep it through every write of `reminders` and every
-- move of a contact to another organization or none (a contact or organization deleted
-- takes its follow-ups with it, or moves its people, through the same triggers). An import
-- with triggers off writes it again (store/organization_follow_ups.rs). Never edit once
-- shipped.
CREATE TABLE organization_follow_ups (
    organization_id     INTEGER NOT NULL,
    reminder_id         INTEGER NOT NULL,
    uid                 TEXT NOT NULL,
    contact_id          INTEGER,
    own_organization_id INTEGER,
    text                TEXT NOT NULL,
    due                 TEXT NOT NULL,
    recurrence          TEXT,
    snoozed_until       TEXT,
    done_at             TEXT,
    created_at          TEXT NOT NULL,
    PRIMARY KEY (organization_id, reminder_id)
) WITHOUT ROWID;

-- A follow-up's rows, as the table holds them: written from here by the triggers, the fill
-- below and a rebuild (SQLite takes a condition on it into both halves).
CREATE VIEW organization_follow_up_rows AS
SELECT r.organization_id AS organization_id, r.id AS reminder_id, r.uid, r.contact_id,
       r.organization_id AS own_organization_id, r.text, r.due, r.recurrence,
       r.snoozed_until, r.done_at, r.created_at
  FROM reminders r
 WHERE r.organization_id IS NOT NULL
UNION ALL
SELECT c.organization_id, r.id, r.uid, r.contact_id, r.organization_id, r.text, r.due,
       r.recurrence, r.snoozed_until, r.done_at, r.created_at
  FROM reminders r JOIN contacts c ON c.id = r.contact_id
 WHERE c.organization_id IS NOT NULL AND c.organization_id IS NOT r.organization_id;

INSERT INTO organization_follow_ups
SELECT * FROM organization_follow_up_rows ORDER BY organization_id, reminder_id;

-- A follow-up's rows, found without knowing its organizations (the triggers).
CREATE INDEX organization_follow_ups_by_reminder ON organization_follow_ups(reminder_id);

CREATE TRIGGER organization_follow_ups_after_reminder_insert AFTER INSERT ON reminders
BEGIN
    INSERT INTO organization_follow_ups
    SELECT * FROM organization_follow_up_rows WHERE reminder_id = NEW.id;
END;

CREATE TRIGGER organization_follow_ups_after_reminder_update AFTER UPDATE ON reminders
BEGIN
    DELETE FROM organization_follow_ups WHERE reminder_id = OLD.id;
    INSERT INTO organization_follow_ups
    SELECT * FROM organization_follow_up_rows WHERE reminder_id = NEW.id;
END;

CREATE TRIGGER organization_follow_ups_after_reminder_delete AFTER DELETE ON reminders
BEGIN
    DELETE FROM organization_follow_ups WHERE reminder_id = OLD.id;
END;

-- A contact moved to another organization, or to none: their follow-ups' rows follow.
CREATE TRIGGER organization_follow_ups_after_contact_move
AFTER UPDATE OF organization_id ON contacts
WHEN OLD.organization_id IS NOT NEW.organization_id
BEGIN
    DELETE FROM organization_follow_ups
     WHERE reminder_id IN (SELECT id FROM reminders WHERE contact_id = NEW.id);
    INSERT INTO organization_follow_ups
    SELECT * FROM organization_follow_up_rows WHERE contact_id = NEW.id;
END;
