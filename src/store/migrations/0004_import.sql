-- Properties of imported contacts that kith does not model (photos, X- properties, IM handles,
-- geo, and the exact structured form of names, organizations and addresses), kept so that
-- an export gives them back. One row per property, in file order.
CREATE TABLE contact_extras (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    property   TEXT NOT NULL            -- one unfolded vCard 3.0/4.0 content line
);
CREATE INDEX contact_extras_by_contact ON contact_extras(contact_id, position);
