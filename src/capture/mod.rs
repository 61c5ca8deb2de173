//! Capture, the pure part: conversations read from files (mail now, calendar events next)
//! turned into kind-neutral [`CapturedRecord`]s that `app::capture` writes as interactions.
//! No files, no SQL, no clock: readers get bytes and give records.
//!
//! - [`calendar`]: an iCalendar file's past occurrences of my events → records, and the
//!   occurrences it cancelled → withdrawals.
//! - [`addresses`]: how an address is compared (lowercase, a `+tag` ignored) and who "me" is.
//! - [`mail`]: one RFC 5322 message → a record (or why it cannot be read).
//! - [`noise`]: mailing lists, automated mail and crowds, told apart from conversations.
//! - [`mbox`]: splitting an mbox stream into messages with their byte offsets.
//! - [`unknown`]: the people I exchanged mail with who are not contacts, best first.

pub mod addresses;
pub mod calendar;
pub mod mail;
pub mod mbox;
pub mod noise;
pub mod unknown;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{Channel, Direction};
pub use noise::Noise;

/// What kind of thing was captured: decides how its key is read and how a copy seen again
/// is treated (a newer event SEQUENCE updates; mail never changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Mail,
    Event,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Mail => "mail",
            RecordKind::Event => "event",
        }
    }
}

/// The part an address played in a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Who sent it (mail's From) or organised it (an event's ORGANIZER).
    From,
    /// A direct recipient (To) or an attendee.
    To,
    /// Copied (Cc).
    Cc,
}

impl Role {
    pub fn is_sender(self) -> bool {
        self == Role::From
    }
}

/// One address in a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// As written (`Ada.Lovelace+kith@Example.org`); compared through [`addresses::match_key`].
    pub address: String,
    /// The display name given with it, if any.
    pub name: Option<String>,
    pub role: Role,
}

/// Where a record was read: the file and, in an mbox, the byte offset of its `From ` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.offset {
            Some(offset) => write!(f, "{} at byte {offset}", self.file),
            None => f.write_str(&self.file),
        }
    }
}

/// A conversation read from a file, in the shape every reader gives: what the capture run
/// writes as one interaction with the contacts among its participants.
#[derive(Debug, Clone, PartialEq)]
pub struct CapturedRecord {
    pub kind: RecordKind,
    /// What makes it the same record when seen again (see [`mail::key`]).
    pub key: String,
    /// An event's SEQUENCE: a copy with a higher one updates the stored record.
    pub sequence: Option<i64>,
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    /// The one line it is summed up in (the decoded Subject, an event's SUMMARY).
    pub summary: String,
    pub participants: Vec<Participant>,
    pub location: Option<String>,
    /// The thread it belongs to (mail: a root Message-ID); `None` stands alone.
    pub thread: Option<String>,
    /// Message-IDs this one answers (References, In-Reply-To), to join a thread whose root
    /// was not named.
    pub replies_to: Vec<String>,
    pub body: Option<String>,
    /// Why it is noise, if it is; the run skips it unless asked to include that kind.
    pub noise: Option<Noise>,
    pub origin: Origin,
}

impl CapturedRecord {
    /// Outbound when a sender is me, inbound when a recipient is; else unknown.
    pub fn direction(&self, me: &addresses::Me) -> Option<Direction> {
        let mine = |p: &&Participant| me.contains(&p.address);
        if self
            .participants
            .iter()
            .filter(|p| p.role.is_sender())
            .any(|p| mine(&p))
        {
            Some(Direction::Out)
        } else if self
            .participants
            .iter()
            .filter(|p| !p.role.is_sender())
            .any(|p| mine(&p))
        {
            Some(Direction::In)
        } else {
            None
        }
    }
}

/// A record a reader could not make sense of: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    #[serde(flatten)]
    pub origin: Origin,
    pub reason: String,
}

/// A record a file says did not happen after all (an event occurrence cancelled, taken out
/// of its series, or declined): one captured before, with a SEQUENCE no newer, goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    pub kind: RecordKind,
    pub key: String,
    pub sequence: Option<i64>,
    pub origin: Origin,
}

/// What a reader yields, in file order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Record(Box<CapturedRecord>),
    Withdrawn(Withdrawn),
    Unreadable(Unreadable),
}
