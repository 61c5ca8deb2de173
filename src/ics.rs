//! iCalendar export (RFC 5545): follow-ups as VTODOs, birthdays and yearly dates as yearly
//! all-day VEVENTs, so they show up in any calendar or task app.
//!
//! [`render`] is pure (records, "now" and the time zone in, text out); `app::views::calendar` reads the
//! records from a store. The writer follows RFC 5545 where readers are strict: CRLF line ends,
//! lines folded at 75 octets without splitting a UTF-8 character, TEXT values escaped
//! (`\\`, `\;`, `\,`, `\n`) with other control characters dropped, and VERSION, PRODID, UID
//! and DTSTAMP everywhere they are required. Folding and escaping are the content-line rules
//! iCalendar shares with vCard ([`crate::formats::contentline`]).
//!
//! Choices a reader of the file may want to know:
//! - UIDs are the records' stable UIDs (a follow-up's own; `<contact uid>-birthday` and
//!   `<contact uid>-date-<label>` for yearly dates), so re-importing updates instead of
//!   duplicating.
//! - An all-day follow-up has `DUE;VALUE=DATE`; a timed one a UTC `DUE`, except a recurring
//!   timed one, whose `DTSTART`/`DUE` are local wall times without a zone ("floating"), so the
//!   series keeps its local time across daylight-saving changes, as kith does.
//! - A recurrence counted from the due date becomes an RRULE (with `DTSTART`, which RFC 5545
//!   requires beside it). Month-end days clamp as in kith (`BYMONTHDAY=28,29,30,31;BYSETPOS=-1`
//!   for the 31st; Feb 29 yearly falls on Feb 28 in common years). One counted from completion
//!   cannot be an RRULE: its DESCRIPTION says so.
//! - A snooze moves a one-off follow-up's DUE; a recurring one keeps its series dates.
//! - A birthday without a year starts in the current year.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};

use crate::model::{
    Birthday, Contact, Due, Period, PeriodUnit, RecurFrom, Reminder, ReminderExtra, YearlyDate,
};

/// The records an export is written from.
#[derive(Debug, Clone, Default)]
pub struct IcsInput {
    /// Every follow-up, open and done.
    pub follow_ups: Vec<Reminder>,
    pub extras: std::collections::HashMap<i64, ReminderExtra>,
    /// Active contacts (their birthdays).
    pub contacts: Vec<Contact>,
    pub dates: std::collections::HashMap<i64, Vec<YearlyDate>>,
}

/// The iCalendar text of `input`, stamped `now`, with local days and times read in `tz`.
pub fn render<Tz: TimeZone>(input: &IcsInput, now: DateTime<Utc>, tz: &Tz) -> String {
    let mut out = Lines::default();
    let stamp = utc(now);
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line(&format!(
        "PRODID:-//kith//kith {}//EN",
        env!("CARGO_PKG_VERSION")
    ));
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    out.text("X-WR-CALNAME", "kith");
    let mut follow_ups: Vec<&Reminder> = input.follow_ups.iter().collect();
    follow_ups.sort_by_key(|r| r.id);
    for r in follow_ups {
        todo(&mut out, r, input.extras.get(&r.id), &stamp, tz);
    }
    let mut contacts: Vec<&Contact> = input
        .contacts
        .iter()
        .filter(|c| c.archived_at.is_none())
        .collect();
    contacts.sort_by(|a, b| (&a.fields.display_name, a.id).cmp(&(&b.fields.display_name, b.id)));
    let this_year = now.with_timezone(tz).year();
    for c in contacts {
        let name = &c.fields.display_name;
        if let Some(b) = c.fields.birthday {
            let event = YearlyEvent {
                uid: format!("{}-birthday", c.uid),
                summary: format!("{name}'s birthday"),
                category: "BIRTHDAY",
                date: b,
            };
            event.write(&mut out, &stamp, this_year);
        }
        for d in input.dates.get(&c.id).into_iter().flatten() {
            let event = YearlyEvent {
                uid: format!("{}-date-{}", c.uid, d.label),
                summary: format!("{name}: {}", d.label),
                category: "ANNIVERSARY",
                date: d.date,
            };
            event.write(&mut out, &stamp, this_year);
        }
    }
    out.line("END:VCALENDAR");
    out.text
}

