//! The six factors of a health score, each a rule from what happened to points: recency
//! against the expected interval, frequency against their own past, reciprocity, depth by
//! channel, follow-through and tenure. Each returns a [`Factor`]: what was measured (typed,
//! as `--json` gives it), its effect and a sentence saying why. The numbers here are the ones
//! `docs/HEALTH.md` documents; change both together.

use std::fmt::Write as _;

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

    /// [`Factor::reason`] appended to `out`: the ranked table writes a hundred thousand.
    pub fn write_reason(&self, out: &mut String) {
        match &self.measured {
            Measured::Recency {
                days_since_last_contact,
                days_since_added,
                expected_days,
                expected,
            } => recency_reason(
                out,
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
            } => frequency_reason(
                out,
                [*last_30_days, *last_90_days, *last_365_days],
                *year_before,
                *past_days,
            ),
            _ => out.push_str(&self.other_reason()),
        }
    }

    fn other_reason(&self) -> String {
        match &self.measured {
            Measured::Recency { .. } | Measured::Frequency { .. } => String::new(),
            Measured::Reciprocity {
                considered,
                theirs,
                yours,
                conversations,
                one_way_mail,
                undirected,
            } => {
                let reason =
                    reciprocity_reason(*considered, *theirs, *yours, *conversations, *one_way_mail);
                match undirected {
                    0 => reason,
                    1 => format!("{reason}, not counting 1 interaction logged with no direction"),
                    n => {
                        format!("{reason}, not counting {n} interactions logged with no direction")
                    }
                }
            }
            Measured::Depth {
                considered,
                channels,
                ..
            } => depth_reason(*considered, channels, self.effect),
            Measured::FollowThrough {
                overdue,
                oldest_overdue_days,
            } => match (overdue, oldest_overdue_days) {
                (0, _) | (_, None) => "no overdue follow-ups".to_string(),
                (1, Some(d)) => format!("1 follow-up overdue by {}", days(*d)),
                (n, Some(d)) => format!("{n} follow-ups overdue, the oldest by {}", days(*d)),
            },
            Measured::Tenure {
                known_days,
                softens_percent,
                contacted,
            } => {
                let known = describe_known(*known_days);
                if !contacted {
                    "new: no contact yet, so nothing established".to_string()
                } else if *known_days == 0 {
                    "new: in touch on one day so far, not yet established".to_string()
                } else if *known_days < NEW_DAYS {
                    format!("new: in touch for {known}, not yet established")
                } else if self.effect > 0 {
                    format!("in touch for {known}, so the silence counts {softens_percent}% less")
                } else {
                    format!("in touch for {known}")
                }
            }
        }
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

fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// "1 email", "4 emails", "2 calls".
fn count_of(n: u32, ch: Channel) -> String {
    let (one, many) = match ch {
        Channel::Call => ("call", "calls"),
        Channel::Email => ("email", "emails"),
        Channel::Meeting => ("meeting", "meetings"),
        Channel::Video => ("video call", "video calls"),
        Channel::Message => ("message", "messages"),
        Channel::Social => ("social post", "social posts"),
        Channel::Letter => ("letter", "letters"),
        Channel::Note => ("note", "notes"),
        Channel::Other => ("other interaction", "other interactions"),
    };
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
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

/// "1 day", "3 days", written without a String of its own.
struct Days(i64);

impl std::fmt::Display for Days {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            1 => f.write_str("1 day"),
            n => write!(f, "{n} days"),
        }
    }
}

fn recency_reason(
    out: &mut String,
    since: Option<i64>,
    added: i64,
    expected_days: i64,
    expected: &Expectation,
) {
    // Writing to a String cannot fail.
    let _ = match since {
        None if added == 0 => write!(out, "never contacted, added today"),
        None => write!(out, "never contacted, added {} ago", Days(added)),
        Some(0) => write!(out, "last contact today"),
        Some(d) => write!(out, "{} since last contact", Days(d)),
    };
    if since.is_none() && *expected == Expectation::Default {
        return;
    }
    let _ = match expected {
        Expectation::Cadence { every } => {
            write!(out, ", cadence every {}", describe_period(every))
        }
        Expectation::Tag { every, tag } => {
            write!(
                out,
                ", cadence every {} (tag {tag})",
                describe_period(every)
            )
        }
        Expectation::Rhythm { .. } => write!(out, ", usually every {}", Days(expected_days)),
        Expectation::Default => write!(
            out,
            ", no cadence or rhythm yet, so every {} is expected",
            Days(expected_days)
        ),
    };
}

