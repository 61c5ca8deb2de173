//! Everything the agenda needs, read in a handful of queries whatever the counts, and only
//! for the contacts it can show: on a 100k-contact book most have no cadence, birthday or
//! yearly date, and their details and last interactions are never read.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;

use crate::agenda::{AgendaContact, AgendaFollowUp, AgendaInput, OrgCadence};
use crate::error::Result;
use crate::model::{Birthday, ContactRef, OrgRef, Period, Reminder, ReminderExtra};
use crate::store::reminders::{self, ReminderFilter, ReminderState};
use crate::store::{contact_dates, parse_ts, tag_cadences};

/// Open follow-ups (but those of archived contacts), the contacts the agenda can show, tag
/// cadences and yearly dates.
/// With `names` false, whom each follow-up is about is left unnamed (ids only): name the
/// ones shown with [`name_follow_ups`].
pub fn load(conn: &Connection, names: bool) -> Result<AgendaInput> {
    Ok(AgendaInput {
        follow_ups: open_follow_ups(conn, names)?,
        extras: open_extras(conn)?,
        contacts: contacts(conn)?,
        tag_cadences: tag_cadences::list(conn)?,
        dates: contact_dates::by_contact(conn, None)?,
        organizations: organizations_with_cadence(conn)?,
    })
}

/// The extras the agenda reads (how a recurring one recurs, the interaction it came from)
/// of the open follow-ups that have any: most are one-off and made by hand, and the agenda
/// reads an extra only for a follow-up that recurs or came with an interaction.
fn open_extras(conn: &Connection) -> Result<HashMap<i64, ReminderExtra>> {
    // One pass over the table: walking the open ones' index reads each row from it anyway.
    reminders::extras_where(
        conn,
        "done_at IS NULL AND (recurrence IS NOT NULL OR interaction_id IS NOT NULL)",
    )
}

/// Active organizations with a cadence of their own, each with its last touch: the latest
/// interaction with it, or with one of its active people. Few have a cadence; each is two
/// indexed lookups (`interactions_by_organization`, `contacts_by_organization`).
fn organizations_with_cadence(conn: &Connection) -> Result<Vec<OrgCadence>> {
    let mut stmt = conn.prepare(
        "SELECT o.id, o.uid, o.name, o.cadence, o.created_at,
                (SELECT max(i.occurred_at) FROM interactions i WHERE i.organization_id = o.id),
                (SELECT max(i.occurred_at) FROM contacts c
                   JOIN interaction_participants p ON p.contact_id = c.id
                   JOIN interactions i ON i.id = p.interaction_id
                  WHERE c.organization_id = o.id AND c.archived_at IS NULL)
           FROM organizations o
          WHERE o.cadence IS NOT NULL AND o.archived_at IS NULL
          ORDER BY o.name_key, o.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        // An unreadable cadence (a hand edit) is no cadence, as for a contact.
        let Some(cadence) = r
            .get::<_, String>(3)
            .ok()
            .and_then(|c| Period::parse(&c).ok())
        else {
            continue;
        };
        let own: Option<String> = r.get(5)?;
        let people: Option<String> = r.get(6)?;
        // Both are UTC RFC 3339 text, which sorts as time does.
        let last = own.max(people);
        out.push(OrgCadence {
            organization: OrgRef {
                id: r.get(0)?,
                uid: r.get(1)?,
                name: r.get(2)?,
            },
            cadence,
            created_at: parse_ts(&r.get::<_, String>(4)?)?,
            last_touch_at: last.as_deref().map(parse_ts).transpose()?,
        });
    }
    Ok(out)
}

/// The open follow-ups the agenda shows: all but those of archived contacts, which wait with
/// them (restoring brings them back). `kith today --check` reads only these.
/// With `names` false, whom each is about is left unnamed (ids only).
pub fn open_follow_ups(conn: &Connection, names: bool) -> Result<Vec<Reminder>> {
    let mut follow_ups = reminders::list(
        conn,
        &ReminderFilter {
            state: ReminderState::Open,
            without_names: !names,
            ..ReminderFilter::default()
        },
    )?;
    let archived = archived_with_open_follow_ups(conn)?;
    follow_ups.retain(|r| r.contact.as_ref().is_none_or(|c| !archived.contains(&c.id)));
    Ok(follow_ups)
}

