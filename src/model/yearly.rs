//! Yearly dates: birthdays and labeled dates such as anniversaries and renewals, with or
//! without a year, and how an impossible day is explained.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::validation::normalize_label;
use crate::error::Error;

/// A birthday or other yearly date; the year is optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Birthday {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

/// Why year-month-day is not a date ("February 2026 has 28 days"), or `None` when it is one.
/// Without a year, February is taken to have 29 days.
pub fn no_such_day(year: Option<i32>, month: u32, day: u32) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    if !(1..=12).contains(&month) {
        return Some(format!("there is no month {month}"));
    }
    let y = year.unwrap_or(2000);
    if NaiveDate::from_ymd_opt(y, month, day).is_some() {
        return None;
    }
    let days = (28..=31)
        .rev()
        .find(|&d| NaiveDate::from_ymd_opt(y, month, d).is_some())
        .unwrap_or(28);
    let name = MONTHS[month as usize - 1];
    Some(match year {
        Some(y) => format!("there is no day {day}: {name} {y} has {days} days"),
        // Without a year, February's 29 days are only in a leap year.
        None if month == 2 => format!("there is no day {day}: {name} has at most 29 days"),
        None => format!("there is no day {day}: {name} has {days} days"),
    })
}

/// For an input that looks like `YYYY-MM-DD…` but names a day that does not exist.
pub fn impossible_iso_date(input: &str) -> Option<String> {
    let s = input.trim();
    let bytes = s.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i32 = s.get(..4)?.parse().ok()?;
    let month: u32 = s.get(5..7)?.parse().ok()?;
    let day: u32 = s.get(8..10)?.parse().ok()?;
    no_such_day(Some(year), month, day)
}

impl Birthday {
    /// A birthday with a year cannot be after today.
    pub fn check_not_future(self, today: NaiveDate) -> Result<Birthday, Error> {
        if let Some(year) = self.year
            && NaiveDate::from_ymd_opt(year, self.month, self.day).is_some_and(|d| d > today)
        {
            return Err(Error::invalid(
                "birthday",
                &self.to_string(),
                "is in the future",
            ));
        }
        Ok(self)
    }

    /// Accepts `1990-03-14`, `--03-14` (vCard's yearless form), `03-14`, `19900314`.
    pub fn parse(input: &str) -> Result<Birthday, Error> {
        let s = input.trim();
        let bad = || {
            Error::invalid(
                "birthday",
                input,
                "expected YYYY-MM-DD, or --MM-DD when the year is unknown",
            )
        };
        let (year, rest) = if let Some(rest) = s.strip_prefix("--") {
            (None, rest.to_string())
        } else if s.len() == 8 && s.chars().all(|c| c.is_ascii_digit()) {
            (Some(s[..4].parse().map_err(|_| bad())?), s[4..].to_string())
        } else if s.len() == 10 && s.as_bytes().get(4) == Some(&b'-') {
            (Some(s[..4].parse().map_err(|_| bad())?), s[5..].to_string())
        } else {
            (None, s.to_string())
        };
        let rest = rest.replace('-', "");
        if rest.len() != 4 || !rest.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let month: u32 = rest[..2].parse().map_err(|_| bad())?;
        let day: u32 = rest[2..].parse().map_err(|_| bad())?;
        // Validate against a leap year when the year is unknown, so Feb 29 is allowed.
        if NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day).is_none() {
            let why = no_such_day(year, month, day).unwrap_or_else(|| {
                "expected YYYY-MM-DD, or --MM-DD when the year is unknown".into()
            });
            return Err(Error::invalid("birthday", input, why));
        }
        if let Some(y) = year
            && !(1800..=2200).contains(&y)
        {
            return Err(bad());
        }
        Ok(Birthday { year, month, day })
    }

    /// The next occurrence on or after `today` (Feb 29 falls on Feb 28 in common years).
    pub fn next_on_or_after(&self, today: NaiveDate) -> NaiveDate {
        use chrono::Datelike;
        let on = |y: i32| {
            NaiveDate::from_ymd_opt(y, self.month, self.day)
                .or_else(|| NaiveDate::from_ymd_opt(y, self.month, 28))
        };
        match on(today.year()) {
            Some(d) if d >= today => d,
            _ => on(today.year() + 1).unwrap_or(today),
        }
    }
}

impl Birthday {
    /// For people: `1815-12-10`, or `December 10` when the year is unknown.
    pub fn describe(&self) -> String {
        match self.year {
            Some(_) => self.to_string(),
            None => NaiveDate::from_ymd_opt(2000, self.month, self.day)
                .map(|d| d.format("%B %-d").to_string())
                .unwrap_or_else(|| self.to_string()),
        }
    }
}

impl fmt::Display for Birthday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

impl Serialize for Birthday {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Birthday {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Birthday::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A labeled yearly date; the year is optional, as for birthdays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearlyDate {
    pub label: String,
    pub date: Birthday,
}

impl YearlyDate {
    /// Parse `LABEL:DATE`, e.g. `renewal:2025-03-01` or `anniversary:--06-12`.
    pub fn parse(input: &str) -> Result<YearlyDate, Error> {
        let bad = |why: &str| Error::invalid("--date", input, why);
        let Some((label, date)) = input.split_once(':') else {
            return Err(bad(
                "expected LABEL:DATE, e.g. renewal:2025-03-01 or anniversary:--06-12",
            ));
        };
        let label = normalize_label(label).map_err(|_| bad("the label must be one word"))?;
        let date = Birthday::parse(date)
            .map_err(|_| bad("expected the date as YYYY-MM-DD, or --MM-DD without a year"))?;
        Ok(YearlyDate { label, date })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdays_with_and_without_year() {
        let b = Birthday::parse("1990-03-14").unwrap();
        assert_eq!((b.year, b.month, b.day), (Some(1990), 3, 14));
        assert_eq!(b.to_string(), "1990-03-14");
        let b = Birthday::parse("--02-29").unwrap();
        assert_eq!(b.year, None);
        assert_eq!(b.to_string(), "--02-29");
        assert!(Birthday::parse("1990-02-30").is_err());
        assert!(Birthday::parse("soon").is_err());
        let today = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        assert_eq!(
            b.next_on_or_after(today),
            NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()
        );
    }
}
