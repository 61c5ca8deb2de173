//! The grammar of [`parse_when`]: words and numbers in, a date or an instant out. It reads a
//! time of day and a date in either order; the pieces are in the sibling modules (day and
//! month names in `calendar`, "in 3 days" in `offset`, times of day in `clock`).

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};

use super::calendar::{month_day, named_span, weekday_rule};
use super::clock::{local_to_utc, parse_time};
use super::offset::relative_offset;
use super::{DateError, Lean, When};

/// Parse user date input relative to `now`, interpreting wall-clock times in now's time zone;
/// an open date ("monday", "dec 1") leans as `lean` says.
///
/// See the [module documentation](super) for the accepted forms.
pub fn parse_when<Tz: TimeZone>(
    input: &str,
    now: &DateTime<Tz>,
    lean: Lean,
) -> Result<When, DateError> {
    parse_when_inner(input, now, lean).ok_or_else(|| DateError::Unparseable {
        input: input.to_string(),
    })
}

fn parse_when_inner<Tz: TimeZone>(input: &str, now: &DateTime<Tz>, lean: Lean) -> Option<When> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return None;
    }
    // An explicit offset pins the instant exactly; chrono's RFC 3339 parser is the precise tool.
    if let Ok(t) = DateTime::parse_from_rfc3339(trimmed) {
        return Some(When::At(t.with_timezone(&Utc)));
    }
    let lower = trimmed.to_lowercase();
    let tokens = tokenize(&lower);
    let anchor = Anchor {
        today: now.date_naive(),
        now: now.with_timezone(&Utc),
        lean,
    };
    match parse_tokens(&tokens, &anchor)? {
        Parsed::Date(d) => Some(When::Date(d)),
        Parsed::At(t) => Some(When::At(t)),
        Parsed::Local(date, time) => {
            local_to_utc(&now.timezone(), date.and_time(time)).map(When::At)
        }
    }
}

/// What every rule of the grammar reads relative to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Anchor {
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    pub lean: Lean,
}

/// The parser's result before a wall time is placed in a time zone; this keeps the grammar
/// itself free of the `Tz` type parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Parsed {
    Date(NaiveDate),
    At(DateTime<Utc>),
    Local(NaiveDate, NaiveTime),
}

/// Words split on whitespace and commas ("dec 1, 2027"); an ISO date glued to its time with
/// `t` ("2026-12-01t15:30", already lowercased) becomes two tokens.
fn tokenize(lower: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    for word in lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        match word.split_once('t') {
            Some((date, time)) if iso_date(date).is_some() && !time.is_empty() => {
                tokens.push(date);
                tokens.push(time);
            }
            _ => tokens.push(word),
        }
    }
    tokens
}

fn parse_tokens(tokens: &[&str], anchor: &Anchor) -> Option<Parsed> {
    if tokens == ["now"] || tokens == ["right", "now"] {
        return Some(Parsed::At(anchor.now));
    }

    // A time first: "3pm", "at noon", or "3pm tomorrow", "noon on friday".
    let after_at = strip_word(tokens, "at");
    if let Some((time, used)) = parse_time(after_at) {
        let rest = &after_at[used..];
        if rest.is_empty() {
            return Some(Parsed::Local(anchor.today, time));
        }
        return match parse_date(rest, anchor)? {
            (Parsed::Date(day), n) if n == rest.len() => Some(Parsed::Local(day, time)),
            _ => None,
        };
    }

    // Otherwise a date, optionally followed by "[at] <time>".
    let (date, used) = parse_date(tokens, anchor)?;
    let rest = &tokens[used..];
    if rest.is_empty() {
        return Some(date);
    }
    // "in 2 hours at 3pm" contradicts itself: only a calendar date can take a time.
    let Parsed::Date(day) = date else {
        return None;
    };
    let rest = strip_word(rest, "at");
    let (time, used) = parse_time(rest)?;
    (used == rest.len()).then_some(Parsed::Local(day, time))
}

/// `tokens` without a leading `word`, if it has one.
fn strip_word<'a, 'b>(tokens: &'a [&'b str], word: &str) -> &'a [&'b str] {
    match tokens {
        [first, rest @ ..] if *first == word => rest,
        _ => tokens,
    }
}

/// A date expression at the start of `tokens`, and how many tokens it used.
fn parse_date(tokens: &[&str], anchor: &Anchor) -> Option<(Parsed, usize)> {
    // "on friday", "on dec 1": a filler word.
    let skipped = usize::from(tokens.first() == Some(&"on"));
    let tokens = &tokens[skipped..];
    let today = anchor.today;
    let as_date = |found: Option<(NaiveDate, usize)>| found.map(|(d, n)| (Parsed::Date(d), n));
    as_date(iso_date(tokens.first()?).map(|d| (d, 1)))
        .or_else(|| as_date(named_day(tokens, today)))
        .or_else(|| relative_offset(tokens, today, anchor.now))
        .or_else(|| as_date(weekday_rule(tokens, today, anchor.lean)))
        .or_else(|| as_date(named_span(tokens, today)))
        .or_else(|| as_date(month_day(tokens, today, anchor.lean)))
        .map(|(p, n)| (p, n + skipped))
}

/// `YYYY-MM-DD` (month and day may be one digit), validated against the calendar.
fn iso_date(token: &str) -> Option<NaiveDate> {
    let mut parts = token.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(number(y)?).ok()?, number(m)?, number(d)?)
}

/// Only ASCII digits (so no sign, unlike `str::parse`), and it must fit in a `u32`.
pub(super) fn number(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn named_day(tokens: &[&str], today: NaiveDate) -> Option<(NaiveDate, usize)> {
    let day = match *tokens.first()? {
        "today" => today,
        "tomorrow" | "tmrw" => today.succ_opt()?,
        "yesterday" => today.pred_opt()?,
        _ => return None,
    };
    Some((day, 1))
}
