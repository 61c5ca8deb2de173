//! Shipped migrations are frozen, and a book of every earlier schema migrates to the current
//! one with every record intact, as the CLI shows it. The books are in `tests/fixtures/`
//! (`SCHEMAS.md` says which kith wrote each).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::common::Env;

/// The SHA-256 of every shipped migration. A book that ran a migration never runs it again,
/// so an edit reaches new books only and the two kinds drift apart.
const SHIPPED: &[(&str, &str)] = &[
    (
        "0001_init.sql",
        "9f79a01aaebd1349f9af6a33a2e61fee0a25fe4af9a6a3a41e8febde1b1f27cc",
    ),
    (
        "0002_search.sql",
        "157a19f9ddab8b961015c1c42edf3caf337768cb5ab0d45ba295cad3c0f4197b",
    ),
    (
        "0003_agenda.sql",
        "caf2452868599752e42fae2126ecce17b7c7dd5d5a7127acce403ea06c04b866",
    ),
    (
        "0004_import.sql",
        "2d8397cc8eb69d1d5bb59773c608e8567a3419591316a1b43e338aa6cf0aad44",
    ),
    (
        "0005_search_haystack.sql",
        "05d9188bd68d1715c312648457dca1d09c94f2c565ee0fe3a07cae9cf953c9bc",
    ),
    (
        "0006_lean_import_rows.sql",
        "4f25e3982decd7eb463fed356dd53f97dd119eecd5f7ff5d7c826a99effeb373",
    ),
    (
        "0007_details_key_first.sql",
        "712d07a3ab37f487a1a3fc51296135b860a1e19f363963f37c52c221c79e51bd",
    ),
    (
        "0008_phone_keys.sql",
        "5a1828fd50c1422f0c9987b89bc21c68b4a8c421bb8249d6a92f8fc457384b54",
    ),
    (
        "0009_interaction_organization.sql",
        "68e45f855c3eb0c6954a54846d8c06ec408bbbebe585093cfb5407e15a3175f4",
    ),
    (
        "0010_capture.sql",
        "4f1efa45c19b82f95d11f91e5059b22b40b4f79c7273efd02e7513c7988da5d3",
    ),
    (
        "0011_last_contact.sql",
        "d0377dd3059720764a287d81981342380d1ea18b748a5a56401893dda1b97385",
    ),
    (
        "0012_sync.sql",
        "86c5e1eb8715de36b8d1fcbe8e93e1d00b85a3e8da7e4c10f13f319286f8ba47",
    ),
    (
        "0013_organization_cadence.sql",
        "45b2f326fa2a13c8296d2995fed6ee8f4cf1f23da2cd3b0b10c73138e6f1e237",
    ),
    (
        "0014_capture_revisions.sql",
        "de0926518fcf7afa903286d0fa7cc645f06e719c0d30f92f76cdf499cd91d7ee",
    ),
    (
        "0015_contact_touches.sql",
        "83be92d1e32ef8644f315301611e487c914437d1cba65111c9c5f066a9eff1fe",
    ),
    (
        "0016_agenda_indexes.sql",
        "f5b3eb86b487bb28f3b42f75702948043e25a35457e79cfa5f5a4229964cce23",
    ),
    (
        "0017_organization_people.sql",
        "cfcf7329b554d554d996265eed964d4c0c6691a9e6d0cb43fb069ca07d4c92e3",
    ),
    (
        "0018_compact_touches.sql",
        "0d730684a9fbef448bce3dc8df7a2a0b3d6383b878e63b5a50149bacbf0ad152",
    ),
    (
        "0019_organization_follow_ups.sql",
        "6d8984442c0542b77c9b8207c61547d0b7e8107b4402a72ba75ccb168b661184",
    ),
    (
        "0020_birthdays_by_day.sql",
        "8d811d02a77352eddea434d321fc5a9caea06a2730acca1146095d49cf6a5604",
    ),
];

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn shipped_migrations_are_frozen() {
    let dir = manifest_dir().join("src/store/migrations");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    files.sort();
    for (name, pinned) in SHIPPED {
        let bytes = std::fs::read(dir.join(name))
            .unwrap_or_else(|e| panic!("shipped migration {name} is gone ({e}); put it back"));
        let digest: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            &digest, pinned,
            "{name} was edited after it shipped: books that already ran it will never see the \
             change. Restore it and add a new migration that makes the change instead."
        );
    }
    // A new migration is added at the end, and pinned here once it ships.
    let shipped: Vec<&str> = SHIPPED.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        files[..shipped.len()],
        shipped[..],
        "migrations go after the shipped ones, never between them"
    );
    assert_eq!(kith::store::SCHEMA_VERSION as usize, files.len());
}

