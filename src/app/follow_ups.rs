//! Follow-ups: adding one, changing it, deleting it, completing it (a recurring one moves
//! on; a completion may log what was done), snoozing it (never into the past, never before
//! it is due) and taking a completion back.

use chrono::{DateTime, Local, Utc};

use super::{parse_when, required};
use crate::clock::Clock;
use crate::dates::Lean;
use crate::error::{Error, Result};
use crate::model::{
    Channel, Completion, Due, NewInteraction, NewReminder, Period, RecurFrom, Reminder,
};
use crate::store::reminders::{self, ReminderEdit};
use crate::store::{Store, WriteTx, interactions};

/// What a follow-up is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Contact(i64),
    Organization(i64),
}

impl Subject {
    fn ids(self) -> (Option<i64>, Option<i64>) {
        match self {
            Subject::Contact(id) => (Some(id), None),
            Subject::Organization(id) => (None, Some(id)),
        }
    }
}

/// A follow-up typed as "WHEN: TEXT", read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpSpec {
    pub due: Due,
    pub text: String,
}

/// Split "in 2 weeks: send proposal" into a follow-up's date and its text.
pub fn parse_follow_up(clock: Clock, spec: &str) -> Result<FollowUpSpec> {
    let Some((when, text)) = crate::dates::split_spec(spec, &clock.local(), Lean::Future) else {
        return Err(Error::invalid(
            "follow-up",
            spec,
            "expected \"WHEN: TEXT\", e.g. \"in 2 weeks: send proposal\"",
        ));
    };
    let due = parse_when(clock, "follow-up date", when, Lean::Future)?;
    if text.is_empty() {
        return Err(Error::invalid("follow-up", spec, "says when but not what"));
    }
    Ok(FollowUpSpec {
        due: Due::from(due),
        text: text.to_string(),
    })
}

/// What a follow-up says it is for: it must say something.
pub fn text(raw: &str) -> Result<String> {
    required("follow-up text", raw)
}

/// `kith remind`, or the interactive mode's follow-up form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddFollowUp {
    pub about: Subject,
    pub text: String,
    pub due: Due,
    pub recurrence: Option<Period>,
    pub recur_from: RecurFrom,
}

impl AddFollowUp {
    pub fn check(&self) -> Result<()> {
        text(&self.text).map(drop)
    }
}

/// Add a follow-up; returns its id.
pub fn add(store: &mut Store, now: DateTime<Utc>, input: &AddFollowUp) -> Result<i64> {
    input.check()?;
    let (contact_id, organization_id) = input.about.ids();
    let new = NewReminder {
        contact_id,
        organization_id,
        text: text(&input.text)?,
        due: input.due,
        recurrence: input.recurrence,
        interaction_id: None,
    };
    store.write(|tx| {
        let id = reminders::insert(tx, &new, now)?;
        if input.recur_from == RecurFrom::Done {
            reminders::set_recur_from(tx, id, RecurFrom::Done)?;
        }
        Ok(id)
    })
}

/// `kith remind edit`: `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditFollowUp {
    pub id: i64,
    pub text: Option<String>,
    /// A new due date clears a snooze and becomes the new anchor.
    pub due: Option<Due>,
    /// `Some(None)` stops it repeating.
    pub recurrence: Option<Option<Period>>,
    pub recur_from: Option<RecurFrom>,
    pub about: Option<Subject>,
}

impl EditFollowUp {
    pub fn check(&self) -> Result<()> {
        if let Some(text) = &self.text {
            required("--text", text)?;
        }
        let nothing = self.text.is_none()
            && self.due.is_none()
            && self.recurrence.is_none()
            && self.recur_from.is_none()
            && self.about.is_none();
        if nothing {
            return Err(Error::invalid(
                "remind edit",
                &format!("#{}", self.id),
                "say what to change: --text, --due, --every, --no-repeat, --after-done, --about",
            ));
        }
        Ok(())
    }
}

/// Change a follow-up.
pub fn edit(store: &mut Store, now: DateTime<Utc>, input: &EditFollowUp) -> Result<()> {
    input.check()?;
    let (contact_id, organization_id) = input.about.map_or((None, None), Subject::ids);
    let change = ReminderEdit {
        text: input.text.as_deref().map(|t| t.trim().to_string()),
        due: input.due,
        recurrence: input.recurrence,
        recur_from: input.recur_from,
        contact_id,
        organization_id,
    };
    store.write(|tx| {
        reminders::get(tx, input.id)?;
        reminders::update(tx, input.id, &change, now)
    })
}

/// Delete a follow-up with its history; returns it as it was.
pub fn delete(store: &mut Store, id: i64) -> Result<Reminder> {
    store.write(|tx| {
        let reminder = reminders::get(tx, id)?;
        reminders::delete(tx, id)?;
        Ok(reminder)
    })
}

/// `kith done`, or the interactive mode's `d`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompleteFollowUp {
    pub id: i64,
    /// Also log what was done, as an interaction with the follow-up's contact.
    pub log: Option<(String, Channel)>,
}

impl CompleteFollowUp {
    pub fn check(&self) -> Result<()> {
        if let Some((summary, _)) = &self.log {
            required("--log", summary)?;
        }
        Ok(())
    }
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

/// What completing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completed {
    pub completion: Completion,
    pub undo: CompletionUndo,
    /// The interaction logged with it.
    pub interaction_id: Option<i64>,
}

