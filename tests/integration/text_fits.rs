//! The text a person reads before a call (issue 17): the brief carries its company's context
//! (notes, other open follow-ups, the last touch with someone else there); at 80 columns no
//! line of `today`, `show`, `org show`, `reminders` or `list` is wider than the terminal, so
//! it never breaks a word, while piped output is not cut; and the small wordings (yearly
//! dates, relationships, merges, an empty list, backup and restore paths) read naturally.

use std::process::Command;
use std::time::{Duration, Instant};

use unicode_width::UnicodeWidthStr;

use crate::common::{Env, NOW};

const LONG_ORG: &str =
    "The Extraordinarily Long-Named International Consolidated Widget Manufacturing Company";
const LONG_NAME: &str = "Maximiliana Theodora Wolfeschlegelstein-Hausenbergerdorff";
const LONG_SUMMARY: &str = "Discussed the complete overhaul of the procurement pipeline \
     including vendor onboarding, compliance checks and the quarterly reviews";
const CJK_NAME: &str = "田中 太郎 山田 花子 佐藤 一郎";
const CJK_SUMMARY: &str = "会議で新しい契約について話し合いました。来月までに見積もりを送る必要があります。予算は承認済み";

/// A book whose texts are all longer than a terminal line: names, an organization with a
/// long name and notes, summaries and follow-ups in Latin and CJK script.
fn long_book() -> Env {
    let env = Env::new();
    env.ok(&["org", "add", LONG_ORG, "--domain", "widgets.example"]);
    env.ok(&[
        "org",
        "edit",
        "The Extraordinarily",
        "--note",
        "Renewal every January; procurement insists on three quotes and a signed NDA before \
         any meeting is scheduled with the engineering team.\nAsk for Priya first.",
    ]);
    env.ok(&[
        "add",
        LONG_NAME,
        "--org",
        "The Extraordinarily",
        "--title",
        "Senior Vice President of Global Procurement and Vendor Relations",
        "--email",
        "maximiliana@widgets.example",
        "--tag",
        "client",
        "--tag",
        "enterprise",
        "--every",
        "2w",
        "--note",
        "Prefers short calls in the morning; always send the agenda the day before, with the \
         figures attached as a spreadsheet rather than a slide deck.",
    ]);
    env.ok(&["add", CJK_NAME, "--org", "The Extraordinarily"]);
    env.ok(&["add", "Bob Other", "--org", "The Extraordinarily"]);
    env.ok(&[
        "log",
        "maximiliana",
        "--via",
        "call",
        "--at",
        "2026-11-20T10:00:00Z",
        LONG_SUMMARY,
        "--follow-up",
        "2026-11-22: send the revised proposal covering all twelve regional subsidiaries and \
         their specific compliance requirements",
    ]);
    env.ok(&[
        "log",
        "田中",
        "--via",
        "meeting",
        "--at",
        "2026-11-18T10:00:00Z",
        CJK_SUMMARY,
        "--follow-up",
        "2026-11-26: 見積もりを送る 見積もりを送る 見積もりを送る 見積もりを送る 見積もりを送る",
    ]);
    env.ok(&[
        "log",
        "bob",
        "--via",
        "email",
        "--at",
        "2026-11-10T10:00:00Z",
        "Quick note about the delivery schedule",
    ]);
    env.ok(&[
        "edit",
        "maximiliana",
        "--date",
        "renewal:2026-12-01",
        "--date",
        "anniversary:--12-02",
    ]);
    env
}

