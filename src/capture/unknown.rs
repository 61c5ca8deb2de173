//! The people I exchanged mail with, both ways, who are not contacts: tallied over a run's
//! messages (what I sent to them, what they sent me, when last) and listed best first, so
//! the report can name them and `--add-unknown` can create them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{CapturedRecord, Role, addresses};
use crate::model::Direction;

/// One correspondent who is not a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correspondent {
    pub address: String,
    /// The display name they were last seen with.
    pub name: Option<String>,
    /// Messages I sent them.
    pub sent: usize,
    /// Messages they sent me.
    pub received: usize,
    pub last_at: DateTime<Utc>,
}

impl Correspondent {
    /// Mail went both ways: a conversation, not a newsletter or a one-off.
    pub fn both_ways(&self) -> bool {
        self.sent > 0 && self.received > 0
    }

    /// The name a contact made from them gets: the display name, else the address.
    pub fn contact_name(&self) -> String {
        self.name
            .clone()
            .filter(|n| !n.trim().is_empty() && !n.contains('@'))
            .unwrap_or_else(|| self.address.clone())
    }
}

/// The tally, by address match key.
#[derive(Debug, Default)]
pub struct Tally(HashMap<String, Correspondent>);

impl Tally {
    /// Count `record` (whose direction is `direction`) for every address in it that
    /// `is_stranger` says is neither me nor a contact.
    pub fn note(
        &mut self,
        record: &CapturedRecord,
        direction: Option<Direction>,
        is_stranger: impl Fn(&str) -> bool,
    ) {
        for p in &record.participants {
            let (sent, received) = match (direction, p.role) {
                (Some(Direction::Out), Role::To | Role::Cc) => (1, 0),
                (Some(Direction::In), Role::From) => (0, 1),
                _ => continue,
            };
            let Some(key) = addresses::match_key(&p.address) else {
                continue;
            };
            if !is_stranger(&key) {
                continue;
            }
            let entry = self.0.entry(key).or_insert_with(|| Correspondent {
                address: p.address.to_lowercase(),
                name: None,
                sent: 0,
                received: 0,
                last_at: record.occurred_at,
            });
            entry.sent += sent;
            entry.received += received;
            if record.occurred_at >= entry.last_at {
                entry.last_at = record.occurred_at;
                if p.name.is_some() {
                    entry.name = p.name.clone();
                }
            } else if entry.name.is_none() {
                entry.name = p.name.clone();
            }
        }
    }

    /// Those mail went both ways with, best first: most messages, then latest, then address.
    pub fn both_ways(self) -> Vec<(String, Correspondent)> {
        let mut list: Vec<_> = self.0.into_iter().filter(|(_, c)| c.both_ways()).collect();
        list.sort_by(|(_, a), (_, b)| {
            (b.sent + b.received)
                .cmp(&(a.sent + a.received))
                .then(b.last_at.cmp(&a.last_at))
                .then(a.address.cmp(&b.address))
        });
        list
    }
}
