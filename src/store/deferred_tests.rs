//! The deferred index upkeep's tests: search rows, search chunks and dropped indexes after a
//! bulk import are what the triggers and a refold would have made.
use chrono::{TimeZone, Utc};

use crate::import::{Options, Source};
use crate::model::ContactFields;
use crate::store::{OpenMode, Store};

fn card(uid: &str, name: &str) -> crate::formats::Records {
    let text = format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nEND:VCARD\r\n");
    crate::formats::read(
        crate::formats::sniff::ImportFormat::Vcard,
        text.into_bytes(),
        &crate::formats::ReadOptions { csv_map: vec![] },
    )
    .unwrap()
}

fn search_rows(store: &Store) -> i64 {
    store
        .conn()
        .query_row("SELECT count(*) FROM contact_search", [], |r| r.get(0))
        .unwrap()
}

/// The TUI and the demo keep their connection after an import: whatever the import did
/// (dry run, commit), the triggers must be back on for the writes that follow.
#[test]
fn the_connection_gets_its_triggers_back_after_any_import() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
    for dry_run in [true, false] {
        let options = Options {
            dry_run,
            ..Options::default()
        };
        let uid = if dry_run { "dry" } else { "wet" };
        let sources = vec![Source {
            name: "x.vcf".into(),
            records: card(uid, "Ada Lovelace"),
        }];
        crate::app::import::run(&mut store, sources, &options, now, &mut |_| {}).unwrap();
    }
    assert_eq!(search_rows(&store), 1);
    let fields = ContactFields {
        display_name: "Grace Hopper".into(),
        ..ContactFields::default()
    };
    store
        .write(|tx| crate::store::contacts::insert(tx, &fields, now))
        .unwrap();
    assert_eq!(
        search_rows(&store),
        2,
        "a write after an import was not indexed"
    );
}

/// What a bulk import writes as search rows must be what the view (and so the triggers
/// of every other writer) makes of the same contacts, down to the byte.
mod search_rows_match_the_view {
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    use crate::model::{ContactFields, Labeled, new_uid};
    use crate::store::bulk::{BulkWriter, Stamps};
    use crate::store::{OpenMode, Store};

    fn labeled(values: Vec<String>) -> Vec<Labeled> {
        values
            .into_iter()
            .map(|value| Labeled { label: None, value })
            .collect()
    }

