//! How a relationship is doing: a contact's health from 0 to 100, its trend against 90 days
//! earlier, and the reasons — every factor with what was measured and its effect in points,
//! so that a person can recompute the score by hand (`docs/HEALTH.md` is the formula).
//!
//! Pure: a contact's interactions ([`Touch`]), cadence and follow-ups come in as values, the
//! moment as a UTC time and the local offset days are counted in. Nothing after that moment
//! counts, so the same function answers "as of today" and "as of an earlier day" (`--at`).
//! [`factors`] holds each factor's rule; [`rhythm`] the 12-month sparkline a contact or an
//! organization shows.

pub mod factors;
pub mod rhythm;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Serialize;

use crate::agenda::CadenceSource;
use crate::model::{Channel, Direction, Due, Period};

pub use factors::{Expectation, Factor, Measured};

/// Where every score starts before the factors add and take away points.
pub const BASE: i32 = 50;
/// The trend compares with the score this many days earlier.
pub const TREND_DAYS: i64 = 90;
/// A change of at least this many points is a trend up or down; less is steady.
pub const TREND_STEP: i32 = 5;

const DAY: i64 = 86_400;

/// One interaction with the contact, as health reads it: when (UTC seconds), how, which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Touch {
    pub at: i64,
    pub channel: Channel,
    pub direction: Option<Direction>,
}

/// A follow-up about the contact: when it is due (a snooze moves it), when it was made and,
/// if it was, completed (UTC seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowUpState {
    pub due: Due,
    pub created_at: i64,
    pub done_at: Option<i64>,
}

/// Everything the score of one contact is computed from.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// Their interactions, oldest first.
    pub touches: &'a [Touch],
    /// Their keep-in-touch cadence: their own, else the shortest of their tags'.
    pub cadence: Option<&'a (Period, CadenceSource)>,
    /// When they were added to the book (UTC seconds).
    pub added_at: i64,
    pub follow_ups: &'a [FollowUpState],
}

/// The moment a score is computed for, and the local offset its days are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub at: DateTime<Utc>,
    pub offset: FixedOffset,
}

impl Moment {
    pub fn new(at: DateTime<Utc>, offset: FixedOffset) -> Moment {
        Moment { at, offset }
    }

    /// The same offset, `days` earlier.
    pub fn days_before(&self, days: i64) -> Moment {
        Moment {
            at: self.at - chrono::Duration::days(days),
            offset: self.offset,
        }
    }

    pub fn secs(&self) -> i64 {
        self.at.timestamp()
    }

    /// The local day number (days since 1970-01-01 in the local offset) of UTC seconds `t`.
    pub fn day_of(&self, t: i64) -> i64 {
        (t + i64::from(self.offset.local_minus_utc())).div_euclid(DAY)
    }

    pub fn today(&self) -> i64 {
        self.day_of(self.secs())
    }

    /// The calendar date of a local day number.
    pub fn date_of_day(day: i64) -> NaiveDate {
        NaiveDate::from_num_days_from_ce_opt(
            i32::try_from(day + 719_163).unwrap_or(i32::MAX).max(1),
        )
        .unwrap_or(NaiveDate::MIN)
    }
}

/// Which way the score moved since [`TREND_DAYS`] days earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrendDirection {
    Up,
    Steady,
    Down,
}

impl TrendDirection {
    pub fn arrow(self) -> &'static str {
        match self {
            TrendDirection::Up => "↑",
            TrendDirection::Steady => "→",
            TrendDirection::Down => "↓",
        }
    }
}

/// The score [`TREND_DAYS`] days earlier and the change since.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Trend {
    pub previous: u8,
    pub change: i32,
    pub direction: TrendDirection,
}

/// A contact's health at one moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Health {
    pub score: u8,
    /// None when they were not yet known [`TREND_DAYS`] days earlier.
    pub trend: Option<Trend>,
    /// Every factor, in the fixed order of `docs/HEALTH.md`.
    pub factors: Vec<Factor>,
    pub as_of: DateTime<Utc>,
}

impl Health {
    /// The factors that moved the score most, strongest first (ties: the documented order);
    /// those with no effect are left out.
    pub fn main_reasons(&self, n: usize) -> Vec<&Factor> {
        let mut moving: Vec<&Factor> = self.factors.iter().filter(|f| f.effect != 0).collect();
        moving.sort_by_key(|f| std::cmp::Reverse(f.effect.abs()));
        moving.truncate(n);
        moving
    }

    pub fn factor(&self, kind: factors::Kind) -> Option<&Factor> {
        self.factors.iter().find(|f| f.kind() == kind)
    }

    /// The arrow of the trend, or a blank when there is none.
    pub fn arrow(&self) -> &'static str {
        self.trend.map_or(" ", |t| t.direction.arrow())
    }
}

