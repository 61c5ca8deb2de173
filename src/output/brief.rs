//! The contact brief (`kith show`) and the organization brief (`kith org show`) for a person,
//! laid out from the view models of `app::views` as a [`Doc`]: the CLI paints it, the
//! interactive mode draws the same sections in its own order and style. Every stored string
//! passes through `sanitize_line` / `sanitize_block` here.

use chrono::{DateTime, Local, Utc};

pub(super) use super::doc::SectionKind;
use super::doc::{Doc, Line};
use super::{Painter, Role, sanitize_block, sanitize_line};
use crate::app::views::contact_brief::ContactBrief;
use crate::app::views::{FollowUpItem, Urgency};
use crate::clock::Clock;
use crate::dates::{describe_period, relative_date, relative_time};
use crate::model::{Channel, Interaction, Relationship, Reminder};

pub use super::org_brief::{org_doc, render_org};
pub use super::tables::{
    CONTACT_CSV_HEADERS, ContactCells, contact_cells, contact_csv_row, contact_list_table,
    contact_rows, contact_table, organization_health_table, organization_table, reminder_line_rows,
    reminder_rows, reminder_table,
};

fn local_day(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d").to_string()
}

/// `kith show` as text, every line within `width` columns when there is a width. With
/// `bodies` (`--full`), each interaction shows its number and its body under it.
pub fn render_contact(
    brief: &ContactBrief,
    p: Painter,
    width: Option<usize>,
    bodies: bool,
) -> String {
    render_contact_for(brief, p, width, bodies, false)
}

/// [`render_contact`], with the rhythm's sparkline when `terminal` (a pipe gets none).
pub fn render_contact_for(
    brief: &ContactBrief,
    p: Painter,
    width: Option<usize>,
    bodies: bool,
    terminal: bool,
) -> String {
    // With `--full`, every follow-up at the company too.
    let see_all = |org: i64| format!("kith org show '#{org}'");
    let others = if bodies {
        CompanyFollowUps::All
    } else {
        CompanyFollowUps::Urgent { see_all: &see_all }
    };
    let mut doc = contact_doc_with(brief, others);
    if terminal {
        add_rhythm(&mut doc, brief);
    }
    if bodies {
        add_bodies(&mut doc, SectionKind::Recent, &brief.interactions, width);
    }
    doc.paint(p, width)
}

/// How far a body is indented under its interaction's line (past the section's lead).
pub const BODY_INDENT: usize = 4;

/// Under each interaction's line in section `kind`, its number and its body: indented,
/// sanitized, and wrapped at word boundaries to `width` when there is one.
pub(super) fn add_bodies(
    doc: &mut Doc,
    kind: SectionKind,
    interactions: &[Interaction],
    width: Option<usize>,
) {
    let Some(section) = doc.sections.iter_mut().find(|s| s.kind == kind) else {
        return;
    };
    if section.lines.len() != interactions.len() {
        return; // "nothing logged yet"
    }
    let lines = std::mem::take(&mut section.lines);
    for (line, i) in lines.into_iter().zip(interactions) {
        section
            .lines
            .push(line.raw("  ").styled(Role::Dim, format!("#{}", i.id)));
        let Some(body) = &i.body else { continue };
        for text in body_lines(body, width.map(|w| w.saturating_sub(2))) {
            section.lines.push(Line::new().raw(text));
        }
    }
}

/// The longest start of `word` that fits `room` columns (at least one character).
fn columns_prefix(word: &str, room: usize) -> &str {
    let mut used = 0;
    for (at, c) in word.char_indices() {
        used += super::display_width(c.encode_utf8(&mut [0; 4]));
        if used > room && at > 0 {
            return &word[..at];
        }
    }
    word
}

