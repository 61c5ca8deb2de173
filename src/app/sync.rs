//! Sync accounts and what a sync writes: adding and removing an account (where, as whom,
//! and how to get the password: never the password itself), and one batch of a sync's
//! results, each batch one transaction (contacts created, merged or archived with their
//! cards' new states and conflicts), so an interrupted sync keeps the batches it finished and
//! the next one resumes from there. The network side is `crate::sync`.

use chrono::{DateTime, Utc};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::model::ContactFields;
use crate::store::sync::{Account, CardState};
use crate::store::{Store, contacts, sync};

/// `kith sync add`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub name: String,
    pub url: String,
    pub user: String,
    pub password_command: Option<String>,
    pub password_env: Option<String>,
}

impl NewAccount {
    pub fn check(&self) -> Result<()> {
        let name_ok = !self.name.is_empty()
            && self
                .name
                .chars()
                .all(|c| c.is_alphanumeric() || "-_.".contains(c));
        if !name_ok {
            return Err(Error::invalid(
                "account name",
                &self.name,
                "use letters, digits, '-', '_' or '.'",
            ));
        }
        if crate::sync::dav::origin_of(&self.url).is_none() {
            return Err(Error::invalid(
                "--url",
                &self.url,
                "expected http(s)://HOST/... (the server's address or the address book's)",
            ));
        }
        if self.user.trim().is_empty() {
            return Err(Error::invalid("--user", &self.user, "is empty"));
        }
        match (&self.password_command, &self.password_env) {
            (Some(_), Some(_)) => Err(Error::Usage(
                "give one of --password-command and --password-env, not both".into(),
            )),
            (None, None) => Err(Error::Usage(
                "say where the password comes from: --password-command \"pass show dav\" or \
                 --password-env VAR (kith never stores a password)"
                    .into(),
            )),
            _ => Ok(()),
        }
    }
}

pub fn add_account(store: &mut Store, now: DateTime<Utc>, input: &NewAccount) -> Result<Account> {
    input.check()?;
    store.write(|tx| {
        if sync::account(tx, &input.name).is_ok() {
            return Err(Error::Conflict(format!(
                "a sync account named {} exists; `kith sync rm {}` first",
                input.name, input.name
            )));
        }
        let mut account = Account {
            id: 0,
            name: input.name.clone(),
            url: input.url.clone(),
            user: input.user.clone(),
            password_command: input.password_command.clone(),
            password_env: input.password_env.clone(),
            collection: None,
            sync_token: None,
            created_at: now,
            synced_at: None,
        };
        account.id = sync::insert_account(tx, &account)?;
        Ok(account)
    })
}

/// Remove an account and what kith knew of its cards; contacts are not touched.
pub fn remove_account(store: &mut Store, name: &str) -> Result<()> {
    store.write(|tx| {
        if sync::remove_account(tx, name)? {
            Ok(())
        } else {
            Err(Error::NotFound {
                what: "sync account",
                query: name.to_string(),
            })
        }
    })
}

/// Forget the conflicts kept (of one account, or all); how many.
pub fn clear_conflicts(store: &mut Store, account: Option<&str>) -> Result<usize> {
    store.write(|tx| sync::clear_conflicts(tx, account))
}

pub fn set_collection(store: &mut Store, account: i64, collection: &str) -> Result<()> {
    store.write(|tx| sync::set_collection(tx, account, collection))
}

/// A finished sync: the server's sync token (None: list everything next time).
pub fn finish(
    store: &mut Store,
    now: DateTime<Utc>,
    account: i64,
    token: Option<&str>,
) -> Result<()> {
    store.write(|tx| sync::finish(tx, account, token, now))
}

/// A card's contact content as read from a server or merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardContent {
    pub fields: ContactFields,
    pub extras: Vec<String>,
}

