//! Finding the address book from the address a user knows (RFC 6764 and RFC 6352 §7): the
//! URL itself when it is an address book; else its `current-user-principal` (or that of
//! `/.well-known/carddav`), the principal's `addressbook-home-set`, and the address books
//! in that home.

use super::dav::{CARDDAV, Client, DAV, Multistatus, xml};
use crate::error::Error;

type Result<T> = std::result::Result<T, Error>;

fn is_addressbook(r: &xml::Response) -> bool {
    r.prop(DAV, "resourcetype")
        .is_some_and(|t| t.child(CARDDAV, "addressbook").is_some())
}

fn first_href(ms: &Multistatus, ns: &str, name: &str) -> Option<String> {
    ms.responses.iter().find_map(|r| r.href_in(ns, name))
}

/// The address book's URL (a path on the server, ending in '/').
pub fn addressbook(client: &Client, url: &str) -> Result<String> {
    let given = client.multistatus("PROPFIND", url, "0", xml::PROPFIND_DISCOVERY);
    let principal = match &given {
        Ok(ms) => {
            if let Some(book) = ms.responses.iter().find(|r| is_addressbook(r)) {
                return Ok(with_slash(client.path_of(&client.url(&book.href))));
            }
            if let Some(home) = first_href(ms, CARDDAV, "addressbook-home-set") {
                return in_home(client, &home);
            }
            first_href(ms, DAV, "current-user-principal")
        }
        Err(_) => None,
    };
    let principal = match principal {
        Some(p) => p,
        None => {
            let well_known = client.url("/.well-known/carddav");
            match client.multistatus("PROPFIND", &well_known, "0", xml::PROPFIND_DISCOVERY) {
                Ok(ms) => first_href(&ms, DAV, "current-user-principal").ok_or_else(|| {
                    not_found(
                        client,
                        "neither the URL nor /.well-known/carddav names a principal",
                    )
                })?,
                // The URL's own failure (401, down) says more than the well-known one's.
                Err(e) => return Err(given.err().unwrap_or(e)),
            }
        }
    };
    let ms = client.multistatus(
        "PROPFIND",
        &client.url(&principal),
        "0",
        xml::PROPFIND_DISCOVERY,
    )?;
    let home = first_href(&ms, CARDDAV, "addressbook-home-set").ok_or_else(|| {
        not_found(
            client,
            &format!(
                "the principal {principal} has no addressbook-home-set (not a CardDAV server?)"
            ),
        )
    })?;
    in_home(client, &home)
}

/// The first address book (by path) in the home `home`.
fn in_home(client: &Client, home: &str) -> Result<String> {
    let ms = client.multistatus("PROPFIND", &client.url(home), "1", xml::PROPFIND_DISCOVERY)?;
    let mut books: Vec<String> = ms
        .responses
        .iter()
        .filter(|r| is_addressbook(r))
        .map(|r| with_slash(client.path_of(&client.url(&r.href))))
        .collect();
    books.sort();
    books.into_iter().next().ok_or_else(|| {
        not_found(
            client,
            &format!("no address book in {home}; make one on the server (or give its URL)"),
        )
    })
}

fn with_slash(mut path: String) -> String {
    if !path.ends_with('/') {
        path.push('/');
    }
    path
}

fn not_found(client: &Client, what: &str) -> Error {
    Error::Network {
        server: client.origin().to_string(),
        message: format!("finding the address book: {what}"),
    }
}