/// `kith args` with stdout a pipe, colour off, and `COLUMNS` when given.
fn text(env: &Env, columns: Option<&str>, args: &[&str]) -> String {
    let mut cmd = env.kith();
    cmd.env("NO_COLOR", "1").args(args);
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    let out = cmd.output().expect("run kith");
    assert!(
        out.status.success(),
        "kith {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

const COMMANDS: &[&[&str]] = &[
    &["today", "--days", "14"],
    &["show", "maximiliana"],
    &["show", "田中"],
    &["show", "bob"],
    &["org", "show", "The Extraordinarily"],
    &["reminders"],
    &["list"],
];

#[test]
fn at_80_columns_no_line_is_wider_than_the_terminal_and_piped_output_is_whole() {
    let env = long_book();
    for args in COMMANDS {
        let out = text(&env, Some("80"), args);
        for line in out.lines() {
            assert!(
                line.width() <= 80,
                "kith {args:?}: {} columns: {line:?}\n{out}",
                line.width()
            );
        }
    }
    // A cut summary keeps its relative time on the same line.
    let show = text(&env, Some("80"), &["show", "maximiliana"]);
    let recent = show
        .lines()
        .find(|l| l.contains("Discussed the complete"))
        .expect("the call is listed");
    assert!(
        recent.contains('…') && recent.ends_with("4 days ago"),
        "{show}"
    );
    // Wrapped text keeps every word: the follow-up and the notes read whole, line by line.
    let words: Vec<&str> = show.split_whitespace().collect();
    for word in [
        "twelve",
        "regional",
        "subsidiaries",
        "spreadsheet",
        "engineering",
    ] {
        assert!(words.contains(&word), "{word:?} cut or split:\n{show}");
    }
    // Piped without COLUMNS nothing is cut.
    for args in COMMANDS {
        let out = text(&env, None, args);
        assert!(
            !out.contains('…'),
            "kith {args:?} cut a pipe's text:\n{out}"
        );
    }
    let piped = text(&env, None, &["show", "maximiliana"]);
    assert!(piped.contains(LONG_SUMMARY), "{piped}");
    let piped = text(&env, None, &["show", "田中"]);
    assert!(piped.contains(CJK_SUMMARY), "{piped}");
    let piped = text(&env, None, &["list"]);
    assert!(
        piped.contains(LONG_NAME) && piped.contains(LONG_ORG),
        "{piped}"
    );
}

#[test]
fn the_brief_carries_its_companys_notes_follow_ups_and_last_touch() {
    let env = long_book();
    let show = text(&env, None, &["show", "maximiliana"]);
    let section: Vec<&str> = show
        .lines()
        .skip_while(|l| !l.starts_with("At The Extraordinarily"))
        .collect();
    assert!(!section.is_empty(), "no company section:\n{show}");
    let section = section.join("\n");
    // The latest interaction there that they were not part of: 田中's meeting, not their call.
    assert!(
        section.contains("last touch 6 days ago (2026-11-18): meeting with 田中 太郎"),
        "{section}"
    );
    // Colleagues' open follow-ups (whose, when); their own are listed above, not here.
    assert!(
        section.contains("#2  in 2 days (2026-11-26)  見積もりを送る"),
        "{section}"
    );
    assert!(!section.contains("send the revised proposal"), "{section}");
    assert!(section.contains("Ask for Priya first."), "{section}");

    let json = env.json(&["show", "maximiliana"]);
    let org = &json["organization"];
    assert_eq!(org["name"], LONG_ORG);
    assert_eq!(org["archived"], false);
    assert!(
        org["notes"]
            .as_str()
            .is_some_and(|n| n.ends_with("Ask for Priya first.")),
        "{org}"
    );
    let follow_ups = org["follow_ups"].as_array().expect("follow_ups");
    assert_eq!(follow_ups.len(), 1, "{org}");
    assert_eq!(follow_ups[0]["contact"]["name"], CJK_NAME);
    let touch = &org["last_touch"];
    assert_eq!(touch["channel"], "meeting");
    assert_eq!(touch["occurred_at"], "2026-11-18T10:00:00Z");
    assert_eq!(touch["with"][0]["name"], CJK_NAME);

    // Bob's brief: the latest touch without him is Maximiliana's call, both follow-ups show.
    let bob = env.json(&["show", "bob"]);
    assert_eq!(bob["organization"]["last_touch"]["channel"], "call");
    assert_eq!(
        bob["organization"]["follow_ups"].as_array().map(Vec::len),
        Some(2)
    );

    // An organization of one, with nothing else there: no touch, and said so.
    env.ok(&["add", "Solo Person", "--new-org", "Solo Ltd"]);
    let solo = env.json(&["show", "solo"]);
    assert!(solo["organization"]["last_touch"].is_null(), "{solo}");
    assert!(
        text(&env, None, &["show", "solo"]).contains("no one else there contacted yet"),
        "solo"
    );
    // No organization: no section, and null in JSON.
    env.ok(&["add", "Free Lance"]);
    assert!(env.json(&["show", "free lance"])["organization"].is_null());
    assert!(!text(&env, None, &["show", "free lance"]).contains("\nAt "));
}

#[test]
fn yearly_dates_never_count_zero_years() {
    let env = long_book();
    // renewal:2026-12-01 first falls this year; anniversary has no year.
    let today = text(&env, None, &["today", "--days", "14"]);
    assert!(!today.contains("0 years"), "{today}");
    assert!(
        today.contains(&format!("{LONG_NAME}: renewal  in 7 days")),
        "{today}"
    );
    assert!(
        today.contains(&format!("{LONG_NAME}: anniversary  in 8 days")),
        "{today}"
    );
    let show = text(&env, None, &["show", "maximiliana"]);
    assert!(!show.contains("0 years"), "{show}");
    assert!(show.contains("renewal 2026-12-01 (in 7 days)"), "{show}");
    // A year later the count is there.
    let next_year = crate::common::at(&env, "2027-11-24T10:00:00Z", &["show", "maximiliana"]);
    assert!(
        next_year.contains("renewal 2026-12-01 (in 7 days, 1 year)"),
        "{next_year}"
    );
}

#[test]
fn a_merge_names_the_contact_merged_not_a_file() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Ann Smith",
        "--email",
        "ann@x.example",
        "--title",
        "CEO",
    ]);
    env.ok(&[
        "add",
        "Ann Smyth",
        "--email",
        "ann2@x.example",
        "--title",
        "CFO",
    ]);
    let out = env
        .kith()
        .args(["merge", "#1", "#2"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("file"), "{text}");
    assert!(
        text.contains("kept stored title \"CEO\"; #2 had \"CFO\""),
        "{text}"
    );
}

