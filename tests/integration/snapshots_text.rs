//! The text a person reads from `kith show`, `kith today`, `kith list` and `kith org show`,
//! pinned by snapshots on one small, realistic book built through the CLI: several people, an
//! organization with notes, interactions, recurring and overdue follow-ups, a yearly date, a
//! tag cadence and an archived contact. The clock (`KITH_NOW`), the UIDs (`KITH_UID_SEED`),
//! the width (`COLUMNS`, as on a pipe) and colour (off) are fixed, so a change in any of these
//! texts shows up here as a diff to review.

use crate::common::{Env, at};

/// The book, each command at its own time and with its own UID seed (each run starts its UID
/// sequence anew).
fn book() -> Env {
    let env = Env::new();
    let steps: &[(&str, &[&str])] = &[
        (
            "2026-09-01T09:00:00Z",
            &[
                "org",
                "add",
                "Analytical Engines",
                "--domain",
                "engines.example",
            ],
        ),
        (
            "2026-09-01T09:01:00Z",
            &[
                "org",
                "edit",
                "Analytical Engines",
                "--note",
                "Makers of the Difference Engine.\nRenewal talks every January.",
            ],
        ),
        (
            "2026-09-01T09:02:00Z",
            &[
                "add",
                "Ada Lovelace",
                "--email",
                "work:ada@engines.example",
                "--phone",
                "mobile:+44 20 7946 0958",
                "--org",
                "Analytical Engines",
                "--title",
                "CTO",
                "--tag",
                "client",
                "--birthday",
                "1815-12-10",
                "--prefers",
                "email",
                "--note",
                "Met at the Royal Society.",
            ],
        ),
        (
            "2026-09-01T09:03:00Z",
            &[
                "add",
                "Charles Babbage",
                "--email",
                "charles@engines.example",
                "--org",
                "Analytical Engines",
                "--title",
                "Founder",
                "--tag",
                "client",
            ],
        ),
        (
            "2026-09-01T09:04:00Z",
            &[
                "add",
                "Grace Hopper",
                "--phone",
                "mobile:+1 555 0100",
                "--birthday",
                "--12-09",
                "--every",
                "2m",
                "--tag",
                "navy",
            ],
        ),
        (
            "2026-09-01T09:05:00Z",
            &[
                "add",
                "Jürgen Müller",
                "--email",
                "jm@example.de",
                "--tag",
                "prospect",
            ],
        ),
        (
            "2026-09-01T09:06:00Z",
            &["add", "Old Contact", "--email", "old@example.com"],
        ),
        (
            "2026-09-01T09:06:30Z",
            &["edit", "Charles", "--date", "anniversary:1833-06-05"],
        ),
        ("2026-09-01T09:07:00Z", &["tag-cadence", "client", "1m"]),
        (
            "2026-09-01T09:08:00Z",
            &["link", "Ada", "Charles", "--as", "works-with"],
        ),
        (
            "2026-09-02T15:00:00Z",
            &[
                "log",
                "Ada,Charles",
                "--via",
                "meeting",
                "--at",
                "2026-09-02T14:00:00Z",
                "Kick-off at the works",
            ],
        ),
        (
            "2026-10-20T10:00:00Z",
            &[
                "log",
                "Grace",
                "--via",
                "call",
                "--in",
                "Asked about the compiler",
            ],
        ),
        (
            "2026-11-20T09:00:00Z",
            &[
                "log",
                "Ada",
                "--via",
                "email",
                "--out",
                "Sent the proposal draft",
                "--follow-up",
                "in 2 weeks: chase the proposal",
            ],
        ),
        (
            "2026-11-01T09:00:00Z",
            &[
                "remind",
                "Jürgen",
                "send the catalogue",
                "--due",
                "2026-11-10",
            ],
        ),
        (
            "2026-11-01T09:01:00Z",
            &[
                "remind",
                "Charles",
                "quarterly check-in",
                "--due",
                "2026-11-15",
                "--every",
                "3m",
            ],
        ),
        (
            "2026-11-01T09:02:00Z",
            &[
                "remind",
                "--org",
                "Analytical Engines",
                "contract renewal",
                "--due",
                "2027-01-10",
                "--every",
                "1y",
            ],
        ),
        // An archived contact's overdue follow-up: kept, but out of the agenda.
        (
            "2026-11-01T09:02:30Z",
            &[
                "remind",
                "Old Contact",
                "return the book",
                "--due",
                "2026-11-05",
            ],
        ),
        ("2026-11-01T09:03:00Z", &["rm", "Old Contact"]),
    ];
    for (seed, (now, args)) in steps.iter().enumerate() {
        let out = env
            .kith()
            .env("KITH_NOW", now)
            .env("KITH_UID_SEED", seed.to_string())
            .args(*args)
            .output()
            .expect("run kith");
        assert!(
            out.status.success(),
            "kith {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    env
}

/// `kith args` at the tests' fixed now, 80 columns, colour off.
fn text(env: &Env, args: &[&str]) -> String {
    let out = env
        .kith()
        .env("COLUMNS", "80")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run kith");
    assert!(
        out.status.success(),
        "kith {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn show_today_list_and_org_show_read_as_pinned() {
    let env = book();
    insta::assert_snapshot!("show_ada", text(&env, &["show", "Ada"]));
    insta::assert_snapshot!("show_charles", text(&env, &["show", "Charles"]));
    insta::assert_snapshot!("show_archived", text(&env, &["show", "Old Contact"]));
    insta::assert_snapshot!("today", text(&env, &["today"]));
    insta::assert_snapshot!("today_60_days", text(&env, &["today", "--days", "60"]));
    insta::assert_snapshot!("list", text(&env, &["list"]));
    insta::assert_snapshot!("list_archived", text(&env, &["list", "--archived"]));
    insta::assert_snapshot!(
        "org_show",
        text(&env, &["org", "show", "Analytical Engines"])
    );
}

/// The same commands with the same seeds build the same book, UIDs and recorded times
/// included: what the snapshots above rely on, and what scripts using the hooks get.
#[test]
fn the_testing_hooks_make_a_book_repeat_exactly() {
    let (first, second) = (book(), book());
    assert_eq!(first.dump(), second.dump());
    let export = at(&first, crate::common::NOW, &["export"]);
    assert!(
        export.contains("\"created_at\": \"2026-09-01T09:02:00Z\""),
        "{export}"
    );
}