/// The schema fixtures, with the version each file has.
fn schema_fixtures() -> Vec<(PathBuf, i64)> {
    let dir = manifest_dir().join("tests/fixtures");
    let mut found: Vec<(PathBuf, i64)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("schema-v") && name.ends_with(".db")
        })
        .map(|p| {
            // The header's user_version (bytes 60..64, big-endian): opening a WAL book, even
            // read-only, would leave files beside it in the source tree.
            let header = std::fs::read(&p).unwrap();
            let version = i32::from_be_bytes(header[60..64].try_into().unwrap());
            (p, i64::from(version))
        })
        .collect();
    found.sort();
    found
}

#[test]
fn every_earlier_schema_has_a_fixture() {
    let versions: BTreeSet<i64> = schema_fixtures().iter().map(|(_, v)| *v).collect();
    for version in 1..kith::store::SCHEMA_VERSION {
        assert!(
            versions.contains(&version),
            "no tests/fixtures/schema-v{version}*.db: make one with the kith that shipped schema \
             {version} (tests/fixtures/SCHEMAS.md says how)"
        );
    }
}

/// What a book holds, read with SQL from a file of any schema: the columns every schema has.
#[derive(Debug, PartialEq)]
struct Holdings {
    contacts: BTreeSet<(String, String, bool)>,
    organizations: BTreeSet<(String, String)>,
    interactions: BTreeSet<(String, String, String)>,
    participants: BTreeSet<(String, String)>,
    reminders: BTreeSet<(String, String, String)>,
    tags: BTreeSet<(String, String)>,
    emails: BTreeSet<(String, String)>,
}