fn frequency_reason(
    out: &mut String,
    [n30, n90, n365]: [u32; 3],
    year_before: u32,
    past_days: i64,
) {
    let _ = if past_days < MIN_PAST_DAYS {
        write!(
            out,
            "{n90} in the last 90 days ({n30} in the last 30, {n365} in the year); \
             known too briefly to compare with their past"
        )
    } else if year_before == 0 && n90 == 0 {
        write!(out, "none in the last 90 days or the year before")
    } else if year_before == 0 {
        write!(
            out,
            "{n90} in the last 90 days after none in the year before: back in touch"
        )
    } else {
        write!(
            out,
            "{n90} in the last 90 days against a usual {:.1} per 90 days \
             ({n30} in the last 30, {n365} in the year)",
            usual_per_90(year_before, past_days)
        )
    };
}

fn reciprocity_reason(
    considered: u32,
    theirs: u32,
    yours: u32,
    conversations: u32,
    one_way_mail: bool,
) -> String {
    let exchanges = |n: u32| {
        if n == 1 {
            "1 exchange".to_string()
        } else {
            format!("{n} exchanges")
        }
    };
    if considered < MIN_DIRECTED {
        format!(
            "{} so far, too few to judge who reaches out",
            exchanges(considered)
        )
    } else if one_way_mail && yours > 0 {
        format!("one-way mail: you wrote the last {considered}, with no reply or conversation")
    } else if one_way_mail {
        format!("one-way mail: they wrote the last {considered}, and you never replied")
    } else if conversations == considered {
        format!("the last {considered} were conversations (meetings or calls), both ways")
    } else if conversations == 0 {
        format!("{yours} of the last {considered} were yours")
    } else {
        let talks = if conversations == 1 {
            "1 was a meeting or call".to_string()
        } else {
            format!("{conversations} were meetings or calls")
        };
        let rest = considered - conversations;
        let others = match (yours, theirs) {
            (_, 0) => format!("the other {rest} yours"),
            (0, _) => format!("the other {rest} theirs"),
            _ => format!("of the other {rest}, {yours} yours"),
        };
        format!("of the last {considered}, {talks} and {others}")
    }
}

