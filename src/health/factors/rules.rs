//! The six rules, each from what had happened by a moment to a [`Factor`]: what it measured
//! and its points. The two that would allocate for their `--json` details (depth's channel
//! counts, a tag's name for recency) also give their points alone ([`depth_points`],
//! [`recency_points`]) from the same arithmetic: the trend's earlier score needs only its
//! number, for every contact of `kith health`.

use super::{
    ChannelCount, DEFAULT_EXPECTED_DAYS, Expectation, Factor, LATEST, MAX_OVERDUE, MIN_DIRECTED,
    MIN_PAST_DAYS, Measured, NEVER_CONTACTED_MAX, NEW_DAYS, NEW_MAX_POINTS, ONE_WAY_MAIL,
    PER_OVERDUE, RHYTHM_DAYS, TENURE_FULL_DAYS, TENURE_MAX_PERCENT, usual_per_90,
};
use crate::agenda::CadenceSource;
use crate::health::{DAY, FollowUpState, Moment, Subject, Touch};
use crate::model::{Channel, Direction, Period};

/// Points rounded half away from zero, as a person rounds.
fn points(x: f64) -> i32 {
    x.round() as i32
}

/// What recency measured, before its expectation is written out.
struct RecencyParts {
    since: Option<i64>,
    added: i64,
    expected_days: i64,
    /// The rhythm's number of gaps, when the expectation is a rhythm.
    rhythm_gaps: Option<usize>,
    effect: i32,
}

fn recency_parts(past: &[Touch], subject: &Subject<'_>, moment: Moment) -> RecencyParts {
    let today = moment.today();
    let since = past.last().map(|t| today - moment.day_of(t.at));
    let added = (today - moment.day_of(subject.added_at)).max(0);
    let (expected_days, rhythm_gaps) = expected_days(past, subject.cadence, moment);
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
    RecencyParts {
        since,
        added,
        expected_days,
        rhythm_gaps,
        effect,
    }
}

/// Recency: days since the last contact (never: since added) over the expected interval
/// `E`, `r = days / E`; `25 − 5r` up to `r = 1` (within the interval the day matters
/// little, so a steady rhythm gives a steady score), then `20 − 30(r − 1)` down to −40 at
/// `r = 3` and beyond. Never contacted: the same, but never above [`NEVER_CONTACTED_MAX`].
pub fn recency(past: &[Touch], subject: &Subject<'_>, moment: Moment) -> Factor {
    let parts = recency_parts(past, subject, moment);
    let expected = match (subject.cadence, parts.rhythm_gaps) {
        (Some((every, CadenceSource::Contact)), _) => Expectation::Cadence { every: *every },
        (Some((every, CadenceSource::Tag { tag })), _) => Expectation::Tag {
            every: *every,
            tag: tag.clone(),
        },
        (None, Some(gaps)) => Expectation::Rhythm { gaps },
        (None, None) => Expectation::Default,
    };
    let today = moment.today();
    let days_over = match (&expected, parts.since) {
        // A cadence of months runs out on the calendar, as the agenda counts it.
        (Expectation::Cadence { every } | Expectation::Tag { every, .. }, Some(since)) => {
            let last = Moment::date_of_day(today - since);
            (Moment::date_of_day(today) - every.add_to(last)).num_days()
        }
        (Expectation::Rhythm { .. }, Some(since)) => since - parts.expected_days,
        _ => 0,
    };
    Factor {
        measured: Measured::Recency {
            days_since_last_contact: parts.since,
            days_since_added: parts.added,
            expected_days: parts.expected_days,
            expected,
            days_over: days_over.max(0),
        },
        effect: parts.effect,
    }
}

/// The points of [`recency`], without what it measured.
pub fn recency_points(past: &[Touch], subject: &Subject<'_>, moment: Moment) -> i32 {
    recency_parts(past, subject, moment).effect
}

/// The points of [`recency`] and the days since the last contact it measured.
pub fn recency_points_and_since(
    past: &[Touch],
    subject: &Subject<'_>,
    moment: Moment,
) -> (i32, Option<i64>) {
    let parts = recency_parts(past, subject, moment);
    (parts.effect, parts.since)
}

