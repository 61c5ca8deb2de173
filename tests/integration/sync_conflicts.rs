//! Settling sync conflicts: two books clash on the same properties through a real Radicale,
//! then the user takes the server's value for one and keeps kith's for the other, in the
//! interactive mode (tmux) or with `kith sync conflicts --take-server/--keep`; the choice is
//! the contact's, the list empties, and the next syncs carry it to the other book.

use crate::common::Env;
use crate::radicale::Radicale;
use crate::sync::{show, sync_ok, two_books};
use crate::tui_terminal::{Tmux, assert_terminal_clean, kith_env, tmux_missing};

/// Books A and B with Ada, and two properties (title, nickname) changed differently on each:
/// B synced first, so A keeps its own values and lists B's as conflicts.
fn clashing_books(server: &Radicale) -> (Env, Env) {
    let (a, b) = two_books(
        server,
        &[&["Ada Lovelace", "--title", "CTO", "--nickname", "Countess"]],
    );
    a.ok(&["edit", "Ada", "--title", "Chair", "--nickname", "Ada L."]);
    b.ok(&[
        "edit",
        "Ada",
        "--title",
        "Founder",
        "--nickname",
        "Enchantress",
    ]);
    sync_ok(&b, &["sync"]);
    let out = sync_ok(&a, &["sync"]);
    assert!(out.contains("2 conflicting properties"), "{out}");
    (a, b)
}

fn conflict_id(env: &Env, property: &str) -> String {
    let list = env.json(&["sync", "conflicts"]);
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["property"] == property)
        .unwrap_or_else(|| panic!("a {property} conflict in {list:#}"))["id"]
        .to_string()
}

/// After A took B's title and kept its own nickname: A syncs it up, and B converges.
fn both_books_converge(a: &Env, b: &Env) {
    let ada = show(a, "Ada")["contact"].clone();
    assert_eq!(ada["title"], "Founder", "{ada:#}");
    assert_eq!(ada["nickname"], "Ada L.", "{ada:#}");
    assert_eq!(a.json(&["sync", "conflicts"]), serde_json::json!([]));
    let out = sync_ok(a, &["sync"]);
    assert!(out.contains("1 written to the server"), "{out}");
    sync_ok(b, &["sync"]);
    let ada_b = show(b, "Ada")["contact"].clone();
    assert_eq!(ada_b["title"], "Founder", "{ada_b:#}");
    assert_eq!(ada_b["nickname"], "Ada L.", "{ada_b:#}");
}

#[test]
fn the_cli_takes_the_servers_value_or_keeps_kiths() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let (a, b) = clashing_books(&server);
    let text = a.ok(&["sync", "conflicts"]);
    assert!(text.contains("Enchantress") && text.contains('#'), "{text}");
    // `kith show` puts them beside kith's values.
    let brief = a.ok(&["show", "Ada"]);
    assert!(
        brief.contains("Sync conflicts") && brief.contains("home had “Founder”"),
        "{brief}"
    );
    let title = conflict_id(&a, "TITLE");
    let nickname = conflict_id(&a, "NICKNAME");
    let out = a
        .kith()
        .args(["sync", "conflicts", "--take-server", &title])
        .output()
        .unwrap();
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{note}");
    assert!(note.contains("took the server's TITLE"), "{note}");
    let settled = a.json(&["sync", "conflicts", "--keep", &nickname]);
    assert_eq!(settled["took_server"], false, "{settled:#}");
    // A conflict settled is gone: settling it again says so.
    let err = a.fails(&["sync", "conflicts", "--keep", &nickname], 3);
    assert!(err.contains("sync conflict"), "{err}");
    both_books_converge(&a, &b);
}

#[test]
fn the_interactive_mode_shows_a_contacts_conflicts_and_settles_them() {
    if tmux_missing() {
        return;
    }
    let Some(server) = Radicale::start() else {
        return;
    };
    let (a, b) = clashing_books(&server);
    let kith = env!("CARGO_BIN_EXE_kith");
    let tmux = Tmux::start(a.dir.path(), &kith_env(&a), kith, 100, 30);
    tmux.wait_for("Ada Lovelace");
    // Every text at once: a capture taken mid-redraw (a loaded machine draws slowly) can
    // hold the heading without the lines under it.
    tmux.wait_for_all(&[
        "Sync conflicts",
        "home had “Founder”",
        "home had “Enchantress”",
    ]);

    // One at a time, in the order the brief lists them: NICKNAME, then TITLE.
    tmux.keys(&["c"]);
    tmux.wait_for_all(&["NICKNAME of Ada Lovelace", "“Ada L.”", "“Enchantress”"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for("Left as it is");
    tmux.keys(&["c"]);
    tmux.wait_for("NICKNAME of Ada Lovelace");
    tmux.keys(&["k"]);
    tmux.wait_for("kept kith's NICKNAME");

    tmux.keys(&["c"]);
    tmux.wait_for_all(&["TITLE of Ada Lovelace", "“Chair”", "“Founder”"]);
    tmux.keys(&["s"]);
    let screen = tmux.wait_for_all(&["took the server's TITLE", "Founder"]);
    assert!(
        !screen.contains("Sync conflicts"),
        "the brief shows the value taken and no conflicts:\n{screen}"
    );

    tmux.keys(&["c"]);
    tmux.wait_for("No sync conflicts here");

    tmux.keys(&["q"]);
    tmux.wait_for("KITH-EXIT=0");
    assert_terminal_clean(&tmux);
    both_books_converge(&a, &b);
}