/// An open follow-up, or the refusal to act on a done one.
fn open(tx: &WriteTx, id: i64) -> Result<Reminder> {
    let reminder = reminders::get(tx, id)?;
    if reminder.done_at.is_some() {
        return Err(Error::Conflict(format!("follow-up #{id} is already done")));
    }
    Ok(reminder)
}

/// Complete a follow-up (a recurring one moves to its next date).
pub fn complete(store: &mut Store, clock: Clock, input: &CompleteFollowUp) -> Result<Completed> {
    input.check()?;
    let (id, now) = (input.id, clock.now);
    store.write(|tx| {
        let before = open(tx, id)?;
        let interaction_id = match &input.log {
            Some((summary, channel)) => {
                // An organization's follow-up is logged as an interaction with the organization.
                let new = NewInteraction {
                    occurred_at: now,
                    channel: *channel,
                    direction: None,
                    summary: summary.trim().to_string(),
                    body: None,
                    participants: before.contact.iter().map(|c| c.id).collect(),
                    organization_id: match &before.contact {
                        Some(_) => None,
                        None => before.organization.as_ref().map(|o| o.id),
                    },
                };
                Some(interactions::insert(tx, &new, now)?)
            }
            None => None,
        };
        let recur_anchor = reminders::recur_anchor(tx, id)?;
        let completion = reminders::complete_linked(tx, id, now, clock.today(), interaction_id)?;
        Ok(Completed {
            completion,
            undo: CompletionUndo {
                reminder_id: id,
                due: before.due,
                snoozed_until: before.snoozed_until,
                recur_anchor,
            },
            interaction_id,
        })
    })
}

/// Take back a completion: the follow-up is open again, due as it was.
pub fn undo_completion(store: &mut Store, now: DateTime<Utc>, undo: &CompletionUndo) -> Result<()> {
    store.write(|tx| {
        reminders::get(tx, undo.reminder_id)?;
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

/// `kith snooze`, or the interactive mode's `s`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snooze {
    pub id: i64,
    /// Until when, as typed ("monday", "in 3 days").
    pub until: String,
}

/// The date a follow-up is snoozed until, typed as `raw`: never one already past.
pub fn snooze_until(clock: Clock, raw: &str) -> Result<Due> {
    let until = Due::from(parse_when(clock, "--until", raw, Lean::Future)?);
    let already_past = match until {
        Due::Day(d) => d < clock.today(),
        Due::At(t) => t <= clock.now,
    };
    if already_past {
        return Err(Error::invalid(
            "--until",
            raw,
            "is already past; snooze to a later time",
        ));
    }
    Ok(until)
}

/// Put a follow-up off; returns the date it now wakes on. Not before it is due: bringing
/// it forward is an edit of its due date.
pub fn snooze(store: &mut Store, clock: Clock, input: &Snooze) -> Result<Due> {
    let until = snooze_until(clock, &input.until)?;
    let id = input.id;
    store.write(|tx| {
        let current = open(tx, id)?;
        if until.local_day(&Local) < current.due.local_day(&Local) {
            return Err(Error::invalid(
                "--until",
                &input.until,
                format!(
                    "is before the follow-up is due ({}); to bring it forward use `kith remind edit {id} --due ...`",
                    current.due.display_local(&Local)
                ),
            ));
        }
        reminders::snooze(tx, id, until, clock.now)?;
        Ok(until)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock::fixed("2026-11-24T10:00:00Z".parse().unwrap())
    }

    #[test]
    fn snoozing_into_the_past_is_refused() {
        let err = snooze_until(clock(), "yesterday").unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid --until \"yesterday\": is already past; snooze to a later time"
        );
        assert!(snooze_until(clock(), "tomorrow").is_ok());
        assert!(snooze_until(clock(), "today").is_ok(), "today is not past");
    }

    #[test]
    fn a_follow_up_needs_text() {
        let input = AddFollowUp {
            about: Subject::Contact(1),
            text: "  ".into(),
            due: Due::Day(clock().today()),
            recurrence: None,
            recur_from: RecurFrom::Due,
        };
        let err = input.check().unwrap_err().to_string();
        assert!(
            err.contains("follow-up text") && err.contains("is empty"),
            "{err}"
        );
    }

    #[test]
    fn an_edit_must_change_something() {
        let err = EditFollowUp {
            id: 12,
            ..EditFollowUp::default()
        }
        .check()
        .unwrap_err()
        .to_string();
        assert!(err.contains("say what to change"), "{err}");
        let blank = EditFollowUp {
            id: 12,
            text: Some(" ".into()),
            ..EditFollowUp::default()
        };
        assert!(blank.check().unwrap_err().to_string().contains("is empty"));
    }

    #[test]
    fn a_completion_log_must_say_something() {
        let input = CompleteFollowUp {
            id: 1,
            log: Some((" ".into(), Channel::Call)),
        };
        assert!(input.check().unwrap_err().to_string().contains("--log"));
    }

    #[test]
    fn follow_up_specs_say_when_and_what() {
        let spec = parse_follow_up(clock(), "in 2 weeks: send proposal").unwrap();
        assert_eq!(spec.text, "send proposal");
        assert!(parse_follow_up(clock(), "send proposal").is_err());
    }
}
