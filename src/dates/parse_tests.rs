//! Tests of [`parse_when`]: every form of the grammar, both leans, time zones with daylight
//! saving, and inputs that must be refused (never a panic).

use chrono::{
    DateTime, Datelike, FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime,
    TimeDelta, TimeZone, Utc, Weekday,
};
use proptest::prelude::*;

use super::*;

/// +01:00, the zone of every test unless it says otherwise.
fn zone() -> FixedOffset {
    FixedOffset::east_opt(3600).unwrap()
}

/// Tuesday 2026-11-24 10:15 at +01:00.
fn now() -> DateTime<FixedOffset> {
    zone().with_ymd_and_hms(2026, 11, 24, 10, 15, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A wall time at +01:00, as an instant.
fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    zone()
        .with_ymd_and_hms(y, mo, d, h, mi, s)
        .unwrap()
        .with_timezone(&Utc)
}

fn parse_at<Tz: TimeZone>(input: &str, now: &DateTime<Tz>) -> When {
    parse_when(input, now, Lean::Future).unwrap_or_else(|e| panic!("{input:?}: {e}"))
}

fn p(input: &str) -> When {
    parse_at(input, &now())
}

fn day(y: i32, m: u32, d: u32) -> When {
    When::Date(date(y, m, d))
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> When {
    When::At(local(y, mo, d, h, mi, 0))
}

fn unparseable(input: &str) {
    assert_eq!(
        parse_when(input, &now(), Lean::Future),
        Err(DateError::Unparseable {
            input: input.to_string()
        }),
        "{input:?} should not parse"
    );
}

#[test]
fn fixed_now_is_a_tuesday() {
    assert_eq!(now().weekday(), Weekday::Tue);
}

#[test]
fn iso_forms() {
    assert_eq!(p("2026-12-01"), day(2026, 12, 1));
    assert_eq!(p("2026-12-01T15:30"), at(2026, 12, 1, 15, 30));
    assert_eq!(p("2026-12-01 15:30"), at(2026, 12, 1, 15, 30));
    assert_eq!(
        p("2026-12-01 15:30:05"),
        When::At(local(2026, 12, 1, 15, 30, 5))
    );
    assert_eq!(
        p("2026-12-01t15:30:05"),
        When::At(local(2026, 12, 1, 15, 30, 5))
    );
    assert_eq!(p("2026-12-01 9am"), at(2026, 12, 1, 9, 0));
    assert_eq!(p("2024-02-29"), day(2024, 2, 29));
}

#[test]
fn rfc3339_with_offset() {
    let utc = |h, mi| When::At(Utc.with_ymd_and_hms(2026, 12, 1, h, mi, 0).unwrap());
    assert_eq!(p("2026-12-01T15:30:00+01:00"), utc(14, 30));
    assert_eq!(p("2026-12-01T15:30:00-05:00"), utc(20, 30));
    assert_eq!(p("2026-12-01T15:30:00Z"), utc(15, 30));
    assert_eq!(p("2026-12-01t15:30:00z"), utc(15, 30));
    assert_eq!(p("  2026-12-01 15:30:00+00:00 "), utc(15, 30));
}

#[test]
fn named_days_and_now() {
    assert_eq!(p("today"), day(2026, 11, 24));
    assert_eq!(p("tomorrow"), day(2026, 11, 25));
    assert_eq!(p("yesterday"), day(2026, 11, 23));
    assert_eq!(p("now"), When::At(now().with_timezone(&Utc)));
    assert_eq!(p("  ToDay "), day(2026, 11, 24));
}

#[test]
fn today_is_the_date_in_nows_zone() {
    // 23:30 UTC on the 24th is already the 25th at +01:00.
    let late = Utc
        .with_ymd_and_hms(2026, 11, 24, 23, 30, 0)
        .unwrap()
        .with_timezone(&zone());
    assert_eq!(parse_at("today", &late), day(2026, 11, 25));
}

#[test]
fn in_forms() {
    let n = now().with_timezone(&Utc);
    assert_eq!(p("in 3 days"), day(2026, 11, 27));
    assert_eq!(p("in 2 weeks"), day(2026, 12, 8));
    assert_eq!(p("in 1 month"), day(2026, 12, 24));
    assert_eq!(p("in a week"), day(2026, 12, 1));
    assert_eq!(p("in 1 year"), day(2027, 11, 24));
    assert_eq!(p("in 0 days"), day(2026, 11, 24));
    assert_eq!(p("in an hour"), When::At(n + TimeDelta::hours(1)));
    assert_eq!(p("in 2 hours"), When::At(n + TimeDelta::hours(2)));
    assert_eq!(p("in 30 minutes"), When::At(n + TimeDelta::minutes(30)));
    assert_eq!(p("in 30 min"), When::At(n + TimeDelta::minutes(30)));
    assert_eq!(p("in 3d"), day(2026, 11, 27));
    assert_eq!(p("in 2w"), day(2026, 12, 8));
    assert_eq!(p("in 2h"), When::At(n + TimeDelta::hours(2)));
    assert_eq!(p("+3d"), day(2026, 11, 27));
    assert_eq!(p("+2w"), day(2026, 12, 8));
    assert_eq!(p("+1m"), day(2026, 12, 24)); // m = months
    assert_eq!(p("+1y"), day(2027, 11, 24));
    assert_eq!(p("+ 3 days"), day(2026, 11, 27));
    assert_eq!(p("+3 days"), day(2026, 11, 27));
    assert_eq!(p("-3d"), day(2026, 11, 21));
    assert_eq!(p("IN   3   DAYS"), day(2026, 11, 27));
}

#[test]
fn ago_forms() {
    let n = now().with_timezone(&Utc);
    assert_eq!(p("3 days ago"), day(2026, 11, 21));
    assert_eq!(p("2 weeks ago"), day(2026, 11, 10));
    assert_eq!(p("a month ago"), day(2026, 10, 24));
    assert_eq!(p("1 year ago"), day(2025, 11, 24));
    assert_eq!(p("2w ago"), day(2026, 11, 10));
    assert_eq!(p("2 hours ago"), When::At(n - TimeDelta::hours(2)));
    assert_eq!(p("an hour ago"), When::At(n - TimeDelta::hours(1)));
}

#[test]
fn weekdays_are_strictly_after_today() {
    // Today is Tuesday 2026-11-24.
    for input in [
        "friday",
        "fri",
        "next friday",
        "this friday",
        "on friday",
        "FRIDAY",
    ] {
        assert_eq!(p(input), day(2026, 11, 27), "{input}");
    }
    assert_eq!(p("tuesday"), day(2026, 12, 1));
    assert_eq!(p("tue"), day(2026, 12, 1));
    assert_eq!(p("wednesday"), day(2026, 11, 25));
    assert_eq!(p("monday"), day(2026, 11, 30));
    assert_eq!(p("sun"), day(2026, 11, 29));
    assert_eq!(p("thurs"), day(2026, 11, 26));
}

#[test]
fn last_weekday_is_strictly_before_today() {
    assert_eq!(p("last friday"), day(2026, 11, 20));
    assert_eq!(p("last tuesday"), day(2026, 11, 17));
    assert_eq!(p("last monday"), day(2026, 11, 23));
    assert_eq!(p("last wed"), day(2026, 11, 18));
}

#[test]
fn friday_said_on_a_friday_is_next_week() {
    let friday = zone().with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
    assert_eq!(parse_at("friday", &friday), day(2026, 12, 4));
    assert_eq!(parse_at("next friday", &friday), day(2026, 12, 4));
    assert_eq!(parse_at("last friday", &friday), day(2026, 11, 20));
    assert_eq!(parse_at("saturday", &friday), day(2026, 11, 28));
}

#[test]
fn named_spans() {
    assert_eq!(p("next week"), day(2026, 12, 1));
    assert_eq!(p("last week"), day(2026, 11, 17));
    assert_eq!(p("next month"), day(2026, 12, 24));
    assert_eq!(p("next year"), day(2027, 11, 24));
    assert_eq!(p("end of month"), day(2026, 11, 30));
    assert_eq!(p("end of the month"), day(2026, 11, 30));
    assert_eq!(p("eom"), day(2026, 11, 30));
    assert_eq!(p("end of week"), day(2026, 11, 29));
    assert_eq!(p("eow"), day(2026, 11, 29));
    assert_eq!(p("end of year"), day(2026, 12, 31));
    let sunday = zone().with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap();
    assert_eq!(parse_at("end of week", &sunday), day(2026, 11, 29));
    let december = zone().with_ymd_and_hms(2026, 12, 31, 9, 0, 0).unwrap();
    assert_eq!(parse_at("eom", &december), day(2026, 12, 31));
    let february = zone().with_ymd_and_hms(2028, 2, 3, 9, 0, 0).unwrap();
    assert_eq!(parse_at("eom", &february), day(2028, 2, 29));
}

#[test]
fn month_arithmetic_clamps() {
    let jan31 = zone().with_ymd_and_hms(2027, 1, 31, 9, 0, 0).unwrap();
    assert_eq!(parse_at("in 1 month", &jan31), day(2027, 2, 28));
    assert_eq!(parse_at("next month", &jan31), day(2027, 2, 28));
    assert_eq!(parse_at("+1m", &jan31), day(2027, 2, 28));
    assert_eq!(parse_at("in 2 months", &jan31), day(2027, 3, 31));
    let leap = zone().with_ymd_and_hms(2028, 1, 31, 9, 0, 0).unwrap();
    assert_eq!(parse_at("in 1 month", &leap), day(2028, 2, 29));
    let feb29 = zone().with_ymd_and_hms(2028, 2, 29, 9, 0, 0).unwrap();
    assert_eq!(parse_at("in 1 year", &feb29), day(2029, 2, 28));
    assert_eq!(parse_at("1 year ago", &feb29), day(2027, 2, 28));
    assert_eq!(parse_at("in 4 years", &feb29), day(2032, 2, 29));
    let mar31 = zone().with_ymd_and_hms(2027, 3, 31, 9, 0, 0).unwrap();
    assert_eq!(parse_at("a month ago", &mar31), day(2027, 2, 28));
}

#[test]
fn month_day_forms() {
    for input in [
        "dec 1",
        "december 1",
        "1 dec",
        "1 december",
        "Dec 1st",
        "1st december",
        "on dec 1",
    ] {
        assert_eq!(p(input), day(2026, 12, 1), "{input}");
    }
    assert_eq!(p("dec 1 2027"), day(2027, 12, 1));
    assert_eq!(p("1 december 2027"), day(2027, 12, 1));
    assert_eq!(p("dec 1, 2027"), day(2027, 12, 1));
    assert_eq!(p("sept 3 2025"), day(2025, 9, 3));
}

#[test]
fn month_day_without_year_is_next_occurrence() {
    assert_eq!(p("nov 24"), day(2026, 11, 24)); // today counts
    assert_eq!(p("nov 23"), day(2027, 11, 23));
    assert_eq!(p("jan 5"), day(2027, 1, 5));
    assert_eq!(p("feb 29"), day(2028, 2, 29));
    assert_eq!(p("feb 29 2028"), day(2028, 2, 29));
    unparseable("feb 29 2027");
    unparseable("feb 30");
    unparseable("dec 32");
    unparseable("dec 0");
}

#[test]
fn times_alone_are_today() {
    assert_eq!(p("3pm"), at(2026, 11, 24, 15, 0));
    assert_eq!(p("3:30pm"), at(2026, 11, 24, 15, 30));
    assert_eq!(p("3 pm"), at(2026, 11, 24, 15, 0));
    assert_eq!(p("3:30 PM"), at(2026, 11, 24, 15, 30));
    assert_eq!(p("9am"), at(2026, 11, 24, 9, 0)); // already past: still today
    assert_eq!(p("15:30"), at(2026, 11, 24, 15, 30));
    assert_eq!(p("7:05"), at(2026, 11, 24, 7, 5));
    assert_eq!(p("15:30:05"), When::At(local(2026, 11, 24, 15, 30, 5)));
    assert_eq!(p("noon"), at(2026, 11, 24, 12, 0));
    assert_eq!(p("midnight"), at(2026, 11, 24, 0, 0));
    assert_eq!(p("12am"), at(2026, 11, 24, 0, 0));
    assert_eq!(p("12pm"), at(2026, 11, 24, 12, 0));
    assert_eq!(p("12:30am"), at(2026, 11, 24, 0, 30));
    assert_eq!(p("at 3pm"), at(2026, 11, 24, 15, 0));
    assert_eq!(p("0:00"), at(2026, 11, 24, 0, 0));
    assert_eq!(p("23:59"), at(2026, 11, 24, 23, 59));
}

#[test]
fn date_then_time() {
    assert_eq!(p("tomorrow 3pm"), at(2026, 11, 25, 15, 0));
    assert_eq!(p("friday 10:00"), at(2026, 11, 27, 10, 0));
    assert_eq!(p("2026-12-01 9am"), at(2026, 12, 1, 9, 0));
    assert_eq!(p("in 2 days at 3pm"), at(2026, 11, 26, 15, 0));
    assert_eq!(p("tomorrow at noon"), at(2026, 11, 25, 12, 0));
    assert_eq!(p("next friday at 3:30 pm"), at(2026, 11, 27, 15, 30));
    assert_eq!(p("dec 1 2027 at 8am"), at(2027, 12, 1, 8, 0));
    assert_eq!(p("dec 1 14:00"), at(2026, 12, 1, 14, 0));
    assert_eq!(p("tomorrow midnight"), at(2026, 11, 25, 0, 0));
    assert_eq!(p("eom 5pm"), at(2026, 11, 30, 17, 0));
    assert_eq!(p("  Tomorrow   AT   3PM "), at(2026, 11, 25, 15, 0));
}

#[test]
fn time_then_date() {
    assert_eq!(p("3pm tomorrow"), at(2026, 11, 25, 15, 0));
    assert_eq!(p("noon on friday"), at(2026, 11, 27, 12, 0));
    assert_eq!(p("at 10:00 on dec 1"), at(2026, 12, 1, 10, 0));
    unparseable("3pm in 2 hours");
    unparseable("3pm 4pm");
}

#[test]
fn with_utc_now() {
    // Monday 2026-03-02 23:30 UTC.
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 23, 30, 0).unwrap();
    assert_eq!(parse_at("today", &now), day(2026, 3, 2));
    assert_eq!(parse_at("friday", &now), day(2026, 3, 6));
    assert_eq!(
        parse_at("tomorrow 9am", &now),
        When::At(Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap())
    );
    assert_eq!(
        parse_at("in 1 hour", &now),
        When::At(Utc.with_ymd_and_hms(2026, 3, 3, 0, 30, 0).unwrap())
    );
    assert_eq!(parse_at("now", &now), When::At(now));
}

/// A zone with daylight saving, for 2026 only: +01:00, +02:00 from 2026-03-29 01:00 UTC
/// (02:00 → 03:00 local) to 2026-10-25 01:00 UTC (03:00 → 02:00 local).
#[derive(Debug, Clone, Copy)]
struct Dst;

impl Dst {
    fn summer_utc(utc: &NaiveDateTime) -> bool {
        let start = date(2026, 3, 29).and_hms_opt(1, 0, 0).unwrap();
        let end = date(2026, 10, 25).and_hms_opt(1, 0, 0).unwrap();
        (start..end).contains(utc)
    }
}

impl TimeZone for Dst {
    type Offset = FixedOffset;
    fn from_offset(_: &FixedOffset) -> Dst {
        Dst
    }
    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<FixedOffset> {
        self.offset_from_local_datetime(&local.and_time(NaiveTime::MIN))
    }
    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<FixedOffset> {
        let winter = FixedOffset::east_opt(3600).unwrap();
        let summer = FixedOffset::east_opt(7200).unwrap();
        let fits = |off: FixedOffset| {
            let utc = *local - TimeDelta::seconds(i64::from(off.local_minus_utc()));
            Dst::summer_utc(&utc) == (off == summer)
        };
        match (fits(winter), fits(summer)) {
            (true, true) => MappedLocalTime::Ambiguous(summer, winter),
            (true, false) => MappedLocalTime::Single(winter),
            (false, true) => MappedLocalTime::Single(summer),
            (false, false) => MappedLocalTime::None,
        }
    }
    fn offset_from_utc_date(&self, utc: &NaiveDate) -> FixedOffset {
        self.offset_from_utc_datetime(&utc.and_time(NaiveTime::MIN))
    }
    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> FixedOffset {
        FixedOffset::east_opt(if Dst::summer_utc(utc) { 7200 } else { 3600 }).unwrap()
    }
}

#[test]
fn dst_gap_takes_the_end_of_the_gap() {
    let now = Dst.with_ymd_and_hms(2026, 3, 28, 12, 0, 0).unwrap();
    let utc = |d, h, mi| When::At(Utc.with_ymd_and_hms(2026, 3, d, h, mi, 0).unwrap());
    // 02:30 does not exist on the 29th: 03:00 (+02:00) is the first instant after the gap.
    assert_eq!(parse_at("tomorrow 2:30am", &now), utc(29, 1, 0));
    assert_eq!(parse_at("2026-03-29 02:00", &now), utc(29, 1, 0));
    assert_eq!(parse_at("2026-03-29 02:59:59", &now), utc(29, 1, 0));
    assert_eq!(parse_at("tomorrow 3am", &now), utc(29, 1, 0));
    assert_eq!(parse_at("tomorrow 1:59am", &now), utc(29, 0, 59));
    assert_eq!(parse_at("tomorrow 4am", &now), utc(29, 2, 0));
}

#[test]
fn dst_overlap_takes_the_earlier() {
    let now = Dst.with_ymd_and_hms(2026, 10, 24, 12, 0, 0).unwrap();
    let utc = |d, h, mi| When::At(Utc.with_ymd_and_hms(2026, 10, d, h, mi, 0).unwrap());
    // 02:30 happens twice on the 25th: at +02:00 (00:30 UTC), then at +01:00 (01:30 UTC).
    assert_eq!(parse_at("tomorrow 2:30am", &now), utc(25, 0, 30));
    assert_eq!(parse_at("tomorrow 3:30am", &now), utc(25, 2, 30));
    assert_eq!(parse_at("tomorrow 1:30am", &now), utc(24, 23, 30));
}

#[test]
fn errors_keep_the_input_as_given() {
    for input in [
        "",
        "   ",
        "2026-02-30",
        "2026-13-01",
        "2026-12-01T25:00",
        "2026-12-01T15:30Z",
        "13pm",
        "0pm",
        "24:00",
        "15:60",
        "15:3",
        "3:30:5pm",
        "in 0 xyz",
        "in days",
        "in",
        "at",
        "on",
        "ago",
        "3 days",
        "15",
        "2027",
        "next",
        "last",
        "end of",
        "end of day",
        "friday friday",
        "tomorrow yesterday",
        "in 2 hours at 3pm",
        "now 3pm",
        "today at",
        "in -3 days",
        "in +3 days",
        "+",
        "-",
        "3 days from now",
        "someday",
        "☃",
        "tömorrow",
        " Next Blursday ",
        "in 99999999999 days",
        "in 4000000000 days",
        "in 4000000000 weeks",
        "in 4000000000 months",
        "in 4000000000 years",
        "in 4000000000 hours",
        "99999999999 minutes ago",
        "+400000000y",
    ] {
        unparseable(input);
    }
}

#[test]
fn error_messages() {
    let e = parse_when("blah", &now(), Lean::Future).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot understand the date \"blah\"; try 2026-12-01, tomorrow, in 3 days, next friday, 3pm"
    );
    let e = Period::parse("3x").unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot understand the period \"3x\"; try 30d, 2w, 3m or 1y"
    );
}

