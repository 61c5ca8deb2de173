//! How a date or an instant reads to a person: the weekday, the date, and the local time of
//! day when there is one ("Fri 2026-12-04 10:30"). Human output uses this, never raw RFC 3339
//! (JSON and CSV keep their ISO fields).

use chrono::{DateTime, TimeZone};

use super::When;

/// "Fri 2026-12-04" for a date, "Fri 2026-12-04 10:30" for an instant (in `tz`).
pub fn human_when<Tz: TimeZone>(when: When, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    match when {
        When::Date(d) => d.format("%a %Y-%m-%d").to_string(),
        When::At(t) => human_instant(&t.with_timezone(tz)),
    }
}

/// "Fri 2026-12-04 10:30", in the instant's own zone.
pub fn human_instant<Tz: TimeZone>(t: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    t.format("%a %Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use chrono::{FixedOffset, NaiveDate, Utc};

    use super::*;

    #[test]
    fn dates_and_instants() {
        let day = When::Date(NaiveDate::from_ymd_opt(2026, 12, 4).unwrap());
        assert_eq!(human_when(day, &Utc), "Fri 2026-12-04");
        let at = When::At(Utc.with_ymd_and_hms(2026, 12, 4, 10, 30, 0).unwrap());
        assert_eq!(human_when(at, &Utc), "Fri 2026-12-04 10:30");
        // The instant is said in the reader's zone: 23:30 UTC is Saturday 00:30 at +01:00.
        let late = When::At(Utc.with_ymd_and_hms(2026, 12, 4, 23, 30, 0).unwrap());
        let plus_one = FixedOffset::east_opt(3600).unwrap();
        assert_eq!(human_when(late, &plus_one), "Sat 2026-12-05 00:30");
    }
}