/// Fill in whom `follow_ups` are about (read unnamed by [`load`]): their uids and names.
pub fn name_follow_ups(conn: &Connection, follow_ups: &mut [AgendaFollowUp]) -> Result<()> {
    let mut contact =
        conn.prepare_cached("SELECT uid, display_name FROM contacts WHERE id = ?1")?;
    let mut organization =
        conn.prepare_cached("SELECT uid, name FROM organizations WHERE id = ?1")?;
    for f in follow_ups {
        if let Some(c) = &mut f.contact {
            (c.uid, c.name) = contact.query_row([c.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        }
        if let Some(o) = &mut f.organization {
            (o.uid, o.name) = organization.query_row([o.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        }
    }
    Ok(())
}

/// Archived contacts that still have open follow-ups: usually none, found from the archived
/// contacts' partial index (migration 0011) rather than by looking up every follow-up's.
fn archived_with_open_follow_ups(conn: &Connection) -> Result<HashSet<i64>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT c.id FROM contacts c INDEXED BY contacts_archived
           CROSS JOIN reminders r ON r.contact_id = c.id
          WHERE r.done_at IS NULL AND c.archived_at IS NOT NULL",
    )?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Archived contacts that have follow-ups, open or done (`kith reminders` marks theirs).
pub fn archived_with_follow_ups(conn: &Connection) -> Result<HashSet<i64>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT c.id FROM contacts c INDEXED BY contacts_archived
           CROSS JOIN reminders r ON r.contact_id = c.id
          WHERE c.archived_at IS NOT NULL",
    )?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// The active contacts the agenda can show (a cadence of their own or a tag's, a birthday or
/// a yearly date), in name order, with what the agenda reads of them.
fn contacts(conn: &Connection) -> Result<Vec<AgendaContact>> {
    // Those with a cadence or a birthday of their own come from `contacts_on_agenda`, a
    // partial index holding every column read here, already in name order (migration 0011):
    // the whole table is ten times its size. The rest (only a yearly date, or a cadence from
    // a tag) are usually none or few, read by id and put in order here, by the names' keys
    // (read only then).
    let others = agenda_rows(
        conn,
        "FROM contacts c
          WHERE c.id IN (SELECT contact_id FROM contact_dates
                         UNION SELECT ct.contact_id FROM tag_cadences tc
                           CROSS JOIN tags t ON t.name = tc.tag
                           CROSS JOIN contact_tags ct ON ct.tag_id = t.id)
            AND c.archived_at IS NULL AND c.cadence IS NULL AND c.birthday IS NULL",
        true,
    )?;
    let mut contacts = agenda_rows(
        conn,
        "FROM contacts c INDEXED BY contacts_on_agenda
          WHERE c.archived_at IS NULL AND (c.cadence IS NOT NULL OR c.birthday IS NOT NULL)
          ORDER BY c.name_key, c.id",
        !others.is_empty(),
    )?;
    if !others.is_empty() {
        contacts.extend(others);
        // SQLite orders text by its bytes, as Rust does.
        contacts.sort_by(|(a, x), (b, y)| (a, x.contact.id).cmp(&(b, y.contact.id)));
    }
    let mut contacts: Vec<AgendaContact> = contacts.into_iter().map(|(_, c)| c).collect();
    let index: HashMap<i64, usize> = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.contact.id, i))
        .collect();

    // Tags without a cadence play no part in the agenda; archived contacts are not indexed.
    let mut stmt = conn.prepare(
        "SELECT ct.contact_id, t.name FROM tag_cadences tc CROSS JOIN tags t ON t.name = tc.tag
           CROSS JOIN contact_tags ct ON ct.tag_id = t.id
          ORDER BY t.name",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
            contacts[i].tags.push(r.get(1)?);
        }
    }
    Ok(contacts)
}

/// The agenda's columns of the contacts `from_where` gives (an SQL tail on the alias `c`),
/// each with its name's sort key when `with_key`.
fn agenda_rows(
    conn: &Connection,
    from_where: &str,
    with_key: bool,
) -> Result<Vec<(Option<String>, AgendaContact)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id, c.uid, c.display_name, c.birthday, c.cadence, c.created_at,
                c.last_contact_at{}
           {from_where}",
        if with_key { ", c.name_key" } else { "" }
    ))?;
    // A book has a handful of distinct cadences: each text is parsed once.
    let mut cadences: Vec<(String, Option<Period>)> = Vec::new();
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let cadence = match text(r, 4)? {
            None => None,
            Some(text) => match cadences.iter().find(|(t, _)| t == text) {
                Some((_, period)) => *period,
                None => {
                    // Unreadable values are skipped as the full listing skips them.
                    let period = Period::parse(text).ok();
                    cadences.push((text.to_string(), period));
                    period
                }
            },
        };
        let birthday = match text(r, 3)? {
            None => None,
            Some(b) => Birthday::parse(b).ok(),
        };
        let contact = AgendaContact {
            contact: ContactRef {
                id: r.get(0)?,
                uid: r.get(1)?,
                name: r.get(2)?,
            },
            birthday,
            cadence,
            tags: Vec::new(),
            created_at: parse_ts(text(r, 5)?.unwrap_or_default())?,
            // Kept by the triggers of migration 0011.
            last_contact_at: text(r, 6)?.map(parse_ts).transpose()?,
        };
        out.push((if with_key { r.get(7)? } else { None }, contact));
    }
    Ok(out)
}

/// Column `i` as text borrowed from the row (NULL: None), without a copy.
fn text<'r>(r: &'r rusqlite::Row, i: usize) -> rusqlite::Result<Option<&'r str>> {
    r.get_ref(i)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}
