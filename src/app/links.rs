//! Relationships between two contacts: linking them (never a contact to themselves, never
//! closing an immediate loop of a directed kind) and unlinking them (a directed kind only
//! in the direction given). The decisions are [`crate::link_rules`]'.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::link_rules::{self, LinkPlan, StoredLink};
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
        let between = relationships::between(tx, from, to)?;
        let id = match link_rules::plan_link(from, to, &kind, &between) {
            LinkPlan::Upsert => relationships::link(tx, from, to, &kind, note.as_deref(), now)?,
            LinkPlan::UpdateReverse(id) => {
                relationships::set_note(tx, id, note.as_deref())?;
                id
            }
            LinkPlan::RefuseLoop(_) => {
                let names = contacts::refs(tx, &[from, to])?;
                let name = |id: i64| {
                    names
                        .iter()
                        .find(|r| r.id == id)
                        .map(|r| format!("{} (#{id})", r.name))
                        .unwrap_or_else(|| format!("#{id}"))
                };
                return Err(Error::Conflict(format!(
                    "{} already {} {}: the other way round would close a loop; \
                     `kith unlink '#{to}' '#{from}' --as {kind}` first if it changed",
                    name(to),
                    kind.replace('-', " "),
                    name(from),
                )));
            }
        };
        Ok(Linked {
            id,
            kind: kind.clone(),
            note: note.clone(),
        })
    })
}

/// `kith unlink`: the links between two contacts, of one kind or all (see
/// [`link_rules::plan_unlink`] for which directions go).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlink {
    pub one: i64,
    pub two: i64,
    pub kind: Option<String>,
}

/// What unlinking did: the links removed, and those between the two that stay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlinked {
    pub removed: Vec<StoredLink>,
    pub kept: Vec<StoredLink>,
}

impl Unlinked {
    /// A kept link of the kind asked for: the reverse of a directed one, when nothing went.
    pub fn kept_reverse(&self, kind: &str) -> Option<&StoredLink> {
        self.kept.iter().find(|l| l.kind == kind)
    }
}

/// Remove links (none removed is for the face to report, naming what it was given).
pub fn unlink(store: &mut Store, input: &Unlink) -> Result<Unlinked> {
    let kind = input
        .kind
        .as_deref()
        .map(normalize_relationship_kind)
        .transpose()?;
    let (one, two) = (input.one, input.two);
    store.write(|tx| {
        let between = relationships::between(tx, one, two)?;
        let ids = link_rules::plan_unlink(one, two, kind.as_deref(), &between);
        relationships::delete(tx, &ids)?;
        let (removed, kept) = between.into_iter().partition(|l| ids.contains(&l.id));
        Ok(Unlinked { removed, kept })
    })
}
