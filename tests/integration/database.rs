//! Opening the database: missing, locked, newer, not kith's, read-only; db path/check/backup.

use std::os::unix::fs::PermissionsExt;

use crate::common::{Env, dump, is_root, run_unprivileged};

#[test]
fn a_missing_database_is_reported_not_created_by_reads() {
    let env = Env::new();
    for args in [
        &["list"][..],
        &["show", "ada"],
        &["tags"],
        &["reminders"],
        &["db", "check"],
    ] {
        let err = env.fails(args, 6);
        assert!(
            err.contains("kith.db") && err.contains("no kith database"),
            "{args:?}: {err}"
        );
    }
    assert!(!env.db.exists(), "a read created the database");
    assert_eq!(env.ok(&["db", "path"]).trim(), env.db.to_str().unwrap());
}

#[test]
fn a_locked_database_fails_cleanly_and_changes_nothing() {
    let env = Env::new();
    env.ok(&["add", "Ada"]);
    let before = env.dump();
    let locker = rusqlite::Connection::open(&env.db).unwrap();
    locker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let err = env.fails(&["add", "Grace"], 6);
    assert!(err.contains("busy") || err.contains("locked"), "{err}");
    locker.execute_batch("ROLLBACK").unwrap();
    drop(locker);
    assert_eq!(env.dump(), before);
    env.ok(&["add", "Grace"]);
}

#[test]
fn a_newer_schema_is_refused_with_the_versions() {
    let env = Env::new();
    env.ok(&["add", "Ada"]);
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        conn.execute(
            "UPDATE kith_meta SET value = '7.1.0' WHERE key = 'requires_kith'",
            [],
        )
        .unwrap();
    }
    let before = env.dump();
    let err = env.fails(&["list"], 6);
    assert!(err.contains("newer kith") && err.contains("99"), "{err}");
    assert!(err.contains("needs kith 7.1.0 or newer"), "{err}");
    env.fails(&["add", "Grace"], 6);
    assert_eq!(env.dump(), before);
}

#[test]
fn files_that_are_not_kith_databases_are_refused() {
    let env = Env::new();
    std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    std::fs::write(&env.db, "BEGIN:VCARD\nEND:VCARD\n").unwrap();
    let err = env.fails(&["list"], 6);
    assert!(err.contains("not a kith database"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&env.db).unwrap(),
        "BEGIN:VCARD\nEND:VCARD\n"
    );

    let other = env.dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let err = env.fails(&["--db", other.to_str().unwrap(), "list"], 6);
    assert!(err.contains("not a kith database"), "{err}");
}

/// Run as an unprivileged user when the tests run as root (file permissions do not stop
/// root), owning the env's files as a user owns their book.
#[test]
fn unreadable_files_and_read_only_directories() {
    let env = Env::new();
    env.ok(&["add", "Ada"]);
    let before = env.dump();
    let dir = env.dir.path().join("readonly");
    std::fs::create_dir(&dir).unwrap();
    if is_root() {
        for path in [env.dir.path(), env.db.parent().unwrap(), &env.db, &dir] {
            std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
        }
    }
    let expect_failure = |args: &[&str], code: i32, says: &str| -> bool {
        let Some(out) = run_unprivileged(&env, args) else {
            return false;
        };
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "kith {args:?}: {err}");
        assert!(err.contains(says), "kith {args:?}: {err}");
        true
    };
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o000)).unwrap();
    if !expect_failure(&["list"], 6, "kith.db") {
        return;
    }
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).unwrap();

    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o500)).unwrap();
    let db = dir.join("kith.db");
    expect_failure(
        &["--db", db.to_str().unwrap(), "add", "Grace"],
        7,
        "readonly",
    );
    assert!(!db.exists());
    assert_eq!(env.dump(), before);
}

#[test]
fn check_backup_completions_and_man() {
    let env = Env::new();
    env.ok(&["add", "Ada", "--email", "ada@example.com"]);
    let out = env.ok(&["db", "check"]);
    assert!(out.starts_with("ok:"), "{out}");
    assert_eq!(env.json(&["db", "check"])["ok"], true);

    let backup = env.dir.path().join("backup.db");
    env.ok(&["db", "backup", backup.to_str().unwrap()]);
    assert_eq!(dump(&backup), env.dump());
    assert_eq!(
        std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // A backup never overwrites.
    let err = env.fails(&["db", "backup", backup.to_str().unwrap()], 6);
    assert!(err.contains("already exists"), "{err}");
    let named = env.ok(&["db", "backup"]);
    assert!(std::path::Path::new(named.trim()).exists(), "{named}");

    let bash = env.ok(&["completions", "bash"]);
    assert!(bash.contains("kith") && bash.contains("complete"), "{bash}");
    let man = env.ok(&["man"]);
    assert!(man.contains(".TH kith"), "{}", &man[..200.min(man.len())]);
}

#[test]
fn help_documents_examples_and_exit_codes() {
    let env = Env::new();
    let help = env.ok(&["--help"]);
    assert!(
        help.contains("Exit codes") && help.contains("4  a name matched several"),
        "{help}"
    );
    for command in [
        "add", "edit", "rm", "list", "show", "tag", "log", "remind", "link",
    ] {
        let help = env.ok(&[command, "--help"]);
        assert!(
            help.contains("Example"),
            "kith {command} --help has no example:\n{help}"
        );
    }
}
