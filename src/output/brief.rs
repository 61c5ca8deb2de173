//! Human renderings of kith's records: the contact brief, the organization brief, and the
//! tables of contacts, organizations and follow-ups. Every stored string passes through
//! `sanitize_line` / `sanitize_block` before it reaches the terminal.

use std::fmt::Write as _;

use chrono::{DateTime, Local, Utc};
use serde::Serialize;

use super::{Painter, Role, Table, sanitize_block, sanitize_line};
use crate::clock::Clock;
use crate::dates::{describe_period, relative_date, relative_time};
use crate::model::{Channel, Contact, Interaction, Organization, Relationship, Reminder};

/// How many interactions the brief shows unless `--full`.
pub const RECENT_INTERACTIONS: usize = 5;

fn local_day(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d").to_string()
}

/// How long since the last interaction, against the contact's cadence.
#[derive(Debug, Clone, Serialize)]
pub struct ContactStatus {
    pub days_since_last_contact: Option<i64>,
    pub cadence_days: Option<i64>,
    /// Days past the cadence (positive) or left before it (negative).
    pub cadence_overdue_by_days: Option<i64>,
}

impl ContactStatus {
    pub fn of(contact: &Contact, clock: Clock) -> ContactStatus {
        let today = clock.today();
        // Never contacted: count from when they were added, so a cadence still comes due.
        let since = contact
            .last_contact_at
            .map(|t| crate::dates::days_between(t.with_timezone(&Local).date_naive(), today));
        let cadence_days = contact.fields.cadence.map(|p| p.approx_days());
        let reference = since.unwrap_or_else(|| {
            crate::dates::days_between(contact.created_at.with_timezone(&Local).date_naive(), today)
        });
        ContactStatus {
            days_since_last_contact: since,
            cadence_days,
            cadence_overdue_by_days: cadence_days.map(|c| reference - c),
        }
    }
}

/// Everything `kith show` prints, in the shape `--json` gives it.
#[derive(Debug, Serialize)]
pub struct ContactBrief {
    pub contact: Contact,
    pub status: ContactStatus,
    pub interactions: Vec<Interaction>,
    pub follow_ups: Vec<Reminder>,
    pub relationships: Vec<Relationship>,
    #[serde(skip)]
    clock: Clock,
}

impl ContactBrief {
    pub fn new(
        contact: Contact,
        interactions: Vec<Interaction>,
        follow_ups: Vec<Reminder>,
        relationships: Vec<Relationship>,
        clock: Clock,
    ) -> ContactBrief {
        ContactBrief {
            status: ContactStatus::of(&contact, clock),
            contact,
            interactions,
            follow_ups,
            relationships,
            clock,
        }
    }

