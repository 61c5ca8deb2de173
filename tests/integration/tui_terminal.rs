//! The real binary in a real terminal: tmux runs `kith`, the test types keys and reads the
//! screen, then checks with the CLI that exactly those changes reached the database and that
//! the terminal was left clean (normal screen, no mouse reporting). Skipped, with a note,
//! where tmux is not installed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{Env, NOW};

pub(crate) struct Tmux {
    socket: PathBuf,
}

pub(crate) fn tmux_missing() -> bool {
    !crate::common::have("tmux", "tmux", &["-V"])
}

impl Tmux {
    /// Start `command` (with `env` set) in a detached `width`×`height` session; when it ends
    /// the pane prints its exit code and stays open for reading.
    pub(crate) fn start(
        dir: &Path,
        env: &[(&str, String)],
        command: &str,
        width: u16,
        height: u16,
    ) -> Tmux {
        let socket = dir.join("tmux.sock");
        let vars: Vec<String> = env.iter().map(|(k, v)| format!("{k}='{v}'")).collect();
        let script = format!(
            "env -i PATH=\"$PATH\" TERM=xterm-256color {} {command}; echo KITH-EXIT=$?; exec sleep 60",
            vars.join(" ")
        );
        let status = Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(["-f", "/dev/null", "new-session", "-d", "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            .arg(script)
            .status()
            .expect("start tmux");
        assert!(status.success(), "tmux new-session failed");
        Tmux { socket }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    fn text(&self, text: &str) {
        self.tmux(&["send-keys", "-l", text]);
    }

    pub(crate) fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p"])
    }

    /// Wait until the screen shows `text`; the screen, or a panic showing the last one.
    pub(crate) fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("waited for {text:?}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The screen once it shows every one of `texts`: a capture taken mid-redraw (a loaded
    /// machine draws slowly) can hold the first without the rest.
    pub(crate) fn wait_for_all(&self, texts: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if texts.iter().all(|text| screen.contains(text)) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(15) {
                let missing: Vec<&&str> = texts.iter().filter(|t| !screen.contains(**t)).collect();
                panic!("waited for {missing:?}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The process the pane's shell runs: kith.
    fn kith_pid(&self) -> String {
        let shell = self.format("#{pane_pid}");
        let children = Command::new("ps")
            .args(["-o", "pid=", "--ppid", &shell])
            .output()
            .expect("ps");
        String::from_utf8_lossy(&children.stdout)
            .split_whitespace()
            .next()
            .expect("kith's pid")
            .to_string()
    }

    fn format(&self, format: &str) -> String {
        self.tmux(&["display-message", "-p", format])
            .trim()
            .to_string()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .status();
    }
}

pub(crate) fn kith_env(env: &Env) -> Vec<(&'static str, String)> {
    vec![
        ("KITH_DB", env.db.display().to_string()),
        ("KITH_NOW", NOW.to_string()),
        ("TZ", "UTC".to_string()),
        ("HOME", env.dir.path().display().to_string()),
    ]
}

pub(crate) fn assert_terminal_clean(tmux: &Tmux) {
    assert_eq!(
        tmux.format("#{alternate_on}"),
        "0",
        "left the alternate screen"
    );
    assert_eq!(tmux.format("#{mouse_any_flag}"), "0", "mouse reporting off");
    assert_eq!(tmux.format("#{cursor_flag}"), "1", "cursor visible");
    assert!(
        !tmux.screen().contains("Filter (/)"),
        "no TUI left on screen"
    );
}

#[test]
fn filter_log_complete_and_quit_then_the_cli_sees_exactly_that() {
    if tmux_missing() {
        return;
    }
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace", "--new-org", "Analytical Engines"]);
    env.ok(&["add", "Grace Hopper", "--new-org", "US Navy"]);
    env.ok(&["remind", "grace", "send the deck", "--due", "2026-11-20"]);
    let kith = env!("CARGO_BIN_EXE_kith");
    let tmux = Tmux::start(env.dir.path(), &kith_env(&env), kith, 80, 24);

    tmux.wait_for("Ada Lovelace");
    tmux.keys(&["/"]);
    tmux.text("grace");
    tmux.wait_for("Contacts 1/2");
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&["send the deck", "Grace Hopper"]);

    tmux.keys(&["i"]);
    tmux.wait_for("Log an interaction with Grace Hopper");
    tmux.text("Called about the deck");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Logged call");

    tmux.keys(&["d"]);
    tmux.wait_for("Done: send the deck");

    tmux.keys(&["q"]);
    tmux.wait_for("KITH-EXIT=0");
    assert_terminal_clean(&tmux);

    let shown = env.json(&["show", "grace"]);
    assert_eq!(shown["interactions"][0]["summary"], "Called about the deck");
    assert_eq!(shown["interactions"][0]["channel"], "call");
    assert_eq!(shown["interactions"].as_array().map(Vec::len), Some(1));
    let all = env.json(&["reminders", "--all"]);
    assert!(
        all[0]["done_at"].is_string(),
        "the follow-up is done: {all}"
    );
    let ada = env.json(&["show", "ada"]);
    assert_eq!(ada["interactions"].as_array().map(Vec::len), Some(0));
}

#[test]
fn demo_keeps_its_database_and_says_where_and_sigterm_restores_the_terminal() {
    if tmux_missing() {
        return;
    }
    let env = Env::new();
    let kith = env!("CARGO_BIN_EXE_kith");
    let mut vars = kith_env(&env);
    vars.push(("TMPDIR", env.dir.path().display().to_string()));
    let tmux = Tmux::start(env.dir.path(), &vars, &format!("{kith} --demo"), 200, 50);
    tmux.wait_for_all(&["demo db:", "200 contacts"]);
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("KITH-EXIT=0");
    assert_terminal_clean(&tmux);
    let line = screen
        .lines()
        .find(|l| l.starts_with("Demo database kept at "))
        .expect("the path is printed");
    let path = line.trim_start_matches("Demo database kept at ").trim();
    assert!(Path::new(path).starts_with(env.dir.path()));
    let out = env
        .kith()
        .env("KITH_DB", path)
        .args(["list", "--json"])
        .output();
    let out = out.expect("kith list");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(200));
    assert!(!env.db.exists(), "the user's database was never touched");

    // SIGTERM while open: the terminal comes back too.
    let tmux2_dir = env.dir.path().join("second");
    std::fs::create_dir_all(&tmux2_dir).expect("dir");
    let tmux2 = Tmux::start(&tmux2_dir, &kith_env(&env), &format!("{kith} tui"), 80, 24);
    tmux2.wait_for("Contacts");
    let pid = tmux2.kith_pid();
    Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    tmux2.wait_for("KITH-EXIT=");
    assert_terminal_clean(&tmux2);
}

/// Closing the terminal (here: killing the tmux server that holds it) ends the interactive
/// mode. crossterm alone would spin on the dead terminal forever, at full CPU.
#[test]
fn closing_the_terminal_ends_the_interactive_mode() {
    if tmux_missing() {
        return;
    }
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    let kith = env!("CARGO_BIN_EXE_kith");
    let tmux = Tmux::start(
        env.dir.path(),
        &kith_env(&env),
        &format!("{kith} tui"),
        80,
        24,
    );
    tmux.wait_for("Ada Lovelace");
    let pid = tmux.kith_pid();
    let running = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| {
                // The state follows the command name in parentheses; Z is a zombie (ended).
                let state = stat
                    .rsplit_once(')')?
                    .1
                    .split_whitespace()
                    .next()?
                    .to_string();
                Some(state != "Z")
            })
            .unwrap_or(false)
    };
    assert!(running(), "kith {pid} is not running");
    drop(tmux); // kill-server: the terminal is gone
    let closed = Instant::now();
    while running() && closed.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let still = running();
    if still {
        let _ = Command::new("kill").args(["-KILL", &pid]).status();
    }
    assert!(!still, "kith {pid} outlived its terminal");
}

#[test]
fn kith_alone_in_a_pipe_prints_usage_and_exits_2() {
    let env = Env::new();
    let err = env.fails(&[], 2);
    assert!(err.contains("Usage"), "{err}");
    assert!(err.contains("interactive mode"), "{err}");
    let err = env.fails(&["tui"], 5);
    assert!(err.contains("needs a terminal"), "{err}");
    let err = env.fails(&["--demo"], 5);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(!env.db.exists());
}

#[test]
fn cli_writers_racing_an_open_session_lose_nothing_and_the_session_sees_them() {
    if tmux_missing() {
        return;
    }
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    let kith = env!("CARGO_BIN_EXE_kith");
    let tmux = Tmux::start(env.dir.path(), &kith_env(&env), kith, 100, 30);
    tmux.wait_for("Ada Lovelace");

    // Two CLI writers loop while the session is open and logs an interaction of its own.
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let db = env.db.clone();
            let home = env.dir.path().to_path_buf();
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..12 {
                    let out = Command::new(env!("CARGO_BIN_EXE_kith"))
                        .env_clear()
                        .env("HOME", &home)
                        .env("TZ", "UTC")
                        .env("KITH_NOW", NOW)
                        .env("KITH_DB", &db)
                        .args(["add", &format!("Racer {w}-{i:02}")])
                        .output()
                        .expect("run kith");
                    if !out.status.success() {
                        failures.push(String::from_utf8_lossy(&out.stderr).into_owned());
                    }
                }
                failures
            })
        })
        .collect();
    tmux.keys(&["i"]);
    tmux.wait_for("Log an interaction with");
    tmux.text("Logged while others write");
    tmux.keys(&["Enter"]);
    let failures: Vec<String> = writers
        .into_iter()
        .flat_map(|h| h.join().expect("writer thread"))
        .collect();
    assert!(failures.is_empty(), "CLI writers failed: {failures:#?}");

    // The session notices the other processes' writes without a restart.
    tmux.wait_for("25 contacts");
    tmux.keys(&["q"]);
    tmux.wait_for("KITH-EXIT=0");

    let list = env.json(&["list"]);
    assert_eq!(list.as_array().map(Vec::len), Some(25));
    let ada = env.json(&["show", "ada"]);
    assert_eq!(
        ada["interactions"][0]["summary"], "Logged while others write",
        "{ada}"
    );
}

