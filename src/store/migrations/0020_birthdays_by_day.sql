-- kith schema version 20: the agenda finds the birthdays coming up by their day of the year,
-- instead of reading every active contact with a birthday (0016's index, in name order) and
-- keeping the few whose day falls within the days it looks ahead. On a book where most
-- people have a birthday that read was the agenda's largest: 100k contacts with birthdays,
-- 11.8 MB of index read for the ~1,800 of one week (`kith today` 70-110 ms).
--
-- The key is the birthday's month and day ("MM-DD", the last five characters of both the
-- "YYYY-MM-DD" and the "--MM-DD" kith stores), so the days of a week are a few short ranges.
-- Entries are narrow (the key and the row id): the agenda reads the few contacts found, and
-- an import that rebuilds this index sorts 12-byte entries where 0016's held nine columns.
-- Never edit once shipped.
DROP INDEX IF EXISTS contacts_with_birthday;
CREATE INDEX contacts_by_birthday_day ON contacts(substr(birthday, -5))
    WHERE archived_at IS NULL AND birthday IS NOT NULL;
