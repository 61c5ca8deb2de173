//! `kith export --format ics`, read back with an independent iCalendar parser (the
//! `icalendar` crate, which kith does not use for writing).

use std::os::unix::fs::PermissionsExt;

use icalendar::parser::{Component, read_calendar, unfold};

use crate::common::Env;

fn prop<'a>(c: &'a Component<'a>, name: &str) -> Option<String> {
    c.find_prop(name).map(|p| p.val.as_str().to_string())
}

fn text_prop(c: &Component<'_>, name: &str) -> Option<String> {
    c.find_prop(name)
        .map(|p| p.val.clone().unescape_text().as_str().to_string())
}

fn param(c: &Component<'_>, name: &str, key: &str) -> Option<String> {
    c.find_prop(name)?
        .params
        .iter()
        .find(|p| p.key == key)
        .and_then(|p| p.val.as_ref().map(|v| v.as_str().to_string()))
}

/// Every physical line ends in CRLF and is at most 75 octets.
fn assert_rfc5545_lines(text: &str) {
    assert!(text.ends_with("\r\n"));
    for line in text[..text.len() - 2].split("\r\n") {
        assert!(!line.contains('\n'), "bare LF in {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
}

#[test]
fn every_follow_up_and_birthday_is_in_the_calendar() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace", "--birthday", "1986-11-27"]);
    env.ok(&["add", "Bob", "--birthday", "--03-15"]);
    env.ok(&["add", "Łucja Żółć", "--birthday", "1988-02-29"]);
    env.ok(&["edit", "ada", "--date", "renewal:2025-03-01"]);
    env.ok(&["org", "add", "Acme, Inc."]);
    let long = "Prepare the quarterly review: numbers, risks; next steps \\ owners — \
                and the ünïcödé appendix that makes this line long enough to fold twice over";
    let follow_ups = [
        vec!["remind", "ada", "send proposal", "--due", "2026-12-01"],
        vec!["remind", "ada", "call back", "--due", "tomorrow 3pm"],
        vec![
            "remind",
            "bob",
            "rent",
            "--due",
            "2027-01-31",
            "--every",
            "1m",
        ],
        vec![
            "remind",
            "bob",
            long,
            "--due",
            "2026-12-03",
            "--every",
            "2w",
            "--after-done",
        ],
        vec![
            "remind",
            "--org",
            "acme",
            "renewal, with comma",
            "--due",
            "in 6 weeks",
        ],
        vec!["remind", "ada", "old task", "--due", "yesterday"],
    ];
    for args in &follow_ups {
        env.ok(args);
    }
    env.ok(&["done", "6"]);
    let reminders = env.json(&["reminders", "--all"]);
    let reminders = reminders.as_array().unwrap();
    assert_eq!(reminders.len(), follow_ups.len());

    let out = env.dir.path().join("out").join("kith.ics");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    env.ok(&["export", "--format", "ics", "--out", out.to_str().unwrap()]);
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        env.ok(&["export", "--format", "ics"]),
        text,
        "stdout = file"
    );
    assert_eq!(env.ok(&["export", "--format", "ics", "--out", "-"]), text);
    assert_rfc5545_lines(&text);
    assert!(
        std::fs::read_dir(out.parent().unwrap()).unwrap().count() == 1,
        "no temporary file left behind"
    );

    let unfolded = unfold(&text);
    let cal = read_calendar(&unfolded).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let calprop = |n: &str| {
        cal.properties
            .iter()
            .find(|p| p.name == n)
            .map(|p| p.val.as_str().to_string())
    };
    assert_eq!(calprop("VERSION").as_deref(), Some("2.0"));
    assert!(calprop("PRODID").unwrap().contains("kith"));

    let todos: Vec<&Component> = cal
        .components
        .iter()
        .filter(|c| c.name == "VTODO")
        .collect();
    assert_eq!(todos.len(), reminders.len());
    for r in reminders {
        let uid = r["uid"].as_str().unwrap();
        let todo = todos
            .iter()
            .find(|t| prop(t, "UID").as_deref() == Some(uid))
            .unwrap_or_else(|| panic!("no VTODO for {uid}"));
        let summary = text_prop(todo, "SUMMARY").unwrap();
        assert!(
            summary.starts_with(r["text"].as_str().unwrap()),
            "{summary:?} for {}",
            r["text"]
        );
        assert_eq!(prop(todo, "DTSTAMP").as_deref(), Some("20261124T100000Z"));
        let done = !r["done_at"].is_null();
        assert_eq!(
            prop(todo, "STATUS").as_deref(),
            Some(if done { "COMPLETED" } else { "NEEDS-ACTION" })
        );
        assert_eq!(prop(todo, "COMPLETED").is_some(), done);
        let due = r["due"].as_str().unwrap();
        let due_value = prop(todo, "DUE").unwrap();
        if due.len() == 10 {
            assert_eq!(param(todo, "DUE", "VALUE").as_deref(), Some("DATE"));
            assert_eq!(due_value, due.replace('-', ""));
        } else {
            assert_eq!(param(todo, "DUE", "VALUE"), None);
            assert_eq!(due_value, "20261125T150000Z");
        }
    }
    let by_text = |t: &str| {
        let uid = reminders.iter().find(|r| r["text"] == t).unwrap()["uid"]
            .as_str()
            .unwrap()
            .to_string();
        *todos
            .iter()
            .find(|c| prop(c, "UID") == Some(uid.clone()))
            .unwrap()
    };
    let rent = by_text("rent");
    assert_eq!(
        prop(rent, "RRULE").as_deref(),
        Some("FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30,31;BYSETPOS=-1")
    );
    assert_eq!(prop(rent, "DTSTART").as_deref(), Some("20270131"));
    let review = by_text(long);
    assert_eq!(
        text_prop(review, "SUMMARY").unwrap(),
        format!("{long} (Bob)")
    );
    assert_eq!(prop(review, "RRULE"), None, "after-done cannot be an RRULE");
    assert!(
        text_prop(review, "DESCRIPTION")
            .unwrap()
            .contains("after each completion")
    );
    let renewal = by_text("renewal, with comma");
    assert_eq!(
        text_prop(renewal, "SUMMARY").as_deref(),
        Some("renewal, with comma (Acme, Inc.)")
    );

    let events: Vec<&Component> = cal
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    let expect = [
        ("Ada Lovelace's birthday", "19861127", "FREQ=YEARLY"),
        ("Ada Lovelace: renewal", "20250301", "FREQ=YEARLY"),
        // No year: starts this year.
        ("Bob's birthday", "20260315", "FREQ=YEARLY"),
        (
            "Łucja Żółć's birthday",
            "19880229",
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
        ),
    ];
    assert_eq!(events.len(), expect.len());
    for (summary, start, rule) in expect {
        let e = events
            .iter()
            .find(|e| text_prop(e, "SUMMARY").as_deref() == Some(summary))
            .unwrap_or_else(|| panic!("no event {summary}"));
        assert_eq!(prop(e, "DTSTART").as_deref(), Some(start), "{summary}");
        assert_eq!(param(e, "DTSTART", "VALUE").as_deref(), Some("DATE"));
        assert_eq!(prop(e, "RRULE").as_deref(), Some(rule), "{summary}");
        assert!(prop(e, "UID").is_some() && prop(e, "DTSTAMP").is_some());
    }

    // The same data gives the same UIDs: re-importing updates, never duplicates.
    let again = env.ok(&["export", "--format", "ics"]);
    let uids = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with("UID:"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(uids(&again), uids(&text));
}

#[test]
fn a_failed_export_leaves_the_old_file_alone() {
    let env = Env::new();
    env.ok(&["add", "Ada", "--birthday", "1986-11-27"]);
    let out = env.dir.path().join("kith.ics");
    std::fs::write(&out, "old").unwrap();
    env.fails(
        &[
            "export",
            "--format",
            "ics",
            "--out",
            "/nonexistent-dir/x.ics",
        ],
        7,
    );
    env.fails(&["export", "--format", "pdf"], 2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
    env.ok(&["export", "--format", "ics", "--out", out.to_str().unwrap()]);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("BEGIN:VCALENDAR\r\n")
    );
}
