//! `kith today` over several simulated days on a fixed clock (KITH_NOW): follow-ups created,
//! snoozed, completed and recurring; cadences on contacts and tags; birthdays with and without
//! years. Each day the JSON agenda must list exactly what is due.

use serde_json::Value;

use crate::common::{Env, at, at_in};

fn agenda(env: &Env, now: &str) -> Value {
    let text = at(env, now, &["today", "--json"]);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The agenda reduced to what a person checks: (group, ids or names) for every group.
#[derive(Debug, PartialEq)]
struct Due {
    overdue: Vec<i64>,
    today: Vec<i64>,
    upcoming: Vec<i64>,
    reconnect: Vec<String>,
    dates: Vec<String>,
}

fn due(a: &Value) -> Due {
    let ids = |k: &str| {
        a[k].as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_i64().unwrap())
            .collect()
    };
    Due {
        overdue: ids("overdue"),
        today: ids("today"),
        upcoming: ids("upcoming"),
        reconnect: a["reconnect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["contact"]["name"].as_str().unwrap().to_string())
            .collect(),
        dates: a["dates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let years = d["years"]
                    .as_i64()
                    .map(|y| format!(" {y}"))
                    .unwrap_or_default();
                format!(
                    "{} {} {}{years}",
                    d["on"].as_str().unwrap(),
                    d["contact"]["name"].as_str().unwrap(),
                    d["label"].as_str().unwrap()
                )
            })
            .collect(),
    }
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn check_exit(env: &Env, now: &str) -> Option<i32> {
    let out = env
        .kith()
        .env("KITH_NOW", now)
        .args(["today", "--check"])
        .output()
        .unwrap();
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "--check is quiet"
    );
    out.status.code()
}

