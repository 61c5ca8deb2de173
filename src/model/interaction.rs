//! Interactions: how one happened (the channel), which way it went, and the record of it.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ContactRef, OrgRef};
use crate::error::Error;

/// How an interaction happened, or how a contact prefers to be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Call,
    Email,
    Meeting,
    Video,
    Message,
    Social,
    Letter,
    Note,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 9] = [
        Channel::Call,
        Channel::Email,
        Channel::Meeting,
        Channel::Video,
        Channel::Message,
        Channel::Social,
        Channel::Letter,
        Channel::Note,
        Channel::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Call => "call",
            Channel::Email => "email",
            Channel::Meeting => "meeting",
            Channel::Video => "video",
            Channel::Message => "message",
            Channel::Social => "social",
            Channel::Letter => "letter",
            Channel::Note => "note",
            Channel::Other => "other",
        }
    }

    pub fn names() -> String {
        Channel::ALL.map(Channel::as_str).join(", ")
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let key = s.trim().to_lowercase();
        let channel = match key.as_str() {
            "call" | "phone" | "tel" => Channel::Call,
            "email" | "mail" | "e-mail" => Channel::Email,
            "meeting" | "meet" | "in-person" | "lunch" | "coffee" => Channel::Meeting,
            "video" | "zoom" | "videocall" => Channel::Video,
            "message" | "msg" | "text" | "sms" | "chat" => Channel::Message,
            "social" | "linkedin" => Channel::Social,
            "letter" | "post" => Channel::Letter,
            "note" => Channel::Note,
            "other" => Channel::Other,
            _ => {
                return Err(Error::invalid(
                    "channel",
                    s,
                    format!("expected one of: {}", Channel::names()),
                ));
            }
        };
        Ok(channel)
    }
}

/// Which way an interaction went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "in" => Some(Direction::In),
            "out" => Some(Direction::Out),
            _ => None,
        }
    }
}

/// A conversation, meeting or note with one or more contacts, an organization, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interaction {
    pub id: i64,
    pub uid: String,
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    pub direction: Option<Direction>,
    pub summary: String,
    pub body: Option<String>,
    pub participants: Vec<ContactRef>,
    /// The organization it was with or about (`kith log --org`), if any.
    pub organization: Option<OrgRef>,
    pub created_at: DateTime<Utc>,
    /// When this stands for a thread of captured mail (the contact brief shows one line per
    /// thread, as its latest message): how many messages, from when to when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread: Option<ThreadSpan>,
    /// Where it took place: a captured event's LOCATION.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// The messages of one mail thread a contact took part in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ThreadSpan {
    pub messages: usize,
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
}

/// What `kith log` records.
#[derive(Debug, Clone)]
pub struct NewInteraction {
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    pub direction: Option<Direction>,
    pub summary: String,
    pub body: Option<String>,
    pub participants: Vec<i64>,
    pub organization_id: Option<i64>,
}
