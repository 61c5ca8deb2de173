//! What reaches a human's terminal: no raw control characters, no colour when piped or NO_COLOR.

use crate::common::Env;

const HOSTILE: &str = "Eve \u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}Evil\u{9b}31m";

#[test]
fn stored_text_is_sanitized_in_human_output_and_exact_in_json() {
    let env = Env::new();
    env.ok(&[
        "add",
        HOSTILE,
        "--new-org",
        "Bad\u{1b}[31mCorp",
        "--note",
        "line one\n\u{1b}]52;c;Zm9v\u{7}line two",
        "--title",
        "Boss\u{8}\u{8}",
    ]);
    env.ok(&["log", "#1", "--via", "call", "Said \u{1b}[5mhi"]);
    env.ok(&["remind", "#1", "do \u{1b}[1mit", "--due", "tomorrow"]);
    for args in [
        &["list"][..],
        &["show", "#1"],
        &["org", "show", "#1"],
        &["org", "list"],
        &["reminders"],
        &["tags"],
    ] {
        let out = env.kith().args(args).output().unwrap();
        assert!(out.status.success());
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.chars().any(
                    |c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)
                ),
                "kith {args:?} printed a raw control character: {text:?}"
            );
        }
    }
    let json = env.json(&["show", "#1"]);
    assert_eq!(json["contact"]["display_name"], HOSTILE);
}

#[test]
fn ambiguity_lists_are_sanitized_too() {
    let env = Env::new();
    env.ok(&["add", "Eve \u{1b}[31mOne"]);
    env.ok(&["add", "Eve \u{1b}[31mTwo"]);
    let err = env.fails(&["show", "eve"], 4);
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

#[test]
fn no_colour_when_piped() {
    let env = Env::new();
    env.ok(&["add", "Ada", "--tag", "client"]);
    env.ok(&["remind", "ada", "overdue thing", "--due", "yesterday"]);
    for args in [&["list"][..], &["show", "ada"], &["reminders"]] {
        let out = env.ok(args);
        assert!(
            !out.contains('\u{1b}'),
            "kith {args:?} coloured piped output: {out:?}"
        );
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let env = Env::new();
    for i in 0..200 {
        env.ok(&["add", &format!("Person {i:03}")]);
    }
    let status = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail 2>/dev/null; '{}' list | head -n 1 >/dev/null",
            assert_cmd::cargo::cargo_bin("kith").display()
        ))
        .env("KITH_DB", &env.db)
        .env("KITH_NOW", crate::common::NOW)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(
        status.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// A list far longer than a pipe holds (64 KiB), read for its first line only: kith meets
/// the closed pipe mid-table and must stop there, quietly and successfully, having printed
/// the table's header first.
#[test]
fn a_long_list_stops_quietly_when_the_reader_goes() {
    use std::io::{BufRead, BufReader};
    let env = Env::new();
    let cards: String = (0..3000)
        .map(|i| {
            format!(
                "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i:04} Longname\r\n\
                 EMAIL:person{i:04}.with.a.long.address@example.org\r\nEND:VCARD\r\n"
            )
        })
        .collect();
    let file = env.dir.path().join("many.vcf");
    std::fs::write(&file, cards).unwrap();
    env.ok(&["import", file.to_str().unwrap()]);
    let mut child = crate::common::kith_process(&env)
        .args(["list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is gone: kith's next write fails with a broken pipe.
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with("  ID  NAME"), "{first:?}");
    assert!(out.status.success(), "{:?}", out.status);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `kith list` writes its lines as it reads them, its columns laid out from a first page
/// of 500: a list longer than that is every contact in name order, its later lines in the
/// first page's columns; a later name wider than the first page's is written whole to a
/// pipe and cut to fit a terminal's width.
#[test]
fn a_list_longer_than_a_page_keeps_the_first_pages_columns() {
    let env = Env::new();
    let mut cards: String = (0..600)
        .map(|i| {
            format!(
                "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i:03}\r\n\
                 EMAIL:p{i:03}@example.org\r\nEND:VCARD\r\n"
            )
        })
        .collect();
    let long = "Zelda Of A Name Far Longer Than Any Of The First Page";
    cards.push_str(&format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{long}\r\nEMAIL:zelda@example.org\r\nEND:VCARD\r\n"
    ));
    let file = env.dir.path().join("many.vcf");
    std::fs::write(&file, cards).unwrap();
    env.ok(&["import", file.to_str().unwrap()]);

    let out = env.ok(&["list"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1 + 601, "{out}");
    let email_at = lines[0].find("EMAIL").unwrap();
    for (i, line) in lines[1..601].iter().enumerate() {
        assert!(
            line.contains(&format!("Person {i:03}")),
            "line {i}: {line:?}"
        );
        assert_eq!(line.find(" p").map(|at| at + 1), Some(email_at), "{line:?}");
    }
    let last = lines[601];
    assert!(last.contains(long), "{last:?}");
    assert!(last.contains("zelda@example.org"), "{last:?}");

    let narrow = env
        .kith()
        .env("COLUMNS", "60")
        .arg("list")
        .output()
        .unwrap();
    assert!(narrow.status.success());
    let narrow = String::from_utf8(narrow.stdout).unwrap();
    assert_eq!(narrow.lines().count(), 1 + 601);
    for line in narrow.lines() {
        assert!(line.chars().count() <= 60, "{line:?}");
    }
    // Cut to the first page's name column, as a terminal's line must not wrap.
    let last = narrow.lines().last().unwrap();
    assert!(last.contains("Zelda") && last.contains('…'), "{narrow}");
}
