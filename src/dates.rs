//! Natural-language dates: what a user types for "when", and how a date reads back to them.
//!
//! Everything here is pure: "now" is always passed in (see [`crate::clock`]), nothing reads the
//! system clock or the environment. Wall-clock times are read in the time zone of the `now`
//! given to [`parse_when`].
//!
//! # What [`parse_when`] accepts
//!
//! Input is case-insensitive; surrounding and repeated whitespace (and commas) are ignored.
//! "Today" is the calendar date of `now` in `now`'s time zone.
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
//! | `friday`, `fri`, `next friday`, `this friday` | the first Friday strictly after today |
//! | `last friday` | the most recent Friday strictly before today |
//! | `next week` / `last week` | today ± 7 days |
//! | `next month`, `last month`, `next year`, `last year` | today ± 1 month / year, clamped |
//! | `end of week` / `eow` | the coming Sunday (today if it is Sunday) |
//! | `end of month` / `eom`, `end of year` / `eoy` | the last day of this month / year |
//! | `dec 1`, `december 1`, `1 dec`, `1st december` | the next Dec 1 on or after today |
//! | `dec 1 2027`, `1 december 2027`, `dec 1, 2027` | that date |
//! | `3pm`, `3:30pm`, `3 pm`, `15:30`, `15:30:05`, `noon`, `midnight`, `at 3pm` | today, at it |
//! | a date form, then `[at] <time>`: `tomorrow 3pm`, `in 2 days at 3pm` | that date, that time |
//! | `<time> [on] <date>`: `3pm tomorrow`, `noon on friday` | that date, that time |
//!
//! A month and day without a year is this year's if that is today or later, else next year's
//! (`feb 29` waits for the next leap year). A time alone is today's even if it has passed.
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

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Days, MappedLocalTime, Months, NaiveDate, NaiveDateTime, NaiveTime,
    TimeDelta, TimeZone, Timelike, Utc, Weekday,
};

/// A parsed point in time: either an all-day date or an exact instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Date(NaiveDate),
    At(DateTime<Utc>),
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

// ---------------------------------------------------------------------------------------------
// parse_when
// ---------------------------------------------------------------------------------------------

/// Parse user date input relative to `now`, interpreting wall-clock times in now's time zone.
///
/// See the module documentation for the accepted forms.
pub fn parse_when<Tz: TimeZone>(input: &str, now: &DateTime<Tz>) -> Result<When, DateError> {
    parse_when_inner(input, now).ok_or_else(|| DateError::Unparseable {
        input: input.to_string(),
    })
}

fn parse_when_inner<Tz: TimeZone>(input: &str, now: &DateTime<Tz>) -> Option<When> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return None;
    }
    // An explicit offset pins the instant exactly; chrono's RFC 3339 parser is the precise tool.
    if let Ok(t) = DateTime::parse_from_rfc3339(trimmed) {
        return Some(When::At(t.with_timezone(&Utc)));
    }
    let lower = trimmed.to_lowercase();
    let tokens = tokenize(&lower);
    let now_utc = now.with_timezone(&Utc);
    match parse_tokens(&tokens, now.date_naive(), now_utc)? {
        Parsed::Date(d) => Some(When::Date(d)),
        Parsed::At(t) => Some(When::At(t)),
        Parsed::Local(date, time) => {
            local_to_utc(&now.timezone(), date.and_time(time)).map(When::At)
        }
    }
}

/// The parser's result before a wall time is placed in a time zone; this keeps the grammar
/// itself free of the `Tz` type parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parsed {
    Date(NaiveDate),
    At(DateTime<Utc>),
    Local(NaiveDate, NaiveTime),
}

/// Words split on whitespace and commas ("dec 1, 2027"); an ISO date glued to its time with
/// `t` ("2026-12-01t15:30", already lowercased) becomes two tokens.
fn tokenize(lower: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    for word in lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        match word.split_once('t') {
            Some((date, time)) if iso_date(date).is_some() && !time.is_empty() => {
                tokens.push(date);
                tokens.push(time);
            }
            _ => tokens.push(word),
        }
    }
    tokens
}

fn parse_tokens(tokens: &[&str], today: NaiveDate, now: DateTime<Utc>) -> Option<Parsed> {
    if tokens == ["now"] || tokens == ["right", "now"] {
        return Some(Parsed::At(now));
    }

    // A time first: "3pm", "at noon", or "3pm tomorrow", "noon on friday".
    let after_at = strip_word(tokens, "at");
    if let Some((time, used)) = parse_time(after_at) {
        let rest = &after_at[used..];
        if rest.is_empty() {
            return Some(Parsed::Local(today, time));
        }
        return match parse_date(rest, today, now)? {
            (Parsed::Date(day), n) if n == rest.len() => Some(Parsed::Local(day, time)),
            _ => None,
        };
    }

    // Otherwise a date, optionally followed by "[at] <time>".
    let (anchor, used) = parse_date(tokens, today, now)?;
    let rest = &tokens[used..];
    if rest.is_empty() {
        return Some(anchor);
    }
    // "in 2 hours at 3pm" contradicts itself: only a calendar date can take a time.
    let Parsed::Date(day) = anchor else {
        return None;
    };
    let rest = strip_word(rest, "at");
    let (time, used) = parse_time(rest)?;
    (used == rest.len()).then_some(Parsed::Local(day, time))
}

/// `tokens` without a leading `word`, if it has one.
fn strip_word<'a, 'b>(tokens: &'a [&'b str], word: &str) -> &'a [&'b str] {
    match tokens {
        [first, rest @ ..] if *first == word => rest,
        _ => tokens,
    }
}

/// A date expression at the start of `tokens`, and how many tokens it used.
fn parse_date(tokens: &[&str], today: NaiveDate, now: DateTime<Utc>) -> Option<(Parsed, usize)> {
    // "on friday", "on dec 1": a filler word.
    let skipped = usize::from(tokens.first() == Some(&"on"));
    let tokens = &tokens[skipped..];
    let as_date = |found: Option<(NaiveDate, usize)>| found.map(|(d, n)| (Parsed::Date(d), n));
    as_date(iso_date(tokens.first()?).map(|d| (d, 1)))
        .or_else(|| as_date(named_day(tokens, today)))
        .or_else(|| relative_offset(tokens, today, now))
        .or_else(|| as_date(weekday_rule(tokens, today)))
        .or_else(|| as_date(named_span(tokens, today)))
        .or_else(|| as_date(month_day(tokens, today)))
        .map(|(p, n)| (p, n + skipped))
}

/// `YYYY-MM-DD` (month and day may be one digit), validated against the calendar.
fn iso_date(token: &str) -> Option<NaiveDate> {
    let mut parts = token.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(number(y)?).ok()?, number(m)?, number(d)?)
}

/// Only ASCII digits (so no sign, unlike `str::parse`), and it must fit in a `u32`.
fn number(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn named_day(tokens: &[&str], today: NaiveDate) -> Option<(NaiveDate, usize)> {
    let day = match *tokens.first()? {
        "today" => today,
        "tomorrow" | "tmrw" => today.succ_opt()?,
        "yesterday" => today.pred_opt()?,
        _ => return None,
    };
    Some((day, 1))
}

/// Units of a relative offset. Calendar units move the date; clock units move the instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Minute,
    Hour,
    Calendar(PeriodUnit),
}

