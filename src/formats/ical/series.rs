//! The occurrences of one calendar, event by event (UID by UID): the master VEVENT's slots
//! (DTSTART, RRULE instances through calcard, RDATEs, less EXDATEs), each replaced by the
//! override whose RECURRENCE-ID names it; overrides without a slot stand alone.
//!
//! calcard's `ICalendar::expand_dates` is used for one thing only, the master's DTSTART and
//! RRULE instances, on a calendar holding just that master (stripped of RDATE, EXDATE and
//! RECURRENCE-ID) and the file's VTIMEZONEs: over a whole file it would pair overrides
//! with slots of other UIDs and only when their SEQUENCEs are equal, and leave RDATE
//! instances un-overridden.

use std::collections::HashMap;

use calcard::common::timezone::Tz as CalTz;
use calcard::icalendar::timezone::TzResolver;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarMethod, ICalendarProperty,
    ICalendarValue,
};
use chrono::{DateTime, TimeZone, Utc};

use super::{Calendar, Cancelled, Occurrence, OccurrenceKey, SkippedEvent, When, props};

/// How many instances one series may have before "now" (a FREQ=MINUTELY rule over
/// years is no meeting); the event is skipped past that, and said so.
const MAX_INSTANCES: usize = 100_000;

/// One VEVENT of a series.
struct Part<'c> {
    event: &'c ICalendarComponent,
    line: Option<usize>,
    sequence: i64,
    /// Its position in the file: among equal SEQUENCEs the later one wins.
    index: usize,
}

/// What the whole calendar says about every event in it.
struct Context<'a, Tz: TimeZone> {
    zones: TzResolver<&'a str>,
    /// The file's VTIMEZONEs, and in the last place the master being expanded.
    scratch: ICalendar,
    /// METHOD:CANCEL: every event in it is cancelled.
    cancel_all: bool,
    now: DateTime<Utc>,
    local: &'a Tz,
}

/// Read every event of `calendar` into `out`. `lines` gives the line of each VEVENT in order.
pub(super) fn read_calendar<Tz: TimeZone>(
    calendar: &ICalendar,
    lines: Option<&[usize]>,
    now: DateTime<Utc>,
    local: &Tz,
    out: &mut Calendar,
) {
    let mut context = Context {
        zones: calendar.build_tz_resolver(),
        scratch: ICalendar {
            components: calendar.timezones().cloned().collect(),
        },
        cancel_all: calendar.components.first().is_some_and(|root| {
            matches!(
                root.property(&ICalendarProperty::Method)
                    .and_then(|m| m.values.first()),
                Some(ICalendarValue::Method(ICalendarMethod::Cancel))
            )
        }),
        now,
        local,
    };
    for (uid, parts) in by_uid(calendar, lines) {
        read_series(&mut context, &uid, parts, out);
    }
}

/// The VEVENTs of `calendar` grouped by UID, in the order UIDs first appear. An event
/// without a UID gets one from its start and summary, so a second run finds it again.
fn by_uid<'c>(calendar: &'c ICalendar, lines: Option<&[usize]>) -> Vec<(String, Vec<Part<'c>>)> {
    let mut groups: Vec<(String, Vec<Part<'c>>)> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    let events = calendar
        .components
        .iter()
        .filter(|c| c.component_type == ICalendarComponentType::VEvent);
    for (index, event) in events.enumerate() {
        let uid = props::uid(event).unwrap_or_else(|| {
            let start = props::raw(event, &ICalendarProperty::Dtstart).unwrap_or_default();
            let summary = props::summary(event).unwrap_or_default();
            format!(
                "no-uid-{}",
                crate::formats::content_uid(format!("{start}\n{summary}").as_bytes())
            )
        });
        let part = Part {
            event,
            line: lines.and_then(|l| l.get(index).copied()),
            sequence: props::sequence(event),
            index,
        };
        let slot = *index_of.entry(uid.clone()).or_insert_with(|| {
            groups.push((uid, Vec::new()));
            groups.len() - 1
        });
        groups[slot].1.push(part);
    }
    groups
}

/// An override: the VEVENT and the slot its RECURRENCE-ID names.
struct Override<'c> {
    part: Part<'c>,
    slot: When,
    used: bool,
}