#[test]
fn a_week_and_a_half_of_follow_ups_cadences_and_birthdays() {
    let env = Env::new();
    let day0 = "2026-11-24T09:00:00Z"; // Tuesday
    assert_eq!(
        check_exit(&env, day0),
        Some(0),
        "no database yet: nothing overdue"
    );
    assert!(!env.db.exists(), "--check creates nothing");
    for args in [
        &[
            "add",
            "Ada Lovelace",
            "--tag",
            "client",
            "--birthday",
            "1986-11-27",
        ][..],
        &["add", "Bob Babbage", "--birthday", "--11-30"],
        &["add", "Cy Clerk", "--tag", "client"],
        &["add", "Dee Dot", "--every", "1w"],
        &["tag-cadence", "client", "2w"],
        &["remind", "ada", "send proposal", "--due", "2026-11-26"], // #1
        &[
            "remind",
            "bob",
            "weekly sync",
            "--due",
            "today",
            "--every",
            "1w",
        ], // #2
        &[
            "remind",
            "cy",
            "invoice",
            "--due",
            "tomorrow",
            "--every",
            "1m",
            "--after-done",
        ], // #3
        &[
            "log",
            "ada",
            "--via",
            "call",
            "Kick-off",
            "--follow-up",
            "in 2 weeks: send contract",
        ], // #4
    ] {
        at(&env, day0, args);
    }

    // Day 0: the weekly sync is due today; the proposal and invoice this week; two birthdays.
    let a = agenda(&env, day0);
    assert_eq!(
        due(&a),
        Due {
            overdue: vec![],
            today: vec![2],
            upcoming: vec![3, 1],
            reconnect: vec![],
            dates: names(&[
                "2026-11-27 Ada Lovelace birthday 40",
                "2026-11-30 Bob Babbage birthday"
            ]),
        }
    );
    assert_eq!(a["date"], "2026-11-24");
    assert_eq!(a["today"][0]["every"], "1w");
    assert_eq!(a["today"][0]["recur_from"], "due");
    assert_eq!(a["upcoming"][0]["recur_from"], "done");
    assert_eq!(a["upcoming"][1]["days"], 2);
    assert_eq!(a["dates"][1]["years"], Value::Null);
    assert_eq!(check_exit(&env, day0), Some(0));
    // The follow-up made by `log --follow-up` is linked to its interaction.
    let contract = &env.json(&["remind", "show", "4"])["follow_up"];
    assert_eq!(contract["due"], "2026-12-08");
    let kickoff = &env.json(&["show", "ada"])["interactions"][0];
    assert_eq!(contract["interaction_id"], kickoff["id"]);

    // Day 1: yesterday's sync is overdue, the invoice due today.
    let day1 = "2026-11-25T09:00:00Z";
    let a = agenda(&env, day1);
    assert_eq!(
        due(&a),
        Due {
            overdue: vec![2],
            today: vec![3],
            upcoming: vec![1],
            reconnect: vec![],
            dates: names(&[
                "2026-11-27 Ada Lovelace birthday 40",
                "2026-11-30 Bob Babbage birthday"
            ]),
        }
    );
    assert_eq!(a["overdue"][0]["days"], -1);
    assert_eq!(check_exit(&env, day1), Some(1));
    at(&env, day1, &["done", "2"]); // from its due date: Nov 24 + 1w
    at(&env, day1, &["done", "3"]); // from completion: Nov 25 + 1m
    at(&env, day1, &["snooze", "1", "--until", "2026-11-28"]);
    let a = agenda(&env, day1);
    assert_eq!(
        (due(&a).overdue, due(&a).today, due(&a).upcoming),
        (vec![], vec![], vec![1, 2])
    );
    assert_eq!(a["upcoming"][0]["snoozed"], true);
    assert_eq!(a["upcoming"][0]["due"], "2026-11-28");
    assert_eq!(a["upcoming"][1]["due"], "2026-12-01");
    assert_eq!(check_exit(&env, day1), Some(0));
    let invoice = &env.json(&["remind", "show", "3"]);
    assert_eq!(invoice["follow_up"]["due"], "2026-12-25");
    assert_eq!(invoice["completions"][0]["due"], "2026-11-25");

    // Day 3: Ada's birthday is today.
    let day3 = "2026-11-27T09:00:00Z";
    assert_eq!(
        due(&agenda(&env, day3)),
        Due {
            overdue: vec![],
            today: vec![],
            upcoming: vec![1, 2],
            reconnect: vec![],
            dates: names(&[
                "2026-11-27 Ada Lovelace birthday 40",
                "2026-11-30 Bob Babbage birthday"
            ]),
        }
    );

    // Day 7: the snoozed proposal is overdue, the sync due again, Dee's weekly cadence is up.
    let day7 = "2026-12-01T09:00:00Z";
    let a = agenda(&env, day7);
    assert_eq!(
        due(&a),
        Due {
            overdue: vec![1],
            today: vec![2],
            upcoming: vec![4],
            reconnect: names(&["Dee Dot"]),
            dates: vec![],
        }
    );
    assert_eq!(a["reconnect"][0]["cadence"], "1w");
    assert_eq!(a["reconnect"][0]["cadence_source"]["from"], "contact");
    assert_eq!(a["reconnect"][0]["last_contact_at"], Value::Null);
    // Logging resets the cadence; done --log completes and logs in one step.
    at(&env, day7, &["log", "dee", "--via", "meeting", "Coffee"]);
    at(
        &env,
        day7,
        &["done", "1", "--log", "sent the proposal", "--via", "email"],
    );
    at(&env, day7, &["done", "2"]);
    let a = agenda(&env, day7);
    assert_eq!(
        (due(&a).overdue, due(&a).today, due(&a).reconnect),
        (vec![], vec![], vec![])
    );
    let ada = env.json(&["show", "ada"]);
    assert_eq!(ada["interactions"][0]["summary"], "sent the proposal");
    assert_eq!(ada["interactions"][0]["channel"], "email");
    let proposal = env.json(&["remind", "show", "1"]);
    assert_eq!(proposal["follow_up"]["done_at"], "2026-12-01T09:00:00Z");
    assert_eq!(
        proposal["completions"][0]["interaction_id"],
        ada["interactions"][0]["id"]
    );

    // Day 14: the contract and the sync are due; Cy (client: 2w, never contacted) and Dee
    // (1w since the coffee) are due to reconnect; Ada talked on day 7, so not yet.
    let day14 = "2026-12-08T09:00:00Z";
    let a = agenda(&env, day14);
    assert_eq!(
        due(&a),
        Due {
            overdue: vec![],
            today: vec![2, 4],
            upcoming: vec![],
            reconnect: names(&["Cy Clerk", "Dee Dot"]),
            dates: vec![],
        }
    );
    assert_eq!(a["reconnect"][0]["cadence_source"]["from"], "tag");
    assert_eq!(a["reconnect"][0]["cadence_source"]["tag"], "client");
    assert_eq!(a["reconnect"][0]["due_on"], "2026-12-08");
    // Without the tag cadence Cy has none.
    at(&env, day14, &["tag-cadence", "client", "--clear"]);
    assert_eq!(due(&agenda(&env, day14)).reconnect, names(&["Dee Dot"]));

    // The human view says the same, grouped.
    let text = at(&env, day14, &["today"]);
    assert!(text.contains("Due today (2)"), "{text}");
    assert!(text.contains("weekly sync — Bob Babbage"), "{text}");
    assert!(text.contains("Due to reconnect (1)"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when piped: {text}");
}

#[test]
fn reminders_list_filters_edit_and_delete() {
    let env = Env::new();
    env.ok(&["add", "Ada"]);
    env.ok(&["remind", "ada", "late", "--due", "yesterday"]);
    env.ok(&["remind", "ada", "soon", "--due", "in 10 days"]);
    env.ok(&["remind", "ada", "later", "--due", "in 30 days"]);
    let ids = |v: Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(env.json(&["reminders", "--overdue"])), [1]);
    assert_eq!(ids(env.json(&["reminders", "--upcoming", "14d"])), [2]);
    assert_eq!(ids(env.json(&["reminders", "--upcoming", "2m"])), [2, 3]);

    env.ok(&[
        "remind",
        "edit",
        "3",
        "--text",
        "much later",
        "--due",
        "2027-01-31",
        "--every",
        "1m",
    ]);
    let r = &env.json(&["remind", "show", "3"])["follow_up"];
    assert_eq!(r["text"], "much later");
    assert_eq!(r["recurrence"], "1m");
    env.ok(&["remind", "edit", "3", "--no-repeat"]);
    assert_eq!(
        env.json(&["remind", "show", "3"])["follow_up"]["recurrence"],
        Value::Null
    );
    let before = env.dump();
    env.fails(&["remind", "edit", "3", "--due", "someday"], 5);
    env.fails(&["remind", "edit", "3"], 5);
    env.fails(&["remind", "edit", "9", "--text", "x"], 3);
    assert_eq!(env.dump(), before, "failed edits write nothing");

    env.fails(&["snooze", "1", "--until", "2 days ago"], 5);
    assert_eq!(env.dump(), before, "a snooze into the past is refused");
    env.ok(&["remind", "rm", "3"]);
    env.fails(&["remind", "show", "3"], 3);
    // The original form still works, and an organization's follow-up --log'ged is logged
    // as an interaction with the organization.
    env.ok(&["org", "add", "Acme"]);
    let renewal = env.json(&["remind", "--org", "acme", "renewal", "--due", "tomorrow"]);
    let id = renewal["id"].to_string();
    let done = env.json(&["done", &id, "--log", "called"]);
    let logged = done["interaction_id"].as_i64().unwrap().to_string();
    let interaction = env.json(&["log", "show", &logged])["interaction"].clone();
    assert_eq!(interaction["summary"], "called");
    assert_eq!(interaction["organization"]["name"], "Acme");
    assert_eq!(interaction["participants"], serde_json::json!([]));
}

#[test]
fn month_end_recurrence_returns_to_its_anchor_day() {
    let env = Env::new();
    env.ok(&["add", "Ada"]);
    let run = |now: &str, args: &[&str]| at(&env, now, args);
    run(
        "2027-01-20T10:00:00Z",
        &[
            "remind",
            "ada",
            "rent",
            "--due",
            "2027-01-31",
            "--every",
            "1m",
        ],
    );
    let due = || env.json(&["remind", "show", "1"])["follow_up"]["due"].clone();
    run("2027-01-31T10:00:00Z", &["done", "1"]);
    assert_eq!(due(), "2027-02-28");
    run("2027-02-28T10:00:00Z", &["done", "1"]);
    assert_eq!(due(), "2027-03-31", "back to the 31st, not the 28th");
    run("2027-03-31T10:00:00Z", &["done", "1"]);
    assert_eq!(due(), "2027-04-30");
    // Completed late, it skips what was missed and lands after today.
    run("2027-06-15T10:00:00Z", &["done", "1"]);
    assert_eq!(due(), "2027-06-30");
    assert_eq!(
        env.json(&["remind", "show", "1"])["completions"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[test]
fn a_weekly_timed_follow_up_keeps_its_local_time_across_dst() {
    let env = Env::new();
    let berlin = |now: &str, args: &[&str]| at_in(&env, Some("Europe/Berlin"), now, args);
    berlin("2027-03-20T10:00:00Z", &["add", "Ada"]);
    berlin(
        "2027-03-20T10:00:00Z",
        &[
            "remind",
            "ada",
            "standup",
            "--due",
            "2027-03-22 09:00",
            "--every",
            "1w",
        ],
    );
    let due = || {
        let v: Value = serde_json::from_str(&berlin(
            "2027-03-20T10:00:00Z",
            &["remind", "show", "1", "--json"],
        ))
        .unwrap();
        v["follow_up"]["due"].as_str().unwrap().to_string()
    };
    assert_eq!(due(), "2027-03-22T08:00:00Z", "09:00 CET");
    // Clocks go forward on Sunday 28 March: next week's 09:00 is 07:00 UTC.
    berlin("2027-03-22T08:30:00Z", &["done", "1"]);
    assert_eq!(due(), "2027-03-29T07:00:00Z", "09:00 CEST");
    let a: Value =
        serde_json::from_str(&berlin("2027-03-29T05:00:00Z", &["today", "--json"])).unwrap();
    assert_eq!(a["today"][0]["day"], "2027-03-29");
    let text = berlin("2027-03-29T05:00:00Z", &["today"]);
    assert!(text.contains("today 09:00"), "{text}");
    // And back in October: 09:00 CET again.
    berlin(
        "2027-10-25T05:00:00Z",
        &["remind", "edit", "1", "--due", "2027-10-25 09:00"],
    );
    berlin("2027-10-25T09:00:00Z", &["done", "1"]);
    assert_eq!(due(), "2027-11-01T08:00:00Z");
    // An all-day follow-up is a local day: late on the 24th in UTC is the 25th in Berlin.
    berlin(
        "2027-11-24T10:00:00Z",
        &["remind", "ada", "call", "--due", "2027-11-25"],
    );
    let a: Value =
        serde_json::from_str(&berlin("2027-11-24T23:30:00Z", &["today", "--json"])).unwrap();
    assert_eq!(a["date"], "2027-11-25");
    assert_eq!(a["today"][0]["text"], "call");
}

#[test]
fn show_lists_yearly_dates_and_a_cadence_inherited_from_a_tag() {
    let env = Env::new();
    env.ok(&["add", "Ada", "--tag", "client"]);
    env.ok(&["tag-cadence", "client", "30d"]);
    env.ok(&[
        "edit",
        "ada",
        "--date",
        "renewal:2025-12-01",
        "--date",
        "Anniversary:--06-12",
    ]);
    let brief = env.json(&["show", "ada"]);
    assert_eq!(brief["keep_in_touch"]["every"], "30d");
    assert_eq!(brief["keep_in_touch"]["cadence_source"]["tag"], "client");
    assert_eq!(brief["keep_in_touch"]["reconnect_on"], "2026-12-24");
    assert_eq!(brief["dates"][0]["label"], "anniversary");
    assert_eq!(brief["dates"][1]["date"], "2025-12-01");
    let text = env.ok(&["show", "ada"]);
    assert!(text.contains("every 30 days (tag client)"), "{text}");
    assert!(
        text.contains("renewal 2025-12-01 (in 7 days, 1 year)"),
        "{text}"
    );

    let before = env.dump();
    env.fails(&["edit", "ada", "--date", "renewal:2025-02-30"], 5);
    env.fails(&["edit", "ada", "--date", "no-date-here"], 5);
    env.fails(&["edit", "ada", "--rm-date", "wedding"], 3);
    env.fails(&["tag-cadence", "client", "often"], 5);
    assert_eq!(env.dump(), before);
    env.ok(&["edit", "ada", "--rm-date", "renewal"]);
    assert_eq!(
        env.json(&["show", "ada"])["dates"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(env.json(&["tag-cadence"])[0]["contacts"], 1);
}

#[test]
fn a_database_from_before_the_agenda_migrates_with_its_follow_ups() {
    let env = Env::new();
    std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch(include_str!("../../src/store/migrations/0001_init.sql"))
            .unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             PRAGMA application_id = 1802073192;
             INSERT INTO contacts (id, uid, display_name, name_key, created_at, updated_at)
                  VALUES (1, 'c-1', 'Ada', 'ada', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO reminders (id, uid, contact_id, text, due, recurrence, created_at, updated_at)
                  VALUES (1, 'r-1', 1, 'rent', '2026-10-31', '1m',
                          '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
        )
        .unwrap();
    }
    let a = agenda(&env, "2026-11-24T10:00:00Z");
    assert_eq!(due(&a).overdue, [1]);
    assert_eq!(a["overdue"][0]["recur_from"], "due");
    at(&env, "2026-11-24T10:00:00Z", &["done", "1"]);
    assert_eq!(
        env.json(&["remind", "show", "1"])["follow_up"]["due"],
        "2026-11-30"
    );
    let backups = std::fs::read_dir(env.db.parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".v1-")
        })
        .count();
    assert_eq!(
        backups, 1,
        "a backup of the version 1 file was written first"
    );
}

#[test]
fn an_archived_contacts_follow_ups_wait_off_the_agenda_until_restored() {
    let env = Env::new();
    let now = "2026-11-24T09:00:00Z";
    at(&env, now, &["add", "Ada Lovelace"]);
    at(&env, now, &["add", "Bob Babbage"]);
    at(
        &env,
        now,
        &["remind", "ada", "send proposal", "--due", "today"],
    ); // #1
    at(
        &env,
        now,
        &["remind", "bob", "call back", "--due", "2026-11-20"],
    ); // #2
    assert_eq!(due(&agenda(&env, now)).today, vec![1]);
    assert_eq!(due(&agenda(&env, now)).overdue, vec![2]);

    at(&env, now, &["rm", "bob"]);
    let a = due(&agenda(&env, now));
    assert_eq!((a.overdue, a.today), (vec![], vec![1]));
    assert!(!at(&env, now, &["today"]).contains("call back"));

    at(&env, now, &["restore", "bob"]);
    assert_eq!(due(&agenda(&env, now)).overdue, vec![2]);
}

/// `kith today` hides an archived contact's follow-ups; `--check` agrees (issue 16: it still
/// exited 1), and `kith reminders` lists them marked "(archived)" (it said nothing).
#[test]
fn check_and_reminders_agree_with_today_about_an_archived_contacts_follow_up() {
    let env = Env::new();
    let now = "2026-11-24T09:00:00Z";
    at(&env, now, &["add", "Bob Babbage"]);
    at(
        &env,
        now,
        &["remind", "bob", "call back", "--due", "2026-11-20"],
    );
    let check = || {
        env.kith()
            .env("KITH_NOW", now)
            .args(["today", "--check"])
            .output()
            .expect("run kith")
            .status
            .code()
    };
    let reminders = || -> Value {
        serde_json::from_str(&at(&env, now, &["reminders", "--json"])).expect("json")
    };
    assert_eq!(check(), Some(1), "overdue while Bob is active");
    assert!(reminders()[0].get("contact_archived").is_none());

    at(&env, now, &["rm", "bob"]);
    assert!(due(&agenda(&env, now)).overdue.is_empty());
    assert_eq!(
        check(),
        Some(0),
        "off the agenda, so not overdue for --check"
    );
    let table = at(&env, now, &["reminders"]);
    assert!(table.contains("Bob Babbage (archived)"), "{table}");
    assert_eq!(reminders()[0]["contact_archived"], true);
    let overdue = at(&env, now, &["reminders", "--overdue"]);
    assert!(overdue.contains("(archived)"), "{overdue}");

    at(&env, now, &["restore", "bob"]);
    assert_eq!(check(), Some(1));
    assert!(!at(&env, now, &["reminders"]).contains("(archived)"));
}

/// A book too large to read at breakfast: `kith today` shows each group's first ten and
/// counts the rest; past 1,000 people to reconnect with it lists the longest overdue (the
/// weakest-first ranking reads everyone's history) and says so. `--all` and `--json` give
/// every entry, ranked by health.
#[test]
fn a_long_agenda_shows_the_first_of_each_group_and_all_of_it_on_request() {
    let env = Env::new();
    let jan = "2026-01-01T10:00:00Z";
    let cards: String = (0..1001)
        .map(|i| {
            format!(
                "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Client {i:04}\r\nCATEGORIES:client\r\nEND:VCARD\r\n"
            )
        })
        .collect();
    let file = env.dir.path().join("clients.vcf");
    std::fs::write(&file, cards).unwrap();
    at(&env, jan, &["import", file.to_str().unwrap()]);
    at(&env, jan, &["tag-cadence", "client", "30d"]);
    // Two met in the spring: due since late spring, not since February like the rest.
    for who in ["Client 0003", "Client 0500"] {
        at(
            &env,
            "2026-05-01T10:00:00Z",
            &["log", who, "lunch", "--via", "meeting"],
        );
    }
    // Two in touch this autumn, alike but for Client 0007's follow-ups (below).
    for who in ["Client 0003", "Client 0007"] {
        for at_day in ["2026-09-01", "2026-09-20", "2026-10-10"] {
            let when = format!("{at_day}T10:00:00Z");
            at(&env, &when, &["log", who, "call", "--via", "call", "--in"]);
        }
    }
    for day in 1..=12 {
        let due = format!("2026-11-{day:02}");
        at(
            &env,
            jan,
            &[
                "remind",
                "Client 0007",
                &format!("task {day}"),
                "--due",
                &due,
            ],
        );
    }
    let now = "2026-11-24T10:00:00Z";

    let text = at(&env, now, &["today"]);
    assert!(text.contains("Overdue (12)\n"), "{text}");
    assert!(
        text.contains("  … and 2 more: kith reminders --overdue\n"),
        "{text}"
    );
    assert!(text.contains("task 10 — Client 0007") && !text.contains("task 11"));
    assert!(
        text.contains("Due to reconnect, longest overdue first (1,001)\n"),
        "{text}"
    );
    assert!(text.contains("  … and 991 more: kith today --all ranks them all by health\n"));
    let reconnects: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("every 30 days"))
        .collect();
    assert_eq!(reconnects.len(), 10, "{text}");
    // The longest overdue first (added Jan 1, never contacted), by name; each with its health.
    assert!(reconnects[0].starts_with("  Client 0000 "), "{text}");
    assert!(!reconnects.iter().any(|l| l.contains("Client 0003")));
    assert!(reconnects.iter().all(|l| l.contains("; health ")), "{text}");

    let all = at(&env, now, &["today", "--all"]);
    assert!(all.contains("Overdue (12)\n") && all.contains("task 12 — Client 0007"));
    assert!(all.contains("Due to reconnect (1,001)\n") && !all.contains("more:"));
    let ranked: Vec<&str> = all
        .lines()
        .filter(|l| l.contains("every 30 days"))
        .collect();
    assert_eq!(ranked.len(), 1001);
    let json = agenda(&env, now);
    assert_eq!(json["overdue"].as_array().unwrap().len(), 12);
    let reconnect = json["reconnect"].as_array().unwrap();
    assert_eq!(reconnect.len(), 1001);
    let scores: Vec<i64> = reconnect
        .iter()
        .map(|r| r["health"].as_i64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] <= w[1]),
        "weakest first: {scores:?}"
    );
    // The same people in the same order in the text, as the JSON ranks them.
    for (line, r) in ranked.iter().zip(reconnect) {
        let name = r["contact"]["name"].as_str().unwrap();
        assert!(line.starts_with(&format!("  {name} ")), "{line} / {name}");
    }
    // Each one's health is `kith health`'s: scored in batches by both threads (1,001 people
    // are four), follow-through added after (Client 0007's twelve follow-ups count).
    let health: std::collections::HashMap<String, i64> =
        serde_json::from_str::<serde_json::Value>(&at(&env, now, &["health", "--json"]))
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let uid = h["contact"]["uid"].as_str().unwrap().to_string();
                (uid, h["score"].as_i64().unwrap())
            })
            .collect();
    for r in reconnect {
        let uid = r["contact"]["uid"].as_str().unwrap();
        assert_eq!(r["health"].as_i64(), health.get(uid).copied(), "{r}");
    }
    // Client 0007 and Client 0003 differ only by 0007's overdue follow-ups.
    let of = |name: &str| {
        let r = reconnect.iter().find(|r| r["contact"]["name"] == name);
        r.and_then(|r| r["health"].as_i64()).unwrap()
    };
    let (seven, three) = (of("Client 0007"), of("Client 0003"));
    assert!(
        seven < three,
        "follow-through counts: {seven} against {three}"
    );
}

