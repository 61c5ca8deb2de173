//! Relationships between two contacts: linking them (never a contact to themselves) and
//! unlinking them.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::model::normalize_relationship_kind;
use crate::store::{Store, contacts, relationships};

/// `kith link`: `from` <kind> `to`; linking again replaces the note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub from: i64,
    pub to: i64,
    pub kind: String,
    pub note: Option<String>,
}

/// What linking wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    pub id: i64,
    /// The kind, normalised ("works-with").
    pub kind: String,
    pub note: Option<String>,
}

/// Link two contacts.
pub fn link(store: &mut Store, now: DateTime<Utc>, input: &Link) -> Result<Linked> {
    let kind = normalize_relationship_kind(&input.kind)?;
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    let (from, to) = (input.from, input.to);
    if from == to {
        return Err(Error::Conflict(format!(
            "both names are the same contact (#{from}): a contact cannot be linked to themselves"
        )));
    }
    store.write(|tx| {
        contacts::get(tx, from)?;
        contacts::get(tx, to)?;
        let id = relationships::link(tx, from, to, &kind, note.as_deref(), now)?;
        Ok(Linked {
            id,
            kind: kind.clone(),
            note: note.clone(),
        })
    })
}

/// `kith unlink`: the links between two contacts, either way, of one kind or all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlink {
    pub one: i64,
    pub two: i64,
    pub kind: Option<String>,
}

/// Remove links; how many went (none is for the face to report, naming what it was given).
pub fn unlink(store: &mut Store, input: &Unlink) -> Result<usize> {
    let kind = input
        .kind
        .as_deref()
        .map(normalize_relationship_kind)
        .transpose()?;
    store.write(|tx| relationships::unlink(tx, input.one, input.two, kind.as_deref()))
}
