//! Contacts by a text key (a UID, an email's or a phone's match key). The keys' text is kept
//! end to end in one string, and each entry holds its key's hash, place and contact: growing
//! a table moves small entries without reading any key again, and adding a key allocates
//! nothing of its own. The entries are spread over [`SHARDS`] tables by their hash, which
//! grow one at a time. With one map keyed by `String`, each doubling at a million contacts
//! read a million scattered strings, three maps at once, and held up the whole import for
//! most of a second; a shard's doubling takes a few milliseconds.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

/// The contacts of one key: nearly always one, held in the entry; several (in the order they
/// came) in a list of the index's.
#[derive(Debug, Clone, Copy)]
enum Ids {
    One(i64),
    Many(u32),
}

#[derive(Debug)]
struct Slot {
    hash: u64,
    /// Where the key is in [`KeyIndex::text`].
    at: usize,
    len: u32,
    ids: Ids,
}

/// How many tables the entries of an index are spread over.
const SHARDS: usize = 256;

/// Tables of entries spread by their hash, which grow one at a time: none ever holds up an
/// import while it moves a million entries at once.
pub(super) struct Shards<T> {
    tables: Vec<HashTable<T>>,
}

impl<T> Default for Shards<T> {
    fn default() -> Self {
        Shards { tables: Vec::new() }
    }
}

impl<T> std::fmt::Debug for Shards<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Shards({} entries)", self.len())
    }
}

/// The shard of `hash`: chosen by bits that a table itself uses for neither the bucket (the
/// lowest) nor the tag it compares first (the highest seven).
fn shard_of(hash: u64) -> usize {
    (hash >> 48) as usize % SHARDS
}

impl<T> Shards<T> {
    fn table(&self, hash: u64) -> Option<&HashTable<T>> {
        self.tables.get(shard_of(hash))
    }

    pub fn find(&self, hash: u64, eq: impl FnMut(&T) -> bool) -> Option<&T> {
        self.table(hash)?.find(hash, eq)
    }

    /// The entry for `hash` (see [`HashTable::entry`]). A table grows before it is full, at
    /// a fill between three quarters and nearly all of it, different from one table to the
    /// next: with entries spread evenly, every table would otherwise double at about the
    /// same count, and all that moving and zeroing of memory would again hold up the import
    /// at once rather than spread over a quarter of it.
    pub fn entry(
        &mut self,
        hash: u64,
        eq: impl FnMut(&T) -> bool,
        hasher: impl Fn(&T) -> u64,
    ) -> Entry<'_, T> {
        if self.tables.is_empty() {
            self.tables.resize_with(SHARDS, HashTable::new);
        }
        let shard = shard_of(hash);
        let table = &mut self.tables[shard];
        let capacity = table.capacity();
        if table.len() >= capacity * 3 / 4 + capacity * (shard % 64) / 256 {
            table.reserve(capacity - table.len() + 1, &hasher);
        }
        table.entry(hash, eq, hasher)
    }

    pub fn len(&self) -> usize {
        self.tables.iter().map(HashTable::len).sum()
    }
}

/// Contacts by text key.
#[derive(Default)]
pub(super) struct KeyIndex {
    table: Shards<Slot>,
    text: String,
    lists: Vec<Vec<i64>>,
    hasher: foldhash::fast::RandomState,
}

impl std::fmt::Debug for KeyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyIndex({:?})", self.table)
    }
}

/// Whether `slot` is `key`'s, with the keys' text in `text`.
fn is_key(text: &str, slot: &Slot, key: &str) -> bool {
    slot.len as usize == key.len() && text.get(slot.at..slot.at + key.len()) == Some(key)
}

impl KeyIndex {
    /// Add contact `id` to those of `key`, after the others (a contact once).
    pub fn add(&mut self, key: &str, id: i64) {
        self.put(key, id, false);
    }

    /// Make contact `id` the only one of `key`.
    pub fn set(&mut self, key: &str, id: i64) {
        self.put(key, id, true);
    }