/// The interval expected: the cadence (own, else a tag's), else the median gap between the
/// latest [`RHYTHM_DAYS`] distinct days of contact (at least two gaps; an even count takes
/// the mean of the middle two, rounded down; with the number of gaps), else
/// [`DEFAULT_EXPECTED_DAYS`].
fn expected_days(
    past: &[Touch],
    cadence: Option<&(Period, CadenceSource)>,
    moment: Moment,
) -> (i64, Option<usize>) {
    if let Some((every, _)) = cadence {
        return (every.approx_days().max(1), None);
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
        return (DEFAULT_EXPECTED_DAYS, None);
    }
    gaps.sort_unstable();
    let mid = gaps.len() / 2;
    let median = if gaps.len() % 2 == 1 {
        gaps[mid]
    } else {
        (gaps[mid - 1] + gaps[mid]) / 2
    };
    (median.max(1), Some(gaps.len()))
}

/// Frequency: the last 90 days against their own past, the 365 days before those (or as
/// many of them as they were known, `P`) scaled to 90 (`usual = year_before × 90 / P`):
/// `10 × (n90 / usual − 1)`, between −10 and +10. `P` under [`MIN_PAST_DAYS`]: 0. Nothing
/// in the year before: +10 when there is something now, else 0.
pub fn frequency(past: &[Touch], subject: &Subject<'_>, moment: Moment) -> Factor {
    let now = moment.secs();
    let known = crate::health::known_since(subject).max(now - (90 + 365) * DAY);
    let past_days = (moment.day_of(now - 90 * DAY) - moment.day_of(known)).clamp(0, 365);
    // The interactions are oldest first: each window is a run at the end, counted in one
    // walk back from the latest.
    let (mut n30, mut n90, mut n365, mut n455) = (0usize, 0usize, 0usize, 0usize);
    for t in past.iter().rev() {
        if t.at <= now - (90 + 365) * DAY {
            break;
        }
        n455 += 1;
        if t.at > now - 365 * DAY {
            n365 += 1;
            if t.at > now - 90 * DAY {
                n90 += 1;
                if t.at > now - 30 * DAY {
                    n30 += 1;
                }
            }
        }
    }
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let year_before = n455 - n90;
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

/// The latest [`LATEST`] interactions, counted by channel (in [`Channel::ALL`]'s order):
/// how many, their weights' sum, and each channel's count.
fn depth_counts(past: &[Touch]) -> (u32, u32, [u32; Channel::ALL.len()]) {
    let latest = &past[past.len().saturating_sub(LATEST)..];
    let mut counts = [0u32; Channel::ALL.len()];
    let mut total = 0;
    for t in latest {
        total += channel_weight(t.channel);
        if let Some(n) = counts.get_mut(channel_index(t.channel)) {
            *n += 1;
        }
    }
    (latest.len() as u32, total, counts)
}

/// The place of `channel` in [`Channel::ALL`].
fn channel_index(channel: Channel) -> usize {
    match channel {
        Channel::Call => 0,
        Channel::Email => 1,
        Channel::Meeting => 2,
        Channel::Video => 3,
        Channel::Message => 4,
        Channel::Social => 5,
        Channel::Letter => 6,
        Channel::Note => 7,
        Channel::Other => 8,
    }
}

/// The mean weight (to two decimals) and the points it gives.
fn depth_average(considered: u32, total: u32) -> (f64, i32) {
    if considered == 0 {
        (0.0, 0)
    } else {
        let average = (f64::from(total) / f64::from(considered) * 100.0).round() / 100.0;
        (average, points(5.0 * (average - 2.0)).clamp(-10, 10))
    }
}

/// Depth: the mean [`channel_weight`] `w` of the latest [`LATEST`] interactions:
/// `5 × (w − 2)`, between −10 and +10. Nothing logged: 0.
pub fn depth(past: &[Touch]) -> Factor {
    let (considered, total, counts) = depth_counts(past);
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
    let (average, effect) = depth_average(considered, total);
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

/// The points of [`depth`], without what it measured.
pub fn depth_points(past: &[Touch]) -> i32 {
    let (considered, total, _) = depth_counts(past);
    depth_average(considered, total).1
}

/// Follow-through: −[`PER_OVERDUE`] per follow-up about them that was overdue at the moment
/// (made by then, not completed by then, due before it by the agenda's rule), at most
/// −[`MAX_OVERDUE`].
pub fn follow_through(follow_ups: &[FollowUpState], moment: Moment) -> Factor {
    let now = moment.secs();
    let mut overdue = 0u32;
    let mut oldest: Option<i64> = None;
    if !follow_ups.is_empty() {
        let today = Moment::date_of_day(moment.today());
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
