-- kith schema version 9: an interaction can be about an organization, alone ("Quarterly
-- review with their team", no one named) or beside the people who took part. Deleting the
-- organization keeps the interaction with its people; kith deletes one it alone was about.
ALTER TABLE interactions ADD COLUMN organization_id INTEGER
    REFERENCES organizations(id) ON DELETE SET NULL;
CREATE INDEX interactions_by_organization ON interactions(organization_id)
    WHERE organization_id IS NOT NULL;

-- Deleting an interaction clears the links that point at it (ON DELETE SET NULL): these let
-- SQLite find them without reading every follow-up and completion.
CREATE INDEX reminders_by_interaction ON reminders(interaction_id)
    WHERE interaction_id IS NOT NULL;
CREATE INDEX reminder_completions_by_interaction ON reminder_completions(interaction_id)
    WHERE interaction_id IS NOT NULL;