    fn put(&mut self, key: &str, id: i64, only: bool) {
        // A key too long to note cannot be matched by; none of a contact's is near that.
        let Ok(len) = u32::try_from(key.len()) else {
            return;
        };
        let hash = self.hasher.hash_one(key);
        let text = &self.text;
        match self
            .table
            .entry(hash, |slot| is_key(text, slot, key), |slot| slot.hash)
        {
            Entry::Occupied(mut slot) => {
                let ids = &mut slot.get_mut().ids;
                match *ids {
                    _ if only => *ids = Ids::One(id),
                    Ids::One(first) if first == id => {}
                    Ids::One(first) => {
                        *ids = Ids::Many(self.lists.len() as u32);
                        self.lists.push(vec![first, id]);
                    }
                    Ids::Many(list) => {
                        let list = &mut self.lists[list as usize];
                        if !list.contains(&id) {
                            list.push(id);
                        }
                    }
                }
            }
            Entry::Vacant(slot) => {
                let at = self.text.len();
                slot.insert(Slot {
                    hash,
                    at,
                    len,
                    ids: Ids::One(id),
                });
                self.text.push_str(key);
            }
        }
    }

    /// The contacts of `key`, in the order they were added.
    pub fn get(&self, key: &str) -> &[i64] {
        let hash = self.hasher.hash_one(key);
        match self.table.find(hash, |slot| is_key(&self.text, slot, key)) {
            None => &[],
            Some(Slot {
                ids: Ids::One(id), ..
            }) => std::slice::from_ref(id),
            Some(Slot {
                ids: Ids::Many(list),
                ..
            }) => &self.lists[*list as usize],
        }
    }

    /// Take contact `id` from those of `key`; a key left with none goes (its text stays,
    /// unused: this is rare).
    pub fn remove(&mut self, key: &str, id: i64) {
        let hash = self.hasher.hash_one(key);
        let text = &self.text;
        let Entry::Occupied(mut slot) =
            self.table
                .entry(hash, |slot| is_key(text, slot, key), |slot| slot.hash)
        else {
            return;
        };
        match slot.get().ids {
            Ids::One(only) if only == id => {
                slot.remove();
            }
            Ids::One(_) => {}
            Ids::Many(list) => {
                let ids = &mut self.lists[list as usize];
                ids.retain(|other| *other != id);
                if let [only] = ids[..] {
                    ids.clear();
                    slot.get_mut().ids = Ids::One(only);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key's contacts are kept in the order they were seen, each once; taken away one by
    /// one, the key goes with the last.
    #[test]
    fn a_key_keeps_each_contact_once_in_order() {
        let mut index = KeyIndex::default();
        assert!(index.get("ann@example.com").is_empty());
        for id in [7, 7, 3, 7, 9, 3] {
            index.add("ann@example.com", id);
        }
        assert_eq!(index.get("ann@example.com"), [7, 3, 9]);
        index.remove("ann@example.com", 3);
        assert_eq!(index.get("ann@example.com"), [7, 9]);
        index.remove("ann@example.com", 7);
        assert_eq!(index.get("ann@example.com"), [9]);
        index.remove("ann@example.com", 8);
        assert_eq!(index.get("ann@example.com"), [9], "not its contact");
        index.remove("ann@example.com", 9);
        assert!(index.get("ann@example.com").is_empty());
        assert_eq!(index.table.len(), 0);
    }

    /// Through the table's growth (here from empty to 100k keys) every key still finds its
    /// contacts, and only its own; keys that are prefixes of others stay apart.
    #[test]
    fn keys_find_their_contacts_through_growth() {
        let mut index = KeyIndex::default();
        for id in 0..100_000 {
            index.add(&format!("k{id}"), id);
            if id % 1000 == 0 {
                index.add(&format!("k{id}"), -id);
            }
        }
        index.set("uid-1", 5);
        index.set("uid-1", 6);
        assert_eq!(index.get("k42"), [42]);
        assert_eq!(index.get("k4"), [4], "not k42's");
        assert_eq!(index.get("k3000"), [3000, -3000]);
        assert_eq!(index.get("uid-1"), [6], "the last set wins");
        assert!(index.get("k100000").is_empty());
        assert!(index.get("").is_empty());
        index.remove("k42", 42);
        assert!(index.get("k42").is_empty());
        index.remove("k3000", 3000);
        assert_eq!(index.get("k3000"), [-3000]);
        assert_eq!(index.table.len(), 100_000, "k42 gone, uid-1 added");
    }
}
