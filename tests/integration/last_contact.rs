//! Each contact's last interaction, as `kith list` and the agenda's reconnect section show it:
//! the latest of several interactions whatever order they were logged in, shared interactions
//! counting for everyone in them, nothing for a contact never contacted, and archived contacts
//! keeping theirs while off the agenda.

use serde_json::Value;

use crate::common::{Env, at};

/// (name, last_contact_at) of every contact `kith list --json [extra]` shows.
fn listed(env: &Env, extra: &[&str]) -> Vec<(String, Value)> {
    let mut args = vec!["list"];
    args.extend_from_slice(extra);
    env.json(&args)
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["display_name"].as_str().unwrap().to_string(),
                c["last_contact_at"].clone(),
            )
        })
        .collect()
}

/// (name, last_contact_at, due_on) of every contact due to reconnect today.
/// The people to reconnect with, by the day their cadence ran out (the agenda itself ranks
/// them by health; what is checked here is when each was last contacted).
fn reconnect(env: &Env) -> Vec<(String, Value, String)> {
    let mut list: Vec<(String, Value, String)> = env.json(&["today"])["reconnect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["contact"]["name"].as_str().unwrap().to_string(),
                r["last_contact_at"].clone(),
                r["due_on"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    list.sort_by(|a, b| (&a.2, &a.0).cmp(&(&b.2, &b.0)));
    list
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

#[test]
fn the_last_interaction_is_the_latest_one_for_list_and_agenda_alike() {
    let env = Env::new();
    let early = "2026-08-01T09:00:00Z";
    for args in [
        &["add", "Ada Lovelace", "--every", "2w"][..],
        &["add", "Bob Babbage", "--tag", "client"],
        &["add", "Cy Clerk", "--every", "1w"],
        &["add", "Dee Dot", "--every", "1w"],
        &["add", "Eve Early"],
        &["tag-cadence", "client", "1m"],
    ] {
        at(&env, early, args);
    }
    // Ada's latest is logged in the middle, and one of hers is shared with Bob.
    for args in [
        &["log", "ada", "First call", "--at", "2026-10-01"][..],
        &["log", "ada", "Kick-off", "--at", "2026-11-05 3pm"],
        &["log", "ada,bob", "Workshop", "--at", "2026-10-20"],
        &["log", "bob", "Intro", "--at", "2026-09-01"],
        &["log", "dee", "Coffee", "--at", "2026-09-01"],
        &["log", "eve", "Lunch", "--at", "2026-11-20"],
        &["rm", "dee"],
    ] {
        env.ok(args);
    }

    assert_eq!(
        listed(&env, &[]),
        [
            ("Ada Lovelace".to_string(), s("2026-11-05T15:00:00Z")),
            ("Bob Babbage".to_string(), s("2026-10-20T12:00:00Z")),
            ("Cy Clerk".to_string(), Value::Null),
            ("Eve Early".to_string(), s("2026-11-20T12:00:00Z")),
        ]
    );
    assert_eq!(
        listed(&env, &["--archived"]),
        [("Dee Dot".to_string(), s("2026-09-01T12:00:00Z"))]
    );
    let by_recency: Vec<String> = listed(&env, &["--sort", "last-contact"])
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        by_recency,
        ["Eve Early", "Ada Lovelace", "Bob Babbage", "Cy Clerk"]
    );

    // Today (Nov 24): Cy was never contacted (added Aug 1 + 1w); Ada's 2w ran out Nov 19,
    // Bob's client month Nov 20. Eve has no cadence; Dee is archived.
    assert_eq!(
        reconnect(&env),
        [
            (
                "Cy Clerk".to_string(),
                Value::Null,
                "2026-08-08".to_string()
            ),
            (
                "Ada Lovelace".to_string(),
                s("2026-11-05T15:00:00Z"),
                "2026-11-19".to_string()
            ),
            (
                "Bob Babbage".to_string(),
                s("2026-10-20T12:00:00Z"),
                "2026-11-20".to_string()
            ),
        ]
    );
    let text = env.ok(&["today"]);
    assert!(text.contains("Due to reconnect (3)"), "{text}");
    assert!(text.contains("never contacted"), "{text}");
    assert!(!text.contains("Dee Dot"), "{text}");

    // Restored, Dee is back with the interaction she had before being archived.
    env.ok(&["restore", "dee"]);
    let back = reconnect(&env);
    assert_eq!(back.len(), 4, "{back:?}");
    assert_eq!(
        back[1],
        (
            "Dee Dot".to_string(),
            s("2026-09-01T12:00:00Z"),
            "2026-09-08".to_string()
        )
    );
    // A new interaction moves a contact off the reconnect list.
    env.ok(&["log", "ada", "Catch-up", "--via", "call"]);
    let names: Vec<String> = reconnect(&env).into_iter().map(|r| r.0).collect();
    assert_eq!(names, ["Cy Clerk", "Dee Dot", "Bob Babbage"]);
    assert_eq!(listed(&env, &[])[0].1, s(crate::common::NOW));
}

/// The agenda reads only the contacts it can show: one with just a yearly date or just a
/// birthday (no cadence, never contacted) must still be there, an archived one must not.
#[test]
fn contacts_without_a_cadence_still_bring_their_dates_to_the_agenda() {
    let env = Env::new();
    for args in [
        &["add", "Fay Fixed"][..],
        &["edit", "fay", "--date", "renewal:2025-11-26"],
        &["add", "Gus Gift", "--birthday", "--11-27"],
        &["add", "Hal Hidden", "--birthday", "1990-11-25"],
        &["add", "Ivy Idle", "--tag", "friend"],
        &["rm", "hal"],
    ] {
        env.ok(args);
    }
    let a = env.json(&["today"]);
    let dates: Vec<String> = a["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {}",
                d["on"].as_str().unwrap(),
                d["contact"]["name"].as_str().unwrap(),
                d["label"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        dates,
        [
            "2026-11-26 Fay Fixed renewal",
            "2026-11-27 Gus Gift birthday"
        ]
    );
    assert_eq!(a["reconnect"], serde_json::json!([]));
}

/// Every contact's `last_contact_at` as `kith list --json` shows it (kept by triggers since
/// schema 11) against the latest of their interactions worked out from the records.
fn assert_last_contacts_right(env: &Env, step: &str) {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let derived: std::collections::BTreeMap<String, Option<String>> = conn
        .prepare(
            "SELECT c.display_name,
                    (SELECT max(i.occurred_at) FROM interaction_participants p
                       JOIN interactions i ON i.id = p.interaction_id WHERE p.contact_id = c.id)
               FROM contacts c WHERE c.archived_at IS NULL",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let shown: std::collections::BTreeMap<String, Option<String>> = listed(env, &[])
        .into_iter()
        .map(|(name, at)| (name, at.as_str().map(str::to_string)))
        .collect();
    assert_eq!(shown, derived, "after {step}");
    crate::common::assert_touches_right(&env.db, step);
    assert_summary_agrees(env, step);
}

/// `kith today`'s summary (who is due read from index ranges, schema 16) counts and lists
/// what the complete agenda (`--all`) does: the same groups of the same sizes, each
/// opening with the same entries.
fn assert_summary_agrees(env: &Env, step: &str) {
    let now = "2026-11-24T10:00:00Z";
    let summary = at(env, now, &["today"]);
    let all = at(env, now, &["today", "--all"]);
    let groups = |text: &str| -> Vec<(String, Vec<String>)> {
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for line in text.lines().skip(1) {
            if !line.starts_with(' ') {
                groups.push((line.to_string(), Vec::new()));
            } else if let Some((_, lines)) = groups.last_mut()
                && !line.trim_start().starts_with('…')
            {
                lines.push(line.to_string());
            }
        }
        groups
    };
    let (summary, all) = (groups(&summary), groups(&all));
    assert_eq!(summary.len(), all.len(), "after {step}");
    for ((heading, lines), (all_heading, all_lines)) in summary.iter().zip(&all) {
        assert_eq!(heading, all_heading, "after {step}");
        assert_eq!(lines[..], all_lines[..lines.len()], "after {step}");
    }
}

#[test]
fn every_change_to_interactions_keeps_each_last_contact_right() {
    let env = Env::new();
    let now = "2026-11-24T10:00:00Z";
    for who in ["Ada Lovelace", "Bob Babbage", "Dee Dot"] {
        at(&env, now, &["add", who]);
    }
    at(&env, now, &["add", "Cy Clerk", "--email", "cy@example.com"]);
    // Cadences, so that who is due to reconnect changes with every step.
    for (who, every) in [("ada", "2w"), ("bob", "1m"), ("cy", "1m"), ("dee", "3m")] {
        at(&env, now, &["edit", who, "--every", every]);
    }
    let steps: &[(&str, &[&str])] = &[
        ("a log", &["log", "ada", "First", "--at", "2026-10-01"]),
        (
            "a later log",
            &["log", "ada", "Second", "--at", "2026-11-01"],
        ),
        (
            "an earlier log",
            &["log", "ada,bob", "Zeroth", "--at", "2026-09-01"],
        ),
        (
            "a log with two",
            &["log", "bob,cy", "Third", "--at", "2026-11-10"],
        ),
        (
            "a time moved earlier",
            &["log", "edit", "2", "--at", "2026-08-01"],
        ),
        (
            "a time moved later",
            &["log", "edit", "3", "--at", "2026-11-20"],
        ),
        (
            "someone added to a log",
            &["log", "edit", "1", "--add", "dee"],
        ),
        ("a log deleted", &["log", "rm", "4"]),
        ("a merge", &["merge", "ada", "dee"]),
        ("a contact deleted for good", &["rm", "bob", "--purge"]),
    ];
    for (step, args) in steps {
        let mut args = args.to_vec();
        if args[0] == "rm" && !args.contains(&"--yes") {
            args.push("--yes");
        }
        at(&env, now, &args);
        assert_last_contacts_right(&env, step);
    }

    // An import (written with triggers off) brings its interactions' times along.
    let other = Env::new();
    at(
        &other,
        now,
        &["add", "Cy Clerk", "--email", "cy@example.com"],
    );
    at(&other, now, &["add", "Eve Early"]);
    at(
        &other,
        now,
        &["log", "cy,eve", "From elsewhere", "--at", "2026-11-23"],
    );
    let backup = other.dir.path().join("other.json");
    at(&other, now, &["export", "--out", backup.to_str().unwrap()]);
    at(&env, now, &["import", backup.to_str().unwrap()]);
    assert_last_contacts_right(&env, "an import");
    let cy = listed(&env, &[])
        .into_iter()
        .find(|(name, _)| name == "Cy Clerk")
        .unwrap();
    // Cy had no interaction left before (the one with Bob was deleted): the import's counts.
    assert!(
        cy.1.as_str().is_some_and(|t| t.starts_with("2026-11-2")),
        "{cy:?}"
    );
}
