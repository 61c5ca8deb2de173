//! Hostile input (docs/RELIABILITY.md, "Hostile text"): an adversarial corpus through every
//! importer and then every human output path. No panic (only the documented exit codes), memory
//! bounded (every run under `ulimit -v`), no raw control character on the terminal, JSON exact.
//!
//! The small corpus is committed in `tests/fixtures/hostile/`; the per-field records and the
//! large inputs (a 10 MB field, thousands of folded lines, a huge CSV row) are generated here.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{Env, NOW};

/// Address space every kith run gets, in KiB: far above what a 10 MB input needs, far below
/// what a runaway copy loop would take.
const MEMORY_LIMIT_KIB: u64 = 1_024 * 1_024;

/// The payloads: terminal escapes (CSI, OSC title and hyperlink, clipboard), bidi overrides,
/// C0 and C1 controls, NUL, DEL.
const PAYLOADS: &[&str] = &[
    "\u{1b}[31mRED\u{1b}[0m\u{1b}[2J\u{1b}[H",
    "\u{1b}]0;pwned title\u{7}\u{1b}]8;;https://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\",
    "\u{1b}]52;c;Y2xpcA==\u{7}",
    "\u{202e}evil\u{202c} \u{2066}iso\u{2069} \u{202a}\u{202b}\u{202d}",
    "bell\u{7} bs\u{8} vt\u{b} ff\u{c} nul\u{0} del\u{7f}",
    "c1\u{9b}31m \u{85}next \u{8d}\u{9d}",
    "cr\rover",
];

fn is_raw_control(c: char) -> bool {
    (c.is_control() && c != '\n')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}

/// Run kith under the memory limit; check the exit code is a documented one and that what it
/// printed for a human holds no raw control character.
fn run(env: &Env, args: &[&str]) -> Output {
    let out = std::process::Command::new("bash")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("TZ", "UTC")
        .env("KITH_NOW", NOW)
        .env("KITH_DB", &env.db)
        .env("KITH_BUSY_TIMEOUT_MS", "2000")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_LIMIT_KIB}; exec \"$0\" \"$@\""))
        .arg(assert_cmd::cargo::cargo_bin("kith"))
        .args(args)
        .output()
        .expect("run kith under bash");
    let code = out.status.code();
    assert!(
        code.is_some_and(|c| (0..=8).contains(&c)),
        "kith {}: exit {:?} (a panic is 101, a signal none)\nstderr: {}",
        short(args),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    // CSV on a pipe is data, kept exact; on a terminal it is checked
    // by `on_a_terminal_data_formats_are_made_visible_too`.
    // JSON escapes what a terminal would act on, so it is checked like any other output.
    let json = args.contains(&"csv");
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        if json && stream == "stdout" {
            continue;
        }
        let text = std::str::from_utf8(bytes)
            .unwrap_or_else(|e| panic!("kith {}: {stream} is not UTF-8: {e}", short(args)));
        if let Some(c) = text.chars().find(|c| is_raw_control(*c)) {
            let at = text.find(c).unwrap_or(0);
            let from = text[..at]
                .char_indices()
                .rev()
                .nth(40)
                .map_or(0, |(i, _)| i);
            panic!(
                "kith {}: raw {:?} on {stream} near {:?}",
                short(args),
                c,
                &text[from..(at + 8).min(text.len())]
            );
        }
    }
    out
}

