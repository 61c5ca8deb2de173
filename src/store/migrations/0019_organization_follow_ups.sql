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

INSERT INTO organization_follow_ups
SELECT r.organization_id, r.id, r.uid, r.contact_id, r.organization_id, r.text, r.due,
       r.recurrence, r.snoozed_until, r.done_at, r.created_at
  FROM reminders r
 WHERE r.organization_id IS NOT NULL
UNION ALL
SELECT c.organization_id, r.id, r.uid, r.contact_id, r.organization_id, r.text, r.due,
       r.recurrence, r.snoozed_until, r.done_at, r.created_at
  FROM reminders r JOIN contacts c ON c.id = r.contact_id
 WHERE c.organization_id IS NOT NULL AND c.organization_id IS NOT r.organization_id
 ORDER BY 1, 2;

-- A follow-up's rows, found without knowing its organizations (the triggers).
CREATE INDEX organization_follow_ups_by_reminder ON organization_follow_ups(reminder_id);

CREATE TRIGGER organization_follow_ups_after_reminder_insert AFTER INSERT ON reminders
BEGIN
    INSERT INTO organization_follow_ups
    SELECT NEW.organization_id, NEW.id, NEW.uid, NEW.contact_id, NEW.organization_id,
           NEW.text, NEW.due, NEW.recurrence, NEW.snoozed_until, NEW.done_at, NEW.created_at
     WHERE NEW.organization_id IS NOT NULL;
    INSERT INTO organization_follow_ups
    SELECT c.organization_id, NEW.id, NEW.uid, NEW.contact_id, NEW.organization_id,
           NEW.text, NEW.due, NEW.recurrence, NEW.snoozed_until, NEW.done_at, NEW.created_at
      FROM contacts c
     WHERE c.id = NEW.contact_id AND c.organization_id IS NOT NULL
       AND c.organization_id IS NOT NEW.organization_id;
END;

CREATE TRIGGER organization_follow_ups_after_reminder_update AFTER UPDATE ON reminders
BEGIN
    DELETE FROM organization_follow_ups WHERE reminder_id = OLD.id;
    INSERT INTO organization_follow_ups
    SELECT NEW.organization_id, NEW.id, NEW.uid, NEW.contact_id, NEW.organization_id,
           NEW.text, NEW.due, NEW.recurrence, NEW.snoozed_until, NEW.done_at, NEW.created_at
     WHERE NEW.organization_id IS NOT NULL;
    INSERT INTO organization_follow_ups
    SELECT c.organization_id, NEW.id, NEW.uid, NEW.contact_id, NEW.organization_id,
           NEW.text, NEW.due, NEW.recurrence, NEW.snoozed_until, NEW.done_at, NEW.created_at
      FROM contacts c
     WHERE c.id = NEW.contact_id AND c.organization_id IS NOT NULL
       AND c.organization_id IS NOT NEW.organization_id;
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
     WHERE organization_id = OLD.organization_id
       AND reminder_id IN (SELECT id FROM reminders WHERE contact_id = NEW.id)
       AND own_organization_id IS NOT OLD.organization_id;
    INSERT INTO organization_follow_ups
    SELECT NEW.organization_id, r.id, r.uid, r.contact_id, r.organization_id, r.text, r.due,
           r.recurrence, r.snoozed_until, r.done_at, r.created_at
      FROM reminders r
     WHERE r.contact_id = NEW.id AND NEW.organization_id IS NOT NULL
       AND r.organization_id IS NOT NEW.organization_id;
END;
