-- kith schema version 11: each contact keeps when it last interacted, so the agenda, the list
-- and an organization's people read it with the contact's row instead of working it out
-- from every participation and interaction (a million rows at 100k contacts).
--
-- contacts.last_contact_at: the greatest occurred_at of the contact's interactions (UTC
-- RFC 3339 text, which sorts as time does), NULL when there are none. Derived data: the
-- triggers below keep it right through log, edit, delete, merge and undo; an import runs
-- with triggers off and replays them (store/deferred.rs). Only adds; never edit once shipped.
ALTER TABLE contacts ADD COLUMN last_contact_at TEXT;

UPDATE contacts SET last_contact_at = (
    SELECT max(i.occurred_at)
      FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
     WHERE p.contact_id = contacts.id);

-- A new participation can only move the time later.
CREATE TRIGGER last_contact_after_participant_insert AFTER INSERT ON interaction_participants
BEGIN
    UPDATE contacts SET last_contact_at = (SELECT occurred_at FROM interactions WHERE id = NEW.interaction_id)
     WHERE id = NEW.contact_id
       AND (last_contact_at IS NULL
            OR last_contact_at < (SELECT occurred_at FROM interactions WHERE id = NEW.interaction_id));
END;

-- A participation gone (the interaction deleted, the person taken off it): worked out again
-- from what is left, for that one contact.
CREATE TRIGGER last_contact_after_participant_delete AFTER DELETE ON interaction_participants
BEGIN
    UPDATE contacts SET last_contact_at = (
        SELECT max(i.occurred_at)
          FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
         WHERE p.contact_id = OLD.contact_id)
     WHERE id = OLD.contact_id;
END;

-- A participation moved (a merge moves one contact's history onto another): both contacts.
CREATE TRIGGER last_contact_after_participant_update AFTER UPDATE ON interaction_participants
BEGIN
    UPDATE contacts SET last_contact_at = (
        SELECT max(i.occurred_at)
          FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
         WHERE p.contact_id = contacts.id)
     WHERE id IN (OLD.contact_id, NEW.contact_id);
END;

-- An interaction's time edited: everyone who took part.
CREATE TRIGGER last_contact_after_interaction_time AFTER UPDATE OF occurred_at ON interactions
BEGIN
    UPDATE contacts SET last_contact_at = (
        SELECT max(i.occurred_at)
          FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
         WHERE p.contact_id = contacts.id)
     WHERE id IN (SELECT contact_id FROM interaction_participants WHERE interaction_id = NEW.id);
END;

-- The archived contacts, usually few: `kith tags` counts a tag's carriers from its index and
-- takes these off, instead of reading every carrier's contact row to see whether it is one.
CREATE INDEX contacts_archived ON contacts(archived_at) WHERE archived_at IS NOT NULL;

-- The contacts the agenda shows by their own fields (a cadence or a birthday), in name order,
-- with every column it reads (archived_at too, or SQLite would read the row to test it): the
-- agenda walks this small index instead of the whole table.
CREATE INDEX contacts_on_agenda
    ON contacts(name_key, id, uid, display_name, birthday, cadence, created_at, last_contact_at,
                archived_at)
    WHERE archived_at IS NULL AND (cadence IS NOT NULL OR birthday IS NOT NULL);