/// One result of a sync, written with its batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardChange {
    /// A card new to kith: a contact with its UID.
    Create {
        content: CardContent,
        state: CardState,
    },
    /// Contact `id` becomes the merged card.
    Update {
        id: i64,
        content: CardContent,
        state: CardState,
    },
    /// Only the card's state changes (kith's card was written to the server as it is).
    State(CardState),
    /// The card was deleted on the server: the contact (when kith still has it) is archived.
    Archive { id: Option<i64>, uid: String },
    /// The card is gone from the server and kith no longer keeps its state.
    Forget { uid: String },
    /// The server's values kith did not take.
    Conflict {
        uid: String,
        property: String,
        kept: Vec<String>,
        server: Vec<String>,
    },
}

/// Write one batch of a sync in one transaction.
pub fn apply(store: &mut Store, clock: Clock, account: i64, batch: &[CardChange]) -> Result<()> {
    let now = clock.now;
    store.write(|tx| {
        for change in batch {
            match change {
                CardChange::Create { content, state } => {
                    sync::insert_contact(tx, &state.uid, &content.fields, &content.extras, now)?;
                    sync::put_card(tx, account, state)?;
                }
                CardChange::Update { id, content, state } => {
                    sync::update_contact(tx, *id, &content.fields, &content.extras, now)?;
                    sync::put_card(tx, account, state)?;
                }
                CardChange::State(state) => sync::put_card(tx, account, state)?,
                CardChange::Archive { id, uid } => {
                    if let Some(id) = id
                        && contacts::get(tx, *id)?.archived_at.is_none()
                    {
                        contacts::set_archived(tx, *id, Some(now), now)?;
                    }
                    sync::forget_card(tx, account, uid)?;
                }
                CardChange::Forget { uid } => sync::forget_card(tx, account, uid)?,
                CardChange::Conflict {
                    uid,
                    property,
                    kept,
                    server,
                } => sync::add_conflict(tx, account, uid, property, kept, server, now)?,
            }
        }
        Ok(())
    })
}

/// What the user chose for a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Take the server's value: the contact changes, and the next sync sends it.
    TakeServer,
    /// Keep kith's value (already the contact's and the server's after the sync).
    KeepKith,
}

/// A conflict settled: whose, which property, and what the contact now has.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Settled {
    pub contact_id: i64,
    pub name: String,
    pub property: String,
    pub took_server: bool,
    /// The conflicts of that property forgotten (the same clash seen by several syncs).
    pub settled: usize,
}

/// Settle conflict `id`: take the server's value or keep kith's, and forget that property's
/// conflicts for the contact, in one transaction.
pub fn resolve_conflict(
    store: &mut Store,
    now: DateTime<Utc>,
    id: i64,
    resolution: Resolution,
) -> Result<Settled> {
    store.write(|tx| {
        let conflict = sync::conflicts(tx, None)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::NotFound {
                what: "sync conflict",
                query: id.to_string(),
            })?;
        let contact_id = contacts::by_uid(tx, &conflict.uid)?.ok_or_else(|| Error::NotFound {
            what: "contact of the sync conflict",
            query: conflict.uid.clone(),
        })?;
        let contact = contacts::get(tx, contact_id)?;
        let mut name = contact.fields.display_name.clone();
        if resolution == Resolution::TakeServer {
            let content = CardContent {
                fields: contact.fields,
                extras: crate::store::extras::of(tx, contact_id)?,
            };
            let card = crate::sync::card::canonical(&conflict.uid, &content);
            let taken =
                crate::sync::merge::with_property(&card, &conflict.property, &conflict.server);
            let (_, content) = crate::sync::card::read(&taken, &conflict.uid).map_err(|why| {
                Error::invalid("the server's value", &conflict.server.join(" "), &why)
            })?;
            name = content.fields.display_name.clone();
            sync::update_contact(tx, contact_id, &content.fields, &content.extras, now)?;
        }
        let settled = sync::settle_conflicts(tx, &conflict.uid, &conflict.property)?;
        Ok(Settled {
            contact_id,
            name,
            property: conflict.property,
            took_server: resolution == Resolution::TakeServer,
            settled,
        })
    })
}