/// The health of `subject` at `moment`, with its trend.
pub fn health(subject: &Subject<'_>, moment: Moment) -> Health {
    let factors = factors_at(subject, moment);
    let score = total(&factors);
    let earlier = moment.days_before(TREND_DAYS);
    let trend = (known_since(subject) <= earlier.secs()).then(|| {
        // Only the number is kept of the earlier score: its factors are never written out.
        let previous = score_only_at(subject, earlier);
        let change = i32::from(score) - i32::from(previous);
        let direction = if change >= TREND_STEP {
            TrendDirection::Up
        } else if change <= -TREND_STEP {
            TrendDirection::Down
        } else {
            TrendDirection::Steady
        };
        Trend {
            previous,
            change,
            direction,
        }
    });
    Health {
        score,
        trend,
        factors: Vec::from(factors),
        as_of: moment.at,
    }
}

/// When they became known: added to the book, or their first interaction if earlier.
pub fn known_since(subject: &Subject<'_>) -> i64 {
    subject
        .touches
        .first()
        .map_or(subject.added_at, |t| t.at.min(subject.added_at))
}

/// The score alone at `moment` ([`health`]'s `score`, without the trend's second scoring),
/// from the factors' points: what each measured is not built.
pub fn score(subject: &Subject<'_>, moment: Moment) -> u8 {
    score_only_at(subject, moment)
}

/// The score and its factors at `moment`, from what had happened by then.
pub fn score_at(subject: &Subject<'_>, moment: Moment) -> (u8, Vec<Factor>) {
    let (score, factors) = score_and_factors(subject, moment);
    (score, Vec::from(factors))
}

/// [`score_at`] with the factors in an array, not allocated: for a roll-up that reads a few
/// of them for each of thousands of people.
pub fn score_and_factors(subject: &Subject<'_>, moment: Moment) -> (u8, [Factor; 6]) {
    let factors = factors_at(subject, moment);
    (total(&factors), factors)
}

/// Every factor at `moment`, in the documented order.
fn factors_at(subject: &Subject<'_>, moment: Moment) -> [Factor; 6] {
    let until = subject.touches.partition_point(|t| t.at <= moment.secs());
    let past = &subject.touches[..until];
    let recency = factors::recency(past, subject, moment);
    let tenure = factors::tenure(past, moment, recency.effect);
    [
        recency,
        factors::frequency(past, subject, moment),
        factors::reciprocity(past),
        factors::depth(past),
        factors::follow_through(subject.follow_ups, moment),
        tenure,
    ]
}

/// What an account's roll-up reads of a person at `moment` before their follow-ups are
/// known (`subject`'s are not read): the points of every factor but follow-through, summed
/// (for [`with_follow_through`] to make the score, as [`score`] makes it), the days since
/// the last contact and the interactions in the last 365 days (as [`factors::recency`] and
/// [`factors::frequency`] measure them), without the factors (depth's channels, which it
/// would sort in a list of their own, for each of thousands of people).
pub fn roll_up_parts_before_follow_ups(
    subject: &Subject<'_>,
    moment: Moment,
) -> (i32, Option<i64>, u32) {
    let until = subject.touches.partition_point(|t| t.at <= moment.secs());
    let past = &subject.touches[..until];
    let (recency, since) = factors::rules::recency_points_and_since(past, subject, moment);
    let frequency = factors::frequency(past, subject, moment);
    let last_365 = match frequency.measured {
        Measured::Frequency { last_365_days, .. } => last_365_days,
        _ => 0,
    };
    let points = [
        recency,
        frequency.effect,
        factors::reciprocity(past).effect,
        factors::rules::depth_points(past),
        factors::tenure(past, moment, recency).effect,
    ];
    (points.iter().sum(), since, last_365)
}

/// The score of a person whose other factors gave `points`
/// ([`roll_up_parts_before_follow_ups`]), with their follow-ups `follow_ups`.
pub fn with_follow_through(points: i32, follow_ups: &[FollowUpState], moment: Moment) -> u8 {
    clamped(points + factors::follow_through(follow_ups, moment).effect)
}

/// The score at `moment` as [`factors_at`] makes it, from the factors' points alone.
fn score_only_at(subject: &Subject<'_>, moment: Moment) -> u8 {
    let until = subject.touches.partition_point(|t| t.at <= moment.secs());
    let past = &subject.touches[..until];
    let recency = factors::rules::recency_points(past, subject, moment);
    let points = [
        recency,
        factors::frequency(past, subject, moment).effect,
        factors::reciprocity(past).effect,
        factors::rules::depth_points(past),
        factors::follow_through(subject.follow_ups, moment).effect,
        factors::tenure(past, moment, recency).effect,
    ];
    clamped(points.iter().sum())
}

/// The score the factors make: [`BASE`] plus their points, kept within 0–100.
fn total(factors: &[Factor]) -> u8 {
    clamped(factors.iter().map(|f| f.effect).sum())
}

fn clamped(points: i32) -> u8 {
    u8::try_from((BASE + points).clamp(0, 100)).unwrap_or(0)
}

#[cfg(test)]
mod tests;
