//! Offsets from today or from now: "in 3 days", "+2w", "2 hours ago", and the calendar
//! arithmetic behind them (months and years clamp to the month's end).

use chrono::{DateTime, Days, Months, NaiveDate, TimeDelta, Utc};

use super::parse::{Parsed, number};
use super::period::PeriodUnit;

/// Units of a relative offset. Calendar units move the date; clock units move the instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Minute,
    Hour,
    Calendar(PeriodUnit),
}

pub(super) fn unit_word(word: &str) -> Option<Unit> {
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
pub(super) fn split_number(token: &str) -> (&str, &str) {
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
pub(super) fn relative_offset(
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
pub(super) fn shift(
    date: NaiveDate,
    unit: PeriodUnit,
    amount: u64,
    forward: bool,
) -> Option<NaiveDate> {
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
