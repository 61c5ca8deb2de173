-- kith schema version 18: each contact's touches (migration 0015) stored compactly, so that
-- scoring thousands of people reads and parses less: `kith today --json` at 100k contacts
-- reads all of `contact_touches`, which holds 40 MB this way and 16 MB the new way.
--
-- A record is now, for an interaction whose time is stored as kith writes it (UTC to the
-- second, `YYYY-MM-DDTHH:MM:SSZ`, which strftime gives back unchanged), whose channel kith
-- knows and whose direction is in, out or none:
--     seconds since 1970 (decimal, '-' before 1970) <channel letter> <direction letter> <RS>
-- with the channels call c, email e, meeting m, message t, video v, social s, letter l,
-- note n, other o, and the directions in i, out o, none '-' (13 bytes for a time of this
-- century instead of about 31). Any other interaction keeps the record of 0015,
--     occurred_at <US> channel <US> direction-or-empty <RS>
-- which can never be read as the new one (its time is followed by US, not a letter). The
-- records are in the same order as before, one per participation; `last_interaction` is
-- unchanged. `organization_people.touches` follows (the triggers of 0017 copy each row).
--
-- Each interaction's record is worked out in one place, the view `contact_touch_records`;
-- the triggers of 0015 are made again to read it (and store/contact_touches.rs when an
-- import replays them), then every row is written again. Never edit once shipped.
DROP TRIGGER contact_touches_after_participant_insert;
DROP TRIGGER contact_touches_after_participant_delete;
DROP TRIGGER contact_touches_after_participant_update;
DROP TRIGGER contact_touches_after_interaction_update;

-- Each interaction's record, as `contact_touches` holds it (above), by interaction id.
CREATE VIEW contact_touch_records AS
SELECT i.id AS interaction_id,
       coalesce(CASE WHEN strftime('%Y-%m-%dT%H:%M:%SZ', i.occurred_at) = i.occurred_at
                     THEN strftime('%s', i.occurred_at)
                          || CASE i.channel WHEN 'call' THEN 'c' WHEN 'email' THEN 'e'
                               WHEN 'meeting' THEN 'm' WHEN 'message' THEN 't'
                               WHEN 'video' THEN 'v' WHEN 'social' THEN 's'
                               WHEN 'letter' THEN 'l' WHEN 'note' THEN 'n'
                               WHEN 'other' THEN 'o' END
                          || CASE WHEN i.direction IS NULL THEN '-'
                               WHEN i.direction = 'in' THEN 'i'
                               WHEN i.direction = 'out' THEN 'o' END END,
                i.occurred_at || char(31) || i.channel || char(31) || coalesce(i.direction, ''))
       || char(30) AS record
  FROM interactions i;

CREATE TRIGGER contact_touches_after_participant_insert AFTER INSERT ON interaction_participants
BEGIN
    -- An interaction older than their latest: their row is written again, in order.
    DELETE FROM contact_touches
     WHERE contact_id = NEW.contact_id AND last_interaction > NEW.interaction_id;
    INSERT INTO contact_touches (contact_id, last_interaction, touches)
    SELECT NEW.contact_id, (SELECT max(p.interaction_id) FROM interaction_participants p
              INDEXED BY interaction_participants_by_contact WHERE p.contact_id = NEW.contact_id),
           (SELECT group_concat(r.record, '')
              FROM interaction_participants p INDEXED BY interaction_participants_by_contact
             CROSS JOIN contact_touch_records r ON r.interaction_id = p.interaction_id
             WHERE p.contact_id = NEW.contact_id)
     WHERE NOT EXISTS (SELECT 1 FROM contact_touches WHERE contact_id = NEW.contact_id);
    -- A newer one: appended.
    UPDATE contact_touches
       SET touches = touches || (SELECT r.record FROM contact_touch_records r
                                  WHERE r.interaction_id = NEW.interaction_id),
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
           (SELECT group_concat(r.record, '')
              FROM interaction_participants p INDEXED BY interaction_participants_by_contact
             CROSS JOIN contact_touch_records r ON r.interaction_id = p.interaction_id
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
           (SELECT group_concat(r.record, '')
              FROM interaction_participants p INDEXED BY interaction_participants_by_contact
             CROSS JOIN contact_touch_records r ON r.interaction_id = p.interaction_id
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
           (SELECT group_concat(r.record, '')
              FROM interaction_participants p INDEXED BY interaction_participants_by_contact
             CROSS JOIN contact_touch_records r ON r.interaction_id = p.interaction_id
             WHERE p.contact_id = q.contact_id)
      FROM interaction_participants q WHERE q.interaction_id = NEW.id;
END;

-- Every row written again, the new way, as 0015 and 0017 first filled them: taken out and
-- put back in order rather than updated in place, where each page would keep the room its
-- rows no longer take (the point is fewer pages to read). `organization_people` goes first,
-- so that the triggers of 0017 find none of its rows to update on the way.
DELETE FROM organization_people;
DELETE FROM contact_touches;

INSERT INTO contact_touches (contact_id, last_interaction, touches)
SELECT c.id, (SELECT max(p.interaction_id) FROM interaction_participants p
              INDEXED BY interaction_participants_by_contact WHERE p.contact_id = c.id),
       (SELECT group_concat(r.record, '')
              FROM interaction_participants p INDEXED BY interaction_participants_by_contact
             CROSS JOIN contact_touch_records r ON r.interaction_id = p.interaction_id
             WHERE p.contact_id = c.id)
  FROM contacts c
 WHERE EXISTS (SELECT 1 FROM interaction_participants WHERE contact_id = c.id);

INSERT INTO organization_people (organization_id, contact_id, name_key, uid, display_name,
                                 created_at, cadence, archived_at, touches)
SELECT c.organization_id, c.id, c.name_key, c.uid, c.display_name, c.created_at, c.cadence,
       c.archived_at, t.touches
  FROM contacts c LEFT JOIN contact_touches t ON t.contact_id = c.id
 WHERE c.organization_id IS NOT NULL
 ORDER BY c.organization_id, c.id;
