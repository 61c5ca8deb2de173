//! Tests of the bulk writer: a contact prepared ahead or not, one with more rows than a
//! statement takes, and the scan of stored contacts an import starts with.

use chrono::{TimeZone, Utc};

use super::{BulkWriter, PreparedContact, Stamps};
use crate::model::{ContactFields, Labeled, new_uid};
use crate::store::{OpenMode, Store};

/// Every test's contacts written at the same moment.
fn stamps() -> Stamps {
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
    Stamps {
        created_at: now,
        updated_at: now,
        archived_at: None,
    }
}

/// Each contact's details, kept properties, organization and search doc as stored,
/// without the ids that differ between two copies.
fn stored_rows(store: &Store) -> Vec<String> {
    let sql =
        "SELECT c.display_name || '|' || c.name_key || '|' || c.created_at || '|' || c.updated_at,
                      o.name, s.doc,
                      (SELECT group_concat(d.kind || '|' || ifnull(d.label, '') || '|' || d.value
                                           || '|' || d.match_key || '|' || d.position, ';')
                         FROM contact_details d WHERE d.contact_id = c.id),
                      (SELECT properties FROM contact_extras e WHERE e.contact_id = c.id)
                 FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id
                 JOIN contact_search s ON s.contact_id = c.id ORDER BY c.id";
    let mut stmt = store.conn().prepare(sql).unwrap();
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "{:?}",
            (
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            )
        ))
    });
    rows.unwrap().map(Result::unwrap).collect()
}

/// What the reading thread of an import works out ahead is what the writer would have
/// worked out itself: the same contact is stored the same either way, byte for byte.
#[test]
fn a_contact_prepared_ahead_is_stored_as_one_written_without() {
    let labeled = |values: &[&str]| -> Vec<Labeled> {
        values
            .iter()
            .map(|v| Labeled {
                label: Some("work".into()),
                value: v.to_string(),
            })
            .collect()
    };
    let fields = ContactFields {
        display_name: "Zoë Ärnström".into(),
        organization: Some("Ünïted Widgets".into()),
        emails: labeled(&["Zoe@Example.COM", "zoe.a@example.org"]),
        phones: labeled(&["+44 (0)20 7946 0958", "0049 30 1234"]),
        addresses: labeled(&["1 Main Street, Springfield"]),
        urls: labeled(&["https://Example.com/Zoe"]),
        tags: vec!["client".into()],
        ..ContactFields::default()
    };
    let extras = vec!["X-SOURCE:\"quoted\" \\ text".to_string(), "GEO:1;2".into()];
    let stamps = stamps();
    let mut stored = Vec::new();
    for ahead in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
        store
            .write(|tx| {
                let mut writer = BulkWriter::new(tx)?;
                assert!(writer.defer_indexes()?);
                let name_key = crate::model::fold(&fields.display_name);
                let prepared = ahead.then(|| PreparedContact::of(&fields, name_key, &extras));
                writer.insert_contact(&new_uid(), &fields, &extras, stamps, prepared)?;
                writer.finish_indexes()
            })
            .unwrap();
        stored.push(stored_rows(&store));
    }
    assert_eq!(stored[0].len(), 1);
    assert!(stored[0][0].contains("zoe@example.com"), "{:?}", stored[0]);
    assert!(stored[0][0].contains("301234"), "{:?}", stored[0]);
    assert!(stored[0][0].contains("zoe arnstrom"), "{:?}", stored[0]);
    assert_eq!(stored[0], stored[1]);
}

/// The scan of every stored contact an import starts with reads them all, and leaves the
/// page cache and the memory map as they were for the writes after it.
#[test]
fn the_scan_of_stored_contacts_puts_the_cache_and_map_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
    let stamps = stamps();
    let pragma = |conn: &rusqlite::Connection, name: &str| -> Option<i64> {
        conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .ok()
    };
    store
        .write(|tx| {
            let mut writer = BulkWriter::new(tx)?;
            for name in ["Ann Lee", "Bo Chen"] {
                let fields = ContactFields {
                    display_name: name.into(),
                    ..ContactFields::default()
                };
                let extras = vec![format!("X-NAME:{name}")];
                writer.insert_contact(&new_uid(), &fields, &extras, stamps, None)?;
            }
            Ok(())
        })
        .unwrap();
    let mapped = pragma(store.conn(), "mmap_size");
    store
        .write(|tx| {
            let mut writer = BulkWriter::new(tx)?;
            writer.large_cache(false)?;
            let mut seen = Vec::new();
            writer.each_stored_contact(&mut |_, _, fields, extras| {
                seen.push((fields.display_name.clone(), extras.to_vec()));
            })?;
            assert_eq!(
                seen,
                [
                    ("Ann Lee".to_string(), vec!["X-NAME:Ann Lee".to_string()]),
                    ("Bo Chen".to_string(), vec!["X-NAME:Bo Chen".to_string()]),
                ]
            );
            assert_eq!(pragma(tx, "cache_size"), Some(-262144));
            assert_eq!(pragma(tx, "mmap_size"), mapped);
            Ok(())
        })
        .unwrap();
}

