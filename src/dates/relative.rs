//! Dates said relative to now: "tomorrow", "in 3 weeks", "5 minutes ago", and whole days
//! between two dates.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};

use super::offset::shift;
use super::period::PeriodUnit;

/// "1 day", "3 days".
pub(super) fn counted(n: i64, noun: &str) -> String {
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
    use chrono::{FixedOffset, TimeDelta};
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Tuesday 2026-11-24 10:15 at +01:00.
    fn now() -> DateTime<FixedOffset> {
        FixedOffset::east_opt(3600)
            .unwrap()
            .with_ymd_and_hms(2026, 11, 24, 10, 15, 0)
            .unwrap()
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

    proptest! {
        #[test]
        fn relative_date_never_panics(a in -3_000_000i64..3_000_000, b in -3_000_000i64..3_000_000) {
            let base = date(2000, 1, 1);
            let _ = relative_date(base + TimeDelta::days(a), base + TimeDelta::days(b));
        }
    }
}