/// `kith today --json` reads the follow-ups far beyond its horizon for health only (at 100k
/// contacts they are half of them): the last day it lists is the horizon in the person's time
/// zone, where a stored UTC time may fall a day later by its own date, and `--days` moves it.
#[test]
fn the_agenda_lists_up_to_its_horizon_in_the_local_zone_and_nothing_beyond() {
    let env = Env::new();
    let in_zone = |tz: &str, args: &[&str]| at_in(&env, Some(tz), "2026-11-24T12:00:00Z", args);
    let samoa = "Pacific/Pago_Pago"; // UTC-11: 01:00 on the 24th, the horizon 1 December
    in_zone(samoa, &["add", "Ada Lovelace"]);
    in_zone(
        samoa,
        &["add", "Bob Babbage", "--new-org", "Analytical Engines"],
    );
    // 23:00 on 1 December in Samoa, the 2nd by its stored UTC date: listed.
    in_zone(
        samoa,
        &["remind", "ada", "last listed", "--due", "2026-12-01 23:00"],
    ); // #1
    // 00:30 on the 2nd in Samoa: one day past the horizon.
    in_zone(
        samoa,
        &[
            "remind",
            "ada",
            "first unlisted",
            "--due",
            "2026-12-02 00:30",
        ],
    ); // #2
    in_zone(
        samoa,
        &["remind", "bob", "next year", "--due", "2027-06-01"],
    ); // #3
    in_zone(
        samoa,
        &[
            "remind",
            "--org",
            "analytical",
            "renewal",
            "--due",
            "2026-11-30",
        ],
    ); // #4
    in_zone(samoa, &["snooze", "4", "--until", "2027-01-15"]);

    let agenda = |tz: &str, days: &str| -> Value {
        serde_json::from_str(&in_zone(tz, &["today", "--json", "--days", days])).unwrap()
    };
    let a = agenda(samoa, "7");
    let upcoming: Vec<(i64, &str)> = (a["upcoming"].as_array().unwrap().iter())
        .map(|f| {
            (
                f["id"].as_i64().unwrap(),
                f["contact"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(upcoming, vec![(1, "Ada Lovelace")]);
    assert_eq!(a["upcoming"][0]["day"], "2026-12-01");

    // A longer horizon reaches the later ones, each named as before.
    let a = agenda(samoa, "200");
    let listed: Vec<(i64, String)> = (a["upcoming"].as_array().unwrap().iter())
        .map(|f| {
            let who = if f["contact"].is_null() {
                f["organization"]["name"].as_str().unwrap().to_string()
            } else {
                f["contact"]["name"].as_str().unwrap().to_string()
            };
            (f["id"].as_i64().unwrap(), who)
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            (1, "Ada Lovelace".to_string()),
            (2, "Ada Lovelace".to_string()),
            (4, "Analytical Engines".to_string()),
            (3, "Bob Babbage".to_string()),
        ]
    );

    // Fourteen hours east of UTC it is already the 25th, and Ada's two are at midnight and
    // 01:30 on 3 December: one day past a week's horizon, both listed with one more day.
    let ids = |days: &str| -> Vec<i64> {
        let a = agenda("Pacific/Kiritimati", days);
        (a["upcoming"].as_array().unwrap().iter())
            .map(|f| f["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids("7"), Vec::<i64>::new());
    assert_eq!(ids("8"), vec![1, 2]);
}

/// A cadence set for a tag says how many it reaches, and that it reaches no one yet when no
/// contact has the tag (a typo, or tags to come), with how to add it.
#[test]
fn a_tag_cadence_says_whom_it_reaches() {
    let env = Env::new();
    env.ok(&["add", "Ada", "--tag", "client"]);
    let said = |args: &[&str]| -> String {
        let out = env.kith().args(args).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let one = said(&["tag-cadence", "client", "30d"]);
    assert!(
        one.contains("(1 contact; a contact's own --every wins)"),
        "{one}"
    );
    let none = said(&["tag-cadence", "clinet", "30d"]);
    assert!(
        none.contains("no contact has it yet: `kith tag WHO +clinet` adds it"),
        "{none}"
    );
}
