//! `kith sync`'s tables (migration 0010): the accounts, each card's state on each account
//! (href, ETag, the base text of the next three-way merge) and the conflicts kept for the
//! user. Also the two contact writes a sync needs beyond `contacts`: a contact with a given
//! UID and its kept vCard properties, and replacing both of a contact's.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{WriteTx, parse_opt_ts, parse_ts, ts};
use crate::error::{Error, Result};
use crate::model::ContactFields;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub url: String,
    pub user: String,
    pub password_command: Option<String>,
    pub password_env: Option<String>,
    /// The address book's path, once found.
    pub collection: Option<String>,
    #[serde(skip)]
    pub sync_token: Option<String>,
    pub created_at: DateTime<Utc>,
    pub synced_at: Option<DateTime<Utc>>,
}

/// A card's state on an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardState {
    pub uid: String,
    pub href: String,
    pub etag: Option<String>,
    pub base: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConflictRow {
    pub id: i64,
    pub account: String,
    pub uid: String,
    pub property: String,
    pub kept: Vec<String>,
    pub server: Vec<String>,
    pub found_at: DateTime<Utc>,
}

const ACCOUNT_COLUMNS: &str = "id, name, url, username, password_command, password_env, \
     collection, sync_token, created_at, synced_at";

fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: r.get(0)?,
        name: r.get(1)?,
        url: r.get(2)?,
        user: r.get(3)?,
        password_command: r.get(4)?,
        password_env: r.get(5)?,
        collection: r.get(6)?,
        sync_token: r.get(7)?,
        created_at: parse_ts(&r.get::<_, String>(8)?)?,
        synced_at: parse_opt_ts(r.get(9)?)?,
    })
}

pub fn accounts(conn: &Connection) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM sync_accounts ORDER BY name"
    ))?;
    let rows = stmt.query_map([], account_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn account(conn: &Connection, name: &str) -> Result<Account> {
    conn.query_row(
        &format!("SELECT {ACCOUNT_COLUMNS} FROM sync_accounts WHERE name = ?1"),
        [name],
        account_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        what: "sync account",
        query: name.to_string(),
    })
}

pub fn insert_account(conn: &WriteTx, a: &Account) -> Result<i64> {
    conn.execute(
        "INSERT INTO sync_accounts (name, url, username, password_command, password_env,
             collection, sync_token, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, NULL, NULL, ?6)",
        params![
            a.name,
            a.url,
            a.user,
            a.password_command,
            a.password_env,
            ts(a.created_at)
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Remove an account with its card states and conflicts; whether there was one.
pub fn remove_account(conn: &WriteTx, name: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM sync_accounts WHERE name = ?1", [name])? > 0)
}

pub fn set_collection(conn: &WriteTx, id: i64, collection: &str) -> Result<()> {
    conn.execute(
        "UPDATE sync_accounts SET collection = ?2 WHERE id = ?1",
        params![id, collection],
    )?;
    Ok(())
}

/// A complete sync: where it left off, and when.
pub fn finish(conn: &WriteTx, id: i64, token: Option<&str>, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE sync_accounts SET sync_token = ?2, synced_at = ?3 WHERE id = ?1",
        params![id, token, ts(now)],
    )?;
    Ok(())
}

/// Every card's state on account `id`, by UID.
pub fn cards(conn: &Connection, id: i64) -> Result<HashMap<String, CardState>> {
    let mut stmt =
        conn.prepare("SELECT uid, href, etag, base FROM sync_cards WHERE account_id = ?1")?;
    let rows = stmt.query_map([id], |r| {
        Ok(CardState {
            uid: r.get(0)?,
            href: r.get(1)?,
            etag: r.get(2)?,
            base: r.get(3)?,
        })
    })?;
    let mut map = HashMap::new();
    for row in rows {
        let card = row?;
        map.insert(card.uid.clone(), card);
    }
    Ok(map)
}

pub fn put_card(conn: &WriteTx, id: i64, card: &CardState) -> Result<()> {
    // A card that moved to a new href (or a UID now at an href another had) replaces the old.
    conn.prepare_cached(
        "DELETE FROM sync_cards WHERE account_id = ?1 AND href = ?2 AND uid <> ?3",
    )?
    .execute(params![id, card.href, card.uid])?;
    conn.prepare_cached(
        "INSERT INTO sync_cards (account_id, uid, href, etag, base) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (account_id, uid) DO UPDATE SET href = excluded.href,
             etag = excluded.etag, base = excluded.base",
    )?
    .execute(params![id, card.uid, card.href, card.etag, card.base])?;
    Ok(())
}

pub fn forget_card(conn: &WriteTx, id: i64, uid: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_cards WHERE account_id = ?1 AND uid = ?2")?
        .execute(params![id, uid])?;
    Ok(())
}

pub fn add_conflict(
    conn: &WriteTx,
    id: i64,
    uid: &str,
    property: &str,
    kept: &[String],
    server: &[String],
    now: DateTime<Utc>,
) -> Result<()> {
    let json = |v: &[String]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached(
        "INSERT INTO sync_conflicts (account_id, uid, property, kept, server, found_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        uid,
        property,
        json(kept),
        json(server),
        ts(now)
    ])?;
    Ok(())
}

