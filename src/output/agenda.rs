//! `kith today` for a person: the agenda in short, grouped lines, coloured by urgency. Each
//! group shows its most pressing entries (the first in its order) up to a limit and says how
//! many more there are and where to see them; `kith today --all` and `--json` give everything.

use std::fmt::Write as _;

use chrono::{Local, NaiveDate};

use super::doc::Line;
use super::{Painter, Role, pad, sanitize_line};
use crate::agenda::{Agenda, AgendaFollowUp, CadenceSource, DateKind};
use crate::dates::{describe_period, relative_date};
use crate::model::{ContactRef, Due, Period};

/// How many entries each group shows by default: a morning's reading, not a book's worth.
pub const SHOWN_PER_GROUP: usize = 10;

/// The agenda, each group cut to its first `limit` entries (`None`: all of them); with a
/// `width`, every line fits it (long texts are cut, the rest wraps).
pub fn render(agenda: &Agenda, p: Painter, width: Option<usize>, limit: Option<usize>) -> String {
    let mut out = String::new();
    let today = agenda.date;
    let _ = writeln!(
        out,
        "{}",
        p.paint(
            Role::Heading,
            &format!("Today, {}", today.format("%a %Y-%m-%d"))
        )
    );
    if agenda.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            p.paint(Role::Good, "Nothing due. Nothing falls through the cracks.")
        );
        return out;
    }
    let unlisted = &agenda.unlisted;
    let all = see_all(agenda);
    let groups = [
        (
            "Overdue",
            Role::Bad,
            &agenda.overdue,
            unlisted.overdue,
            "kith reminders --overdue",
        ),
        (
            "Due today",
            Role::Warn,
            &agenda.today,
            unlisted.today,
            &*all,
        ),
        (
            &*format!("Next {}", days(i64::from(agenda.horizon_days))),
            Role::Good,
            &agenda.upcoming,
            unlisted.upcoming,
            &*all,
        ),
    ];
    for (title, role, items, unlisted, see) in groups {
        if items.is_empty() {
            continue;
        }
        heading(&mut out, p, title, items.len() + unlisted);
        let listed = shown_of(limit, items.len(), unlisted);
        for f in &items[..listed] {
            follow_up_line(f, today, role, agenda).paint_fitted(("  ", 2), p, width, &mut out);
        }
        more(&mut out, p, items.len() - listed + unlisted, see);
    }
    reconnects(agenda, p, width, limit, &mut out);
    organization_reconnects(agenda, p, width, limit, &mut out);
    dates(agenda, p, width, limit, &mut out);
    out
}

/// "Due to reconnect": people whose cadence ran out.
fn reconnects(
    agenda: &Agenda,
    p: Painter,
    width: Option<usize>,
    limit: Option<usize>,
    out: &mut String,
) {
    if agenda.reconnect.is_empty() {
        return;
    }
    let today = agenda.date;
    let all = &agenda.reconnect;
    let title = if agenda.reconnect_ranked {
        "Due to reconnect"
    } else {
        "Due to reconnect, longest overdue first"
    };
    let unlisted = agenda.unlisted.reconnect;
    heading(out, p, title, all.len() + unlisted);
    let listed = shown_of(limit, all.len(), unlisted);
    for r in &all[..listed] {
        let source = match &r.cadence_source {
            CadenceSource::Contact => String::new(),
            CadenceSource::Tag { tag } => format!(", tag {}", sanitize_line(tag)),
        };
        let last = match r.last_contact_at {
            Some(t) => format!(
                "last contact {}",
                relative_date(t.with_timezone(&Local).date_naive(), today)
            ),
            None => "never contacted".to_string(),
        };
        let health = r
            .health
            .map(|h| format!("; health {h}"))
            .unwrap_or_default();
        let last = format!("{last}{health}");
        reconnect_line(
            &who(agenda, &r.contact),
            r.days_overdue,
            &r.cadence,
            &source,
            &last,
        )
        .paint_fitted(("  ", 2), p, width, out);
    }
    let see = see_all(agenda);
    more(
        out,
        p,
        all.len() - listed + unlisted,
        &if agenda.reconnect_ranked {
            see
        } else {
            format!("{see} ranks them all by health")
        },
    );
}

