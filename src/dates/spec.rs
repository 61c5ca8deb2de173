//! "WHEN: TEXT", as in `--follow-up "monday 10:30: call back"`: where the date ends and the
//! text begins. The date may hold colons of its own (times), so the boundary is the colon
//! after the longest head that reads as a date.

use chrono::{DateTime, TimeZone};

use super::{Lean, parse_when};

/// Split `spec` at the colon that ends its date: the longest head before a colon that
/// [`parse_when`] reads (leaning as `lean` says), so "monday 10:30: call back" is ("monday
/// 10:30", "call back") and "friday: re: contract" is ("friday", "re: contract"). When no head
/// reads as a date the split is at the first colon, so the caller reports that head as the
/// date it could not read. Both parts are trimmed; `None` when there is no colon at all.
pub fn split_spec<'a, Tz: TimeZone>(
    spec: &'a str,
    now: &DateTime<Tz>,
    lean: Lean,
) -> Option<(&'a str, &'a str)> {
    let colons: Vec<usize> = spec.match_indices(':').map(|(i, _)| i).collect();
    let first = *colons.first()?;
    let at = colons
        .iter()
        .rev()
        .copied()
        .find(|&i| parse_when(&spec[..i], now, lean).is_ok())
        .unwrap_or(first);
    Some((spec[..at].trim(), spec[at + 1..].trim()))
}

#[cfg(test)]
mod tests {
    use chrono::{FixedOffset, Utc};

    use super::*;

    /// Thursday 2026-12-03 10:00 UTC.
    fn split(spec: &str) -> Option<(&str, &str)> {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap();
        split_spec(spec, &now, Lean::Future)
    }

    #[test]
    fn times_inside_the_date_are_part_of_it() {
        assert_eq!(
            split("monday 10:30: call back"),
            Some(("monday 10:30", "call back"))
        );
        assert_eq!(
            split("2026-12-10 15:30: send deck"),
            Some(("2026-12-10 15:30", "send deck"))
        );
        assert_eq!(
            split("tomorrow 9:05:30: x"),
            Some(("tomorrow 9:05:30", "x"))
        );
        assert_eq!(split("10:30: stand-up"), Some(("10:30", "stand-up")));
    }

    #[test]
    fn the_plain_forms_still_split_at_their_colon() {
        assert_eq!(
            split("in 2 weeks: send proposal"),
            Some(("in 2 weeks", "send proposal"))
        );
        assert_eq!(split("tomorrow: x"), Some(("tomorrow", "x")));
        assert_eq!(split("friday 3pm: x"), Some(("friday 3pm", "x")));
        assert_eq!(split("  friday :  x  "), Some(("friday", "x")));
    }

    #[test]
    fn colons_in_the_text_stay_in_the_text() {
        assert_eq!(
            split("friday: re: contract"),
            Some(("friday", "re: contract"))
        );
        assert_eq!(
            split("in 2 weeks: call at 10:30"),
            Some(("in 2 weeks", "call at 10:30"))
        );
        assert_eq!(
            split("monday 10:30: 11:00 works"),
            Some(("monday 10:30", "11:00 works"))
        );
    }

    #[test]
    fn an_unreadable_date_is_the_head_before_the_first_colon() {
        assert_eq!(
            split("someday: call: back"),
            Some(("someday", "call: back"))
        );
        assert_eq!(split("tomorrow:"), Some(("tomorrow", "")));
        assert_eq!(split("no colon at all"), None);
        assert_eq!(split(""), None);
    }

    #[test]
    fn the_zone_of_now_is_kept() {
        let now = FixedOffset::east_opt(3600)
            .unwrap()
            .with_ymd_and_hms(2026, 12, 3, 10, 0, 0)
            .unwrap();
        assert_eq!(
            split_spec("monday 10:30: call", &now, Lean::Future),
            Some(("monday 10:30", "call"))
        );
    }
}