    pub fn render(&self, p: Painter, width: Option<usize>) -> String {
        let c = &self.contact;
        let f = &c.fields;
        let mut out = String::new();
        let mut title = p.paint(Role::Heading, &sanitize_line(&f.display_name));
        if let Some(nick) = &f.nickname {
            let _ = write!(title, " “{}”", sanitize_line(nick));
        }
        let _ = write!(title, "  {}", p.paint(Role::Dim, &format!("#{}", c.id)));
        if c.archived_at.is_some() {
            let _ = write!(title, "  {}", p.paint(Role::Warn, "(archived)"));
        }
        let _ = writeln!(out, "{title}");
        let role = match (&f.title, &f.organization) {
            (Some(t), Some(o)) => Some(format!("{} at {}", sanitize_line(t), sanitize_line(o))),
            (Some(t), None) => Some(sanitize_line(t).into_owned()),
            (None, Some(o)) => Some(sanitize_line(o).into_owned()),
            (None, None) => None,
        };
        if let Some(role) = role {
            let _ = writeln!(out, "{role}");
        }
        if !f.tags.is_empty() {
            let tags: Vec<String> = f
                .tags
                .iter()
                .map(|t| format!("#{}", sanitize_line(t)))
                .collect();
            let _ = writeln!(out, "{}", p.paint(Role::Accent, &tags.join(" ")));
        }

        // How to reach them: the preferred channel's details first, marked.
        let mut reach: Vec<(bool, &str, String)> = Vec::new();
        let preferred = f.preferred_channel;
        let push = |reach: &mut Vec<(bool, &str, String)>,
                    kind: &'static str,
                    list: &[crate::model::Labeled],
                    preferred_here: bool| {
            for item in list {
                reach.push((
                    preferred_here,
                    kind,
                    sanitize_line(&item.display()).into_owned(),
                ));
            }
        };
        let phone_first = matches!(
            preferred,
            Some(Channel::Call | Channel::Message | Channel::Video)
        );
        let social_first = matches!(preferred, Some(Channel::Social));
        let letter_first = matches!(preferred, Some(Channel::Letter));
        let email_first = matches!(preferred, Some(Channel::Email));
        push(&mut reach, "email", &f.emails, email_first);
        push(&mut reach, "phone", &f.phones, phone_first);
        push(&mut reach, "social", &f.socials, social_first);
        push(&mut reach, "url", &f.urls, false);
        push(&mut reach, "address", &f.addresses, letter_first);
        reach.sort_by_key(|(pref, _, _)| !*pref);
        if !reach.is_empty() || preferred.is_some() {
            section(&mut out, p, "Reach");
            if let Some(ch) = preferred {
                let _ = writeln!(out, "  prefers {}", p.paint(Role::Accent, ch.as_str()));
            }
            for (pref, kind, value) in &reach {
                let mark = if *pref {
                    p.paint(Role::Accent, "★")
                } else {
                    " ".into()
                };
                let _ = writeln!(out, "{mark} {:<8}{value}", kind);
            }
        }

        section(&mut out, p, "Keeping in touch");
        let today = self.clock.today();
        match (self.status.days_since_last_contact, c.last_contact_at) {
            (Some(_), Some(t)) => {
                let _ = writeln!(
                    out,
                    "  last contact {} ({})",
                    relative_date(t.with_timezone(&Local).date_naive(), today),
                    local_day(t)
                );
            }
            _ => {
                let _ = writeln!(out, "  no interactions logged yet");
            }
        }
        if let (Some(cadence), Some(over)) = (f.cadence, self.status.cadence_overdue_by_days) {
            let every = describe_period(&cadence);
            let line = if over > 0 {
                p.paint(Role::Bad, &format!("every {every}: overdue by {over} days"))
            } else {
                format!("every {every}: due in {} days", -over)
            };
            let _ = writeln!(out, "  {line}");
        }
        if let Some(b) = f.birthday {
            let next = b.next_on_or_after(today);
            let turns = b
                .year
                .map(|y| format!(", turns {}", chrono::Datelike::year(&next) - y))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  birthday {b} ({}{turns})",
                relative_date(next, today)
            );
        }

        if !self.follow_ups.is_empty() {
            section(&mut out, p, "Follow-ups");
            for r in &self.follow_ups {
                let _ = writeln!(out, "  {}", reminder_line(r, self.clock, p));
            }
        }

        section(&mut out, p, "Recent");
        if self.interactions.is_empty() {
            let _ = writeln!(out, "  nothing logged: `kith log {} \"...\"`", c.id);
        }
        for i in &self.interactions {
            let _ = writeln!(out, "  {}", interaction_line(i, c.id, self.clock, p, width));
        }

        if !self.relationships.is_empty() {
            section(&mut out, p, "Relationships");
            for r in &self.relationships {
                let _ = writeln!(out, "  {}", relationship_line(r, c.id));
            }
        }
        if let Some(notes) = &f.notes {
            section(&mut out, p, "Notes");
            for line in sanitize_block(notes).lines() {
                let _ = writeln!(out, "  {line}");
            }
        }
        out
    }
}

fn section(out: &mut String, p: Painter, name: &str) {
    let _ = writeln!(out, "\n{}", p.paint(Role::Label, name));
}