/// "Organizations to reconnect with": nobody there contacted within their cadence.
fn organization_reconnects(
    agenda: &Agenda,
    p: Painter,
    width: Option<usize>,
    limit: Option<usize>,
    out: &mut String,
) {
    if agenda.reconnect_organizations.is_empty() {
        return;
    }
    let today = agenda.date;
    let orgs = &agenda.reconnect_organizations;
    heading(out, p, "Organizations to reconnect with", orgs.len());
    let listed = shown_of(limit, orgs.len(), 0);
    for o in &orgs[..listed] {
        let last = match o.last_touch_at {
            Some(t) => format!(
                "last contact there {}",
                relative_date(t.with_timezone(&Local).date_naive(), today)
            ),
            None => "nobody there ever contacted".to_string(),
        };
        reconnect_line(&o.organization.name, o.days_overdue, &o.cadence, "", &last).paint_fitted(
            ("  ", 2),
            p,
            width,
            out,
        );
    }
    more(out, p, orgs.len() - listed, &see_all(agenda));
}

/// "Birthdays and dates" coming up.
fn dates(
    agenda: &Agenda,
    p: Painter,
    width: Option<usize>,
    limit: Option<usize>,
    out: &mut String,
) {
    if agenda.dates.is_empty() {
        return;
    }
    let today = agenda.date;
    let all = &agenda.dates;
    heading(out, p, "Birthdays and dates", all.len());
    let listed = shown_of(limit, all.len(), 0);
    for d in &all[..listed] {
        let name = who(agenda, &d.contact);
        // A count of 0 (the date's own year, or a year not known) is not printed.
        let what = match (d.kind, d.years.filter(|&n| n >= 1)) {
            (DateKind::Birthday, Some(n)) => format!("{name}'s birthday (turns {n})"),
            (DateKind::Birthday, None) => format!("{name}'s birthday"),
            (DateKind::Yearly, Some(1)) => {
                format!("{name}: {} (1 year)", sanitize_line(&d.label))
            }
            (DateKind::Yearly, Some(n)) => {
                format!("{name}: {} ({n} years)", sanitize_line(&d.label))
            }
            (DateKind::Yearly, None) => format!("{name}: {}", sanitize_line(&d.label)),
        };
        let when = relative_date(d.on, today);
        let role = if d.on == today {
            Role::Warn
        } else {
            Role::Accent
        };
        Line::new()
            .styled(Role::Dim, d.on.format("%a %m-%d").to_string())
            .raw("  ")
            .raw(what)
            .shrinking()
            .raw("  ")
            .styled(role, when)
            .paint_fitted(("  ", 2), p, width, out);
    }
    more(out, p, all.len() - listed, &see_all(agenda));
}

/// How many of the `n` entries in hand a group shows, when `unlisted` more were not read:
/// up to `limit`, or all of them when only one would be left out (its line takes the room
/// the count would).
fn shown_of(limit: Option<usize>, n: usize, unlisted: usize) -> usize {
    match limit {
        Some(l) if unlisted == 0 => super::shown_under(l, n),
        Some(l) => l.min(n),
        None => n,
    }
}

/// The command that lists all of this agenda: `kith today --all`, with the same horizon.
fn see_all(agenda: &Agenda) -> String {
    if agenda.horizon_days == crate::agenda::DEFAULT_HORIZON_DAYS {
        "kith today --all".to_string()
    } else {
        format!("kith today --all --days {}", agenda.horizon_days)
    }
}

/// "1 day", "3 days".
fn days(n: i64) -> String {
    super::plural(usize::try_from(n).unwrap_or(0), "day", "days")
}