/// At 60×20 (issue 17): the list alone, Enter for the brief with the phone in view, an
/// organization's person opened from its details, and a note's middle line edited in the
/// form; the CLI then sees exactly that note.
#[test]
fn at_60x20_the_list_the_brief_an_organizations_person_and_a_note_all_work() {
    if tmux_missing() {
        return;
    }
    let env = Env::new();
    env.ok(&["org", "add", "Analytical Engines"]);
    env.ok(&[
        "add",
        "Ada Lovelace",
        "--org",
        "Analytical Engines",
        "--phone",
        "mobile:+44 20 7946 0958",
        "--note",
        "first line\nsecond line\nthird line",
    ]);
    env.ok(&["add", "Grace Hopper"]);
    let kith = env!("CARGO_BIN_EXE_kith");
    let tmux = Tmux::start(env.dir.path(), &kith_env(&env), kith, 60, 20);

    let screen = tmux.wait_for("Grace Hopper");
    assert!(!screen.contains("too small"), "{screen}");
    tmux.keys(&["Enter"]);
    tmux.wait_for("+44 20 7946 0958");
    tmux.keys(&["Escape"]);
    tmux.wait_for("Contacts 2");

    tmux.keys(&["2"]);
    tmux.wait_for("Analytical Engines");
    tmux.keys(&["Enter"]);
    tmux.wait_for("People and timeline");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Contacts 2");

    tmux.keys(&["e"]);
    tmux.wait_for("Edit Ada Lovelace");
    tmux.keys(&["BTab", "Up", "End"]);
    tmux.text(", edited");
    tmux.wait_for("second line, edited");
    tmux.keys(&["C-s"]);
    tmux.wait_for("Saved.");
    tmux.keys(&["q"]);
    tmux.wait_for("KITH-EXIT=0");
    assert_terminal_clean(&tmux);

    let ada = env.json(&["show", "ada"]);
    assert_eq!(
        ada["contact"]["notes"], "first line\nsecond line, edited\nthird line",
        "{ada}"
    );
}