/// An interaction's body as lines indented by [`BODY_INDENT`], control characters made
/// visible, each fitted to `width` columns (when given) by breaking at spaces; a word longer
/// than a line is cut across lines rather than lost.
pub fn body_lines(body: &str, width: Option<usize>) -> Vec<String> {
    let indent = " ".repeat(BODY_INDENT);
    let room = width.map(|w| w.saturating_sub(BODY_INDENT).max(10));
    let mut out = Vec::new();
    for raw in sanitize_block(body).lines() {
        let Some(room) = room else {
            out.push(format!("{indent}{raw}").trim_end().to_string());
            continue;
        };
        let mut current = String::new();
        for word in raw.split(' ') {
            let mut word = word.to_string();
            loop {
                let sep = usize::from(!current.is_empty());
                let fits =
                    super::display_width(&current) + sep + super::display_width(&word) <= room;
                if fits {
                    if sep == 1 {
                        current.push(' ');
                    }
                    current.push_str(&word);
                    break;
                }
                if !current.is_empty() {
                    out.push(format!("{indent}{current}"));
                    current.clear();
                    continue;
                }
                // A word longer than a whole line: cut it.
                let head = columns_prefix(&word, room);
                let rest = word[head.len()..].to_string();
                out.push(format!("{indent}{head}"));
                word = rest;
                if word.is_empty() {
                    break;
                }
            }
        }
        out.push(format!("{indent}{current}").trim_end().to_string());
    }
    out
}

/// Each conflict: the property, kith's value kept and the server's beside it.
fn sync_conflicts(doc: &mut Doc, brief: &ContactBrief) {
    if brief.sync_conflicts.is_empty() {
        return;
    }
    let lines = doc.section(SectionKind::SyncConflicts, "Sync conflicts");
    for c in &brief.sync_conflicts {
        lines.push(
            Line::new()
                .styled(Role::Warn, sanitize_line(&c.property).into_owned())
                .raw(format!(": kith kept {} · ", conflict_value(&c.kept)))
                .raw(format!(
                    "{} had {}",
                    sanitize_line(&c.account),
                    conflict_value(&c.server)
                )),
        );
    }
}

/// A conflict's side as a person reads it: the values without their property names and
/// parameters (`TITLE:Chair` → "Chair"), "nothing" when that side removed it.
pub fn conflict_value(lines: &[String]) -> String {
    let values: Vec<String> = lines
        .iter()
        .flat_map(|l| l.split('\n'))
        .map(|l| {
            let value = l.split_once(':').map_or(l, |(_, v)| v);
            sanitize_line(&value.replace("\\,", ",").replace("\\;", ";")).into_owned()
        })
        .collect();
    if values.is_empty() {
        "nothing".into()
    } else {
        format!("“{}”", values.join(" / "))
    }
}

/// Which of the organization's other open follow-ups a brief lists.
pub enum CompanyFollowUps<'a> {
    All,
    /// The first [`COMPANY_FOLLOW_UPS_SHOWN`] (the most urgent), then how many more and
    /// where `see_all` (given the organization's id) says they all are.
    Urgent {
        see_all: &'a dyn Fn(i64) -> String,
    },
}

/// The contact brief laid out as the interactive mode shows it: head, Reach, Keeping in
/// touch, Follow-ups, Recent, Relationships, Notes, Cadence and dates, and the company's
/// most urgent follow-ups (its view lists them all).
pub fn contact_doc(brief: &ContactBrief) -> Doc {
    let see_all = |_: i64| "the Organizations view (2) lists them all".to_string();
    contact_doc_with(brief, CompanyFollowUps::Urgent { see_all: &see_all })
}