/// "  … and 5,063 more: kith reminders --overdue" under a group cut short.
fn more(out: &mut String, p: Painter, hidden: usize, see: &str) {
    if hidden > 0 {
        let line = format!("… and {} more: {see}", crate::error::grouped(hidden));
        let _ = writeln!(out, "  {}", p.paint(Role::Dim, &line));
    }
}

/// "Ada Lovelace              3 days over  every 1 month, tag client; last contact ...".
fn reconnect_line(
    name: &str,
    days_overdue: i64,
    cadence: &Period,
    source: &str,
    last: &str,
) -> Line {
    let late = if days_overdue > 0 {
        format!("{} over", days(days_overdue))
    } else {
        "due today".to_string()
    };
    let name = sanitize_line(name).into_owned();
    let fill = " ".repeat(24usize.saturating_sub(super::display_width(&name)));
    Line::new()
        .raw(name)
        .shrinking()
        .raw(format!("{fill}  "))
        .styled(Role::Warn, late)
        .raw("  ")
        .styled(
            Role::Dim,
            format!("every {}{source}; {last}", describe_period(cadence)),
        )
}

fn heading(out: &mut String, p: Painter, title: &str, count: usize) {
    let _ = writeln!(
        out,
        "{}",
        p.paint(
            Role::Label,
            &format!("{title} ({})", crate::error::grouped(count))
        )
    );
}

/// A contact's name as the agenda prints it: with its #id when another contact has it too.
fn who(agenda: &Agenda, contact: &ContactRef) -> String {
    let namesake = agenda.namesakes.contains(&contact.id);
    super::name_told_apart(&contact.name, contact.id, namesake)
}