fn unit_word(word: &str) -> Option<Unit> {
    use PeriodUnit::*;
    Some(match word {
        "min" | "mins" | "minute" | "minutes" => Unit::Minute,
        "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hour,
        "d" | "day" | "days" => Unit::Calendar(Day),
        "w" | "wk" | "wks" | "week" | "weeks" => Unit::Calendar(Week),
        // "m" is months, as in periods ("3m"); minutes must be spelled "min".
        "m" | "mo" | "mos" | "month" | "months" => Unit::Calendar(Month),
        "y" | "yr" | "yrs" | "year" | "years" => Unit::Calendar(Year),
        _ => return None,
    })
}

/// "3d" → ("3", "d"). Splits at the first non-digit, on a char boundary.
fn split_number(token: &str) -> (&str, &str) {
    let end = token
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(token.len());
    token.split_at(end)
}

/// An amount and a unit: "3 days", "a week", "an hour", "3d". Returns the tokens used.
fn amount_unit(tokens: &[&str]) -> Option<(u32, Unit, usize)> {
    let first = *tokens.first()?;
    let (digits, suffix) = split_number(first);
    if !digits.is_empty() && !suffix.is_empty() {
        return Some((number(digits)?, unit_word(suffix)?, 1));
    }
    let amount = match first {
        "a" | "an" | "one" => 1,
        _ => number(first)?,
    };
    Some((amount, unit_word(tokens.get(1)?)?, 2))
}