/// Words of the grammar, so that random input often gets past the first token.
const WORDS: &[&str] = &[
    "in", "ago", "at", "next", "last", "this", "on", "now", "today", "friday", "dec", "feb", "29",
    "31", "pm", "am", "noon", "midnight", "end", "of", "the", "month", "week", "year", "days",
    "hours", "a", "an", "+", "-", "eom", "eow",
];

proptest! {
    #[test]
    fn parse_when_never_panics(input in any::<String>()) {
        for lean in [Lean::Past, Lean::Future] {
            let _ = parse_when(&input, &now(), lean);
            let _ = parse_when(&input, &Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap(), lean);
            let _ = parse_when(&input, &Dst.with_ymd_and_hms(2026, 3, 28, 12, 0, 0).unwrap(), lean);
        }
    }

    #[test]
    fn parse_when_never_panics_on_wordy_input(
        words in proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(WORDS).prop_map(str::to_string),
                "[0-9]{1,12}[a-z]{0,2}",
                "[+-]?[0-9]{1,11}[dwmyh]",
                "[0-9]{1,2}:[0-9]{2}(am|pm)?",
                "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
            ],
            0..5,
        ),
    ) {
        let input = words.join(" ");
        let _ = parse_when(&input, &now(), Lean::Past);
        let _ = parse_when(&input, &now(), Lean::Future);
    }

    /// Leaning to the past never lands after today, nor to the future before it, for a date
    /// the lean may move.
    #[test]
    fn the_lean_decides_the_side_of_today(
        name in proptest::sample::select(&[
            "monday", "tue", "wednesday", "thu", "friday", "sat", "sunday", "jan 1", "feb 29",
            "dec 3", "dec 4", "3 december", "nov 30",
        ][..]),
    ) {
        if let Ok(When::Date(d)) = parse_when(name, &now(), Lean::Past) {
            prop_assert!(d <= now().date_naive(), "{} -> {}", name, d);
        }
        if let Ok(When::Date(d)) = parse_when(name, &now(), Lean::Future) {
            prop_assert!(d >= now().date_naive(), "{} -> {}", name, d);
        }
    }
}

