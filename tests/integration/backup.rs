//! The JSON backup is the whole book: every table of the database is either carried by the
//! backup (and compared, row by row, after export → import → export into a fresh book) or
//! derived from those that are (and listed here with the reason). A table added later
//! without its place in this list fails [`every_table_is_backed_up_or_derived`].

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{Env, dump};

/// What the backup does with a table.
#[derive(Debug, Clone, Copy)]
pub enum Mapping {
    /// Carried by the backup, in this part of the JSON document (docs/JSON.md).
    Backup(&'static str),
    /// Not carried: rebuilt from the tables that are, or not user data; why.
    Derived(&'static str),
}

use Mapping::{Backup, Derived};

/// Every table of a kith database (SQLite's own `sqlite_*` aside), and its mapping.
pub const TABLES: &[(&str, Mapping)] = &[
    ("organizations", Backup("organizations[]")),
    ("organization_tags", Backup("organizations[].tags")),
    ("contacts", Backup("contacts[]")),
    (
        "contact_details",
        Backup("contacts[].emails/phones/addresses/urls/socials"),
    ),
    ("contact_tags", Backup("contacts[].tags")),
    ("contact_extras", Backup("contacts[].extra")),
    ("tags", Backup("contacts[].tags")),
    ("contact_dates", Backup("yearly_dates[]")),
    ("relationships", Backup("relationships[]")),
    ("interactions", Backup("interactions[]")),
    (
        "interaction_participants",
        Backup("interactions[].participants"),
    ),
    ("reminders", Backup("reminders[]")),
    ("reminder_completions", Backup("reminders[].completions")),
    ("tag_cadences", Backup("tag_cadences[]")),
    (
        "kith_meta",
        Derived("facts about the file (the kith version its schema needs), written on open"),
    ),
    (
        "contact_search",
        Derived("find's row per contact, kept by triggers from contacts, details and tags"),
    ),
    (
        "search_chunks",
        Derived("find's folded haystacks, rebuilt from contact_search"),
    ),
    (
        "contact_notes_fts",
        Derived("grep's index of contacts.notes"),
    ),
    (
        "contact_notes_fts_data",
        Derived("FTS5 storage of contact_notes_fts"),
    ),
    (
        "contact_notes_fts_idx",
        Derived("FTS5 storage of contact_notes_fts"),
    ),
    (
        "contact_notes_fts_docsize",
        Derived("FTS5 storage of contact_notes_fts"),
    ),
    (
        "contact_notes_fts_config",
        Derived("FTS5 storage of contact_notes_fts"),
    ),
    (
        "interactions_fts",
        Derived("grep's index of interactions' summaries and bodies"),
    ),
    (
        "contact_touches",
        Derived(
            "health's copy of each contact's interactions (time, channel, direction), kept by triggers",
        ),
    ),
    (
        "organization_people",
        Derived(
            "each organization's people side by side with what health reads of them, kept by triggers",
        ),
    ),
    (
        "organization_follow_ups",
        Derived("each organization's follow-ups side by side, kept by triggers"),
    ),
    (
        "interactions_fts_data",
        Derived("FTS5 storage of interactions_fts"),
    ),
    (
        "interactions_fts_idx",
        Derived("FTS5 storage of interactions_fts"),
    ),
    (
        "interactions_fts_docsize",
        Derived("FTS5 storage of interactions_fts"),
    ),
    (
        "interactions_fts_config",
        Derived("FTS5 storage of interactions_fts"),
    ),
    ("me_addresses", Backup("me_addresses[]")),
    ("capture_batches", Backup("capture_batches[]")),
    ("captured_records", Backup("capture_batches[].records")),
    (
        "captured_participations",
        Backup("capture_batches[].participations"),
    ),
    ("captured_contacts", Backup("capture_batches[].contacts")),
    ("capture_revisions", Backup("capture_batches[].revisions")),
    (
        "sync_accounts",
        Derived("not backed up: this book's sync accounts; `kith sync add` again after a restore"),
    ),
    (
        "sync_cards",
        Derived(
            "not backed up: what the last sync saw; a restored book's first sync merges by UID",
        ),
    ),
    (
        "sync_conflicts",
        Derived("not backed up: the server's values of past conflicts, on this machine"),
    ),
];

/// The tables of the book at `db`, SQLite's own aside.
pub fn table_names(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open db");
    let mut stmt = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
              ORDER BY name",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Every row of every backed-up table, ignoring local ids only: a table's own integer `id`
/// is left out, and a column referring to another table's row holds that row's UID (or,
/// for a tag, its name). Rows are sorted, so the order rows were written in does not count.
pub fn backed_up_rows(db: &Path) -> BTreeMap<String, Vec<String>> {
    let conn = rusqlite::Connection::open(db).expect("open db");
    let mut out = BTreeMap::new();
    for (table, mapping) in TABLES {
        if let Backup(_) = mapping {
            out.insert(table.to_string(), rows_without_ids(&conn, table));
        }
    }
    out
}

fn columns(conn: &rusqlite::Connection, table: &str) -> Vec<(String, String, bool)> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT name, type, pk FROM pragma_table_info('{table}')"
        ))
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? > 0)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn rows_without_ids(conn: &rusqlite::Connection, table: &str) -> Vec<String> {
    let references: BTreeMap<String, String> = {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT \"from\", \"table\" FROM pragma_foreign_key_list('{table}')"
            ))
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let mut select = Vec::new();
    for (name, kind, pk) in columns(conn, table) {
        if name == "id" && pk && kind.eq_ignore_ascii_case("INTEGER") {
            continue; // the row's local id
        }
        match references.get(&name) {
            None => select.push(format!("t.\"{name}\"")),
            Some(parent) if !has_key(conn, parent) => {
                // A reference through a table without a key of its own (a participation):
                // the column holds what that table's same-named column refers to.
                let (grandparent, key) = referred_key(conn, parent, &name);
                select.push(format!(
                    "(SELECT p.{key} FROM \"{grandparent}\" p WHERE p.id = t.\"{name}\")"
                ));
            }
            Some(parent) => {
                let parent_columns = columns(conn, parent);
                let has = |c: &str| parent_columns.iter().any(|(n, _, _)| n == c);
                let key = if has("uid") {
                    "uid"
                } else if has("name") {
                    "name"
                } else {
                    panic!(
                        "{table}.{name} refers to {parent}, which has no uid or name to compare by"
                    )
                };
                select.push(format!(
                    "(SELECT p.{key} FROM \"{parent}\" p WHERE p.id = t.\"{name}\")"
                ));
            }
        }
    }
    let sql = format!("SELECT {} FROM \"{table}\" t", select.join(", "));
    let mut stmt = conn.prepare(&sql).unwrap();
    let n = stmt.column_count();
    let mut rows: Vec<String> = stmt
        .query_map([], |r| {
            Ok((0..n)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect::<Vec<_>>()
                .join(" | "))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows.sort();
    rows
}

/// Whether `table` has a uid or a name to compare its rows by.
fn has_key(conn: &rusqlite::Connection, table: &str) -> bool {
    columns(conn, table)
        .iter()
        .any(|(n, _, _)| n == "uid" || n == "name")
}

/// The table `table.column` refers to, and its uid or name column.
fn referred_key(conn: &rusqlite::Connection, table: &str, column: &str) -> (String, &'static str) {
    let parent: String = conn
        .query_row(
            &format!(
                "SELECT \"table\" FROM pragma_foreign_key_list('{table}') WHERE \"from\" = ?1"
            ),
            [column],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{table}.{column} refers to no table with a uid or name: {e}"));
    let key = if columns(conn, &parent).iter().any(|(n, _, _)| n == "uid") {
        "uid"
    } else {
        "name"
    };
    (parent, key)
}

/// Compare two books table by table, naming the first table that differs.
#[track_caller]
pub fn assert_same_book(a: &Path, b: &Path) {
    let (a, b) = (backed_up_rows(a), backed_up_rows(b));
    for (table, rows) in &a {
        assert_eq!(
            rows, &b[table],
            "table {table} differs after export → import"
        );
    }
}

#[test]
fn every_table_is_backed_up_or_derived() {
    let env = Env::new();
    env.ok(&["add", "Ada"]);
    let tables = table_names(&env.db);
    for table in &tables {
        assert!(
            TABLES.iter().any(|(t, _)| t == table),
            "table {table} is neither carried by the JSON backup nor listed as derived: add it \
             to the backup (src/formats/json.rs, docs/JSON.md) and to TABLES in {}",
            file!()
        );
    }
    for (table, _) in TABLES {
        assert!(
            tables.contains(&table.to_string()),
            "TABLES lists {table}, which the schema no longer has"
        );
    }
}

/// docs/JSON.md gives each table's place in the backup, or why it has none.
#[test]
fn the_docs_map_every_table() {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/JSON.md"))
        .unwrap();
    for (table, mapping) in TABLES {
        let section = docs
            .split_once("### Every table")
            .expect("docs/JSON.md has its section \"Every table, and where the backup carries it\"")
            .1;
        let row = section
            .lines()
            .find(|l| l.starts_with(&format!("| `{table}` |")))
            .unwrap_or_else(|| panic!("docs/JSON.md has no row for table {table}"));
        match mapping {
            Backup(field) => assert!(
                row.contains(&format!("`{field}`")),
                "docs/JSON.md: {table} should map to `{field}`: {row}"
            ),
            Derived(why) => assert!(
                row.contains("derived") || row.contains("not backed up"),
                "docs/JSON.md: {table} ({why}) should say it is derived: {row}"
            ),
        }
    }
}

/// A book with a row in every backed-up table: everything `populate` makes, and kept vCard
/// properties, every kind of detail, a body, a follow-up created by a log, one that recurs
/// from completion, snoozed, one done with a logged interaction, tag cadences (one for a tag
/// nobody carries), yearly dates, an archived and tagged organization.
pub fn populate_everything(env: &Env) {
    crate::import_json::populate(env);
    let card = env.dir.path().join("card.vcf");
    std::fs::write(
        &card,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-1\r\nFN:Katherine Johnson\r\nN:Johnson;Katherine;;;\r\n\
         NICKNAME:Kathy\r\nADR;TYPE=HOME:;;1 Main St;Hampton;VA;23666;USA\r\nURL:https://nasa.example\r\n\
         X-SOCIALPROFILE;TYPE=twitter:kj\r\nX-CUSTOM:kept as is\r\nEND:VCARD\r\n",
    )
    .unwrap();
    env.ok(&["import", card.to_str().unwrap()]);
    let out = env
        .kith()
        .args([
            "log",
            "katherine",
            "--via",
            "call",
            "--in",
            "--at",
            "2026-11-21",
            "Orbit numbers",
            "--follow-up",
            "2026-12-02: check the numbers",
        ])
        .write_stdin("She ran them by hand.\nTwice.")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    env.ok(&[
        "remind",
        "grace",
        "water plants",
        "--due",
        "2026-11-30",
        "--every",
        "1m",
        "--after-done",
    ]);
    env.ok(&["snooze", "3", "--until", "2026-12-05"]);
    env.ok(&["done", "4", "--log", "Watered"]);
    // An interaction about an organization alone, and one with a person there and it.
    env.ok(&[
        "log",
        "--org",
        "us navy",
        "--at",
        "2026-11-19",
        "Quarterly review",
    ]);
    env.ok(&[
        "log",
        "grace",
        "--org",
        "us navy",
        "--at",
        "2026-11-18",
        "Base visit",
    ]);
    env.ok(&["tag-cadence", "client", "30d"]);
    env.ok(&["tag-cadence", "dormant", "1y"]);
    env.ok(&[
        "edit",
        "grace",
        "--date",
        "anniversary:--06-12",
        "--date",
        "renewal:2025-03-01",
    ]);
    env.ok(&[
        "org",
        "edit",
        "US Navy",
        "--tag",
        "+gov",
        "--note",
        "Since 1775",
        "--every",
        "3m",
    ]);
    env.ok(&["org", "rm", "Analytical Engines"]);
    capture_some(env);
}

/// kith capture's bookkeeping in every table: my address, mail captured (a contact added by
/// --add-unknown, a contact linked by a later run) and a calendar whose later export updated
/// and cancelled what the first captured.
fn capture_some(env: &Env) {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let capture = |paths: &[&Path], extra: &[&str]| {
        let out = env
            .kith()
            .arg("capture")
            .args(paths)
            .args(extra)
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(0 | 8)), "{out:?}");
    };
    env.ok(&["me", "add", "me@consult.example"]);
    let mail = fixtures.join("mail/handmade/conversations.mbox");
    capture(&[&mail], &["--add-unknown"]);
    let eml = env.dir.path().join("cc.eml");
    std::fs::write(
        &eml,
        "From: Ada Lovelace <ada@analytical.example>\r\nTo: me@consult.example\r\n\
         Cc: Nell Newcomer <nell@new.example>\r\nDate: Mon, 16 Nov 2026 09:00:00 +0000\r\n\
         Message-ID: <cc-1@analytical.example>\r\nSubject: Meet Nell\r\n\r\nHello.\r\n",
    )
    .unwrap();
    capture(&[&eml], &[]);
    env.ok(&["add", "Nell Newcomer", "--email", "nell@new.example"]);
    capture(&[&eml], &[]);
    capture(&[&fixtures.join("ics/handmade/google.ics")], &[]);
    capture(&[&fixtures.join("ics/handmade/google-later.ics")], &[]);
}