#[test]
fn a_timeline_row_opens_to_its_body_is_edited_deleted_and_brought_back() {
    if tmux_missing() {
        return;
    }
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    let out = env
        .kith()
        .args([
            "log",
            "ada",
            "--via",
            "call",
            "--at",
            "yesterday 3pm",
            "Budget call",
        ])
        .write_stdin("They want the proposal by Friday\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kith = env!("CARGO_BIN_EXE_kith");
    let tmux = Tmux::start(env.dir.path(), &kith_env(&env), kith, 80, 24);

    tmux.wait_for("Budget call");
    tmux.keys(&["Tab"]);
    tmux.keys(&["j"]);
    tmux.wait_for("▸ 2026-11-23");
    tmux.keys(&["Enter"]);
    tmux.wait_for("They want the proposal by Friday");

    tmux.keys(&["e"]);
    tmux.wait_for("Edit interaction #1");
    tmux.keys(&["C-u"]);
    tmux.text("Budget approved");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Saved interaction #1");

    tmux.keys(&["x"]);
    tmux.wait_for("Deleted interaction #1");
    tmux.keys(&["u"]);
    tmux.wait_for("Restored interaction #1");

    tmux.keys(&["q"]);
    tmux.wait_for("KITH-EXIT=0");
    assert_terminal_clean(&tmux);

    let shown = env.json(&["log", "show", "1"])["interaction"].clone();
    assert_eq!(shown["summary"], "Budget approved");
    assert_eq!(shown["body"], "They want the proposal by Friday");
    assert_eq!(shown["occurred_at"], "2026-11-23T15:00:00Z");
    assert_eq!(shown["participants"][0]["name"], "Ada Lovelace");
}

/// Where `names` appear on `screen`, in order; panics naming the first one missing.
fn in_order(screen: &str, names: &[String]) {
    let mut from = 0;
    for name in names {
        match screen[from..].find(name.as_str()) {
            Some(at) => from += at + name.len(),
            None => panic!("{name:?} is not listed (after the rows before it):\n{screen}"),
        }
    }
}

#[test]
fn a_filter_typed_right_after_launch_on_a_large_book_lists_the_right_people() {
    if tmux_missing() {
        return;
    }
    // More contacts than load before the first frame (`tui::loading::SYNC_LIMIT`), so the
    // rest load on a thread while the keys below are already waiting.
    let env = Env::new();
    let mut cards = String::new();
    for i in 0..6000 {
        cards.push_str(&format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Filler Person {i}\r\nORG:Acme {}\r\nEND:VCARD\r\n",
            i % 40
        ));
    }
    for name in ["Quentin Zawadzki", "Zawadi Quist", "Ada Zawisza"] {
        cards.push_str(&format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEND:VCARD\r\n"
        ));
    }
    let file = env.dir.path().join("many.vcf");
    std::fs::write(&file, cards).expect("write cards");
    env.ok(&["import", &file.display().to_string()]);

    for query in ["zaw", "person 12", "acme 7"] {
        let found = env.json(&["find", query, "-n", "8"]);
        let names: Vec<String> = found
            .as_array()
            .expect("find lists")
            .iter()
            .filter_map(|f| f["name"].as_str().map(str::to_string))
            .collect();
        assert!(!names.is_empty(), "{query} finds someone");

        let kith = env!("CARGO_BIN_EXE_kith");
        let tmux = Tmux::start(env.dir.path(), &kith_env(&env), kith, 100, 30);
        // Typed at once, before kith has drawn anything.
        tmux.keys(&["/"]);
        tmux.text(query);
        tmux.wait_for(&format!("/ {query}"));
        // Whether or not the whole list was in yet, the rows are find's, best first.
        let typed_screen = wait_for_rows(&tmux);
        in_order(&typed_screen, &names);
        // And once everything has loaded, the list is the same.
        let start = Instant::now();
        while tmux.screen().contains("loading") && start.elapsed() < Duration::from_secs(15) {
            std::thread::sleep(Duration::from_millis(50));
        }
        let loaded = wait_for_rows(&tmux);
        in_order(&loaded, &names);
        assert_eq!(
            title_of(&typed_screen),
            title_of(&loaded),
            "{query}: as many match"
        );
        tmux.keys(&["Escape", "Escape", "q"]);
        tmux.wait_for("KITH-EXIT=0");
    }
}

