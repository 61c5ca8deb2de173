//! `kith capture` and `kith me` on real mail (mail-parser's test messages) and on a mailbox
//! and Maildir written in the shapes mail programs write (tests/fixtures/mail/): exactly the
//! known people, right dates and directions, noise counted and skipped, unreadable messages
//! named, nothing changed by a second run or a dry run, and `--undo` restoring the book.

use std::path::PathBuf;

use serde_json::Value;

use crate::common::{Env, dump};

fn fixture(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mail")
        .join(path)
        .display()
        .to_string()
}

pub(crate) fn mbox() -> String {
    fixture("handmade/conversations.mbox")
}

fn maildir() -> String {
    fixture("handmade/maildir")
}

/// A book that knows Ada, Grace and Tom, and that I am me@consult.example.
pub(crate) fn book() -> Env {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace", "--email", "ada@analytical.example"]);
    env.ok(&["add", "Grace Hopper", "--email", "grace@navy.example"]);
    env.ok(&["add", "Tom Baker", "--email", "tom@acme.example"]);
    env.ok(&["me", "add", "me@consult.example"]);
    env
}

/// `kith capture ARGS --json`, which exits 8 when a message was unreadable.
pub(crate) fn capture(env: &Env, args: &[&str], code: i32) -> Value {
    let out = env
        .kith()
        .arg("capture")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "capture {args:?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every interaction `who` took part in, threads or not: (occurred_at, direction,
/// participants), newest first, read from the book itself.
fn messages(env: &Env, who: &str) -> Vec<(String, Value, Vec<String>)> {
    let id = env.json(&["show", who])["contact"]["id"].as_i64().unwrap();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT i.occurred_at, i.direction,
                    (SELECT group_concat(c.display_name, '|') FROM (SELECT c.display_name
                       FROM interaction_participants q JOIN contacts c ON c.id = q.contact_id
                      WHERE q.interaction_id = i.id ORDER BY c.display_name) c)
               FROM interactions i JOIN interaction_participants p ON p.interaction_id = i.id
              WHERE p.contact_id = ?1 ORDER BY i.occurred_at DESC",
        )
        .unwrap();
    stmt.query_map([id], |r| {
        let direction: Option<String> = r.get(1)?;
        let names: String = r.get(2)?;
        Ok((
            r.get(0)?,
            direction.map_or(Value::Null, Value::String),
            names.split('|').map(str::to_string).collect(),
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// Each entry of `who`'s timeline: (occurred_at, direction, summary, participant names).
pub(crate) fn timeline(env: &Env, who: &str) -> Vec<(String, Value, String, Vec<String>)> {
    let brief = env.json(&["show", who, "--full"]);
    brief["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["occurred_at"].as_str().unwrap().to_string(),
                i["direction"].clone(),
                i["summary"].as_str().unwrap().to_string(),
                i["participants"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["name"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn my_addresses_are_kept_listed_and_removed() {
    let env = Env::new();
    env.ok(&["me", "add", "Me@Consult.example"]);
    env.ok(&["me", "add", "me+work@consult.example"]); // the same mailbox: kept once
    env.ok(&["me", "add", "other@home.example"]);
    assert_eq!(env.ok(&["me"]), "Me@Consult.example\nother@home.example\n");
    let list = env.json(&["me"]);
    assert_eq!(list[1]["address"], "other@home.example");
    env.ok(&["me", "rm", "ME@consult.example"]);
    assert_eq!(env.ok(&["me"]), "other@home.example\n");
    env.fails(&["me", "rm", "nobody@home.example"], 3);
    let err = env.fails(&["me", "add", "not an address"], 5);
    assert!(err.contains("not an email address"), "{err}");
}

#[test]
fn a_mailbox_and_a_maildir_become_the_conversations_with_exactly_the_known_people() {
    let env = book();
    let report = capture(&env, &[&mbox(), &maildir()], 8);
    assert_eq!(report["captured"], 6, "{report:#}");
    assert_eq!(
        report["already_captured"], 2,
        "the Maildir's copies: {report:#}"
    );
    let noise: Vec<(String, u64)> = report["noise"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap().into(),
                n["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        noise,
        [
            ("automated".into(), 2),
            ("list".into(), 2),
            ("crowd".into(), 1)
        ]
    );
    // The message without headers is named by its file and the byte its From line starts at.
    let skipped = &report["skipped"][0];
    assert_eq!(skipped["file"], mbox().as_str());
    assert_eq!(skipped["offset"], 3065);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 1);
    // Zoe wrote back: listed; the shop only wrote to me: not.
    let unknown = report["unknown"].as_array().unwrap();
    assert_eq!(unknown.len(), 1, "{unknown:#?}");
    assert_eq!(unknown[0]["address"], "zoe@newco.example");
    assert_eq!(unknown[0]["name"], "Zoe Quinn");
    assert_eq!(
        (unknown[0]["sent"].as_u64(), unknown[0]["received"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(unknown[0]["last_at"], "2026-11-13T09:00:00Z");

    // Ada's three messages are one thread: one entry, its latest message, 3 messages.
    let out = |s: &str| Value::String(s.into());
    assert_eq!(
        timeline(&env, "ada"),
        [(
            "2026-11-05T16:00:00Z".into(),
            out("in"),
            "Re: Café budget".into(),
            vec!["Ada Lovelace".into()]
        )]
    );
    // Each message is its own interaction, with its date, direction and people.
    let all = messages(&env, "ada");
    assert_eq!(
        all,
        [
            (
                "2026-11-05T16:00:00Z".into(),
                out("in"),
                vec!["Ada Lovelace".into()]
            ),
            // To Ada+kith@Analytical.Example: the same person.
            (
                "2026-11-03T10:30:00Z".into(),
                out("out"),
                vec!["Ada Lovelace".into()]
            ),
            (
                "2026-11-02T08:00:00Z".into(),
                out("in"),
                vec!["Ada Lovelace".into(), "Grace Hopper".into()]
            ),
        ]
    );
    let grace: Vec<String> = timeline(&env, "grace").into_iter().map(|t| t.2).collect();
    // Her list message and the digest are not conversations; the résumé subject was ISO-8859-1.
    assert_eq!(grace, ["Lunch?", "Résumé review", "Café budget"]);
    // Tom's auto-reply is skipped; his question (no Message-ID) was in both, and is one.
    let tom = timeline(&env, "tom");
    assert_eq!(tom.len(), 1, "{tom:#?}");
    assert_eq!(tom[0].2, "Quick question");
    assert_eq!(tom[0].1, out("in"));
}

#[test]
fn a_second_run_and_a_dry_run_change_nothing() {
    let env = book();
    let before = env.dump();
    let dry = capture(&env, &[&mbox(), &maildir(), "--dry-run"], 8);
    assert_eq!(dry["captured"], 6);
    assert_eq!(env.dump(), before, "a dry run wrote");
    let first = capture(&env, &[&mbox(), &maildir()], 8);
    assert!(first["batch"].is_string());
    let after_first = env.dump();
    let second = capture(&env, &[&maildir(), &mbox()], 8);
    assert_eq!(second["captured"], 0);
    assert_eq!(second["already_captured"], 8);
    assert_eq!(second["batch"], Value::Null);
    assert_eq!(env.dump(), after_first, "a second run wrote");
}

/// The book's logical content: every table's rows (the derived search indexes aside, whose
/// pages SQLite lays out as it likes)
/// and the full JSON backup.
pub(crate) fn content(env: &Env) -> (String, String) {
    let rows: String = dump(&env.db)
        .lines()
        .filter(|l| !l.starts_with("interactions_fts") && !l.starts_with("contact_notes_fts"))
        .map(|l| format!("{l}\n"))
        .collect();
    (rows, env.ok(&["export", "--format", "json"]))
}

#[test]
fn undo_takes_back_exactly_what_a_run_added() {
    let env = book();
    env.ok(&[
        "log",
        "ada",
        "--via",
        "call",
        "Kick-off",
        "--at",
        "2026-10-01",
    ]);
    let before = content(&env);
    let run = capture(&env, &[&mbox(), &maildir(), "--add-unknown"], 8);
    assert_eq!(run["contacts_added"], 1);
    let zoe = messages(&env, "zoe");
    assert_eq!(zoe.len(), 2, "Zoe's mail is logged with her: {zoe:#?}");
    crate::common::assert_touches_right(&env.db, "a capture");
    let batch = run["batch"].as_str().unwrap();
    let undone = env.json(&["capture", "--undo", batch]);
    assert_eq!(undone["interactions"], 8);
    assert_eq!(undone["contacts"], 1);
    assert_eq!(content(&env), before);
    crate::common::assert_touches_right(&env.db, "its undo");
    // The full-text index agrees with the interactions left (its pages may lie differently).
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute(
        "INSERT INTO interactions_fts (interactions_fts, rank) VALUES ('integrity-check', 1)",
        [],
    )
    .unwrap();
    assert_eq!(env.json(&["grep", "budget"]), serde_json::json!([]));
    env.fails(&["capture", "--undo", batch], 3);
}

#[test]
fn a_contact_added_later_is_linked_by_the_next_run_and_only_that_is_undone() {
    let env = book();
    capture(&env, &[&mbox()], 8);
    let before = content(&env);
    // Zoe becomes a contact by hand: the next run links her to the mail already captured.
    env.ok(&["add", "Zoe Quinn", "--email", "zoe@newco.example"]);
    let with_zoe = content(&env);
    assert_ne!(before, with_zoe);
    let run = capture(&env, &[&mbox()], 8);
    assert_eq!(run["captured"], 2, "{run:#}");
    assert_eq!(messages(&env, "zoe").len(), 2);
    env.ok(&["capture", "--undo", run["batch"].as_str().unwrap()]);
    assert_eq!(content(&env), with_zoe);
}

#[test]
fn noise_is_let_in_when_asked() {
    let env = book();
    let report = capture(
        &env,
        &[
            &mbox(),
            "--include-lists",
            "--include-automated",
            "--include-crowds",
        ],
        8,
    );
    assert_eq!(report["captured"], 8, "{report:#}");
    let summaries: Vec<String> = timeline(&env, "tom").into_iter().map(|t| t.2).collect();
    assert_eq!(
        summaries,
        ["Quick question", "Out of office: Quick question"]
    );
    assert!(
        timeline(&env, "grace")
            .iter()
            .any(|t| t.2 == "[dev] Compilers")
    );
    assert!(timeline(&env, "ada").iter().any(|t| t.2 == "Holiday party"));
}

#[test]
fn bodies_are_kept_only_when_asked_without_quoted_replies() {
    let env = book();
    capture(&env, &[&mbox()], 8);
    let brief = env.json(&["show", "ada", "--full"]);
    assert!(
        brief["interactions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["body"].is_null())
    );

    let env = book();
    capture(&env, &[&mbox(), "--with-body"], 8);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let bodies: Vec<String> = conn
        .prepare(
            "SELECT body FROM interactions WHERE summary LIKE '%Café budget' ORDER BY occurred_at DESC",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        bodies,
        [
            "Great.",
            "Agreed, let us go ahead.",
            // The mbox quoted this line as ">From the archive": the message did not.
            "Here are the numbers for the café.\n\nFrom the archive, the figures are in."
        ]
    );
    // `kith show --full` shows the thread's latest body.
    assert!(env.ok(&["show", "ada", "--full"]).contains("      Great."));
}

#[test]
fn files_from_standard_input() {
    let env = book();
    let list = format!("{}\n\n{}\n", mbox(), maildir());
    let out = env
        .kith()
        .args(["capture", "--files-from", "-", "--json"])
        .write_stdin(list)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["captured"], 6);
}

#[test]
fn captured_mail_resets_a_cadence_as_logged_contact_does() {
    let env = book();
    env.ok(&["edit", "grace", "--every", "30d"]);
    // Added today with a 30-day cadence: due in 30 days. Her mail of the 20th counts from then.
    let before = env.json(&["show", "grace"]);
    assert_eq!(before["keep_in_touch"]["reconnect_on"], "2026-12-24");
    capture(&env, &[&maildir()], 0);
    let after = env.json(&["show", "grace"]);
    assert_eq!(after["status"]["days_since_last_contact"], 4);
    assert_eq!(after["keep_in_touch"]["reconnect_on"], "2026-12-20");
}

#[test]
fn real_messages_from_mail_parser() {
    let env = Env::new();
    env.ok(&["add", "Ned Freed", "--email", "ned@innosoft.com"]);
    env.ok(&["add", "Jonas Sterr", "--email", "jonas.sterr@gmx.net"]);
    env.ok(&[
        "add",
        "Dummy",
        "--email",
        "dummy@xyz-webserver.abcd-gestion.local",
    ]);
    env.ok(&["add", "Calpas", "--email", "calpas2007@yahoo.fr"]);
    let report = capture(
        &env,
        &[
            &fixture("mail-parser/eml"),
            &fixture("mail-parser/maildir"),
            "--me",
            "nsb@bellcore.com",
        ],
        8,
    );
    assert_eq!(report["captured"], 5, "{report:#}");
    // A Mailman message from Calpas is a list's.
    assert_eq!(report["noise"][0]["kind"], "list");
    assert!(timeline(&env, "calpas").is_empty());
    let out = Value::String("out".into());
    assert_eq!(
        timeline(&env, "ned"),
        [
            (
                "1994-10-07T23:15:05Z".into(),
                Value::Null,
                "A multipart example".into(),
                vec!["Ned Freed".into()]
            ),
            (
                "1993-03-22T17:41:09Z".into(),
                out.clone(),
                "Formatted text mail".into(),
                vec!["Ned Freed".into()]
            ),
            (
                "1993-03-22T07:56:48Z".into(),
                out,
                "Sample message".into(),
                vec!["Ned Freed".into()]
            ),
        ]
    );
    assert_eq!(timeline(&env, "jonas")[0].0, "2026-02-13T21:38:16Z");
    assert_eq!(timeline(&env, "dummy")[0].2, "small image");
    // "From: Whomever" is no address; the Maildir's files are letters, not messages: named.
    let skipped: Vec<String> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s["file"].as_str().unwrap(),
                s["reason"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(skipped.len(), 7, "{skipped:#?}");
    assert!(
        skipped[0].ends_with("rfc/001.eml no From address"),
        "{skipped:#?}"
    );
    assert!(
        skipped
            .iter()
            .any(|s| s.contains(".My Folder.Nested Folder/new/")),
        "{skipped:#?}"
    );
}

#[test]
fn a_thread_is_one_line_with_its_count_and_dates_and_each_message_counts() {
    let env = book();
    capture(&env, &[&mbox()], 8);
    let text = env.ok(&["show", "ada"]);
    assert!(
        text.contains("Re: Café budget · 3 messages, 2026-11-02 – 2026-11-05"),
        "{text}"
    );
    assert_eq!(text.matches("Café budget").count(), 1, "{text}");
    let brief = env.json(&["show", "ada"]);
    let thread = &brief["interactions"][0]["thread"];
    assert_eq!(thread["messages"], 3);
    assert_eq!(thread["first_at"], "2026-11-02T08:00:00Z");
    assert_eq!(thread["last_at"], "2026-11-05T16:00:00Z");
    // Grace was in the first message only: for her it is one message, not a thread.
    let grace = env.json(&["show", "grace"]);
    let cafe = grace["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["summary"] == "Café budget")
        .unwrap();
    assert!(cafe.get("thread").is_none(), "{cafe:#}");
    // Every message is contact: the last one is what "last contact" counts from.
    assert_eq!(brief["status"]["days_since_last_contact"], 19);
    assert_eq!(messages(&env, "ada").len(), 3);
}