/// A contact with more details and tags than one statement inserts is written in
/// several, every detail in its place and a tag given twice tagged once.
#[test]
fn a_contact_with_many_details_and_tags_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
    let stamps = stamps();
    let emails: Vec<Labeled> = (0..40)
        .map(|n| Labeled {
            label: (n % 2 == 0).then(|| "work".to_string()),
            value: format!("Person{n}@Example.com"),
        })
        .collect();
    let mut tags: Vec<String> = (0..20).map(|n| format!("tag{n:02}")).collect();
    tags.push("tag03".into());
    let fields = ContactFields {
        display_name: "Many Details".into(),
        emails,
        phones: vec![Labeled {
            label: None,
            value: "+44 20 7946 0958".into(),
        }],
        tags,
        ..ContactFields::default()
    };
    store
        .write(|tx| {
            let mut writer = BulkWriter::new(tx)?;
            writer.insert_contact(&new_uid(), &fields, &[], stamps, None)?;
            Ok(())
        })
        .unwrap();
    let conn = store.conn();
    let details: Vec<(String, Option<String>, String, String, i64)> = conn
        .prepare(
            "SELECT kind, label, value, match_key, position FROM contact_details
              ORDER BY kind, position",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(details.len(), 41);
    for (n, (kind, label, value, key, position)) in details[..40].iter().enumerate() {
        assert_eq!(kind, "email");
        assert_eq!(label.is_some(), n % 2 == 0);
        assert_eq!(value, &format!("Person{n}@Example.com"));
        assert_eq!(key, &format!("person{n}@example.com"));
        assert_eq!(*position, n as i64);
    }
    assert_eq!(details[40].0, "phone");
    let phone_key = crate::model::field_key(crate::model::FieldKind::Phone, "+44 20 7946 0958");
    assert_eq!(details[40].3, phone_key);
    let tagged: i64 = conn
        .query_row("SELECT count(*) FROM contact_tags", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tagged, 20);
}

/// An organization made for a contact is stored by its trimmed name and found again by it,
/// whichever spacing the next contact gives; one made with its times keeps them.
#[test]
fn an_organization_is_stored_once_by_its_trimmed_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
    let stamps = stamps();
    let (first, again) = store
        .write(|tx| {
            let mut writer = BulkWriter::new(tx)?;
            let first = writer.ensure_org("  Acme Corp ", stamps.created_at)?;
            let again = writer.ensure_org("ACME corp", stamps.created_at)?;
            Ok((first, again))
        })
        .unwrap();
    assert_eq!(first, again);
    let rows: Vec<(String, String, String, String)> = store
        .conn()
        .prepare("SELECT name, name_key, created_at, updated_at FROM organizations")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let at = "2026-11-24T10:00:00Z".to_string();
    assert_eq!(
        rows,
        [("Acme Corp".into(), "acme corp".into(), at.clone(), at)]
    );
}

/// An import into an empty book starts with a 12 MB page cache and grows it by 96 bytes a
/// contact written, to 64 MB at most; into a stored book it takes 256 MB at once.
#[test]
fn the_page_cache_of_an_import_into_an_empty_book_grows_with_its_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
    let cache = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("PRAGMA cache_size", [], |r| r.get(0))
            .unwrap()
    };
    store
        .write(|tx| {
            let mut writer = BulkWriter::new(tx)?;
            writer.large_cache(true)?;
            assert_eq!(cache(tx), -12 * 1024);
            writer.grow_cache(100_000)?;
            assert_eq!(cache(tx), -(12 * 1024 + 9375));
            writer.grow_cache(1_000_000)?;
            assert_eq!(cache(tx), -64 * 1024);
            writer.large_cache(false)?;
            assert_eq!(cache(tx), -256 * 1024);
            Ok(())
        })
        .unwrap();
}
