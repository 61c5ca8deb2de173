//! How a recurring follow-up counts its next due date: from its due date (anchored, so that
//! month ends do not drift) or from the day it was done.

use chrono::{NaiveDate, TimeZone};

use super::{Due, Period, PeriodUnit, RecurFrom};

/// The next due date of a recurring follow-up completed on `today`.
///
/// From the due date: the first `anchor + k·period` (k ≥ 1) after both the current due date
/// and today, counted from the anchor so that clamping does not accumulate (Jan 31 monthly:
/// Feb 28, Mar 31, Apr 30). From completion: `today + period`. A timed follow-up keeps its
/// local wall time in `tz`, across daylight-saving changes.
pub fn next_due<Tz: TimeZone>(
    due: Due,
    anchor: Due,
    period: Period,
    from: RecurFrom,
    today: NaiveDate,
    tz: &Tz,
) -> Due {
    let due_day = due.local_day(tz);
    let next_day = match from {
        RecurFrom::Done => period.add_to(today),
        RecurFrom::Due => {
            let anchor_day = anchor.local_day(tz).min(due_day);
            let after = due_day.max(today);
            // No k below span / (longest possible period) can reach `after`: start there.
            let span = crate::dates::days_between(anchor_day, after).max(0);
            let longest = i64::from(period.count)
                * match period.unit {
                    PeriodUnit::Day => 1,
                    PeriodUnit::Week => 7,
                    PeriodUnit::Month => 31,
                    PeriodUnit::Year => 366,
                };
            let mut k = u32::try_from((span / longest.max(1)).max(1)).unwrap_or(u32::MAX);
            let mut next = period.add_n_to(anchor_day, k);
            while next <= after && next < NaiveDate::MAX && k < u32::MAX {
                k += 1;
                next = period.add_n_to(anchor_day, k);
            }
            next
        }
    };
    match due {
        Due::Day(_) => Due::Day(next_day),
        Due::At(t) => {
            let wall = t.with_timezone(tz).time();
            let next = crate::dates::local_to_utc(tz, next_day.and_time(wall))
                .unwrap_or(t + (next_day - due_day));
            Due::At(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, FixedOffset, Utc};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn next(
        due: NaiveDate,
        anchor: NaiveDate,
        period: &str,
        from: RecurFrom,
        today: NaiveDate,
    ) -> NaiveDate {
        match next_due(
            Due::Day(due),
            Due::Day(anchor),
            Period::parse(period).unwrap(),
            from,
            today,
            &Utc,
        ) {
            Due::Day(d) => d,
            Due::At(_) => unreachable!(),
        }
    }

    #[test]
    fn due_anchored_recurrence_clamps_from_the_anchor() {
        let a = day(2027, 1, 31);
        assert_eq!(next(a, a, "1m", RecurFrom::Due, a), day(2027, 2, 28));
        assert_eq!(
            next(day(2027, 2, 28), a, "1m", RecurFrom::Due, day(2027, 2, 28)),
            day(2027, 3, 31)
        );
        // Done early: the next date after the current one, not after today.
        assert_eq!(
            next(a, a, "1m", RecurFrom::Due, day(2027, 1, 10)),
            day(2027, 2, 28)
        );
        // Done late: what was missed is skipped.
        assert_eq!(
            next(a, a, "1m", RecurFrom::Due, day(2027, 5, 31)),
            day(2027, 6, 30)
        );
        let leap = day(2028, 2, 29);
        assert_eq!(
            next(leap, leap, "1y", RecurFrom::Due, leap),
            day(2029, 2, 28)
        );
        assert_eq!(
            next(
                day(2031, 2, 28),
                leap,
                "1y",
                RecurFrom::Due,
                day(2031, 2, 28)
            ),
            day(2032, 2, 29)
        );
        // A daily recurrence decades behind still lands on the next day, quickly.
        assert_eq!(
            next(
                day(1990, 1, 1),
                day(1990, 1, 1),
                "1d",
                RecurFrom::Due,
                day(2026, 11, 24)
            ),
            day(2026, 11, 25)
        );
    }

    #[test]
    fn completion_anchored_recurrence_counts_from_today() {
        let due = day(2026, 11, 1);
        assert_eq!(
            next(due, due, "2w", RecurFrom::Done, day(2026, 11, 24)),
            day(2026, 12, 8)
        );
        assert_eq!(
            next(due, due, "1m", RecurFrom::Done, day(2027, 1, 31)),
            day(2027, 2, 28)
        );
    }

    #[test]
    fn a_timed_recurrence_keeps_its_wall_time_in_its_zone() {
        let zone = FixedOffset::east_opt(2 * 3600).unwrap();
        let t = "2026-11-24T07:30:00Z".parse::<DateTime<Utc>>().unwrap();
        let next = next_due(
            Due::At(t),
            Due::At(t),
            Period::parse("1w").unwrap(),
            RecurFrom::Due,
            day(2026, 11, 24),
            &zone,
        );
        assert_eq!(next, Due::At("2026-12-01T07:30:00Z".parse().unwrap()));
    }
}
