//! Interactions as records: logging one (when it happened, never in the future; what it was
//! about; the follow-up that may come with it), editing it under the same rules, deleting it
//! (its follow-ups stay, unlinked) and taking a delete back. Each is one transaction.

use chrono::{DateTime, Duration, Local, Utc};

use super::follow_ups::{self, FollowUpSpec};
use super::{instant, parse_when, required};
use crate::clock::Clock;
use crate::dates::{Lean, When};
use crate::error::{Error, Result};
use crate::model::{Channel, Direction, Interaction, NewInteraction, NewReminder};
use crate::store::interactions::Links;
use crate::store::{Store, interactions, reminders};

/// How far ahead of now a logged time may be: slack for clocks and "in a minute".
const FUTURE_SLACK_MINUTES: i64 = 5;

/// `kith log`, or the interactive mode's log form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogInteraction {
    pub participants: Vec<i64>,
    /// The organization it was with or about (`--org`); with no participants, it alone.
    pub organization: Option<i64>,
    pub summary: String,
    pub channel: Channel,
    pub direction: Option<Direction>,
    /// When it happened, as typed ("yesterday 3pm"); `None` means now.
    pub at: Option<String>,
    pub body: Option<String>,
    /// A follow-up to add with it, as typed: "in 2 weeks: send proposal".
    pub follow_up: Option<String>,
}

/// What logging wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Logged {
    pub interaction_id: i64,
    pub follow_up_id: Option<i64>,
}

/// When an interaction typed as `at` happened: now without one; never in the future.
pub fn occurred_at(clock: Clock, at: Option<&str>) -> Result<DateTime<Utc>> {
    let Some(raw) = at else {
        return Ok(clock.now);
    };
    let occurred = instant(clock, parse_when(clock, "--at", raw, Lean::Past)?);
    if occurred > clock.now + Duration::minutes(FUTURE_SLACK_MINUTES) {
        return Err(Error::invalid(
            "--at",
            raw,
            format!(
                "is in the future ({}); log what happened, and make what will happen a follow-up",
                crate::dates::human_when(When::At(occurred), &Local)
            ),
        ));
    }
    Ok(occurred)
}

/// The one line an interaction is summed up in: it must say something.
pub fn summary(raw: &str) -> Result<String> {
    required("summary", raw)
}

impl LogInteraction {
    /// The rules that need no store, in the order they are reported.
    pub fn check(&self, clock: Clock) -> Result<(NewInteraction, Option<FollowUpSpec>)> {
        let occurred_at = occurred_at(clock, self.at.as_deref())?;
        let follow_up = self
            .follow_up
            .as_deref()
            .map(|spec| follow_ups::parse_follow_up(clock, spec))
            .transpose()?;
        let summary = summary(&self.summary)?;
        let body = self
            .body
            .as_deref()
            .map(str::trim_end)
            .filter(|b| !b.trim().is_empty())
            .map(str::to_string);
        let new = NewInteraction {
            occurred_at,
            channel: self.channel,
            direction: self.direction,
            summary,
            body,
            participants: self.participants.clone(),
            organization_id: self.organization,
        };
        Ok((new, follow_up))
    }
}

/// An interaction is with someone: a contact, or an organization.
fn someone(participants: &[i64], organization: Option<i64>) -> Result<()> {
    if participants.is_empty() && organization.is_none() {
        return Err(Error::invalid(
            "participants",
            "",
            "an interaction needs at least one contact or an organization (--org)",
        ));
    }
    Ok(())
}

/// Log an interaction, and the follow-up it may carry: about its first participant, or the
/// organization when it has none.
pub fn log(store: &mut Store, clock: Clock, input: &LogInteraction) -> Result<Logged> {
    let (new, follow_up) = input.check(clock)?;
    someone(&new.participants, new.organization_id)?;
    let now = clock.now;
    store.write(|tx| {
        let interaction_id = interactions::insert(tx, &new, now)?;
        let follow_up_id = match &follow_up {
            Some(spec) => Some(reminders::insert(
                tx,
                &NewReminder {
                    contact_id: new.participants.first().copied(),
                    organization_id: match new.participants.first() {
                        Some(_) => None,
                        None => new.organization_id,
                    },
                    text: spec.text.clone(),
                    due: spec.due,
                    recurrence: None,
                    interaction_id: Some(interaction_id),
                },
                now,
            )?),
            None => None,
        };
        Ok(Logged {
            interaction_id,
            follow_up_id,
        })
    })
}

