//! The operations both faces of kith perform: the CLI commands and the interactive mode call
//! these same functions, so logging a call or completing a follow-up means one thing. Each is
//! one transaction on the store; parsing what the user typed stays with each face.

use chrono::{DateTime, Local, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::clock::Clock;
use crate::dates::When;
use crate::error::{Error, Result};
use crate::model::{Completion, NewInteraction, NewReminder};
use crate::model::{ContactFields, Due, normalize_tag};
use crate::store::{Store, contacts, tags};
use crate::store::{interactions, reminders};

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

/// Parse a date the user typed, relative to `clock`; the error names `field`.
pub fn parse_when(clock: Clock, field: &str, input: &str) -> Result<When> {
    crate::dates::parse_when(input, &clock.local()).map_err(|_| {
        let reason = crate::model::impossible_iso_date(input)
            .unwrap_or_else(|| "try 2026-12-01, tomorrow, in 3 days, next friday, 3pm".into());
        Error::invalid(field, input, reason)
    })
}

/// A follow-up to add together with an interaction.
#[derive(Debug, Clone)]
pub struct FollowUpSpec {
    pub due: Due,
    pub text: String,
}

/// Log an interaction, and optionally a follow-up about its first participant, in one
/// transaction. Returns the interaction's id and the follow-up's.
pub fn log_interaction(
    store: &mut Store,
    new: &NewInteraction,
    follow_up: Option<&FollowUpSpec>,
    now: DateTime<Utc>,
) -> Result<(i64, Option<i64>)> {
    store.write(|tx| {
        let id = interactions::insert(tx, new, now)?;
        let reminder = match follow_up {
            Some(spec) => Some(reminders::insert(
                tx,
                &NewReminder {
                    contact_id: new.participants.first().copied(),
                    organization_id: None,
                    text: spec.text.clone(),
                    due: spec.due,
                    recurrence: None,
                    interaction_id: Some(id),
                },
                now,
            )?),
            None => None,
        };
        Ok((id, reminder))
    })
}

/// Add a follow-up.
pub fn add_follow_up(store: &mut Store, new: &NewReminder, now: DateTime<Utc>) -> Result<i64> {
    store.write(|tx| reminders::insert(tx, new, now))
}

/// What it takes to take back a completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionUndo {
    pub reminder_id: i64,
    pub due: Due,
    pub snoozed_until: Option<Due>,
    /// What a recurring one counted from before it moved on.
    pub recur_anchor: Option<Due>,
}

/// Complete a follow-up (a recurring one moves to its next date).
pub fn complete_follow_up(
    store: &mut Store,
    id: i64,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<(Completion, CompletionUndo)> {
    store.write(|tx| {
        let before = reminders::get(tx, id)?;
        let recur_anchor = reminders::recur_anchor(tx, id)?;
        let completion = reminders::complete(tx, id, now, today)?;
        Ok((
            completion,
            CompletionUndo {
                reminder_id: id,
                due: before.due,
                snoozed_until: before.snoozed_until,
                recur_anchor,
            },
        ))
    })
}

/// Take back a completion: the follow-up is open again, due as it was.
pub fn undo_completion(store: &mut Store, undo: &CompletionUndo, now: DateTime<Utc>) -> Result<()> {
    store.write(|tx| {
        reminders::reopen(
            tx,
            undo.reminder_id,
            undo.due,
            undo.snoozed_until,
            undo.recur_anchor,
            now,
        )
    })
}

/// Put a follow-up off until `until`.
pub fn snooze_follow_up(store: &mut Store, id: i64, until: Due, now: DateTime<Utc>) -> Result<()> {
    store.write(|tx| reminders::snooze(tx, id, until, now))
}

/// Archive (`archived = true`) or restore a contact.
pub fn set_contact_archived(
    store: &mut Store,
    id: i64,
    archived: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    store.write(|tx| contacts::set_archived(tx, id, archived.then_some(now), now))
}

/// Add and remove tags on a contact; returns its tags afterwards, sorted. Tags are normalised
/// here, so both faces accept "+Client" and "client" alike.
pub fn change_contact_tags(
    store: &mut Store,
    id: i64,
    add: &[String],
    remove: &[String],
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    let add = add
        .iter()
        .map(|t| normalize_tag(t))
        .collect::<Result<Vec<_>>>()?;
    let remove = remove
        .iter()
        .map(|t| normalize_tag(t))
        .collect::<Result<Vec<_>>>()?;
    store.write(|tx| {
        let mut current = contacts::get(tx, id)?.fields.tags;
        current.retain(|t| !remove.contains(t));
        for t in add {
            if !current.contains(&t) {
                current.push(t);
            }
        }
        current.sort();
        tags::set_contact_tags(tx, id, &current)?;
        contacts::touch(tx, id, now)?;
        Ok(current)
    })
}

/// Validate and add a contact; returns its id.
pub fn add_contact(
    store: &mut Store,
    mut fields: ContactFields,
    now: DateTime<Utc>,
) -> Result<i64> {
    fields.validate()?;
    store.write(|tx| contacts::insert(tx, &fields, now))
}

/// Validate and replace a contact's editable fields.
pub fn update_contact(
    store: &mut Store,
    id: i64,
    mut fields: ContactFields,
    now: DateTime<Utc>,
) -> Result<()> {
    fields.validate()?;
    store.write(|tx| contacts::update(tx, id, &fields, now))
}

/// Split "in 2 weeks: send proposal" into a follow-up's date and its text.
pub fn parse_follow_up(clock: Clock, spec: &str) -> Result<FollowUpSpec> {
    let Some((when, text)) = spec.split_once(':') else {
        return Err(Error::invalid(
            "follow-up",
            spec,
            "expected \"WHEN: TEXT\", e.g. \"in 2 weeks: send proposal\"",
        ));
    };
    let due = parse_when(clock, "follow-up date", when.trim())?;
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid("follow-up", spec, "says when but not what"));
    }
    Ok(FollowUpSpec {
        due: Due::from(due),
        text: text.to_string(),
    })
}
