//! The six factors of a health score, each a rule from what happened to points: recency
//! against the expected interval, frequency against their own past, reciprocity, depth by
//! channel, follow-through and tenure. Each returns a [`Factor`]: what was measured (typed,
//! as `--json` gives it), its effect and a sentence saying why. The numbers here are the ones
//! `docs/HEALTH.md` documents; change both together.
//!
//! This module holds what a factor is (the types `--json` gives); [`rules`] the six rules
//! from interactions to points; `reasons` the sentences saying why.

mod reasons;
pub mod rules;

use serde::Serialize;

use crate::model::{Channel, Period};

pub(crate) use reasons::int;
pub use rules::{
    channel_weight, depth, follow_through, frequency, is_conversation, recency, reciprocity, tenure,
};

/// Without a cadence or a rhythm, the interval a contact is expected within.
pub const DEFAULT_EXPECTED_DAYS: i64 = 60;
/// How many distinct days of contact (the latest) the usual rhythm is read from.
pub const RHYTHM_DAYS: usize = 12;
/// Reciprocity and depth read this many latest interactions.
pub const LATEST: usize = 10;
/// Reciprocity needs this many exchanges (conversations, or messages with a direction)
/// among the latest.
pub const MIN_DIRECTED: u32 = 3;
/// Points per overdue follow-up, and the most they take together.
pub const PER_OVERDUE: i32 = 5;
pub const MAX_OVERDUE: i32 = 15;
/// Tenure softens a silence by 12.5% per year known, up to 50% at four years.
pub const TENURE_FULL_DAYS: i64 = 4 * 365;
pub const TENURE_MAX_PERCENT: i64 = 50;
/// A relationship younger than this is new: up to −[`NEW_MAX_POINTS`], less as it ages.
pub const NEW_DAYS: i64 = 180;
pub const NEW_MAX_POINTS: i64 = 10;
/// Frequency needs at least this many days of past (before the last 90) to compare with.
pub const MIN_PAST_DAYS: i64 = 90;
/// All of the latest (at least [`MIN_DIRECTED`]) exchanges written and one way, with no
/// conversation: the weakest tie, heavier than any recency (mail never answered is not a
/// conversation, however recent).
pub const ONE_WAY_MAIL: i32 = -45;
/// Never contacted: recency gives at most this (there is no relationship yet).
pub const NEVER_CONTACTED_MAX: i32 = -20;

/// Which factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Recency,
    Frequency,
    Reciprocity,
    Depth,
    FollowThrough,
    Tenure,
}

/// What the interval since the last contact is measured against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "lowercase")]
pub enum Expectation {
    /// Their own keep-in-touch cadence.
    Cadence { every: Period },
    /// A cadence inherited from one of their tags.
    Tag { every: Period, tag: String },
    /// Their usual rhythm: the median gap between their latest days of contact.
    Rhythm { gaps: usize },
    /// Neither: [`DEFAULT_EXPECTED_DAYS`].
    Default,
}

/// What a factor measured. The field names are stable (`kith health --json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "factor", rename_all = "snake_case")]
pub enum Measured {
    Recency {
        /// None when never contacted (then counted from when they were added).
        days_since_last_contact: Option<i64>,
        days_since_added: i64,
        expected_days: i64,
        expected: Expectation,
        /// Days past the cadence (counted on the calendar, as `kith today` does) or the
        /// rhythm; 0 within it.
        days_over: i64,
    },
    Frequency {
        last_30_days: u32,
        last_90_days: u32,
        last_365_days: u32,
        /// In the 365 days before the last 90: their own past.
        year_before: u32,
        /// How many of those 365 days they were known (the past compared with).
        past_days: i64,
    },
    Reciprocity {
        /// The latest exchanges read (at most [`LATEST`]): conversations, and the other
        /// interactions that have a direction.
        considered: u32,
        /// Written (or other one-way) interactions they started.
        theirs: u32,
        /// Written (or other one-way) interactions you started.
        yours: u32,
        /// Meetings, calls and video calls: two-way whoever started them.
        conversations: u32,
        /// All of them written (email, message, letter) and the same way.
        one_way_mail: bool,
        /// Mail, messages and the like logged with no direction (neither in nor out) among
        /// them: they say nothing about who reached out and are left out, not guessed.
        undirected: u32,
    },
    Depth {
        considered: u32,
        /// The mean channel weight, to two decimals.
        average_weight: f64,
        /// The channel most of them were.
        mostly: Option<Channel>,
        /// How many of them by each channel, most first.
        channels: Vec<ChannelCount>,
    },
    FollowThrough {
        overdue: u32,
        oldest_overdue_days: Option<i64>,
    },
    Tenure {
        /// Days from the first interaction to the latest (0 when never contacted).
        known_days: i64,
        /// Whether there was any interaction by then.
        contacted: bool,
        /// How much of a negative recency this gives back.
        softens_percent: i64,
    },
}

/// How many of the interactions read went by one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChannelCount {
    pub channel: Channel,
    pub count: u32,
}

/// One factor of a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    #[serde(flatten)]
    pub measured: Measured,
    /// Points added to (or taken from) the score.
    pub effect: i32,
}

impl Factor {
    pub fn kind(&self) -> Kind {
        match self.measured {
            Measured::Recency { .. } => Kind::Recency,
            Measured::Frequency { .. } => Kind::Frequency,
            Measured::Reciprocity { .. } => Kind::Reciprocity,
            Measured::Depth { .. } => Kind::Depth,
            Measured::FollowThrough { .. } => Kind::FollowThrough,
            Measured::Tenure { .. } => Kind::Tenure,
        }
    }

    /// The factor's name as the text output and `--json` give it.
    pub fn name(&self) -> &'static str {
        match self.kind() {
            Kind::Recency => "recency",
            Kind::Frequency => "frequency",
            Kind::Reciprocity => "reciprocity",
            Kind::Depth => "depth",
            Kind::FollowThrough => "follow-through",
            Kind::Tenure => "tenure",
        }
    }

    /// What was measured, as a plain sentence ("45 days since last contact, usually every
    /// 20 days"); [`Factor::explained`] adds the points. May hold a tag name: the output
    /// layer sanitizes it.
    pub fn reason(&self) -> String {
        let mut out = String::new();
        self.write_reason(&mut out);
        out
    }

    /// The reason with its effect in points: "45 days since last contact, usually every 20
    /// days (-21)".
    pub fn explained(&self) -> String {
        format!("{} ({})", self.reason(), signed_points(self.effect))
    }
}

/// Points with their sign ("+20", "-21"), and 0 without one.
pub fn signed_points(points: i32) -> String {
    if points == 0 {
        "0".into()
    } else {
        format!("{points:+}")
    }
}

/// The mean number of interactions per 90 days, from a count over `past_days` days.
pub fn usual_per_90(year_before: u32, past_days: i64) -> f64 {
    f64::from(year_before) * 90.0 / past_days.max(1) as f64
}