    fn contact() -> impl Strategy<Value = (ContactFields, bool)> {
        let word = "[A-Za-zÀ-ÿ]{1,6}( [a-zé]{1,4})?";
        (
            word,
            proptest::option::of(word),
            // Stored as "Acme Corp": other spellings must show the stored name.
            proptest::option::of(prop_oneof!["Acme Corp", "ACME corp", "Ümlaut AG"]),
            proptest::option::of(prop_oneof!["", "CTO", "Head of Ops"]),
            proptest::collection::vec("[a-c]{1,3}@x\\.example", 0..3),
            proptest::collection::vec("\\+1 555 0[0-9]{3}", 0..3),
            proptest::collection::vec(prop_oneof!["vip", "b", "a", "zeta", "éclair"], 0..4),
            any::<bool>(),
        )
            .prop_map(
                |(name, nickname, organization, title, emails, phones, tags, archived)| {
                    let fields = ContactFields {
                        display_name: name,
                        nickname,
                        organization,
                        title,
                        emails: labeled(emails),
                        phones: labeled(phones),
                        tags,
                        ..ContactFields::default()
                    };
                    (fields, archived)
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn for_any_contacts(
            contacts in proptest::collection::vec(contact(), 1..12),
            stored_before in 0..3usize,
        ) {
            let dir = tempfile::tempdir().unwrap();
            let mut store =
                Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
            let now = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
            // Contacts stored before share the import's first chunk.
            for (fields, _) in contacts.iter().take(stored_before) {
                store.write(|tx| crate::store::contacts::insert(tx, fields, now)).unwrap();
            }
            store
                .write(|tx| {
                    let mut writer = BulkWriter::new(tx)?;
                    writer.ensure_org("Acme Corp", now)?;
                    assert!(writer.defer_indexes()?, "the schema declined deferred indexes");
                    for (fields, archived) in &contacts {
                        let stamps = Stamps {
                            created_at: now,
                            updated_at: now,
                            archived_at: archived.then_some(now),
                        };
                        writer.insert_contact(&new_uid(), fields, &[], stamps, None)?;
                    }
                    writer.finish_indexes()
                })
                .unwrap();
            let conn = store.conn();
            let differing: Vec<(i64, String, String)> = conn
                .prepare(
                    "SELECT v.contact_id, coalesce(s.doc, '(none)'), v.doc
                       FROM contact_search_source v
                       LEFT JOIN contact_search s USING (contact_id)
                      WHERE s.doc IS NOT v.doc
                         OR s.organization_id IS NOT v.organization_id
                         OR s.archived IS NOT v.archived",
                )
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            prop_assert!(differing.is_empty(), "written vs view: {:?}", differing);
            let rows: i64 = conn
                .query_row("SELECT count(*) FROM contact_search", [], |r| r.get(0))
                .unwrap();
            prop_assert_eq!(rows as usize, contacts.len() + stored_before.min(contacts.len()));
            // The search chunks were marked and refolded: find sees every contact.
            let stale: i64 = conn
                .query_row("SELECT count(*) FROM search_chunks WHERE stale = 1", [], |r| {
                    r.get(0)
                })
                .unwrap();
            prop_assert_eq!(stale, 0);
            let mut seen = 0;
            crate::store::haystacks::for_each(conn, true, |_, _, _| seen += 1).unwrap();
            prop_assert_eq!(seen, rows as usize);
            super::assert_chunks_as_refolded(&mut store);
        }
    }
}

/// The search chunks a bulk import stored from the haystacks in hand are byte for byte
/// what refolding every chunk from the search rows gives.
fn assert_chunks_as_refolded(store: &mut Store) {
    let chunks = |store: &Store| -> Vec<(i64, i64, Vec<u8>)> {
        store
            .conn()
            .prepare("SELECT chunk, stale, data FROM search_chunks ORDER BY chunk")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let written = chunks(store);
    store
        .write(|tx| {
            tx.execute("UPDATE search_chunks SET stale = 1", [])?;
            Ok(())
        })
        .unwrap();
    assert_eq!(written, chunks(store));
}

/// Chunks the import filled alone are stored as folded; the chunk it shares with a
/// contact stored before is refolded from the search rows. Both as a refold makes them.
#[test]
fn search_chunks_of_an_import_spanning_several_are_as_refolded() {
    use crate::model::new_uid;
    use crate::store::bulk::{BulkWriter, Stamps};

    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
    let person = |i: usize| ContactFields {
        display_name: format!("Pérson {i}"),
        organization: i.is_multiple_of(3).then(|| "Acme".to_string()),
        tags: vec!["t".into()],
        ..ContactFields::default()
    };
    store
        .write(|tx| crate::store::contacts::insert(tx, &person(0), now))
        .unwrap();
    store
        .write(|tx| {
            let mut writer = BulkWriter::new(tx)?;
            assert!(writer.defer_indexes()?);
            for i in 1..600usize {
                let stamps = Stamps {
                    created_at: now,
                    updated_at: now,
                    archived_at: i.is_multiple_of(7).then_some(now),
                };
                let fields = person(i);
                let name_key = crate::model::fold(&fields.display_name);
                let prepared = crate::store::bulk::PreparedContact::of(&fields, name_key, &[]);
                writer.insert_contact(&new_uid(), &fields, &[], stamps, Some(prepared))?;
            }
            writer.finish_indexes()
        })
        .unwrap();
    let chunks: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM search_chunks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(chunks, 3);
    assert_chunks_as_refolded(&mut store);
    assert_organization_people_as_from_scratch(&store);
    let (mut all, mut active) = (0, 0);
    crate::store::haystacks::for_each(store.conn(), true, |_, _, _| all += 1).unwrap();
    crate::store::haystacks::for_each(store.conn(), false, |_, _, _| active += 1).unwrap();
    assert_eq!((all, active), (600, 600 - 599 / 7));
}

/// The `organization_people` rows (migration 0017) a bulk import left are those its
/// triggers would have: every contact with an organization, as `contacts` holds them.
fn assert_organization_people_as_from_scratch(store: &Store) {
    use crate::store::organization_people::{FROM_SCRATCH, KEPT};
    type Row = (i64, i64, String, String, String, String);
    let rows = |sql: &str| -> Vec<Row> {
        store
            .conn()
            .prepare(sql)
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let kept = rows(KEPT);
    assert!(!kept.is_empty());
    assert_eq!(kept, rows(FROM_SCRATCH));
}

/// Into an empty book each search chunk is stored as soon as the import has moved past
/// it; with or without a contact of a stored chunk rewritten afterwards, the chunks end
/// as a refold makes them, every contact's notes are indexed and every contact with an
/// organization has their `organization_people` row (a rewrite once left only those of
/// the contacts whose chunk was not stored yet).
#[test]
fn an_import_into_an_empty_book_stores_chunks_as_they_fill() {
    use crate::model::new_uid;
    use crate::store::bulk::{BulkWriter, Stamps};

    let now = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
    let person = |i: usize| ContactFields {
        display_name: format!("Pérson {i}"),
        organization: i.is_multiple_of(3).then(|| "Acme".to_string()),
        notes: Some(format!("lorem {i}")),
        ..ContactFields::default()
    };
    for rewrite in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
        store
            .write(|tx| {
                let mut writer = BulkWriter::new(tx)?;
                assert!(writer.defer_indexes()?);
                for i in 0..700usize {
                    let stamps = Stamps {
                        created_at: now,
                        updated_at: now,
                        archived_at: None,
                    };
                    let fields = person(i);
                    let key = crate::model::fold(&fields.display_name);
                    let prepared = crate::store::bulk::PreparedContact::of(&fields, key, &[]);
                    writer.insert_contact(&new_uid(), &fields, &[], stamps, Some(prepared))?;
                }
                if rewrite {
                    let renamed = ContactFields {
                        display_name: "Zebediah Renamed".into(),
                        organization: Some("Globex".into()),
                        ..person(5)
                    };
                    writer.update_contact(6, &renamed, &[], now)?;
                }
                writer.finish_indexes()
            })
            .unwrap();
        let conn = store.conn();
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(count("SELECT count(*) FROM search_chunks"), 3);
        assert_eq!(
            count("SELECT count(*) FROM search_chunks WHERE stale = 1"),
            0
        );
        let noted = "SELECT count(*) FROM contact_notes_fts WHERE contact_notes_fts MATCH 'lorem'";
        assert_eq!(count(noted), 700, "rewrite: {rewrite}");
        let mut found = Vec::new();
        crate::store::haystacks::for_each(conn, true, |id, _mask, hay| {
            if hay.windows(8).any(|w| w == b"zebediah") {
                found.push(id);
            }
        })
        .unwrap();
        assert_eq!(found, if rewrite { vec![6] } else { vec![] });
        assert_organization_people_as_from_scratch(&store);
        assert_chunks_as_refolded(&mut store);
    }
}

/// A large import drops the indexes it rebuilds: afterwards they are all back, exactly
/// as defined, and used; an import that rolls back leaves them as they were.
#[test]
fn a_large_import_gets_its_dropped_indexes_back() {
    use crate::model::{FieldKind, Labeled, new_uid};
    use crate::store::bulk::{BulkWriter, Stamps};

    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
    let schema = |store: &Store| -> Vec<(String, Option<String>)> {
        store
            .conn()
            .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let before = schema(&store);
    for name in super::REBUILT_INDEXES {
        assert!(before.iter().any(|(n, _)| n == name), "no index {name}");
    }
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
    let stamps = Stamps {
        created_at: now,
        updated_at: now,
        archived_at: None,
    };
    let import = |store: &mut Store, commit: bool| {
        store
            .write_or_roll_back(|tx| {
                let mut writer = BulkWriter::new(tx)?;
                assert!(writer.defer_indexes()?);
                writer.drop_indexes_at(2);
                for i in 0..5 {
                    // Birthdays and cadences from the third on: the agenda's indexes are
                    // dropped at the first of each past the point the others are.
                    let fields = ContactFields {
                        display_name: format!("Person {i}"),
                        organization: Some(format!("Org {}", i % 2)),
                        emails: vec![Labeled {
                            label: None,
                            value: format!("p{i}@x.example"),
                        }],
                        birthday: (i >= 2)
                            .then(|| crate::model::Birthday::parse(&format!("1980-03-{:02}", i)))
                            .transpose()?,
                        cadence: (i >= 3)
                            .then(|| crate::dates::Period::parse("30d"))
                            .transpose()
                            .map_err(crate::Error::from)?,
                        ..ContactFields::default()
                    };
                    writer.insert_contact(&new_uid(), &fields, &[], stamps, None)?;
                }
                for name in [
                    "contact_details_by_key",
                    "contacts_by_birthday_day",
                    "contacts_reconnect_from",
                ] {
                    let dropped: i64 = tx.query_row(
                        "SELECT count(*) FROM sqlite_master WHERE name = ?1",
                        [name],
                        |r| r.get(0),
                    )?;
                    assert_eq!(dropped, 0, "{name} was not dropped mid-import");
                }
                if commit {
                    writer.finish_indexes()?;
                }
                Ok(((), commit))
            })
            .unwrap();
    };
    import(&mut store, false);
    assert_eq!(
        schema(&store),
        before,
        "a rolled-back import changed the indexes"
    );
    import(&mut store, true);
    assert_eq!(schema(&store), before);
    let conn = store.conn();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let found =
        crate::store::contacts::by_detail(conn, FieldKind::Email, "p3@x.example", true).unwrap();
    assert_eq!(found.len(), 1);
    let plan: String = conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE name_key = 'person 3'",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("contacts_by_name_key"), "{plan}");
}

#[test]
fn kiths_own_schema_has_no_trigger_an_import_cannot_replay() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
    assert_eq!(
        super::unreplayed_triggers(store.conn()).unwrap(),
        Vec::<String>::new(),
        "a migration added a trigger on a table imports write: replay it in store::deferred"
    );
}
