//! A `contact_touches` row read as [`Touch`]es: the records kith writes byte by byte (a
//! health pass reads ~150k), compact ones (migration 0018) first, any other shape the
//! forgiving way.

use super::super::contact_touches::{self, StoredAt};
use super::super::parse_ts;
use crate::error::Result;
use crate::health::Touch;
use crate::model::{Channel, Direction};

/// The interactions of one `contact_touches` row appended to `out`, oldest first (those at
/// the same moment in interaction order, as stored). The records kith writes are read byte
/// by byte here; from the first of any other shape on, the rest go through
/// [`contact_touches::each`], which reads them all.
pub(super) fn read_touches(stored: &[u8], out: &mut Vec<Touch>) -> Result<()> {
    let start = out.len();
    // A touch takes 26 bytes at least (a time, two separators and a one-letter channel... in
    // practice 30-40): room for them all at once, never grown one by one.
    out.reserve(stored.len() / 26);
    let mut rest = stored;
    while !rest.is_empty() {
        if let Some((at, channel, direction, used)) = contact_touches::compact(rest) {
            out.push(Touch {
                at,
                channel,
                direction,
            });
            rest = rest.get(used..).unwrap_or_default();
            continue;
        }
        if let Some((touch, after)) = usual_touch(rest) {
            out.push(touch);
            rest = after;
            continue;
        }
        // What was read so far is ASCII: the rest is checked to be text here.
        let unusual = std::str::from_utf8(rest).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
        })?;
        for touch in contact_touches::each(unusual) {
            let (at, channel, direction) = touch?;
            let at = match at {
                StoredAt::Secs(secs) => secs,
                StoredAt::Text(at) => match plain_utc_secs(at.as_bytes()) {
                    Some(t) => t,
                    None => parse_ts(at)?.timestamp(),
                },
            };
            out.push(Touch {
                at,
                channel: stored_channel(channel),
                direction: direction.and_then(Direction::parse),
            });
        }
        break;
    }
    sort_by_time(&mut out[start..]);
    Ok(())
}