/// "2026-11-21  call →  Budget approved  (3 days ago)", naming the other participants.
pub fn interaction_line(
    i: &Interaction,
    about: i64,
    clock: Clock,
    p: Painter,
    width: Option<usize>,
) -> String {
    let arrow = match i.direction {
        Some(crate::model::Direction::In) => "←",
        Some(crate::model::Direction::Out) => "→",
        None => " ",
    };
    let others: Vec<String> = i
        .participants
        .iter()
        .filter(|c| c.id != about)
        .map(|c| sanitize_line(&c.name).into_owned())
        .collect();
    let with = if others.is_empty() {
        String::new()
    } else {
        format!(" (with {})", others.join(", "))
    };
    let mut summary = format!("{}{with}", sanitize_line(&i.summary));
    if let Some(w) = width {
        summary = super::truncate(&summary, w.saturating_sub(24).max(20)).into_owned();
    }
    format!(
        "{}  {:<7} {arrow} {summary}  {}",
        local_day(i.occurred_at),
        i.channel.as_str(),
        p.paint(Role::Dim, &relative_time(i.occurred_at, &clock.local())),
    )
}

pub fn reminder_line(r: &Reminder, clock: Clock, p: Painter) -> String {
    let local = clock.local();
    let today = clock.today();
    let due = r.effective_due();
    let day = due.local_day(&Local);
    let when = relative_date(day, today);
    let role = if r.done_at.is_some() {
        Role::Dim
    } else if day < today {
        Role::Bad
    } else if day == today {
        Role::Warn
    } else {
        Role::Good
    };
    let mut extra = String::new();
    if let Some(period) = r.recurrence {
        let _ = write!(extra, " ↻ every {}", describe_period(&period));
    }
    if r.snoozed_until.is_some() {
        extra.push_str(" (snoozed)");
    }
    if let Some(done) = r.done_at {
        let _ = write!(extra, " done {}", relative_time(done, &local));
    }
    format!(
        "{}  {} {}  {}{extra}",
        p.paint(Role::Dim, &format!("#{}", r.id)),
        p.paint(role, &when),
        p.paint(
            Role::Dim,
            &format!("({})", due.to_db().replace('T', " ").trim_end_matches('Z'))
        ),
        sanitize_line(&r.text),
    )
}

/// A relationship seen from contact `about`.
pub fn relationship_line(r: &Relationship, about: i64) -> String {
    let kind = r.kind.replace('-', " ");
    let note = r
        .note
        .as_deref()
        .map(|n| format!(" — {}", sanitize_line(n)))
        .unwrap_or_default();
    if r.from.id == about {
        format!("{kind} {} (#{}){note}", sanitize_line(&r.to.name), r.to.id)
    } else {
        format!(
            "{} (#{}) {kind} them{note}",
            sanitize_line(&r.from.name),
            r.from.id
        )
    }
}