/// `kith log edit ID`, or the interactive mode's `e` on a timeline row: each field given
/// replaces the stored one; `None` leaves it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditInteraction {
    pub id: i64,
    /// When it happened, as typed; the future is refused as when logging.
    pub at: Option<String>,
    pub channel: Option<Channel>,
    /// `Some(None)` clears the direction.
    pub direction: Option<Option<Direction>>,
    pub summary: Option<String>,
    /// `Some(None)` (or a blank body) clears the body.
    pub body: Option<Option<String>>,
    /// Contacts who took part too.
    pub add: Vec<i64>,
    /// Contacts who did not take part after all; each must be a participant.
    pub remove: Vec<i64>,
    /// `Some(None)` makes it about no organization.
    pub organization: Option<Option<i64>>,
}

impl EditInteraction {
    /// The rules that need no store: the time and the summary.
    pub fn check(&self, clock: Clock) -> Result<()> {
        if let Some(at) = &self.at {
            occurred_at(clock, Some(at))?;
        }
        if let Some(raw) = &self.summary {
            summary(raw)?;
        }
        Ok(())
    }

    /// The interaction as it will be stored once this edit applies to `current`.
    fn apply(&self, clock: Clock, current: &Interaction) -> Result<NewInteraction> {
        let mut participants: Vec<i64> = current.participants.iter().map(|c| c.id).collect();
        for id in &self.remove {
            let Some(at) = participants.iter().position(|p| p == id) else {
                return Err(Error::invalid(
                    "--rm",
                    &format!("#{id}"),
                    format!("did not take part in interaction #{}", current.id),
                ));
            };
            participants.remove(at);
        }
        for id in &self.add {
            if !participants.contains(id) {
                participants.push(*id);
            }
        }
        let organization_id = self
            .organization
            .unwrap_or(current.organization.as_ref().map(|o| o.id));
        someone(&participants, organization_id)?;
        Ok(NewInteraction {
            occurred_at: match &self.at {
                Some(at) => occurred_at(clock, Some(at))?,
                None => current.occurred_at,
            },
            channel: self.channel.unwrap_or(current.channel),
            direction: self.direction.unwrap_or(current.direction),
            summary: match &self.summary {
                Some(raw) => summary(raw)?,
                None => current.summary.clone(),
            },
            body: match &self.body {
                Some(body) => body
                    .as_deref()
                    .map(str::trim_end)
                    .filter(|b| !b.trim().is_empty())
                    .map(str::to_string),
                None => current.body.clone(),
            },
            participants,
            organization_id,
        })
    }
}

/// Change a logged interaction; the result is the interaction as stored now.
pub fn edit(store: &mut Store, clock: Clock, input: &EditInteraction) -> Result<Interaction> {
    input.check(clock)?;
    store.write(|tx| {
        let current = interactions::get(tx, input.id)?;
        let new = input.apply(clock, &current)?;
        interactions::update(tx, input.id, &new, clock.now)?;
        interactions::get(tx, input.id)
    })
}

/// What a delete took away, and all it takes to put it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedInteraction {
    pub interaction: Interaction,
    /// The follow-ups and completions that pointed at it: they stay, unlinked.
    pub links: Links,
}

/// `kith log rm ID`, or the interactive mode's `x` on a timeline row.
pub fn delete(store: &mut Store, id: i64) -> Result<DeletedInteraction> {
    store.write(|tx| {
        let interaction = interactions::get(tx, id)?;
        let links = interactions::links(tx, id)?;
        interactions::delete(tx, id)?;
        Ok(DeletedInteraction { interaction, links })
    })
}

