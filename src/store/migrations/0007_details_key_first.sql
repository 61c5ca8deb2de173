-- Emails and phones are indexed by their comparison key first, then their kind. Lookups give
-- both (`kind = ? AND match_key = ?`), so either order serves them; but an import rebuilds
-- this index after writing many contacts, and with the kind first (two values for 200k
-- entries) nearly every comparison of the sort ties on it and goes through SQLite's slow
-- generic record comparison. Key first, the rebuild of 100k contacts' index takes 0.27 s
-- instead of 0.39 s.
DROP INDEX contact_details_by_key;
CREATE INDEX contact_details_by_key ON contact_details(match_key, kind)
    WHERE kind = 'email' OR kind = 'phone';
