//! What matching needs to know of a contact: a digest of its content and the keys it can be
//! found by; and what search will keep of it. Worked out on the preparing thread for incoming
//! records (see `import::write`), so that the writing thread, which a large import waits on,
//! only looks them up.

use crate::formats::{Record, RecordResult};
use crate::model::{ContactFields, FieldKind, email_key, fold, phone_key};
use crate::store::bulk::PreparedContact;

use super::Options;
use super::matching_ahead::Decided;

/// The keys of one contact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ContactKeys {
    /// [`digest_of`] its fields and kept properties.
    pub digest: u64,
    /// Its folded display name.
    pub name_key: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
}

impl ContactKeys {
    pub fn of(fields: &ContactFields, extras: &[String]) -> ContactKeys {
        ContactKeys {
            digest: digest_of(fields, extras),
            name_key: fold(&fields.display_name),
            emails: fields.emails.iter().map(|e| email_key(&e.value)).collect(),
            phones: fields.phones.iter().map(|p| phone_key(&p.value)).collect(),
        }
    }
}

/// An incoming contact's keys, and what writing it takes if it is new (when asked for).
pub(super) struct Prepared {
    pub keys: ContactKeys,
    pub row: Option<PreparedContact>,
    /// New, as matched ahead of the writes (see [`super::matching_ahead`]): its keys are
    /// then with the matcher, not here.
    pub decided: Option<Decided>,
}

/// Make an incoming contact what it will be stored as (the tags every imported contact
/// gets, in order) and work out its keys and, `for_new`, what writing it as a new contact
/// takes. Other records need neither.
pub(super) fn prepare(
    options: &Options,
    item: &mut RecordResult,
    for_new: bool,
) -> Option<Prepared> {
    let Ok(located) = item else { return None };
    let Record::Contact(incoming) = &mut located.record else {
        return None;
    };
    for tag in &options.tags {
        if !incoming.fields.tags.contains(tag) {
            incoming.fields.tags.push(tag.clone());
        }
    }
    incoming.fields.tags.sort();
    let fields = &incoming.fields;
    if !for_new {
        let keys = ContactKeys::of(fields, &incoming.extras);
        return Some(Prepared {
            keys,
            row: None,
            decided: None,
        });
    }
    let name_key = fold(&fields.display_name);
    let row = PreparedContact::of(fields, name_key.clone(), &incoming.extras);
    // The row has the emails' and phones' keys already (a phone's takes parsing).
    let keys = match row.email_and_phone_keys(fields) {
        Some((emails, phones)) => ContactKeys {
            digest: digest_of(fields, &incoming.extras),
            name_key,
            emails: emails.to_vec(),
            phones: phones.to_vec(),
        },
        None => ContactKeys::of(fields, &incoming.extras),
    };
    Some(Prepared {
        keys,
        row: Some(row),
        decided: None,
    })
}

/// A digest of everything an import can change on a contact. Kept in memory only, for one
/// import: foldhash (its quality variant) rather than SipHash, several times slower over the
/// long kept lines (photos) of real cards.
pub(super) fn digest_of(fields: &ContactFields, extras: &[String]) -> u64 {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut h = foldhash::quality::FixedState::with_seed(0x6b69_7468).build_hasher();
    fields.display_name.hash(&mut h);
    for o in [
        &fields.given_name,
        &fields.family_name,
        &fields.nickname,
        &fields.organization,
        &fields.title,
        &fields.notes,
    ] {
        o.hash(&mut h);
    }
    for kind in FieldKind::ALL {
        for l in fields.labeled(kind) {
            l.label.hash(&mut h);
            l.value.hash(&mut h);
        }
        // A separator, so that values cannot slide from one kind to the next.
        0xffu8.hash(&mut h);
    }
    fields
        .birthday
        .map(|b| (b.year, b.month, b.day))
        .hash(&mut h);
    fields.preferred_channel.hash(&mut h);
    fields.cadence.hash(&mut h);
    fields.tags.hash(&mut h);
    extras.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{ContactIn, Located, Location};
    use crate::model::Labeled;

    /// Into an empty book the emails' and phones' keys are taken from the prepared row: the
    /// same keys as worked out on their own.
    #[test]
    fn keys_taken_from_the_prepared_row_are_those_worked_out_alone() {
        let labeled = |values: &[&str]| -> Vec<Labeled> {
            values
                .iter()
                .map(|v| Labeled {
                    label: None,
                    value: v.to_string(),
                })
                .collect()
        };
        let fields = ContactFields {
            display_name: "Zoë Ärnström".into(),
            emails: labeled(&[" Zoe@Example.COM", "zoe.a@example.org"]),
            phones: labeled(&["+44 (0)20 7946 0958", "0049 30 1234", "tel:555"]),
            addresses: labeled(&["1 Main Street"]),
            urls: labeled(&["https://Example.com/Zoe"]),
            ..ContactFields::default()
        };
        let extras = vec!["X-A:b".to_string()];
        let contact = ContactIn {
            uid: None,
            fields,
            extras,
            created_at: None,
            updated_at: None,
            archived_at: None,
            warnings: Vec::new(),
        };
        let mut item: RecordResult = Ok(Located {
            at: Location::default(),
            record: Record::Contact(Box::new(contact)),
        });
        let options = Options::default();
        let prepared = prepare(&options, &mut item, true).unwrap();
        let Ok(Located {
            record: Record::Contact(c),
            ..
        }) = &item
        else {
            panic!("not a contact")
        };
        assert!(prepared.row.is_some());
        assert_eq!(prepared.keys, ContactKeys::of(&c.fields, &c.extras));
        assert_eq!(prepared.keys.phones.len(), 3);
    }
}
