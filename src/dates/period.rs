//! A repeating interval, [`Period`]: a contact's keep-in-touch cadence, a reminder's
//! recurrence; how it is typed ("2 weeks", "monthly"), stored ("2w") and said ("2 weeks").

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use super::DateError;
use super::offset::{Unit, shift, split_number, unit_word};
use super::parse::number;
use super::relative::counted;

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
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

    fn any_unit() -> impl Strategy<Value = PeriodUnit> {
        prop_oneof![
            Just(PeriodUnit::Day),
            Just(PeriodUnit::Week),
            Just(PeriodUnit::Month),
            Just(PeriodUnit::Year),
        ]
    }

    proptest! {
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
            let start = date(2026, 1, 1) + chrono::TimeDelta::days(days);
            let _ = Period { count, unit }.add_n_to(start, n);
        }
    }
}