fn read_series<Tz: TimeZone>(
    context: &mut Context<'_, Tz>,
    uid: &str,
    parts: Vec<Part<'_>>,
    out: &mut Calendar,
) {
    let (mut masters, changed): (Vec<_>, Vec<_>) = parts
        .into_iter()
        .partition(|p| !p.event.has_property(&ICalendarProperty::RecurrenceId));
    // The same event written twice (two versions in one export): the newest counts.
    masters.sort_by_key(|p| (p.sequence, p.index));
    let master = masters.pop();
    let master_tzid = master
        .as_ref()
        .and_then(|m| props::date_value(m.event, &ICalendarProperty::Dtstart))
        .and_then(|(_, tzid)| tzid);
    let mut overrides = overrides(context, uid, changed, master_tzid, out);
    let series_cancelled = context.cancel_all
        || master
            .as_ref()
            .is_some_and(|m| props::is_cancelled(m.event));

    if let Some(master) = master {
        match slots(context, master.event) {
            Ok(series) => {
                for (slot, removed) in series.slots {
                    let key = OccurrenceKey {
                        uid: uid.to_string(),
                        recurrence_id: series.recurring.then(|| slot.key_text()),
                    };
                    let found = overrides
                        .iter_mut()
                        .find(|o| !o.used && same_slot(&o.slot, &slot, context.local));
                    if let Some(changed) = found {
                        changed.used = true;
                        let start = override_start(context, changed);
                        emit(context, &changed.part, key, start, series_cancelled, out);
                    } else if removed {
                        out.cancelled.push(Cancelled {
                            key,
                            sequence: master.sequence,
                        });
                    } else {
                        emit(context, &master, key, slot, series_cancelled, out);
                    }
                }
            }
            Err(reason) => out.skipped.push(skipped(uid, &master, reason)),
        }
    }
    // Overrides of slots the series does not have (or of a series not in the file).
    for changed in overrides.iter().filter(|o| !o.used) {
        let key = OccurrenceKey {
            uid: uid.to_string(),
            recurrence_id: Some(changed.slot.key_text()),
        };
        let start = override_start(context, changed);
        emit(context, &changed.part, key, start, series_cancelled, out);
    }
}

/// The overrides of a series with the slot each names; one whose RECURRENCE-ID cannot be
/// read is skipped. Two for the same slot: the newest counts.
fn overrides<'c, Tz: TimeZone>(
    context: &Context<'_, Tz>,
    uid: &str,
    changed: Vec<Part<'c>>,
    master_tzid: Option<&str>,
    out: &mut Calendar,
) -> Vec<Override<'c>> {
    let mut found: Vec<Override<'c>> = Vec::new();
    for part in changed {
        let slot = props::date_value(part.event, &ICalendarProperty::RecurrenceId)
            .and_then(|(value, tzid)| props::when(value, tzid.or(master_tzid), &context.zones));
        let Some(slot) = slot else {
            let raw = props::raw(part.event, &ICalendarProperty::RecurrenceId).unwrap_or_default();
            let reason = format!("RECURRENCE-ID \"{raw}\" is not a date or a date-time");
            out.skipped.push(skipped(uid, &part, reason));
            continue;
        };
        match found.iter_mut().find(|o| o.slot == slot) {
            Some(existing)
                if (existing.part.sequence, existing.part.index) < (part.sequence, part.index) =>
            {
                existing.part = part;
            }
            Some(_) => {}
            None => found.push(Override {
                part,
                slot,
                used: false,
            }),
        }
    }
    found
}

/// Where an override is: its own DTSTART, or the slot it replaces when it has none.
fn override_start<Tz: TimeZone>(context: &Context<'_, Tz>, changed: &Override<'_>) -> When {
    props::date_value(changed.part.event, &ICalendarProperty::Dtstart)
        .and_then(|(value, tzid)| props::when(value, tzid, &context.zones))
        .unwrap_or(changed.slot)
}

/// Record the occurrence of `part` at `start` if it has happened: as an occurrence, or as
/// a cancellation when it (or its series) is cancelled.
fn emit<Tz: TimeZone>(
    context: &Context<'_, Tz>,
    part: &Part<'_>,
    key: OccurrenceKey,
    start: When,
    series_cancelled: bool,
    out: &mut Calendar,
) {
    if start.start(context.local) >= context.now {
        return;
    }
    let event = part.event;
    if series_cancelled || props::is_cancelled(event) {
        out.cancelled.push(Cancelled {
            key,
            sequence: part.sequence,
        });
        return;
    }
    out.occurrences.push(Occurrence {
        key,
        sequence: part.sequence,
        summary: props::summary(event),
        start,
        location: props::location(event),
        organizer: props::organizer(event),
        attendees: props::attendees(event),
        line: part.line,
    });
}

