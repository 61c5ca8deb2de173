//! Matching ahead of the writes, into an empty book. There every contact of a file is new
//! but for the rare card that repeats an earlier one, so the preparing thread matches them,
//! numbers the new ones and notes them for the records after; the writing thread, which a
//! large import waits on, only writes them (at a million cards the matcher's maps were a
//! fifth of its time). At the first record this cannot decide alone (a contact that matches
//! an earlier one, which the writer merges, or another kind of record) the matcher goes to
//! the writing thread with that record's batch, and the writer matches from there on, as
//! into any book.

use super::keys::Prepared;
use super::matching::{Match, Matcher};
use crate::formats::{Record, RecordResult};

/// A contact the preparing thread found new: its number, its UID (the card's or a new one)
/// and the stored contacts of the same name to warn about.
#[derive(Debug)]
pub(super) struct Decided {
    pub id: i64,
    pub uid: String,
    pub namesakes: Vec<i64>,
}

/// The preparing thread's matcher, and the number its next new contact gets.
pub(super) struct MatchingAhead {
    matcher: Matcher,
    next_id: i64,
}

impl MatchingAhead {
    /// Into a book without contacts: numbered from 1, as SQLite would.
    pub fn into_empty_book() -> MatchingAhead {
        MatchingAhead {
            matcher: Matcher::default(),
            next_id: 1,
        }
    }

    /// Decide `item`, prepared as `prepared`: a contact that matches none before it is new,
    /// numbered and noted (its keys move to the matcher). False for anything else: the
    /// writer decides that record and every one after it.
    pub fn decide(&mut self, item: &RecordResult, prepared: &mut Option<Prepared>) -> bool {
        let (Ok(located), Some(prepared)) = (item, prepared) else {
            return false;
        };
        let Record::Contact(incoming) = &located.record else {
            return false;
        };
        let uid = incoming.uid.clone().unwrap_or_else(crate::model::new_uid);
        if !matches!(self.matcher.find(&uid, &prepared.keys), Match::New { .. }) {
            return false;
        }
        let id = self.next_id;
        self.next_id += 1;
        let namesakes = self.matcher.namesakes(&prepared.keys.name_key);
        let keys = std::mem::take(&mut prepared.keys);
        self.matcher.remember_added(id, &uid, keys);
        prepared.decided = Some(Decided { id, uid, namesakes });
        true
    }

    /// The matcher, for the writer to go on with.
    pub fn into_matcher(self) -> Matcher {
        self.matcher
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::formats::{ContactIn, Located, Location, Record, RecordResult};
    use crate::import::{Options, Source};
    use crate::model::ContactFields;
    use crate::store::{OpenMode, Store};

    fn contact(at: usize, uid: &str, name: &str, organization: Option<&str>) -> RecordResult {
        Ok(Located {
            at: Location {
                line: None,
                record: at,
            },
            record: Record::Contact(Box::new(ContactIn {
                uid: Some(uid.into()),
                fields: ContactFields {
                    display_name: name.into(),
                    organization: organization.map(str::to_string),
                    ..ContactFields::default()
                },
                extras: Vec::new(),
                created_at: None,
                updated_at: None,
                archived_at: None,
                warnings: Vec::new(),
            })),
        })
    }

    /// A contact matched and numbered ahead whose write then fails (its organization's name
    /// breaks a line, which only the store refuses when no reader checked it) is forgotten:
    /// a later card with its UID is a new contact, not one matched to a contact that is not
    /// there. Whether that card comes in the same batch as the failed one or batches later,
    /// after the matcher went to the writer for a repeated card.
    #[test]
    fn a_contact_whose_write_failed_is_matched_by_nothing() {
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
        for people_between in [0, 300] {
            let dir = tempfile::tempdir().unwrap();
            let mut store =
                Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
            let mut records = vec![contact(1, "lost", "Lost", Some("Bad\nName"))];
            for i in 0..people_between {
                records.push(contact(i + 2, &format!("p{i}"), &format!("P {i}"), None));
            }
            if people_between > 0 {
                records.push(contact(people_between + 2, "p1", "P 1", None));
            }
            records.push(contact(records.len() + 1, "lost", "Found", None));
            let sources = vec![Source {
                name: "x".into(),
                records: Box::new(records.into_iter()),
            }];
            let options = Options {
                skip_invalid: true,
                ..Options::default()
            };
            let report =
                crate::app::import::run(&mut store, sources, &options, now, &mut |_| {}).unwrap();
            let count = |outcome: &str| report.counts.get(outcome).copied().unwrap_or(0);
            assert_eq!(
                (count("new"), count("unchanged"), count("invalid")),
                (people_between + 1, usize::from(people_between > 0), 1),
                "{people_between} between: {:?}",
                report.counts
            );
            let found: String = store
                .conn()
                .query_row(
                    "SELECT display_name FROM contacts WHERE uid = 'lost'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(found, "Found");
        }
    }
}