pub fn clear_conflicts(conn: &WriteTx, account: Option<&str>) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM sync_conflicts WHERE ?1 IS NULL
            OR account_id = (SELECT id FROM sync_accounts WHERE name = ?1)",
        [account],
    )?)
}

pub fn conflicts(conn: &Connection, account: Option<&str>) -> Result<Vec<ConflictRow>> {
    conflicts_where(conn, "?1 IS NULL OR a.name = ?1", account)
}

/// The conflicts kept for the card `uid` (one contact), oldest first.
pub fn conflicts_of(conn: &Connection, uid: &str) -> Result<Vec<ConflictRow>> {
    conflicts_where(conn, "c.uid = ?1", Some(uid))
}

/// Forget the conflicts of card `uid`'s `property` (on every account): the user settled it.
pub fn settle_conflicts(conn: &WriteTx, uid: &str, property: &str) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM sync_conflicts WHERE uid = ?1 AND property = ?2",
        params![uid, property],
    )?)
}

fn conflicts_where(
    conn: &Connection,
    condition: &str,
    value: Option<&str>,
) -> Result<Vec<ConflictRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id, a.name, c.uid, c.property, c.kept, c.server, c.found_at
           FROM sync_conflicts c JOIN sync_accounts a ON a.id = c.account_id
          WHERE {condition}
          ORDER BY c.id"
    ))?;
    let rows = stmt.query_map([value], |r| {
        let list = |s: String| serde_json::from_str::<Vec<String>>(&s).unwrap_or_default();
        Ok(ConflictRow {
            id: r.get(0)?,
            account: r.get(1)?,
            uid: r.get(2)?,
            property: r.get(3)?,
            kept: list(r.get(4)?),
            server: list(r.get(5)?),
            found_at: parse_ts(&r.get::<_, String>(6)?)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A contact from a server: a new contact with the card's UID and its kept properties.
pub fn insert_contact(
    conn: &WriteTx,
    uid: &str,
    fields: &ContactFields,
    extras: &[String],
    now: DateTime<Utc>,
) -> Result<i64> {
    let id = super::contacts::insert_with_uid(conn, fields, uid, now)?;
    super::extras::put(conn, id, extras)?;
    Ok(id)
}

/// Replace contact `id`'s fields and kept properties with a merged card's.
pub fn update_contact(
    conn: &WriteTx,
    id: i64,
    fields: &ContactFields,
    extras: &[String],
    now: DateTime<Utc>,
) -> Result<()> {
    super::contacts::update(conn, id, fields, now)?;
    super::extras::put(conn, id, extras)
}
