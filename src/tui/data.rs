//! The lists the interactive mode shows, loaded from the store in a few bulk queries and kept
//! in memory: drawing never touches the database (the briefs and the agenda come from the
//! application layer's view builders, `app::views`, as for the CLI). Loading happens at start, after each change
//! the user makes, and when another process changed the file (`PRAGMA data_version`). On a
//! large address book the first screen is read alone and the whole list on a thread with its
//! own connection (`App::loading`).

use std::collections::HashMap;

use rusqlite::Connection;

use crate::clock::Clock;
use crate::health::TrendDirection;
use crate::store::Store;

use crate::error::Result;
use crate::model::{Due, Organization, fold};
use crate::search::{Entry, Index};
use crate::store::contacts::{self, ContactFilter};
use crate::store::tags::{self, TagCount};
use crate::store::{contact_list, organizations, search};

/// How many interactions the briefs' timelines hold (more than `kith show` prints).
pub const TIMELINE: usize = 30;

/// One line of the contact list, and what the filter matches it on (the fields `kith find`
/// searches).
#[derive(Debug, Clone, Default)]
pub struct ContactRow {
    pub id: i64,
    pub name: String,
    pub organization: Option<String>,
    pub nickname: Option<String>,
    pub title: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub tags: Vec<String>,
}

/// Everything the lists show.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Active contacts, by name (only the first ones while the rest load: see `App::loading`).
    pub contacts: Vec<ContactRow>,
    pub organizations: Vec<Organization>,
    pub tags: Vec<TagCount>,
    /// When each open follow-up is due (the tab bar counts those due by today). Set through
    /// [`Snapshot::set_follow_up_dues`], which forgets the count.
    follow_up_dues: Vec<Due>,
    /// How many of them are due by a day, counted once for that day: every frame shows the
    /// count, and counting 150k follow-ups (a million contacts) took most of a frame.
    due_count: std::cell::Cell<Option<(chrono::NaiveDate, usize)>>,
    /// Each active contact's health and trend (the list's column and its sort); empty until
    /// worked out (on a large book it follows the list from the loading thread).
    pub health: HashMap<i64, HealthMark>,
}

impl Snapshot {
    /// When each open follow-up is due.
    pub fn follow_up_dues(&self) -> &[Due] {
        &self.follow_up_dues
    }

    pub fn set_follow_up_dues(&mut self, dues: Vec<Due>) {
        self.follow_up_dues = dues;
        self.due_count.set(None);
    }

    /// How many open follow-ups are due by `today` (their day where the user is).
    pub fn due_by(&self, today: chrono::NaiveDate) -> usize {
        if let Some((day, count)) = self.due_count.get()
            && day == today
        {
            return count;
        }
        let count = self
            .follow_up_dues
            .iter()
            .filter(|d| d.local_day(&chrono::Local) <= today)
            .count();
        self.due_count.set(Some((today, count)));
        count
    }
}

/// A contact's health as the list shows it: "84↓".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthMark {
    pub score: u8,
    pub trend: Option<TrendDirection>,
}

/// The health of every active contact now, by id (`app::views::health`, as `kith health`).
pub fn health_marks(store: &Store, clock: Clock) -> Result<HashMap<i64, HealthMark>> {
    Ok(crate::app::views::health::scores_now(store, clock)?
        .into_iter()
        .map(|(id, h)| {
            let mark = HealthMark {
                score: h.score,
                trend: h.trend.map(|t| t.direction),
            };
            (id, mark)
        })
        .collect())
}

/// Every active contact, by folded name then id, with all the fields the filter matches: one
/// sequential read of the compact search rows (`contact_search`), whatever the count.
pub fn all_contacts(conn: &Connection) -> Result<Vec<ContactRow>> {
    let mut keyed: Vec<(String, ContactRow)> = crate::store::search::entries(conn, false)?
        .into_iter()
        .map(|row| (fold(&row.entry.display_name), row_of(row.entry)))
        .collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
    Ok(keyed.into_iter().map(|(_, row)| row).collect())
}

fn row_of(e: Entry) -> ContactRow {
    ContactRow {
        id: e.contact_id,
        name: e.display_name,
        organization: e.organization,
        nickname: e.nickname,
        title: e.title,
        emails: e.emails,
        phones: e.phones,
        tags: e.tags,
    }
}

/// A row of the list with its highlighted characters (see `filter::shown_positions`).
pub type Highlighted = (ContactRow, Vec<usize>);

/// The best `limit` active contacts for `query`, best first, each with its highlighted
/// characters, and how many match in all: what the filter bar shows, found the `kith find`
/// way (one pass over the stored search chunks) for while the whole list is still loading.
pub fn stored_matches(
    conn: &Connection,
    query: &str,
    limit: usize,
) -> Result<(Vec<Highlighted>, usize)> {
    let matches = search::best_matches(conn, query, &search::Scope::default(), limit)?;
    let index = Index::build(matches.rows.into_iter().map(|r| r.entry).collect());
    let found = index
        .query(query, limit)
        .into_iter()
        .filter_map(|hit| {
            let (_, entry) = index.entry(&hit)?;
            let positions = super::filter::shown_positions(&hit, &entry.display_name);
            Some((row_of(entry.clone()), positions))
        })
        .collect();
    Ok((found, matches.total))
}

/// The due dates of open follow-ups, leaving out those of contacts not in `active` (archived
/// ones: the agenda hides their follow-ups too).
pub fn active_dues(dues: Vec<(Due, Option<i64>)>, active: &[ContactRow]) -> Vec<Due> {
    let ids: std::collections::HashSet<i64> = active.iter().map(|c| c.id).collect();
    dues.into_iter()
        .filter(|(_, contact)| contact.is_none_or(|id| ids.contains(&id)))
        .map(|(due, _)| due)
        .collect()
}

/// The first `limit` active contacts in list order, with what the list shows (not what the
/// filter needs: the filter waits for [`all_contacts`]).
pub fn first_contacts(conn: &Connection, limit: usize) -> Result<Vec<ContactRow>> {
    Ok(contact_list::first_by_name(conn, limit)?
        .into_iter()
        .map(|c| ContactRow {
            id: c.id,
            name: c.display_name,
            organization: c.organization,
            nickname: c.nickname,
            ..ContactRow::default()
        })
        .collect())
}

/// The organization and tag lists (loaded on first visit to their views).
pub fn lists(conn: &Connection) -> Result<(Vec<Organization>, Vec<TagCount>)> {
    Ok((organizations::list(conn, false, None)?, tags::counts(conn)?))
}

/// A counter SQLite bumps whenever another connection commits to the file.
pub fn data_version(conn: &Connection) -> Result<i64> {
    crate::store::data_version(conn)
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
    .map(|c| ContactRow {
        id: c.id,
        emails: c.fields.emails.into_iter().map(|e| e.value).collect(),
        phones: c.fields.phones.into_iter().map(|p| p.value).collect(),
        name: c.fields.display_name,
        organization: c.fields.organization,
        nickname: c.fields.nickname,
        title: c.fields.title,
        tags: c.fields.tags,
    })
    .collect())
}
