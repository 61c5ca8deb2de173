use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use super::factors::Kind;
use super::*;

const NOW: &str = "2026-12-03T12:00:00Z";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn moment() -> Moment {
    Moment::new(at(NOW), FixedOffset::east_opt(0).unwrap())
}

fn days_ago(n: i64) -> i64 {
    at(NOW).timestamp() - n * DAY
}

fn touch(days: i64, channel: Channel, direction: Option<Direction>) -> Touch {
    Touch {
        at: days_ago(days),
        channel,
        direction,
    }
}

fn sorted(mut touches: Vec<Touch>) -> Vec<Touch> {
    touches.sort_by_key(|t| t.at);
    touches
}

fn subject<'a>(touches: &'a [Touch], added_days_ago: i64) -> Subject<'a> {
    Subject {
        touches,
        cadence: None,
        added_at: days_ago(added_days_ago),
        follow_ups: &[],
    }
}

/// A weekly client for two years, calls and mail both ways.
fn weekly_client() -> Vec<Touch> {
    sorted(
        (0..104)
            .map(|w| {
                let (ch, dir) = match w % 3 {
                    0 => (Channel::Call, Some(Direction::Out)),
                    1 => (Channel::Email, Some(Direction::In)),
                    _ => (Channel::Meeting, None),
                };
                touch(2 + w * 7, ch, dir)
            })
            .collect(),
    )
}

#[test]
fn a_weekly_two_way_client_is_healthy_and_steady() {
    let touches = weekly_client();
    let h = health(&subject(&touches, 800), moment());
    assert!(h.score >= 80, "{h:#?}");
    assert_eq!(h.trend.unwrap().direction, TrendDirection::Steady);
    let recency = h.factor(Kind::Recency).unwrap();
    assert_eq!(
        recency.reason(),
        "2 days since last contact, usually every 7"
    );
}

#[test]
fn one_way_mail_is_a_weak_tie() {
    let touches = sorted(
        (0..8)
            .map(|m| touch(5 + m * 30, Channel::Email, Some(Direction::Out)))
            .collect(),
    );
    let h = health(&subject(&touches, 300), moment());
    let r = h.factor(Kind::Reciprocity).unwrap();
    assert_eq!(r.effect, -35);
    assert_eq!(r.reason(), "one-way mail: all of the last 8 were yours");
    let client = weekly_client();
    assert!(h.score < health(&subject(&client, 800), moment()).score);
}

#[test]
fn a_long_friendship_gone_quiet_falls_but_tenure_softens_it() {
    // Every two weeks for five years, then nothing for two months.
    let touches = sorted(
        (0..130)
            .map(|i| {
                let dir = if i % 2 == 0 {
                    Direction::In
                } else {
                    Direction::Out
                };
                touch(60 + i * 14, Channel::Call, Some(dir))
            })
            .collect(),
    );
    let h = health(&subject(&touches, 2000), moment());
    let recency = h.factor(Kind::Recency).unwrap();
    assert_eq!(recency.effect, -40, "{recency:#?}");
    let tenure = h.factor(Kind::Tenure).unwrap();
    assert_eq!(tenure.effect, 20);
    assert_eq!(tenure.reason(), "known 5 years: a silence weighs 50% less");
    let trend = h.trend.unwrap();
    assert_eq!(trend.direction, TrendDirection::Down, "{trend:?}");
    // A month later, lower still.
    let later = health(
        &subject(&touches, 2000),
        Moment::new(at(NOW) + chrono::Duration::days(30), moment().offset),
    );
    assert!(later.score <= h.score);
}

#[test]
fn a_new_acquaintance_has_no_trend_and_no_past_to_compare() {
    let touches = sorted(vec![
        touch(20, Channel::Meeting, None),
        touch(10, Channel::Meeting, None),
    ]);
    let h = health(&subject(&touches, 25), moment());
    assert_eq!(h.trend, None);
    let f = h.factor(Kind::Frequency).unwrap();
    assert_eq!(f.effect, 0);
    assert!(
        f.reason().ends_with("too new to compare with their past"),
        "{}",
        f.reason()
    );
    assert_eq!(h.factor(Kind::Tenure).unwrap().effect, -9);
    let recency = h.factor(Kind::Recency).unwrap();
    assert_eq!(
        recency.reason(),
        "10 days since last contact, no cadence or rhythm yet, 60 expected"
    );
    assert_eq!(h.factor(Kind::Depth).unwrap().effect, 10);
}

