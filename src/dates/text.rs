//! Days and times as kith writes them (`2026-11-24`, `2026-11-24T10:00:00Z`) without going
//! through chrono's formatting machinery, which was a tenth of `kith today --json` (tens of
//! thousands of dates). Each gives exactly chrono's text and leaves to chrono what it does
//! not write itself (a year before 0 or after 9999, a fraction of a second).

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use serde::{Serialize, Serializer};

/// `YYYY-MM-DD`, as chrono's `%Y-%m-%d` and its `Debug` write it, for years 0 to 9999.
pub fn day_text(d: NaiveDate) -> Option<[u8; 10]> {
    let year = u32::try_from(d.year()).ok().filter(|&y| y <= 9999)?;
    let mut b = *b"0000-00-00";
    digits(&mut b[0..4], year);
    digits(&mut b[5..7], d.month());
    digits(&mut b[8..10], d.day());
    Some(b)
}

/// `YYYY-MM-DDTHH:MM:SSZ`, the whole seconds of `t` (as chrono's RFC 3339 with seconds), for
/// years 0 to 9999 and outside a leap second.
pub fn utc_text(t: DateTime<Utc>) -> Option<[u8; 20]> {
    if t.nanosecond() >= 1_000_000_000 {
        return None;
    }
    let day = day_text(t.date_naive())?;
    let mut b = *b"0000-00-00T00:00:00Z";
    b[..10].copy_from_slice(&day);
    digits(&mut b[11..13], t.hour());
    digits(&mut b[14..16], t.minute());
    digits(&mut b[17..19], t.second());
    Some(b)
}

/// `n` in the decimal digits of `out`, zero-padded (`n` fits them).
fn digits(out: &mut [u8], mut n: u32) {
    for d in out.iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

fn ascii(b: &[u8]) -> &str {
    // Digits and separators only.
    std::str::from_utf8(b).unwrap_or_default()
}

/// `serialize_with` for a day: what chrono's `Serialize` writes.
pub fn serialize_day<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    match day_text(*d) {
        Some(b) => s.serialize_str(ascii(&b)),
        None => d.serialize(s),
    }
}

/// `serialize_with` for a time: what chrono's `Serialize` writes (RFC 3339, `Z`, a
/// fraction only when there is one).
pub fn serialize_time<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    match utc_text(*t).filter(|_| t.nanosecond() == 0) {
        Some(b) => s.serialize_str(ascii(&b)),
        None => t.serialize(s),
    }
}

/// [`serialize_time`] for a time that may be missing (`null`).
pub fn serialize_opt_time<S: Serializer>(
    t: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    struct Time(DateTime<Utc>);
    impl Serialize for Time {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_time(&self.0, s)
        }
    }
    match t {
        Some(t) => s.serialize_some(&Time(*t)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn days_and_times_read_as_chrono_writes_them() {
        let days = [
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            NaiveDate::from_ymd_opt(5, 1, 9).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(-3, 2, 28).unwrap(),
        ];
        for d in days {
            let chrono = serde_json::to_string(&d).unwrap();
            let mut out = Vec::new();
            serialize_day(&d, &mut serde_json::Serializer::new(&mut out)).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), chrono, "{d:?}");
            if let Some(b) = day_text(d) {
                assert_eq!(ascii(&b), d.format("%Y-%m-%d").to_string());
            }
        }
        let times = [
            Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(1999, 1, 2, 3, 4, 5).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 24, 23, 59, 59).unwrap()
                + chrono::Duration::milliseconds(250),
            Utc.with_ymd_and_hms(12_345, 6, 7, 8, 9, 10).unwrap(),
        ];
        for t in times {
            let mut out = Vec::new();
            serialize_time(&t, &mut serde_json::Serializer::new(&mut out)).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&t).unwrap()
            );
            let mut out = Vec::new();
            serialize_opt_time(&Some(t), &mut serde_json::Serializer::new(&mut out)).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&t).unwrap()
            );
            if let Some(b) = utc_text(t) {
                assert_eq!(
                    ascii(&b),
                    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                );
            }
        }
        let mut out = Vec::new();
        serialize_opt_time(&None, &mut serde_json::Serializer::new(&mut out)).unwrap();
        assert_eq!(out, b"null");
    }
}