#[test]
fn export_import_export_keeps_every_table() {
    for format in ["json", "jsonl"] {
        let a = Env::new();
        populate_everything(&a);
        let backup = a.dir.path().join(format!("backup.{format}"));
        a.ok(&[
            "export",
            "--format",
            format,
            "--out",
            backup.to_str().unwrap(),
        ]);
        for (table, rows) in backed_up_rows(&a.db) {
            assert!(!rows.is_empty(), "the test book has no row in {table}");
        }

        let b = Env::new();
        let out = b.ok(&["import", backup.to_str().unwrap()]);
        assert!(!out.contains("invalid"), "{out}");
        assert_same_book(&a.db, &b.db);
        let again = b.ok(&["export", "--format", format]);
        assert_eq!(std::fs::read_to_string(&backup).unwrap(), again, "{format}");

        // Into the book that already holds it, and into the one it came from: nothing changes.
        for env in [&a, &b] {
            let before = env.dump();
            let out = env.ok(&["import", backup.to_str().unwrap()]);
            assert!(out.contains("0 new"), "{out}");
            assert_eq!(
                before,
                env.dump(),
                "{format}: importing the backup again changed the book"
            );
        }
    }
}

#[test]
fn a_backup_merges_into_a_book_with_other_data() {
    let a = Env::new();
    populate_everything(&a);
    let backup = a.dir.path().join("backup.json");
    a.ok(&["export", "--out", backup.to_str().unwrap()]);

    let b = Env::new();
    // Grace already here (matched by her email), with another renewal date; another
    // cadence for `client`; someone the backup does not know.
    b.ok(&[
        "add",
        "Grace B. Hopper",
        "--email",
        "grace@navy.example",
        "--tag",
        "admiral",
    ]);
    b.ok(&["edit", "grace", "--date", "renewal:2024-01-01"]);
    b.ok(&["tag-cadence", "client", "2w"]);
    b.ok(&["add", "Someone Else", "--email", "else@example.com"]);
    let out = b.ok(&["import", backup.to_str().unwrap()]);
    assert!(out.contains("kept stored renewal 2024-01-01"), "{out}");
    assert!(out.contains("kept stored cadence 2w"), "{out}");

    let grace = b.json(&["show", "grace"]);
    assert_eq!(grace["contact"]["display_name"], "Grace B. Hopper");
    let tags = grace["contact"]["tags"].as_array().unwrap();
    assert!(tags.iter().any(|t| t == "admiral"), "{grace}");
    let exported: serde_json::Value = serde_json::from_str(&b.ok(&["export"])).unwrap();
    let dates: Vec<String> = exported["yearly_dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{}={}", d["label"], d["date"]))
        .collect();
    assert_eq!(
        dates,
        ["\"anniversary\"=\"--06-12\"", "\"renewal\"=\"2024-01-01\""]
    );
    let cadences = &exported["tag_cadences"];
    assert_eq!(cadences[0]["tag"], "client");
    assert_eq!(cadences[0]["cadence"], "2w");
    assert_eq!(cadences[1]["tag"], "dormant");
    assert!(b.ok(&["list"]).contains("Someone Else"));

    // --on-conflict replace takes the backup's values.
    b.ok(&[
        "import",
        backup.to_str().unwrap(),
        "--on-conflict",
        "replace",
    ]);
    let exported: serde_json::Value = serde_json::from_str(&b.ok(&["export"])).unwrap();
    assert_eq!(exported["tag_cadences"][0]["cadence"], "30d");
    assert_eq!(exported["yearly_dates"][1]["date"], "2025-03-01");
}

