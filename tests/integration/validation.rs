//! Values that cannot be true are refused with the reason, and nothing is written.

use crate::common::Env;

#[test]
fn dates_that_cannot_be_are_refused_with_the_reason() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    let before = env.dump();

    let err = env.fails(&["add", "Baby", "--birthday", "2030-01-01"], 5);
    assert!(
        err.contains("birthday") && err.contains("in the future"),
        "{err}"
    );
    let err = env.fails(&["edit", "ada", "--birthday", "2026-02-30"], 5);
    assert!(err.contains("February 2026 has 28 days"), "{err}");
    let err = env.fails(&["remind", "ada", "x", "--due", "2026-02-30"], 5);
    assert!(
        err.contains("--due") && err.contains("February 2026 has 28 days"),
        "{err}"
    );
    // A day written with the month's name is explained the same way.
    let err = env.fails(&["log", "ada", "--at", "30 feb", "Call"], 5);
    assert!(
        err.contains("there is no day 30: February has at most 29 days"),
        "{err}"
    );
    let err = env.fails(&["remind", "ada", "x", "--due", "31st april 2027"], 5);
    assert!(
        err.contains("there is no day 31: April 2027 has 30 days"),
        "{err}"
    );
    let err = env.fails(&["remind", "ada", "x", "--due", "2026-13-01"], 5);
    assert!(err.contains("no month 13"), "{err}");
    // Logging is for what happened: the clock is 2026-11-24 10:00 UTC.
    let err = env.fails(&["log", "ada", "--at", "tomorrow", "Call"], 5);
    assert!(
        err.contains("--at") && err.contains("in the future"),
        "{err}"
    );
    let err = env.fails(&["log", "ada", "--at", "in 3 years", "Call"], 5);
    assert!(err.contains("in the future"), "{err}");
    assert_eq!(env.dump(), before);

    // Yearless birthdays, leap days and earlier today are fine.
    env.ok(&["edit", "ada", "--birthday", "--02-29"]);
    env.ok(&["log", "ada", "--at", "9am", "Morning call"]);
}

#[test]
fn conflicting_outputs_are_a_usage_error() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    let err = env.fails(&["list", "--json", "--format", "csv"], 2);
    assert!(err.contains("choose one"), "{err}");
    let err = env.fails(&["rm", "--purge", "ada"], 2);
    assert!(err.contains("--yes"), "{err}");
}

#[test]
fn long_values_are_quoted_short_in_errors() {
    let env = Env::new();
    let long = format!("{}@", "x".repeat(5000));
    let err = env.fails(&["add", "Ada", "--email", &long], 5);
    assert!(
        err.len() < 400,
        "the error echoed the whole value: {} bytes",
        err.len()
    );
    assert!(err.contains('…'), "{err}");
    let err = env.fails(&["add", "Ada", "--tag", &"t".repeat(300)], 5);
    assert!(err.contains("longer than 64"), "{err}");
}

#[test]
fn a_second_contact_with_the_same_name_is_pointed_out() {
    let env = Env::new();
    env.ok(&["add", "Chloé Dubois"]);
    let out = env.kith().args(["add", "Chloe Dubois"]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Chloé Dubois (#1) has the same name"), "{err}");
}

#[test]
fn narrow_terminals_keep_names_readable() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Alexandra Johnson",
        "--email",
        "alexandra.johnson@example.com",
        "--phone",
        "+1 555 0100",
        "--new-org",
        "Initech",
        "--tag",
        "client",
    ]);
    env.ok(&["add", "Alexandra Jones", "--email", "a.jones@example.com"]);
    let out = env
        .kith()
        .env("COLUMNS", "60")
        .arg("list")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(line.chars().count() <= 60, "{line:?} is wider than 60");
    }
    assert!(
        text.contains("Alexandra Johnson") && text.contains("Alexandra Jones"),
        "{text}"
    );
}

#[test]
fn snoozing_only_moves_a_follow_up_later() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    env.ok(&["remind", "ada", "renewal", "--due", "in 6 weeks"]);
    let before = env.dump();
    let err = env.fails(&["snooze", "1", "--until", "yesterday"], 5);
    assert!(err.contains("already past"), "{err}");
    let err = env.fails(&["snooze", "1", "--until", "next monday"], 5);
    assert!(err.contains("before the follow-up is due"), "{err}");
    assert_eq!(env.dump(), before);
    env.ok(&["snooze", "1", "--until", "in 7 weeks"]);
}

#[test]
fn archived_records_are_named_not_hidden() {
    let env = Env::new();
    env.ok(&["add", "Zoë Kravitz", "--new-org", "Acme"]);
    env.ok(&["add", "Ada Lovelace", "--new-org", "Globex"]);
    env.ok(&["rm", "zoe"]);
    let before = env.dump();
    let err = env.fails(&["log", "zoe", "Coffee"], 3);
    assert!(
        err.contains("Zoë Kravitz (#1) is archived") && err.contains("kith restore '#1'"),
        "{err}"
    );
    assert_eq!(env.dump(), before);

    env.ok(&["org", "rm", "acme"]);
    let err = env.fails(&["org", "add", "Acme"], 5);
    assert!(
        err.contains("archived") && err.contains("org restore"),
        "{err}"
    );
    // Editing Ada leaves Globex as it is; joining archived Acme is refused, never a
    // silent revival: it names the organization and how to bring it back.
    env.ok(&["org", "rm", "globex"]);
    env.ok(&["edit", "ada", "--title", "CTO"]);
    let orgs = env.ok(&["org", "list"]);
    assert!(!orgs.contains("Globex") && !orgs.contains("Acme"), "{orgs}");
    let before = env.dump();
    let err = env.fails(&["add", "New Person", "--org", "acme"], 3);
    assert!(
        err.contains("Acme (#1) is archived; run `kith org restore '#1'`"),
        "{err}"
    );
    assert_eq!(env.dump(), before);
    env.ok(&["org", "restore", "acme"]);
    env.ok(&["add", "New Person", "--org", "acme"]);
    let orgs = env.ok(&["org", "list"]);
    assert!(orgs.contains("Acme"), "{orgs}");
}

/// An export to a directory that is not there names the file asked for and what is wrong
/// with its directory, not the temporary file kith writes first.
#[test]
fn an_export_into_a_missing_directory_says_so() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    let out = env.dir.path().join("no-such-dir").join("x.vcf");
    let err = env.fails(
        &[
            "export",
            "--format",
            "vcard",
            "--out",
            out.to_str().unwrap(),
        ],
        7,
    );
    assert!(err.contains("x.vcf: there is no directory"), "{err}");
    assert!(err.contains("no-such-dir"), "{err}");
    assert!(!err.contains("kith-tmp"), "{err}");
}

/// A quote inside a refused value is escaped, so the quotes around it still pair up.
#[test]
fn a_quote_in_a_refused_value_is_escaped() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    let err = env.fails(&["tag", "ada", "+\"bad"], 5);
    assert!(
        err.contains(r#"invalid tag "+\"bad": use letters"#),
        "{err}"
    );
}
