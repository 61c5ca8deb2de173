use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The fixed "now" every test runs at: Tuesday 2026-11-24 10:00 UTC.
pub const NOW: &str = "2026-11-24T10:00:00Z";

pub struct Env {
    pub dir: TempDir,
    pub db: PathBuf,
}

/// Whatever a test did, kith left no reference dangling: imports write without per-row
/// foreign key checks (`Store::bulk_write_or_roll_back`), so every test's book is checked.
impl Drop for Env {
    fn drop(&mut self) {
        if std::thread::panicking() || !self.db.exists() {
            return;
        }
        if let Some(broken) = self.broken_references() {
            assert!(broken.is_empty(), "dangling references: {broken:#?}");
        }
    }
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("data").join("kith.db");
        Env { dir, db }
    }

    /// The rows of this env's database whose foreign keys point nowhere (none is healthy),
    /// or None when there is no kith database to check.
    pub fn broken_references(&self) -> Option<Vec<String>> {
        let conn = rusqlite::Connection::open_with_flags(
            &self.db,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .ok()?;
        let mut stmt = conn
            .prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
            .ok()?;
        let rows = stmt
            .query_map([], |r| {
                Ok(format!(
                    "{} row {:?} -> {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, String>(2)?
                ))
            })
            .ok()?;
        rows.collect::<rusqlite::Result<_>>().ok()
    }

    /// `kith` with a cleared environment, the fixed clock and this env's database.
    pub fn kith(&self) -> Command {
        let mut cmd = Command::cargo_bin("kith").expect("kith binary");
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("TZ", "UTC")
            .env("KITH_NOW", NOW)
            .env("KITH_DB", &self.db)
            .env("KITH_BUSY_TIMEOUT_MS", "300");
        cmd
    }

    /// Run kith with `args`, expect success, return stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.kith().args(args).output().expect("run kith");
        assert!(
            out.status.success(),
            "kith {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Run kith with `args`, expect exit `code`, return stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.kith().args(args).output().expect("run kith");
        assert_eq!(
            out.status.code(),
            Some(code),
            "kith {args:?}: expected exit {code}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    /// Import `records` as JSON lines from stdin (`kith import --format jsonl -`), which must
    /// succeed.
    pub fn import_records(&self, records: &[serde_json::Value]) {
        let lines: String = records.iter().map(|r| format!("{r}\n")).collect();
        self.kith()
            .args(["import", "--format", "jsonl", "-"])
            .write_stdin(lines)
            .assert()
            .success();
    }

    /// Run kith with `args --json` and parse stdout. A search that finds nothing prints `[]`
    /// and exits 3 (`find`, `grep`): that is an answer too, and is returned as `[]`.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.push("--json");
        let out = self.kith().args(&all).output().expect("run kith");
        let text = String::from_utf8_lossy(&out.stdout);
        let found_nothing = out.status.code() == Some(3) && text.trim() == "[]";
        assert!(
            out.status.success() || found_nothing,
            "kith {all:?} failed with {:?}\nstdout: {text}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("kith {args:?} --json: {e}\n{text}"))
    }

    /// Every row of every table, in a stable order: what "unchanged" is checked against.
    pub fn dump(&self) -> String {
        dump(&self.db)
    }
}

pub fn dump(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("open db for dump");
    let mut out = String::new();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    out.push_str(&format!("user_version {version}\n"));
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .unwrap();
    let schema: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (name, sql) in &schema {
        out.push_str(sql);
        out.push('\n');
        if !sql.starts_with("CREATE TABLE") || name.starts_with("sqlite_") {
            continue;
        }
        let mut rows = conn
            .prepare(&format!("SELECT * FROM \"{name}\" ORDER BY 1, 2"))
            .unwrap();
        let cols = rows.column_count();
        let mut q = rows.query([]).unwrap();
        while let Some(row) = q.next().unwrap() {
            let values: Vec<String> = (0..cols)
                .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                .collect();
            out.push_str(&format!("{name}: {}\n", values.join(" | ")));
        }
    }
    out
}

/// Set (to anything but `0` or empty) by `.ci/run`: a test whose tool or condition is missing
/// fails instead of skipping, so CI cannot pass by skipping.
pub const REQUIRE_TOOLS_VAR: &str = "KITH_REQUIRE_TOOLS";

/// Whether missing tools fail the tests that need them (see [`REQUIRE_TOOLS_VAR`]).
pub fn tools_required() -> bool {
    std::env::var(REQUIRE_TOOLS_VAR).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The one decision for a test that cannot run because `what` is missing: under
/// `KITH_REQUIRE_TOOLS` it fails, naming `what`; otherwise it prints a note and the caller
/// returns early (skips).
#[track_caller]
pub fn missing(what: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    assert!(
        !tools_required(),
        "{test} needs {what}, which is missing, and {REQUIRE_TOOLS_VAR} is set: install it \
         (.ci/run does)"
    );
    eprintln!("note: {what} is missing; {test} skipped (with {REQUIRE_TOOLS_VAR}=1 it fails)");
}

/// True when `program args` runs and succeeds; otherwise [`missing`] decides, naming `what`.
#[track_caller]
pub fn have(what: &str, program: &str, args: &[&str]) -> bool {
    let runs = std::process::Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !runs {
        missing(what);
    }
    runs
}

/// True when running as root: file permissions do not stop root.
pub fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// `program` as a plain process (to spawn, kill or run as another user), with the same
/// hermetic environment as `Env::kith`.
pub fn hermetic(env: &Env, program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
    let mut cmd = std::process::Command::new(program);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("TZ", "UTC")
        .env("KITH_NOW", NOW)
        .env("KITH_DB", &env.db);
    cmd
}

/// `kith` as a plain process, see [`hermetic`].
pub fn kith_process(env: &Env) -> std::process::Command {
    hermetic(env, assert_cmd::cargo::cargo_bin("kith"))
}

/// A small deterministic generator for the crash tests, so a failing run repeats from its
/// printed seed.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// Run kith at `now` (RFC 3339) and expect success; stdout.
pub fn at(env: &Env, now: &str, args: &[&str]) -> String {
    at_in(env, None, now, args)
}

/// [`at`] in the time zone `tz` (an IANA name; None: the tests' own).
pub fn at_in(env: &Env, tz: Option<&str>, now: &str, args: &[&str]) -> String {
    let mut kith = env.kith();
    if let Some(tz) = tz {
        kith.env("TZ", tz);
    }
    let out = kith
        .env("KITH_NOW", now)
        .args(args)
        .output()
        .expect("run kith");
    assert!(
        out.status.success(),
        "kith {args:?} at {now} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Run `kith args` as an unprivileged user when the tests run as root (where file permissions
/// would not apply), as this user otherwise. `None` when that user cannot run the binary
/// (then [`missing`] has decided: the caller returns).
#[track_caller]
pub fn run_unprivileged(env: &Env, args: &[&str]) -> Option<std::process::Output> {
    use std::os::unix::process::CommandExt;
    let mut cmd = kith_process(env);
    cmd.args(args);
    if is_root() {
        cmd.uid(65534).gid(65534);
    }
    // 126/127 or a spawn error: the binary is not reachable for that user here.
    match cmd.output() {
        Ok(out) if !out.status.code().is_some_and(|c| c == 126 || c == 127) => Some(out),
        _ => {
            missing("a kith binary that an unprivileged user (65534) can run");
            None
        }
    }
}

/// Each contact's touches (`contact_touches`, derived data kept by triggers since schema 15)
/// are exactly their participations with the interaction's time, channel and direction, in
/// interaction order: what health scores are computed from.
pub fn assert_touches_right(db: &Path, step: &str) {
    type Row = (i64, i64, String);
    let conn = rusqlite::Connection::open(db).expect("open db");
    let rows = |sql: &str| -> Vec<Row> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let stored =
        rows("SELECT contact_id, last_interaction, touches FROM contact_touches ORDER BY 1");
    let derived = rows(&format!(
        "SELECT p.contact_id, max(p.interaction_id),
                group_concat(r.record, '' ORDER BY p.interaction_id)
           FROM interaction_participants p JOIN {} r ON r.interaction_id = p.interaction_id
          GROUP BY p.contact_id ORDER BY 1",
        kith::store::contact_touches::RECORDS_VIEW
    ));
    assert_eq!(stored, derived, "contact_touches after {step}");
    assert_organization_people_right(&conn, step);
}

/// Each organization's people (`organization_people`, derived data kept by triggers since
/// schema 17) are exactly what `contacts` and `contact_touches` make of them from scratch,
/// and its follow-ups (`organization_follow_ups`, since schema 19) what `reminders` and
/// `contacts` make of them.
pub fn assert_organization_people_right(conn: &rusqlite::Connection, step: &str) {
    use rusqlite::types::Value;
    let rows = |sql: &str| -> Vec<Vec<Value>> {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let kept = rows(kith::store::organization_people::KEPT);
    let from_scratch = rows(kith::store::organization_people::FROM_SCRATCH);
    assert_eq!(kept, from_scratch, "organization_people after {step}");
    let kept = rows(kith::store::organization_follow_ups::KEPT);
    let from_scratch = rows(kith::store::organization_follow_ups::FROM_SCRATCH);
    assert_eq!(kept, from_scratch, "organization_follow_ups after {step}");
}
