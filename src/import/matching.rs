//! Which contact an incoming record is: pure, over keys held in memory. Every stored contact
//! is noted once when the import starts, and every contact the import writes as it goes, so
//! a 100k-contact file costs one pass with no query per record.
//!
//! The rules (README, "Import and export"): a UID (or a UID the input already matched to a
//! stored contact) decides; then the very same content as a stored contact; then a shared
//! email, then a shared phone (by its digits). Of the contacts sharing one, one with the same
//! name is preferred. A contact added by this same import is matched only when the names
//! agree, as two cards of one file sharing an office phone are two people. A stored contact
//! is matched by an email alone, but by a phone only when the names agree too; a record whose
//! emails are those of several stored contacts (and none of its name) is not taken for any.

use super::by_id::ById;
use hashbrown::hash_table::Entry;

use super::key_index::{KeyIndex, Shards};
use super::keys::ContactKeys;

/// Which contact an incoming record is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Match {
    /// This one.
    Is(i64),
    /// None: a new contact. Stored contacts of another name that share a phone number with
    /// it, which it was not taken to be (they are told of).
    New { sharing_a_phone: Vec<i64> },
    /// Several stored contacts of other names, each with one of its emails: which one it is
    /// is not for the import to guess.
    Several(Vec<i64>),
}

/// What matching keeps of each contact: small, so that 100k contacts fit. The full contact
/// is read only when an incoming record differs from it.
#[derive(Debug, Clone)]
pub(super) struct Light {
    pub uid: String,
    pub name_key: String,
    pub digest: u64,
    /// Whether this import created it.
    pub added: bool,
}

/// Contacts by every key they can be matched by.
#[derive(Debug, Default)]
pub(super) struct Matcher {
    contacts: ById<Light>,
    by_uid: KeyIndex,
    /// Contacts by email and phone key, in the order they were stored or imported.
    by_email: KeyIndex,
    by_phone: KeyIndex,
    /// Contacts by the digest of their content: a card identical to a stored contact is that
    /// contact, even without a UID and when others share its email (see [`Matcher::find`]).
    /// (digest, contact), the digest being a hash already.
    by_digest: Shards<(u64, i64)>,
    /// UIDs in the input that matched a contact with another UID.
    aliases: foldhash::HashMap<String, i64>,
    /// The other contacts by folded name, made the first time a record matches none (see
    /// [`Matcher::namesakes`]): a re-import that matches every record never pays for it.
    by_name: Option<foldhash::HashMap<String, Vec<i64>>>,
}

impl Matcher {
    /// Note a stored contact, or one this import changed, by its keys (again).
    pub fn remember(&mut self, id: i64, uid: &str, keys: ContactKeys) {
        self.note(id, uid, keys, false);
    }

    /// Note a contact this import created: later records of the input match it only by
    /// UID, content, or an email or phone together with its name.
    pub fn remember_added(&mut self, id: i64, uid: &str, keys: ContactKeys) {
        self.note(id, uid, keys, true);
    }

    fn note(&mut self, id: i64, uid: &str, keys: ContactKeys, added: bool) {
        // A contact this import created and then changed is still its own.
        let added = added || self.contacts.get(id).is_some_and(|light| light.added);
        let digest = keys.digest;
        if let Entry::Vacant(slot) = self.by_digest.entry(digest, |e| e.0 == digest, |e| e.0) {
            slot.insert((digest, id));
        }
        self.by_uid.set(uid, id);
        for key in &keys.emails {
            self.by_email.add(key, id);
        }
        for key in &keys.phones {
            self.by_phone.add(key, id);
        }
        self.contacts.insert(
            id,
            Light {
                uid: uid.to_string(),
                name_key: keys.name_key,
                digest: keys.digest,
                added,
            },
        );
    }

    /// Forget contact `id`, added with `keys` ahead of a write that then failed (see
    /// `super::matching_ahead`): no later record may match a contact that is not there.
    pub fn forget_added(&mut self, id: i64, keys: &ContactKeys) {
        let Some(light) = self.contacts.remove(id) else {
            return;
        };
        self.by_uid.remove(&light.uid, id);
        let digest = light.digest;
        if let Entry::Occupied(slot) = self.by_digest.entry(digest, |e| e.0 == digest, |e| e.0)
            && slot.get().1 == id
        {
            slot.remove();
        }
        for key in &keys.emails {
            self.by_email.remove(key, id);
        }
        for key in &keys.phones {
            self.by_phone.remove(key, id);
        }
    }

    /// `uid`, which the input gives to contact `id` (stored under another UID), finds it too.
    pub fn alias(&mut self, uid: &str, id: i64) {
        self.aliases.insert(uid.to_string(), id);
    }