fn todo<Tz: TimeZone>(
    out: &mut Lines,
    r: &Reminder,
    extra: Option<&ReminderExtra>,
    stamp: &str,
    tz: &Tz,
) {
    out.line("BEGIN:VTODO");
    out.line(&format!("UID:{}", r.uid));
    out.line(&format!("DTSTAMP:{stamp}"));
    out.line(&format!("CREATED:{}", utc(r.created_at)));
    let about = match (&r.contact, &r.organization) {
        (Some(c), _) => Some(c.name.as_str()),
        (None, Some(o)) => Some(o.name.as_str()),
        _ => None,
    };
    match about {
        Some(who) => out.text("SUMMARY", &format!("{} ({who})", r.text)),
        None => out.text("SUMMARY", &r.text),
    }
    let recur_from = extra.map_or(RecurFrom::Due, |e| e.recur_from);
    let mut description = match about {
        Some(who) => format!("Follow-up about {who}"),
        None => "Follow-up".to_string(),
    };
    match (r.recurrence, recur_from) {
        (Some(period), RecurFrom::Due) if r.done_at.is_none() => {
            let anchor = extra.map_or(r.due, |e| e.anchor).local_day(tz);
            let (start, due) = match r.due {
                Due::Day(d) => (format!(";VALUE=DATE:{}", date(d)), date(d)),
                Due::At(t) => {
                    let wall = t.with_timezone(tz).naive_local();
                    let floating = wall.format("%Y%m%dT%H%M%S").to_string();
                    (format!(":{floating}"), floating)
                }
            };
            let value = if matches!(r.due, Due::Day(_)) {
                ";VALUE=DATE:"
            } else {
                ":"
            };
            out.line(&format!("DTSTART{start}"));
            out.line(&format!("DUE{value}{due}"));
            out.line(&format!("RRULE:{}", rrule(period, anchor)));
        }
        (recurrence, _) => {
            if let (Some(period), RecurFrom::Done) = (recurrence, recur_from) {
                let _ = write!(
                    description,
                    "\nRepeats {} after each completion",
                    crate::dates::describe_period(&period)
                );
            }
            match r.effective_due() {
                Due::Day(d) => out.line(&format!("DUE;VALUE=DATE:{}", date(d))),
                Due::At(t) => out.line(&format!("DUE:{}", utc(t))),
            }
        }
    }
    out.text("DESCRIPTION", &description);
    match r.done_at {
        Some(done) => {
            out.line("STATUS:COMPLETED");
            out.line(&format!("COMPLETED:{}", utc(done)));
            out.line("PERCENT-COMPLETE:100");
        }
        None => out.line("STATUS:NEEDS-ACTION"),
    }
    out.line("END:VTODO");
}

/// The RRULE of a due-anchored recurrence whose series counts from `anchor`.
pub fn rrule(period: Period, anchor: NaiveDate) -> String {
    let n = period.count;
    match period.unit {
        PeriodUnit::Day => format!("FREQ=DAILY;INTERVAL={n}"),
        PeriodUnit::Week => format!("FREQ=WEEKLY;INTERVAL={n}"),
        PeriodUnit::Month => match anchor.day() {
            d if d <= 28 => format!("FREQ=MONTHLY;INTERVAL={n};BYMONTHDAY={d}"),
            // The 29th-31st, or the month's last day when it is shorter: kith's clamping.
            d => {
                let days: Vec<String> = (28..=d).map(|x| x.to_string()).collect();
                format!(
                    "FREQ=MONTHLY;INTERVAL={n};BYMONTHDAY={};BYSETPOS=-1",
                    days.join(",")
                )
            }
        },
        PeriodUnit::Year if (anchor.month(), anchor.day()) == (2, 29) => {
            format!("FREQ=YEARLY;INTERVAL={n};BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1")
        }
        PeriodUnit::Year => format!("FREQ=YEARLY;INTERVAL={n}"),
    }
}

struct YearlyEvent {
    uid: String,
    summary: String,
    category: &'static str,
    date: Birthday,
}

