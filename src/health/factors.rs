//! The six factors of a health score, each a rule from what happened to points: recency
//! against the expected interval, frequency against their own past, reciprocity, depth by
//! channel, follow-through and tenure. Each returns a [`Factor`]: what was measured (typed,
//! as `--json` gives it), its effect and a sentence saying why. The numbers here are the ones
//! `docs/HEALTH.md` documents; change both together.

use serde::Serialize;

use super::{DAY, FollowUpState, Moment, Subject, Touch};
use crate::agenda::CadenceSource;
use crate::dates::describe_period;
use crate::model::{Channel, Direction, Period};

/// Without a cadence or a rhythm, the interval a contact is expected within.
pub const DEFAULT_EXPECTED_DAYS: i64 = 60;
/// How many distinct days of contact (the latest) the usual rhythm is read from.
pub const RHYTHM_DAYS: usize = 12;
/// Reciprocity and depth read this many latest interactions.
pub const LATEST: usize = 10;
/// Reciprocity needs this many interactions with a direction among the latest.
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
/// All of the latest (at least [`MIN_DIRECTED`]) one way, all by email: the weakest tie.
pub const ONE_WAY_MAIL: i32 = -35;

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
        /// The latest interactions with a direction (at most [`LATEST`] read).
        considered: u32,
        theirs: u32,
        yours: u32,
        /// Every one of them an email, all the same way.
        one_way_mail: bool,
    },
    Depth {
        considered: u32,
        /// The mean channel weight, to two decimals.
        average_weight: f64,
        /// The channel most of them were.
        mostly: Option<Channel>,
    },
    FollowThrough {
        overdue: u32,
        oldest_overdue_days: Option<i64>,
    },
    Tenure {
        known_days: i64,
        /// How much of a negative recency this gives back.
        softens_percent: i64,
    },
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

    /// What was measured, as a person says it ("45 days since last contact, usually every
    /// 20"). May hold a tag name: the output layer sanitizes it.
    pub fn reason(&self) -> String {
        match &self.measured {
            Measured::Recency {
                days_since_last_contact,
                days_since_added,
                expected_days,
                expected,
            } => recency_reason(
                *days_since_last_contact,
                *days_since_added,
                *expected_days,
                expected,
            ),
            Measured::Frequency {
                last_30_days,
                last_90_days,
                last_365_days,
                year_before,
                past_days,
            } => {
                let usual = if *past_days < MIN_PAST_DAYS {
                    "too new to compare with their past".to_string()
                } else if *year_before == 0 {
                    "none in the year before".to_string()
                } else {
                    format!(
                        "usually {:.1} per 90 days",
                        usual_per_90(*year_before, *past_days)
                    )
                };
                format!(
                    "{last_30_days} in the last 30 days, {last_90_days} in 90, {last_365_days} in 365; {usual}"
                )
            }
            Measured::Reciprocity {
                considered,
                yours,
                one_way_mail,
                ..
            } => {
                if *considered < MIN_DIRECTED {
                    format!("too few with a direction to judge ({considered})")
                } else if *one_way_mail {
                    let way = if *yours == *considered {
                        "yours"
                    } else {
                        "theirs"
                    };
                    format!("one-way mail: all of the last {considered} were {way}")
                } else {
                    format!("{yours} of the last {considered} were yours")
                }
            }
            Measured::Depth {
                considered,
                average_weight,
                mostly,
            } => match mostly {
                None => "nothing logged".to_string(),
                Some(ch) => format!(
                    "mostly {}: weight {average_weight:.1} of 4 over the last {considered}",
                    plural_channel(*ch)
                ),
            },
            Measured::FollowThrough {
                overdue,
                oldest_overdue_days,
            } => match (overdue, oldest_overdue_days) {
                (0, _) | (_, None) => "no overdue follow-ups".to_string(),
                (1, Some(d)) => format!("1 overdue follow-up, {}", days(*d)),
                (n, Some(d)) => format!("{n} overdue follow-ups, the oldest {}", days(*d)),
            },
            Measured::Tenure {
                known_days,
                softens_percent,
            } => {
                let known = describe_known(*known_days);
                if *known_days < NEW_DAYS {
                    format!("new: known {known}")
                } else if self.effect > 0 {
                    format!("known {known}: a silence weighs {softens_percent}% less")
                } else {
                    format!("known {known}")
                }
            }
        }
    }
}

fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

fn plural_channel(ch: Channel) -> &'static str {
    match ch {
        Channel::Call => "calls",
        Channel::Email => "email",
        Channel::Meeting => "meetings",
        Channel::Video => "video calls",
        Channel::Message => "messages",
        Channel::Social => "social",
        Channel::Letter => "letters",
        Channel::Note => "notes",
        Channel::Other => "other",
    }
}

fn describe_known(known_days: i64) -> String {
    if known_days >= 365 {
        let years = known_days / 365;
        if years == 1 {
            "1 year".into()
        } else {
            format!("{years} years")
        }
    } else if known_days >= 60 {
        format!("{} months", known_days / 30)
    } else {
        days(known_days)
    }
}

fn recency_reason(
    since: Option<i64>,
    added: i64,
    expected_days: i64,
    expected: &Expectation,
) -> String {
    let head = match since {
        None => format!("never contacted, added {} ago", days(added)),
        Some(0) => "last contact today".to_string(),
        Some(d) => format!("{} since last contact", days(d)),
    };
    let against = match expected {
        Expectation::Cadence { every } => format!("every {}", describe_period(every)),
        Expectation::Tag { every, tag } => {
            format!("every {} (tag {tag})", describe_period(every))
        }
        Expectation::Rhythm { .. } => format!("usually every {expected_days}"),
        Expectation::Default => format!("no cadence or rhythm yet, {expected_days} expected"),
    };
    format!("{head}, {against}")
}

/// The mean number of interactions per 90 days, from a count over `past_days` days.
pub fn usual_per_90(year_before: u32, past_days: i64) -> f64 {
    f64::from(year_before) * 90.0 / past_days.max(1) as f64
}

/// Points rounded half away from zero, as a person rounds.
fn points(x: f64) -> i32 {
    x.round() as i32
}

/// Recency: days since the last contact (never: since added) over the expected interval
/// `E`, `r = days / E`; `25 − 15r` up to `r = 1`, then `10 − 25(r − 1)` down to −40 at
/// `r = 3` and beyond. Never contacted: the same, but never above 0.
pub fn recency(past: &[Touch], subject: &Subject<'_>, moment: Moment) -> Factor {
    let today = moment.today();
    let since = past.last().map(|t| today - moment.day_of(t.at));
    let added = (today - moment.day_of(subject.added_at)).max(0);
    let (expected_days, expected) = expectation(past, subject.cadence, moment);
    let r = since.unwrap_or(added) as f64 / expected_days as f64;
    let curve = if r <= 1.0 {
        25.0 - 15.0 * r
    } else if r <= 3.0 {
        10.0 - 25.0 * (r - 1.0)
    } else {
        -40.0
    };
    let mut effect = points(curve);
    if since.is_none() {
        effect = effect.min(0);
    }
    Factor {
        measured: Measured::Recency {
            days_since_last_contact: since,
            days_since_added: added,
            expected_days,
            expected,
        },
        effect,
    }
}

