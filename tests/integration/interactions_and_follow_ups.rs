//! kith log, remind, reminders, done, snooze.

use crate::common::Env;

#[test]
fn log_records_time_channel_direction_body_and_participants() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    env.ok(&["add", "Grace Hopper"]);
    let out = env
        .kith()
        .args([
            "log",
            "ada, grace",
            "--via",
            "meeting",
            "--at",
            "yesterday 3pm",
            "--out",
            "Workshop",
        ])
        .write_stdin("Agenda:\n- budget\n- timeline\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let brief = env.json(&["show", "grace"]);
    let i = &brief["interactions"][0];
    assert_eq!(i["summary"], "Workshop");
    assert_eq!(i["channel"], "meeting");
    assert_eq!(i["direction"], "out");
    assert_eq!(i["occurred_at"], "2026-11-23T15:00:00Z");
    assert_eq!(i["body"], "Agenda:\n- budget\n- timeline");
    assert_eq!(i["participants"].as_array().unwrap().len(), 2);

    env.ok(&["log", "ada", "Quick note"]);
    let i = &env.json(&["show", "ada"])["interactions"][0];
    assert_eq!(i["channel"], "note");
    assert_eq!(i["occurred_at"], "2026-11-24T10:00:00Z");
    assert_eq!(i["body"], serde_json::Value::Null);

    env.ok(&[
        "log",
        "ada",
        "--via",
        "call",
        "--follow-up",
        "in 2 weeks: send proposal",
        "Budget approved",
    ]);
    let r = &env.json(&["reminders"])[0];
    assert_eq!(r["text"], "send proposal");
    assert_eq!(r["due"], "2026-12-08");
    assert_eq!(r["contact"]["name"], "Ada Lovelace");
}

/// Two people written as two words, or a summary left unquoted: refused with both readings
/// as commands to copy, and nothing logged.
#[test]
fn log_with_words_past_the_summary_says_how_to_write_either_reading() {
    let env = Env::new();
    env.ok(&["add", "Frida Kahlo"]);
    env.ok(&["add", "Diego Rivera"]);
    let err = env.fails(&["log", "frida", "diego", "Lunch at noon"], 2);
    assert!(
        err.contains(
            "got 3 words; several people are one WHO,WHO: kith log frida,diego 'Lunch at noon'; \
             a summary of several words is quoted: kith log frida 'diego Lunch at noon'"
        ),
        "{err}"
    );
    assert!(!err.contains("subcommand"), "{err}");
    assert_eq!(
        env.json(&["show", "frida"])["interactions"],
        serde_json::json!([])
    );
    // The first reading, as suggested, logs one interaction with both.
    env.ok(&["log", "frida,diego", "Lunch at noon"]);
    let brief = env.json(&["show", "diego"]);
    assert_eq!(
        brief["interactions"][0]["participants"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // A subcommand still is one.
    assert!(env.ok(&["log", "show", "1"]).contains("Lunch at noon"));
}

/// With two people of one name, the confirmations of `log` and `link` say which one by #id.
#[test]
fn confirmations_tell_namesakes_apart() {
    let env = Env::new();
    env.ok(&["add", "Frida Kahlo", "--email", "frida@casa-azul.example"]);
    env.ok(&["add", "Frida Kahlo", "--email", "frida@elsewhere.example"]);
    env.ok(&["add", "Diego Rivera"]);
    let said = |args: &[&str]| -> String {
        let out = env.kith().args(args).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let logged = said(&["log", "#2,diego", "Lunch"]);
    assert!(
        logged.contains("Logged note with Diego Rivera, Frida Kahlo #2 (interaction 1)"),
        "{logged}"
    );
    let linked = said(&["link", "frida@casa-azul.example", "diego", "--as", "knows"]);
    assert!(
        linked.contains("Linked: Frida Kahlo #1 knows Diego Rivera."),
        "{linked}"
    );
}

#[test]
fn follow_ups_done_snooze_and_recurrence() {
    let env = Env::new();
    env.ok(&["add", "Ada"]);
    env.ok(&["remind", "ada", "send proposal", "--due", "next friday"]);
    env.ok(&[
        "remind",
        "ada",
        "monthly report",
        "--due",
        "2026-01-31",
        "--every",
        "1m",
    ]);
    env.ok(&["remind", "ada", "call at three", "--due", "tomorrow 3pm"]);
    let list = env.json(&["reminders"]);
    let dues: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["due"].as_str().unwrap())
        .collect();
    assert_eq!(dues, ["2026-01-31", "2026-11-25T15:00:00Z", "2026-11-27"]);

    // A recurring follow-up moves to its next date after today and keeps its history.
    env.ok(&["done", "2"]);
    let r = env
        .json(&["reminders", "--all"])
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == 2)
        .unwrap()
        .clone();
    assert_eq!(r["due"], "2026-11-30");
    assert_eq!(r["done_at"], serde_json::Value::Null);

    env.ok(&["done", "#1"]);
    assert_eq!(env.json(&["reminders"]).as_array().unwrap().len(), 2);
    let done = env.json(&["reminders", "--done"]);
    assert_eq!(done[0]["id"], 1);
    assert_eq!(done[0]["done_at"], "2026-11-24T10:00:00Z");
    let before = env.dump();
    let err = env.fails(&["done", "1"], 5);
    assert!(err.contains("already done"), "{err}");
    env.fails(&["done", "42"], 3);
    env.fails(&["done", "abc"], 5);
    assert_eq!(env.dump(), before);

    env.ok(&["snooze", "3", "--until", "in 3 days"]);
    let r = env
        .json(&["reminders"])
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == 3)
        .unwrap()
        .clone();
    assert_eq!(r["snoozed_until"], "2026-11-27");
    assert_eq!(r["due"], "2026-11-25T15:00:00Z");

    let table = env.ok(&["reminders"]);
    assert!(
        table.contains("monthly report") && table.contains("in 6 days"),
        "{table}"
    );
    let csv_text = env.ok(&["reminders", "--format", "csv"]);
    assert!(csv_text.starts_with("id,uid,due,"), "{csv_text}");
}
