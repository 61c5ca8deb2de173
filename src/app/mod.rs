//! The application layer: the one door for every change to the book. The CLI and the
//! interactive mode turn argv or keys into one of these typed inputs, call one function, and
//! turn its typed result into text or a screen; every rule that decides whether a change is
//! allowed and what it means lives here, once. Each change is one transaction on the store
//! (the only place that opens one: the store's write functions take the
//! [`crate::store::WriteTx`] that [`crate::store::Store::write`] hands out).
//!
//! Inputs carry what the user typed where a rule's message must quote it (a date such as
//! "yesterday"); each input's `check` runs the rules that need no store, so a face may call
//! it before opening the book, and the change function runs it again.
//!
//! - [`contacts`]: add, edit (fields and yearly dates), archive, restore, purge, tags.
//! - [`organizations`]: add, edit, archive, restore, purge.
//! - [`interactions`]: log an interaction, with a follow-up.
//! - [`follow_ups`]: add, edit, delete, complete (and log it), snooze, take a completion back.
//! - [`links`]: link and unlink two contacts (directions kept, no immediate loops).
//! - [`membership`]: which organization a person joins (`--org`, `--new-org`, an email's domain).
//! - [`cadences`]: a tag's keep-in-touch cadence.
//! - [`merge`]: fold one contact into another.
//! - [`import`]: an import, all or nothing.
//! - [`views`]: one builder per view (the contact brief, the organization brief, the agenda),
//!   returning structured data that `output` and `tui` render alike.

pub mod cadences;
pub mod capture;
pub mod contacts;
pub mod follow_ups;
pub mod import;
pub mod interactions;
pub mod links;
pub mod membership;
pub mod merge;
pub mod organizations;
pub mod sync;
pub mod views;

use chrono::{DateTime, Local, NaiveTime, TimeZone, Utc};

use crate::clock::Clock;
use crate::dates::{Lean, When};
use crate::error::{Error, Result};

/// The instant a user meant by a date: a day alone means noon that day (today means now).
pub fn instant(clock: Clock, when: When) -> DateTime<Utc> {
    match when {
        When::At(t) => t,
        When::Date(d) if d == clock.today() => clock.now,
        When::Date(d) => Local
            .from_local_datetime(&d.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default()))
            .earliest()
            .map_or(clock.now, |t| t.with_timezone(&Utc)),
    }
}

/// Parse a date the user typed, relative to `clock`, leaning to the past for what happened
/// and to the future for what is due; the error names `field`.
pub fn parse_when(clock: Clock, field: &str, input: &str, lean: Lean) -> Result<When> {
    crate::dates::parse_when(input, &clock.local(), lean).map_err(|_| {
        // The examples lean the way the field does: a time that happened, or one to come.
        let examples = match lean {
            Lean::Past => "try 2026-12-01, yesterday, 3 days ago, last friday, 3pm",
            Lean::Future => "try 2026-12-01, tomorrow, in 3 days, next friday, 3pm",
        };
        // "2026-02-30" or "30 feb": which day does not exist, and why.
        let reason = crate::model::impossible_iso_date(input)
            .or_else(|| {
                let (year, month, day) = crate::dates::named_month_day(input)?;
                crate::model::no_such_day(year, month, day)
            })
            .unwrap_or_else(|| examples.into());
        Error::invalid(field, input, reason)
    })
}

/// A text that must say something: trimmed, or an error naming `field`.
pub(crate) fn required(field: &str, raw: &str) -> Result<String> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(Error::invalid(field, raw, "is empty"));
    }
    Ok(text.to_string())
}