/// The interval expected: the cadence (own, else a tag's), else the median gap between the
/// latest [`RHYTHM_DAYS`] distinct days of contact (at least two gaps; an even count takes
/// the mean of the middle two, rounded down), else [`DEFAULT_EXPECTED_DAYS`].
fn expectation(
    past: &[Touch],
    cadence: Option<&(Period, CadenceSource)>,
    moment: Moment,
) -> (i64, Expectation) {
    if let Some((every, source)) = cadence {
        let expected = match source {
            CadenceSource::Contact => Expectation::Cadence { every: *every },
            CadenceSource::Tag { tag } => Expectation::Tag {
                every: *every,
                tag: tag.clone(),
            },
        };
        return (every.approx_days().max(1), expected);
    }
    let mut days: Vec<i64> = Vec::with_capacity(RHYTHM_DAYS);
    for t in past.iter().rev() {
        let d = moment.day_of(t.at);
        if days.last() != Some(&d) {
            days.push(d);
            if days.len() == RHYTHM_DAYS {
                break;
            }
        }
    }
    let mut gaps: Vec<i64> = days.windows(2).map(|w| w[0] - w[1]).collect();
    if gaps.len() < 2 {
        return (DEFAULT_EXPECTED_DAYS, Expectation::Default);
    }
    gaps.sort_unstable();
    let mid = gaps.len() / 2;
    let median = if gaps.len() % 2 == 1 {
        gaps[mid]
    } else {
        (gaps[mid - 1] + gaps[mid]) / 2
    };
    (median.max(1), Expectation::Rhythm { gaps: gaps.len() })
}

/// Frequency: the last 90 days against their own past, the 365 days before those (or as
/// many of them as they were known, `P`) scaled to 90 (`usual = year_before × 90 / P`):
/// `10 × (n90 / usual − 1)`, between −10 and +10. `P` under [`MIN_PAST_DAYS`]: 0. Nothing
/// in the year before: +10 when there is something now, else 0.
pub fn frequency(past: &[Touch], subject: &Subject<'_>, moment: Moment) -> Factor {
    let now = moment.secs();
    let window_start = moment.days_before(90 + 365);
    let known = super::known_since(subject).max(window_start.secs());
    let past_days = (moment.days_before(90).today() - moment.day_of(known)).clamp(0, 365);
    let within = |days: i64| {
        past.iter()
            .rev()
            .take_while(|t| t.at > now - days * DAY)
            .count()
    };
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let n30 = within(30);
    let n90 = within(90);
    let n365 = within(365);
    let year_before = within(90 + 365) - n90;
    let effect = if past_days < MIN_PAST_DAYS || (year_before == 0 && n90 == 0) {
        0
    } else if year_before == 0 {
        10
    } else {
        let usual = usual_per_90(count(year_before), past_days);
        points(10.0 * (n90 as f64 / usual - 1.0)).clamp(-10, 10)
    };
    Factor {
        measured: Measured::Frequency {
            last_30_days: count(n30),
            last_90_days: count(n90),
            last_365_days: count(n365),
            year_before: count(year_before),
            past_days,
        },
        effect,
    }
}

/// Reciprocity: of the latest [`LATEST`] interactions with a direction, the share they
/// started (`s = theirs / considered`): `10 − 60 × |s − 0.5|` (+10 when even, −20 when all
/// one way), and [`ONE_WAY_MAIL`] when all one way and all email. Fewer than
/// [`MIN_DIRECTED`]: 0.
pub fn reciprocity(past: &[Touch]) -> Factor {
    let directed: Vec<&Touch> = past
        .iter()
        .rev()
        .filter(|t| t.direction.is_some())
        .take(LATEST)
        .collect();
    let considered = directed.len() as u32;
    let theirs = directed
        .iter()
        .filter(|t| t.direction == Some(Direction::In))
        .count() as u32;
    let yours = considered - theirs;
    let one_way_mail = considered >= MIN_DIRECTED
        && (theirs == 0 || yours == 0)
        && directed.iter().all(|t| t.channel == Channel::Email);
    let effect = if considered < MIN_DIRECTED {
        0
    } else if one_way_mail {
        ONE_WAY_MAIL
    } else {
        let share = f64::from(theirs) / f64::from(considered);
        points(10.0 - 60.0 * (share - 0.5).abs())
    };
    Factor {
        measured: Measured::Reciprocity {
            considered,
            theirs,
            yours,
            one_way_mail,
        },
        effect,
    }
}

/// How much an interaction by `channel` says about a relationship (`docs/HEALTH.md`).
pub fn channel_weight(channel: Channel) -> u32 {
    match channel {
        Channel::Meeting => 4,
        Channel::Call | Channel::Video => 3,
        Channel::Email | Channel::Message | Channel::Letter => 2,
        Channel::Social | Channel::Other => 1,
        Channel::Note => 0,
    }
}