/// "   #12 tomorrow 10:00        Send the deck — Ada Lovelace ↻ 1 month": the text (with
/// whom it is about) is what a narrow terminal cuts.
fn follow_up_line(f: &AgendaFollowUp, today: NaiveDate, role: Role, agenda: &Agenda) -> Line {
    let when = match f.due {
        Due::Day(d) => relative_date(d, today),
        Due::At(t) => {
            let local = t.with_timezone(&Local);
            format!(
                "{} {}",
                relative_date(local.date_naive(), today),
                local.format("%H:%M")
            )
        }
    };
    let about = match (&f.contact, &f.organization) {
        (Some(c), _) => format!(" — {}", who(agenda, c)),
        (None, Some(o)) => format!(" — {}", sanitize_line(&o.name)),
        _ => String::new(),
    };
    let text = format!("{}{about}", sanitize_line(&f.text));
    let mut extra = String::new();
    if let Some(every) = f.every {
        let _ = write!(extra, " ↻ {}", describe_period(&every));
    }
    if f.snoozed {
        extra.push_str(" (snoozed)");
    }
    Line::new()
        .styled(Role::Dim, format!("{:>5}", format!("#{}", f.id)))
        .raw(" ")
        .styled(role, pad(&when, 18, false))
        .raw("  ")
        .raw(text)
        .shrinking()
        .styled(Role::Dim, extra)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agenda::{AgendaInput, build};
    use crate::model::{ContactRef, Reminder};
    use chrono::{DateTime, Utc};

    /// Follow-up `id`, "task {id}", due on `day`, about no one.
    fn task(id: i64, day: NaiveDate, now: DateTime<Utc>) -> Reminder {
        Reminder {
            id,
            uid: format!("u{id}"),
            text: format!("task {id}"),
            due: Due::Day(day),
            recurrence: None,
            snoozed_until: None,
            done_at: None,
            contact: None,
            organization: None,
            created_at: now,
        }
    }

    #[test]
    fn each_group_shows_its_first_entries_and_counts_the_rest() {
        let now: DateTime<Utc> = "2026-11-24T10:00:00Z".parse().unwrap();
        let follow_up =
            |id: i64, day: u32| task(id, NaiveDate::from_ymd_opt(2026, 11, day).unwrap(), now);
        // 1,203 overdue (the oldest first), 3 due in the next days.
        let mut follow_ups: Vec<Reminder> = (1..=1203)
            .map(|i| follow_up(i, 1 + (i % 20) as u32))
            .collect();
        follow_ups.extend((2000..2003).map(|i| follow_up(i, 26)));
        let agenda = build(
            &AgendaInput {
                follow_ups,
                ..AgendaInput::default()
            },
            now,
            &Utc,
            7,
        );
        let short = render(&agenda, Painter::plain(), None, Some(SHOWN_PER_GROUP));
        assert!(short.contains("Overdue (1,203)"), "{short}");
        assert!(
            short.contains("… and 1,193 more: kith reminders --overdue"),
            "{short}"
        );
        assert!(short.contains("Next 7 days (3)") && !short.contains("more: kith today --all"));
        let listed = |text: &str| text.lines().filter(|l| l.contains("task ")).count();
        assert_eq!(listed(&short), 10 + 3);
        // The first ten are the most overdue: due on the 1st.
        let first: Vec<&str> = short.lines().skip(2).take(10).collect();
        assert!(first.iter().all(|l| l.contains("3 weeks ago")), "{first:?}");
        let whole = render(&agenda, Painter::plain(), None, None);
        assert_eq!(listed(&whole), 1206);
        assert!(!whole.contains("more:"));
        assert_eq!(crate::error::grouped(0), "0");
        assert_eq!(crate::error::grouped(999), "999");
        assert_eq!(crate::error::grouped(1_234_567), "1,234,567");
    }

    /// A group cut short points to the command that lists it, over the same horizon; one
    /// more than the group shows is listed, not counted; one day is a day.
    #[test]
    fn what_is_cut_short_points_to_where_it_all_is() {
        let now: DateTime<Utc> = "2026-11-24T10:00:00Z".parse().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let follow_up = |id: i64, day: u64| task(id, today + chrono::Days::new(day), now);
        // Follow-ups due on each of the next `n` days.
        let agenda = |n: i64, days: u32| {
            let input = AgendaInput {
                follow_ups: (1..=n).map(|i| follow_up(i, i as u64)).collect(),
                ..AgendaInput::default()
            };
            let agenda = build(&input, now, &Utc, days);
            render(&agenda, Painter::plain(), None, Some(SHOWN_PER_GROUP))
        };
        let month = agenda(18, 30);
        assert!(
            month.contains("… and 8 more: kith today --all --days 30"),
            "{month}"
        );
        let eleven = agenda(11, 30);
        assert!(
            eleven.contains("task 11") && !eleven.contains("more:"),
            "{eleven}"
        );
        let week = agenda(18, 7);
        assert!(
            week.contains("Next 7 days (7)") && !week.contains("more:"),
            "{week}"
        );
        let tomorrow = agenda(1, 1);
        assert!(tomorrow.contains("Next 1 day (1)"), "{tomorrow}");
        assert_eq!(days(1), "1 day");
        assert_eq!(days(3), "3 days");
    }

    #[test]
    fn overdue_is_red_and_stored_text_cannot_drive_the_terminal() {
        let now: DateTime<Utc> = "2026-11-24T10:00:00Z".parse().unwrap();
        let input = AgendaInput {
            follow_ups: vec![Reminder {
                id: 7,
                uid: "u".into(),
                text: "pay\x1b]52;c;evil\x07".into(),
                due: Due::Day(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()),
                recurrence: None,
                snoozed_until: None,
                done_at: None,
                contact: Some(ContactRef {
                    id: 1,
                    uid: "c".into(),
                    name: "Eve\x1b[2J".into(),
                }),
                organization: None,
                created_at: now,
            }],
            ..AgendaInput::default()
        };
        let agenda = build(&input, now, &Utc, 7);
        let text = render(&agenda, Painter { enabled: true }, None, None);
        assert!(text.contains("\x1b[1;31m4 days ago"), "{text:?}");
        assert!(text.contains("Overdue (1)"));
        assert!(
            !text.contains("\x1b]52") && !text.contains("\x1b[2J"),
            "{text:?}"
        );
        let plain = render(&agenda, Painter::plain(), None, None);
        assert!(!plain.contains('\x1b'));
    }
}