/// The contact brief laid out, with `others` of its company's follow-ups.
pub fn contact_doc_with(brief: &ContactBrief, others: CompanyFollowUps<'_>) -> Doc {
    let c = &brief.contact;
    let f = &c.fields;
    let mut doc = Doc::default();
    let mut title = Line::new().styled(Role::Heading, sanitize_line(&f.display_name));
    if let Some(nick) = &f.nickname {
        title = title.raw(format!(" “{}”", sanitize_line(nick)));
    }
    title = title.raw("  ").styled(Role::Dim, format!("#{}", c.id));
    if brief.archived {
        title = title.raw("  ").styled(Role::Warn, "(archived)");
    }
    doc.head.push(title);
    let role = match (&f.title, &f.organization) {
        (Some(t), Some(o)) => Some(format!("{} at {}", sanitize_line(t), sanitize_line(o))),
        (Some(t), None) => Some(sanitize_line(t).into_owned()),
        (None, Some(o)) => Some(sanitize_line(o).into_owned()),
        (None, None) => None,
    };
    if let Some(role) = role {
        doc.head.push(Line::new().raw(role));
    }
    if !f.tags.is_empty() {
        doc.head
            .push(Line::new().styled(Role::Accent, tag_list(&f.tags)));
    }
    sync_conflicts(&mut doc, brief);
    reach(&mut doc, brief);
    keeping_in_touch(&mut doc, brief);
    if !brief.follow_ups.is_empty() {
        let lines = doc.section(SectionKind::FollowUps, "Follow-ups");
        for r in &brief.follow_ups {
            lines.push(follow_up_line(r, brief.now));
        }
    }
    let lines = doc.section(SectionKind::Recent, "Recent");
    if brief.interactions.is_empty() {
        lines.push(Line::new().raw(format!("nothing logged: `kith log {} \"...\"`", c.id)));
    }
    for i in &brief.interactions {
        lines.push(interaction_line(i, c.id, brief.now));
    }
    if !brief.relationships.is_empty() {
        let lines = doc.section(SectionKind::Relationships, "Relationships");
        for r in &brief.relationships {
            lines.push(Line::new().raw(relationship_line(r, c.id)));
        }
    }
    if let Some(notes) = &f.notes {
        notes_section(&mut doc, notes);
    }
    cadence_and_dates(&mut doc, brief);
    company(&mut doc, brief, others);
    doc
}

/// How many of the organization's other open follow-ups a person's brief lists (the most
/// urgent first): enough for the call ahead, where a large account has hundreds.
pub const COMPANY_FOLLOW_UPS_SHOWN: usize = 5;

/// "At Analytical Engines": its health, the last touch with someone else there, its notes,
/// then the organization's other open follow-ups (whose, when; the first
/// [`COMPANY_FOLLOW_UPS_SHOWN`], then how many more and where they all are).
fn company(doc: &mut Doc, brief: &ContactBrief, others: CompanyFollowUps<'_>) {
    let Some(org) = &brief.organization else {
        return;
    };
    let mut title = format!("At {}", sanitize_line(&org.name));
    if org.archived {
        title.push_str(" (archived)");
    }
    let lines = doc.section(SectionKind::Company, title);
    // The same roll-up, and so the same words, as `kith org show`.
    lines.push(
        Line::new()
            .raw("health ")
            .styled(health_role(org.health.score), org.health.score.to_string())
            .raw(" — ")
            .raw(sanitize_line(&org.health.summary()).into_owned())
            .shrinking(),
    );
    match &org.last_touch {
        Some(t) => {
            let who: Vec<String> = t
                .with
                .iter()
                .map(|c| sanitize_line(&c.name).into_owned())
                .collect();
            let with = if who.is_empty() {
                String::new()
            } else {
                format!(" with {}", who.join(", "))
            };
            let when = relative_time(t.occurred_at, &brief.now.with_timezone(&Local));
            lines.push(
                Line::new()
                    .raw("last touch ")
                    .styled(Role::Dim, format!("{when} ({})", local_day(t.occurred_at)))
                    .raw(format!(": {}{with}", t.channel.as_str()))
                    .raw(format!(" — {}", sanitize_line(&t.summary)))
                    .shrinking(),
            );
        }
        None => lines.push(Line::new().styled(Role::Dim, "no one else there contacted yet")),
    }
    // What the company is, before what is due there (after the list it read as part of it).
    if let Some(notes) = &org.notes {
        for line in sanitize_block(notes).lines() {
            lines.push(Line::new().styled(Role::Dim, line).prose());
        }
    }
    let all = org.follow_ups.len();
    let listed = match others {
        CompanyFollowUps::Urgent { .. } => super::shown_under(COMPANY_FOLLOW_UPS_SHOWN, all),
        CompanyFollowUps::All => all,
    };
    for r in &org.follow_ups[..listed] {
        let mut line = follow_up_line(r, brief.now);
        if let Some(c) = &r.contact {
            line = line.raw(format!(" [{}]", sanitize_line(&c.name)));
        }
        lines.push(line);
    }
    if let CompanyFollowUps::Urgent { see_all } = others
        && listed < all
    {
        let more = crate::error::grouped(all - listed);
        let line = format!("… and {more} more: {}", see_all(org.id));
        lines.push(Line::new().styled(Role::Dim, line));
    }
}

