//! What a script relies on: exit codes that mean something, errors it can parse, and a read
//! command that never changes a file it was pointed at.

use crate::common::Env;

fn stderr_json(out: &std::process::Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&out.stderr);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("stderr is not JSON ({e}): {text}"))
}

#[test]
fn find_and_grep_without_a_match_exit_3() {
    let env = Env::new();
    env.ok(&["add", "Ann Lee", "--note", "likes budgets"]);
    let err = env.fails(&["find", "zzzz"], 3);
    assert!(err.contains("no contact matches \"zzzz\""), "{err}");
    let err = env.fails(&["grep", "zzzz"], 3);
    assert!(err.contains("zzzz"), "{err}");
    // A match is still exit 0.
    assert!(env.ok(&["find", "ann"]).contains("Ann Lee"));
    assert!(env.ok(&["grep", "budgets"]).contains("Ann Lee"));
}

#[test]
fn json_errors_are_json_on_stderr_with_their_exit_code() {
    let env = Env::new();
    env.ok(&["add", "Ann Lee"]);
    env.ok(&["add", "Ann Low"]);

    let out = env
        .kith()
        .args(["find", "zzzz", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    let report = stderr_json(&out);
    assert_eq!(report["error"], "not_found");
    assert_eq!(report["exit_code"], 3);

    let out = env.kith().args(["show", "ann", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let report = stderr_json(&out);
    assert_eq!(report["error"], "ambiguous");
    let names: Vec<&str> = report["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["Ann Lee", "Ann Low"]);
    assert!(report["candidates"][0]["id"].is_i64());

    let out = env
        .kith()
        .args(["log", "nobody-like-this", "x", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(stderr_json(&out)["error"], "not_found");
}

#[test]
fn a_read_command_leaves_an_empty_or_foreign_file_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let empty = env.dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o644)).unwrap();
    for command in [
        &["today"][..],
        &["list"],
        &["show", "ann"],
        &["find", "ann"],
    ] {
        let out = env
            .kith()
            .env("KITH_DB", &empty)
            .args(command)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(6), "{command:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("not a kith database"));
    }
    let meta = std::fs::metadata(&empty).unwrap();
    assert_eq!(meta.len(), 0, "the empty file was written to");
    assert_eq!(
        meta.permissions().mode() & 0o777,
        0o644,
        "its mode was changed"
    );

    // Another program's SQLite database: refused by reads and writes, and untouched.
    let foreign = env.dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&foreign).unwrap();
    conn.execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('mine');")
        .unwrap();
    drop(conn);
    std::fs::set_permissions(&foreign, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&foreign).unwrap();
    for command in [&["today"][..], &["add", "Ann Lee"]] {
        let out = env
            .kith()
            .env("KITH_DB", &foreign)
            .args(command)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(6), "{command:?}");
    }
    assert_eq!(std::fs::read(&foreign).unwrap(), before);
    let mode = std::fs::metadata(&foreign).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o644);
    assert!(!env.dir.path().join("other.db-wal").exists());

    // A command that writes may make an empty file into a book.
    let out = env
        .kith()
        .env("KITH_DB", &empty)
        .args(["add", "Ann Lee"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(std::fs::metadata(&empty).unwrap().len() > 0);
}

#[test]
fn output_to_a_full_disk_exits_7() {
    let env = Env::new();
    env.ok(&["add", "Ann Lee"]);
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("note: no /dev/full here; skipped");
        return;
    };
    let out = crate::common::kith_process(&env)
        .args(["export", "--format", "json"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
    assert!(String::from_utf8_lossy(&out.stderr).contains("No space left"));
}

#[test]
fn a_usage_error_under_json_is_json_too() {
    let env = Env::new();
    env.ok(&["add", "Ann Lee"]);
    let out = env
        .kith()
        .args(["--json", "today", "--days", "999"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report = stderr_json(&out);
    assert_eq!(report["error"], "usage");
    assert!(report["detail"].as_str().unwrap_or("").contains("999"));
    // --help stays help, on stdout.
    let out = env
        .kith()
        .args(["--json", "show", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
}
