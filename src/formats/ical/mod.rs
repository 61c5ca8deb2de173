//! Reading iCalendar files (RFC 5545) for `kith capture`: bytes in, the event occurrences
//! that happened before "now" out. Pure: no I/O, no store; "now" and the local time zone
//! come in as arguments.
//!
//! calcard parses the file (content lines, parameters, values), resolves every TZID through
//! the file's VTIMEZONEs, IANA names and the Windows zone names Outlook writes, and iterates
//! RRULEs. What calcard's own `expand_dates` does not do right for a file holding many events
//! is done here, per UID ([`series`]): it matches overrides by SEQUENCE as well as
//! RECURRENCE-ID and across UIDs, and does not apply overrides or EXDATE to RDATE instances.
//!
//! What a reader of the result may want to know:
//! - An occurrence is keyed by its UID and, for a recurring event, the RECURRENCE-ID of its
//!   slot (the start the series gave it, before any override moved it), written as in
//!   iCalendar: `20250107T090000Z`, `20250107` (all-day) or `20250107T090000` (floating).
//! - An override (a VEVENT with RECURRENCE-ID) replaces its slot; one whose series is not in
//!   the file stands alone. A cancelled occurrence, event or METHOD:CANCEL calendar gives no
//!   occurrence but is listed in [`Calendar::cancelled`], as is a past slot an EXDATE
//!   removed, so that a later run can remove what an earlier one captured.
//! - Only occurrences that started before "now" are read; a series is expanded up to then.
//! - An event the reader cannot use (no start, an unreadable RRULE, no way to tell its
//!   slots) is skipped and named with its line, UID and summary; the rest of the file is
//!   still read. A file that is not a calendar at all is an error naming the file.

mod props;
mod series;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_exports;

use std::fmt;

use calcard::icalendar::{ICalendar, ICalendarComponentType};
use calcard::{Entry, Parser};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};

pub use props::{Attendee, PartStat, Person};

/// When an occurrence starts, as the file says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum When {
    /// A point in time (a UTC time, or a local time in a known zone).
    At(DateTime<Utc>),
    /// A wall-clock time with no zone ("floating"): read in the reader's local zone.
    Floating(NaiveDateTime),
    /// An all-day date.
    Date(NaiveDate),
}

impl When {
    /// When this starts in `local` time: a floating time there, a date at its midnight.
    pub fn start<Tz: TimeZone>(&self, local: &Tz) -> DateTime<Utc> {
        let naive = match self {
            When::At(t) => return *t,
            When::Floating(t) => *t,
            When::Date(d) => d.and_time(chrono::NaiveTime::MIN),
        };
        local
            .from_local_datetime(&naive)
            .earliest()
            // A wall time in a daylight-saving gap: an hour later exists.
            .or_else(|| {
                local
                    .from_local_datetime(&(naive + chrono::Duration::hours(1)))
                    .earliest()
            })
            .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
    }

    /// The iCalendar text of this value, as occurrence keys are written.
    pub fn key_text(&self) -> String {
        use chrono::Timelike;
        let date = |d: NaiveDate| format!("{:04}{:02}{:02}", d.year(), d.month(), d.day());
        let time = |t: NaiveDateTime| {
            format!(
                "{}T{:02}{:02}{:02}",
                date(t.date()),
                t.hour(),
                t.minute(),
                t.second()
            )
        };
        match self {
            When::At(t) => format!("{}Z", time(t.naive_utc())),
            When::Floating(t) => time(*t),
            When::Date(d) => date(*d),
        }
    }
}

/// What identifies one occurrence across runs: its event's UID and, for a recurring event,
/// the RECURRENCE-ID of its slot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OccurrenceKey {
    pub uid: String,
    pub recurrence_id: Option<String>,
}

impl fmt::Display for OccurrenceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.recurrence_id {
            Some(rid) => write!(f, "{} at {rid}", self.uid),
            None => f.write_str(&self.uid),
        }
    }
}

/// One occurrence of an event that happened before "now".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub key: OccurrenceKey,
    /// The SEQUENCE of the VEVENT it comes from (0 when absent): a higher one is newer.
    pub sequence: i64,
    pub summary: Option<String>,
    pub start: When,
    pub location: Option<String>,
    pub organizer: Option<Person>,
    /// Every attendee that is a person or a group (rooms and resources are left out).
    pub attendees: Vec<Attendee>,
    /// The line of the VEVENT it comes from.
    pub line: Option<usize>,
}

/// A past occurrence that the file says did not happen (cancelled, or removed by EXDATE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancelled {
    pub key: OccurrenceKey,
    pub sequence: i64,
}