fn past(input: &str) -> When {
    parse_when(input, &now(), Lean::Past).unwrap_or_else(|e| panic!("{input:?}: {e}"))
}

#[test]
fn leaning_to_the_past_reads_the_last_one() {
    // Today is Tuesday 2026-11-24.
    assert_eq!(past("friday"), day(2026, 11, 20));
    assert_eq!(past("monday"), day(2026, 11, 23));
    assert_eq!(past("this friday"), day(2026, 11, 20));
    assert_eq!(past("on friday"), day(2026, 11, 20));
    // Said on a Tuesday, "tuesday" that happened is today; "last tuesday" a week ago.
    assert_eq!(past("tuesday"), day(2026, 11, 24));
    assert_eq!(past("last tuesday"), day(2026, 11, 17));
    assert_eq!(past("nov 1"), day(2026, 11, 1));
    assert_eq!(past("nov 24"), day(2026, 11, 24));
    assert_eq!(past("dec 1"), day(2025, 12, 1));
    assert_eq!(past("1st december"), day(2025, 12, 1));
    assert_eq!(past("feb 29"), day(2024, 2, 29));
    assert_eq!(past("last week"), day(2026, 11, 17));
    assert_eq!(past("friday 3pm"), at(2026, 11, 20, 15, 0));
    assert_eq!(past("noon on monday"), at(2026, 11, 23, 12, 0));
}