#[test]
fn the_score_is_base_plus_effects_clamped() {
    let touches = weekly_client();
    let s = subject(&touches, 800);
    let (score, factors) = score_at(&s, moment());
    let sum: i32 = BASE + factors.iter().map(|f| f.effect).sum::<i32>();
    assert_eq!(i32::from(score), sum.clamp(0, 100));
}

#[test]
fn nothing_after_the_moment_counts() {
    let touches = weekly_client();
    let s = subject(&touches, 800);
    let earlier = moment().days_before(100);
    let (score, factors) = score_at(&s, earlier);
    let kept: Vec<Touch> = touches
        .iter()
        .copied()
        .filter(|t| t.at <= earlier.secs())
        .collect();
    assert_eq!(score_at(&subject(&kept, 800), earlier), (score, factors));
}

#[test]
fn a_cadence_is_what_recency_is_measured_against() {
    let touches = sorted(vec![touch(45, Channel::Call, Some(Direction::Out))]);
    let cadence = (
        Period::parse("3w").unwrap(),
        CadenceSource::Tag {
            tag: "client".into(),
        },
    );
    let s = Subject {
        cadence: Some(&cadence),
        ..subject(&touches, 100)
    };
    let h = health(&s, moment());
    let r = h.factor(Kind::Recency).unwrap();
    // r = 45 / 21 = 2.14: 10 − 25 × 1.14 = −18.6 → −19.
    assert_eq!(r.effect, -19);
    assert_eq!(
        r.reason(),
        "45 days since last contact, every 3 weeks (tag client)"
    );
}

#[test]
fn overdue_follow_ups_cost_points_until_done() {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let follow_ups = [
        FollowUpState {
            due: Due::Day(day(2026, 11, 20)),
            created_at: days_ago(30),
            done_at: None,
        },
        FollowUpState {
            due: Due::Day(day(2026, 11, 1)),
            created_at: days_ago(40),
            done_at: Some(days_ago(1)),
        },
        FollowUpState {
            due: Due::Day(day(2026, 12, 10)),
            created_at: days_ago(3),
            done_at: None,
        },
    ];
    let s = Subject {
        follow_ups: &follow_ups,
        ..subject(&[], 100)
    };
    let f = factors::follow_through(s.follow_ups, moment());
    assert_eq!(f.effect, -5);
    assert_eq!(f.reason(), "1 overdue follow-up, 13 days");
    // Two days ago the second was not yet done: both overdue.
    let f = factors::follow_through(s.follow_ups, moment().days_before(2));
    assert_eq!(f.effect, -10);
}

#[test]
fn never_contacted_counts_from_when_added_and_never_gains() {
    let fresh = health(&subject(&[], 0), moment());
    assert_eq!(fresh.factor(Kind::Recency).unwrap().effect, 0);
    // New: the tenure factor takes its most.
    assert_eq!(fresh.score, 40);
    assert_eq!(
        fresh.factor(Kind::Tenure).unwrap().reason(),
        "new: known 0 days"
    );
    let old = health(&subject(&[], 400), moment());
    assert_eq!(old.factor(Kind::Recency).unwrap().effect, -40);
    assert_eq!(
        old.factor(Kind::Recency).unwrap().reason(),
        "never contacted, added 400 days ago, no cadence or rhythm yet, 60 expected"
    );
}

#[test]
fn local_days_follow_the_offset() {
    let m = Moment::new(
        at("2026-12-03T23:30:00Z"),
        FixedOffset::east_opt(3600).unwrap(),
    );
    assert_eq!(
        Moment::date_of_day(m.today()),
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    );
    assert_eq!(
        Moment::date_of_day(0),
        NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()
    );
}

/// The worked example of docs/HEALTH.md, point for point.
#[test]
fn the_documented_example_recomputes() {
    let touches = sorted(
        (0..130)
            .map(|i| {
                let dir = if i % 2 == 0 {
                    Direction::In
                } else {
                    Direction::Out
                };
                touch(60 + i * 14, Channel::Call, Some(dir))
            })
            .collect(),
    );
    let h = health(&subject(&touches, 2000), moment());
    let effects: Vec<i32> = h.factors.iter().map(|f| f.effect).collect();
    assert_eq!(effects, [-40, -5, 10, 5, 0, 20]);
    assert_eq!(h.score, 40);
    let trend = h.trend.unwrap();
    assert_eq!((trend.previous, trend.change), (76, -36));
    assert_eq!(
        h.factor(Kind::Frequency).unwrap().reason(),
        "0 in the last 30 days, 3 in 90, 22 in 365; usually 6.4 per 90 days"
    );
}
