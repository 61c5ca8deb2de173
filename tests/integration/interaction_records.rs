//! Interactions as records: `kith log show|edit|rm ID`, and the interaction about an
//! organization alone.

use std::os::unix::fs::PermissionsExt;

use crate::common::Env;

/// A book with Ada and Grace and one call with Ada that carries a body and a follow-up.
fn book() -> Env {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    env.ok(&["add", "Grace Hopper"]);
    let out = env
        .kith()
        .args([
            "log",
            "ada",
            "--via",
            "call",
            "--at",
            "yesterday 3pm",
            "Budget approved",
            "--follow-up",
            "in 2 weeks: send proposal",
        ])
        .write_stdin("Wants the proposal\n\u{1b}]0;pwned\u{7} by Friday\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    env
}

#[test]
fn log_show_prints_the_whole_interaction_with_its_body_made_safe() {
    let env = book();
    let out = env.ok(&["log", "show", "1"]);
    assert!(out.contains("#1  Budget approved"), "{out}");
    assert!(out.contains("Mon 2026-11-23 15:00 (19 hours ago)"), "{out}");
    assert!(out.contains("via       call"), "{out}");
    assert!(out.contains("with      Ada Lovelace (#1)"), "{out}");
    assert!(
        out.contains("follow-up #1") && out.contains("send proposal"),
        "{out}"
    );
    assert!(out.contains("  Wants the proposal\n"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(out.contains("by Friday"), "{out}");

    let json = env.json(&["log", "show", "#1"]);
    assert_eq!(json["interaction"]["summary"], "Budget approved");
    assert_eq!(
        json["interaction"]["body"],
        "Wants the proposal\n\u{1b}]0;pwned\u{7} by Friday"
    );
    assert_eq!(json["follow_ups"][0]["id"], 1);
    assert_eq!(json["follow_ups"][0]["text"], "send proposal");

    let err = env.fails(&["log", "show", "99"], 3);
    assert!(err.contains("no interaction matches \"#99\""), "{err}");
    let err = env.fails(&["log", "show", "ada"], 5);
    assert!(err.contains("interaction number"), "{err}");
}

#[test]
fn log_edit_changes_what_its_flags_say_under_the_rules_of_logging() {
    let env = book();
    env.ok(&[
        "log",
        "edit",
        "1",
        "--at",
        "2026-11-20 09:30",
        "--via",
        "meeting",
        "--out",
        "--add",
        "grace",
        "Budget approved by the board",
    ]);
    let i = env.json(&["log", "show", "1"])["interaction"].clone();
    assert_eq!(i["occurred_at"], "2026-11-20T09:30:00Z");
    assert_eq!(i["channel"], "meeting");
    assert_eq!(i["direction"], "out");
    assert_eq!(i["summary"], "Budget approved by the board");
    assert_eq!(i["participants"].as_array().unwrap().len(), 2);
    // The body was not named, so it stays; Grace's history has the interaction now.
    assert!(
        i["body"]
            .as_str()
            .unwrap()
            .starts_with("Wants the proposal")
    );
    assert_eq!(env.json(&["show", "grace"])["interactions"][0]["id"], 1);

    env.ok(&["log", "edit", "1", "--rm", "ada", "--body", ""]);
    let i = env.json(&["log", "show", "1"])["interaction"].clone();
    assert_eq!(i["participants"][0]["name"], "Grace Hopper");
    assert_eq!(i["body"], serde_json::Value::Null);
    assert_eq!(
        env.json(&["show", "ada"])["interactions"],
        serde_json::json!([])
    );

    // Refused, and nothing written: the future, an empty summary, nobody left, a stranger.
    let before = env.dump();
    let err = env.fails(&["log", "edit", "1", "--at", "tomorrow"], 5);
    assert!(err.contains("is in the future"), "{err}");
    let err = env.fails(&["log", "edit", "1", "--summary", "  "], 5);
    assert!(err.contains("summary") && err.contains("is empty"), "{err}");
    let err = env.fails(&["log", "edit", "1", "--rm", "grace"], 5);
    assert!(err.contains("at least one contact"), "{err}");
    let err = env.fails(&["log", "edit", "1", "--rm", "ada"], 5);
    assert!(err.contains("did not take part"), "{err}");
    env.fails(&["log", "edit", "1", "--via", "pigeon"], 5);
    env.fails(&["log", "edit", "7", "--via", "call"], 3);
    assert_eq!(env.dump(), before);
}

#[test]
fn log_edit_without_flags_opens_a_readable_form_in_the_editor() {
    let env = book();
    let editor = env.dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/^summary: .*/summary: Budget signed/; s/^with: .*/with: Ada Lovelace (#1), grace/; s/^Wants the proposal$/Signed on the spot/' \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = env
        .kith()
        .env("EDITOR", &editor)
        .args(["log", "edit", "1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let i = env.json(&["log", "show", "1"])["interaction"].clone();
    assert_eq!(i["summary"], "Budget signed");
    assert_eq!(i["participants"].as_array().unwrap().len(), 2);
    assert!(
        i["body"]
            .as_str()
            .unwrap()
            .starts_with("Signed on the spot\n"),
        "{i}"
    );
    assert_eq!(
        i["occurred_at"], "2026-11-23T15:00:00Z",
        "an untouched time stays"
    );

    // Left alone: nothing changes.
    let before = env.dump();
    let out = env
        .kith()
        .env("EDITOR", "true")
        .args(["log", "edit", "1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("No changes"));
    assert_eq!(env.dump(), before);

    // An invalid save from a script is refused with its line, and nothing is written.
    std::fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/^when: .*/when: next week/' \"$1\"\n",
    )
    .unwrap();
    let out = env
        .kith()
        .env("EDITOR", &editor)
        .args(["log", "edit", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is in the future"), "{err}");
    assert_eq!(env.dump(), before);
}

#[test]
fn log_rm_deletes_the_interaction_and_its_follow_ups_stay_unlinked() {
    let env = book();
    let out = env.kith().args(["log", "rm", "1"]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Deleted interaction #1: Budget approved"),
        "{err}"
    );
    assert!(
        err.contains("Follow-up #1 made from it stays, no longer linked to it"),
        "{err}"
    );
    assert_eq!(
        env.json(&["show", "ada"])["interactions"],
        serde_json::json!([])
    );
    let follow_up = env.json(&["remind", "show", "1"]);
    assert_eq!(follow_up["follow_up"]["text"], "send proposal");
    assert_eq!(
        follow_up["follow_up"]["interaction_id"],
        serde_json::Value::Null
    );
    env.fails(&["log", "rm", "1"], 3);
}

#[test]
fn a_contact_named_like_a_log_subcommand_is_still_reachable() {
    let env = Env::new();
    env.ok(&["add", "Natasha Romanov"]);
    env.ok(&["add", "Rm"]);
    env.ok(&["log", "natasha", "First"]);
    // `log rm 3` means delete interaction 3, never a note to someone matching "rm".
    let before = env.dump();
    env.fails(&["log", "rm", "3"], 3);
    assert_eq!(env.dump(), before);
    // After `--`, the words are WHO and SUMMARY again; `#ID` works too.
    env.ok(&["log", "--", "rm", "A note for Rm"]);
    env.ok(&["log", "#2", "Another note for Rm"]);
    let history = env.json(&["show", "#2"])["interactions"].clone();
    assert_eq!(history.as_array().unwrap().len(), 2, "{history}");
    let help = env.ok(&["log", "--help"]);
    assert!(help.contains("kith log -- rm"), "{help}");
}

#[test]
fn an_interaction_can_be_about_an_organization_alone() {
    let env = Env::new();
    env.ok(&["org", "add", "Globex"]);
    env.ok(&["add", "Ada Lovelace", "--org", "Globex"]);
    env.ok(&["org", "add", "Initech"]);
    let out = env
        .kith()
        .args([
            "log",
            "--org",
            "globex",
            "--via",
            "meeting",
            "Quarterly review with their team",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Logged meeting with Globex (interaction 1)")
    );
    let shown = env.json(&["log", "show", "1"])["interaction"].clone();
    assert_eq!(shown["participants"], serde_json::json!([]));
    assert_eq!(shown["organization"]["name"], "Globex");
    assert!(
        env.ok(&["log", "show", "1"])
            .contains("org       Globex (#1)")
    );

    // In the organization's brief and timeline, not in any person's history.
    let brief = env.json(&["org", "show", "globex"]);
    assert_eq!(
        brief["interactions"][0]["summary"],
        "Quarterly review with their team"
    );
    assert!(
        env.ok(&["org", "show", "globex"])
            .contains("Quarterly review with their team")
    );
    assert_eq!(
        env.json(&["show", "ada"])["interactions"],
        serde_json::json!([])
    );
    assert_eq!(
        env.json(&["org", "show", "initech"])["interactions"],
        serde_json::json!([])
    );

    // A follow-up made with it is about the organization.
    env.ok(&[
        "log",
        "--org",
        "initech",
        "Intro call",
        "--follow-up",
        "tomorrow: send deck",
    ]);
    let follow_up = env.json(&["remind", "show", "1"]);
    assert_eq!(follow_up["follow_up"]["organization"]["name"], "Initech");
    assert_eq!(follow_up["follow_up"]["interaction_id"], 2);

    // Refused, nothing written: no one at all, an unknown organization, leaving no one.
    let before = env.dump();
    let err = env.fails(&["log", "Quarterly review"], 2);
    assert!(err.contains("--org ORG and SUMMARY"), "{err}");
    env.fails(&["log", "--org", "nowhere", "Review"], 3);
    let err = env.fails(&["log", "edit", "1", "--no-org"], 5);
    assert!(
        err.contains("at least one contact or an organization"),
        "{err}"
    );
    assert_eq!(env.dump(), before);

    // Moved to a person and back.
    env.ok(&["log", "edit", "1", "--add", "ada", "--no-org"]);
    assert_eq!(env.json(&["show", "ada"])["interactions"][0]["id"], 1);
    env.ok(&["log", "edit", "1", "--org", "initech", "--rm", "ada"]);
    let timeline = env.json(&["org", "show", "initech"])["interactions"].clone();
    let ids: Vec<i64> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [2, 1], "{timeline}");
    assert_eq!(
        env.json(&["show", "ada"])["interactions"],
        serde_json::json!([])
    );
}

#[test]
fn an_organization_interaction_survives_export_and_import_and_goes_with_a_purge() {
    let env = Env::new();
    env.ok(&["org", "add", "Globex"]);
    env.ok(&["add", "Ada Lovelace", "--org", "Globex"]);
    env.ok(&["log", "--org", "globex", "Quarterly review"]);
    env.ok(&[
        "log",
        "ada",
        "--org",
        "globex",
        "Dinner with Ada and her team",
    ]);
    let export = env.ok(&["export", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&export).unwrap();
    let alone = doc["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["summary"] == "Quarterly review")
        .unwrap()
        .clone();
    assert_eq!(alone["organization"], "Globex");
    assert_eq!(alone["participants"], serde_json::json!([]));

    let copy = Env::new();
    let file = copy.dir.path().join("backup.json");
    std::fs::write(&file, &export).unwrap();
    copy.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(copy.ok(&["export", "--format", "json"]), export);
    let timeline = copy.json(&["org", "show", "globex"])["interactions"].clone();
    assert_eq!(timeline.as_array().unwrap().len(), 2, "{timeline}");

    // Deleting the organization for good takes the interaction it alone was about; the one
    // with Ada stays hers.
    env.ok(&["org", "rm", "globex", "--purge", "--yes"]);
    let history = env.json(&["show", "ada"])["interactions"].clone();
    assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
    assert_eq!(history[0]["organization"], serde_json::Value::Null);
    env.fails(&["log", "show", "1"], 3);
}

/// A book of every earlier schema gains the organization of an interaction: none for what it
/// held, and a new interaction about one of its organizations shows in that organization.
#[test]
fn every_schema_fixture_takes_an_interaction_about_an_organization() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("schema-v") && name.ends_with(".db")
        })
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 7, "{fixtures:?}");
    for fixture in fixtures {
        let env = Env::new();
        std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
        std::fs::copy(&fixture, &env.db).unwrap();
        let org: String = rusqlite::Connection::open(&fixture)
            .unwrap()
            .query_row(
                "SELECT uid FROM organizations ORDER BY id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        env.ok(&["log", "--org", &org, "Review after the upgrade"]);
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let (with_org, total): (i64, i64) = conn
            .query_row(
                "SELECT count(organization_id), count(*) FROM interactions",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(total > 1, "{fixture:?} held interactions");
        assert_eq!(
            with_org, 1,
            "{fixture:?}: only the new one has an organization"
        );
        let plan: String = conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT id FROM interactions WHERE organization_id = 1",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("interactions_by_organization"), "{plan}");
        drop(conn);
        let brief = env.json(&["org", "show", &org]);
        assert_eq!(
            brief["interactions"][0]["summary"], "Review after the upgrade",
            "{fixture:?}"
        );
    }
}

#[test]
fn show_full_and_org_show_full_print_each_body_under_its_interaction() {
    let env = book();
    env.ok(&["org", "add", "Globex"]);
    env.ok(&["edit", "ada", "--org", "globex"]);
    env.ok(&["log", "--org", "globex", "Quarterly review"]);
    let full = env.ok(&["show", "ada", "--full"]);
    let at = full.find("Budget approved").unwrap();
    let after = &full[at..];
    assert!(after.contains("#1\n      Wants the proposal\n"), "{full}");
    assert!(after.contains("      ␛]0;pwned␇ by Friday"), "{full}");
    assert!(!full.contains('\u{1b}'), "{full:?}");
    // Without --full, the brief stays one line per interaction.
    let brief = env.ok(&["show", "ada"]);
    assert!(brief.contains("Budget approved") && !brief.contains("Wants the proposal"));

    let org = env.ok(&["org", "show", "globex", "--full"]);
    assert!(org.contains("Timeline (last touch today)"), "{org}");
    assert!(org.contains("Quarterly review"), "{org}");
    assert!(org.contains("      Wants the proposal\n"), "{org}");
    assert!(
        !env.ok(&["org", "show", "globex"])
            .contains("Wants the proposal")
    );
    let json = env.json(&["org", "show", "globex"]);
    assert_eq!(json["last_touch_at"], "2026-11-24T10:00:00Z", "{json}");
}
