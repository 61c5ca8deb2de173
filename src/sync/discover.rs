//! Finding the address book from the address a user knows (RFC 6764 and RFC 6352 §7): the
//! URL itself when it is an address book; else its `current-user-principal` (or that of
//! `/.well-known/carddav`), the principal's `addressbook-home-set`, and the address books
//! in that home.

use super::dav::{CARDDAV, Client, DAV, Multistatus, xml};
use crate::error::Error;
use crate::formats::vcard::write::Version;

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

/// The first address book (by path) in the home `home`: its path, or its whole URL when the
/// home is on another host than the one asked (iCloud names a host of its own).
fn in_home(client: &Client, home: &str) -> Result<String> {
    if let Some(origin) = super::dav::origin_of(home)
        && origin != client.origin()
    {
        let found = in_home(&client.on(&origin), &home[origin.len()..])?;
        return Ok(format!("{origin}{found}"));
    }
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

/// The vCard version to write to the address book `collection` (a URL): 4.0 when its
/// `supported-address-data` lists it, else 3.0.
pub fn vcard_version(client: &Client, collection: &str) -> Result<Version> {
    let ms = client.multistatus("PROPFIND", collection, "0", xml::PROPFIND_ADDRESS_DATA)?;
    Ok(version_taken(&ms))
}

/// RFC 6352 §6.2.2: a server takes the vCard versions its `supported-address-data` lists,
/// and one that lists none takes 3.0 only.
pub fn version_taken(ms: &Multistatus) -> Version {
    let takes_4 = ms.responses.iter().any(|r| {
        r.prop(CARDDAV, "supported-address-data").is_some_and(|p| {
            p.children_named(CARDDAV, "address-data-type").any(|t| {
                t.attribute("version").map(str::trim) == Some("4.0")
                    && t.attribute("content-type")
                        .is_none_or(|c| c.trim().eq_ignore_ascii_case("text/vcard"))
            })
        })
    });
    if takes_4 { Version::V4 } else { Version::V3 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(prop: &str) -> Multistatus {
        xml::multistatus(&format!(
            r#"<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:cr="urn:ietf:params:xml:ns:carddav">
 <d:response><d:href>/ada/contacts/</d:href>
  <d:propstat><d:prop>{prop}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
 </d:response>
</d:multistatus>"#
        ))
        .unwrap()
    }

    #[test]
    fn the_version_written_is_one_the_address_book_takes() {
        let both = answer(
            r#"<cr:supported-address-data>
                 <cr:address-data-type content-type="text/vcard" version="3.0"/>
                 <cr:address-data-type content-type="text/vcard" version="4.0"/>
               </cr:supported-address-data>"#,
        );
        assert_eq!(version_taken(&both), Version::V4);
        let three = answer(
            r#"<cr:supported-address-data><cr:address-data-type content-type="text/vcard"
                 version="3.0"/></cr:supported-address-data>"#,
        );
        assert_eq!(version_taken(&three), Version::V3);
        let json_only = answer(
            r#"<cr:supported-address-data><cr:address-data-type
                 content-type="application/vcard+json" version="4.0"/></cr:supported-address-data>"#,
        );
        assert_eq!(version_taken(&json_only), Version::V3);
        assert_eq!(version_taken(&answer("")), Version::V3, "none said: 3.0");
    }
}