/// The screen once the Contacts list counts its matches ("Contacts N/...") and the frame is
/// whole: the same in two captures 30 ms apart (a capture can catch the terminal halfway
/// through a frame, its title written and its rows not yet).
fn wait_for_rows(tmux: &Tmux) -> String {
    let start = Instant::now();
    loop {
        let screen = tmux.screen();
        if title_of(&screen).is_some() {
            std::thread::sleep(Duration::from_millis(30));
            if tmux.screen() == screen {
                return screen;
            }
        }
        if start.elapsed() > Duration::from_secs(15) {
            panic!("the list never counted its matches on a settled screen:\n{screen}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// N of the list's title "Contacts N/M", once N is a count (not "…", still waiting).
fn title_of(screen: &str) -> Option<usize> {
    // The tab bar says "Contacts" too, followed by no count.
    screen.match_indices("Contacts ").find_map(|(at, word)| {
        let rest = &screen[at + word.len()..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        rest[digits..]
            .starts_with('/')
            .then(|| rest[..digits].parse().ok())
            .flatten()
    })
}

/// The Organizations view at 80×24 rolls the account up (its health and why, who has gone
/// cold, its rhythm, each person's health and role); the brief of someone never met shows
/// the best introduction with its evidence.
#[test]
fn an_account_rolled_up_and_an_introduction_read_at_80_by_24() {
    if tmux_missing() {
        return;
    }
    let env = Env::new();
    crate::companies::account(&env);
    env.ok(&["add", "Nora Quinn"]);
    env.ok(&["link", "nora", "ada", "--as", "introduced-by"]);
    let kith = env!("CARGO_BIN_EXE_kith");
    let tmux = Tmux::start(env.dir.path(), &kith_env(&env), kith, 80, 24);
    tmux.wait_for("Ada Lovelace");
    tmux.keys(&["2"]);
    // The contact brief shows a rhythm too, and (under "At Globex") the account's summary:
    // wait for what only the organization view shows.
    let screen = tmux.wait_for_all(&[
        "gone cold: Bob Stone, Cy",
        "Globex",
        "health",
        "1 of 5 people",
        "#1 Ada Lovelace, CTO",
    ]);
    if std::env::var_os("KITH_SHOW_SCREENS").is_some() {
        eprintln!("{screen}");
    }
    assert!(
        screen.lines().all(|l| l.chars().count() <= 80),
        "a line wider than the terminal:\n{screen}"
    );
    tmux.keys(&["1"]);
    tmux.keys(&["/"]);
    tmux.text("nora");
    tmux.wait_for("Contacts 1/");
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&[
        "Best introduction",
        "You → Ada Lovelace",
        "introduced by Ada Lovelace",
    ]);
    tmux.keys(&["q"]);
    tmux.wait_for("KITH-EXIT=0");
    assert_terminal_clean(&tmux);
}
