//! Natural-language dates: what a user types for "when", and how a date reads back to them.
//!
//! Everything here is pure: "now" is always passed in (see [`crate::clock`]), nothing reads the
//! system clock or the environment. Wall-clock times are read in the time zone of the `now`
//! given to [`parse_when`]. The grammar lives in [`parse`] (with [`calendar`] for names of days
//! and months, [`offset`] for "in 3 days" and [`clock`] for times of day); [`spec`] finds the
//! date at the head of "WHEN: TEXT"; [`period`] is the repeating interval; [`relative`] and
//! [`human`] say a date back to the user.
//!
//! # What [`parse_when`] accepts
//!
//! Input is case-insensitive; surrounding and repeated whitespace (and commas) are ignored.
//! "Today" is the calendar date of `now` in `now`'s time zone. Every caller says which way an
//! open date leans ([`Lean`]): something that happened reads "monday" as the last Monday, a due
//! date reads it as the next one.
//!
//! | Input | Result |
//! |---|---|
//! | `2026-12-01` | that date |
//! | `2026-12-01T15:30`, `2026-12-01 15:30`, `2026-12-01 15:30:05` | that wall time |
//! | `2026-12-01T15:30:00+01:00`, `…Z` (RFC 3339, seconds required) | that exact instant |
//! | `today`, `tomorrow`, `yesterday` | that date |
//! | `now` | `now` itself |
//! | `in 3 days`, `in a month`, `in 3d`, `+3d`, `+2w`, `+1m`, `+1y` | today plus that, a date |
//! | `3 days ago`, `a month ago`, `2w ago`, `-3d` | today minus that, a date |
//! | `in 2 hours`, `in an hour`, `in 30 minutes`, `2 hours ago`, `+3h` | `now` ± that, an instant |
//! | `friday`, `fri`, `this friday` | future: the first Friday after today; past: the last one on or before today |
//! | `next friday` | the first Friday strictly after today, whatever the lean |
//! | `last friday` | the most recent Friday strictly before today, whatever the lean |
//! | `next week` / `last week` | today ± 7 days |
//! | `next month`, `last month`, `next year`, `last year` | today ± 1 month / year, clamped |
//! | `end of week` / `eow` | the coming Sunday (today if it is Sunday) |
//! | `end of month` / `eom`, `end of year` / `eoy` | the last day of this month / year |
//! | `dec 1`, `december 1`, `1 dec`, `1st december` | future: the next Dec 1 on or after today; past: the last one on or before today |
//! | `dec 1 2027`, `1 december 2027`, `dec 1, 2027` | that date |
//! | `3pm`, `3:30pm`, `3 pm`, `15:30`, `15:30:05`, `noon`, `midnight`, `at 3pm` | today, at it |
//! | a date form, then `[at] <time>`: `tomorrow 3pm`, `in 2 days at 3pm` | that date, that time |
//! | `<time> [on] <date>`: `3pm tomorrow`, `noon on friday` | that date, that time |
//!
//! Leaning to the future, a bare weekday is strictly after today (a follow-up is never due the
//! moment it is made), and a month and day without a year is this year's if that is today or
//! later, else next year's (`feb 29` waits for the next leap year). Leaning to the past, both
//! are the most recent on or before today (a call logged as "thursday" on a Thursday was
//! today). Explicit years, ISO dates and `next`/`last` are never moved. A time alone is
//! today's even if it has passed.
//!
//! Units: `m`/`mo`/`month` is always months (minutes are `min`/`minute`); `d`/`day`,
//! `w`/`wk`/`week`, `y`/`yr`/`year`, `h`/`hr`/`hour`. Days, weeks, months and years move the
//! calendar date and give a date (month and year steps clamp to the month's end: Jan 31 + 1 month
//! = Feb 28, or Feb 29 in a leap year; Feb 29 + 1 year = Feb 28); hours and minutes move the
//! instant. `midnight` is 00:00 at the start of the day. `12am` is 00:00 and `12pm` is noon.
//!
//! A wall time that does not exist (skipped by a daylight-saving jump) becomes the first
//! instant after the gap; an ambiguous one (repeated when clocks go back) is the earlier.
//!
//! Anything else is [`DateError::Unparseable`] carrying the input exactly as given: the empty
//! string, invalid dates (`2026-02-30`), invalid times (`13pm`, `24:00`), unknown units, numbers
//! too large for the calendar. Parsing never panics.

mod calendar;
mod clock;
pub mod human;
mod offset;
pub mod parse;
pub mod period;
pub mod relative;
pub mod spec;
pub mod text;

#[cfg(test)]
mod parse_tests;

use chrono::{DateTime, NaiveDate, Utc};

pub use calendar::named_month_day;
pub use clock::local_to_utc;
pub use human::human_when;
pub use parse::parse_when;
pub use period::{Period, PeriodUnit, describe_period};
pub use relative::{days_between, relative_date, relative_time};
pub use spec::split_spec;

/// A parsed point in time: either an all-day date or an exact instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Date(NaiveDate),
    At(DateTime<Utc>),
}

/// Which way an open date ("monday", "dec 1") leans: what happened is in the past, what is
/// due is ahead. Each caller says which it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lean {
    /// Something that happened: an interaction's date.
    Past,
    /// Something to do: a due date, a snooze.
    Future,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error(
        "cannot understand the date \"{input}\"; try 2026-12-01, tomorrow, in 3 days, next friday, 3pm"
    )]
    Unparseable { input: String },
    #[error("cannot understand the period \"{input}\"; try 30d, 2w, 3m or 1y")]
    BadPeriod { input: String },
}
