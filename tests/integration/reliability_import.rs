//! docs/RELIABILITY.md: a large import killed at random points is wholly present or wholly
//! absent; CLI writers racing a long-open session (as the interactive mode holds one) lose no
//! write and never report "database is locked".

use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::common::{Env, Lcg, NOW, kith_process};

/// Contacts in each killed import: thousands, yet a round stays well under a second or two.
const BATCH: usize = 3_000;
const ROUNDS: u64 = 6;

fn seed() -> u64 {
    let seed = std::env::var("KITH_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(11, |d| d.as_nanos() as u64)
        });
    eprintln!("crash test seed {seed} (repeat with KITH_CRASH_SEED={seed})");
    seed
}

/// A vCard address book of `BATCH` people of round `round`: each with an email, a phone, an
/// organization of the round, a note and a tag, so a torn contact would show a missing part.
fn address_book(round: u64) -> String {
    let mut vcf = String::with_capacity(BATCH * 260);
    for i in 0..BATCH {
        vcf.push_str(&format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:crash-{round}-{i}\r\nFN:Person {i} of Round {round}\r\n\
             N:Round {round};Person {i};;;\r\nEMAIL;TYPE=work:p{i}.r{round}@example.com\r\n\
             TEL;TYPE=cell:+1 555 {:03} {:04}\r\nORG:Crash Org {round}\r\nNOTE:note {i}\r\n\
             CATEGORIES:round{round}\r\nEND:VCARD\r\n",
            round % 1000,
            i
        ));
    }
    vcf
}