/// "in 3 days", "+3d", "+ 3 days", "-3d", "3 days ago".
fn relative_offset(
    tokens: &[&str],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Option<(Parsed, usize)> {
    let first = *tokens.first()?;
    let (forward, amount, unit, used) = if first == "in" {
        let (amount, unit, n) = amount_unit(&tokens[1..])?;
        (true, amount, unit, n + 1)
    } else if let Some(sign) = first.chars().next().filter(|c| *c == '+' || *c == '-') {
        let glued = &first[1..];
        let (amount, unit, n) = if glued.is_empty() {
            let (a, u, n) = amount_unit(&tokens[1..])?;
            (a, u, n + 1)
        } else {
            let mut rest = vec![glued];
            rest.extend_from_slice(&tokens[1..]);
            amount_unit(&rest)?
        };
        (sign == '+', amount, unit, n)
    } else {
        let (amount, unit, n) = amount_unit(tokens)?;
        if tokens.get(n) != Some(&"ago") {
            return None;
        }
        (false, amount, unit, n + 1)
    };
    let parsed = match unit {
        Unit::Calendar(u) => Parsed::Date(shift(today, u, u64::from(amount), forward)?),
        Unit::Hour | Unit::Minute => {
            let delta = if unit == Unit::Hour {
                TimeDelta::try_hours(i64::from(amount))?
            } else {
                TimeDelta::try_minutes(i64::from(amount))?
            };
            let t = if forward {
                now.checked_add_signed(delta)?
            } else {
                now.checked_sub_signed(delta)?
            };
            Parsed::At(t)
        }
    };
    Some((parsed, used))
}

/// Moves `date` by `amount` calendar units; months and years clamp to the month's end
/// (chrono's `Months` arithmetic does exactly that). `None` when off the calendar.
fn shift(date: NaiveDate, unit: PeriodUnit, amount: u64, forward: bool) -> Option<NaiveDate> {
    let days = |n: u64| {
        if forward {
            date.checked_add_days(Days::new(n))
        } else {
            date.checked_sub_days(Days::new(n))
        }
    };
    let months = |n: u64| {
        let n = Months::new(u32::try_from(n).ok()?);
        if forward {
            date.checked_add_months(n)
        } else {
            date.checked_sub_months(n)
        }
    };
    match unit {
        PeriodUnit::Day => days(amount),
        PeriodUnit::Week => days(amount.checked_mul(7)?),
        PeriodUnit::Month => months(amount),
        PeriodUnit::Year => months(amount.checked_mul(12)?),
    }
}

fn weekday_name(word: &str) -> Option<Weekday> {
    Some(match word {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "weds" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// "friday", "next friday", "this friday": strictly after today (so "friday" said on a Friday
/// means a week later: a follow-up is never due the moment it is made). "last friday": strictly
/// before today.
fn weekday_rule(tokens: &[&str], today: NaiveDate) -> Option<(NaiveDate, usize)> {
    let (forward, name, used) = match tokens {
        [q @ ("next" | "this" | "last"), name, ..] => (*q != "last", *name, 2),
        [name, ..] => (true, *name, 1),
        [] => return None,
    };
    let target = i64::from(weekday_name(name)?.num_days_from_monday());
    let current = i64::from(today.weekday().num_days_from_monday());
    let date = if forward {
        let ahead = (target - current).rem_euclid(7);
        today.checked_add_days(Days::new(if ahead == 0 { 7 } else { ahead.unsigned_abs() }))?
    } else {
        let back = (current - target).rem_euclid(7);
        today.checked_sub_days(Days::new(if back == 0 { 7 } else { back.unsigned_abs() }))?
    };
    Some((date, used))
}

/// "next week", "last month", "end of month", "eom", "end of the week", "eoy"...
fn named_span(tokens: &[&str], today: NaiveDate) -> Option<(NaiveDate, usize)> {
    use PeriodUnit::*;
    match tokens {
        ["next", span, ..] | ["last", span, ..] => {
            let unit = match *span {
                "week" => Week,
                "month" => Month,
                "year" => Year,
                _ => return None,
            };
            Some((shift(today, unit, 1, tokens[0] == "next")?, 2))
        }
        ["end", "of", "the", span, ..] => Some((end_of(span, today)?, 4)),
        ["end", "of", span, ..] => Some((end_of(span, today)?, 3)),
        ["eow", ..] => Some((end_of("week", today)?, 1)),
        ["eom", ..] => Some((end_of("month", today)?, 1)),
        ["eoy", ..] => Some((end_of("year", today)?, 1)),
        _ => None,
    }
}

fn end_of(span: &str, today: NaiveDate) -> Option<NaiveDate> {
    match span {
        // Weeks run Monday to Sunday, so the week ends on the coming Sunday (today if Sunday).
        "week" => today.checked_add_days(Days::new(u64::from(
            6 - today.weekday().num_days_from_monday(),
        ))),
        "month" => NaiveDate::from_ymd_opt(today.year(), today.month(), 1)?
            .checked_add_months(Months::new(1))?
            .pred_opt(),
        "year" => NaiveDate::from_ymd_opt(today.year(), 12, 31),
        _ => None,
    }
}

fn month_name(word: &str) -> Option<u32> {
    Some(match word {
        "jan" | "january" => 1,
        "feb" | "february" => 2,
        "mar" | "march" => 3,
        "apr" | "april" => 4,
        "may" => 5,
        "jun" | "june" => 6,
        "jul" | "july" => 7,
        "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "october" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    })
}

/// A day of the month, "1".."31", optionally "1st", "2nd", "3rd", "4th".
fn day_number(word: &str) -> Option<u32> {
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .unwrap_or(word);
    (digits.len() <= 2)
        .then(|| number(digits))
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

/// A four-digit year.
fn year_number(word: &str) -> Option<i32> {
    (word.len() == 4)
        .then(|| number(word))
        .flatten()
        .and_then(|y| i32::try_from(y).ok())
}

/// "dec 1", "1 december", "dec 1 2027", "1st dec 2027".
fn month_day(tokens: &[&str], today: NaiveDate) -> Option<(NaiveDate, usize)> {
    let [a, b, rest @ ..] = tokens else {
        return None;
    };
    let (month, day) = match (month_name(a), day_number(b)) {
        (Some(m), Some(d)) => (m, d),
        _ => (month_name(b)?, day_number(a)?),
    };
    if let Some(year) = rest.first().and_then(|w| year_number(w)) {
        return NaiveDate::from_ymd_opt(year, month, day).map(|d| (d, 3));
    }
    // No year: the next such date on or after today. Normally this year or the next; Feb 29
    // may need up to eight years (leap years skip a century now and then).
    (0..=8)
        .filter_map(|k| today.year().checked_add(k))
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .find(|d| *d >= today)
        .map(|d| (d, 2))
}

/// A time of day at the start of `tokens`: "3pm", "3:30pm", "3 pm", "15:30", "15:30:05",
/// "noon", "midnight". A bare number is never a time (it would clash with days and years).
fn parse_time(tokens: &[&str]) -> Option<(NaiveTime, usize)> {
    let first = *tokens.first()?;
    match first {
        "noon" | "midday" => return Some((NaiveTime::from_hms_opt(12, 0, 0)?, 1)),
        "midnight" => return Some((NaiveTime::MIN, 1)),
        _ => {}
    }
    if let Some(clock) = first.strip_suffix("am") {
        return Some((clock_12(clock, false)?, 1));
    }
    if let Some(clock) = first.strip_suffix("pm") {
        return Some((clock_12(clock, true)?, 1));
    }
    match tokens.get(1) {
        Some(&"am") => Some((clock_12(first, false)?, 2)),
        Some(&"pm") => Some((clock_12(first, true)?, 2)),
        _ => Some((clock_24(first)?, 1)),
    }
}

/// "H", "H:MM" or "H:MM:SS" split into numbers; minutes and seconds must be two digits.
fn clock_parts(s: &str) -> Option<(u32, u32, u32)> {
    let mut parts = s.split(':');
    let h = parts.next().filter(|h| h.len() <= 2).and_then(number)?;
    let mut two_digits = || match parts.next() {
        None => Some(0),
        Some(p) if p.len() == 2 => number(p),
        Some(_) => None,
    };
    let (m, sec) = (two_digits()?, two_digits()?);
    if parts.next().is_some() {
        return None;
    }
    Some((h, m, sec))
}

/// 12-hour clock: hour 1..=12; 12am is midnight and 12pm is noon.
fn clock_12(s: &str, pm: bool) -> Option<NaiveTime> {
    let (h, m, sec) = clock_parts(s)?;
    if !(1..=12).contains(&h) {
        return None;
    }
    NaiveTime::from_hms_opt(h % 12 + if pm { 12 } else { 0 }, m, sec)
}

/// 24-hour clock; needs a colon so that "15" alone is not taken for a time.
fn clock_24(s: &str) -> Option<NaiveTime> {
    if !s.contains(':') {
        return None;
    }
    let (h, m, sec) = clock_parts(s)?;
    NaiveTime::from_hms_opt(h, m, sec)
}

/// Places a wall time in `tz`. Ambiguous (clocks went back): the earlier instant. In a gap
/// (clocks went forward): the first minute that exists after it, i.e. the end of the gap.
pub fn local_to_utc<Tz: TimeZone>(tz: &Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        MappedLocalTime::Single(t) => return Some(t.with_timezone(&Utc)),
        MappedLocalTime::Ambiguous(a, b) => {
            return Some(a.with_timezone(&Utc).min(b.with_timezone(&Utc)));
        }
        MappedLocalTime::None => {}
    }
    let start = local.with_second(0)?.with_nanosecond(0)?;
    (1..=24 * 60)
        .find_map(|m| {
            let candidate = start.checked_add_signed(TimeDelta::try_minutes(m)?)?;
            tz.from_local_datetime(&candidate).earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

// ---------------------------------------------------------------------------------------------
// Period
// ---------------------------------------------------------------------------------------------

/// A repeating interval: a contact's keep-in-touch cadence, a reminder's recurrence.
/// Serialized as its canonical text, e.g. `"2w"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    pub count: u32,
    pub unit: PeriodUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodUnit {
    Day,
    Week,
    Month,
    Year,
}

impl PeriodUnit {
    /// The canonical one-letter suffix.
    pub fn suffix(self) -> char {
        match self {
            PeriodUnit::Day => 'd',
            PeriodUnit::Week => 'w',
            PeriodUnit::Month => 'm',
            PeriodUnit::Year => 'y',
        }
    }

    /// The English noun, singular.
    pub fn noun(self) -> &'static str {
        match self {
            PeriodUnit::Day => "day",
            PeriodUnit::Week => "week",
            PeriodUnit::Month => "month",
            PeriodUnit::Year => "year",
        }
    }

    fn approx_days(self) -> i64 {
        match self {
            PeriodUnit::Day => 1,
            PeriodUnit::Week => 7,
            PeriodUnit::Month => 30,
            PeriodUnit::Year => 365,
        }
    }
}

impl Period {
    /// The largest count accepted by [`Period::parse`].
    pub const MAX_COUNT: u32 = 1000;

    /// "30d", "2w", "3m", "1y", "2 weeks", "3 months", "1 year", "10 days", "every 2 weeks",
    /// "daily", "weekly", "fortnightly", "monthly", "quarterly" (3m), "yearly"/"annually".
    /// Case-insensitive; the count must be 1..=1000.
    pub fn parse(input: &str) -> Result<Period, DateError> {
        parse_period(&input.trim().to_lowercase()).ok_or_else(|| DateError::BadPeriod {
            input: input.to_string(),
        })
    }

    /// The date one period after `date`; months and years clamp to the month's end
    /// (Jan 31 + 1m = Feb 28 or 29; Feb 29 + 1y = Feb 28).
    pub fn add_to(&self, date: NaiveDate) -> NaiveDate {
        self.add_n_to(date, 1)
    }

    /// The date `n` periods after `date`, counted from `date` itself so that clamping does not
    /// accumulate: Jan 31 + 1m, +2m gives Feb 28, Mar 31. Saturates at the end of chrono's
    /// calendar rather than failing.
    pub fn add_n_to(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let amount = u64::from(self.count) * u64::from(n);
        shift(date, self.unit, amount, true).unwrap_or(NaiveDate::MAX)
    }

    /// Rough length in days (a month is 30, a year 365), for comparing against elapsed days.
    pub fn approx_days(&self) -> i64 {
        i64::from(self.count) * self.unit.approx_days()
    }
}

fn parse_period(s: &str) -> Option<Period> {
    use PeriodUnit::*;
    let period = |count, unit| Some(Period { count, unit });
    match s {
        "daily" => return period(1, Day),
        "weekly" => return period(1, Week),
        "fortnightly" => return period(2, Week),
        "monthly" => return period(1, Month),
        "quarterly" => return period(3, Month),
        "yearly" | "annually" => return period(1, Year),
        _ => {}
    }
    let every = s.strip_prefix("every ");
    let tokens: Vec<&str> = every.unwrap_or(s).split_whitespace().collect();
    let (count, unit) = match tokens.as_slice() {
        // "every week"
        [word] if every.is_some() && unit_word(word).is_some() => (1, unit_word(word)?),
        [glued] => {
            let (digits, suffix) = split_number(glued);
            (number(digits)?, unit_word(suffix)?)
        }
        [count, word] => (number(count)?, unit_word(word)?),
        _ => return None,
    };
    let Unit::Calendar(unit) = unit else {
        return None;
    };
    (1..=Period::MAX_COUNT)
        .contains(&count)
        .then_some(Period { count, unit })
}

impl fmt::Display for Period {
    /// Canonical form: "30d", "2w", "3m", "1y".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.count, self.unit.suffix())
    }
}

impl FromStr for Period {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Period, DateError> {
        Period::parse(s)
    }
}

impl TryFrom<String> for Period {
    type Error = DateError;
    fn try_from(s: String) -> Result<Period, DateError> {
        Period::parse(&s)
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

/// Human text like "2 weeks", "1 month", "30 days".
pub fn describe_period(p: &Period) -> String {
    counted(i64::from(p.count), p.unit.noun())
}

// ---------------------------------------------------------------------------------------------
// Relative output
// ---------------------------------------------------------------------------------------------

/// "1 day", "3 days".
fn counted(n: i64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn in_or_ago(n: i64, noun: &str, future: bool) -> String {
    if future {
        format!("in {}", counted(n, noun))
    } else {
        format!("{} ago", counted(n, noun))
    }
}

/// Whole calendar months from `from` to `to` (`from <= to`), with month-end clamping:
/// Jan 31 → Feb 28 is one month.
fn whole_months(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut months = (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(to.month())
        - i64::from(from.month());
    // The calendar difference overshoots by one when the day of the month is not reached yet.
    if months > 0
        && shift(from, PeriodUnit::Month, months.unsigned_abs(), true).is_none_or(|d| d > to)
    {
        months -= 1;
    }
    months
}

/// Relative description of a calendar date against today: "today", "tomorrow", "yesterday",
/// "in 3 days", "5 days ago" (up to 13 days), "in 2 weeks", "3 weeks ago" (until two whole
/// calendar months have passed, so at most 8 weeks), "in 4 months" (up to 23 months), then
/// "2 years ago". Always rounded down.
pub fn relative_date(date: NaiveDate, today: NaiveDate) -> String {
    let days = days_between(today, date);
    let future = days > 0;
    let abs = days.abs();
    match days {
        0 => return "today".to_string(),
        1 => return "tomorrow".to_string(),
        -1 => return "yesterday".to_string(),
        _ if abs <= 13 => return in_or_ago(abs, "day", future),
        _ => {}
    }
    let (earlier, later) = if future { (today, date) } else { (date, today) };
    let months = whole_months(earlier, later);
    if months < 2 {
        in_or_ago(abs / 7, "week", future)
    } else if months < 24 {
        in_or_ago(months, "month", future)
    } else {
        in_or_ago(months / 12, "year", future)
    }
}

/// Relative description of an instant: under a minute "just now"; then "5 minutes ago",
/// "in 3 hours" (under 24 hours); otherwise [`relative_date`] of the two calendar dates in
/// `now`'s time zone.
pub fn relative_time<Tz: TimeZone>(t: DateTime<Utc>, now: &DateTime<Tz>) -> String {
    let secs = t
        .signed_duration_since(now.with_timezone(&Utc))
        .num_seconds();
    let future = secs > 0;
    let abs = i64::try_from(secs.unsigned_abs()).unwrap_or(i64::MAX);
    if abs < 60 {
        "just now".to_string()
    } else if abs < 3600 {
        in_or_ago(abs / 60, "minute", future)
    } else if abs < 24 * 3600 {
        in_or_ago(abs / 3600, "hour", future)
    } else {
        let local = t.with_timezone(&now.timezone()).date_naive();
        relative_date(local, now.date_naive())
    }
}

/// Whole days from `from` to `to` (to − from), e.g. days since last contact.
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;
    use proptest::prelude::*;

    /// +01:00, the zone of every test unless it says otherwise.
    fn zone() -> FixedOffset {
        FixedOffset::east_opt(3600).unwrap()
    }

    /// Tuesday 2026-11-24 10:15 at +01:00.
    fn now() -> DateTime<FixedOffset> {
        zone().with_ymd_and_hms(2026, 11, 24, 10, 15, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A wall time at +01:00, as an instant.
    fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        zone()
            .with_ymd_and_hms(y, mo, d, h, mi, s)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn parse_at<Tz: TimeZone>(input: &str, now: &DateTime<Tz>) -> When {
        parse_when(input, now).unwrap_or_else(|e| panic!("{input:?}: {e}"))
    }

    fn p(input: &str) -> When {
        parse_at(input, &now())
    }

    fn day(y: i32, m: u32, d: u32) -> When {
        When::Date(date(y, m, d))
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> When {
        When::At(local(y, mo, d, h, mi, 0))
    }

    fn unparseable(input: &str) {
        assert_eq!(
            parse_when(input, &now()),
            Err(DateError::Unparseable {
                input: input.to_string()
            }),
            "{input:?} should not parse"
        );
    }

    #[test]
    fn fixed_now_is_a_tuesday() {
        assert_eq!(now().weekday(), Weekday::Tue);
    }

    #[test]
    fn iso_forms() {
        assert_eq!(p("2026-12-01"), day(2026, 12, 1));
        assert_eq!(p("2026-12-01T15:30"), at(2026, 12, 1, 15, 30));
        assert_eq!(p("2026-12-01 15:30"), at(2026, 12, 1, 15, 30));
        assert_eq!(
            p("2026-12-01 15:30:05"),
            When::At(local(2026, 12, 1, 15, 30, 5))
        );
        assert_eq!(
            p("2026-12-01t15:30:05"),
            When::At(local(2026, 12, 1, 15, 30, 5))
        );
        assert_eq!(p("2026-12-01 9am"), at(2026, 12, 1, 9, 0));
        assert_eq!(p("2024-02-29"), day(2024, 2, 29));
    }

    #[test]
    fn rfc3339_with_offset() {
        let utc = |h, mi| When::At(Utc.with_ymd_and_hms(2026, 12, 1, h, mi, 0).unwrap());
        assert_eq!(p("2026-12-01T15:30:00+01:00"), utc(14, 30));
        assert_eq!(p("2026-12-01T15:30:00-05:00"), utc(20, 30));
        assert_eq!(p("2026-12-01T15:30:00Z"), utc(15, 30));
        assert_eq!(p("2026-12-01t15:30:00z"), utc(15, 30));
        assert_eq!(p("  2026-12-01 15:30:00+00:00 "), utc(15, 30));
    }

    #[test]
    fn named_days_and_now() {
        assert_eq!(p("today"), day(2026, 11, 24));
        assert_eq!(p("tomorrow"), day(2026, 11, 25));
        assert_eq!(p("yesterday"), day(2026, 11, 23));
        assert_eq!(p("now"), When::At(now().with_timezone(&Utc)));
        assert_eq!(p("  ToDay "), day(2026, 11, 24));
    }

    #[test]
    fn today_is_the_date_in_nows_zone() {
        // 23:30 UTC on the 24th is already the 25th at +01:00.
        let late = Utc
            .with_ymd_and_hms(2026, 11, 24, 23, 30, 0)
            .unwrap()
            .with_timezone(&zone());
        assert_eq!(parse_at("today", &late), day(2026, 11, 25));
    }

    #[test]
    fn in_forms() {
        let n = now().with_timezone(&Utc);
        assert_eq!(p("in 3 days"), day(2026, 11, 27));
        assert_eq!(p("in 2 weeks"), day(2026, 12, 8));
        assert_eq!(p("in 1 month"), day(2026, 12, 24));
        assert_eq!(p("in a week"), day(2026, 12, 1));
        assert_eq!(p("in 1 year"), day(2027, 11, 24));
        assert_eq!(p("in 0 days"), day(2026, 11, 24));
        assert_eq!(p("in an hour"), When::At(n + TimeDelta::hours(1)));
        assert_eq!(p("in 2 hours"), When::At(n + TimeDelta::hours(2)));
        assert_eq!(p("in 30 minutes"), When::At(n + TimeDelta::minutes(30)));
        assert_eq!(p("in 30 min"), When::At(n + TimeDelta::minutes(30)));
        assert_eq!(p("in 3d"), day(2026, 11, 27));
        assert_eq!(p("in 2w"), day(2026, 12, 8));
        assert_eq!(p("in 2h"), When::At(n + TimeDelta::hours(2)));
        assert_eq!(p("+3d"), day(2026, 11, 27));
        assert_eq!(p("+2w"), day(2026, 12, 8));
        assert_eq!(p("+1m"), day(2026, 12, 24)); // m = months
        assert_eq!(p("+1y"), day(2027, 11, 24));
        assert_eq!(p("+ 3 days"), day(2026, 11, 27));
        assert_eq!(p("+3 days"), day(2026, 11, 27));
        assert_eq!(p("-3d"), day(2026, 11, 21));
        assert_eq!(p("IN   3   DAYS"), day(2026, 11, 27));
    }

    #[test]
    fn ago_forms() {
        let n = now().with_timezone(&Utc);
        assert_eq!(p("3 days ago"), day(2026, 11, 21));
        assert_eq!(p("2 weeks ago"), day(2026, 11, 10));
        assert_eq!(p("a month ago"), day(2026, 10, 24));
        assert_eq!(p("1 year ago"), day(2025, 11, 24));
        assert_eq!(p("2w ago"), day(2026, 11, 10));
        assert_eq!(p("2 hours ago"), When::At(n - TimeDelta::hours(2)));
        assert_eq!(p("an hour ago"), When::At(n - TimeDelta::hours(1)));
    }

    #[test]
    fn weekdays_are_strictly_after_today() {
        // Today is Tuesday 2026-11-24.
        for input in [
            "friday",
            "fri",
            "next friday",
            "this friday",
            "on friday",
            "FRIDAY",
        ] {
            assert_eq!(p(input), day(2026, 11, 27), "{input}");
        }
        assert_eq!(p("tuesday"), day(2026, 12, 1));
        assert_eq!(p("tue"), day(2026, 12, 1));
        assert_eq!(p("wednesday"), day(2026, 11, 25));
        assert_eq!(p("monday"), day(2026, 11, 30));
        assert_eq!(p("sun"), day(2026, 11, 29));
        assert_eq!(p("thurs"), day(2026, 11, 26));
    }

    #[test]
    fn last_weekday_is_strictly_before_today() {
        assert_eq!(p("last friday"), day(2026, 11, 20));
        assert_eq!(p("last tuesday"), day(2026, 11, 17));
        assert_eq!(p("last monday"), day(2026, 11, 23));
        assert_eq!(p("last wed"), day(2026, 11, 18));
    }

    #[test]
    fn friday_said_on_a_friday_is_next_week() {
        let friday = zone().with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
        assert_eq!(parse_at("friday", &friday), day(2026, 12, 4));
        assert_eq!(parse_at("next friday", &friday), day(2026, 12, 4));
        assert_eq!(parse_at("last friday", &friday), day(2026, 11, 20));
        assert_eq!(parse_at("saturday", &friday), day(2026, 11, 28));
    }

    #[test]
    fn named_spans() {
        assert_eq!(p("next week"), day(2026, 12, 1));
        assert_eq!(p("last week"), day(2026, 11, 17));
        assert_eq!(p("next month"), day(2026, 12, 24));
        assert_eq!(p("next year"), day(2027, 11, 24));
        assert_eq!(p("end of month"), day(2026, 11, 30));
        assert_eq!(p("end of the month"), day(2026, 11, 30));
        assert_eq!(p("eom"), day(2026, 11, 30));
        assert_eq!(p("end of week"), day(2026, 11, 29));
        assert_eq!(p("eow"), day(2026, 11, 29));
        assert_eq!(p("end of year"), day(2026, 12, 31));
        let sunday = zone().with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap();
        assert_eq!(parse_at("end of week", &sunday), day(2026, 11, 29));
        let december = zone().with_ymd_and_hms(2026, 12, 31, 9, 0, 0).unwrap();
        assert_eq!(parse_at("eom", &december), day(2026, 12, 31));
        let february = zone().with_ymd_and_hms(2028, 2, 3, 9, 0, 0).unwrap();
        assert_eq!(parse_at("eom", &february), day(2028, 2, 29));
    }

    #[test]
    fn month_arithmetic_clamps() {
        let jan31 = zone().with_ymd_and_hms(2027, 1, 31, 9, 0, 0).unwrap();
        assert_eq!(parse_at("in 1 month", &jan31), day(2027, 2, 28));
        assert_eq!(parse_at("next month", &jan31), day(2027, 2, 28));
        assert_eq!(parse_at("+1m", &jan31), day(2027, 2, 28));
        assert_eq!(parse_at("in 2 months", &jan31), day(2027, 3, 31));
        let leap = zone().with_ymd_and_hms(2028, 1, 31, 9, 0, 0).unwrap();
        assert_eq!(parse_at("in 1 month", &leap), day(2028, 2, 29));
        let feb29 = zone().with_ymd_and_hms(2028, 2, 29, 9, 0, 0).unwrap();
        assert_eq!(parse_at("in 1 year", &feb29), day(2029, 2, 28));
        assert_eq!(parse_at("1 year ago", &feb29), day(2027, 2, 28));
        assert_eq!(parse_at("in 4 years", &feb29), day(2032, 2, 29));
        let mar31 = zone().with_ymd_and_hms(2027, 3, 31, 9, 0, 0).unwrap();
        assert_eq!(parse_at("a month ago", &mar31), day(2027, 2, 28));
    }

    #[test]
    fn month_day_forms() {
        for input in [
            "dec 1",
            "december 1",
            "1 dec",
            "1 december",
            "Dec 1st",
            "1st december",
            "on dec 1",
        ] {
            assert_eq!(p(input), day(2026, 12, 1), "{input}");
        }
        assert_eq!(p("dec 1 2027"), day(2027, 12, 1));
        assert_eq!(p("1 december 2027"), day(2027, 12, 1));
        assert_eq!(p("dec 1, 2027"), day(2027, 12, 1));
        assert_eq!(p("sept 3 2025"), day(2025, 9, 3));
    }

    #[test]
    fn month_day_without_year_is_next_occurrence() {
        assert_eq!(p("nov 24"), day(2026, 11, 24)); // today counts
        assert_eq!(p("nov 23"), day(2027, 11, 23));
        assert_eq!(p("jan 5"), day(2027, 1, 5));
        assert_eq!(p("feb 29"), day(2028, 2, 29));
        assert_eq!(p("feb 29 2028"), day(2028, 2, 29));
        unparseable("feb 29 2027");
        unparseable("feb 30");
        unparseable("dec 32");
        unparseable("dec 0");
    }

    #[test]
    fn times_alone_are_today() {
        assert_eq!(p("3pm"), at(2026, 11, 24, 15, 0));
        assert_eq!(p("3:30pm"), at(2026, 11, 24, 15, 30));
        assert_eq!(p("3 pm"), at(2026, 11, 24, 15, 0));
        assert_eq!(p("3:30 PM"), at(2026, 11, 24, 15, 30));
        assert_eq!(p("9am"), at(2026, 11, 24, 9, 0)); // already past: still today
        assert_eq!(p("15:30"), at(2026, 11, 24, 15, 30));
        assert_eq!(p("7:05"), at(2026, 11, 24, 7, 5));
        assert_eq!(p("15:30:05"), When::At(local(2026, 11, 24, 15, 30, 5)));
        assert_eq!(p("noon"), at(2026, 11, 24, 12, 0));
        assert_eq!(p("midnight"), at(2026, 11, 24, 0, 0));
        assert_eq!(p("12am"), at(2026, 11, 24, 0, 0));
        assert_eq!(p("12pm"), at(2026, 11, 24, 12, 0));
        assert_eq!(p("12:30am"), at(2026, 11, 24, 0, 30));
        assert_eq!(p("at 3pm"), at(2026, 11, 24, 15, 0));
        assert_eq!(p("0:00"), at(2026, 11, 24, 0, 0));
        assert_eq!(p("23:59"), at(2026, 11, 24, 23, 59));
    }

    #[test]
    fn date_then_time() {
        assert_eq!(p("tomorrow 3pm"), at(2026, 11, 25, 15, 0));
        assert_eq!(p("friday 10:00"), at(2026, 11, 27, 10, 0));
        assert_eq!(p("2026-12-01 9am"), at(2026, 12, 1, 9, 0));
        assert_eq!(p("in 2 days at 3pm"), at(2026, 11, 26, 15, 0));
        assert_eq!(p("tomorrow at noon"), at(2026, 11, 25, 12, 0));
        assert_eq!(p("next friday at 3:30 pm"), at(2026, 11, 27, 15, 30));
        assert_eq!(p("dec 1 2027 at 8am"), at(2027, 12, 1, 8, 0));
        assert_eq!(p("dec 1 14:00"), at(2026, 12, 1, 14, 0));
        assert_eq!(p("tomorrow midnight"), at(2026, 11, 25, 0, 0));
        assert_eq!(p("eom 5pm"), at(2026, 11, 30, 17, 0));
        assert_eq!(p("  Tomorrow   AT   3PM "), at(2026, 11, 25, 15, 0));
    }

    #[test]
    fn time_then_date() {
        assert_eq!(p("3pm tomorrow"), at(2026, 11, 25, 15, 0));
        assert_eq!(p("noon on friday"), at(2026, 11, 27, 12, 0));
        assert_eq!(p("at 10:00 on dec 1"), at(2026, 12, 1, 10, 0));
        unparseable("3pm in 2 hours");
        unparseable("3pm 4pm");
    }

    #[test]
    fn with_utc_now() {
        // Monday 2026-03-02 23:30 UTC.
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 23, 30, 0).unwrap();
        assert_eq!(parse_at("today", &now), day(2026, 3, 2));
        assert_eq!(parse_at("friday", &now), day(2026, 3, 6));
        assert_eq!(
            parse_at("tomorrow 9am", &now),
            When::At(Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap())
        );
        assert_eq!(
            parse_at("in 1 hour", &now),
            When::At(Utc.with_ymd_and_hms(2026, 3, 3, 0, 30, 0).unwrap())
        );
        assert_eq!(parse_at("now", &now), When::At(now));
    }

    /// A zone with daylight saving, for 2026 only: +01:00, +02:00 from 2026-03-29 01:00 UTC
    /// (02:00 → 03:00 local) to 2026-10-25 01:00 UTC (03:00 → 02:00 local).
    #[derive(Debug, Clone, Copy)]
    struct Dst;

    impl Dst {
        fn summer_utc(utc: &NaiveDateTime) -> bool {
            let start = date(2026, 3, 29).and_hms_opt(1, 0, 0).unwrap();
            let end = date(2026, 10, 25).and_hms_opt(1, 0, 0).unwrap();
            (start..end).contains(utc)
        }
    }

    impl TimeZone for Dst {
        type Offset = FixedOffset;
        fn from_offset(_: &FixedOffset) -> Dst {
            Dst
        }
        fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<FixedOffset> {
            self.offset_from_local_datetime(&local.and_time(NaiveTime::MIN))
        }
        fn offset_from_local_datetime(
            &self,
            local: &NaiveDateTime,
        ) -> MappedLocalTime<FixedOffset> {
            let winter = FixedOffset::east_opt(3600).unwrap();
            let summer = FixedOffset::east_opt(7200).unwrap();
            let fits = |off: FixedOffset| {
                let utc = *local - TimeDelta::seconds(i64::from(off.local_minus_utc()));
                Dst::summer_utc(&utc) == (off == summer)
            };
            match (fits(winter), fits(summer)) {
                (true, true) => MappedLocalTime::Ambiguous(summer, winter),
                (true, false) => MappedLocalTime::Single(winter),
                (false, true) => MappedLocalTime::Single(summer),
                (false, false) => MappedLocalTime::None,
            }
        }
        fn offset_from_utc_date(&self, utc: &NaiveDate) -> FixedOffset {
            self.offset_from_utc_datetime(&utc.and_time(NaiveTime::MIN))
        }
        fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> FixedOffset {
            FixedOffset::east_opt(if Dst::summer_utc(utc) { 7200 } else { 3600 }).unwrap()
        }
    }

    #[test]
    fn dst_gap_takes_the_end_of_the_gap() {
        let now = Dst.with_ymd_and_hms(2026, 3, 28, 12, 0, 0).unwrap();
        let utc = |d, h, mi| When::At(Utc.with_ymd_and_hms(2026, 3, d, h, mi, 0).unwrap());
        // 02:30 does not exist on the 29th: 03:00 (+02:00) is the first instant after the gap.
        assert_eq!(parse_at("tomorrow 2:30am", &now), utc(29, 1, 0));
        assert_eq!(parse_at("2026-03-29 02:00", &now), utc(29, 1, 0));
        assert_eq!(parse_at("2026-03-29 02:59:59", &now), utc(29, 1, 0));
        assert_eq!(parse_at("tomorrow 3am", &now), utc(29, 1, 0));
        assert_eq!(parse_at("tomorrow 1:59am", &now), utc(29, 0, 59));
        assert_eq!(parse_at("tomorrow 4am", &now), utc(29, 2, 0));
    }

    #[test]
    fn dst_overlap_takes_the_earlier() {
        let now = Dst.with_ymd_and_hms(2026, 10, 24, 12, 0, 0).unwrap();
        let utc = |d, h, mi| When::At(Utc.with_ymd_and_hms(2026, 10, d, h, mi, 0).unwrap());
        // 02:30 happens twice on the 25th: at +02:00 (00:30 UTC), then at +01:00 (01:30 UTC).
        assert_eq!(parse_at("tomorrow 2:30am", &now), utc(25, 0, 30));
        assert_eq!(parse_at("tomorrow 3:30am", &now), utc(25, 2, 30));
        assert_eq!(parse_at("tomorrow 1:30am", &now), utc(24, 23, 30));
    }

    #[test]
    fn errors_keep_the_input_as_given() {
        for input in [
            "",
            "   ",
            "2026-02-30",
            "2026-13-01",
            "2026-12-01T25:00",
            "2026-12-01T15:30Z",
            "13pm",
            "0pm",
            "24:00",
            "15:60",
            "15:3",
            "3:30:5pm",
            "in 0 xyz",
            "in days",
            "in",
            "at",
            "on",
            "ago",
            "3 days",
            "15",
            "2027",
            "next",
            "last",
            "end of",
            "end of day",
            "friday friday",
            "tomorrow yesterday",
            "in 2 hours at 3pm",
            "now 3pm",
            "today at",
            "in -3 days",
            "in +3 days",
            "+",
            "-",
            "3 days from now",
            "someday",
            "☃",
            "tömorrow",
            " Next Blursday ",
            "in 99999999999 days",
            "in 4000000000 days",
            "in 4000000000 weeks",
            "in 4000000000 months",
            "in 4000000000 years",
            "in 4000000000 hours",
            "99999999999 minutes ago",
            "+400000000y",
        ] {
            unparseable(input);
        }
    }

    #[test]
    fn error_messages() {
        let e = parse_when("blah", &now()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot understand the date \"blah\"; try 2026-12-01, tomorrow, in 3 days, next friday, 3pm"
        );
        let e = Period::parse("3x").unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot understand the period \"3x\"; try 30d, 2w, 3m or 1y"
        );
    }

    #[test]
    fn period_parse_forms() {
        let period = |count, unit| Period { count, unit };
        use PeriodUnit::*;
        let cases = [
            ("30d", period(30, Day)),
            ("2w", period(2, Week)),
            ("3m", period(3, Month)),
            ("1y", period(1, Year)),
            ("2 weeks", period(2, Week)),
            ("3 months", period(3, Month)),
            ("1 year", period(1, Year)),
            ("10 days", period(10, Day)),
            ("1 day", period(1, Day)),
            ("daily", period(1, Day)),
            ("weekly", period(1, Week)),
            ("fortnightly", period(2, Week)),
            ("monthly", period(1, Month)),
            ("quarterly", period(3, Month)),
            ("yearly", period(1, Year)),
            ("annually", period(1, Year)),
            ("  2W  ", period(2, Week)),
            ("Monthly", period(1, Month)),
            ("every 2 weeks", period(2, Week)),
            ("every week", period(1, Week)),
            ("6mo", period(6, Month)),
            ("1000d", period(1000, Day)),
        ];
        for (input, expected) in cases {
            assert_eq!(Period::parse(input), Ok(expected), "{input}");
            assert_eq!(input.parse::<Period>(), Ok(expected), "{input}");
        }
    }

    #[test]
    fn period_parse_errors() {
        for input in [
            "",
            " ",
            "0d",
            "1001d",
            "3x",
            "d",
            "2",
            "2 hours",
            "30min",
            "-1d",
            "+1d",
            "1.5w",
            "2 w x",
            "every",
            "3 weekly",
            "99999999999d",
        ] {
            assert_eq!(
                Period::parse(input),
                Err(DateError::BadPeriod {
                    input: input.to_string()
                }),
                "{input:?}"
            );
        }
    }

    #[test]
    fn period_display_and_serde() {
        let p = Period::parse("2 weeks").unwrap();
        assert_eq!(p.to_string(), "2w");
        assert_eq!(Period::parse("quarterly").unwrap().to_string(), "3m");
        assert_eq!(Period::parse("annually").unwrap().to_string(), "1y");
        assert_eq!(Period::parse("30 days").unwrap().to_string(), "30d");
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"2w\"");
        assert_eq!(serde_json::from_str::<Period>("\"2w\"").unwrap(), p);
        assert_eq!(
            serde_json::from_str::<Period>("\"monthly\"")
                .unwrap()
                .to_string(),
            "1m"
        );
        assert!(serde_json::from_str::<Period>("\"0d\"").is_err());
        assert!(serde_json::from_str::<Period>("14").is_err());
        assert_eq!(String::from(p), "2w");
    }

    #[test]
    fn describe_periods() {
        let d = |s| describe_period(&Period::parse(s).unwrap());
        assert_eq!(d("2w"), "2 weeks");
        assert_eq!(d("1m"), "1 month");
        assert_eq!(d("30d"), "30 days");
        assert_eq!(d("1d"), "1 day");
        assert_eq!(d("1y"), "1 year");
        assert_eq!(d("3y"), "3 years");
    }

    #[test]
    fn period_arithmetic() {
        let p = |s| Period::parse(s).unwrap();
        assert_eq!(p("30d").add_to(date(2026, 11, 24)), date(2026, 12, 24));
        assert_eq!(p("2w").add_to(date(2026, 12, 25)), date(2027, 1, 8));
        assert_eq!(p("1m").add_to(date(2027, 1, 31)), date(2027, 2, 28));
        assert_eq!(p("1m").add_to(date(2028, 1, 31)), date(2028, 2, 29));
        assert_eq!(p("1y").add_to(date(2028, 2, 29)), date(2029, 2, 28));
        assert_eq!(p("3m").add_to(date(2026, 11, 30)), date(2027, 2, 28));
        // Counted from the original date: the clamp does not stick.
        let m = p("1m");
        assert_eq!(m.add_n_to(date(2027, 1, 31), 1), date(2027, 2, 28));
        assert_eq!(m.add_n_to(date(2027, 1, 31), 2), date(2027, 3, 31));
        assert_eq!(m.add_n_to(date(2027, 1, 31), 0), date(2027, 1, 31));
        assert_eq!(p("1y").add_n_to(date(2028, 2, 29), 4), date(2032, 2, 29));
        assert_eq!(p("2w").add_n_to(date(2026, 1, 1), 3), date(2026, 2, 12));
        // Off the end of the calendar: saturates, never panics.
        let huge = Period {
            count: u32::MAX,
            unit: PeriodUnit::Year,
        };
        assert_eq!(huge.add_n_to(date(2026, 1, 1), u32::MAX), NaiveDate::MAX);
        assert_eq!(p("1000y").add_to(NaiveDate::MAX), NaiveDate::MAX);
    }

    #[test]
    fn period_approx_days() {
        let days = |s| Period::parse(s).unwrap().approx_days();
        assert_eq!(days("30d"), 30);
        assert_eq!(days("2w"), 14);
        assert_eq!(days("3m"), 90);
        assert_eq!(days("2y"), 730);
    }

    #[test]
    fn relative_date_cutoffs() {
        let today = date(2026, 11, 24);
        let r = |days: i64| relative_date(today + TimeDelta::days(days), today);
        assert_eq!(r(0), "today");
        assert_eq!(r(1), "tomorrow");
        assert_eq!(r(-1), "yesterday");
        assert_eq!(r(2), "in 2 days");
        assert_eq!(r(-5), "5 days ago");
        assert_eq!(r(13), "in 13 days");
        assert_eq!(r(-13), "13 days ago");
        assert_eq!(r(14), "in 2 weeks");
        assert_eq!(r(20), "in 2 weeks");
        assert_eq!(r(21), "in 3 weeks");
        assert_eq!(r(-21), "3 weeks ago");
        assert_eq!(r(35), "in 5 weeks");
        // Nov 24 + 2 months = Jan 24 (61 days): weeks until then.
        assert_eq!(r(60), "in 8 weeks");
        assert_eq!(r(61), "in 2 months");
        assert_eq!(relative_date(date(2027, 3, 24), today), "in 4 months");
        assert_eq!(relative_date(date(2027, 3, 23), today), "in 3 months");
        assert_eq!(relative_date(date(2028, 10, 24), today), "in 23 months");
        assert_eq!(relative_date(date(2028, 11, 23), today), "in 23 months");
        assert_eq!(relative_date(date(2028, 11, 24), today), "in 2 years");
        assert_eq!(relative_date(date(2024, 11, 24), today), "2 years ago");
        assert_eq!(relative_date(date(2024, 11, 25), today), "23 months ago");
        assert_eq!(relative_date(date(2016, 1, 1), today), "10 years ago");
        assert_eq!(relative_date(date(2026, 7, 24), today), "4 months ago");
    }

    #[test]
    fn relative_date_month_ends() {
        // Jan 31 → Mar 31 is two whole months; Jan 31 → Mar 30 is not.
        let jan31 = date(2027, 1, 31);
        assert_eq!(relative_date(date(2027, 3, 31), jan31), "in 2 months");
        assert_eq!(relative_date(date(2027, 3, 30), jan31), "in 8 weeks");
        assert_eq!(relative_date(jan31, date(2027, 3, 31)), "2 months ago");
    }

    #[test]
    fn relative_date_extremes_do_not_panic() {
        assert!(relative_date(NaiveDate::MAX, NaiveDate::MIN).starts_with("in "));
        assert!(relative_date(NaiveDate::MIN, NaiveDate::MAX).ends_with(" years ago"));
    }

    #[test]
    fn relative_times() {
        let n = now();
        let t = |delta: TimeDelta| relative_time(n.with_timezone(&Utc) + delta, &n);
        assert_eq!(t(TimeDelta::zero()), "just now");
        assert_eq!(t(TimeDelta::seconds(-59)), "just now");
        assert_eq!(t(TimeDelta::seconds(59)), "just now");
        assert_eq!(t(TimeDelta::seconds(-60)), "1 minute ago");
        assert_eq!(t(TimeDelta::minutes(-5)), "5 minutes ago");
        assert_eq!(t(TimeDelta::minutes(5)), "in 5 minutes");
        assert_eq!(t(TimeDelta::minutes(-59)), "59 minutes ago");
        assert_eq!(t(TimeDelta::minutes(60)), "in 1 hour");
        assert_eq!(t(TimeDelta::hours(3)), "in 3 hours");
        assert_eq!(t(TimeDelta::minutes(-(23 * 60 + 59))), "23 hours ago");
        assert_eq!(t(TimeDelta::hours(-24)), "yesterday");
        assert_eq!(t(TimeDelta::hours(25)), "tomorrow");
        assert_eq!(t(TimeDelta::hours(38)), "in 2 days");
        assert_eq!(t(TimeDelta::days(-5)), "5 days ago");
        assert_eq!(t(TimeDelta::days(21)), "in 3 weeks");
    }

    #[test]
    fn relative_time_uses_nows_zone_for_dates() {
        // 23:30 UTC on the 25th is already the 26th at +01:00, but still the 25th in UTC.
        let n = now();
        let later = Utc.with_ymd_and_hms(2026, 11, 25, 23, 30, 0).unwrap();
        assert_eq!(relative_time(later, &n), "in 2 days");
        let n_utc = n.with_timezone(&Utc);
        assert_eq!(relative_time(later, &n_utc), "tomorrow");
    }

    #[test]
    fn days_between_counts_whole_days() {
        assert_eq!(days_between(date(2026, 11, 1), date(2026, 11, 24)), 23);
        assert_eq!(days_between(date(2026, 11, 24), date(2026, 11, 1)), -23);
        assert_eq!(days_between(date(2026, 11, 24), date(2026, 11, 24)), 0);
        assert_eq!(days_between(date(2028, 2, 28), date(2028, 3, 1)), 2);
        assert_eq!(days_between(date(2027, 2, 28), date(2027, 3, 1)), 1);
    }

    fn any_unit() -> impl Strategy<Value = PeriodUnit> {
        prop_oneof![
            Just(PeriodUnit::Day),
            Just(PeriodUnit::Week),
            Just(PeriodUnit::Month),
            Just(PeriodUnit::Year),
        ]
    }

    /// Words of the grammar, so that random input often gets past the first token.
    const WORDS: &[&str] = &[
        "in", "ago", "at", "next", "last", "this", "on", "now", "today", "friday", "dec", "feb",
        "29", "31", "pm", "am", "noon", "midnight", "end", "of", "the", "month", "week", "year",
        "days", "hours", "a", "an", "+", "-", "eom", "eow",
    ];

    proptest! {
        #[test]
        fn parse_when_never_panics(input in any::<String>()) {
            let _ = parse_when(&input, &now());
            let _ = parse_when(&input, &Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap());
            let _ = parse_when(&input, &Dst.with_ymd_and_hms(2026, 3, 28, 12, 0, 0).unwrap());
        }

        #[test]
        fn parse_when_never_panics_on_wordy_input(
            words in proptest::collection::vec(
                prop_oneof![
                    proptest::sample::select(WORDS).prop_map(str::to_string),
                    "[0-9]{1,12}[a-z]{0,2}",
                    "[+-]?[0-9]{1,11}[dwmyh]",
                    "[0-9]{1,2}:[0-9]{2}(am|pm)?",
                    "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
                ],
                0..5,
            ),
        ) {
            let input = words.join(" ");
            let _ = parse_when(&input, &now());
        }

        #[test]
        fn period_display_parse_round_trip(count in 1u32..=1000, unit in any_unit()) {
            let period = Period { count, unit };
            prop_assert_eq!(Period::parse(&period.to_string()), Ok(period));
            prop_assert_eq!(Period::parse(&describe_period(&period)), Ok(period));
        }

        #[test]
        fn period_parse_never_panics(input in any::<String>()) {
            let _ = Period::parse(&input);
        }

        #[test]
        fn add_n_to_never_panics(
            count in any::<u32>(), unit in any_unit(), n in any::<u32>(), days in -100_000i64..100_000,
        ) {
            let start = date(2026, 1, 1) + TimeDelta::days(days);
            let _ = Period { count, unit }.add_n_to(start, n);
        }

        #[test]
        fn relative_date_never_panics(a in -3_000_000i64..3_000_000, b in -3_000_000i64..3_000_000) {
            let base = date(2000, 1, 1);
            let _ = relative_date(base + TimeDelta::days(a), base + TimeDelta::days(b));
        }
    }
}
