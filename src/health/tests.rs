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
        "2 days since last contact, usually every 7 days"
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
    assert_eq!(r.effect, -45);
    assert_eq!(
        r.explained(),
        "one-way mail: you wrote the last 8, with no reply or conversation (-45)"
    );
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
    assert_eq!(
        tenure.explained(),
        "in touch for 4 years, so the silence counts 50% less (+20)"
    );
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
        f.reason()
            .ends_with("known too briefly to compare with their past"),
        "{}",
        f.reason()
    );
    assert_eq!(h.factor(Kind::Tenure).unwrap().effect, -9);
    let recency = h.factor(Kind::Recency).unwrap();
    assert_eq!(
        recency.explained(),
        "10 days since last contact, no cadence or rhythm yet, so every 60 days is expected (+24)"
    );
    let mixed = sorted(vec![
        touch(6, Channel::Email, Some(Direction::Out)),
        touch(5, Channel::Email, Some(Direction::In)),
        touch(4, Channel::Call, None),
        touch(3, Channel::Message, None),
        touch(2, Channel::Social, None),
        touch(1, Channel::Note, None),
    ]);
    assert_eq!(
        factors::depth(&mixed).explained(),
        "the last 6 were 2 emails, 1 call, 1 message, 1 social post and 1 note, on average lighter than an email (-2)"
    );
    assert_eq!(
        factors::depth(&mixed[..4]).reason(),
        "the last 4 were 2 emails, 1 call and 1 message, on average deeper than an email"
    );
    let depth = h.factor(Kind::Depth).unwrap();
    assert_eq!(
        depth.explained(),
        "the last 2 were meetings, deeper than an email (+10)"
    );
}

#[test]
fn the_score_is_base_plus_effects_clamped() {
    let touches = weekly_client();
    let s = subject(&touches, 800);
    let (score, factors) = score_at(&s, moment());
    let sum: i32 = BASE + factors.iter().map(|f| f.effect).sum::<i32>();
    assert_eq!(i32::from(score), sum.clamp(0, 100));
}

