//! The guarantees in docs/RELIABILITY.md: crashes, concurrent writers, old schemas, restore,
//! file modes.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Env, Lcg, NOW, hermetic, kith_process, run_unprivileged};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn assert_healthy(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0, "foreign keys broken");
}

#[test]
fn killed_writers_leave_each_write_whole_or_absent() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace", "--email", "ada@example.com"]);
    env.ok(&["add", "Grace Hopper", "--email", "grace@example.com"]);
    let seed = std::env::var("KITH_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(7, |d| d.as_nanos() as u64)
        });
    eprintln!("crash test seed {seed} (repeat with KITH_CRASH_SEED={seed})");
    let mut rng = Lcg(seed);
    let mut finished = 0;
    for round in 0..40 {
        // One batch: an interaction with two participants and its linked follow-up.
        let mut child = kith_process(&env)
            .args([
                "log",
                "ada,grace",
                "--via",
                "call",
                &format!("call {round}"),
                "--follow-up",
                &format!("in 3 days: follow up {round}"),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.next(45_000)));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if status.success() {
            finished += 1;
        }
    }
    eprintln!("{finished} of 40 writers finished before the kill");
    assert_healthy(&env.db);
    let torn = count(
        &env.db,
        "SELECT count(*) FROM interactions i
         WHERE (SELECT count(*) FROM interaction_participants p WHERE p.interaction_id = i.id) != 2
            OR (SELECT count(*) FROM reminders r WHERE r.interaction_id = i.id) != 1",
    );
    assert_eq!(
        torn, 0,
        "an interaction was written without all of its parts"
    );
    let orphans = count(
        &env.db,
        "SELECT count(*) FROM reminders WHERE interaction_id IS NULL",
    );
    assert_eq!(
        orphans, 0,
        "a follow-up was written without its interaction"
    );
    // And the database still takes writes.
    env.ok(&["log", "ada", "after the crashes"]);
}