/// A backup written by kith before format 2 (tests/fixtures/json/backup-v1.json) still
/// restores, and what it carries comes back.
#[test]
fn a_version_1_backup_still_imports() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/json/backup-v1.json");
    let v1: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&fixture).unwrap()).unwrap();
    assert_eq!(v1["kith_format"], 1);
    let env = Env::new();
    let out = env.ok(&["import", fixture.to_str().unwrap()]);
    assert!(out.contains("imported: 11 new"), "{out}");
    let v2: serde_json::Value = serde_json::from_str(&env.ok(&["export"])).unwrap();
    assert_eq!(v2["kith_format"], 2);
    for part in ["organizations", "contacts", "relationships", "interactions"] {
        assert_eq!(v1[part], v2[part], "{part}");
    }
    assert_eq!(v1["reminders"], strip_v2_fields(&v2["reminders"]));
    // The same backup again: nothing changes.
    let before = env.dump();
    env.ok(&["import", fixture.to_str().unwrap()]);
    assert_eq!(before, env.dump());
}

/// Follow-ups without the fields format 2 added to them and their completions (null after a
/// version 1 backup, which does not have them).
fn strip_v2_fields(value: &serde_json::Value) -> serde_json::Value {
    let mut value = value.clone();
    for reminder in value.as_array_mut().into_iter().flatten() {
        let reminder = reminder.as_object_mut().unwrap();
        for field in ["recur_from", "recur_anchor"] {
            assert!(reminder.remove(field).is_some_and(|v| v.is_null()));
        }
        for c in reminder["completions"].as_array_mut().unwrap() {
            assert!(
                c.as_object_mut()
                    .unwrap()
                    .remove("interaction")
                    .is_some_and(|v| v.is_null())
            );
        }
    }
    value
}

