//! What a new user met trying `kith capture` (the trial of 2026-12-03): an empty spool, a
//! path that is not there, a note that begins "From ", a dry run's wording, a run where
//! nothing could be read, and what `--undo` says it removed.

use crate::capture::{book, capture, content, mbox};

#[test]
fn an_empty_mbox_captures_nothing_and_succeeds() {
    let env = book();
    let spool = env.dir.path().join("spool");
    std::fs::write(&spool, b"").unwrap();
    let before = env.dump();
    let report = capture(&env, &[spool.to_str().unwrap()], 0);
    assert_eq!(report["read"], 0, "{report:#}");
    assert_eq!(report["skipped"], serde_json::json!([]));
    assert_eq!(env.dump(), before);
    let text = env.ok(&["capture", spool.to_str().unwrap()]);
    assert!(text.starts_with("Captured 0 records"), "{text}");
}

/// `notmuch search --output=files tag:new | kith capture --files-from -` on a day without
/// new mail feeds an empty list: nothing to do, not a usage error.
#[test]
fn an_empty_files_from_list_captures_nothing_and_succeeds() {
    let env = book();
    let before = env.dump();
    let out = env
        .kith()
        .args(["capture", "--files-from", "-"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Captured 0 records"));
    assert_eq!(env.dump(), before);
    // Naming nothing at all is still a usage error.
    let out = env.kith().args(["capture"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

/// A path that is not there is named; alone it is an error with no report, beside others
/// (a cron line naming INBOX and a Sent folder not made yet) it is skipped like an
/// unreadable message and the rest is captured, exit 8.
#[test]
fn a_missing_path_is_named_and_alone_is_an_error() {
    let env = book();
    let missing = env.dir.path().join("no-such.mbox");
    let out = env
        .kith()
        .args(["capture", missing.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "", "no report");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}: no such file or folder", missing.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("os error"), "{stderr}");

    let out = env
        .kith()
        .args(["capture", &mbox(), missing.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("{}: no such file or folder", missing.display())),
        "{text}"
    );
    assert_ne!(
        env.json(&["show", "ada"])["interactions"],
        serde_json::json!([]),
        "the path that is there was captured"
    );
}

#[test]
fn a_listed_file_that_moved_since_is_named_and_skipped() {
    // notmuch or mu listed it, then the Maildir renamed it (its flags changed).
    let env = book();
    let gone = env.dir.path().join("cur/1763636400.M3P3.host:2,S");
    let list = format!("{}\n{}\n", mbox(), gone.display());
    let out = env
        .kith()
        .args(["capture", "--files-from", "-", "--json"])
        .write_stdin(list)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["captured"].as_u64().unwrap() > 0, "{report:#}");
    let skipped = report["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .any(|s| s["file"] == gone.display().to_string()
                && s["reason"]
                    .as_str()
                    .unwrap()
                    .starts_with("no such file or folder")),
        "{report:#}"
    );
}

#[test]
fn a_note_starting_with_from_is_not_a_mailbox() {
    let env = book();
    let dir = env.dir.path().join("mail");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("SOURCE.md"),
        "From the mail-parser project (stalwartlabs/mail-parser, commit 339a430), `resources/`:\nmore text\n",
    )
    .unwrap();
    std::fs::copy(mbox(), dir.join("conversations.mbox")).unwrap();
    // In a folder the note is left alone; named on its own it is refused as not mail.
    let report = capture(&env, &[dir.to_str().unwrap()], 8);
    assert!(
        report["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| !s["file"].as_str().unwrap().ends_with("SOURCE.md")),
        "{report:#}"
    );
    assert!(report["captured"].as_u64().unwrap() > 0);
    let note = dir.join("SOURCE.md");
    let alone = capture(&env, &[note.to_str().unwrap()], 8);
    assert_eq!(alone["read"], 0);
    assert_eq!(
        alone["skipped"][0]["reason"],
        "is neither an mbox, a mail message nor a calendar"
    );
}

#[test]
fn every_line_of_a_dry_run_is_a_plan() {
    let env = book();
    let out = env
        .kith()
        .args(["capture", &mbox(), "--dry-run", "--add-unknown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8));
    let sidecar = format!("{}-capture-undo", env.db.display());
    assert!(
        !std::path::Path::new(&sidecar).exists(),
        "a dry run wrote {sidecar}"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Would capture "), "{text}");
    assert!(text.contains("Would add as contacts"), "{text}");
    assert!(text.contains("1 contact would be added"), "{text}");
    assert!(text.contains("would skip as noise"), "{text}");
    for past in ["Added as", "contact added", "skipped as noise", "Captured "] {
        assert!(!text.contains(past), "{past:?} in a dry run:\n{text}");
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("planned from what could be read"),
        "{stderr}"
    );
}

#[test]
fn when_nothing_can_be_read_the_report_and_the_exit_code_agree() {
    let env = book();
    let bad = env.dir.path().join("bad.eml");
    std::fs::write(&bad, "this is not mail\n").unwrap();
    let out = env
        .kith()
        .args(["capture", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("Nothing captured: the one record could not be read"),
        "{text}"
    );
    assert!(!text.contains("Captured"), "{text}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nothing could be read"), "{stderr}");
    assert!(!stderr.contains("captured what"), "{stderr}");
}

#[test]
fn undo_reports_the_participations_it_removed() {
    let env = book();
    let before = content(&env);
    let run = capture(&env, &[&mbox()], 8);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let participations: i64 = conn
        .query_row("SELECT count(*) FROM interaction_participants", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(participations > 0);
    let undone = env.json(&["capture", "--undo", run["batch"].as_str().unwrap()]);
    assert_eq!(undone["participations"], participations, "{undone:#}");
    assert_eq!(content(&env), before);
}

/// One event I organised with Ada (and a second one with Grace), as an export writes it at
/// `sequence`, with `summary`, starting at `start` (UTC), or cancelled.
fn calendar(sequence: u32, summary: &str, start: &str, cancelled: bool) -> String {
    let status = if cancelled { "CANCELLED" } else { "CONFIRMED" };
    format!(
        "BEGIN:VCALENDAR\r\nPRODID:-//Test//EN\r\nVERSION:2.0\r\n\
BEGIN:VEVENT\r\nUID:review-1@consult.example\r\nDTSTAMP:20261120T080000Z\r\n\
DTSTART:{start}\r\nDTEND:20261120T110000Z\r\nSEQUENCE:{sequence}\r\nSTATUS:{status}\r\n\
SUMMARY:{summary}\r\nLOCATION:Room 4\r\n\
ORGANIZER:mailto:me@consult.example\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@analytical.example\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:lunch-1@consult.example\r\nDTSTAMP:20261120T080000Z\r\n\
DTSTART:20261118T120000Z\r\nSEQUENCE:0\r\nSUMMARY:Lunch\r\n\
ORGANIZER:mailto:me@consult.example\r\nATTENDEE:mailto:grace@navy.example\r\n\
END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// The calendar of [`calendar`] written to `name` in the book's folder: its path.
fn event(
    env: &crate::common::Env,
    name: &str,
    sequence: u32,
    summary: &str,
    start: &str,
    cancelled: bool,
) -> String {
    write(env, name, &calendar(sequence, summary, start, cancelled))
}

fn write(env: &crate::common::Env, name: &str, text: &str) -> String {
    let path = env.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn undoing_a_later_export_puts_back_the_meeting_it_updated() {
    let env = book();
    let v1 = event(&env, "v1.ics", 0, "Review", "20261120T100000Z", false);
    let v2 = event(
        &env,
        "v2.ics",
        3,
        "Review (moved)",
        "20261119T090000Z",
        false,
    );
    capture(&env, &[&v1], 0);
    let after_v1 = content(&env);
    let run = capture(&env, &[&v2], 0);
    assert_eq!(run["updated"], 1, "{run:#}");
    assert_ne!(content(&env), after_v1);
    let undone = env.json(&["capture", "--undo", run["batch"].as_str().unwrap()]);
    assert_eq!(undone["restored"], 1, "{undone:#}");
    assert_eq!(content(&env), after_v1);
    // v2 again updates again: the book knows v1 only.
    assert_eq!(capture(&env, &[&v2], 0)["updated"], 1);
}

#[test]
fn undoing_a_cancellation_puts_back_the_meeting_it_removed() {
    let env = book();
    let v1 = event(&env, "v1.ics", 0, "Review", "20261120T100000Z", false);
    let cancelled = event(&env, "cancelled.ics", 1, "Review", "20261120T100000Z", true);
    let first = capture(&env, &[&v1], 0);
    let after_v1 = content(&env);
    let run = capture(&env, &[&cancelled], 0);
    assert_eq!(run["removed"], 1, "{run:#}");
    assert_ne!(content(&env), after_v1);
    let text = env.ok(&["capture", "--undo", run["batch"].as_str().unwrap()]);
    assert!(text.contains("put back 1 event"), "{text}");
    assert_eq!(content(&env), after_v1);
    // The first run cannot be taken back before a later one that changed its events...
    let again = capture(&env, &[&cancelled], 0);
    let stderr = env.fails(&["capture", "--undo", first["batch"].as_str().unwrap()], 5);
    assert!(
        stderr.contains(&format!(
            "take it back first: kith capture --undo {}",
            again["batch"].as_str().unwrap()
        )),
        "{stderr}"
    );
    // ...and after it, it can: the book is as before either.
    env.ok(&["capture", "--undo", again["batch"].as_str().unwrap()]);
    assert_eq!(content(&env), after_v1);
    env.ok(&["capture", "--undo", first["batch"].as_str().unwrap()]);
    assert_eq!(
        env.json(&["show", "ada"])["interactions"],
        serde_json::json!([])
    );
}

#[test]
fn an_update_and_a_cancellation_in_one_later_run_are_both_undone() {
    let env = book();
    let v1 = event(&env, "v1.ics", 0, "Review", "20261120T100000Z", false);
    let v2 = event(
        &env,
        "v2.ics",
        2,
        "Review (moved)",
        "20261119T090000Z",
        false,
    );
    let cancelled = event(&env, "cancelled.ics", 3, "Review", "20261119T090000Z", true);
    capture(&env, &[&v1], 0);
    let after_v1 = content(&env);
    let run = capture(&env, &[&v2, &cancelled], 0);
    assert_eq!(
        (run["updated"].as_u64(), run["removed"].as_u64()),
        (Some(1), Some(1))
    );
    env.ok(&["capture", "--undo", run["batch"].as_str().unwrap()]);
    assert_eq!(content(&env), after_v1);
}

#[test]
fn a_meeting_says_where_it_was_in_show_and_its_json() {
    let env = book();
    let v1 = event(&env, "v1.ics", 0, "Review", "20261120T100000Z", false);
    capture(&env, &[&v1], 0);
    let text = env.ok(&["show", "ada"]);
    assert!(text.contains("meeting → Review @ Room 4"), "{text}");
    let brief = env.json(&["show", "ada"]);
    assert_eq!(brief["interactions"][0]["location"], "Room 4", "{brief:#}");
    // A meeting without a location, and mail, say nothing of one.
    let grace = env.json(&["show", "grace"]);
    assert!(
        grace["interactions"][0].get("location").is_none(),
        "{grace:#}"
    );
}

#[test]
fn a_backup_restores_my_addresses_and_the_runs_so_undo_and_a_second_run_still_work() {
    let a = book();
    let v1 = event(&a, "v1.ics", 0, "Review", "20261120T100000Z", false);
    let v2 = event(&a, "v2.ics", 3, "Review (moved)", "20261119T090000Z", false);
    capture(&a, &[&v1], 0);
    let later = capture(&a, &[&v2], 0);
    capture(&a, &[&mbox(), "--add-unknown"], 8);
    let backup = a.dir.path().join("backup.json");
    a.ok(&[
        "export",
        "--format",
        "json",
        "--out",
        backup.to_str().unwrap(),
    ]);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&backup).unwrap()).unwrap();
    assert_eq!(doc["kith_format"], 3);
    assert_eq!(doc["capture_batches"].as_array().unwrap().len(), 3);

    let b = crate::common::Env::new();
    let out = b.ok(&["import", backup.to_str().unwrap()]);
    assert!(!out.contains("invalid"), "{out}");
    assert_eq!(b.ok(&["me"]), "me@consult.example\n");
    assert_eq!(
        b.ok(&["export", "--format", "json"]),
        std::fs::read_to_string(&backup).unwrap()
    );
    // The same backup imported again changes nothing.
    let restored = b.dump();
    b.ok(&["import", backup.to_str().unwrap()]);
    assert_eq!(b.dump(), restored);
    // A second run over the same files finds everything captured already.
    let again = capture(&b, &[&mbox(), &v2], 8);
    assert_eq!(again["captured"], 0, "{again:#}");
    assert_eq!(again["batch"], serde_json::Value::Null);
    // The update taken back in the restored book leaves it as in the original.
    let batch = later["batch"].as_str().unwrap();
    let undone = b.json(&["capture", "--undo", batch]);
    assert_eq!(undone["restored"], 1, "{undone:#}");
    a.ok(&["capture", "--undo", batch]);
    assert_eq!(
        b.ok(&["export", "--format", "json"]),
        a.ok(&["export", "--format", "json"])
    );
}

#[test]
fn a_book_without_captures_is_still_written_as_version_2() {
    let env = crate::common::Env::new();
    env.ok(&["add", "Ada"]);
    let doc: serde_json::Value =
        serde_json::from_str(&env.ok(&["export", "--format", "json"])).unwrap();
    assert_eq!(doc["kith_format"], 2);
    assert!(doc.get("capture_batches").is_none() && doc.get("me_addresses").is_none());
}

/// The book undone is the same byte for byte as a dump shows it: every table's rows and the
/// full-text indexes' own pages too (FTS5 would otherwise keep the deletions as new pages).
#[test]
fn undo_leaves_even_the_search_index_pages_as_they_were() {
    let env = book();
    for (at, what) in [("2026-10-01", "Kick-off"), ("2026-10-08", "Budget call")] {
        env.ok(&["log", "ada", "--via", "call", what, "--at", at]);
    }
    env.ok(&["edit", "grace", "--note", "Met at the navy yard"]);
    let before = env.dump();
    let run = capture(&env, &[&mbox(), "--add-unknown"], 8);
    assert_ne!(env.dump(), before);
    env.ok(&["capture", "--undo", run["batch"].as_str().unwrap()]);
    assert_eq!(env.dump(), before);
    // The restored index answers as before.
    assert_eq!(env.json(&["grep", "budget"]).as_array().unwrap().len(), 1);

    // A later run taken back, after others: the book is again byte for byte what it was
    // after the earlier runs (the copy of the indexes lives next to the book, not in it).
    let v1 = event(&env, "v1.ics", 0, "Review", "20261120T100000Z", false);
    let v2 = event(&env, "v2.ics", 3, "Moved", "20261119T090000Z", true);
    capture(&env, &[&v1], 0);
    let after_v1 = env.dump();
    let later = capture(&env, &[&v2], 0);
    env.ok(&["capture", "--undo", later["batch"].as_str().unwrap()]);
    assert_eq!(env.dump(), after_v1);
    assert!(after_v1.contains("interactions_fts_data"));
    // The copy is private to its owner.
    let sidecar = format!("{}-capture-undo", env.db.display());
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&sidecar).unwrap().permissions(),
    );
    assert_eq!(mode & 0o077, 0, "{mode:o}");
}
