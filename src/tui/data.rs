//! What the interactive mode shows, loaded from the store in a few bulk queries and kept in
//! memory: drawing never touches the database. Loading happens at start, after each change
//! the user makes, and when another process changed the file (`PRAGMA data_version`).

use chrono::{Duration, Local, NaiveDate};
use rusqlite::Connection;

use super::filter::Haystack;
use crate::clock::Clock;
use crate::error::Result;
use crate::model::{Organization, Reminder};
use crate::output::brief::{ContactBrief, ContactStatus, OrgBrief};
use crate::store::contacts::{self, Archived, ContactFilter};
use crate::store::reminders::{self, ReminderFilter};
use crate::store::tags::{self, TagCount};
use crate::store::{interactions, organizations, relationships};

/// How many interactions the brief's timeline holds.
pub const TIMELINE: usize = 30;

/// One line of the contact list.
#[derive(Debug, Clone)]
pub struct ContactRow {
    pub id: i64,
    pub name: String,
    pub organization: Option<String>,
    pub hay: Haystack,
}

impl ContactRow {
    pub fn new(id: i64, name: String, organization: Option<String>) -> ContactRow {
        let display = match &organization {
            Some(o) => format!("{name}  {o}"),
            None => name.clone(),
        };
        ContactRow {
            id,
            hay: Haystack::new(&display),
            name,
            organization,
        }
    }
}

impl AsRef<Haystack> for ContactRow {
    fn as_ref(&self) -> &Haystack {
        &self.hay
    }
}

/// Everything the lists show.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Active contacts, by name.
    pub contacts: Vec<ContactRow>,
    pub organizations: Vec<Organization>,
    /// Open follow-ups, soonest first.
    pub follow_ups: Vec<Reminder>,
    pub tags: Vec<TagCount>,
}

impl Snapshot {
    pub fn load(conn: &Connection) -> Result<Snapshot> {
        let mut rows: Vec<ContactRow> = contacts::name_candidates(conn, false)?
            .into_iter()
            .map(|c| ContactRow::new(c.id, c.display_name, c.organization))
            .collect();
        rows.sort_by(|a, b| a.hay.folded().cmp(b.hay.folded()).then(a.id.cmp(&b.id)));
        Ok(Snapshot {
            contacts: rows,
            organizations: organizations::list(conn, false, None)?,
            follow_ups: reminders::list(conn, &ReminderFilter::default())?,
            tags: tags::counts(conn)?,
        })
    }
}

/// A counter SQLite bumps whenever another connection commits to the file.
pub fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

/// The brief of one contact, with a longer timeline than `kith show` prints.
pub fn contact_brief(conn: &Connection, id: i64, clock: Clock) -> Result<ContactBrief> {
    let contact = contacts::get(conn, id)?;
    let history = interactions::list(
        conn,
        &interactions::InteractionFilter {
            contact_id: Some(id),
            limit: Some(TIMELINE),
            ..Default::default()
        },
    )?;
    let follow_ups = reminders::list(
        conn,
        &ReminderFilter {
            contact_id: Some(id),
            ..Default::default()
        },
    )?;
    let links = relationships::for_contact(conn, id)?;
    Ok(ContactBrief::new(
        contact, history, follow_ups, links, clock,
    ))
}

/// An organization with its people and their merged timeline (what `kith org show` prints).
pub fn org_brief(conn: &Connection, id: i64, clock: Clock) -> Result<OrgBrief> {
    let org = organizations::get(conn, id)?;
    let people = contacts::list(
        conn,
        &ContactFilter {
            organization_id: Some(id),
            archived: Archived::Exclude,
            ..Default::default()
        },
    )?;
    let timeline = interactions::list(
        conn,
        &interactions::InteractionFilter {
            organization_id: Some(id),
            limit: Some(TIMELINE),
            ..Default::default()
        },
    )?;
    let follow_ups = reminders::list(
        conn,
        &ReminderFilter {
            organization_id: Some(id),
            organization_wide: true,
            ..Default::default()
        },
    )?;
    Ok(OrgBrief::new(org, people, timeline, follow_ups, clock))
}