/// Arguments for a failure message, without a 10 MB value in it.
fn short(args: &[&str]) -> String {
    args.iter()
        .map(|a| {
            if a.len() > 80 {
                format!("{}...({} bytes)", &a[..a.floor_char_boundary(60)], a.len())
            } else {
                format!("{a:?}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn json_of(env: &Env, args: &[&str]) -> serde_json::Value {
    let out = run(env, args);
    assert!(out.status.success(), "kith {}", short(args));
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// Every contact, active and archived, as `list --json` gives them.
fn every_contact(env: &Env) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    for args in [&["list", "--json"][..], &["list", "--archived", "--json"]] {
        if let serde_json::Value::Array(list) = json_of(env, args) {
            all.extend(list);
        }
    }
    all
}

/// Every human view of everything stored, and their JSON twins.
fn every_output_path(env: &Env) {
    for args in [
        &["list"][..],
        &["list", "--archived"],
        &["list", "--format", "csv"],
        &["tags"],
        &["org", "list"],
        &["reminders", "--all"],
        &["reminders", "--all", "--format", "csv"],
        &["today", "--days", "60"],
        &["db", "check"],
    ] {
        run(env, args);
        let mut with_json = args.to_vec();
        if !with_json.contains(&"--format") {
            with_json.push("--json");
            run(env, &with_json);
        }
    }
    for (i, c) in every_contact(env).iter().enumerate() {
        let id = format!("#{}", c["id"]);
        run(env, &["show", &id]);
        // A name as typed: resolution, ambiguity lists and not-found errors (a sample, to
        // keep the suite fast; `list --json` above already showed every record's JSON).
        if i % 4 == 0
            && let Some(name) = c["display_name"].as_str()
        {
            run(env, &["show", name]);
            run(env, &["show", &id, "--json"]);
        }
    }
    let orgs = json_of(env, &["org", "list", "--json"]);
    for o in orgs.as_array().expect("a list") {
        run(env, &["org", "show", &format!("#{}", o["id"])]);
        if let Some(name) = o["name"].as_str() {
            run(env, &["org", "show", name]);
        }
    }
    // Error messages quoting hostile text typed on the command line.
    for p in PAYLOADS {
        if p.contains('\0') {
            continue; // not passable as an argument
        }
        run(env, &["show", p]);
        run(env, &["add", "Someone", "--email", p]);
        run(env, &["log", p, "note"]);
        run(env, &["remind", "#1", "x", "--due", p]);
        run(env, &["org", "show", p]);
    }
}

/// Import `file` as `format`: a dry run, then for real skipping what is invalid.
fn import(env: &Env, file: &Path, format: &str) {
    let path = file.to_str().expect("utf-8 path");
    run(env, &["import", "--format", format, "--dry-run", path]);
    run(
        env,
        &["import", "--format", format, "--dry-run", "--json", path],
    );
    run(env, &["import", "--format", format, path]);
    run(env, &["import", "--format", format, "--skip-invalid", path]);
}

#[test]
fn the_committed_hostile_corpus_through_every_importer_and_output() {
    let cases = [
        ("contacts.vcf", "vcard"),
        ("broken.vcf", "vcard"),
        ("generic.csv", "csv"),
        ("google.csv", "google"),
        ("google.csv", "csv"),
        ("outlook.csv", "outlook"),
        ("linkedin.csv", "linkedin"),
        ("linkedin.csv", "csv"),
        ("invalid-utf8.csv", "csv"),
        ("world.json", "json"),
        ("world.jsonl", "jsonl"),
        ("broken.jsonl", "jsonl"),
        ("broken.jsonl", "json"),
        // The wrong importer for the bytes is hostile input too.
        ("contacts.vcf", "csv"),
        ("generic.csv", "vcard"),
        ("world.jsonl", "json"),
    ];
    let env = Env::new();
    for (file, format) in cases {
        import(&env, &fixtures().join(file), format);
    }
    let stored = every_contact(&env);
    assert!(
        stored.len() >= 10,
        "the corpus should leave plenty stored to show: {stored:?}"
    );
    every_output_path(&env);
}

/// vCard text escaping of one value.
fn vcard_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// One record per (field, payload): the payload in that field only, so the rest of the record
/// is valid and whatever the importer keeps reaches the database and the output paths.
fn per_field_corpus(dir: &Path) -> Vec<(PathBuf, &'static str)> {
    let mut files = Vec::new();

    let mut vcf = String::new();
    let fields = [
        "FN",
        "N",
        "NICKNAME",
        "ORG",
        "TITLE",
        "EMAIL",
        "TEL",
        "ADR",
        "URL",
        "NOTE",
        "CATEGORIES",
        "BDAY",
        "ANNIVERSARY",
        "X-SOCIALPROFILE",
        "IMPP",
        "X-CUSTOM",
        "ROLE",
        "UID",
    ];
    for (f, field) in fields.iter().enumerate() {
        for (p, payload) in PAYLOADS.iter().enumerate() {
            let value = vcard_escape(payload);
            vcf.push_str("BEGIN:VCARD\r\nVERSION:3.0\r\n");
            if *field != "FN" {
                vcf.push_str(&format!("FN:Vcard {field} {p}\r\n"));
            }
            if *field == "UID" {
                vcf.push_str(&format!("UID:{value}{f}{p}\r\n"));
            } else if *field == "ADR" {
                vcf.push_str(&format!("ADR;TYPE=work:;;{value};City;;;Land\r\n"));
            } else {
                vcf.push_str(&format!("{field}:{value}\r\n"));
            }
            // The payload in a parameter and a group name, too.
            vcf.push_str(&format!(
                "item{p}.TEL;TYPE=\"{}\":+1 555 01{f:02}\r\nEND:VCARD\r\n",
                payload.replace(['"', '\r', '\n'], "")
            ));
        }
    }
    let path = dir.join("per-field.vcf");
    std::fs::write(&path, vcf).unwrap();
    files.push((path, "vcard"));

    let csv_layouts: [(&str, &str, &[&str]); 4] = [
        (
            "csv",
            "",
            &[
                "Name",
                "Email",
                "Phone",
                "Company",
                "Title",
                "Notes",
                "Tags",
                "Birthday",
                "Address",
                "Website",
                "Nickname",
                "Unknown Column",
            ],
        ),
        (
            "google",
            "",
            &[
                "First Name",
                "Last Name",
                "Nickname",
                "Organization Name",
                "Organization Title",
                "Birthday",
                "Notes",
                "Labels",
                "E-mail 1 - Label",
                "E-mail 1 - Value",
                "Phone 1 - Label",
                "Phone 1 - Value",
                "Address 1 - Formatted",
                "Website 1 - Value",
            ],
        ),
        (
            "outlook",
            "",
            &[
                "First Name",
                "Last Name",
                "E-mail Address",
                "Business Phone",
                "Mobile Phone",
                "Job Title",
                "Company",
                "Business Street",
                "Birthday",
                "Notes",
                "Categories",
                "Web Page",
            ],
        ),
        (
            "linkedin",
            "Notes:\r\n\"When exporting your connection data, some addresses are missing.\"\r\n\r\n",
            &[
                "First Name",
                "Last Name",
                "URL",
                "Email Address",
                "Company",
                "Position",
                "Connected On",
            ],
        ),
    ];
    for (format, preamble, headers) in csv_layouts {
        let mut text = String::from(preamble);
        text.push_str(&headers.join(","));
        text.push_str("\r\n");
        for column in 0..headers.len() {
            for (p, payload) in PAYLOADS.iter().enumerate() {
                let row: Vec<String> = (0..headers.len())
                    .map(|i| {
                        if i == column {
                            csv_cell(payload)
                        } else if i == 0 {
                            format!("Csv{column}x{p}")
                        } else {
                            String::new()
                        }
                    })
                    .collect();
                text.push_str(&row.join(","));
                text.push_str("\r\n");
            }
        }
        let path = dir.join(format!("per-field-{format}.csv"));
        std::fs::write(&path, text).unwrap();
        files.push((path, format));
    }

    let path = dir.join("per-field.jsonl");
    std::fs::write(&path, jsonl_corpus()).unwrap();
    files.push((path, "jsonl"));
    files
}

/// The JSONL corpus: contacts with a payload in one field each, an organization, interactions
/// and follow-ups with payloads in their text.
fn jsonl_corpus() -> String {
    use serde_json::json;
    let mut lines = Vec::new();
    lines.push(json!({"type": "organization", "uid": "org-plain", "name": "Plain Org"}));
    for (p, payload) in PAYLOADS.iter().enumerate() {
        lines.push(json!({"type": "organization", "uid": format!("org-{p}"),
            "name": format!("Org {p} {payload}"), "notes": payload, "domain": payload}));
        for field in [
            "display_name",
            "given_name",
            "family_name",
            "nickname",
            "organization",
            "title",
            "notes",
            "birthday",
            "preferred_channel",
            "cadence",
        ] {
            let mut c = json!({"type": "contact", "uid": format!("c-{field}-{p}"),
                "display_name": format!("Json {field} {p}")});
            c[field] = json!(payload);
            lines.push(c);
        }
        for list in ["emails", "phones", "addresses", "urls", "socials"] {
            lines.push(json!({"type": "contact", "uid": format!("c-{list}-{p}"),
                "display_name": format!("Json {list} {p}"),
                list: [{"label": payload, "value": payload}]}));
            lines.push(
                json!({"type": "contact", "uid": format!("c-{list}-label-{p}"),
                "display_name": format!("Json {list} label {p}"),
                list: [{"label": payload, "value": "ok@example.com"}]}),
            );
        }
        lines.push(json!({"type": "contact", "uid": format!("c-tags-{p}"),
            "display_name": format!("Json tags {p}"), "tags": [payload]}));
        // A kept vCard line carrying the payload (refused, as not one line, when it holds
        // a line break or NUL).
        lines.push(json!({"type": "contact", "uid": format!("c-extra-{p}"),
            "display_name": format!("Json extra {p}"), "extra": [format!("X-HOSTILE:{payload}")]}));
        lines.push(json!({"type": "interaction", "uid": format!("i-{p}"),
            "occurred_at": "2026-11-20T10:00:00Z", "channel": "call",
            "summary": format!("Summary {payload}"), "body": payload,
            "participants": [format!("c-display_name-{p}"), format!("c-notes-{p}")]}));
        lines.push(json!({"type": "reminder", "uid": format!("r-{p}"),
            "text": format!("Todo {payload}"), "due": "2026-11-25",
            "contact": format!("c-notes-{p}"), "interaction": format!("i-{p}")}));
        lines.push(json!({"type": "reminder", "uid": format!("r-org-{p}"),
            "text": format!("Org todo {payload}"), "due": "2026-11-20",
            "organization": "org-plain"}));
    }
    lines.iter().map(|l| format!("{l}\n")).collect::<String>()
}

#[test]
fn a_payload_in_every_field_of_every_importer_reaches_no_terminal() {
    let env = Env::new();
    let files = per_field_corpus(env.dir.path());
    for (file, format) in &files {
        import(&env, file, format);
    }
    every_output_path(&env);

    // JSON output stays exact: what the JSON importer stored comes back byte for byte.
    let stored = every_contact(&env);
    let mut checked = 0;
    for (p, payload) in PAYLOADS.iter().enumerate() {
        for field in ["display_name", "notes", "title", "nickname"] {
            let uid = format!("c-{field}-{p}");
            let Some(c) = stored.iter().find(|c| c["uid"] == uid.as_str()) else {
                continue; // refused by validation, which the import report said
            };
            assert_eq!(c[field].as_str(), Some(*payload), "{uid}: {c}");
            checked += 1;
        }
    }
    assert!(
        checked >= 8,
        "too few payloads were stored to check: {checked}"
    );
    let reminders = json_of(&env, &["reminders", "--all", "--json"]);
    let texts: Vec<&str> = reminders
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["text"].as_str())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains('\u{1b}')),
        "a follow-up with an escape sequence should be stored exactly: {texts:?}"
    );
}

#[test]
fn huge_fields_folded_lines_and_rows_are_handled_in_bounded_memory() {
    let env = Env::new();
    let dir = env.dir.path();
    let ten_mb = "\u{1b}[31m".to_string() + &"A\u{202e}b\u{7}".repeat(10 * 1024 * 1024 / 6);

    // A 10 MB NOTE in a vCard, folded every 74 octets: ~140k continuation lines.
    let mut vcf = String::from("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Huge Note\r\n");
    let note = format!("NOTE:{}", vcard_escape(&ten_mb));
    let mut line = String::new();
    for c in note.chars() {
        if line.len() + c.len_utf8() > 74 {
            vcf.push_str(&line);
            vcf.push_str("\r\n ");
            line.clear();
        }
        line.push(c);
    }
    vcf.push_str(&line);
    vcf.push_str("\r\nEND:VCARD\r\n");
    // Thousands of one-character continuation lines in a note.
    vcf.push_str("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Folded\r\nNOTE:Folded");
    for i in 0..20_000 {
        vcf.push_str(&format!("\r\n {}", (b'a' + (i % 26) as u8) as char));
    }
    vcf.push_str("\r\nEMAIL:folded@example.com\r\nEND:VCARD\r\n");
    let vcf_path = dir.join("huge.vcf");
    std::fs::write(&vcf_path, &vcf).unwrap();
    drop(vcf);

    // A huge CSV row: a 10 MB cell and 50 000 columns.
    let mut csv = String::from("Name,Notes");
    for i in 0..50_000 {
        csv.push_str(&format!(",Extra {i}"));
    }
    csv.push_str("\r\nHuge Row,");
    csv.push_str(&csv_cell(&ten_mb));
    for _ in 0..50_000 {
        csv.push_str(",=1+1");
    }
    csv.push_str("\r\n");
    let csv_path = dir.join("huge.csv");
    std::fs::write(&csv_path, &csv).unwrap();
    drop(csv);

    // A 10 MB field in JSONL.
    let jsonl = serde_json::json!({"type": "contact", "uid": "huge-json",
        "display_name": "Huge Json", "notes": ten_mb})
    .to_string();
    let jsonl_path = dir.join("huge.jsonl");
    std::fs::write(&jsonl_path, jsonl + "\n").unwrap();

    for (file, format) in [
        (&vcf_path, "vcard"),
        (&csv_path, "csv"),
        (&jsonl_path, "jsonl"),
    ] {
        let path = file.to_str().unwrap();
        run(&env, &["import", "--format", format, "--dry-run", path]);
        run(&env, &["import", "--format", format, path]);
    }
    let stored = json_of(&env, &["show", "huge-json", "--json"]);
    assert_eq!(
        stored["contact"]["notes"].as_str().map(str::len),
        Some(ten_mb.len()),
        "the 10 MB note is kept whole"
    );
    let folded = json_of(&env, &["show", "folded@example.com", "--json"]);
    assert_eq!(
        folded["contact"]["notes"].as_str().map(str::len),
        Some("Folded".len() + 20_000)
    );
    for args in [&["list"][..], &["show", "huge-json"], &["show", "folded"]] {
        run(&env, args);
    }
    // Every export of it, under the same memory limit.
    for format in ["json", "jsonl", "vcard", "csv", "ics"] {
        let out = dir.join(format!("out.{format}"));
        run(
            &env,
            &["export", "--format", format, "--out", out.to_str().unwrap()],
        );
    }
}

#[test]
fn csv_export_guards_every_formula_looking_cell() {
    let env = Env::new();
    let formulas = [
        "=cmd|' /C calc'!A0",
        "+SUM(1+1)*cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ];
    let mut csv = String::from("Name,Company,Title,Notes\r\n");
    for (i, f) in formulas.iter().enumerate() {
        let cell = csv_cell(f);
        csv.push_str(&format!("{cell} {i},{cell},{cell},{cell}\r\n"));
    }
    let path = env.dir.path().join("formulas.csv");
    std::fs::write(&path, csv).unwrap();
    env.ok(&["import", path.to_str().unwrap()]);

    let exported = env.ok(&["export", "--format", "csv"]);
    let mut reader = csv::ReaderBuilder::new().from_reader(exported.as_bytes());
    let mut cells = 0;
    for row in reader.records() {
        for cell in row.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "unguarded cell {cell:?}"
            );
            // The importer trims a leading tab or CR; what is left is still guarded.
            if cell.starts_with("'") && formulas.iter().any(|f| cell[1..] == *f.trim_start()) {
                cells += 1;
            }
        }
    }
    assert!(cells >= formulas.len() * 3, "only {cells} guarded cells");

    // Without the guard the cells are exact, for a pipeline that wants them so.
    let raw = env.ok(&["export", "--format", "csv", "--no-formula-guard"]);
    assert!(raw.contains(formulas[0]) && !raw.contains(&format!("'{}", formulas[0])));
}

