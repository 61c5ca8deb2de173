//! Everything the agenda needs, read in a handful of queries whatever the counts.

use std::collections::HashSet;

use crate::agenda::AgendaInput;
use crate::error::Result;
use crate::store::contacts::{self, ContactFilter};
use crate::store::reminders::{self, ReminderFilter, ReminderState};
use crate::store::{contact_dates, tag_cadences};

/// Open follow-ups (but those of archived contacts), active contacts, tag cadences and yearly dates.
pub fn load(conn: &rusqlite::Connection) -> Result<AgendaInput> {
    let mut follow_ups = reminders::list(
        conn,
        &ReminderFilter {
            state: ReminderState::Open,
            ..ReminderFilter::default()
        },
    )?;
    // All of them in one query: an IN list could outgrow SQLite's variable limit.
    let extras = reminders::extras(conn, None)?;
    let contacts = contacts::list(conn, &ContactFilter::default())?;
    // An archived contact's follow-ups wait with them (restoring brings them back).
    let active: HashSet<i64> = contacts.iter().map(|c| c.id).collect();
    follow_ups.retain(|r| r.contact.as_ref().is_none_or(|c| active.contains(&c.id)));
    Ok(AgendaInput {
        follow_ups,
        extras,
        contacts,
        tag_cadences: tag_cadences::list(conn)?,
        dates: contact_dates::by_contact(conn, None)?,
    })
}