/// Take a delete back: the same interaction (id, uid, times), participants still in the book,
/// and the links of follow-ups and completions that have not been relinked since.
pub fn undelete(store: &mut Store, gone: &DeletedInteraction) -> Result<()> {
    store.write(|tx| interactions::reinsert(tx, &gone.interaction, &gone.links))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock::fixed("2026-11-24T10:00:00Z".parse().unwrap())
    }

    fn input() -> LogInteraction {
        LogInteraction {
            participants: vec![1],
            summary: "Budget approved".into(),
            channel: Channel::Call,
            direction: None,
            at: None,
            body: None,
            follow_up: None,
            organization: None,
        }
    }

    #[test]
    fn an_empty_summary_is_refused() {
        let err = LogInteraction {
            summary: "   ".into(),
            ..input()
        }
        .check(clock())
        .unwrap_err()
        .to_string();
        assert!(err.contains("summary") && err.contains("is empty"), "{err}");
    }

    #[test]
    fn a_time_in_the_future_is_refused_with_a_little_slack() {
        let err = occurred_at(clock(), Some("tomorrow"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("is in the future"), "{err}");
        assert!(err.contains("--at \"tomorrow\""), "{err}");
        assert!(occurred_at(clock(), Some("yesterday 3pm")).is_ok());
        assert_eq!(occurred_at(clock(), None).unwrap(), clock().now);
    }

    #[test]
    fn a_follow_up_must_say_what() {
        let err = LogInteraction {
            follow_up: Some("tomorrow:  ".into()),
            ..input()
        }
        .check(clock())
        .unwrap_err()
        .to_string();
        assert!(err.contains("says when but not what"), "{err}");
    }

    fn book() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(
            &dir.path().join("kith.db"),
            crate::store::OpenMode::CreateIfMissing,
        )
        .unwrap();
        store
            .write(|tx| {
                for name in ["Ada Lovelace", "Grace Hopper"] {
                    let fields = crate::model::ContactFields {
                        display_name: name.into(),
                        ..Default::default()
                    };
                    crate::store::contacts::insert(tx, &fields, clock().now)?;
                }
                Ok(())
            })
            .unwrap();
        (dir, store)
    }

    #[test]
    fn an_edit_that_leaves_nobody_is_refused_and_writes_nothing() {
        let (_dir, mut store) = book();
        let logged = log(&mut store, clock(), &input()).unwrap();
        let edit = EditInteraction {
            id: logged.interaction_id,
            summary: Some("Changed".into()),
            remove: vec![1],
            ..EditInteraction::default()
        };
        let err = super::edit(&mut store, clock(), &edit)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("at least one contact or an organization"),
            "{err}"
        );
        let stored = interactions::get(store.conn(), logged.interaction_id).unwrap();
        assert_eq!(stored.summary, "Budget approved");
        let edit = EditInteraction {
            add: vec![2],
            ..edit
        };
        let stored = super::edit(&mut store, clock(), &edit).unwrap();
        assert_eq!(
            stored.participants.iter().map(|c| c.id).collect::<Vec<_>>(),
            [2]
        );
        assert_eq!(stored.summary, "Changed");
    }

    #[test]
    fn a_delete_taken_back_restores_the_interaction_and_its_links() {
        let (_dir, mut store) = book();
        let logged = log(
            &mut store,
            clock(),
            &LogInteraction {
                body: Some("The long story".into()),
                follow_up: Some("tomorrow: send deck".into()),
                ..input()
            },
        )
        .unwrap();
        let id = logged.interaction_id;
        let before = interactions::get(store.conn(), id).unwrap();
        let gone = delete(&mut store, id).unwrap();
        assert_eq!(gone.links.follow_ups, vec![logged.follow_up_id.unwrap()]);
        assert!(interactions::get(store.conn(), id).is_err());
        assert!(
            interactions::links(store.conn(), id)
                .unwrap()
                .follow_ups
                .is_empty()
        );
        undelete(&mut store, &gone).unwrap();
        assert_eq!(interactions::get(store.conn(), id).unwrap(), before);
        assert_eq!(interactions::links(store.conn(), id).unwrap(), gone.links);
    }
}