/// Run `kith args` on a pseudo-terminal (util-linux `script`), colour off, and return what the
/// terminal received (stdout and stderr together). `None` when `script` is not installed.
fn on_terminal(env: &Env, args: &[&str]) -> Option<String> {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let kith = assert_cmd::cargo::cargo_bin("kith");
    let command = format!(
        "ulimit -v {MEMORY_LIMIT_KIB}; exec {} {}",
        quote(kith.to_str()?),
        args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
    );
    let out = std::process::Command::new("script")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("TZ", "UTC")
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("KITH_NOW", NOW)
        .env("KITH_DB", &env.db)
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    let code = out.status.code();
    assert!(
        code.is_some_and(|c| (0..=8).contains(&c)),
        "kith {args:?} on a terminal: {:?}",
        out.status
    );
    Some(String::from_utf8(out.stdout).expect("UTF-8 on the terminal"))
}

#[test]
fn on_a_terminal_data_formats_are_made_visible_too() {
    let env = Env::new();
    let files = per_field_corpus(env.dir.path());
    for (file, format) in files
        .iter()
        .filter(|(_, f)| matches!(*f, "jsonl" | "vcard"))
    {
        let path = file.to_str().unwrap();
        env.kith()
            .args(["import", "--skip-invalid", "--format", format, path])
            .output()
            .unwrap();
    }
    for args in [
        &["list"][..],
        &["list", "--format", "csv"],
        &["reminders", "--all", "--format", "csv"],
        &["today", "--days", "60"],
        &["export"],
        &["export", "--format", "jsonl"],
        &["export", "--format", "vcard"],
        &["export", "--format", "csv"],
        &["export", "--format", "ics"],
        &["show", "Json notes 0"],
    ] {
        let Some(screen) = on_terminal(&env, args) else {
            crate::common::missing("util-linux `script`");
            return;
        };
        // The terminal turns each \n into \r\n; any other control character is kith's.
        let screen = screen.replace("\r\n", "\n");
        if let Some(c) = screen.chars().find(|c| is_raw_control(*c)) {
            let at = screen.find(c).unwrap_or(0);
            panic!(
                "kith {args:?}: raw {c:?} on the terminal near {:?}",
                &screen[screen.floor_char_boundary(at.saturating_sub(40))
                    ..screen.floor_char_boundary(at + 8)]
            );
        }
    }
}
