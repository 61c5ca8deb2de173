-- kith schema version 15: each contact's interactions as health reads them (when, by what
-- channel, which way), all in one row per contact, so that scoring everyone is one pass of
-- 100k rows instead of a join of a million participations with their interactions' wide
-- rows (which also hold the summary and body), and scoring one contact one row.
--
-- Derived data, not in the backup: for every contact with a participation, `touches` is
-- each of their interactions in id order, written
--     occurred_at <US> channel <US> direction-or-empty <RS>
-- (US = char(31), RS = char(30); the values as stored), and `last_interaction` the highest
-- interaction id among them. The triggers below keep it so through log, edit, delete, merge,
-- capture and undo: a participation in an interaction newer than the contact's latest (the
-- usual case) is appended; anything else writes the contact's row again from scratch, which
-- gives the same text. An import runs with triggers off and replays them
-- (store/contact_touches.rs). Never edit once shipped.
--
-- A contact's text is made by walking their participations by interaction
-- (INDEXED BY, CROSS JOIN: that walk is the outer loop), which is the order group_concat
-- takes them in; no `ORDER BY` inside the aggregate, which SQLite before 3.44 (a sqlite3
-- shell a user may open the book with) cannot read.
CREATE TABLE contact_touches (
    contact_id       INTEGER PRIMARY KEY,
    last_interaction INTEGER NOT NULL,
    touches          TEXT NOT NULL
);

INSERT INTO contact_touches (contact_id, last_interaction, touches)
SELECT c.id, (SELECT max(p.interaction_id) FROM interaction_participants p
              INDEXED BY interaction_participants_by_contact WHERE p.contact_id = c.id),
       (SELECT group_concat(i.occurred_at || char(31) || i.channel || char(31) || coalesce(i.direction, '') || char(30), '')
              FROM interaction_participants p INDEXED BY interaction_participants_by_contact
             CROSS JOIN interactions i ON i.id = p.interaction_id
             WHERE p.contact_id = c.id)
  FROM contacts c
 WHERE EXISTS (SELECT 1 FROM interaction_participants WHERE contact_id = c.id);

CREATE TRIGGER contact_touches_after_participant_insert AFTER INSERT ON interaction_participants
BEGIN
    -- An interaction older than their latest: their row is written again, in order.
    DELETE FROM contact_touches
     WHERE contact_id = NEW.contact_id AND last_interaction > NEW.interaction_id;
    INSERT INTO contact_touches (contact_id, last_interaction, touches)
    SELECT NEW.contact_id, (SELECT max(p.interaction_id) FROM interaction_participants p
              INDEXED BY interaction_participants_by_contact WHERE p.contact_id = NEW.contact_id),
           (SELECT group_concat(i.occurred_at || char(31) || i.channel || char(31) || coalesce(i.direction, '') || char(30), '')
              FROM interaction_participants p INDEXED BY interaction_participants_by_contact
             CROSS JOIN interactions i ON i.id = p.interaction_id
             WHERE p.contact_id = NEW.contact_id)
     WHERE NOT EXISTS (SELECT 1 FROM contact_touches WHERE contact_id = NEW.contact_id);
    -- A newer one: appended.
    UPDATE contact_touches
       SET touches = touches || (
               SELECT i.occurred_at || char(31) || i.channel || char(31) || coalesce(i.direction, '') || char(30)
                 FROM interactions i WHERE i.id = NEW.interaction_id),
           last_interaction = NEW.interaction_id
     WHERE contact_id = NEW.contact_id AND last_interaction < NEW.interaction_id;
END;

-- A participation gone: the interaction deleted (its participations go with it), the person
-- taken off it, or the contact deleted.
CREATE TRIGGER contact_touches_after_participant_delete AFTER DELETE ON interaction_participants
BEGIN
    DELETE FROM contact_touches WHERE contact_id = OLD.contact_id;
    INSERT INTO contact_touches (contact_id, last_interaction, touches)
    SELECT OLD.contact_id, (SELECT max(p.interaction_id) FROM interaction_participants p
              INDEXED BY interaction_participants_by_contact WHERE p.contact_id = OLD.contact_id),
           (SELECT group_concat(i.occurred_at || char(31) || i.channel || char(31) || coalesce(i.direction, '') || char(30), '')
              FROM interaction_participants p INDEXED BY interaction_participants_by_contact
             CROSS JOIN interactions i ON i.id = p.interaction_id
             WHERE p.contact_id = OLD.contact_id)
     WHERE EXISTS (SELECT 1 FROM interaction_participants WHERE contact_id = OLD.contact_id);
END;

-- A participation moved (a merge moves one contact's history onto another).
CREATE TRIGGER contact_touches_after_participant_update AFTER UPDATE ON interaction_participants
BEGIN
    DELETE FROM contact_touches WHERE contact_id IN (OLD.contact_id, NEW.contact_id);
    INSERT INTO contact_touches (contact_id, last_interaction, touches)
    SELECT c.id, (SELECT max(p.interaction_id) FROM interaction_participants p
              INDEXED BY interaction_participants_by_contact WHERE p.contact_id = c.id),
           (SELECT group_concat(i.occurred_at || char(31) || i.channel || char(31) || coalesce(i.direction, '') || char(30), '')
              FROM interaction_participants p INDEXED BY interaction_participants_by_contact
             CROSS JOIN interactions i ON i.id = p.interaction_id
             WHERE p.contact_id = c.id)
      FROM contacts c
     WHERE c.id IN (OLD.contact_id, NEW.contact_id) AND EXISTS (SELECT 1 FROM interaction_participants WHERE contact_id = c.id);
END;

-- An interaction's time, channel or direction edited: everyone who took part.
CREATE TRIGGER contact_touches_after_interaction_update
AFTER UPDATE OF occurred_at, channel, direction ON interactions
WHEN OLD.occurred_at IS NOT NEW.occurred_at OR OLD.channel IS NOT NEW.channel
     OR OLD.direction IS NOT NEW.direction
BEGIN
    DELETE FROM contact_touches
     WHERE contact_id IN (SELECT contact_id FROM interaction_participants
                           WHERE interaction_id = NEW.id);
    INSERT INTO contact_touches (contact_id, last_interaction, touches)
    SELECT q.contact_id, (SELECT max(p.interaction_id) FROM interaction_participants p
              INDEXED BY interaction_participants_by_contact WHERE p.contact_id = q.contact_id),
           (SELECT group_concat(i.occurred_at || char(31) || i.channel || char(31) || coalesce(i.direction, '') || char(30), '')
              FROM interaction_participants p INDEXED BY interaction_participants_by_contact
             CROSS JOIN interactions i ON i.id = p.interaction_id
             WHERE p.contact_id = q.contact_id)
      FROM interaction_participants q WHERE q.interaction_id = NEW.id;
END;
