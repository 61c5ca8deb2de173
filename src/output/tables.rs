//! The tables of contacts, organizations and follow-ups (`kith list`, `kith org list`,
//! `kith reminders`), and the contact CSV row. Cells are sanitized by [`Table::row`].

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Local, NaiveDate, Utc};

use super::{Painter, Table};
use crate::clock::Clock;
use crate::dates::Period;
use crate::dates::relative_date;
use crate::health::Health;
use crate::model::{Contact, Due, Organization, Reminder};
use crate::store::contacts::ListedContact;
use crate::store::reminders;

pub fn contact_table(people: &[Contact], clock: Clock, width: Option<usize>, p: Painter) -> String {
    contact_rows(people, clock, None).render(width, p)
}

/// The table of [`contact_table`], to be written out line by line ([`Table::write`]); with
/// `health` (`kith list --sort health`) a HEALTH column ("82 →") after the ID.
pub fn contact_rows(
    people: &[Contact],
    clock: Clock,
    health: Option<&HashMap<i64, Health>>,
) -> Table {
    let today = clock.today();
    let mut table = contact_list_table(health.is_some());
    for c in people {
        let mut cells = contact_cells(ListedContact::of(c), today).to_vec();
        if let Some(scores) = health {
            let score = scores.get(&c.id).map(super::health::score_with_arrow);
            cells.insert(1, score.unwrap_or_default());
        }
        table.row(cells);
    }
    table
}

/// The empty table of `kith list`: its headers and how its columns give way; with
/// `health`, a HEALTH column after the ID (the other columns move one right).
pub fn contact_list_table(health: bool) -> Table {
    let at = |i: usize| i + usize::from(health);
    let mut headers = vec!["ID"];
    if health {
        headers.push("HEALTH");
    }
    headers.extend([
        "NAME",
        "ORGANIZATION",
        "EMAIL",
        "PHONE",
        "TAGS",
        "LAST CONTACT",
    ]);
    Table::new(headers)
        .right_align(0)
        .min_width(at(1), 18)
        .min_width(at(2), 12)
        .min_width(at(6), 12)
        .droppable(&[at(4), at(5), at(3), at(2)])
}

/// The cells of one contact's line in [`contact_list_table`] (without HEALTH).
pub fn contact_cells(c: ListedContact, today: NaiveDate) -> [String; 7] {
    let last = (c.last_contact_at)
        .map(|t| relative_date(t.with_timezone(&Local).date_naive(), today))
        .unwrap_or_else(|| "never".into());
    cells_with_last(c, last)
}

/// A contact's line with `last`, the words for their last contact, as its last cell.
fn cells_with_last(c: ListedContact, last: String) -> [String; 7] {
    [
        c.id.to_string(),
        c.display_name,
        c.organization.unwrap_or_default(),
        c.email.unwrap_or_default(),
        c.phone.unwrap_or_default(),
        c.tags,
        last,
    ]
}

/// [`contact_cells`] for a whole listing: the words for each day of last contact ("3 weeks
/// ago") are worked out once a day rather than once a contact.
pub struct ContactCells {
    today: NaiveDate,
    said: HashMap<NaiveDate, String>,
}

impl ContactCells {
    pub fn new(today: NaiveDate) -> ContactCells {
        ContactCells {
            today,
            said: HashMap::new(),
        }
    }

    /// What [`contact_cells`] makes of `c`.
    pub fn of(&mut self, c: ListedContact) -> [String; 7] {
        let today = self.today;
        let last = match c.last_contact_at {
            Some(t) => self
                .said
                .entry(t.with_timezone(&Local).date_naive())
                .or_insert_with_key(|&day| relative_date(day, today))
                .clone(),
            None => "never".into(),
        };
        cells_with_last(c, last)
    }
}

pub const CONTACT_CSV_HEADERS: &[&str] = &[
    "id",
    "uid",
    "display_name",
    "given_name",
    "family_name",
    "nickname",
    "organization",
    "title",
    "emails",
    "phones",
    "tags",
    "birthday",
    "preferred_channel",
    "cadence",
    "last_contact_at",
    "created_at",
    "archived_at",
];