/// `score` (the points alone) is the score of every factor, for subjects of each shape,
/// cadences of both kinds, follow-ups and moments back to before they were known.
#[test]
fn the_score_alone_is_the_factors_total() {
    let client = weekly_client();
    let few = sorted(vec![
        touch(400, Channel::Email, Some(Direction::In)),
        touch(20, Channel::Meeting, None),
        touch(3, Channel::Message, Some(Direction::Out)),
    ]);
    let own = (Period::parse("2w").unwrap(), CadenceSource::Contact);
    let tagged = (
        Period::parse("3m").unwrap(),
        CadenceSource::Tag { tag: "vip".into() },
    );
    let follow_ups = [
        FollowUpState {
            due: Due::At(at("2026-11-01T09:00:00Z")),
            created_at: days_ago(60),
            done_at: None,
        },
        FollowUpState {
            due: Due::At(at("2026-10-01T09:00:00Z")),
            created_at: days_ago(90),
            done_at: Some(days_ago(30)),
        },
    ];
    for touches in [&client[..], &few[..], &[][..]] {
        for cadence in [None, Some(&own), Some(&tagged)] {
            for follow_ups in [&follow_ups[..], &[][..]] {
                for back in [0, 1, 45, 200, 900] {
                    let s = Subject {
                        cadence,
                        follow_ups,
                        ..subject(touches, 500)
                    };
                    let m = moment().days_before(back);
                    assert_eq!(score(&s, m), score_at(&s, m).0, "{back} days back");
                    // An account's roll-up scores before the follow-ups are read, then adds
                    // follow-through: the same score.
                    let (points, ..) = roll_up_parts_before_follow_ups(&s, m);
                    assert_eq!(
                        with_follow_through(points, follow_ups, m),
                        score(&s, m),
                        "{back} days back, by parts"
                    );
                }
            }
        }
    }
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
    // r = 45 / 21 = 2.14: 20 − 30 × 1.14 = −14.3 → −14.
    assert_eq!(r.effect, -14);
    assert_eq!(
        r.reason(),
        "45 days since last contact, cadence every 3 weeks (tag client), 24 days over"
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
    assert_eq!(f.reason(), "1 follow-up overdue by 13 days");
    // Two days ago the second was not yet done: both overdue.
    let f = factors::follow_through(s.follow_ups, moment().days_before(2));
    assert_eq!(f.effect, -10);
}

#[test]
fn never_contacted_counts_from_when_added_and_ranks_below_any_relationship() {
    let fresh = health(&subject(&[], 0), moment());
    assert_eq!(fresh.factor(Kind::Recency).unwrap().effect, -20);
    // New: the tenure factor takes its most.
    assert_eq!(fresh.score, 20);
    assert_eq!(
        fresh.factor(Kind::Recency).unwrap().explained(),
        "never contacted, added today (-20)"
    );
    assert_eq!(
        fresh.factor(Kind::Tenure).unwrap().explained(),
        "new: no contact yet, so nothing established (-10)"
    );
    let old = health(&subject(&[], 400), moment());
    assert_eq!(old.factor(Kind::Recency).unwrap().effect, -40);
    assert_eq!(
        old.factor(Kind::Recency).unwrap().reason(),
        "never contacted, added 400 days ago"
    );
    // The trial's finding: a weekly meeting partner, every meeting organised by me (so
    // logged or captured as mine), scored below someone never contacted.
    let meetings: Vec<Touch> = sorted(
        (0..8)
            .map(|w| touch(1 + w * 7, Channel::Meeting, Some(Direction::Out)))
            .collect(),
    );
    let partner = health(&subject(&meetings, 60), moment());
    assert!(partner.score > fresh.score + 40, "{partner:#?}");
}

#[test]
fn meetings_and_calls_go_both_ways_whoever_organised_them() {
    let mine: Vec<Touch> = sorted(
        (0..10)
            .map(|w| {
                let ch = if w % 2 == 0 {
                    Channel::Meeting
                } else {
                    Channel::Call
                };
                touch(1 + w * 7, ch, Some(Direction::Out))
            })
            .collect(),
    );
    let r = factors::reciprocity(&mine);
    assert_eq!(r.effect, 10);
    assert_eq!(
        r.explained(),
        "the last 10 were conversations (meetings or calls), both ways (+10)"
    );
    // Meetings with a recap mail from me after each: mostly two-way, not one-sided.
    let mut with_recaps = mine.clone();
    with_recaps.extend((0..5).map(|w| touch(w * 7, Channel::Email, Some(Direction::Out))));
    let with_recaps = sorted(with_recaps);
    let r = factors::reciprocity(&with_recaps);
    assert_eq!(r.effect, 0, "{r:#?}");
    assert_eq!(
        r.reason(),
        "of the last 10, 5 were meetings or calls and the other 5 yours"
    );
    // Notes say nothing about who reaches out; mail without a direction neither.
    let notes = sorted(vec![
        touch(3, Channel::Note, Some(Direction::Out)),
        touch(2, Channel::Email, None),
        touch(1, Channel::Note, None),
    ]);
    let r = factors::reciprocity(&notes);
    assert_eq!(
        r.explained(),
        "0 exchanges so far, too few to judge who reaches out, not counting 1 interaction logged \
         with no direction (0)"
    );
    // One-way messages are weak too, and mail one way is weak whichever way it goes.
    let theirs = sorted(
        (0..4)
            .map(|d| touch(d * 10, Channel::Message, Some(Direction::In)))
            .collect(),
    );
    let r = factors::reciprocity(&theirs);
    assert_eq!(r.effect, factors::ONE_WAY_MAIL);
    assert_eq!(
        r.reason(),
        "one-way mail: they wrote the last 4, and you never replied"
    );
}

/// The judged scenario, in order: a weekly two-way client, then a new acquaintance
/// met twice and a long-standing friend quiet for two months, then a contact who only ever
/// received mail; each main reason carries its sign.
#[test]
fn the_judged_scenario_ranks_as_a_person_would() {
    let client = sorted(
        (0..104)
            .map(|w| {
                let (ch, dir) = match w % 3 {
                    0 => (Channel::Meeting, Some(Direction::Out)),
                    1 => (Channel::Call, Some(Direction::Out)),
                    _ => (Channel::Email, Some(Direction::In)),
                };
                touch(2 + w * 7, ch, dir)
            })
            .collect(),
    );
    let acquaintance = sorted(vec![
        touch(20, Channel::Meeting, None),
        touch(10, Channel::Meeting, Some(Direction::Out)),
    ]);
    let friend = sorted(
        (0..130)
            .map(|i| {
                let dir = [Direction::In, Direction::Out][i as usize % 2];
                touch(60 + i * 14, Channel::Call, Some(dir))
            })
            .collect(),
    );
    let mail = sorted(
        (0..8)
            .map(|m| touch(5 + m * 30, Channel::Email, Some(Direction::Out)))
            .collect(),
    );
    let score = |t: &[Touch], added: i64| health(&subject(t, added), moment());
    let client = score(&client, 0);
    let acquaintance = score(&acquaintance, 25);
    let friend = score(&friend, 0);
    let mail = score(&mail, 0);
    assert!(client.score > acquaintance.score, "{client:#?}");
    assert!(client.score > friend.score);
    assert!(acquaintance.score > mail.score + 10);
    assert!(friend.score > mail.score + 10, "{friend:#?} {mail:#?}");
    // A low score never shows a factor that helped without its plus sign.
    let reasons: Vec<String> = friend
        .main_reasons(2)
        .iter()
        .map(|f| f.explained())
        .collect();
    assert_eq!(
        reasons,
        [
            "60 days since last contact, usually every 14 days, 46 days over (-40)",
            "in touch for 4 years, so the silence counts 50% less (+20)",
        ]
    );
    assert_eq!(
        mail.main_reasons(1)[0].explained(),
        "one-way mail: you wrote the last 8, with no reply or conversation (-45)"
    );
}

/// Advancing a fixed clock moves the trend the right way: a friend gone quiet falls, one
/// back in touch rises, a steady client stays steady.
#[test]
fn the_trend_follows_the_clock() {
    let friend = sorted(
        (0..130)
            .map(|i| touch(60 + i * 14, Channel::Call, Some(Direction::In)))
            .collect(),
    );
    let s = subject(&friend, 2000);
    // While they still talked (70 days ago), then now: the score falls and the arrow says so.
    let then = health(&s, moment().days_before(70));
    let now = health(&s, moment());
    assert!(now.score < then.score);
    assert_ne!(then.trend.unwrap().direction, TrendDirection::Down);
    assert_eq!(now.trend.unwrap().direction, TrendDirection::Down);
    assert_eq!(
        now.trend.unwrap().previous,
        health(&s, moment().days_before(90)).score
    );
    // Quiet for 200 days, then back in touch yesterday and today: up on 90 days earlier.
    let mut back: Vec<Touch> = friend
        .iter()
        .map(|t| Touch {
            at: t.at - 140 * DAY,
            ..*t
        })
        .collect();
    let quiet = health(&subject(&back, 2000), moment());
    back.push(touch(1, Channel::Call, Some(Direction::Out)));
    back.push(touch(0, Channel::Call, Some(Direction::In)));
    let back = health(&subject(&back, 2000), moment());
    assert!(back.score > quiet.score + 20, "{back:#?}");
    assert_eq!(
        back.trend.unwrap().direction,
        TrendDirection::Up,
        "{back:#?}"
    );
    let client = weekly_client();
    assert_eq!(
        health(&subject(&client, 800), moment())
            .trend
            .unwrap()
            .direction,
        TrendDirection::Steady
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
    assert_eq!((trend.previous, trend.change), (85, -45));
    assert_eq!(
        h.factor(Kind::Frequency).unwrap().reason(),
        "3 in the last 90 days against a usual 6.4 per 90 days (0 in the last 30, 22 in the year)"
    );
}

/// The demo book's never-contacted people score 0: added two years ago, so recency takes its
/// most (−40) and tenure −10. The two reasons shown are the whole of it; with overdue
/// follow-ups too, they are among the reasons shown.
#[test]
fn a_never_contacted_zero_is_explained_by_its_reasons() {
    let forgotten = health(&subject(&[], 726), moment());
    assert_eq!(forgotten.score, 0);
    let shown: Vec<String> = forgotten
        .main_reasons(2)
        .iter()
        .map(|f| f.explained())
        .collect();
    assert_eq!(
        shown,
        [
            "never contacted, added 726 days ago (-40)",
            "new: no contact yet, so nothing established (-10)"
        ]
    );
    let sum: i32 = forgotten.main_reasons(2).iter().map(|f| f.effect).sum();
    assert_eq!(i32::from(forgotten.score), BASE + sum);
    // Added ten days ago, with three follow-ups overdue: below the 20 of a fresh contact, and
    // the follow-ups are named.
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let follow_ups: Vec<FollowUpState> = [20, 21, 22]
        .into_iter()
        .map(|d| FollowUpState {
            due: Due::Day(day(d)),
            created_at: days_ago(10),
            done_at: None,
        })
        .collect();
    let pending = health(
        &Subject {
            follow_ups: &follow_ups,
            ..subject(&[], 10)
        },
        moment(),
    );
    assert_eq!(pending.score, 5);
    let shown: Vec<String> = pending
        .main_reasons(2)
        .iter()
        .map(|f| f.explained())
        .collect();
    assert_eq!(
        shown,
        [
            "never contacted, added 10 days ago (-20)",
            "3 follow-ups overdue, the oldest by 13 days (-15)"
        ]
    );
}

/// Mail logged with no direction says nothing about who reached out: it is left out of the
/// share, not guessed, and the reason says how many were.
#[test]
fn mail_with_no_direction_is_left_out_of_reciprocity_and_said_so() {
    let mut mail: Vec<Touch> = (0..4)
        .map(|d| touch(10 + d * 7, Channel::Email, Some(Direction::Out)))
        .collect();
    mail.push(touch(2, Channel::Email, Some(Direction::In)));
    let with_direction = factors::reciprocity(&sorted(mail.clone()));
    mail.extend((0..3).map(|d| touch(3 + d, Channel::Email, None)));
    mail.push(touch(1, Channel::Note, None));
    let r = factors::reciprocity(&sorted(mail));
    assert_eq!(r.effect, with_direction.effect);
    assert_eq!(
        r.explained(),
        "4 of the last 5 were yours, not counting 3 interactions logged with no direction (-8)"
    );
    let Measured::Reciprocity { undirected, .. } = r.measured else {
        panic!("{r:#?}")
    };
    assert_eq!(undirected, 3);
}