fn depth_reason(considered: u32, channels: &[ChannelCount], effect: i32) -> String {
    if considered == 0 {
        return "nothing logged".to_string();
    }
    let last = if considered == 1 {
        "the last one was".to_string()
    } else {
        format!("the last {considered} were")
    };
    if let [only] = channels {
        // "the last 2 were meetings", not "the last 2 were 2 meetings".
        let name = count_of(only.count, only.channel);
        let name = name.split_once(' ').map_or(name.as_str(), |(_, n)| n);
        let article = match name.chars().next() {
            _ if considered != 1 => "",
            Some('a' | 'e' | 'i' | 'o' | 'u') => "an ",
            _ => "a ",
        };
        let verdict = match effect {
            e if e > 0 => ", deeper than an email",
            0 => "",
            _ => ", lighter than an email",
        };
        return format!("{last} {article}{name}{verdict}");
    }
    // Every channel by name (ten interactions have few): "others" would not say which.
    let parts: Vec<String> = channels
        .iter()
        .map(|c| count_of(c.count, c.channel))
        .collect();
    let verdict = match effect {
        e if e > 0 => "deeper than an email",
        0 => "as deep as an email",
        _ => "lighter than an email",
    };
    format!("{last} {}, on average {verdict}", and_list(&parts))
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
/// `E`, `r = days / E`; `25 − 5r` up to `r = 1` (within the interval the day matters
/// little, so a steady rhythm gives a steady score), then `20 − 30(r − 1)` down to −40 at
/// `r = 3` and beyond. Never contacted: the same, but never above [`NEVER_CONTACTED_MAX`].
pub fn recency(past: &[Touch], subject: &Subject<'_>, moment: Moment) -> Factor {
    let today = moment.today();
    let since = past.last().map(|t| today - moment.day_of(t.at));
    let added = (today - moment.day_of(subject.added_at)).max(0);
    let (expected_days, expected) = expectation(past, subject.cadence, moment);
    let r = since.unwrap_or(added) as f64 / expected_days as f64;
    let curve = if r <= 1.0 {
        25.0 - 5.0 * r
    } else if r <= 3.0 {
        20.0 - 30.0 * (r - 1.0)
    } else {
        -40.0
    };
    let mut effect = points(curve);
    if since.is_none() {
        effect = effect.min(NEVER_CONTACTED_MAX);
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
    // On the stack: this runs twice for every contact of `kith health`.
    let mut days = [0i64; RHYTHM_DAYS];
    let mut n = 0;
    for t in past.iter().rev() {
        let d = moment.day_of(t.at);
        if n == 0 || days[n - 1] != d {
            days[n] = d;
            n += 1;
            if n == RHYTHM_DAYS {
                break;
            }
        }
    }
    let mut gaps = [0i64; RHYTHM_DAYS - 1];
    let count = n.saturating_sub(1);
    for (gap, w) in gaps.iter_mut().zip(days[..n].windows(2)) {
        *gap = w[0] - w[1];
    }
    let gaps = &mut gaps[..count];
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

/// Whether an interaction by `channel` is a conversation: two-way by nature, whoever
/// started or organised it.
pub fn is_conversation(channel: Channel) -> bool {
    matches!(channel, Channel::Meeting | Channel::Call | Channel::Video)
}

fn is_written(channel: Channel) -> bool {
    matches!(channel, Channel::Email | Channel::Message | Channel::Letter)
}

/// Reciprocity: of the latest [`LATEST`] exchanges — conversations (meetings, calls, video:
/// one from each side, whoever started them) and the other interactions with a direction
/// (notes are left out) — the share that came from them,
/// `s = (theirs + conversations) / (theirs + yours + 2 × conversations)`:
/// `10 − 60 × |s − 0.5|` (+10 when even, −20 when all one way), and [`ONE_WAY_MAIL`] when
/// all of them are written and the same way. Fewer than [`MIN_DIRECTED`]: 0.
pub fn reciprocity(past: &[Touch]) -> Factor {
    // Counted in one pass, without collecting them.
    let (mut considered, mut conversations, mut theirs, mut written) = (0u32, 0u32, 0u32, 0u32);
    let mut undirected = 0u32;
    for t in past.iter().rev() {
        if t.channel == Channel::Note {
            continue;
        }
        if !is_conversation(t.channel) && t.direction.is_none() {
            undirected += 1;
            continue;
        }
        considered += 1;
        if is_conversation(t.channel) {
            conversations += 1;
        } else if t.direction == Some(Direction::In) {
            theirs += 1;
        }
        if is_written(t.channel) {
            written += 1;
        }
        if considered as usize == LATEST {
            break;
        }
    }
    let yours = considered - conversations - theirs;
    let one_way_mail = considered >= MIN_DIRECTED
        && conversations == 0
        && (theirs == 0 || yours == 0)
        && written == considered;
    let effect = if considered < MIN_DIRECTED {
        0
    } else if one_way_mail {
        ONE_WAY_MAIL
    } else {
        let share = f64::from(theirs + conversations) / f64::from(considered + conversations);
        points(10.0 - 60.0 * (share - 0.5).abs())
    };
    Factor {
        measured: Measured::Reciprocity {
            considered,
            theirs,
            yours,
            conversations,
            one_way_mail,
            undirected,
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
    // Most first; a tie goes to the deeper channel.
    let mut channels: Vec<ChannelCount> = Channel::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(c, n)| ChannelCount {
            channel: *c,
            count: n,
        })
        .collect();
    channels.sort_by_key(|c| {
        (
            std::cmp::Reverse(c.count),
            std::cmp::Reverse(channel_weight(c.channel)),
        )
    });
    let mostly = channels.first().map(|c| c.channel);
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
            channels,
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

/// Tenure: long relationships fade more slowly than new ones. In touch for `k` days (from
/// the first interaction to the latest, by then; 0 when never contacted — time passing
/// without contact establishes nothing): under [`NEW_DAYS`] a new one takes
/// `round(10 × (180 − k) / 180)` points; from then on a negative recency is softened by
/// `p = ⌊min(k, 1460) × 50 / 1460⌋` percent, `round(−recency × p / 100)`; else 0.
pub fn tenure(past: &[Touch], moment: Moment, recency_effect: i32) -> Factor {
    let known_days = match (past.first(), past.last()) {
        (Some(first), Some(last)) => (moment.day_of(last.at) - moment.day_of(first.at)).max(0),
        _ => 0,
    };
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
            contacted: !past.is_empty(),
        },
        effect,
    }
}