/// One CSV row; lists are joined with "; ".
pub fn contact_csv_row(c: &Contact) -> Vec<String> {
    let f = &c.fields;
    let join = |l: &[crate::model::Labeled]| {
        l.iter()
            .map(|x| x.value.clone())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let ts = |t: Option<DateTime<Utc>>| t.map(crate::store::ts).unwrap_or_default();
    vec![
        c.id.to_string(),
        c.uid.clone(),
        f.display_name.clone(),
        f.given_name.clone().unwrap_or_default(),
        f.family_name.clone().unwrap_or_default(),
        f.nickname.clone().unwrap_or_default(),
        f.organization.clone().unwrap_or_default(),
        f.title.clone().unwrap_or_default(),
        join(&f.emails),
        join(&f.phones),
        f.tags.join("; "),
        f.birthday.map(|b| b.to_string()).unwrap_or_default(),
        f.preferred_channel
            .map(|c| c.to_string())
            .unwrap_or_default(),
        f.cadence.map(|c| c.to_string()).unwrap_or_default(),
        ts(c.last_contact_at),
        crate::store::ts(c.created_at),
        ts(c.archived_at),
    ]
}

/// Follow-ups as a table; those about a contact in `archived` say "(archived)" beside the name
/// (they are off the agenda until the contact is restored).
pub fn reminder_table(
    reminders: &[Reminder],
    archived: &HashSet<i64>,
    clock: Clock,
    width: Option<usize>,
    p: Painter,
) -> String {
    reminder_rows(reminders, archived, clock).render(width, p)
}

/// The table of [`reminder_table`], to be written out line by line ([`Table::write`]).
pub fn reminder_rows(reminders: &[Reminder], archived: &HashSet<i64>, clock: Clock) -> Table {
    reminder_rows_of(
        reminders.len(),
        0,
        &HashSet::new(),
        reminders.iter().map(|r| FollowUpRow {
            id: r.id,
            due: r.effective_due(),
            snoozed: r.snoozed_until.is_some(),
            done: r.done_at.is_some(),
            contact_id: r.contact.as_ref().map(|c| c.id),
            about: match (&r.contact, &r.organization) {
                (Some(c), _) => &c.name,
                (None, Some(o)) => &o.name,
                _ => "",
            },
            text: &r.text,
            recurrence: r.recurrence,
        }),
        archived,
        clock,
    )
}

/// [`reminder_rows`] of the follow-ups as `kith reminders` reads them ([`reminders::lines`]).
/// `namesakes`: the contacts named with their #id (another has their name).
pub fn reminder_line_rows(
    lines: &reminders::ReminderLines,
    archived: &HashSet<i64>,
    namesakes: &HashSet<i64>,
    clock: Clock,
) -> Table {
    // Besides the texts, a row's id, dates and words take about 40 bytes.
    let rows = lines.lines.len();
    reminder_rows_of(
        rows,
        lines.text.len() + 40 * rows,
        namesakes,
        lines.lines.iter().map(|l| FollowUpRow {
            id: l.id,
            due: l.due,
            snoozed: l.snoozed,
            done: l.done,
            contact_id: l.contact_id,
            about: lines.str(&l.about),
            text: lines.str(&l.text),
            recurrence: l.recurrence,
        }),
        archived,
        clock,
    )
}

/// What a row of the follow-up table shows, its texts borrowed.
struct FollowUpRow<'a> {
    id: i64,
    due: Due,
    snoozed: bool,
    done: bool,
    contact_id: Option<i64>,
    about: &'a str,
    text: &'a str,
    recurrence: Option<Period>,
}

fn reminder_rows_of<'a>(
    count: usize,
    text: usize,
    namesakes: &HashSet<i64>,
    rows: impl Iterator<Item = FollowUpRow<'a>>,
    archived: &HashSet<i64>,
    clock: Clock,
) -> Table {
    use std::fmt::Write as _;
    let today = clock.today();
    let mut table = Table::new(["ID", "DUE", "WHEN", "ABOUT", "FOLLOW-UP", "REPEATS"])
        .right_align(0)
        .min_width(2, 12)
        .min_width(3, 14)
        .min_width(4, 20)
        .droppable(&[5, 1]);
    table.reserve(count, text);
    // A long list is in due order, most days with many follow-ups: each day's two texts are
    // made once. The other cells are written into buffers kept from row to row.
    let mut last: Option<(Due, String, String)> = None;
    let (mut id, mut when, mut about, mut every) =
        (String::new(), String::new(), String::new(), String::new());
    for r in rows {
        let (shown, relative) = match &last {
            Some((d, shown, relative)) if *d == r.due => (shown, relative),
            _ => {
                let shown = r.due.display_local(&Local);
                let relative = relative_date(r.due.local_day(&Local), today);
                let (_, shown, relative) = last.insert((r.due, shown, relative));
                (&*shown, &*relative)
            }
        };
        when.clear();
        if r.done {
            when.push_str("done");
        } else {
            when.push_str(relative);
            if r.snoozed {
                when.push_str(" (snoozed)");
            }
        }
        about.clear();
        about.push_str(r.about);
        if let Some(id) = r.contact_id.filter(|id| namesakes.contains(id)) {
            let _ = write!(about, " #{id}");
        }
        if r.contact_id.is_some_and(|c| archived.contains(&c)) {
            about.push_str(" (archived)");
        }
        id.clear();
        crate::numbers::push_decimal(&mut id, r.id);
        every.clear();
        if let Some(p) = r.recurrence {
            let _ = write!(every, "{p}");
        }
        table.row([
            id.as_str(),
            shown,
            when.as_str(),
            about.as_str(),
            r.text,
            every.as_str(),
        ]);
    }
    table
}

pub fn organization_table(orgs: &[Organization], width: Option<usize>, p: Painter) -> String {
    let mut table = Table::new(["ID", "NAME", "DOMAIN", "PEOPLE", "TAGS"])
        .right_align(0)
        .right_align(3)
        .min_width(1, 18)
        .droppable(&[4, 2]);
    for o in orgs {
        table.row([
            o.id.to_string(),
            o.name.clone(),
            o.domain.clone().unwrap_or_default(),
            o.contact_count.to_string(),
            o.tags.join(","),
        ]);
    }
    table.render(width, p)
}

/// `kith org list --sort health`: the organizations healthiest first, each with its score
/// and the reasons in short.
pub fn organization_health_table(
    orgs: &[(Organization, crate::account::AccountHealth)],
    width: Option<usize>,
    p: Painter,
) -> String {
    let mut table = Table::new(["ID", "NAME", "HEALTH", "PEOPLE", "WHY"])
        .right_align(0)
        .right_align(2)
        .right_align(3)
        .min_width(1, 18)
        .droppable(&[4]);
    for (o, h) in orgs {
        table.row([
            o.id.to_string(),
            o.name.clone(),
            h.score.to_string(),
            o.contact_count.to_string(),
            h.summary(),
        ]);
    }
    table.render(width, p)
}