#[test]
fn what_names_its_side_is_never_moved() {
    for (input, expected) in [
        ("next friday", day(2026, 11, 27)),
        ("last friday", day(2026, 11, 20)),
        ("dec 1 2027", day(2027, 12, 1)),
        ("dec 1 2025", day(2025, 12, 1)),
        ("2027-01-05", day(2027, 1, 5)),
        ("2025-01-05 10:00", at(2025, 1, 5, 10, 0)),
        ("tomorrow", day(2026, 11, 25)),
        ("yesterday", day(2026, 11, 23)),
        ("in 3 days", day(2026, 11, 27)),
        ("3 days ago", day(2026, 11, 21)),
        ("next week", day(2026, 12, 1)),
        ("end of month", day(2026, 11, 30)),
    ] {
        assert_eq!(past(input), expected, "{input} leaning to the past");
        assert_eq!(p(input), expected, "{input} leaning to the future");
    }
}

#[test]
fn on_thursday_december_third() {
    // The case of issue 17: on Thu 2026-12-03 a call "dec 1" or "monday" was this week.
    let thursday = zone().with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap();
    let past = |s| parse_when(s, &thursday, Lean::Past).unwrap();
    let future = |s| parse_when(s, &thursday, Lean::Future).unwrap();
    assert_eq!(past("dec 1"), day(2026, 12, 1));
    assert_eq!(future("dec 1"), day(2027, 12, 1));
    assert_eq!(past("monday"), day(2026, 11, 30));
    assert_eq!(future("monday"), day(2026, 12, 7));
    assert_eq!(past("friday"), day(2026, 11, 27));
    assert_eq!(future("friday"), day(2026, 12, 4));
    assert_eq!(past("last week"), day(2026, 11, 26));
    assert_eq!(past("thursday"), day(2026, 12, 3));
    assert_eq!(future("thursday"), day(2026, 12, 10));
}
