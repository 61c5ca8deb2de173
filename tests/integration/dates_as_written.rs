//! Dates as people write them (issue 17): what happened leans to the past, what is due to the
//! future; times inside follow-up specs; due dates said back in human form, never as raw
//! RFC 3339 instants.

use crate::common::Env;

/// Thursday 2026-12-03, 10:00 UTC.
const THURSDAY: &str = "2026-12-03T10:00:00Z";

/// Run kith on Thursday; expect success; (stdout, stderr).
fn thursday(env: &Env, args: &[&str]) -> (String, String) {
    let out = env
        .kith()
        .env("KITH_NOW", THURSDAY)
        .args(args)
        .output()
        .expect("run kith");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert!(
        out.status.success(),
        "kith {args:?} failed: {stdout}{stderr}"
    );
    (stdout, stderr)
}

fn json(env: &Env, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("--json");
    serde_json::from_str(&thursday(env, &all).0).expect("json")
}

fn book() -> Env {
    let env = Env::new();
    thursday(&env, &["add", "Ann Lee"]);
    env
}

/// The `occurred_at` of the interaction `kith log ann ... --at AT` records.
fn logged_at(env: &Env, at: &str) -> String {
    let out = json(env, &["log", "ann", "A call", "--via", "call", "--at", at]);
    out["interaction"]["occurred_at"]
        .as_str()
        .expect("occurred_at")
        .to_string()
}

#[test]
fn what_happened_reads_dec_1_and_monday_as_this_week() {
    let env = book();
    assert!(logged_at(&env, "dec 1").starts_with("2026-12-01"));
    assert!(logged_at(&env, "monday").starts_with("2026-11-30"));
    assert!(logged_at(&env, "friday").starts_with("2026-11-27"));
    assert!(logged_at(&env, "last week").starts_with("2026-11-26"));
    assert!(logged_at(&env, "monday 3pm").starts_with("2026-11-30T15:00"));
    // Explicit years and ISO dates are never moved.
    assert!(logged_at(&env, "dec 1 2025").starts_with("2025-12-01"));
    assert!(logged_at(&env, "2026-11-02").starts_with("2026-11-02"));
}

#[test]
fn an_explicit_future_date_is_still_refused_in_human_form() {
    let env = book();
    let err = env
        .kith()
        .env("KITH_NOW", THURSDAY)
        .args(["log", "ann", "A call", "--at", "dec 1 2027"])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(5), "{err:?}");
    let stderr = String::from_utf8_lossy(&err.stderr);
    assert!(
        stderr.contains(
            "is in the future (Wed 2027-12-01 12:00); log what happened, and make what will \
             happen a follow-up"
        ),
        "{stderr}"
    );
    assert_eq!(
        json(&env, &["show", "ann"])["interactions"],
        serde_json::json!([])
    );
}

#[test]
fn a_due_date_reads_monday_and_dec_1_as_the_next_ones() {
    let env = book();
    let due = |when: &str| {
        json(&env, &["remind", "ann", "x", "--due", when])["due"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(due("monday"), "2026-12-07");
    assert_eq!(due("dec 1"), "2027-12-01");
    assert_eq!(due("thursday"), "2026-12-10");
}

#[test]
fn follow_up_specs_may_carry_times() {
    let env = book();
    let cases = [
        (
            "monday 10:30: call back",
            "Mon 2026-12-07 10:30",
            "call back",
        ),
        (
            "2026-12-10 15:30: send deck",
            "Thu 2026-12-10 15:30",
            "send deck",
        ),
        (
            "in 2 weeks: send proposal",
            "Thu 2026-12-17",
            "send proposal",
        ),
        ("tomorrow: x", "Fri 2026-12-04", "x"),
        (
            "friday 3pm: re: contract",
            "Fri 2026-12-04 15:00",
            "re: contract",
        ),
    ];
    for (i, (spec, due, text)) in cases.into_iter().enumerate() {
        let (_, stderr) = thursday(&env, &["log", "ann", "Met", "--follow-up", spec]);
        let id = i + 1;
        assert!(
            stderr.contains(&format!("Follow-up #{id} due {due}")),
            "{spec}: {stderr}"
        );
        let shown = json(&env, &["remind", "show", &id.to_string()]);
        assert_eq!(shown["follow_up"]["text"], *text, "{spec}");
    }
    let reminders = json(&env, &["reminders"]);
    assert_eq!(reminders[0]["due"], "2026-12-04");
    let dues: Vec<&str> = reminders
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["due"].as_str().unwrap())
        .collect();
    assert!(dues.contains(&"2026-12-07T10:30:00Z"), "{dues:?}");
    assert!(dues.contains(&"2026-12-10T15:30:00Z"), "{dues:?}");
}

#[test]
fn a_spec_whose_date_cannot_be_read_names_it() {
    let env = book();
    let out = env
        .kith()
        .env("KITH_NOW", THURSDAY)
        .args(["log", "ann", "Met", "--follow-up", "someday: call: back"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"someday\""));
}

#[test]
fn human_output_says_due_dates_and_never_raw_instants() {
    let env = book();
    let (_, added) = thursday(
        &env,
        &[
            "remind",
            "ann",
            "Quarterly review",
            "--due",
            "2026-12-05 10:00",
            "--every",
            "2m",
        ],
    );
    assert!(
        added.contains(
            "Added follow-up #1 about Ann Lee, due Sat 2026-12-05 10:00: Quarterly review (every 2 months)"
        ),
        "{added}"
    );
    let (out, done) = thursday(&env, &["done", "1"]);
    assert!(
        done.contains(
            "Done: follow-up #1 about Ann Lee: Quarterly review; next due Fri 2027-02-05 10:00"
        ),
        "{done}"
    );
    let (show, _) = thursday(&env, &["remind", "show", "1"]);
    assert!(
        show.contains("done Thu 2026-12-03 10:00 for Sat 2026-12-05 10:00"),
        "{show}"
    );
    for text in [&added, &done, &out, &show] {
        assert!(!text.contains("T10:00:00Z"), "a raw instant: {text}");
    }
    // JSON keeps its ISO fields.
    let shown = json(&env, &["remind", "show", "1"]);
    assert_eq!(shown["follow_up"]["due"], "2027-02-05T10:00:00Z");
}

#[test]
fn a_follow_up_due_in_the_past_is_added_but_said_to_be_overdue() {
    let env = crate::common::Env::new();
    env.ok(&["add", "Bo Lee"]);
    let out = env
        .kith()
        .env("KITH_NOW", "2026-12-03T10:00:00Z")
        .args(["remind", "bo", "send deck", "--due", "yesterday"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("due Wed 2026-12-02"), "{said}");
    assert!(said.contains("already overdue"), "{said}");
    let out = env
        .kith()
        .env("KITH_NOW", "2026-12-03T10:00:00Z")
        .args(["remind", "bo", "call", "--due", "tomorrow"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("overdue"));
}
