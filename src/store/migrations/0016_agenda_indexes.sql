-- kith schema version 16: the agenda's inputs as index ranges, so that `kith today` reads
-- what it shows and counts the rest instead of reading everyone with a cadence and every
-- open follow-up in full. Indexes only: SQLite keeps them through every change, an import
-- with triggers off included, so there is nothing derived to replay. Never edit once shipped.

-- Who is due to reconnect by their own cadence: each active contact with one, by cadence and
-- by the moment it counts from (the last contact, else when added). A contact is due once
-- that moment plus the cadence is today or earlier, so for each cadence "who is due" is the
-- start of its range; the columns the agenda shows come with it (and the condition's, which
-- SQLite needs in the index to read nothing else).
CREATE INDEX contacts_reconnect_from
    ON contacts(cadence, coalesce(last_contact_at, created_at), id, uid, display_name,
                created_at, last_contact_at, archived_at)
    WHERE archived_at IS NULL AND cadence IS NOT NULL;

-- Active contacts with a birthday, in name order: the agenda's "Birthdays and dates".
CREATE INDEX contacts_with_birthday
    ON contacts(name_key, id, uid, display_name, birthday, cadence, created_at, last_contact_at,
                archived_at)
    WHERE archived_at IS NULL AND birthday IS NOT NULL;

-- Open follow-ups by the day they count at (a snooze moves it), with whom they are about:
-- the agenda's groups are counted from this alone and only the entries shown are read.
CREATE INDEX reminders_open_by_effective_due
    ON reminders(coalesce(snoozed_until, due), id, contact_id, done_at)
    WHERE done_at IS NULL;
