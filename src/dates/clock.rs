//! Times of day ("3pm", "15:30", "noon") and placing a wall time in a time zone across
//! daylight-saving gaps and overlaps.

use chrono::{
    DateTime, MappedLocalTime, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Timelike, Utc,
};

use super::parse::number;

/// A time of day at the start of `tokens`: "3pm", "3:30pm", "3 pm", "15:30", "15:30:05",
/// "noon", "midnight". A bare number is never a time (it would clash with days and years).
pub(super) fn parse_time(tokens: &[&str]) -> Option<(NaiveTime, usize)> {
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
