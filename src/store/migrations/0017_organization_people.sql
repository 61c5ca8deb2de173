-- kith schema version 17: an organization's people as health reads them, side by side, so
-- that an account's health (`kith show`'s company line, `kith org show`) reads one range of
-- rows instead of each colleague's contact row and touches scattered over the whole file.
--
-- Derived data, not in the backup: for every contact with an organization, one row keyed by
-- (organization_id, contact_id) holding their name key, UID, name, when added, own cadence,
-- when archived (all as `contacts` holds them) and their `contact_touches` text (NULL when
-- they have none). The triggers below keep it so through every write of `contacts` and of
-- `contact_touches` (itself kept by the triggers of 0015): a contact added, edited, moved to
-- another organization, archived, merged or deleted writes their row again from `contacts`;
-- a change of their touches copies the new text. An import runs with triggers off and
-- rebuilds the rows of the contacts it wrote (store/organization_people.rs).
--
-- Also: the agenda's index of 0011, which nothing reads since 0016 but every write kept.
-- Never edit once shipped.
DROP INDEX IF EXISTS contacts_on_agenda;

CREATE TABLE organization_people (
    organization_id INTEGER NOT NULL,
    contact_id      INTEGER NOT NULL,
    name_key        TEXT,
    uid             TEXT,
    display_name    TEXT,
    created_at      TEXT,
    cadence         TEXT,
    archived_at     TEXT,
    touches         TEXT,
    PRIMARY KEY (organization_id, contact_id)
) WITHOUT ROWID;

INSERT INTO organization_people (organization_id, contact_id, name_key, uid, display_name,
                                 created_at, cadence, archived_at, touches)
SELECT c.organization_id, c.id, c.name_key, c.uid, c.display_name, c.created_at, c.cadence,
       c.archived_at, t.touches
  FROM contacts c LEFT JOIN contact_touches t ON t.contact_id = c.id
 WHERE c.organization_id IS NOT NULL
 ORDER BY c.organization_id, c.id;

-- A contact's row, found without knowing their organization (the triggers, a rebuild).
CREATE INDEX organization_people_by_contact ON organization_people(contact_id);

CREATE TRIGGER organization_people_after_contact_insert AFTER INSERT ON contacts
WHEN NEW.organization_id IS NOT NULL
BEGIN
    DELETE FROM organization_people WHERE contact_id = NEW.id;
    INSERT INTO organization_people (organization_id, contact_id, name_key, uid, display_name,
                                     created_at, cadence, archived_at, touches)
    SELECT NEW.organization_id, NEW.id, NEW.name_key, NEW.uid, NEW.display_name,
           NEW.created_at, NEW.cadence, NEW.archived_at,
           (SELECT t.touches FROM contact_touches t WHERE t.contact_id = NEW.id);
END;

CREATE TRIGGER organization_people_after_contact_update
AFTER UPDATE OF id, organization_id, name_key, uid, display_name, created_at, cadence,
                archived_at ON contacts
WHEN OLD.id IS NOT NEW.id OR OLD.organization_id IS NOT NEW.organization_id
     OR OLD.name_key IS NOT NEW.name_key OR OLD.uid IS NOT NEW.uid
     OR OLD.display_name IS NOT NEW.display_name OR OLD.created_at IS NOT NEW.created_at
     OR OLD.cadence IS NOT NEW.cadence OR OLD.archived_at IS NOT NEW.archived_at
BEGIN
    DELETE FROM organization_people WHERE contact_id IN (OLD.id, NEW.id);
    INSERT INTO organization_people (organization_id, contact_id, name_key, uid, display_name,
                                     created_at, cadence, archived_at, touches)
    SELECT NEW.organization_id, NEW.id, NEW.name_key, NEW.uid, NEW.display_name,
           NEW.created_at, NEW.cadence, NEW.archived_at,
           (SELECT t.touches FROM contact_touches t WHERE t.contact_id = NEW.id)
     WHERE NEW.organization_id IS NOT NULL;
END;

CREATE TRIGGER organization_people_after_contact_delete AFTER DELETE ON contacts
BEGIN
    DELETE FROM organization_people WHERE contact_id = OLD.id;
END;

CREATE TRIGGER organization_people_after_touches_insert AFTER INSERT ON contact_touches
BEGIN
    UPDATE organization_people SET touches = NEW.touches WHERE contact_id = NEW.contact_id;
END;

CREATE TRIGGER organization_people_after_touches_update
AFTER UPDATE OF contact_id, touches ON contact_touches
BEGIN
    UPDATE organization_people
       SET touches = (SELECT t.touches FROM contact_touches t
                       WHERE t.contact_id = organization_people.contact_id)
     WHERE contact_id IN (OLD.contact_id, NEW.contact_id);
END;

CREATE TRIGGER organization_people_after_touches_delete AFTER DELETE ON contact_touches
BEGIN
    UPDATE organization_people SET touches = NULL WHERE contact_id = OLD.contact_id;
END;
