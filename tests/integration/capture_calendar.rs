//! `kith capture` on calendar files (tests/fixtures/ics/: a Google export, the same exported
//! later, a Nextcloud folder of one event per file; khal's and python-icalendar's files):
//! each past occurrence becomes a meeting with exactly the known people in it, at the right
//! time; declined, cancelled and future events give none; a second
//! run or a dry run change nothing; a later export updates and removes; `--undo` restores.

use std::path::PathBuf;

use serde_json::Value;

use crate::capture::{book, capture, content, mbox, timeline};

fn ics(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ics")
        .join(path)
        .display()
        .to_string()
}

/// (occurred_at, direction, summary) of each of `who`'s interactions, newest first.
fn meetings(env: &crate::common::Env, who: &str) -> Vec<(String, String, String)> {
    timeline(env, who)
        .into_iter()
        .map(|(at, direction, summary, _)| {
            (at, direction.as_str().unwrap_or("-").to_string(), summary)
        })
        .collect()
}

fn owned(rows: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    rows.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn a_google_export_becomes_the_meetings_with_exactly_the_known_people() {
    let env = book();
    let report = capture(&env, &[&ics("handmade/google.ics")], 0);
    // 7 of the weekly series (8 past Mondays, one taken out), the lunch, the conference
    // day, Ada's meeting with Grace, and the call with a stranger (no contact in it).
    assert_eq!(report["read"], 11, "{report:#}");
    assert_eq!(report["captured"], 10);
    assert_eq!(report["without_contacts"], 1);
    assert_eq!(
        report["unknown"],
        serde_json::json!([]),
        "meetings are no mail"
    );
    // Ten in the morning in Berlin: 08:00 UTC in summer time, 09:00 after October 25th.
    // The 9th was moved to the 10th at 14:00; the 26th was taken out; I organise it (out).
    assert_eq!(
        meetings(&env, "ada"),
        owned(&[
            ("2026-11-23T09:00:00Z", "out", "Weekly sync"),
            ("2026-11-16T09:00:00Z", "out", "Weekly sync"),
            ("2026-11-12T15:00:00Z", "-", "Ada and Grace"),
            ("2026-11-10T13:00:00Z", "out", "Weekly sync (moved)"),
            ("2026-11-02T09:00:00Z", "out", "Weekly sync"),
            ("2026-10-19T08:00:00Z", "out", "Weekly sync"),
            ("2026-10-12T08:00:00Z", "out", "Weekly sync"),
            ("2026-10-05T08:00:00Z", "out", "Weekly sync"),
        ])
    );
    // Grace invited me to lunch (in); the all-day conference is at noon of its day; her
    // meeting with Ada does not name me, so has no direction.
    assert_eq!(
        meetings(&env, "grace"),
        owned(&[
            ("2026-11-12T15:00:00Z", "-", "Ada and Grace"),
            ("2026-11-12T12:00:00Z", "out", "Conference day"),
            ("2026-11-03T11:30:00Z", "in", "Lunch with Grace"),
        ])
    );
    // Tom declined the series; I declined his dinner.
    assert_eq!(meetings(&env, "tom"), []);
    // The location is kept with the record.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let location: String = conn
        .query_row(
            "SELECT location FROM captured_records WHERE key LIKE '7h1p0s6d2f8g%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(location, "Café Central, Herrengasse 14, Wien");
    // Captured meetings are contact: Ada was last seen at the last Monday's sync.
    let brief = env.json(&["show", "ada"]);
    assert_eq!(
        brief["contact"]["last_contact_at"], "2026-11-23T09:00:00Z",
        "{brief:#}"
    );
}

#[test]
fn a_second_run_and_a_dry_run_change_nothing() {
    let env = book();
    let before = env.dump();
    let dry = capture(&env, &[&ics("handmade/google.ics"), "--dry-run"], 0);
    assert_eq!(dry["captured"], 10);
    assert_eq!(env.dump(), before, "a dry run wrote");
    capture(&env, &[&ics("handmade/google.ics")], 0);
    let after = env.dump();
    let again = capture(&env, &[&ics("handmade/google.ics")], 0);
    assert_eq!(again["captured"], 0);
    assert_eq!(again["already_captured"], 10);
    assert_eq!(again["batch"], Value::Null);
    assert_eq!(env.dump(), after, "a second run wrote");
}

#[test]
fn a_later_export_updates_what_changed_and_removes_what_was_cancelled() {
    let env = book();
    capture(&env, &[&ics("handmade/google.ics")], 0);
    let later = capture(&env, &[&ics("handmade/google-later.ics")], 0);
    // The series' newer SEQUENCE renames its five unmoved past occurrences; the moved one
    // keeps its own version; the 16th is cancelled.
    assert_eq!(later["updated"], 5, "{later:#}");
    assert_eq!(later["removed"], 1);
    assert_eq!(later["captured"], 0);
    let ada = meetings(&env, "ada");
    assert_eq!(ada.len(), 7);
    assert_eq!(
        ada[0],
        (
            "2026-11-23T09:00:00Z".into(),
            "out".into(),
            "Weekly sync (renamed)".into()
        )
    );
    assert!(ada.iter().all(|(at, _, _)| at != "2026-11-16T09:00:00Z"));
    assert!(ada.iter().any(|(_, _, s)| s == "Weekly sync (moved)"));
    // The same later export again: nothing changes.
    let settled = env.dump();
    let again = capture(&env, &[&ics("handmade/google-later.ics")], 0);
    assert_eq!(
        (again["updated"].as_u64(), again["removed"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(env.dump(), settled);
    // The older export again: no older version wins over a newer one. (A cancellation
    // leaves no trace in the book, so that older file brings the 16th back: it says so.)
    let older = capture(&env, &[&ics("handmade/google.ics")], 0);
    assert_eq!(older["updated"], 0, "{older:#}");
    assert_eq!(older["captured"], 1);
    assert_eq!(meetings(&env, "ada")[0].2, "Weekly sync (renamed)");
}

#[test]
fn a_cancellation_read_in_the_same_run_keeps_an_occurrence_out() {
    let env = book();
    let run = capture(
        &env,
        &[
            &ics("handmade/google-later.ics"),
            &ics("handmade/google.ics"),
        ],
        0,
    );
    assert_eq!(run["removed"], 0);
    let ada = meetings(&env, "ada");
    assert_eq!(ada.len(), 7, "{ada:#?}");
    assert_eq!(ada[0].2, "Weekly sync (renamed)");
}

#[test]
fn a_folder_of_event_files_and_a_mailbox_in_one_run_undone_at_once() {
    let env = book();
    let before = content(&env);
    let run = capture(&env, &[&ics("handmade/nextcloud"), &mbox()], 8);
    assert_eq!(
        meetings(&env, "tom")
            .into_iter()
            .filter(|(_, _, s)| s == "Coffee with Tom")
            .collect::<Vec<_>>(),
        // 09:00 in Vienna, summer time.
        owned(&[("2026-10-14T07:00:00Z", "out", "Coffee with Tom")])
    );
    assert!(
        meetings(&env, "ada").contains(&(
            "2026-10-30T12:00:00Z".into(),
            "in".into(),
            "Ada's workshop day".into()
        )),
        "a yearly all-day event, its first occurrence"
    );
    // The sync tool's status file in the folder is no calendar, and is left alone.
    let skipped = run["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .all(|s| !s["file"].as_str().unwrap().contains("sync-status")),
        "{skipped:#?}"
    );
    let batch = run["batch"].as_str().unwrap();
    env.ok(&["capture", "--undo", batch]);
    assert_eq!(content(&env), before);
}

#[test]
fn undo_takes_back_a_calendar_run() {
    let env = book();
    let before = content(&env);
    let run = capture(&env, &[&ics("handmade/google.ics")], 0);
    let undone = env.json(&["capture", "--undo", run["batch"].as_str().unwrap()]);
    assert_eq!(undone["interactions"], 10);
    assert_eq!(content(&env), before);
}

#[test]
fn an_event_that_cannot_be_read_is_named_and_the_run_exits_8() {
    let env = book();
    let run = capture(&env, &[&ics("handmade/broken.ics")], 8);
    assert_eq!(run["captured"], 1, "the good event beside it: {run:#}");
    let skipped = &run["skipped"][0];
    assert!(skipped["file"].as_str().unwrap().ends_with("broken.ics"));
    assert_eq!(
        skipped["reason"],
        "line 4: event no-start-1 (\"Draft without a date\"): has no DTSTART"
    );
    // A file cut short is named whole; nothing of it is captured.
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.ics");
    let text = std::fs::read_to_string(ics("handmade/google.ics")).unwrap();
    std::fs::write(&cut, &text[..text.len() / 2]).unwrap();
    let run = capture(&env, &[cut.to_str().unwrap()], 8);
    assert_eq!(run["read"], 0);
    assert!(
        run["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("cut short"),
        "{run:#}"
    );
    // And a human reads it without raw control characters.
    let out = env
        .kith()
        .args(["capture", &ics("handmade/broken.ics")])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("has no DTSTART"), "{text}");
}

#[test]
fn an_event_i_declined_for_this_run_only_is_none() {
    let env = crate::common::Env::new();
    env.ok(&["add", "Ada Lovelace", "--email", "ada@analytical.example"]);
    env.ok(&["add", "Grace Hopper", "--email", "grace@navy.example"]);
    env.ok(&["add", "Tom Baker", "--email", "tom@acme.example"]);
    // Without knowing who I am, no event can be told declined: Tom's dinner is taken too.
    let all = capture(&env, &[&ics("handmade/google.ics"), "--dry-run"], 0);
    assert_eq!(all["captured"], 11, "{all:#}");
    assert_eq!(all["no_me"], true);
    let mine = capture(
        &env,
        &[
            &ics("handmade/google.ics"),
            "--me",
            "Me+cal@Consult.example",
        ],
        0,
    );
    assert_eq!(mine["captured"], 10);
    assert_eq!(meetings(&env, "tom"), []);
}

#[test]
fn real_calendars_from_other_projects() {
    let env = book();
    env.ok(&["add", "Henry Cabot", "--email", "hcabot@example.com"]);
    env.ok(&["me", "add", "jdoe@example.com"]);
    let run = capture(
        &env,
        &[
            &ics("khal/event_dt_partstat.ics"),
            &ics("khal/event_rrule_recuid_cancelled.ics"),
            &ics("python-icalendar/alarm_google_acknowledged.ics"),
        ],
        0,
    );
    // khal's meeting with Henry (I, jdoe, accepted; 09:30 in Berlin, summer time).
    assert_eq!(
        meetings(&env, "henry"),
        owned(&[("2014-04-09T07:30:00Z", "in", "An Event")])
    );
    assert_eq!(run["captured"], 1, "{run:#}");
    assert_eq!(run["without_contacts"], 6);
}

/// Without an address of the user's, kith says what it cannot tell, in words: which mail
/// was sent and which was received, and which events were declined.
#[test]
fn without_an_address_of_mine_kith_says_what_it_cannot_tell() {
    let env = crate::common::Env::new();
    env.ok(&["add", "Ada Lovelace", "--email", "ada@analytical.example"]);
    let out = env
        .kith()
        .args(["capture", &ics("handmade/google.ics")])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("records as interactions"), "{said}");
    assert!(
        said.contains(
            "kith cannot tell the mail you sent from the mail you received, nor the events you declined"
        ),
        "{said}"
    );
}