pub fn contact_table(people: &[Contact], clock: Clock, width: Option<usize>, p: Painter) -> String {
    let today = clock.today();
    let mut table = Table::new([
        "ID",
        "NAME",
        "ORGANIZATION",
        "EMAIL",
        "PHONE",
        "TAGS",
        "LAST CONTACT",
    ])
    .right_align(0);
    for c in people {
        let f = &c.fields;
        table.row([
            c.id.to_string(),
            f.display_name.clone(),
            f.organization.clone().unwrap_or_default(),
            f.emails
                .first()
                .map(|e| e.value.clone())
                .unwrap_or_default(),
            f.phones
                .first()
                .map(|e| e.value.clone())
                .unwrap_or_default(),
            f.tags.join(","),
            c.last_contact_at
                .map(|t| relative_date(t.with_timezone(&Local).date_naive(), today))
                .unwrap_or_else(|| "never".into()),
        ]);
    }
    table.render(width, p)
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

pub fn reminder_table(
    reminders: &[Reminder],
    clock: Clock,
    width: Option<usize>,
    p: Painter,
) -> String {
    let today = clock.today();
    let mut table =
        Table::new(["ID", "DUE", "WHEN", "ABOUT", "FOLLOW-UP", "REPEATS"]).right_align(0);
    for r in reminders {
        let due = r.effective_due();
        let about = match (&r.contact, &r.organization) {
            (Some(c), _) => c.name.clone(),
            (None, Some(o)) => o.name.clone(),
            _ => String::new(),
        };
        let mut when = relative_date(due.local_day(&Local), today);
        if r.snoozed_until.is_some() {
            when.push_str(" (snoozed)");
        }
        if r.done_at.is_some() {
            when = "done".into();
        }
        table.row([
            r.id.to_string(),
            due.to_db(),
            when,
            about,
            r.text.clone(),
            r.recurrence.map(|p| p.to_string()).unwrap_or_default(),
        ]);
    }
    table.render(width, p)
}

pub fn organization_table(orgs: &[Organization], width: Option<usize>, p: Painter) -> String {
    let mut table = Table::new(["ID", "NAME", "DOMAIN", "PEOPLE", "TAGS"])
        .right_align(0)
        .right_align(3);
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

/// Everything `kith org show` prints, in the shape `--json` gives it.
#[derive(Debug, Serialize)]
pub struct OrgBrief {
    pub organization: Organization,
    /// Its people, most recently contacted first.
    pub people: Vec<Contact>,
    pub interactions: Vec<Interaction>,
    pub follow_ups: Vec<Reminder>,
    #[serde(skip)]
    clock: Clock,
}

impl OrgBrief {
    pub fn new(
        organization: Organization,
        mut people: Vec<Contact>,
        interactions: Vec<Interaction>,
        follow_ups: Vec<Reminder>,
        clock: Clock,
    ) -> OrgBrief {
        people.sort_by(|a, b| {
            b.last_contact_at
                .cmp(&a.last_contact_at)
                .then(a.id.cmp(&b.id))
        });
        OrgBrief {
            organization,
            people,
            interactions,
            follow_ups,
            clock,
        }
    }

    pub fn render(&self, p: Painter, width: Option<usize>) -> String {
        let o = &self.organization;
        let mut out = String::new();
        let _ = write!(
            out,
            "{}  {}",
            p.paint(Role::Heading, &sanitize_line(&o.name)),
            p.paint(Role::Dim, &format!("#{}", o.id))
        );
        if o.archived_at.is_some() {
            let _ = write!(out, "  {}", p.paint(Role::Warn, "(archived)"));
        }
        out.push('\n');
        if let Some(d) = &o.domain {
            let _ = writeln!(out, "{}", sanitize_line(d));
        }
        if !o.tags.is_empty() {
            let tags: Vec<String> = o
                .tags
                .iter()
                .map(|t| format!("#{}", sanitize_line(t)))
                .collect();
            let _ = writeln!(out, "{}", p.paint(Role::Accent, &tags.join(" ")));
        }
        section(
            &mut out,
            p,
            "People (who you know there, latest contact first)",
        );
        if self.people.is_empty() {
            let _ = writeln!(
                out,
                "  nobody yet: `kith add NAME --org \"{}\"`",
                sanitize_line(&o.name)
            );
        }
        let today = self.clock.today();
        for c in &self.people {
            let last = c
                .last_contact_at
                .map(|t| {
                    format!(
                        "last contact {}",
                        relative_date(t.with_timezone(&Local).date_naive(), today)
                    )
                })
                .unwrap_or_else(|| "never contacted".into());
            let title = c
                .fields
                .title
                .as_deref()
                .map(|t| format!(", {}", sanitize_line(t)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} {}{title}  {}",
                p.paint(Role::Dim, &format!("#{}", c.id)),
                sanitize_line(&c.fields.display_name),
                p.paint(Role::Dim, &last)
            );
        }
        if !self.follow_ups.is_empty() {
            section(&mut out, p, "Follow-ups");
            for r in &self.follow_ups {
                let about = r
                    .contact
                    .as_ref()
                    .map(|c| format!(" [{}]", sanitize_line(&c.name)))
                    .unwrap_or_default();
                let _ = writeln!(out, "  {}{about}", reminder_line(r, self.clock, p));
            }
        }
        section(&mut out, p, "Timeline");
        if self.interactions.is_empty() {
            let _ = writeln!(out, "  nothing logged yet");
        }
        for i in &self.interactions {
            let _ = writeln!(out, "  {}", interaction_line(i, -1, self.clock, p, width));
        }
        if let Some(notes) = &o.notes {
            section(&mut out, p, "Notes");
            for line in sanitize_block(notes).lines() {
                let _ = writeln!(out, "  {line}");
            }
        }
        out
    }
}