/// An event that could not be read, and why; the rest of the file was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedEvent {
    pub line: Option<usize>,
    pub uid: Option<String>,
    pub summary: Option<String>,
    pub reason: String,
}

impl fmt::Display for SkippedEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        f.write_str("event")?;
        if let Some(uid) = &self.uid {
            write!(f, " {uid}")?;
        }
        if let Some(summary) = &self.summary {
            write!(f, " (\"{summary}\")")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// What one file holds, read as of a "now".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    /// Past occurrences, in the order of their start.
    pub occurrences: Vec<Occurrence>,
    pub cancelled: Vec<Cancelled>,
    pub skipped: Vec<SkippedEvent>,
}

/// Whether `bytes` look like an iCalendar file: its first line (after a byte-order mark
/// and blank lines) is `BEGIN:VCALENDAR`, in UTF-8 or, as some Windows tools write, UTF-16.
pub fn looks_like_calendar(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(128)];
    let utf16 = if head.starts_with(b"\xFF\xFE") {
        Some(encoding_rs::UTF_16LE)
    } else if head.starts_with(b"\xFE\xFF") {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    };
    let text = match utf16 {
        Some(encoding) => encoding.decode_with_bom_removal(head).0,
        None => String::from_utf8_lossy(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head)),
    };
    text.trim_start()
        .get(..15)
        .is_some_and(|h| h.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
}

/// Read the calendar file `name` (named in errors) from `bytes`: the occurrences that started
/// before `now`, floating times and dates read in `local`. An error concerns the whole file.
pub fn read<Tz: TimeZone>(
    name: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
    local: &Tz,
) -> Result<Calendar, String> {
    let (text, _) = super::decode_text(bytes).map_err(|e| format!("{name}: {e}"))?;
    let calendars = parse(&text).map_err(|e| format!("{name}: {e}"))?;
    let lines = event_lines(&text);
    let mut out = Calendar::default();
    let mut first_event = 0;
    for calendar in &calendars {
        let events = calendar
            .components
            .iter()
            .filter(|c| c.component_type == ICalendarComponentType::VEvent)
            .count();
        // The k-th VEVENT of the file is the k-th BEGIN:VEVENT line, when they agree.
        let event_lines = lines.get(first_event..first_event + events);
        series::read_calendar(calendar, event_lines, now, local, &mut out);
        first_event += events;
    }
    out.occurrences
        .sort_by(|a, b| (a.start.start(local), &a.key).cmp(&(b.start.start(local), &b.key)));
    Ok(out)
}

/// Every VCALENDAR in `text` (a file may hold several, one after another).
fn parse(text: &str) -> Result<Vec<ICalendar>, String> {
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err("is empty".into());
    }
    let mut parser = Parser::new(text);
    let mut calendars = Vec::new();
    loop {
        match parser.entry() {
            // A bare VEVENT (as some tools keep single events) is read as well.
            Entry::ICalendar(calendar) => calendars.push(calendar),
            Entry::Eof => break,
            // Lines outside any component (blank lines, junk between calendars) say nothing.
            Entry::InvalidLine(_) => {}
            Entry::VCard(_) => return Err("is a vCard file, not a calendar".into()),
            Entry::UnexpectedComponentEnd { expected, found } => {
                return Err(format!(
                    "END:{} where END:{} was expected",
                    found.as_str(),
                    expected.as_str()
                ));
            }
            Entry::UnterminatedComponent(component) => {
                return Err(format!(
                    "ends inside a {component} (no END:{component}; is the file cut short?)"
                ));
            }
            Entry::TooManyComponents => return Err("holds too many components".into()),
            _ => return Err("is not an iCalendar file".into()),
        }
    }
    if calendars.is_empty() {
        return Err("holds no calendar (no BEGIN:VCALENDAR)".into());
    }
    // calcard takes a file that stops inside a component as if it ended there: the last
    // event could be half there, so the file is refused instead.
    let starts_with = |line: &str, word: &str| {
        line.get(..word.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(word))
    };
    let begins = text.lines().filter(|l| starts_with(l, "BEGIN:")).count();
    let ends = text.lines().filter(|l| starts_with(l, "END:")).count();
    if begins > ends {
        return Err(format!(
            "ends inside a component ({begins} BEGIN lines, {ends} END lines; is the file cut short?)"
        ));
    }
    Ok(calendars)
}

/// The 1-based line of each `BEGIN:VEVENT`, in order.
fn event_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            line.trim_start_matches('\u{feff}')
                .trim_end()
                .eq_ignore_ascii_case("BEGIN:VEVENT")
        })
        .map(|(i, _)| i + 1)
        .collect()
}