#[test]
fn an_empty_list_says_why_and_backup_and_restore_name_the_problem() {
    let env = Env::new();
    env.ok(&["org", "add", "Acme"]);
    let err = env.kith().arg("list").output().expect("run");
    assert!(err.status.success());
    let said = String::from_utf8_lossy(&err.stderr);
    assert!(
        said.contains("No contacts yet; `kith add` or `kith import` adds some."),
        "{said}"
    );
    env.ok(&["add", "Gone Person"]);
    env.ok(&["rm", "gone person"]);
    let said = env.kith().arg("list").output().expect("run").stderr;
    assert!(
        String::from_utf8_lossy(&said).contains("`kith list --archived` lists them"),
        "{}",
        String::from_utf8_lossy(&said)
    );
    let said = env
        .kith()
        .args(["list", "--tag", "x"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&said.stderr).contains("No contacts match."));

    // A directory named with a trailing slash is made, and the backup lands inside.
    let dir = env.dir.path().join("backups");
    let named = format!("{}/", dir.display());
    let printed = env.ok(&["db", "backup", &named]);
    let written = std::path::PathBuf::from(printed.trim());
    assert!(written.starts_with(&dir) && written.is_file(), "{printed}");

    let missing = env.dir.path().join("nonexist.db");
    let err = env.fails(
        &["db", "restore", "--yes", &missing.display().to_string()],
        6,
    );
    assert!(err.contains("does not exist"), "{err}");
    let err = env.fails(&["db", "restore", "--yes", &dir.display().to_string()], 6);
    assert!(err.contains("is not a file"), "{err}");
}

/// In a real 80-column terminal (tmux), `show` and `today` print lines the terminal never
/// wraps: the pane captured with wrapped lines joined reads the same as without.
#[test]
fn in_a_real_80_column_terminal_nothing_wraps() {
    if !crate::common::have("tmux", "tmux", &["-V"]) {
        return;
    }
    let env = long_book();
    let kith = env!("CARGO_BIN_EXE_kith");
    for (n, args) in [
        "show maximiliana",
        "show 田中",
        "org show Extraordinarily",
        "today --days 14",
        "reminders",
        "list",
    ]
    .into_iter()
    .enumerate()
    {
        let socket = env.dir.path().join(format!("text{n}.sock"));
        let script = format!(
            "env -i PATH=\"$PATH\" TERM=xterm-256color NO_COLOR=1 LANG=C.UTF-8 TZ=UTC \
             KITH_NOW={NOW} KITH_DB='{}' HOME='{}' {kith} {args}; echo KITH-DONE; exec sleep 30",
            env.db.display(),
            env.dir.path().display()
        );
        let tmux = |more: &[&str]| {
            let out = Command::new("tmux")
                .arg("-S")
                .arg(&socket)
                .args(more)
                .output()
                .expect("run tmux");
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "80",
            "-y",
            "120",
            &script,
        ]);
        let start = Instant::now();
        let screen = loop {
            let screen = tmux(&["capture-pane", "-p"]);
            if screen.contains("KITH-DONE") {
                break screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "kith {args} did not finish:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        // -J keeps trailing spaces, which plain capture trims.
        let trimmed = |s: &str| s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
        let joined = tmux(&["capture-pane", "-p", "-J"]);
        tmux(&["kill-server"]);
        assert_eq!(
            trimmed(&screen),
            trimmed(&joined),
            "kith {args} wrapped in an 80-column pane"
        );
        assert!(screen.lines().count() > 3, "{screen}");
    }
}