fn holdings(db: &Path) -> Holdings {
    let conn = rusqlite::Connection::open(db).unwrap();
    let set = |sql: &str, cols: usize| -> BTreeSet<Vec<String>> {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt
            .query_map([], |r| {
                (0..cols)
                    .map(|i| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default))
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .unwrap();
        rows.map(Result::unwrap).collect()
    };
    let pairs = |sql| {
        set(sql, 2)
            .into_iter()
            .map(|v| (v[0].clone(), v[1].clone()))
            .collect()
    };
    let triples = |sql| {
        set(sql, 3)
            .into_iter()
            .map(|v| (v[0].clone(), v[1].clone(), v[2].clone()))
            .collect()
    };
    Holdings {
        contacts: set(
            "SELECT uid, display_name, CASE WHEN archived_at IS NULL THEN 0 ELSE 1 END || '' FROM contacts",
            3,
        )
        .into_iter()
        .map(|v| (v[0].clone(), v[1].clone(), v[2] == "1"))
        .collect(),
        organizations: pairs("SELECT uid, name FROM organizations"),
        interactions: triples("SELECT uid, occurred_at, summary FROM interactions"),
        participants: pairs(
            "SELECT i.uid, c.uid FROM interaction_participants p
             JOIN interactions i ON i.id = p.interaction_id JOIN contacts c ON c.id = p.contact_id",
        ),
        reminders: triples("SELECT uid, text, due FROM reminders"),
        tags: pairs(
            "SELECT c.uid, t.name FROM contact_tags ct
             JOIN contacts c ON c.id = ct.contact_id JOIN tags t ON t.id = ct.tag_id",
        ),
        emails: pairs(
            "SELECT c.uid, d.value FROM contact_details d JOIN contacts c ON c.id = d.contact_id
             WHERE d.kind = 'email'",
        ),
    }
}

/// The schema a new book gets: what every migrated book must end up with.
fn schema_of(db: &Path) -> Vec<(String, String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT type, name, ifnull(sql, '') FROM sqlite_master
             WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn every_schema_fixture_migrates_to_the_current_schema_with_its_data() {
    let fresh = Env::new();
    fresh.ok(&["add", "Someone"]);
    let current_schema = schema_of(&fresh.db);

    for (fixture, version) in schema_fixtures() {
        let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
        let env = Env::new();
        std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
        std::fs::copy(&fixture, &env.db).unwrap();
        let before = holdings(&env.db);
        assert!(!before.contacts.is_empty(), "{name} holds no contacts");

        // The first command upgrades it, and says so once: from which schema, and where the
        // book as it was is kept.
        let first = env.kith().args(["tags"]).output().unwrap();
        assert!(first.status.success(), "{name}: {first:?}");
        let said = String::from_utf8_lossy(&first.stderr);
        let from = format!("from schema {version} to {}", kith::store::SCHEMA_VERSION);
        assert!(
            said.contains("Upgraded") && said.contains(&from),
            "{name}: {said}"
        );
        let kept = said.trim().rsplit("kept in ").next().unwrap();
        assert!(Path::new(kept).exists(), "{name}: {said}");
        let again = env.kith().args(["tags"]).output().unwrap();
        assert!(
            !String::from_utf8_lossy(&again.stderr).contains("Upgraded"),
            "{name}"
        );

        let check = env.json(&["db", "check"]);
        assert_eq!(check["ok"], true, "{name}: {check}");
        assert_eq!(
            check["schema_version"].as_i64(),
            Some(kith::store::SCHEMA_VERSION),
            "{name} (schema {version})"
        );
        assert_eq!(
            schema_of(&env.db),
            current_schema,
            "{name}: schema after migrating"
        );
        assert_eq!(holdings(&env.db), before, "{name}: records after migrating");

        // And the CLI shows them: every contact with their emails and tags, every interaction
        // in each participant's history, every open follow-up.
        let export = env.json(&["export"]);
        let exported: BTreeSet<(String, String, bool)> = export["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["uid"].as_str().unwrap().to_string(),
                    c["display_name"].as_str().unwrap().to_string(),
                    !c["archived_at"].is_null(),
                )
            })
            .collect();
        assert_eq!(exported, before.contacts, "{name}: export");
        for (uid, display_name, archived) in &before.contacts {
            let shown = env.ok(&["show", &format!("#{}", contact_id(&env, uid))]);
            assert!(shown.starts_with(display_name.as_str()), "{name}: {shown}");
            assert_eq!(shown.contains("(archived)"), *archived, "{name}: {shown}");
            for (_, email) in before.emails.iter().filter(|(u, _)| u == uid) {
                assert!(shown.contains(email.as_str()), "{name}: {email} in {shown}");
            }
            for (_, tag) in before.tags.iter().filter(|(u, _)| u == uid) {
                assert!(
                    shown.contains(&format!("#{tag}")),
                    "{name}: #{tag} in {shown}"
                );
            }
            let history = env.json(&["show", &format!("#{}", contact_id(&env, uid))]);
            let logged: BTreeSet<&str> = history["interactions"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|i| i["uid"].as_str())
                .collect();
            for (interaction, _) in before.participants.iter().filter(|(_, c)| c == uid) {
                assert!(logged.contains(interaction.as_str()), "{name}: {history}");
            }
        }
        let reminders = env.json(&["reminders", "--all"]);
        let listed: BTreeSet<(String, String, String)> = reminders
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["uid"].as_str().unwrap().to_string(),
                    r["text"].as_str().unwrap().to_string(),
                    r["due"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(listed, before.reminders, "{name}: follow-ups");
        let today = env.ok(&["today", "--days", "30"]);
        assert!(
            today.contains("send proposal — Ada Lovelace"),
            "{name}: {today}"
        );
        // Birthdays coming up are found by their day since schema 20, with a year or not:
        // the book's on the 30 days from 2026-11-24 are all listed.
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let coming: Vec<String> = conn
            .prepare(
                "SELECT display_name FROM contacts WHERE archived_at IS NULL
                   AND substr(birthday, -5) BETWEEN '11-24' AND '12-24'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(coming.iter().any(|n| n == "Ada Lovelace"), "{name}");
        for person in coming {
            assert!(
                today.contains(&format!("{person}'s birthday")),
                "{name}: {today}"
            );
        }
        let list = env.ok(&["list"]);
        assert!(list.contains("Ada Lovelace"), "{name}: {list}");

        // Each contact's last contact (stored since schema 11) is the latest of their
        // interactions, as `kith list` shows it, worked out here from the records.
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let latest: BTreeMap<String, Option<String>> = conn
            .prepare(
                "SELECT c.uid, (SELECT max(i.occurred_at) FROM interaction_participants p
                   JOIN interactions i ON i.id = p.interaction_id WHERE p.contact_id = c.id)
                   FROM contacts c WHERE c.archived_at IS NULL",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let listed: BTreeMap<String, Option<String>> = env
            .json(&["list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let at = c["last_contact_at"].as_str().map(str::to_string);
                (c["uid"].as_str().unwrap().to_string(), at)
            })
            .collect();
        assert_eq!(listed, latest, "{name}: last contacts");
        assert!(
            latest.values().any(Option::is_some),
            "{name}: no interactions"
        );

        // Each contact's touches (stored since schema 15) are their interactions, and health
        // reads them: whoever has an interaction has a last contact in their score.
        crate::common::assert_touches_right(&env.db, &name);
        for h in env.json(&["health"]).as_array().unwrap() {
            let uid = h["contact"]["uid"].as_str().unwrap();
            let recency = &h["factors"][0];
            assert_eq!(recency["factor"], "recency", "{name}: {h}");
            assert_eq!(
                recency["days_since_last_contact"].is_null(),
                latest[uid].is_none(),
                "{name}: {h}"
            );
        }
    }
}

fn contact_id(env: &Env, uid: &str) -> i64 {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.query_row("SELECT id FROM contacts WHERE uid = ?1", [uid], |r| {
        r.get(0)
    })
    .unwrap()
}