/// A stable sort by time: a person's few touches by insertion (the library's stable sort
/// costs more than the sorting for a handful), many by the library.
fn sort_by_time(touches: &mut [Touch]) {
    if touches.is_sorted_by_key(|t| t.at) {
        return;
    }
    if touches.len() > 32 {
        touches.sort_by_key(|t| t.at);
        return;
    }
    for i in 1..touches.len() {
        let mut j = i;
        while j > 0 && touches[j - 1].at > touches[j].at {
            touches.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// A record as kith writes it (a UTC time to the second, a channel kith knows, a direction
/// or none) and what follows it; None for any other shape.
#[inline]
fn usual_touch(b: &[u8]) -> Option<(Touch, &[u8])> {
    const FIELD: u8 = contact_touches::FIELD as u8;
    if b.get(20) != Some(&FIELD) {
        return None;
    }
    let at = plain_utc_secs(b.get(..20)?)?;
    let (channel, direction, used) = contact_touches::usual_channel_and_direction(b.get(21..)?)?;
    Some((
        Touch {
            at,
            channel,
            direction,
        },
        b.get(21 + used..)?,
    ))
}

/// A channel as kith stores it; anything else is read the forgiving way.
pub(super) fn stored_channel(s: &str) -> Channel {
    match s {
        "call" => Channel::Call,
        "email" => Channel::Email,
        "meeting" => Channel::Meeting,
        "video" => Channel::Video,
        "message" => Channel::Message,
        "social" => Channel::Social,
        "letter" => Channel::Letter,
        "note" => Channel::Note,
        "other" => Channel::Other,
        _ => s.parse().unwrap_or(Channel::Other),
    }
}

/// UTC seconds of a stored time: `YYYY-MM-DDTHH:MM:SSZ` read directly, else by chrono.
pub(super) fn secs(s: &str) -> Result<i64> {
    if let Some(t) = plain_utc_secs(s.as_bytes()) {
        return Ok(t);
    }
    Ok(parse_ts(s)?.timestamp())
}

/// `YYYY-MM-DDTHH:MM:SSZ` as UTC seconds, None for any other shape (a health pass reads
/// ~150k): read eight bytes at a time, the separators compared and the digits checked all
/// at once (each lane less '0' must be 0 to 9), and the day counted in unsigned arithmetic.
#[inline]
pub(super) fn plain_utc_secs(b: &[u8]) -> Option<i64> {
    // One in each lane that holds a digit: `YYYY-MM-`, `DDTHH:MM`, `:SSZ`.
    const DIGITS_A: u64 = 0x0001_0100_0101_0101;
    const DIGITS_B: u64 = 0x0101_0001_0100_0101;
    const DIGITS_C: u64 = 0x0000_0000_0001_0100;
    // The separators where they stand (little-endian: the first byte is the lowest).
    const SEPS_A: u64 = 0x2d00_002d_0000_0000; // '-' at 4 and 7
    const SEPS_B: u64 = 0x0000_3a00_0054_0000; // 'T' at 2, ':' at 5
    const SEPS_C: u64 = 0x0000_0000_5a00_003a; // ':' at 0, 'Z' at 3
    let b: &[u8; 20] = b.try_into().ok()?;
    let a = u64::from_le_bytes(*b.first_chunk::<8>()?);
    let m = u64::from_le_bytes(*b[8..].first_chunk::<8>()?);
    let c = u64::from(u32::from_le_bytes(*b.last_chunk::<4>()?));
    // Digits less '0' in their lanes, zero elsewhere.
    let digits = |w: u64, lanes: u64| (w ^ (lanes * 0x30)) & (lanes * 0xff);
    let (da, dm, dc) = (
        digits(a, DIGITS_A),
        digits(m, DIGITS_B),
        digits(c, DIGITS_C),
    );
    // Whatever is not a digit lane must be the separator there.
    let seps = ((a & !(DIGITS_A * 0xff)) ^ SEPS_A)
        | ((m & !(DIGITS_B * 0xff)) ^ SEPS_B)
        | ((c & !(DIGITS_C * 0xff)) ^ SEPS_C);
    // A lane is 0 to 9 when its high half is clear and adding 6 does not reach 16.
    let over = |d: u64, lanes: u64| (d & (lanes * 0xf0)) | ((d + lanes * 6) & (lanes * 0x10));
    if seps | over(da, DIGITS_A) | over(dm, DIGITS_B) | over(dc, DIGITS_C) != 0 {
        return None;
    }
    let lane = |w: u64, i: u32| (w >> (8 * i)) as u32 & 0xff;
    let y = lane(da, 0) * 1000 + lane(da, 1) * 100 + lane(da, 2) * 10 + lane(da, 3);
    let (mo, d) = (
        lane(da, 5) * 10 + lane(da, 6),
        lane(dm, 0) * 10 + lane(dm, 1),
    );
    let (hh, mm) = (
        lane(dm, 3) * 10 + lane(dm, 4),
        lane(dm, 6) * 10 + lane(dm, 7),
    );
    let ss = lane(dc, 1) * 10 + lane(dc, 2);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + i64::from(hh * 3600 + mm * 60 + ss))
}

/// Days since 1970-01-01 of a proleptic Gregorian date of the years 0 to 9999 (Howard
/// Hinnant's algorithm, counted from 400 years earlier so that it stays unsigned).
#[inline]
fn days_from_civil(y: u32, m: u32, d: u32) -> i64 {
    // Years from March, 400 years on: the same days of the 400-year cycle.
    let y = if m <= 2 { y + 399 } else { y + 400 };
    let era = y / 400;
    let yoe = y % 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i64::from(era) * 146_097 + i64::from(doe) - 719_468 - 146_097
}