/// Depth: the mean [`channel_weight`] `w` of the latest [`LATEST`] interactions:
/// `5 × (w − 2)`, between −10 and +10. Nothing logged: 0.
pub fn depth(past: &[Touch]) -> Factor {
    let latest = &past[past.len().saturating_sub(LATEST)..];
    let considered = latest.len() as u32;
    let mut counts = [0u32; Channel::ALL.len()];
    let mut total = 0;
    for t in latest {
        total += channel_weight(t.channel);
        if let Some(i) = Channel::ALL.iter().position(|c| *c == t.channel) {
            counts[i] += 1;
        }
    }
    // The most frequent channel; a tie goes to the deeper one.
    let mostly = (considered > 0).then(|| {
        *Channel::ALL
            .iter()
            .zip(counts)
            .max_by_key(|(c, n)| (*n, channel_weight(**c)))
            .map(|(c, _)| c)
            .unwrap_or(&Channel::Other)
    });
    let (average, effect) = if considered == 0 {
        (0.0, 0)
    } else {
        let average = (f64::from(total) / f64::from(considered) * 100.0).round() / 100.0;
        (average, points(5.0 * (average - 2.0)).clamp(-10, 10))
    };
    Factor {
        measured: Measured::Depth {
            considered,
            average_weight: average,
            mostly,
        },
        effect,
    }
}

/// Follow-through: −[`PER_OVERDUE`] per follow-up about them that was overdue at the moment
/// (made by then, not completed by then, due before it by the agenda's rule), at most
/// −[`MAX_OVERDUE`].
pub fn follow_through(follow_ups: &[FollowUpState], moment: Moment) -> Factor {
    let now = moment.secs();
    let today = Moment::date_of_day(moment.today());
    let mut overdue = 0u32;
    let mut oldest: Option<i64> = None;
    for f in follow_ups {
        let open_then = f.created_at <= now && f.done_at.is_none_or(|d| d > now);
        if !open_then || !crate::agenda::is_overdue(f.due, moment.at, today) {
            continue;
        }
        overdue += 1;
        let due_day = match f.due {
            crate::model::Due::Day(d) => d,
            crate::model::Due::At(t) => Moment::date_of_day(moment.day_of(t.timestamp())),
        };
        let late = crate::dates::days_between(due_day, today);
        oldest = Some(oldest.map_or(late, |o: i64| o.max(late)));
    }
    let effect = -(PER_OVERDUE * overdue.min(10) as i32).min(MAX_OVERDUE);
    Factor {
        measured: Measured::FollowThrough {
            overdue,
            oldest_overdue_days: oldest,
        },
        effect,
    }
}

/// Tenure: long relationships fade more slowly than new ones. Known for `k` days (since
/// added or the first interaction, whichever is earlier): under [`NEW_DAYS`] a new one takes
/// `round(10 × (180 − k) / 180)` points; from then on a negative recency is softened by
/// `p = ⌊min(k, 1460) × 50 / 1460⌋` percent, `round(−recency × p / 100)`; else 0.
pub fn tenure(subject: &Subject<'_>, moment: Moment, recency_effect: i32) -> Factor {
    let known_days = (moment.today() - moment.day_of(super::known_since(subject))).max(0);
    let softens_percent = known_days.min(TENURE_FULL_DAYS) * TENURE_MAX_PERCENT / TENURE_FULL_DAYS;
    let effect = if known_days < NEW_DAYS {
        -points((NEW_MAX_POINTS * (NEW_DAYS - known_days)) as f64 / NEW_DAYS as f64)
    } else if recency_effect < 0 {
        points(-f64::from(recency_effect) * softens_percent as f64 / 100.0)
    } else {
        0
    };
    Factor {
        measured: Measured::Tenure {
            known_days,
            softens_percent,
        },
        effect,
    }
}
