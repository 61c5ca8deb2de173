//! Cards that are not a person. vCard 4.0's `KIND` (and Apple's
//! `X-ADDRESSBOOKSERVER-KIND`, its 3.0 equivalent on CardDAV servers) says what a card
//! describes: a person (`individual`, also when absent or unknown), an organization (`org`),
//! a group of cards (`group`) or a place (`location`). An organization's card becomes an
//! organization (its name, the domain of its web site, its notes and tags); a group or a
//! place is not imported, and the import says so, instead of becoming a contact named "Book
//! club" who works nowhere.

use super::property::Property;
use crate::formats::json::OrganizationRecord;
use crate::formats::{ContactIn, OtherCard};

/// What a card describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    Person,
    Organization,
    Group,
    Location,
}

/// The kind of the card of `properties` (a person unless it says otherwise).
pub fn kind_of(properties: &[Property]) -> CardKind {
    let Some(p) = properties
        .iter()
        .find(|p| p.name == "KIND" || p.name == "X-ADDRESSBOOKSERVER-KIND")
    else {
        return CardKind::Person;
    };
    let value = String::from_utf8_lossy(&p.value);
    match value.trim().to_ascii_lowercase().as_str() {
        "org" | "organization" => CardKind::Organization,
        "group" => CardKind::Group,
        "location" => CardKind::Location,
        _ => CardKind::Person,
    }
}

/// Properties of an organization's card that its organization holds (or that say nothing of
/// their own).
const KEPT_BY_ORGANIZATIONS: &[&str] = &[
    "BEGIN",
    "END",
    "VERSION",
    "PRODID",
    "REV",
    "UID",
    "KIND",
    "X-ADDRESSBOOKSERVER-KIND",
    "FN",
    "N",
    "ORG",
    "NOTE",
    "CATEGORIES",
];

/// The organization an organization's card describes, read as a contact first: its name
/// (ORG, else FN), the domain of its first web site (else of its first email), its notes and
/// tags. The properties an organization cannot hold (phones, addresses, a logo...) are named
/// in its warnings.
pub fn organization_of(contact: ContactIn, properties: &[Property]) -> OrganizationRecord {
    let f = contact.fields;
    let site_domain = f.urls.first().and_then(|u| domain_of_url(&u.value));
    let domain = site_domain
        .clone()
        .or_else(|| f.emails.first().and_then(|e| domain_of_email(&e.value)));
    // The site the domain is read from is kept as that domain: its first URL, when it gave
    // one; any other URL is left out.
    let mut domain_site_unseen = site_domain.is_some();
    let mut left_out: Vec<&str> = Vec::new();
    for p in properties {
        let name = &*p.name;
        if name == "URL" && std::mem::take(&mut domain_site_unseen) {
            continue;
        }
        if !KEPT_BY_ORGANIZATIONS.contains(&name) && !left_out.contains(&name) {
            left_out.push(name);
        }
    }
    let mut warnings: Vec<String> = contact.warnings.into_iter().map(|w| w.message).collect();
    if !left_out.is_empty() {
        warnings.push(format!(
            "an organization's card (KIND:org): its name, domain, notes and tags are kept; \
             not its {} (an organization holds none)",
            left_out.join(", ")
        ));
    }
    OrganizationRecord {
        uid: contact.uid,
        name: f.organization.unwrap_or(f.display_name),
        domain,
        notes: f.notes,
        tags: f.tags,
        warnings,
        ..Default::default()
    }
}

/// A group's or a place's card, as the import reports it: its name and how many members it
/// lists (`MEMBER`, Apple's `X-ADDRESSBOOKSERVER-MEMBER`).
pub fn other_card(kind: CardKind, properties: &[Property], contact: &ContactIn) -> OtherCard {
    let members = properties
        .iter()
        .filter(|p| p.name == "MEMBER" || p.name == "X-ADDRESSBOOKSERVER-MEMBER")
        .count();
    OtherCard {
        kind: match kind {
            CardKind::Location => "location",
            _ => "group",
        },
        name: contact.fields.display_name.clone(),
        members,
    }
}

/// `https://www.globex.example/about` → `globex.example`.
fn domain_of_url(url: &str) -> Option<String> {
    let rest = url.trim();
    let rest = rest.split_once("://").map_or(rest, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    plain_domain(host.trim_start_matches("www."))
}

fn domain_of_email(email: &str) -> Option<String> {
    plain_domain(email.rsplit_once('@')?.1)
}

/// `host` lower case, when it looks like a domain (`acme.example`).
fn plain_domain(host: &str) -> Option<String> {
    let host = host.trim().trim_end_matches('.').to_lowercase();
    let ok = host.contains('.')
        && !host.starts_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    ok.then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_come_from_web_sites_and_emails() {
        assert_eq!(
            domain_of_url("https://www.Globex.example/about?x=1").as_deref(),
            Some("globex.example")
        );
        assert_eq!(
            domain_of_url("globex.example:8080").as_deref(),
            Some("globex.example")
        );
        assert_eq!(domain_of_url("https://localhost/"), None);
        assert_eq!(
            domain_of_email("info@Initech.example").as_deref(),
            Some("initech.example")
        );
        assert_eq!(domain_of_email("nobody"), None);
    }
}
