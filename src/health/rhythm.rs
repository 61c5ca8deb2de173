//! The rhythm of a relationship: interactions counted by calendar month over the last 12
//! months, drawn as a sparkline (`·▁▂▃▄▅▆▇█`). Used for one contact (`kith show`, the
//! interactive brief) and for a whole organization (its people's interactions together).

use chrono::{Datelike, NaiveDate};

/// How many months a rhythm covers, the last being the month of the day it ends on.
pub const MONTHS: usize = 12;

/// The bars, lowest first; a month without any interaction is [`EMPTY`].
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
pub const EMPTY: char = '·';

/// Interactions per calendar month for the 12 months ending with `through`'s month, oldest
/// first. Days after `through` or before the first month are left out; the days may come in
/// any order.
pub fn monthly_counts(
    days: impl IntoIterator<Item = NaiveDate>,
    through: NaiveDate,
) -> [u32; MONTHS] {
    let last = month_index(through);
    let mut counts = [0u32; MONTHS];
    for day in days {
        if day > through {
            continue;
        }
        let back = last - month_index(day);
        if (0..MONTHS as i64).contains(&back) {
            counts[MONTHS - 1 - back as usize] += 1;
        }
    }
    counts
}

fn month_index(day: NaiveDate) -> i64 {
    i64::from(day.year()) * 12 + i64::from(day.month0())
}

/// One character per count: [`EMPTY`] for none, else a bar whose height is the count
/// against the largest (`⌈8 × count / max⌉` of 8 levels).
pub fn sparkline(counts: &[u32]) -> String {
    let max = counts.iter().copied().max().unwrap_or(0);
    counts
        .iter()
        .map(|&c| {
            if c == 0 {
                EMPTY
            } else {
                let level = (u64::from(c) * 8).div_ceil(u64::from(max));
                BARS[(level.clamp(1, 8) - 1) as usize]
            }
        })
        .collect()
}

/// Whether a rhythm has anything to draw.
pub fn is_empty(counts: &[u32]) -> bool {
    counts.iter().all(|&c| c == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn months_are_counted_back_from_the_day_given() {
        let counts = monthly_counts(
            [
                day(2026, 12, 1),
                day(2026, 12, 2),
                day(2026, 11, 30),
                day(2026, 1, 1),
                day(2025, 12, 31), // thirteen months back: out
                day(2026, 12, 4),  // after the day: out
            ],
            day(2026, 12, 3),
        );
        assert_eq!(counts, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
    }

    #[test]
    fn bars_rise_with_the_count_and_an_empty_month_is_a_dot() {
        assert_eq!(sparkline(&[0, 1, 2, 4, 8]), "·▁▂▄█");
        assert_eq!(sparkline(&[3, 3]), "██");
        assert_eq!(sparkline(&[0, 0]), "··");
        assert!(is_empty(&[0, 0]));
    }
}
