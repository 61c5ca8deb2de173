//! The calendar export's view: every follow-up (open and done) with its recurrence, and the
//! active contacts' birthdays and yearly dates, read once for `ics::render`.

use crate::error::Result;
use crate::ics::IcsInput;
use crate::store::Store;
use crate::store::reminders::{self, ReminderFilter, ReminderState};

/// What `kith export --format ics` writes, read from the book.
pub fn calendar(store: &Store) -> Result<IcsInput> {
    let conn = store.conn();
    Ok(IcsInput {
        follow_ups: reminders::list(
            conn,
            &ReminderFilter {
                state: ReminderState::All,
                ..ReminderFilter::default()
            },
        )?,
        extras: reminders::extras(conn, None)?,
        contacts: crate::store::contacts::list(conn, &Default::default())?,
        dates: crate::store::contact_dates::by_contact(conn, None)?,
    })
}