impl YearlyEvent {
    fn write(&self, out: &mut Lines, stamp: &str, this_year: i32) {
        let year = self.date.year.unwrap_or(this_year);
        // Feb 29 of a common year (only possible without a known year) starts on Feb 28.
        let Some(start) = NaiveDate::from_ymd_opt(year, self.date.month, self.date.day)
            .or_else(|| NaiveDate::from_ymd_opt(year, self.date.month, 28))
        else {
            return;
        };
        let end = start.checked_add_days(Days::new(1)).unwrap_or(start);
        out.line("BEGIN:VEVENT");
        out.line(&format!("UID:{}", escape_uid(&self.uid)));
        out.line(&format!("DTSTAMP:{stamp}"));
        out.line(&format!("DTSTART;VALUE=DATE:{}", date(start)));
        out.line(&format!("DTEND;VALUE=DATE:{}", date(end)));
        if (self.date.month, self.date.day) == (2, 29) {
            out.line("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1");
        } else {
            out.line("RRULE:FREQ=YEARLY");
        }
        out.text("SUMMARY", &self.summary);
        if self.date.year.is_none() {
            out.text("DESCRIPTION", "Year unknown");
        }
        out.line(&format!("CATEGORIES:{}", self.category));
        out.line("TRANSP:TRANSPARENT");
        out.line("END:VEVENT");
    }
}

/// A UID is a TEXT value; labels are single words, but keep it valid whatever they hold.
fn escape_uid(uid: &str) -> String {
    escape_text(uid)
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// Escape a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline; other
/// control characters (except tab) are not allowed in TEXT and are dropped.
pub fn escape_text(s: &str) -> String {
    crate::formats::contentline::escape_text(s, crate::formats::contentline::Controls::Drop)
}

/// Fold one content line (without its line break) at 75 octets, never inside a UTF-8
/// character; continuation lines start with a space. Lines end in CRLF.
pub use crate::formats::contentline::fold;

#[derive(Default)]
struct Lines {
    text: String,
}

impl Lines {
    fn line(&mut self, line: &str) {
        crate::formats::contentline::push_folded(&mut self.text, line);
    }

    fn text(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape_text(value)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\u{7}g"),
            "a\\\\b\\;c\\,d\\ne\\nfg"
        );
    }

    #[test]
    fn month_end_recurrences_clamp() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let p = |s| Period::parse(s).unwrap();
        assert_eq!(
            rrule(p("1m"), d(2026, 1, 15)),
            "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=15"
        );
        assert_eq!(
            rrule(p("2m"), d(2026, 1, 31)),
            "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"
        );
        assert_eq!(rrule(p("2w"), d(2026, 1, 31)), "FREQ=WEEKLY;INTERVAL=2");
        assert_eq!(
            rrule(p("1y"), d(2028, 2, 29)),
            "FREQ=YEARLY;INTERVAL=1;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Folded lines are at most 75 octets, each continuation starts with one space, and
        /// unfolding gives back the original line exactly.
        #[test]
        fn folding_round_trips_and_respects_the_limit(line in "[^\r\n]{0,400}") {
            let folded = fold(&line);
            prop_assert!(folded.ends_with("\r\n"));
            let body = &folded[..folded.len() - 2];
            let mut unfolded = String::new();
            for (i, part) in body.split("\r\n").enumerate() {
                prop_assert!(part.len() <= 75, "{} octets: {:?}", part.len(), part);
                if i == 0 {
                    unfolded.push_str(part);
                } else {
                    prop_assert!(part.starts_with(' '));
                    unfolded.push_str(&part[1..]);
                }
            }
            prop_assert_eq!(unfolded, line);
        }

        /// Escaped text never contains a raw line break, and an unescaped ; or , never appears.
        #[test]
        fn escaped_text_is_one_safe_value(text in "\\PC{0,80}|[\\\\;,\n\r\t a-z]{0,40}") {
            let escaped = escape_text(&text);
            prop_assert!(!escaped.contains('\n') && !escaped.contains('\r'));
            let mut backslashes = 0;
            for c in escaped.chars() {
                if c == ';' || c == ',' {
                    prop_assert!(backslashes % 2 == 1, "unescaped {c} in {escaped:?}");
                }
                backslashes = if c == '\\' { backslashes + 1 } else { 0 };
            }
        }
    }
}
