//! The properties of one VEVENT that capture keeps, read from calcard's component: UID,
//! SEQUENCE, STATUS, SUMMARY, LOCATION, ORGANIZER and ATTENDEEs (address, display name,
//! PARTSTAT), and its date values as [`When`]s.

use calcard::common::timezone::Tz;
use calcard::common::{DateTimeResult, PartialDateTime};
use calcard::icalendar::timezone::TzResolver;
use calcard::icalendar::{
    ICalendarComponent, ICalendarEntry, ICalendarParameterName, ICalendarParameterValue,
    ICalendarParticipationStatus, ICalendarProperty, ICalendarStatus, ICalendarUserTypes,
    ICalendarValue, Uri,
};
use chrono::{DateTime, FixedOffset, TimeZone, Utc};

use super::When;

/// Someone an event names: their calendar address (the `mailto:` taken off) and the name
/// the file gives them (CN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub address: String,
    pub name: Option<String>,
}

/// How an attendee answered (PARTSTAT; needs-action when the file does not say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartStat {
    NeedsAction,
    Accepted,
    Declined,
    Tentative,
    Delegated,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub person: Person,
    pub status: PartStat,
}

/// The first value of property `name`.
fn value<'c>(
    event: &'c ICalendarComponent,
    name: &ICalendarProperty,
) -> Option<&'c ICalendarValue> {
    event.property(name).and_then(|e| e.values.first())
}

/// A text property, trimmed; `None` when absent or blank.
pub(super) fn text(event: &ICalendarComponent, name: &ICalendarProperty) -> Option<String> {
    let entry = event.property(name)?;
    // A TEXT value with commas may come back as several values: put them back together.
    let joined = entry
        .values
        .iter()
        .filter_map(ICalendarValue::as_text)
        .collect::<Vec<_>>()
        .join(",");
    let trimmed = joined.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

pub(super) fn uid(event: &ICalendarComponent) -> Option<String> {
    text(event, &ICalendarProperty::Uid)
}

pub(super) fn summary(event: &ICalendarComponent) -> Option<String> {
    text(event, &ICalendarProperty::Summary)
}

pub(super) fn location(event: &ICalendarComponent) -> Option<String> {
    text(event, &ICalendarProperty::Location)
}

pub(super) fn sequence(event: &ICalendarComponent) -> i64 {
    value(event, &ICalendarProperty::Sequence)
        .and_then(ICalendarValue::as_integer)
        .unwrap_or(0)
}

pub(super) fn is_cancelled(event: &ICalendarComponent) -> bool {
    matches!(
        value(event, &ICalendarProperty::Status),
        Some(ICalendarValue::Status(ICalendarStatus::Cancelled))
    )
}

pub(super) fn organizer(event: &ICalendarComponent) -> Option<Person> {
    person(event.property(&ICalendarProperty::Organizer)?)
}

pub(super) fn attendees(event: &ICalendarComponent) -> Vec<Attendee> {
    event
        .properties(&ICalendarProperty::Attendee)
        .filter(|entry| {
            !matches!(
                entry.parameter(&ICalendarParameterName::Cutype),
                Some(ICalendarParameterValue::Cutype(
                    ICalendarUserTypes::Room | ICalendarUserTypes::Resource
                ))
            )
        })
        .filter_map(|entry| {
            Some(Attendee {
                person: person(entry)?,
                status: part_stat(entry),
            })
        })
        .collect()
}

fn part_stat(entry: &ICalendarEntry) -> PartStat {
    use ICalendarParticipationStatus as P;
    match entry.parameter(&ICalendarParameterName::Partstat) {
        None => PartStat::NeedsAction,
        Some(ICalendarParameterValue::Partstat(status)) => match status {
            P::NeedsAction => PartStat::NeedsAction,
            P::Accepted => PartStat::Accepted,
            P::Declined => PartStat::Declined,
            P::Tentative => PartStat::Tentative,
            P::Delegated => PartStat::Delegated,
            _ => PartStat::Other,
        },
        Some(_) => PartStat::Other,
    }
}

/// The person of an ORGANIZER or ATTENDEE: a `mailto:` address, or, when the value is
/// another kind of address (Apple's `urn:uuid:`), the EMAIL parameter. `None` without one.
fn person(entry: &ICalendarEntry) -> Option<Person> {
    let raw = entry.values.first().and_then(|v| match v {
        ICalendarValue::Uri(Uri::Location(s)) | ICalendarValue::Text(s) => Some(s.as_str()),
        _ => None,
    });
    let from_value = raw
        .map(|v| calcard::icalendar::utils::strip_mailto_scheme(v.trim()).trim())
        .filter(|a| is_address(a));
    let address = from_value.or_else(|| {
        entry
            .parameter(&ICalendarParameterName::Email)
            .and_then(ICalendarParameterValue::as_text)
            .map(|a| calcard::icalendar::utils::strip_mailto_scheme(a.trim()).trim())
            .filter(|a| is_address(a))
    })?;
    let name = entry
        .parameter(&ICalendarParameterName::Cn)
        .and_then(ICalendarParameterValue::as_text)
        .map(|n| n.trim().trim_matches('"').trim())
        .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(address))
        .map(str::to_string);
    Some(Person {
        // No address holds white space: any is left by a writer that folded lines with
        // two spaces (the reader takes off one).
        address: address.split_whitespace().collect(),
        name,
    })
}

