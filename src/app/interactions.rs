//! Logging an interaction: when it happened (never in the future), what it was about, and
//! the follow-up that may come with it, all in one transaction.

use chrono::{DateTime, Duration, Local, Utc};

use super::follow_ups::{self, FollowUpSpec};
use super::{instant, parse_when, required};
use crate::clock::Clock;
use crate::dates::{Lean, When};
use crate::error::{Error, Result};
use crate::model::{Channel, Direction, NewInteraction, NewReminder};
use crate::store::{Store, interactions, reminders};

/// How far ahead of now a logged time may be: slack for clocks and "in a minute".
const FUTURE_SLACK_MINUTES: i64 = 5;

/// `kith log`, or the interactive mode's log form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogInteraction {
    pub participants: Vec<i64>,
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
                "is in the future ({}); log what happened, and `kith remind` what will",
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
        };
        Ok((new, follow_up))
    }
}

/// Log an interaction, and the follow-up about its first participant it may carry.
pub fn log(store: &mut Store, clock: Clock, input: &LogInteraction) -> Result<Logged> {
    let (new, follow_up) = input.check(clock)?;
    if new.participants.is_empty() {
        return Err(Error::invalid(
            "participants",
            "",
            "an interaction needs at least one contact",
        ));
    }
    let now = clock.now;
    store.write(|tx| {
        let interaction_id = interactions::insert(tx, &new, now)?;
        let follow_up_id = match &follow_up {
            Some(spec) => Some(reminders::insert(
                tx,
                &NewReminder {
                    contact_id: new.participants.first().copied(),
                    organization_id: None,
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
}
