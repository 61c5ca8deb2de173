//! Cards as a sync compares them, pure: a contact as kith writes it (vCard 4.0 through
//! `formats::vcard`, the text both the base and the server's cards are compared in), and a
//! server's card read into a contact's fields and kept properties, validated as the book
//! stores them.

use crate::app::sync::CardContent;
use crate::formats::Record;
use crate::formats::vcard::write::{Version, write_card};

/// Kith's text of a card: what is stored as the base and PUT to the server.
pub fn canonical(uid: &str, content: &CardContent) -> String {
    let mut text = String::new();
    write_card(
        &mut text,
        uid,
        &content.fields,
        &content.extras,
        Version::V4,
    );
    text
}

/// A card as it goes to a server that takes `version`: kith's own text for 4.0, the same
/// contact written as vCard 3.0 for a server that takes only that.
pub fn for_server(uid: &str, content: &CardContent, version: Version) -> String {
    match version {
        Version::V4 => canonical(uid, content),
        Version::V3 => {
            let mut text = String::new();
            write_card(
                &mut text,
                uid,
                &content.fields,
                &content.extras,
                Version::V3,
            );
            text
        }
    }
}

/// A server's card: its UID (the file's name when it has none) and its content.
pub fn read(text: &str, href: &str) -> Result<(String, CardContent), String> {
    let mut reader = crate::formats::vcard::read(text.as_bytes().to_vec())?;
    let record = match reader.next() {
        Some(Ok(located)) => located.record,
        Some(Err(problem)) => return Err(problem.message),
        None => return Err("holds no vCard".into()),
    };
    let contact = match record {
        Record::Contact(contact) => contact,
        // kith syncs people: a group's or an organization's card is left as it is.
        Record::OtherCard(card) => {
            return Err(format!(
                "a {}'s card (KIND:{}), not a person's",
                card.kind, card.kind
            ));
        }
        Record::Organization(_) => {
            return Err("an organization's card (KIND:org), not a person's".into());
        }
        _ => return Err("holds no vCard".into()),
    };
    let mut fields = contact.fields;
    fields.validate().map_err(|e| e.to_string())?;
    // The reader makes a UID from the content of a card without one; a card on a server is
    // known by its file instead, which stays when the card is edited.
    let uid = contact
        .uid
        .filter(|u| !u.trim().is_empty() && has_uid(text))
        .unwrap_or_else(|| uid_from_href(href));
    Ok((
        uid,
        CardContent {
            fields,
            extras: contact.extras,
        },
    ))
}

fn has_uid(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start().as_bytes();
        l.len() > 4 && l[..3].eq_ignore_ascii_case(b"UID") && matches!(l[3], b':' | b';')
    })
}

/// `/ada/contacts/6f1c.vcf` → `6f1c`: a card without a UID is known by its file.
fn uid_from_href(href: &str) -> String {
    let name = href
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(href);
    name.strip_suffix(".vcf").unwrap_or(name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_kith_wrote_reads_back_to_the_same_text() {
        let phone = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nN:Hopper;Grace;;;\r\n\
                     TEL;TYPE=CELL:+1 555 0100\r\nCATEGORIES:navy,Friends\r\nORG:US Navy\r\n\
                     X-PHONE-THING:kept\r\nEND:VCARD\r\n";
        let (uid, content) = read(phone, "/u/c/gh-1.vcf").unwrap();
        assert_eq!(uid, "gh-1");
        assert_eq!(content.fields.organization.as_deref(), Some("US Navy"));
        let text = canonical(&uid, &content);
        assert!(text.contains("X-PHONE-THING:kept"), "{text}");
        let (uid2, again) = read(&text, "/elsewhere.vcf").unwrap();
        assert_eq!(uid2, "gh-1");
        assert_eq!(canonical(&uid2, &again), text);
    }

    #[test]
    fn a_card_sent_as_3_0_reads_back_as_the_same_contact() {
        let phone = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:ada-1\r\nFN:Ada Lovelace\r\n\
                     N:Lovelace;Ada;;;\r\nBDAY:--1210\r\nEMAIL;TYPE=work:ada@example.com\r\n\
                     TEL;TYPE=cell:+44 20 7946 0000\r\nCATEGORIES:client\r\n\
                     X-KITH-CADENCE:30d\r\nEND:VCARD\r\n";
        let (uid, content) = read(phone, "/u/c/ada-1.vcf").unwrap();
        let sent = for_server(&uid, &content, Version::V3);
        assert!(sent.contains("VERSION:3.0"), "{sent}");
        let (uid2, back) = read(&sent, "/u/c/ada-1.vcf").unwrap();
        assert_eq!(uid2, uid);
        assert_eq!(canonical(&uid2, &back), canonical(&uid, &content), "{sent}");
        assert_eq!(
            for_server(&uid, &content, Version::V4),
            canonical(&uid, &content)
        );
    }

    #[test]
    fn groups_and_organizations_are_not_people() {
        let group = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:g1\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n\
                     FN:Family\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p1\r\nEND:VCARD\r\n";
        assert_eq!(
            read(group, "/u/c/g1.vcf").unwrap_err(),
            "a group's card (KIND:group), not a person's"
        );
        let org = "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Globex\r\nEND:VCARD\r\n";
        assert_eq!(
            read(org, "/u/c/o1.vcf").unwrap_err(),
            "an organization's card (KIND:org), not a person's"
        );
    }

    #[test]
    fn a_card_that_is_not_one_is_refused() {
        assert!(read("hello", "/a.vcf").is_err());
        assert!(read("BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n", "/a.vcf").is_err());
    }
}