#[test]
fn a_reference_to_nothing_names_the_record_and_writes_nothing() {
    let env = Env::new();
    env.ok(&["add", "Ada", "--email", "ada@example.com"]);
    let uid = env.json(&["show", "ada"])["contact"]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    let before = env.dump();

    let json = env.dir.path().join("broken.json");
    let doc = serde_json::json!({
        "kith_format": 2,
        "yearly_dates": [
            {"contact": uid, "label": "anniversary", "date": "--06-12"},
            {"contact": "no-such-contact", "label": "renewal", "date": "2025-03-01"}
        ],
        "reminders": [{"uid": "r1", "text": "call", "due": "2026-12-01", "contact": uid,
                       "completions": [{"due": "2026-11-01", "done_at": "2026-11-01T10:00:00Z",
                                        "interaction": "no-such-interaction"}]}],
        "tag_cadences": [{"tag": "client", "cadence": "often"}]
    });
    std::fs::write(&json, doc.to_string()).unwrap();
    let err = env.fails(&["import", json.to_str().unwrap()], 5);
    let p = json.display().to_string();
    assert!(
        err.contains(&format!(
            "{p}: record 2: refers to contact uid \"no-such-contact\""
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{p}: record 3: a completion refers to interaction uid \"no-such-interaction\""
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{p}: record 4: invalid cadence \"often\"")),
        "{err}"
    );
    assert_eq!(before, dump(&env.db), "a refused import wrote something");

    // In JSONL, the line says where.
    let jsonl = env.dir.path().join("broken.jsonl");
    std::fs::write(
        &jsonl,
        "{\"type\":\"tag_cadence\",\"tag\":\"client\",\"cadence\":\"30d\"}\n\n{\"type\":\"yearly_date\",\"contact\":\"nobody\",\"label\":\"renewal\",\"date\":\"2025-03-01\"}\n",
    )
    .unwrap();
    let err = env.fails(&["import", jsonl.to_str().unwrap()], 5);
    assert!(
        err.contains(&format!(
            "{}:3: refers to contact uid \"nobody\"",
            jsonl.display()
        )),
        "{err}"
    );
    assert_eq!(before, dump(&env.db), "a refused import wrote something");
}