fn skipped(uid: &str, part: &Part<'_>, reason: String) -> SkippedEvent {
    SkippedEvent {
        line: part.line,
        uid: props::uid(part.event).map(|_| uid.to_string()),
        summary: props::summary(part.event),
        reason,
    }
}

/// The past slots of a master, each with whether an EXDATE removed it.
struct Slots {
    slots: Vec<(When, bool)>,
    /// RRULE or RDATE: its occurrences are keyed by RECURRENCE-ID.
    recurring: bool,
}

fn slots<Tz: TimeZone>(
    context: &mut Context<'_, Tz>,
    master: &ICalendarComponent,
) -> Result<Slots, String> {
    let Some((start, _)) = props::date_value(master, &ICalendarProperty::Dtstart) else {
        return Err(match props::raw(master, &ICalendarProperty::Dtstart) {
            Some(raw) => format!("DTSTART \"{raw}\" is not a date or a date-time"),
            None => "has no DTSTART".into(),
        });
    };
    let kind = props::StartKind::of(start);
    if let Some(rule) = master.property(&ICalendarProperty::Rrule) {
        let readable = matches!(
            rule.values.first(),
            Some(ICalendarValue::RecurrenceRule(r))
                if calcard::datecalc::rrule::RRule::from_floating_ical(r).is_some()
        );
        if !readable {
            let raw = props::raw(master, &ICalendarProperty::Rrule).unwrap_or_default();
            return Err(format!("RRULE \"{raw}\" cannot be read"));
        }
    }
    let rdates: Vec<When> = props::date_values(master, &ICalendarProperty::Rdate)
        .into_iter()
        .filter_map(|(value, tzid)| props::when(value, tzid, &context.zones))
        .collect();
    let recurring = master.has_property(&ICalendarProperty::Rrule) || !rdates.is_empty();
    let exdates: Vec<When> = props::date_values(master, &ICalendarProperty::Exdate)
        .into_iter()
        .filter_map(|(value, tzid)| props::when(value, tzid, &context.zones))
        .collect();

    let mut slots: Vec<When> = instances(context, master, kind)?;
    let now = context.now;
    let local = context.local;
    for rdate in rdates {
        if rdate.start(local) < now && !slots.iter().any(|s| same_slot(s, &rdate, local)) {
            slots.push(rdate);
        }
    }
    Ok(Slots {
        slots: slots
            .into_iter()
            .map(|slot| {
                let removed = exdates.iter().any(|x| same_slot(x, &slot, local));
                (slot, removed)
            })
            .collect(),
        recurring,
    })
}

/// The DTSTART and RRULE instances of `master` that start before now, through calcard.
fn instances<Tz: TimeZone>(
    context: &mut Context<'_, Tz>,
    master: &ICalendarComponent,
    kind: props::StartKind,
) -> Result<Vec<When>, String> {
    let mut alone = master.clone();
    alone.entries.retain(|e| {
        !matches!(
            e.name,
            ICalendarProperty::Rdate | ICalendarProperty::Exdate | ICalendarProperty::RecurrenceId
        )
    });
    alone.component_ids.clear();
    context.scratch.components.push(alone);
    let result = expand_before_now(context, kind);
    context.scratch.components.pop();
    result
}

fn expand_before_now<Tz: TimeZone>(
    context: &Context<'_, Tz>,
    kind: props::StartKind,
) -> Result<Vec<When>, String> {
    let is_past = |w: &When| w.start(context.local) < context.now;
    let mut limit = 1_000;
    loop {
        let expanded = context.scratch.expand_dates(CalTz::Floating, limit);
        if let Some(error) = expanded.errors.first() {
            return Err(error.error.to_string());
        }
        let starts: Vec<When> = expanded
            .events
            .iter()
            .map(|e| props::when_of_instance(&e.start, kind))
            .collect();
        // Cut short by the limit while still in the past: there may be more before now.
        if starts.len() >= limit && starts.iter().all(is_past) {
            if limit >= MAX_INSTANCES {
                return Err(format!("recurs more than {MAX_INSTANCES} times before now"));
            }
            limit *= 10;
            continue;
        }
        return Ok(starts.into_iter().filter(is_past).collect());
    }
}

/// Whether two values name the same slot: equal, or the same moment read in `local`, or a
/// date and a time on that date.
fn same_slot<Tz: TimeZone>(a: &When, b: &When, local: &Tz) -> bool {
    match (a, b) {
        (When::Date(x), When::Date(y)) => x == y,
        (When::Date(d), other) | (other, When::Date(d)) => {
            other.start(local).with_timezone(local).date_naive() == *d
        }
        _ => a == b || a.start(local) == b.start(local),
    }
}
