//! One builder per view. The contact brief, the organization brief and the agenda are each
//! read from the store and worked out here, once, as typed data with the flags the faces
//! colour by (overdue, due today, snoozed, archived, inherited cadence...). `output` renders
//! them as the CLI's text and JSON, `tui` draws the same values; nothing parses rendered text.
//! The benches call these same builders.

pub mod agenda;
pub mod calendar;
pub mod contact_brief;
pub mod health;
pub mod org_brief;
pub mod who_knows;

use std::ops::Deref;

use chrono::{Local, NaiveDate};
use serde::Serialize;

use crate::clock::Clock;
use crate::model::Reminder;

pub use contact_brief::{ContactBrief, contact_brief};
pub use org_brief::{Detail, OrgBrief, org_brief};

/// Where a follow-up stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Done,
    /// Past due by the agenda's rule ([`crate::agenda::is_overdue`]).
    Overdue,
    /// Due later today.
    DueToday,
    Later,
}

/// A follow-up as a brief shows it: the record (all that `--json` prints) and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUpItem {
    #[serde(flatten)]
    pub reminder: Reminder,
    /// The local day it is effectively due (a snooze moves it).
    #[serde(skip)]
    pub day: NaiveDate,
    #[serde(skip)]
    pub urgency: Urgency,
}

impl FollowUpItem {
    pub fn new(reminder: Reminder, clock: Clock) -> FollowUpItem {
        let today = clock.today();
        let due = reminder.effective_due();
        let day = due.local_day(&Local);
        let urgency = if reminder.done_at.is_some() {
            Urgency::Done
        } else if crate::agenda::is_overdue(due, clock.now, today) {
            Urgency::Overdue
        } else if day == today {
            Urgency::DueToday
        } else {
            Urgency::Later
        };
        FollowUpItem {
            reminder,
            day,
            urgency,
        }
    }

    pub fn all(reminders: Vec<Reminder>, clock: Clock) -> Vec<FollowUpItem> {
        reminders
            .into_iter()
            .map(|r| FollowUpItem::new(r, clock))
            .collect()
    }
}

impl Deref for FollowUpItem {
    type Target = Reminder;

    fn deref(&self) -> &Reminder {
        &self.reminder
    }
}
