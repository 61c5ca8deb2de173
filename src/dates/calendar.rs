//! Names on the calendar: weekdays ("friday", "last friday"), months and days ("dec 1",
//! "1st december 2027") and named spans ("next week", "end of month"). An open weekday or
//! month-day leans to the past or the future as the caller asks.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::Lean;
use super::offset::shift;
use super::parse::number;
use super::period::PeriodUnit;

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

/// A weekday by name. "next friday" is strictly after today (so said on a Friday it means a
/// week later: a follow-up is never due the moment it is made) and "last friday" strictly
/// before. A bare "friday" (or "this friday") leans: to the future it is "next friday"; to the
/// past it is the most recent Friday on or before today (a call logged on a Friday as "friday"
/// happened today).
pub(super) fn weekday_rule(
    tokens: &[&str],
    today: NaiveDate,
    lean: Lean,
) -> Option<(NaiveDate, usize)> {
    // `today_counts`: whether today itself is a Friday in the past ("friday" said on a
    // Friday); ahead, and after "last", it never is.
    let (direction, today_counts, name, used) = match tokens {
        ["next", name, ..] => (Lean::Future, false, *name, 2),
        ["last", name, ..] => (Lean::Past, false, *name, 2),
        ["this", name, ..] => (lean, true, *name, 2),
        [name, ..] => (lean, true, *name, 1),
        [] => return None,
    };
    let target = i64::from(weekday_name(name)?.num_days_from_monday());
    let current = i64::from(today.weekday().num_days_from_monday());
    let date = match direction {
        Lean::Future => {
            let ahead = (target - current).rem_euclid(7);
            today.checked_add_days(Days::new(if ahead == 0 { 7 } else { ahead.unsigned_abs() }))?
        }
        Lean::Past => {
            let back = (current - target).rem_euclid(7);
            let back = if back == 0 && !today_counts { 7 } else { back };
            today.checked_sub_days(Days::new(back.unsigned_abs()))?
        }
    };
    Some((date, used))
}

/// "next week", "last month", "end of month", "eom", "end of the week", "eoy"...
pub(super) fn named_span(tokens: &[&str], today: NaiveDate) -> Option<(NaiveDate, usize)> {
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

/// The (year, month, day) that a text of a month's name and a day number says, whole ("feb
/// 30", "30 february 2026", "31st april"), whether or not that day exists: for the error
/// that says why it does not.
pub fn named_month_day(input: &str) -> Option<(Option<i32>, u32, u32)> {
    let lower = input.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let (a, b, year) = match tokens[..] {
        [a, b] => (a, b, None),
        [a, b, y] => (a, b, Some(year_number(y)?)),
        _ => return None,
    };
    let (month, day) = month_and_day(a, b)?;
    Some((year, month, day))
}

/// The month and day of "dec 1" or "1st december", either way round.
fn month_and_day(a: &str, b: &str) -> Option<(u32, u32)> {
    match (month_name(a), day_number(b)) {
        (Some(m), Some(d)) => Some((m, d)),
        _ => Some((month_name(b)?, day_number(a)?)),
    }
}

/// "dec 1", "1 december", "dec 1 2027", "1st dec 2027".
pub(super) fn month_day(
    tokens: &[&str],
    today: NaiveDate,
    lean: Lean,
) -> Option<(NaiveDate, usize)> {
    let [a, b, rest @ ..] = tokens else {
        return None;
    };
    let (month, day) = month_and_day(a, b)?;
    if let Some(year) = rest.first().and_then(|w| year_number(w)) {
        return NaiveDate::from_ymd_opt(year, month, day).map(|d| (d, 3));
    }
    // No year: the nearest such date on or after today (to the future) or on or before it (to
    // the past). Normally this year or the next (last); Feb 29 may need up to eight years
    // (leap years skip a century now and then).
    let step: i32 = if lean == Lean::Future { 1 } else { -1 };
    (0..=8)
        .filter_map(|k| today.year().checked_add(k * step))
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .find(|d| {
            if lean == Lean::Future {
                *d >= today
            } else {
                *d <= today
            }
        })
        .map(|d| (d, 2))
}
