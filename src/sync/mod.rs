//! `kith sync`: two-way sync of the book with CardDAV address books. The only place kith
//! touches the network, and only when `kith sync` runs.
//!
//! - [`dav`]: the HTTP/WebDAV client (ureq with rustls, timeouts, retries) and its XML.
//! - [`discover`]: from the server's address to the address book.
//! - [`merge`] (pure): the three-way merge of a card, property by property.
//! - [`card`] (pure): a contact as the vCard text a sync compares, and a server's card read.
//! - [`engine`]: one sync: what changed on each side, merged, written both ways in batches.
//!
//! What a sync writes to the book goes through `app::sync`, one transaction per batch.

pub mod card;
pub mod dav;
pub mod discover;
pub mod engine;
pub mod merge;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::sync::Account;

/// The account's password: from its command's first line of output, or its variable.
pub fn password(account: &Account) -> Result<String> {
    if let Some(var) = &account.password_env {
        return std::env::var(var).map_err(|_| {
            Error::Usage(format!(
                "sync account {}: the password variable {var} is not set",
                account.name
            ))
        });
    }
    let Some(command) = &account.password_command else {
        return Err(Error::Usage(format!(
            "sync account {} says no way to get its password; `kith sync rm` and add it again",
            account.name
        )));
    };
    let out = std::process::Command::new("sh")
        .args(["-c", command])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| Error::io("sh", e))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().next().unwrap_or("").to_string();
    if !out.status.success() || line.is_empty() {
        return Err(Error::Usage(format!(
            "sync account {}: the password command `{command}` {}",
            account.name,
            if out.status.success() {
                "printed nothing".to_string()
            } else {
                format!("failed ({})", out.status)
            }
        )));
    }
    Ok(line)
}

/// Sync the book with one account: find its address book the first time, then sync.
pub fn run(store: &mut Store, clock: Clock, account: Account) -> Result<engine::Report> {
    let password = password(&account)?;
    let client = dav::Client::new(&account.url, &account.user, &password)?;
    let collection = match &account.collection {
        Some(c) => c.clone(),
        None => {
            let found = discover::addressbook(&client, &account.url)?;
            crate::app::sync::set_collection(store, account.id, &found)?;
            found
        }
    };
    // An address book on another host than the account's URL is kept as its whole URL.
    let (client, collection) = match dav::origin_of(&collection) {
        Some(origin) if origin != client.origin() => {
            let path = collection[origin.len()..].to_string();
            (client.on(&origin), path)
        }
        _ => (client, collection),
    };
    engine::Sync::new(store, clock, &client, account, collection).run()
}