/// Run `kith import FILE` and SIGKILL it anywhere from startup to a little past `full`
/// microseconds (how long a whole import takes here); whether it finished first.
fn import_killed_at_random(env: &Env, file: &Path, full: u64, rng: &mut Lcg) -> bool {
    let mut child = kith_process(env)
        .args(["import", file.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_micros(rng.next(full + full / 5 + 1)));
    let _ = child.kill(); // SIGKILL
    child.wait().unwrap().success()
}

fn query(conn: &rusqlite::Connection, sql: &str, round: u64) -> i64 {
    conn.query_row(sql, [format!("crash-{round}-%")], |r| r.get(0))
        .unwrap()
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
fn a_killed_large_import_is_wholly_present_or_wholly_absent() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace", "--email", "ada@example.com"]);
    let mut rng = Lcg(seed());

    // How long one whole import takes here, so the kills land across all of it.
    let timing = env.dir.path().join("timing.vcf");
    std::fs::write(&timing, address_book(999)).unwrap();
    let started = Instant::now();
    env.ok(&["import", timing.to_str().unwrap()]);
    let full = started.elapsed().as_micros() as u64;
    eprintln!(
        "one import of {BATCH} contacts takes {} ms here",
        full / 1000
    );

    let mut landed = 0;
    for round in 0..ROUNDS {
        let file = env.dir.path().join(format!("round{round}.vcf"));
        std::fs::write(&file, address_book(round)).unwrap();
        let before: i64 = {
            let conn = rusqlite::Connection::open(&env.db).unwrap();
            conn.query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
                .unwrap()
        };
        let finished = import_killed_at_random(&env, &file, full, &mut rng);

        assert_healthy(&env.db);
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let after: i64 = conn
            .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
            .unwrap();
        let imported = query(
            &conn,
            "SELECT count(*) FROM contacts WHERE uid LIKE ?1",
            round,
        );
        assert!(
            (imported == 0 && after == before)
                || (imported == BATCH as i64 && after == before + BATCH as i64),
            "round {round}: {imported} of {BATCH} contacts present ({before} before, {after} after)"
        );
        if finished {
            assert_eq!(
                imported, BATCH as i64,
                "round {round} finished but is missing"
            );
        }
        if imported > 0 {
            landed += 1;
            // Every contact of the batch is complete: both details, its tag, its organization.
            let incomplete = query(
                &conn,
                "SELECT count(*) FROM contacts c WHERE c.uid LIKE ?1 AND (
                   (SELECT count(*) FROM contact_details d WHERE d.contact_id = c.id) != 2
                   OR (SELECT count(*) FROM contact_tags t WHERE t.contact_id = c.id) != 1
                   OR c.organization_id IS NULL OR c.notes IS NULL)",
                round,
            );
            assert_eq!(incomplete, 0, "round {round}: torn contacts");
        } else {
            let org: i64 = conn
                .query_row(
                    "SELECT count(*) FROM organizations WHERE name = ?1",
                    [format!("Crash Org {round}")],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(
                org, 0,
                "round {round}: the organization outlived its import"
            );
        }
    }
    eprintln!("{landed} of {ROUNDS} imports finished before the kill");
    // And the database still takes writes.
    env.ok(&["add", "After The Kills"]);
    assert_healthy(&env.db);
}

#[test]
fn writers_racing_a_long_open_session_lose_nothing_and_never_see_locked() {
    let env = Env::new();
    env.ok(&["add", "Seed Contact"]);
    let stop = Arc::new(AtomicBool::new(false));

    // The session: one connection held open the whole time, reading over and over (some reads
    // inside a transaction held for a while, as a screen being drawn), and now and then
    // writing with BEGIN IMMEDIATE and a busy timeout, as the interactive mode does.
    let session = {
        let db = env.db.clone();
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || -> Result<(usize, usize), String> {
            let conn = rusqlite::Connection::open(&db).map_err(|e| e.to_string())?;
            conn.busy_timeout(Duration::from_secs(5))
                .map_err(|e| e.to_string())?;
            let (mut reads, mut writes) = (0, 0);
            while !stop.load(Ordering::Relaxed) {
                let tx = conn
                    .unchecked_transaction()
                    .map_err(|e| format!("session read: {e}"))?;
                let n: i64 = tx
                    .query_row(
                        "SELECT count(*) FROM contacts c LEFT JOIN interaction_participants p
                         ON p.contact_id = c.id",
                        [],
                        |r| r.get(0),
                    )
                    .map_err(|e| format!("session read: {e}"))?;
                std::thread::sleep(Duration::from_millis(15));
                let m: i64 = tx
                    .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
                    .map_err(|e| format!("session read: {e}"))?;
                if m > n {
                    return Err(format!("a read transaction saw {n} rows, then {m}"));
                }
                tx.commit().map_err(|e| e.to_string())?;
                reads += 1;
                if reads % 10 == 0 {
                    conn.execute_batch(
                        "BEGIN IMMEDIATE; UPDATE contacts SET notes = coalesce(notes, '') || 's'
                         WHERE id = 1; COMMIT;",
                    )
                    .map_err(|e| format!("session write: {e}"))?;
                    writes += 1;
                }
            }
            Ok((reads, writes))
        })
    };

    const WRITERS: usize = 2;
    const EACH: usize = 12;
    let handles: Vec<_> = (0..WRITERS)
        .map(|w| {
            let bin = assert_cmd::cargo::cargo_bin("kith");
            let db = env.db.clone();
            let home = env.dir.path().to_path_buf();
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..EACH {
                    for args in [
                        vec![
                            "add".to_string(),
                            format!("Writer {w} Person {i}"),
                            "--tag".into(),
                            "race".into(),
                        ],
                        vec!["log".into(), "#1".into(), format!("note {w}-{i}")],
                        vec![
                            "remind".into(),
                            "#1".into(),
                            format!("todo {w}-{i}"),
                            "--due".into(),
                            "tomorrow".into(),
                        ],
                    ] {
                        let out = Process::new(&bin)
                            .env_clear()
                            .env("HOME", &home)
                            .env("TZ", "UTC")
                            .env("KITH_NOW", NOW)
                            .env("KITH_DB", &db)
                            .env("KITH_BUSY_TIMEOUT_MS", "5000")
                            .args(&args)
                            .output()
                            .unwrap();
                        let err = String::from_utf8_lossy(&out.stderr).into_owned();
                        if !out.status.success() || err.to_lowercase().contains("locked") {
                            failures.push(format!("{args:?}: {:?} {err}", out.status.code()));
                        }
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
    stop.store(true, Ordering::Relaxed);
    let (reads, writes) = session.join().unwrap().unwrap();
    eprintln!("the session read {reads} times and wrote {writes} times meanwhile");
    assert!(failures.is_empty(), "writers failed: {failures:#?}");
    assert!(reads > 0);

    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM contacts"),
        1 + (WRITERS * EACH) as i64
    );
    assert_eq!(
        count("SELECT count(*) FROM interactions"),
        (WRITERS * EACH) as i64
    );
    assert_eq!(
        count("SELECT count(*) FROM reminders"),
        (WRITERS * EACH) as i64
    );
    let notes: String = conn
        .query_row(
            "SELECT coalesce(notes, '') FROM contacts WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(notes.len(), writes, "a session write was lost");
    drop(conn);
    assert_healthy(&env.db);
}

fn journal_mode(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap()
}

/// The first import into an empty book goes through a rollback journal instead of the WAL
/// (store::journal). Killed anywhere, it too leaves all or nothing, and the book returns to
/// WAL mode, with no journal left behind, at the next command.
#[test]
fn a_killed_first_import_into_an_empty_book_is_wholly_present_or_wholly_absent() {
    let mut rng = Lcg(seed());
    let timing = Env::new();
    let file = timing.dir.path().join("book.vcf");
    std::fs::write(&file, address_book(7)).unwrap();
    let started = Instant::now();
    timing.ok(&["import", file.to_str().unwrap()]);
    let full = started.elapsed().as_micros() as u64;
    assert_eq!(journal_mode(&timing.db), "wal");

    let mut landed = 0;
    for round in 0..ROUNDS {
        let env = Env::new();
        env.ok(&["org", "add", "Acme"]); // the book exists, without contacts
        let finished = import_killed_at_random(&env, &file, full, &mut rng);

        // The next command finds the book whole (replaying any journal) and in WAL mode.
        let listed = env.ok(&["list", "--json"]);
        let people = serde_json::from_str::<serde_json::Value>(&listed).unwrap();
        let people = people.as_array().map_or(0, Vec::len);
        assert!(
            people == 0 || people == BATCH,
            "round {round}: {people} of {BATCH} contacts present"
        );
        if finished {
            assert_eq!(people, BATCH, "round {round} finished but is missing");
        }
        landed += usize::from(people == BATCH);
        assert_eq!(journal_mode(&env.db), "wal", "round {round}");
        let journal = env.db.with_file_name(format!(
            "{}-journal",
            env.db.file_name().unwrap().to_string_lossy()
        ));
        assert!(
            !journal.exists(),
            "round {round}: a journal was left behind"
        );
        assert_healthy(&env.db);
    }
    eprintln!("{landed} of {ROUNDS} first imports finished before the kill");
}

/// Leaving WAL mode needs the file to itself. With a reader in the middle of a transaction
/// on the empty book, the import goes through the WAL as usual: it neither waits for the
/// reader nor disturbs its snapshot.
#[test]
fn a_first_import_beside_an_open_reader_keeps_to_the_wal() {
    let env = Env::new();
    env.ok(&["org", "add", "Acme"]); // the book exists, without contacts
    let file = env.dir.path().join("book.vcf");
    std::fs::write(&file, address_book(3)).unwrap();
    let reader = rusqlite::Connection::open(&env.db).unwrap();
    let snapshot = reader.unchecked_transaction().unwrap();
    let before: i64 = snapshot
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(before, 0);

    let started = Instant::now();
    // A long busy timeout: had the import waited for the reader, the time would show it.
    env.kith()
        .env("KITH_BUSY_TIMEOUT_MS", "30000")
        .args(["import", file.to_str().unwrap()])
        .assert()
        .success();
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "the import waited for the reader"
    );
    let during: i64 = snapshot
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(during, 0, "the reader's snapshot changed under it");
    snapshot.commit().unwrap();
    let after: i64 = reader
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(after, BATCH as i64);
    drop(reader);
    assert_eq!(journal_mode(&env.db), "wal");
    assert_healthy(&env.db);
}