fn is_address(text: &str) -> bool {
    matches!(text.split_once('@'), Some((local, domain)) if !local.is_empty() && !domain.is_empty())
}

/// A DATE or DATE-TIME value as a [`When`]: UTC and offset times as instants, a local time
/// in the zone its TZID names (through `zones`), one without a zone floating.
pub(super) fn when(
    value: &PartialDateTime,
    tzid: Option<&str>,
    zones: &TzResolver<&str>,
) -> Option<When> {
    let parsed = value.to_date_time()?;
    if !value.has_time() {
        return Some(When::Date(parsed.date_time.date()));
    }
    if parsed.offset.is_some() {
        return parsed
            .to_date_time_with_tz(Tz::UTC)
            .map(|t| When::At(t.with_timezone(&Utc)));
    }
    let zone = zones.resolve_or_default(tzid);
    if zone.is_floating() {
        return Some(When::Floating(parsed.date_time));
    }
    zone.from_local_datetime(&parsed.date_time)
        .earliest()
        .map(|t| When::At(t.with_timezone(&Utc)))
}

/// How a series' DTSTART places its instances in time.
#[derive(Debug, Clone, Copy)]
pub(super) enum StartKind {
    Date,
    /// A UTC or offset time: calcard expands it as a floating one, in that offset.
    Offset(FixedOffset),
    /// A time in a zone, or floating: calcard's instance says which.
    Zoned,
}

impl StartKind {
    pub(super) fn of(start: &PartialDateTime) -> StartKind {
        match start.to_date_time() {
            _ if !start.has_time() => StartKind::Date,
            Some(DateTimeResult {
                offset: Some(offset),
                ..
            }) => StartKind::Offset(offset),
            _ => StartKind::Zoned,
        }
    }
}

/// An instant calcard expanded, as a [`When`] of the same kind as the series' DTSTART.
pub(super) fn when_of_instance(start: &DateTime<Tz>, kind: StartKind) -> When {
    match kind {
        StartKind::Date => When::Date(start.naive_local().date()),
        StartKind::Offset(offset) if start.timezone().is_floating() => offset
            .from_local_datetime(&start.naive_local())
            .single()
            .map_or(When::Floating(start.naive_local()), |t| {
                When::At(t.with_timezone(&Utc))
            }),
        _ if start.timezone().is_floating() => When::Floating(start.naive_local()),
        _ => When::At(start.with_timezone(&Utc)),
    }
}

/// The first date value of property `name` and its TZID.
pub(super) fn date_value<'c>(
    event: &'c ICalendarComponent,
    name: &ICalendarProperty,
) -> Option<(&'c PartialDateTime, Option<&'c str>)> {
    let entry = event.property(name)?;
    let value = entry.values.first()?.as_partial_date_time()?;
    Some((value, entry.tz_id()))
}

/// Every date value of every `name` property (EXDATE, RDATE; the start of an RDATE period).
pub(super) fn date_values<'c>(
    event: &'c ICalendarComponent,
    name: &'c ICalendarProperty,
) -> Vec<(&'c PartialDateTime, Option<&'c str>)> {
    use calcard::icalendar::ICalendarPeriod;
    let mut out = Vec::new();
    for entry in event.properties(name) {
        for value in &entry.values {
            let date = match value {
                ICalendarValue::PartialDateTime(d) => d.as_ref(),
                ICalendarValue::Period(ICalendarPeriod::Range { start, .. }) => start,
                ICalendarValue::Period(ICalendarPeriod::Duration { start, .. }) => start,
                _ => continue,
            };
            out.push((date, entry.tz_id()));
        }
    }
    out
}

/// The raw text of property `name`'s first value, for messages.
pub(super) fn raw(event: &ICalendarComponent, name: &ICalendarProperty) -> Option<String> {
    let value = value(event, name)?;
    value
        .as_text()
        .map(str::to_string)
        .or_else(|| value.clone().into_text().map(|t| t.into_owned()))
}