#[test]
fn concurrent_writers_lose_nothing_and_never_see_locked() {
    let env = Env::new();
    env.ok(&["add", "Seed Contact"]);
    const WRITERS: usize = 3;
    const EACH: usize = 15;
    let handles: Vec<_> = (0..WRITERS)
        .map(|w| {
            let bin = assert_cmd::cargo::cargo_bin("kith");
            let db = env.db.clone();
            let home = env.dir.path().to_path_buf();
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..EACH {
                    let out = Process::new(&bin)
                        .env_clear()
                        .env("HOME", &home)
                        .env("TZ", "UTC")
                        .env("KITH_NOW", NOW)
                        .env("KITH_DB", &db)
                        .args(["add", &format!("Writer {w} Person {i}"), "--tag", "batch"])
                        .output()
                        .unwrap();
                    if !out.status.success() {
                        failures.push(String::from_utf8_lossy(&out.stderr).into_owned());
                    }
                    let out = Process::new(&bin)
                        .env_clear()
                        .env("HOME", &home)
                        .env("TZ", "UTC")
                        .env("KITH_NOW", NOW)
                        .env("KITH_DB", &db)
                        .args(["log", "#1", &format!("note {w}-{i}")])
                        .output()
                        .unwrap();
                    if !out.status.success() {
                        failures.push(String::from_utf8_lossy(&out.stderr).into_owned());
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert!(failures.is_empty(), "writers failed: {failures:#?}");
    assert_eq!(
        count(&env.db, "SELECT count(*) FROM contacts"),
        1 + (WRITERS * EACH) as i64
    );
    assert_eq!(
        count(&env.db, "SELECT count(*) FROM interactions"),
        (WRITERS * EACH) as i64
    );
    assert_healthy(&env.db);
}

#[test]
fn a_writer_waits_for_a_long_transaction_instead_of_failing() {
    let env = Env::new();
    env.ok(&["add", "Ada"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE; UPDATE contacts SET notes = 'held' WHERE id = 1;")
        .unwrap();
    let started = Instant::now();
    let child = kith_process(&env)
        .env("KITH_BUSY_TIMEOUT_MS", "10000")
        .args(["add", "Grace"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    conn.execute_batch("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(started.elapsed() >= Duration::from_millis(700));
    assert_eq!(count(&env.db, "SELECT count(*) FROM contacts"), 2);
}

/// Every table's row count, to compare before and after a migration.
fn row_counts(db: &Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
        )
        .unwrap();
    let names: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    names
        .into_iter()
        .map(|n| {
            // Kept vCard properties went from a row each to a row per contact (0006).
            let sql = if n == "contact_extras" {
                "SELECT count(DISTINCT contact_id) FROM contact_extras".to_string()
            } else {
                format!("SELECT count(*) FROM \"{n}\"")
            };
            let c = conn.query_row(&sql, [], |r| r.get(0)).unwrap();
            (n, c)
        })
        .collect()
}

#[test]
fn databases_of_every_earlier_schema_migrate_and_keep_every_record() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut seen = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with("schema-v") && name.ends_with(".db")) {
            continue;
        }
        seen += 1;
        let env = Env::new();
        std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
        std::fs::copy(&path, &env.db).unwrap();
        let old_version = count(&env.db, "PRAGMA user_version");
        let before = row_counts(&env.db);

        let list = env.json(&["list"]);
        let check = env.json(&["db", "check"]);
        assert_eq!(check["ok"], true, "{name}: {check}");
        let new_version = check["schema_version"].as_i64().unwrap();
        assert!(new_version >= old_version);

        // Every table that existed keeps every row.
        let after = row_counts(&env.db);
        for (table, rows) in &before {
            let now = after.iter().find(|(t, _)| t == table).map(|(_, c)| *c);
            assert!(
                now.is_some_and(|c| c >= *rows),
                "{name}: table {table} had {rows} rows, now {now:?}"
            );
        }
        // The people in the fixture are all there, as the CLI shows them.
        let all = env.json(&["list", "--archived"]);
        let names: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .chain(all.as_array().unwrap())
            .filter_map(|c| c["display_name"].as_str())
            .collect();
        assert!(names.contains(&"Grace Hopper"), "{name}: {names:?}");
        let shown = env.ok(&["show", "ada"]);
        assert!(shown.contains("Kick-off") && shown.contains("send proposal"));
        let jurgen = env.ok(&["show", "jurgen"]);
        assert!(jurgen.contains("jm@example.de"), "{jurgen}");

        // A backup was written before migrating, and only then.
        let backups: Vec<_> = std::fs::read_dir(env.db.parent().unwrap())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".bak"))
            .collect();
        if old_version < new_version {
            assert_eq!(
                backups.len(),
                1,
                "{name}: expected one pre-migration backup"
            );
            assert_eq!(
                count(&backups[0].path(), "PRAGMA user_version"),
                old_version
            );
            assert_eq!(mode(&backups[0].path()), 0o600);
        } else {
            assert!(backups.is_empty());
        }
    }
    assert!(seen >= 1, "no schema fixtures in {}", fixtures.display());
}

/// Schema 6 rebuilt the tables of details and kept vCard properties: a book from before keeps
/// every property in its order, and the rebuilt details table still feeds search.
#[test]
fn a_schema_5_book_keeps_its_vcard_properties_and_search_after_migrating() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v5.db");
    let env = Env::new();
    std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    std::fs::copy(&fixture, &env.db).unwrap();
    assert_eq!(count(&env.db, "PRAGMA user_version"), 5);
    // A hand edit left two of Jürgen's emails at the same position: both must survive.
    rusqlite::Connection::open(&env.db)
        .unwrap()
        .execute(
            "INSERT INTO contact_details (contact_id, kind, label, value, match_key, position)
             VALUES (2, 'email', NULL, 'second@example.de', 'second@example.de', 0)",
            [],
        )
        .unwrap();

    let card = env.ok(&["export", "--format", "vcard", "--vcard-version", "3"]);
    let ada = card
        .split("BEGIN:VCARD")
        .find(|c| c.contains("FN:Ada Lovelace"))
        .unwrap();
    let kept: Vec<&str> = ada
        .lines()
        .filter(|l| {
            ["X-ABUID", "ITEM1.X-ABLABEL", "PHOTO", "IMPP", "GEO"]
                .iter()
                .any(|p| l.to_uppercase().starts_with(p))
        })
        .collect();
    assert_eq!(
        kept,
        [
            "X-ABUID:1234-ABCD",
            "item1.X-ABLABEL:_$!<HomePage>!$_",
            "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQ==",
            "IMPP;X-SERVICE-TYPE=Skype:skype:ada.lovelace",
            "GEO:51.5;-0.12",
        ],
        "{ada}"
    );
    assert!(count(&env.db, "PRAGMA user_version") >= 6);

    let jurgen = env.ok(&["show", "jurgen"]);
    assert!(
        jurgen.contains("jm@example.de") && jurgen.contains("second@example.de"),
        "{jurgen}"
    );

    // The details table was rebuilt: its triggers still keep search up to date.
    env.ok(&["edit", "jurgen", "--email", "juergen@neu.example"]);
    let found = env.ok(&["find", "neu.example"]);
    assert!(found.contains("Jürgen Müller"), "{found}");
    // And its check still refuses a kind kith does not know.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let bad = conn.execute(
        "INSERT INTO contact_details (contact_id, kind, value, match_key, position)
         VALUES (1, 'fax', '1', '1', 9)",
        [],
    );
    assert!(bad.is_err(), "a detail of kind 'fax' was accepted");
}

#[test]
fn restore_replaces_the_database_and_keeps_the_old_one() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    let backup = env.dir.path().join("backup.db");
    env.ok(&["db", "backup", backup.to_str().unwrap()]);
    env.ok(&["add", "Grace Hopper"]);
    let with_grace = env.dump();

    let out = env
        .kith()
        .args(["db", "restore", backup.to_str().unwrap(), "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("previous database is kept at"), "{said}");
    let names = env.ok(&["list"]);
    assert!(names.contains("Ada Lovelace") && !names.contains("Grace Hopper"));

    let kept: Vec<_> = std::fs::read_dir(env.db.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".before-restore"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(mode(&kept[0]), 0o600);
    assert_eq!(crate::common::dump(&kept[0]), with_grace);
    assert_healthy(&env.db);
}

/// New books have 16 KiB pages, books made by older kiths 4 KiB: a backup of either restores
/// into the other, back in WAL mode, once no other kith has the book open.
#[test]
fn a_backup_with_other_pages_restores() {
    let env = Env::new();
    env.ok(&["add", "Grace Hopper"]);
    assert_eq!(count(&env.db, "PRAGMA page_size"), 16384);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v5.db");
    let old = env.dir.path().join("old-book.db");
    std::fs::copy(&fixture, &old).unwrap();
    assert_eq!(count(&old, "PRAGMA page_size"), 4096);

    // Restore `backup` into env's book: it must then hold `present`, not `gone`, with the
    // backup's pages, healthy and in WAL mode.
    let restore = |backup: &Path, present: &str, gone: &str, page_size: i64| {
        env.ok(&["db", "restore", backup.to_str().unwrap(), "--yes"]);
        let names = env.ok(&["list"]);
        assert!(names.contains(present) && !names.contains(gone), "{names}");
        assert_eq!(count(&env.db, "PRAGMA page_size"), page_size);
        assert_healthy(&env.db);
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    };
    // While another kith has the book open (the interactive mode holds a connection), a
    // copy across page sizes cannot be made: it says so, and leaves nothing behind.
    let before = env.dump();
    let holder = rusqlite::Connection::open(&env.db).unwrap();
    let _: i64 = holder
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();
    let out = env
        .kith()
        .args(["db", "restore", old.to_str().unwrap(), "--yes"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("close the other kith and try again"),
        "{said}"
    );
    drop(holder);
    assert_eq!(env.dump(), before);
    let left: Vec<_> = std::fs::read_dir(env.db.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".before-restore"))
        .collect();
    assert!(left.is_empty(), "a failed restore kept a copy: {left:?}");

    restore(&old, "Ada Lovelace", "Grace Hopper", 4096);
    assert!(count(&env.db, "PRAGMA user_version") >= 7);

    // And the other way: a backup of a new book into the old one.
    let other = Env::new();
    other.ok(&["add", "Katherine Johnson"]);
    let backup = other.dir.path().join("new-book.db");
    other.ok(&["db", "backup", backup.to_str().unwrap()]);
    restore(&backup, "Katherine Johnson", "Ada", 16384);
}

#[test]
fn restore_refuses_bad_backups_and_changes_nothing() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    let before = env.dump();

    let garbage = env.dir.path().join("garbage.db");
    std::fs::write(
        &garbage,
        b"this is not a database at all, just some text\n".repeat(200),
    )
    .unwrap();
    let err = env.fails(&["db", "restore", garbage.to_str().unwrap(), "--yes"], 6);
    assert!(err.contains("garbage.db"), "{err}");

    let other = env.dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let err = env.fails(&["db", "restore", other.to_str().unwrap(), "--yes"], 6);
    assert!(err.contains("not a kith database"), "{err}");

    let newer = env.dir.path().join("newer.db");
    env.ok(&["db", "backup", newer.to_str().unwrap()]);
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let err = env.fails(&["db", "restore", newer.to_str().unwrap(), "--yes"], 6);
    assert!(err.contains("newer kith"), "{err}");

    let missing = env.dir.path().join("missing.db");
    let err = env.fails(&["db", "restore", missing.to_str().unwrap(), "--yes"], 6);
    assert!(err.contains("missing.db"), "{err}");

    let err = env.fails(&["db", "restore", env.db.to_str().unwrap(), "--yes"], 5);
    assert!(err.contains("the database itself"), "{err}");

    assert_eq!(env.dump(), before);
    let leftovers = std::fs::read_dir(env.db.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
        .count();
    assert_eq!(leftovers, 0, "a refused restore left a backup behind");
}

#[test]
fn database_wal_shm_and_backups_are_private() {
    let env = Env::new();
    env.ok(&["add", "Ada"]);
    assert_eq!(mode(env.db.parent().unwrap()), 0o700);
    assert_eq!(mode(&env.db), 0o600);
    // Hold a connection open so the WAL and shared-memory files stay while kith writes.
    let reader = rusqlite::Connection::open(&env.db).unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();
    env.ok(&["add", "Grace"]);
    for suffix in ["-wal", "-shm"] {
        let mut side = env.db.as_os_str().to_owned();
        side.push(suffix);
        let side = Path::new(&side).to_path_buf();
        if side.exists() {
            assert_eq!(mode(&side), 0o600, "{}", side.display());
        }
    }
    let backup = env.ok(&["db", "backup"]);
    assert_eq!(mode(Path::new(backup.trim())), 0o600);
    drop(reader);
}

#[test]
fn a_full_disk_is_reported_and_changes_nothing() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    let before = env.dump();
    // A file-size limit makes every write past 60 KiB fail, as a full disk does.
    let note = "x".repeat(100_000);
    let mut bash = hermetic(&env, "bash");
    let out = bash
        .env("KITH_BUSY_TIMEOUT_MS", "300")
        .arg("-c")
        .arg("ulimit -f 60; exec \"$0\" \"$@\"")
        .arg(assert_cmd::cargo::cargo_bin("kith"))
        .args(["add", "Bob", "--note", &note])
        .output();
    let out = match out {
        Ok(out) => out,
        Err(e) => panic!("running bash: {e}"),
    };
    assert_eq!(
        out.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(env.dump(), before);
    assert_healthy(&env.db);
}

#[test]
fn a_read_only_database_can_still_be_read() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace", "--email", "ada@example.com"]);
    env.ok(&["log", "ada", "Kick-off call"]);
    let before = env.dump();
    let data = env.db.parent().unwrap();
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(data, std::fs::Permissions::from_mode(0o555)).unwrap();

    let Some(probe) = run_unprivileged(&env, &["--version"]) else {
        return;
    };
    assert!(probe.status.success());

    let list = run_unprivileged(&env, &["list"]).unwrap();
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    assert!(String::from_utf8_lossy(&list.stdout).contains("Ada Lovelace"));
    let show = run_unprivileged(&env, &["show", "ada"]).unwrap();
    assert!(String::from_utf8_lossy(&show.stdout).contains("Kick-off call"));

    let add = run_unprivileged(&env, &["add", "Grace Hopper"]).unwrap();
    assert_eq!(add.status.code(), Some(6));
    let err = String::from_utf8_lossy(&add.stderr);
    assert!(err.contains("read-only"), "{err}");

    std::fs::set_permissions(data, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(env.dump(), before);
}