    /// Which contact an incoming one with `uid` and `keys` is.
    pub fn find(&self, uid: &str, keys: &ContactKeys) -> Match {
        if let Some(id) = self.by_uid(uid) {
            return Match::Is(id);
        }
        // The very same content as a stored contact (a card without a UID imported again):
        // that contact, not another that happens to share an email with it.
        let digest = keys.digest;
        if let Some(&(_, id)) = self.by_digest.find(digest, |e| e.0 == digest) {
            return Match::Is(id);
        }
        let same_name = |id: &&i64| {
            self.contacts
                .get(**id)
                .is_some_and(|k| k.name_key == keys.name_key)
        };
        let by_email: Vec<i64> = (keys.emails.iter())
            .flat_map(|e| self.by_email.get(e))
            .copied()
            .collect();
        let by_phone: Vec<i64> = (keys.phones.iter())
            .flat_map(|p| self.by_phone.get(p))
            .copied()
            .collect();
        // Adds to `into` the stored contacts (not this import's) of `ids` not in it yet.
        let add_stored = |into: &mut Vec<i64>, ids: &[i64]| {
            for &id in ids {
                if !self.was_added(id) && !into.contains(&id) {
                    into.push(id);
                }
            }
        };
        if let Some(&id) = by_email.iter().chain(&by_phone).find(same_name) {
            // This one, unless it would be given an email that other stored contacts have.
            let mut all = vec![id];
            for key in &keys.emails {
                let owners = self.by_email.get(key);
                if !owners.contains(&id) {
                    add_stored(&mut all, owners);
                }
            }
            return match all[..] {
                [id] => Match::Is(id),
                _ => Match::Several(all),
            };
        }
        // Of another name: a stored contact with one of its emails is it, unless several
        // are (which one?); one with only a phone in common is not (an office's phone).
        let mut with_its_emails = Vec::new();
        add_stored(&mut with_its_emails, &by_email);
        match with_its_emails[..] {
            [] => {
                let mut sharing_a_phone = Vec::new();
                add_stored(&mut sharing_a_phone, &by_phone);
                Match::New { sharing_a_phone }
            }
            [id] => Match::Is(id),
            _ => Match::Several(with_its_emails),
        }
    }

    /// The contacts not created by this import whose folded name is `name_key`: a new record
    /// that matched none of them by a key has the same name as these (likely one person
    /// twice). Contacts this import creates are left out, as they are by [`Matcher::find`]
    /// unless their names agree.
    pub fn namesakes(&mut self, name_key: &str) -> Vec<i64> {
        let contacts = &self.contacts;
        let by_name = self.by_name.get_or_insert_with(|| {
            let mut by_name = foldhash::HashMap::<String, Vec<i64>>::default();
            for (id, light) in contacts.iter().filter(|(_, light)| !light.added) {
                by_name.entry(light.name_key.clone()).or_default().push(id);
            }
            for ids in by_name.values_mut() {
                ids.sort_unstable();
            }
            by_name
        });
        by_name.get(name_key).cloned().unwrap_or_default()
    }

    /// The contact a record of the input refers to by `uid` (its own or an alias).
    pub fn by_uid(&self, uid: &str) -> Option<i64> {
        (self.by_uid.get(uid).first())
            .or_else(|| self.aliases.get(uid))
            .copied()
    }

    /// Whether this import created contact `id`.
    pub fn was_added(&self, id: i64) -> bool {
        self.contacts.get(id).is_some_and(|light| light.added)
    }

