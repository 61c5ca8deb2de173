//! Everything the agenda needs, read in a handful of queries whatever the counts, and only
//! for the contacts it can show: on a 100k-contact book most have no cadence, birthday or
//! yearly date, and their details and last interactions are never read.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;

use crate::agenda::AgendaInput;
use crate::error::Result;
use crate::model::{Birthday, Contact, ContactFields, Period, Reminder};
use crate::store::reminders::{self, ReminderFilter, ReminderState};
use crate::store::{contact_dates, last_contact, parse_ts, tag_cadences};

/// Active contacts whose keep-in-touch cadence comes from themselves or from a tag.
const HAS_CADENCE: &str = "c.archived_at IS NULL AND (c.cadence IS NOT NULL OR c.id IN (
        SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
          JOIN tag_cadences tc ON tc.tag = t.name))";

/// Active contacts the agenda can show: a cadence (their own or a tag's), a birthday or a
/// yearly date.
const ON_THE_AGENDA: &str = "c.archived_at IS NULL AND (c.cadence IS NOT NULL
        OR c.birthday IS NOT NULL
        OR c.id IN (SELECT contact_id FROM contact_dates)
        OR c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
          JOIN tag_cadences tc ON tc.tag = t.name))";

/// Open follow-ups (but those of archived contacts), the contacts the agenda can show, tag
/// cadences and yearly dates.
pub fn load(conn: &Connection) -> Result<AgendaInput> {
    Ok(AgendaInput {
        follow_ups: open_follow_ups(conn)?,
        // All of them in one query: an IN list could outgrow SQLite's variable limit.
        extras: reminders::extras(conn, None)?,
        contacts: contacts(conn)?,
        tag_cadences: tag_cadences::list(conn)?,
        dates: contact_dates::by_contact(conn, None)?,
    })
}

/// The open follow-ups the agenda shows: all but those of archived contacts, which wait with
/// them (restoring brings them back). `kith today --check` reads only these.
pub fn open_follow_ups(conn: &Connection) -> Result<Vec<Reminder>> {
    let mut follow_ups = reminders::list(
        conn,
        &ReminderFilter {
            state: ReminderState::Open,
            ..ReminderFilter::default()
        },
    )?;
    let archived = archived_with_open_follow_ups(conn)?;
    follow_ups.retain(|r| r.contact.as_ref().is_none_or(|c| !archived.contains(&c.id)));
    Ok(follow_ups)
}

/// Archived contacts that still have open follow-ups: usually none, found through the open
/// follow-ups' partial index rather than a scan of every contact.
fn archived_with_open_follow_ups(conn: &Connection) -> Result<HashSet<i64>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT c.id FROM reminders r JOIN contacts c ON c.id = r.contact_id
          WHERE r.done_at IS NULL AND c.archived_at IS NOT NULL",
    )?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Archived contacts that have follow-ups, open or done (`kith reminders` marks theirs).
pub fn archived_with_follow_ups(conn: &Connection) -> Result<HashSet<i64>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT c.id FROM reminders r JOIN contacts c ON c.id = r.contact_id
          WHERE c.archived_at IS NOT NULL",
    )?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// The contacts [`ON_THE_AGENDA`], in name order, with the fields the agenda reads: name,
/// birthday, cadence, the tags that have a cadence, when added, and (for those with a
/// cadence) the last interaction. Other fields are left empty.
fn contacts(conn: &Connection) -> Result<Vec<Contact>> {
    // NOT INDEXED: walking `contacts_by_name_key` for the order costs a random row read per
    // contact in the book (0.3 s at 100k); one pass over the table and a sort of the few on
    // the agenda costs a fifth of that.
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id, c.uid, c.display_name, c.birthday, c.cadence, c.created_at, c.updated_at
           FROM contacts c NOT INDEXED WHERE {ON_THE_AGENDA}
          ORDER BY c.name_key, c.id"
    ))?;
    let rows = stmt.query_map([], |r| {
        let birthday: Option<String> = r.get(3)?;
        let cadence: Option<String> = r.get(4)?;
        Ok(Contact {
            id: r.get(0)?,
            uid: r.get(1)?,
            fields: ContactFields {
                display_name: r.get(2)?,
                // Unreadable values are skipped as the full listing skips them.
                birthday: birthday.and_then(|b| Birthday::parse(&b).ok()),
                cadence: cadence.and_then(|c| Period::parse(&c).ok()),
                ..ContactFields::default()
            },
            organization_id: None,
            created_at: parse_ts(&r.get::<_, String>(5)?)?,
            updated_at: parse_ts(&r.get::<_, String>(6)?)?,
            archived_at: None,
            last_contact_at: None,
        })
    })?;
    let mut contacts = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let index: HashMap<i64, usize> = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();

    // Tags without a cadence play no part in the agenda; archived contacts are not indexed.
    let mut stmt = conn.prepare(
        "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
           JOIN tag_cadences tc ON tc.tag = t.name
          ORDER BY t.name",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
            contacts[i].fields.tags.push(r.get(1)?);
        }
    }

    let latest = last_contact::latest_by_contact(conn, HAS_CADENCE, &[])?;
    for c in &mut contacts {
        c.last_contact_at = latest.get(&c.id).copied();
    }
    Ok(contacts)
}