/// Active contacts carrying `tag`, by name.
pub fn tagged(conn: &Connection, tag: &str) -> Result<Vec<ContactRow>> {
    Ok(contacts::list(
        conn,
        &ContactFilter {
            tag: Some(tag.to_string()),
            ..Default::default()
        },
    )?
    .into_iter()
    .map(|c| ContactRow::new(c.id, c.fields.display_name, c.fields.organization))
    .collect())
}

/// The sections of the agenda, in the order shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AgendaSection {
    Overdue,
    Today,
    Upcoming,
    KeepInTouch,
    Birthdays,
}

impl AgendaSection {
    pub fn title(self) -> &'static str {
        match self {
            AgendaSection::Overdue => "Overdue",
            AgendaSection::Today => "Due today",
            AgendaSection::Upcoming => "Coming up (7 days)",
            AgendaSection::KeepInTouch => "Past their keep-in-touch cadence",
            AgendaSection::Birthdays => "Birthdays this week",
        }
    }
}

/// One line of the agenda.
#[derive(Debug, Clone)]
pub struct AgendaItem {
    pub section: AgendaSection,
    pub day: NaiveDate,
    pub text: String,
    pub who: String,
    pub contact_id: Option<i64>,
    pub reminder_id: Option<i64>,
}

/// What is due: open follow-ups that are overdue, due today or within a week; contacts past
/// their cadence; birthdays in the coming week.
// Seam: replaced by `crate::agenda` (the `kith today` computation) once that lands.
pub fn agenda(conn: &Connection, follow_ups: &[Reminder], clock: Clock) -> Result<Vec<AgendaItem>> {
    let today = clock.today();
    let week = today + Duration::days(7);
    let mut items = Vec::new();
    for r in follow_ups {
        let day = r.effective_due().local_day(&Local);
        let section = if day < today {
            AgendaSection::Overdue
        } else if day == today {
            AgendaSection::Today
        } else if day <= week {
            AgendaSection::Upcoming
        } else {
            continue;
        };
        items.push(AgendaItem {
            section,
            day,
            text: r.text.clone(),
            who: r
                .contact
                .as_ref()
                .map(|c| c.name.clone())
                .or_else(|| r.organization.as_ref().map(|o| o.name.clone()))
                .unwrap_or_default(),
            contact_id: r.contact.as_ref().map(|c| c.id),
            reminder_id: Some(r.id),
        });
    }
    for c in contacts::list(conn, &ContactFilter::default())? {
        if let Some(over) = ContactStatus::of(&c, clock).cadence_overdue_by_days
            && over > 0
        {
            items.push(AgendaItem {
                section: AgendaSection::KeepInTouch,
                day: today - Duration::days(over),
                text: format!(
                    "no contact for {} days (every {})",
                    over + c.fields.cadence.map_or(0, |p| p.approx_days()),
                    c.fields.cadence.map(|p| p.to_string()).unwrap_or_default()
                ),
                who: c.fields.display_name.clone(),
                contact_id: Some(c.id),
                reminder_id: None,
            });
        }
        if let Some(b) = c.fields.birthday {
            let next = b.next_on_or_after(today);
            if next <= week {
                let turns = b
                    .year
                    .map(|y| format!(", turns {}", chrono::Datelike::year(&next) - y))
                    .unwrap_or_default();
                items.push(AgendaItem {
                    section: AgendaSection::Birthdays,
                    day: next,
                    text: format!("birthday{turns}"),
                    who: c.fields.display_name.clone(),
                    contact_id: Some(c.id),
                    reminder_id: None,
                });
            }
        }
    }
    items.sort_by(|a, b| {
        (a.section, a.day, &a.who, a.reminder_id).cmp(&(b.section, b.day, &b.who, b.reminder_id))
    });
    Ok(items)
}