    /// What is kept of contact `id`.
    pub fn get(&self, id: i64) -> Option<&Light> {
        self.contacts.get(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContactFields, Labeled};

    fn keys(name: &str, emails: &[&str], phones: &[&str]) -> ContactKeys {
        let labeled = |values: &[&str]| {
            values
                .iter()
                .map(|v| Labeled {
                    label: None,
                    value: v.to_string(),
                })
                .collect()
        };
        let fields = ContactFields {
            display_name: name.into(),
            emails: labeled(emails),
            phones: labeled(phones),
            ..ContactFields::default()
        };
        ContactKeys::of(&fields, &[])
    }

    fn new(sharing_a_phone: &[i64]) -> Match {
        Match::New {
            sharing_a_phone: sharing_a_phone.to_vec(),
        }
    }

    /// Ann (ann@example.com, +44 20 7946 0000) and Bob (bob@example.com), stored.
    fn stored() -> Matcher {
        let mut m = Matcher::default();
        m.remember(
            1,
            "ann",
            keys("Ann", &["ann@example.com"], &["+44 20 7946 0000"]),
        );
        m.remember(2, "bob", keys("Bob", &["bob@example.com"], &[]));
        m
    }

    #[test]
    fn a_uid_wins_over_an_email_of_another_contact() {
        let m = stored();
        assert_eq!(
            m.find("bob", &keys("Ann", &["ann@example.com"], &[])),
            Match::Is(2)
        );
    }

    #[test]
    fn an_alias_finds_the_contact_it_matched() {
        let mut m = stored();
        m.alias("ann-on-the-phone", 1);
        assert_eq!(
            m.find("ann-on-the-phone", &keys("X", &[], &[])),
            Match::Is(1)
        );
        assert_eq!(m.by_uid("ann-on-the-phone"), Some(1));
    }

    #[test]
    fn an_email_alone_matches_a_stored_contact() {
        let m = stored();
        let other_name = keys("Annie Smith", &["ANN@example.com "], &[]);
        assert_eq!(m.find("new", &other_name), Match::Is(1));
    }

    #[test]
    fn within_one_input_an_email_alone_does_not_merge_two_names() {
        let mut m = Matcher::default();
        m.remember_added(7, "first", keys("Ann", &["office@example.com"], &[]));
        let colleague = keys("Carla", &["office@example.com"], &[]);
        assert_eq!(m.find("second", &colleague), new(&[]));
        let same_person = keys("ann", &["office@example.com"], &[]);
        assert_eq!(m.find("third", &same_person), Match::Is(7));
    }

    #[test]
    fn phones_match_by_their_digits_with_the_name() {
        let m = stored();
        let written_otherwise = keys("ANN", &[], &["0044 (20) 7946-0000"]);
        assert_eq!(m.find("new", &written_otherwise), Match::Is(1));
    }

    #[test]
    fn a_phone_alone_does_not_make_another_name_a_stored_contact() {
        // Tom shares Ann's office line: he is someone else, whom Ann is named to.
        let m = stored();
        let tom = keys("Tom Baker", &["tom@example.com"], &["+44 20 7946 0000"]);
        assert_eq!(m.find("tom", &tom), new(&[1]));
    }

    #[test]
    fn of_several_sharing_a_phone_the_one_with_the_name_is_taken() {
        let mut m = stored();
        m.remember(3, "carla", keys("Carla", &[], &["+44 20 7946 0000"]));
        let carla = keys("Carla", &[], &["+44 20 7946 0000"]);
        assert_eq!(m.find("new", &carla), Match::Is(3));
        let nobody = keys("Dora", &[], &["+44 20 7946 0000"]);
        assert_eq!(m.find("new", &nobody), new(&[1, 3]));
    }

    #[test]
    fn emails_of_several_stored_contacts_are_none_of_them() {
        let m = stored();
        let both = keys("Zed", &["ann@example.com", "bob@example.com"], &[]);
        assert_eq!(m.find("new", &both), Match::Several(vec![1, 2]));
        // Of the name of one of them: still both (merged into Bob, Ann's email would be
        // his too).
        let bob = keys("Bob", &["ann@example.com", "bob@example.com"], &[]);
        assert_eq!(m.find("new", &bob), Match::Several(vec![2, 1]));
        // Bob with his own email and Ann's phone: Bob.
        let bob = keys("Bob", &["bob@example.com"], &["+44 20 7946 0000"]);
        assert_eq!(m.find("new", &bob), Match::Is(2));
    }

    #[test]
    fn the_same_content_is_the_same_contact() {
        let mut m = stored();
        let twin = keys("Ann", &["shared@example.com"], &[]);
        m.remember(3, "twin", twin.clone());
        m.remember(4, "other", keys("Zed", &["shared@example.com"], &[]));
        assert_eq!(m.find("no-uid", &twin), Match::Is(3));
    }

    #[test]
    fn a_stored_contact_of_the_same_name_is_a_namesake_not_a_match() {
        let mut m = stored();
        m.remember(3, "ann-2", keys("ANN", &["ann@elsewhere.example"], &[]));
        m.remember_added(4, "added", keys("Ann", &["ann@added.example"], &[]));
        let other_ann = keys("Ann", &["ann@else.example"], &[]);
        assert_eq!(m.find("new", &other_ann), new(&[]));
        assert_eq!(
            m.namesakes(&other_ann.name_key),
            [1, 3],
            "the stored ones, not this import's own"
        );
        assert!(m.namesakes("bobby").is_empty());
    }

    #[test]
    fn nothing_shared_is_no_match() {
        let m = stored();
        let stranger = keys("Ann", &["someone@example.com"], &["+1 555 0100"]);
        assert_eq!(m.find("new", &stranger), new(&[]));
        assert_eq!(m.by_uid("new"), None);
    }
}