pub(super) fn tag_list(tags: &[String]) -> String {
    tags.iter()
        .map(|t| format!("#{}", sanitize_line(t)))
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn notes_section(doc: &mut Doc, notes: &str) {
    let lines = doc.section(SectionKind::Notes, "Notes");
    for line in sanitize_block(notes).lines() {
        lines.push(Line::new().raw(line).prose());
    }
}

/// How to reach them: the preferred channel's details first, marked ★.
fn reach(doc: &mut Doc, brief: &ContactBrief) {
    let f = &brief.contact.fields;
    let preferred = f.preferred_channel;
    let phone_first = matches!(
        preferred,
        Some(Channel::Call | Channel::Message | Channel::Video)
    );
    let mut reach: Vec<(bool, &str, String)> = Vec::new();
    for (kind, list, preferred_here) in [
        (
            "email",
            &f.emails,
            matches!(preferred, Some(Channel::Email)),
        ),
        ("phone", &f.phones, phone_first),
        (
            "social",
            &f.socials,
            matches!(preferred, Some(Channel::Social)),
        ),
        ("url", &f.urls, false),
        (
            "address",
            &f.addresses,
            matches!(preferred, Some(Channel::Letter)),
        ),
    ] {
        for item in list {
            let value = sanitize_line(&item.display()).into_owned();
            reach.push((preferred_here, kind, value));
        }
    }
    reach.sort_by_key(|(pref, _, _)| !*pref);
    if reach.is_empty() && preferred.is_none() {
        return;
    }
    let lines = doc.section(SectionKind::Reach, "Reach");
    if let Some(ch) = preferred {
        lines.push(
            Line::new()
                .raw("prefers ")
                .styled(Role::Accent, ch.as_str()),
        );
    }
    for (pref, kind, value) in reach {
        let line = Line::new().raw(format!("{kind:<8}{value}"));
        lines.push(if pref {
            line.marked(Role::Accent, "★")
        } else {
            line
        });
    }
}

/// At the head of "Keeping in touch", above the health line (whose reasons may take a few
/// lines in a narrow pane), the last 12 months as a sparkline (terminals only: the CLI adds
/// it when stdout is one, the interactive mode always).
pub fn add_rhythm(doc: &mut Doc, brief: &ContactBrief) {
    let Some(line) = super::health::rhythm_line(&brief.rhythm) else {
        return;
    };
    if let Some(section) = doc
        .sections
        .iter_mut()
        .find(|s| s.kind == SectionKind::KeepingInTouch)
    {
        section.lines.insert(0, line);
    }
}

fn keeping_in_touch(doc: &mut Doc, brief: &ContactBrief) {
    let today = brief.today;
    let lines = doc.section(SectionKind::KeepingInTouch, "Keeping in touch");
    lines.push(super::health::health_line(&brief.health));
    match brief.last_contact_day {
        Some(day) => lines.push(Line::new().raw(format!(
            "last contact {} ({day})",
            relative_date(day, today)
        ))),
        None => lines.push(Line::new().raw("no interactions logged yet")),
    }
    let own = brief.contact.fields.cadence;
    if let (Some(cadence), Some(over)) = (own, brief.status.cadence_overdue_by_days) {
        let every = describe_period(&cadence);
        lines.push(if over > 0 {
            Line::new().styled(Role::Bad, format!("every {every}: overdue by {over} days"))
        } else {
            Line::new().raw(format!("every {every}: due in {} days", -over))
        });
    }
    if let Some(b) = &brief.birthday {
        let turns = b.years.map(|n| format!(", turns {n}")).unwrap_or_default();
        lines.push(Line::new().raw(format!(
            "birthday {} ({}{turns})",
            b.date.describe(),
            relative_date(b.next, today)
        )));
    }
}

/// Yearly dates and a cadence inherited from a tag (a cadence of their own is under
/// "Keeping in touch").
fn cadence_and_dates(doc: &mut Doc, brief: &ContactBrief) {
    let today = brief.today;
    let inherited = brief.inherited_cadence();
    if brief.dates.is_empty() && inherited.is_none() {
        return;
    }
    let lines = doc.section(SectionKind::CadenceAndDates, "Cadence and dates");
    if let Some((k, tag)) = inherited {
        let role = if k.due { Role::Bad } else { Role::Dim };
        lines.push(
            Line::new()
                .raw(format!(
                    "every {} (tag {}): ",
                    describe_period(&k.every),
                    sanitize_line(tag)
                ))
                .styled(
                    role,
                    format!("reconnect {}", relative_date(k.reconnect_on, today)),
                ),
        );
    }
    for d in &brief.dates {
        let years = match d.years {
            Some(1) => ", 1 year".to_string(),
            Some(n) => format!(", {n} years"),
            None => String::new(),
        };
        lines.push(Line::new().raw(format!(
            "{} {} ({}{years})",
            sanitize_line(&d.label),
            d.date,
            relative_date(d.next, today)
        )));
    }
}

/// "2026-11-21  call    → Budget approved  3 days ago", naming the other participants; the
/// summary is what a narrow terminal cuts.
pub(super) fn interaction_line(i: &Interaction, about: i64, now: DateTime<Utc>) -> Line {
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
    let summary = format!(
        "{}{with}{}{}",
        sanitize_line(&i.summary),
        location_note(i),
        thread_note(i)
    );
    Line::new()
        .raw(format!(
            "{}  {:<7} {arrow} ",
            local_day(i.occurred_at),
            i.channel.as_str()
        ))
        .raw(summary)
        .shrinking()
        .raw("  ")
        .styled(
            Role::Dim,
            relative_time(i.occurred_at, &now.with_timezone(&Local)),
        )
}

/// " @ Berlin-3-Room" after the summary of an interaction that says where it took place.
pub fn location_note(i: &Interaction) -> String {
    match i.location.as_deref().map(str::trim) {
        Some(place) if !place.is_empty() => format!(" @ {}", sanitize_line(place)),
        _ => String::new(),
    }
}

/// " · 3 messages, 2026-11-02 – 2026-11-05" after the line that stands for a mail thread.
pub fn thread_note(i: &Interaction) -> String {
    match &i.thread {
        Some(t) => {
            let (first, last) = (local_day(t.first_at), local_day(t.last_at));
            if first == last {
                format!(" · {} messages, {first}", t.messages)
            } else {
                format!(" · {} messages, {first} – {last}", t.messages)
            }
        }
        None => String::new(),
    }
}

/// The colour of a follow-up's due date: by where it stands, never by its text.
pub fn urgency_role(urgency: Urgency) -> Role {
    match urgency {
        Urgency::Done => Role::Dim,
        Urgency::Overdue => Role::Bad,
        Urgency::DueToday => Role::Warn,
        Urgency::Later => Role::Good,
    }
}

/// "#12  in 3 days (2026-11-27)  Send the deck ↻ every 1 month (snoozed)".
pub fn follow_up_line(r: &FollowUpItem, now: DateTime<Utc>) -> Line {
    let today = now.with_timezone(&Local).date_naive();
    let due = r.effective_due();
    let mut extra = String::new();
    if let Some(period) = r.recurrence {
        extra.push_str(&format!(" ↻ every {}", describe_period(&period)));
    }
    if r.snoozed_until.is_some() {
        extra.push_str(" (snoozed)");
    }
    if let Some(done) = r.done_at {
        let when = relative_time(done, &now.with_timezone(&Local));
        extra.push_str(&format!(" done {when}"));
    }
    Line::new()
        .styled(Role::Dim, format!("#{}", r.id))
        .raw("  ")
        .styled(urgency_role(r.urgency), relative_date(r.day, today))
        .raw(" ")
        .styled(Role::Dim, format!("({})", due.display_local(&Local)))
        .raw(format!("  {}{extra}", sanitize_line(&r.text)))
}

/// A follow-up's [`follow_up_line`] as text (`kith remind show` and the confirmations of
/// `kith remind` and friends).
pub fn reminder_line(r: &Reminder, clock: Clock, p: Painter) -> String {
    let item = FollowUpItem::new(r.clone(), clock);
    let doc = Doc {
        head: vec![follow_up_line(&item, clock.now)],
        sections: Vec::new(),
    };
    let mut text = doc.paint(p, None);
    text.pop();
    text
}

/// A relationship seen from contact `about`, as a sentence about "them" (the contact shown):
/// "reports to Tom Stark (#2)", "Priya Nair (#3) reports to them", "introduced by Alice Wong
/// (#14)" (stored as "they introduced-by Alice"), "introduced Maria Hill (#5)",
/// "Bob Lee (#4) is their mentor" (stored "Bob mentor-of them"), "knows Ann Lee (#6)"
/// whichever way a symmetric link is stored.
pub fn relationship_line(r: &Relationship, about: i64) -> String {
    let words = r.kind.replace('-', " ");
    let note = r
        .note
        .as_deref()
        .map(|n| format!(" — {}", sanitize_line(n)))
        .unwrap_or_default();
    let theirs = r.from.id == about;
    let other = if theirs { &r.to } else { &r.from };
    let other = format!("{} (#{})", sanitize_line(&other.name), other.id);
    let kind = sanitize_line(&words);
    let sentence = if crate::link_rules::is_symmetric(&r.kind) {
        format!("{kind} {other}")
    } else if let Some(verb) = kind.strip_suffix(" by") {
        // "A introduced-by B": B did it, to A.
        if theirs {
            format!("{kind} {other}")
        } else {
            format!("{verb} {other}")
        }
    } else if let (false, Some(noun)) = (theirs, kind.strip_suffix(" of")) {
        // "B mentor-of A", seen from A.
        format!("{other} is their {noun}")
    } else if theirs {
        format!("{kind} {other}")
    } else {
        format!("{other} {kind} them")
    };
    format!("{sentence}{note}")
}

#[cfg(test)]
mod link_sentence_tests {
    use super::link_sentence;

    #[test]
    fn a_new_link_reads_as_a_sentence() {
        assert_eq!(
            link_sentence("Tom Baker", "mentor-of", "Maria Hill"),
            "Tom Baker is the mentor of Maria Hill"
        );
        assert_eq!(
            link_sentence("Ada", "introduced-by", "Grace"),
            "Ada was introduced by Grace"
        );
        assert_eq!(
            link_sentence("Maria", "reports-to", "Tom"),
            "Maria reports to Tom"
        );
        assert_eq!(link_sentence("Ann", "knows", "Bob"), "Ann knows Bob");
    }
}

/// A new link said as a sentence: "Tom Baker is the mentor of Maria Hill", "Ada was
/// introduced by Grace", "Maria reports to Tom", "Ann knows Bob".
pub fn link_sentence(from: &str, kind: &str, to: &str) -> String {
    let (from, to) = (sanitize_line(from), sanitize_line(to));
    let words = sanitize_line(&kind.replace('-', " ")).into_owned();
    if let Some(noun) = words.strip_suffix(" of") {
        format!("{from} is the {noun} of {to}")
    } else if words.ends_with(" by") {
        format!("{from} was {words} {to}")
    } else {
        format!("{from} {words} {to}")
    }
}

/// The colour a health score reads in: good from 60, middling from 35, else bad.
pub fn health_role(score: u8) -> Role {
    match score {
        60.. => Role::Good,
        35.. => Role::Warn,
        _ => Role::Bad,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_indented_made_safe_and_fitted_at_spaces() {
        let lines = body_lines("one two three four\n\u{1b}[31mred", Some(14));
        assert_eq!(
            lines,
            ["    one two", "    three four", "    ␛[31mred"],
            "{lines:?}"
        );
        // A word longer than a line is cut across lines; a line keeps room for ten columns.
        let long = body_lines("abcdefghijklmnopqrstuvwxy", Some(12));
        assert_eq!(long, ["    abcdefghij", "    klmnopqrst", "    uvwxy"]);
        assert_eq!(body_lines("a  long line", None), ["    a  long line"]);
    }
}
