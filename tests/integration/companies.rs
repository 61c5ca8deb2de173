//! Companies as customers: an organization's own keep-in-touch cadence (due when nobody there
//! was contacted in time, under a fixed clock), and `kith org show` rolling its people up.

use serde_json::Value;

use crate::common::{Env, at};

fn due_organizations(env: &Env, now: &str) -> Vec<(String, i64)> {
    let text = at(env, now, &["today", "--json"]);
    let agenda: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    agenda["reconnect_organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["organization"]["name"].as_str().unwrap().to_string(),
                o["days_overdue"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn an_organization_is_due_when_nobody_there_was_contacted_within_its_cadence() {
    let env = Env::new();
    at(&env, "2026-09-01T09:00:00Z", &["org", "add", "Globex"]);
    at(
        &env,
        "2026-09-01T09:00:00Z",
        &["add", "Ada Lovelace", "--org", "globex"],
    );
    at(
        &env,
        "2026-09-01T09:00:00Z",
        &["add", "Bob Stone", "--org", "globex"],
    );
    at(&env, "2026-09-01T09:00:00Z", &["org", "add", "Initech"]);
    env.ok(&["org", "edit", "globex", "--every", "1m"]);
    // Added Sep 1 and never touched: due since Oct 1.
    assert_eq!(
        due_organizations(&env, "2026-10-02T09:00:00Z"),
        [("Globex".to_string(), 1)]
    );
    // A call with Bob on Oct 10 touches the organization: not due until Nov 10.
    at(
        &env,
        "2026-10-10T09:00:00Z",
        &["log", "bob", "--via", "call", "Renewal questions"],
    );
    assert!(due_organizations(&env, "2026-11-09T09:00:00Z").is_empty());
    assert_eq!(
        due_organizations(&env, "2026-11-10T09:00:00Z"),
        [("Globex".to_string(), 0)]
    );
    let text = at(&env, "2026-11-12T09:00:00Z", &["today"]);
    assert!(
        text.contains("Organizations to reconnect with (1)")
            && text.contains("Globex")
            && text.contains("2 days over")
            && text.contains("every 1 month; last contact there 4 weeks ago"),
        "{text}"
    );
    // An interaction with the organization alone counts as well.
    at(
        &env,
        "2026-11-12T09:00:00Z",
        &["log", "--org", "globex", "Quarterly review with their team"],
    );
    assert!(due_organizations(&env, "2026-11-20T09:00:00Z").is_empty());
    // Cleared, it is never due; a bad period names the field and writes nothing.
    env.ok(&["org", "edit", "globex", "--no-every"]);
    assert!(due_organizations(&env, "2027-06-01T09:00:00Z").is_empty());
    let err = env.fails(&["org", "edit", "globex", "--every", "often"], 5);
    assert!(err.contains("cadence") && err.contains("often"), "{err}");
    let org = env.json(&["org", "show", "globex"]);
    assert!(org["organization"].get("cadence").is_none(), "{org}");
}

#[test]
fn a_book_of_the_previous_schema_takes_an_organization_cadence() {
    let env = Env::new();
    std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v12.db");
    std::fs::copy(&fixture, &env.db).unwrap();
    env.ok(&["org", "edit", "globex", "--every", "2w"]);
    let org = env.json(&["org", "show", "globex"]);
    assert_eq!(org["organization"]["cadence"], "2w", "{org}");
    let due = due_organizations(&env, "2027-03-01T09:00:00Z");
    assert_eq!(due.len(), 1, "{due:?}");
}

/// An account of five: Ada, the one active (weekly calls both ways), Bob last spoken to in
/// the spring, Cy once two years ago, Di and Ed never.
pub(crate) fn account(env: &Env) {
    env.ok(&["org", "add", "Globex"]);
    env.ok(&["org", "add", "Initech"]);
    for (name, title) in [
        ("Ada Lovelace", "CTO"),
        ("Bob Stone", "Head of Sales"),
        ("Cy Young", "Engineer"),
        ("Di Prince", "CFO"),
        ("Ed Wood", "Designer"),
    ] {
        env.ok(&["add", name, "--org", "globex", "--title", title]);
    }
    env.ok(&["add", "Ivy Init", "--org", "initech"]);
    for week in 0..16 {
        let day =
            chrono::NaiveDate::from_ymd_opt(2026, 8, 3).unwrap() + chrono::Duration::weeks(week);
        let way = if week % 2 == 0 { "--in" } else { "--out" };
        env.ok(&[
            "log",
            "ada",
            "--via",
            "call",
            way,
            "--at",
            &day.to_string(),
            "Weekly call",
        ]);
    }
    for day in ["2026-03-02", "2026-04-06", "2026-05-04"] {
        env.ok(&["log", "bob", "--via", "email", "--at", day, "Pricing"]);
    }
    env.ok(&[
        "log",
        "cy",
        "--via",
        "meeting",
        "--at",
        "2024-11-01",
        "Intro",
    ]);
    env.ok(&[
        "log",
        "ivy",
        "--via",
        "email",
        "--out",
        "--at",
        "2025-06-01",
        "Hello",
    ]);
    env.ok(&[
        "remind",
        "bob",
        "ask about the renewal",
        "--due",
        "2026-12-01",
    ]);
}

#[test]
fn an_account_of_five_with_one_active_is_rolled_up_and_explained() {
    let env = Env::new();
    account(&env);
    let org = env.json(&["org", "show", "globex"]);
    let health = &org["health"];
    let coverage = &health["factors"][2];
    assert_eq!(coverage["factor"], "coverage");
    assert_eq!(
        (coverage["contacted"].as_u64(), coverage["people"].as_u64()),
        (Some(1), Some(5))
    );
    assert_eq!(health["factors"][0]["contact"]["name"], "Ada Lovelace");
    assert_eq!(health["key_contact"]["contact"]["name"], "Ada Lovelace");
    let cold: Vec<&str> = health["cold"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(cold, ["Bob Stone", "Cy Young"]);
    // The roll-up: healthiest first, each with their role; Ada's health leads.
    let roll_up = org["roll_up"].as_array().unwrap();
    assert_eq!(roll_up[0]["contact"]["name"], "Ada Lovelace");
    assert_eq!(roll_up[0]["title"], "CTO");
    assert!(
        roll_up
            .iter()
            .any(|r| r["contact"]["name"] == "Bob Stone" && r["open_follow_ups"] == 1)
    );
    let months = org["rhythm"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(
        months.iter().map(|m| m.as_u64().unwrap()).sum::<u64>(),
        16 + 3
    );

    let text = env.ok(&["org", "show", "globex"]);
    assert!(
        text.contains(
            "1 of 5 people contacted in the last 90 days; Ada Lovelace, your most frequent contact there, contacted"
        ),
        "{text}"
    );
    assert!(text.contains("gone cold: Bob Stone, Cy Young"), "{text}");
    assert!(text.contains("#1 Ada Lovelace, CTO  health"), "{text}");
    assert!(text.contains("#5 Ed Wood, Designer  health"), "{text}");

    // Globex, with its one active relationship, ranks above Initech, silent since 2025.
    let list = env.json(&["org", "list", "--sort", "health"]);
    let order: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["Globex", "Initech"], "{list}");
    assert!(list[0]["health"]["score"].as_u64() > list[1]["health"]["score"].as_u64());
    let table = env.ok(&["org", "list", "--sort", "health"]);
    assert!(
        table.starts_with("ID") && table.contains("HEALTH"),
        "{table}"
    );
}

/// `kith show` and `kith org show` say the same of an organization: a meeting with two of its
/// people is a touch with someone else there for each of them (the trial saw "no one else
/// there contacted yet" beside an org show counting both as contacted).
#[test]
fn show_and_org_show_agree_about_who_there_was_contacted() {
    let env = Env::new();
    let now = "2026-12-03T12:00:00Z";
    at(&env, now, &["org", "add", "Globex"]);
    for name in ["Ada Lovelace", "Bob Stone", "Cy Young"] {
        at(&env, now, &["add", name, "--org", "globex"]);
    }
    at(
        &env,
        now,
        &[
            "log",
            "ada,bob",
            "--via",
            "meeting",
            "--at",
            "2026-11-20",
            "Q3 review",
        ],
    );
    let org = at(&env, now, &["org", "show", "globex"]);
    let summary = "2 of 3 people contacted in the last 90 days";
    assert!(org.contains(summary), "{org}");
    let ada = at(&env, now, &["show", "ada"]);
    let company = &ada[ada.find("At Globex").unwrap()..];
    assert!(company.contains(summary), "{ada}");
    assert!(!company.contains("no one else"), "{ada}");
    assert!(
        company.contains("meeting with Ada Lovelace, Bob Stone"),
        "{ada}"
    );
    // The JSON carries the same roll-up as the organization's own.
    let shown: Value = serde_json::from_str(&at(&env, now, &["show", "ada", "--json"])).unwrap();
    let org: Value =
        serde_json::from_str(&at(&env, now, &["org", "show", "globex", "--json"])).unwrap();
    assert_eq!(shown["organization"]["health"], org["health"]);
    // Cy, never in a meeting, still reads the same account; only a touch with nobody else
    // there would say so.
    let cy = at(&env, now, &["show", "cy"]);
    assert!(cy.contains(summary), "{cy}");
}

/// A large account stays readable: a person's brief lists the five most urgent of their
/// colleagues' follow-ups and says how many more and where they are; `org show` names the
/// first ten gone cold and counts the rest, each marked on their own line; `--json` keeps
/// them all.
#[test]
fn a_large_account_is_summed_up_in_a_person_brief_and_its_own_head() {
    let env = Env::new();
    env.ok(&["org", "add", "Initech"]);
    for n in 1..=13 {
        let name = format!("Person {n:02}");
        env.ok(&["add", &name, "--org", "Initech"]);
        env.ok(&[
            "log",
            &name,
            "--via",
            "call",
            "--at",
            "2025-01-01",
            "Old call",
        ]);
        let due = format!("2026-12-{n:02}");
        env.ok(&["remind", &name, &format!("follow up {n:02}"), "--due", &due]);
    }
    let brief = env.ok(&["show", "Person 13"]);
    for n in 1..=5 {
        assert!(brief.contains(&format!("follow up {n:02}")), "{brief}");
    }
    assert!(!brief.contains("follow up 06"), "{brief}");
    assert!(
        brief.contains("… and 7 more: kith org show '#1'"),
        "{brief}"
    );
    let json = env.json(&["show", "Person 13"]);
    assert_eq!(
        json["organization"]["follow_ups"].as_array().map(Vec::len),
        Some(12),
        "{json}"
    );
    // The hint is a command that lists them all.
    let org = env.ok(&["org", "show", "#1"]);
    for n in 1..=12 {
        assert!(org.contains(&format!("follow up {n:02}")), "{org}");
    }
    assert!(org.contains("Person 10 and 3 more (marked below)"), "{org}");
    assert!(!org.contains("Person 11,"), "{org}");
    assert_eq!(org.matches("gone cold").count(), 1 + 13, "{org}");
    // `--full` lists every one; and one more than five is listed rather than counted.
    let full = env.ok(&["show", "Person 13", "--full"]);
    assert!(
        full.contains("follow up 12") && !full.contains("more: kith org show"),
        "{full}"
    );
    for n in 7..=12 {
        env.ok(&["done", &format!("#{n}")]);
    }
    let six = env.ok(&["show", "Person 13"]);
    assert!(
        six.contains("follow up 06") && !six.contains("… and"),
        "{six}"
    );
}

#[test]
fn org_show_says_when_its_timeline_is_only_the_latest() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace", "--new-org", "Globex"]);
    let log = |day: u32| {
        let when = format!("2026-10-{day:02}T09:00:00Z");
        env.ok(&[
            "log",
            "ada",
            "--via",
            "call",
            "--at",
            &when,
            &format!("Call {day}"),
        ]);
    };
    for day in 1..=20 {
        log(day);
    }
    // Twenty: all of them shown, nothing said.
    let text = env.ok(&["org", "show", "globex"]);
    assert!(
        text.contains("Call 1 (with") && !text.contains("earlier"),
        "{text}"
    );
    assert_eq!(
        env.json(&["org", "show", "globex"])["earlier_interactions"],
        false
    );

    // A twenty-first: the latest 20, and where the rest are.
    log(21);
    let text = env.ok(&["org", "show", "globex"]);
    assert!(
        text.contains("Call 21") && !text.contains("Call 1 (with"),
        "{text}"
    );
    assert!(
        text.contains("… and earlier ones: kith org show '#1' --full"),
        "{text}"
    );
    let json = env.json(&["org", "show", "globex"]);
    assert_eq!(json["earlier_interactions"], true);
    assert_eq!(json["interactions"].as_array().unwrap().len(), 20);
    let full = env.ok(&["org", "show", "globex", "--full"]);
    assert!(
        full.contains("Call 1") && !full.contains("earlier ones"),
        "{full}"
    );
}
