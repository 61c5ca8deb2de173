//! Follow-ups: when one is due (a day or an instant), the record as stored, what a new one
//! takes, and how a recurring one counts its next date (see [`super::recurrence`]).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{ContactRef, OrgRef, Period};

/// When a follow-up is due: a whole local day, or an exact instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Day(NaiveDate),
    At(DateTime<Utc>),
}

impl Due {
    /// The stored form: `YYYY-MM-DD` or RFC 3339 UTC.
    pub fn to_db(&self) -> String {
        match self {
            Due::Day(d) => match crate::dates::text::day_text(*d) {
                Some(b) => b.iter().map(|&c| char::from(c)).collect(),
                None => d.format("%Y-%m-%d").to_string(),
            },
            Due::At(t) => match crate::dates::text::utc_text(*t) {
                Some(b) => b.iter().map(|&c| char::from(c)).collect(),
                None => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            },
        }
    }
    pub fn from_db(s: &str) -> Option<Due> {
        if s.len() == 10 {
            if let Some(day) = plain_day(s.as_bytes()) {
                return day.map(Due::Day);
            }
            NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(Due::Day)
        } else {
            DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| Due::At(t.with_timezone(&Utc)))
        }
    }
    /// The local calendar day it falls on.
    /// How a person reads it, in their time zone: `2026-11-29` or `2026-11-29 09:00`.
    pub fn display_local<Tz: chrono::TimeZone>(&self, tz: &Tz) -> String
    where
        Tz::Offset: std::fmt::Display,
    {
        match self {
            Due::Day(d) => d.format("%Y-%m-%d").to_string(),
            Due::At(t) => t.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string(),
        }
    }

    pub fn local_day<Tz: chrono::TimeZone>(&self, tz: &Tz) -> NaiveDate {
        match self {
            Due::Day(d) => *d,
            Due::At(t) => t.with_timezone(tz).date_naive(),
        }
    }
}

/// A day as stored (`2026-11-24`), read without chrono's format parser (reading follow-ups
/// is most of `kith reminders`): Some(the day, or None for a day no calendar has) when the
/// text has that shape, None for any other text.
fn plain_day(b: &[u8]) -> Option<Option<NaiveDate>> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let mut n = [0u32; 3];
    for (i, range) in [0..4, 5..7, 8..10].into_iter().enumerate() {
        for &d in &b[range] {
            if !d.is_ascii_digit() {
                return None;
            }
            n[i] = n[i] * 10 + u32::from(d - b'0');
        }
    }
    Some(NaiveDate::from_ymd_opt(n[0] as i32, n[1], n[2]))
}

impl From<Due> for crate::dates::When {
    fn from(d: Due) -> crate::dates::When {
        match d {
            Due::Day(d) => crate::dates::When::Date(d),
            Due::At(t) => crate::dates::When::At(t),
        }
    }
}

impl From<crate::dates::When> for Due {
    fn from(w: crate::dates::When) -> Due {
        match w {
            crate::dates::When::Date(d) => Due::Day(d),
            crate::dates::When::At(t) => Due::At(t),
        }
    }
}

impl Serialize for Due {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_db())
    }
}

/// A follow-up about a contact or an organization.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reminder {
    pub id: i64,
    pub uid: String,
    pub text: String,
    pub due: Due,
    pub recurrence: Option<Period>,
    pub snoozed_until: Option<Due>,
    pub done_at: Option<DateTime<Utc>>,
    pub contact: Option<ContactRef>,
    pub organization: Option<OrgRef>,
    pub created_at: DateTime<Utc>,
}

impl Reminder {
    /// The date it is effectively due: a snooze moves it later.
    pub fn effective_due(&self) -> Due {
        self.snoozed_until.unwrap_or(self.due)
    }
}

/// What a new follow-up takes.
#[derive(Debug, Clone)]
pub struct NewReminder {
    pub contact_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub text: String,
    pub due: Due,
    pub recurrence: Option<Period>,
    pub interaction_id: Option<i64>,
}

/// What completing a follow-up did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completion {
    Closed,
    /// A recurring follow-up moved on to its next due date.
    MovedTo(Due),
}

/// What a recurring follow-up's next date counts from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecurFrom {
    /// The due date: "every month on the 31st", whenever it was done.
    #[default]
    Due,
    /// The day it was completed: "two weeks after the last time".
    Done,
}

impl RecurFrom {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            RecurFrom::Due => "due",
            RecurFrom::Done => "done",
        }
    }
}

/// What the [`Reminder`] record does not carry: how it recurs and which interaction it came
/// from (`kith log --follow-up`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReminderExtra {
    pub recur_from: RecurFrom,
    /// The date a due-anchored recurrence counts from (month-end clamping does not drift).
    pub anchor: Due,
    /// The interaction this follow-up was created with.
    pub interaction_id: Option<i64>,
}
