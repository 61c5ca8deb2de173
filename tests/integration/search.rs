//! kith find, kith grep, and WHO resolution with the search index.

use crate::common::Env;

fn address_book() -> Env {
    let env = Env::new();
    env.ok(&[
        "add",
        "Jürgen Müller",
        "--new-org",
        "Globex",
        "--email",
        "jm@globex.example",
        "--tag",
        "client",
        "--note",
        "Vegetarian; loves the quarterly budget review",
    ]);
    env.ok(&[
        "add",
        "Jurgen Mulder",
        "--new-org",
        "Initech",
        "--tag",
        "vip",
    ]);
    env.ok(&[
        "add",
        "Ada Lovelace",
        "--org",
        "Globex",
        "--title",
        "CTO",
        "--phone",
        "+44 20 7946 0958",
    ]);
    env.ok(&["add", "Zoë Ångström", "--nickname", "Zo", "--tag", "friend"]);
    env.ok(&["add", "Grace Hopper"]);
    env.ok(&["add", "Grace Hopper", "--new-org", "Navy"]);
    env
}

fn ids(found: &serde_json::Value) -> Vec<i64> {
    found
        .as_array()
        .expect("an array")
        .iter()
        .map(|f| f["id"].as_i64().expect("an id"))
        .collect()
}

#[test]
fn find_ranks_the_right_contact_first() {
    let env = address_book();
    // Diacritic-free, partial, and letters left out.
    assert_eq!(ids(&env.json(&["find", "jurgen muller"]))[0], 1);
    assert_eq!(ids(&env.json(&["find", "JURG MULL"]))[0], 1);
    assert_eq!(ids(&env.json(&["find", "jrgn mllr"]))[0], 1);
    assert_eq!(ids(&env.json(&["find", "jrgn mldr"])), [2]);
    assert_eq!(ids(&env.json(&["find", "angstrom"])), [4]);
    // Words across fields: a name and an organization.
    assert_eq!(ids(&env.json(&["find", "ada globex"])), [3]);

    let found = env.json(&["find", "zoe"]);
    assert_eq!(found[0]["name"], "Zoë Ångström");
    assert_eq!(found[0]["field"], "name");
    assert_eq!(found[0]["positions"], serde_json::json!([0, 1, 2]));
}

#[test]
fn find_says_which_field_matched() {
    let env = address_book();
    let by_org = env.json(&["find", "globex"]);
    assert_eq!(ids(&by_org).len(), 2);
    assert!(
        by_org
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["field"] == "organization")
    );
    let by_phone = env.json(&["find", "7946"]);
    assert_eq!(by_phone[0]["id"], 3);
    assert_eq!(by_phone[0]["field"], "phone");
    assert_eq!(by_phone[0]["matches"][0]["value"], "+44 20 7946 0958");
    assert_eq!(env.json(&["find", "cto"])[0]["field"], "title");
    assert_eq!(env.json(&["find", "jm@globex"])[0]["field"], "email");
    assert_eq!(env.json(&["find", "vip"])[0]["field"], "tag");

    let table = env.ok(&["find", "globex"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("ID  NAME"), "{table}");
    assert!(
        lines[1].contains("Ada Lovelace") && lines[1].contains("organization"),
        "{table}"
    );
    let table = env.ok(&["find", "7946"]);
    assert!(table.contains("phone +44 20 7946 0958"), "{table}");
}

#[test]
fn find_filters_and_limits() {
    let env = address_book();
    assert_eq!(ids(&env.json(&["find", "jurgen", "--tag", "vip"])), [2]);
    assert_eq!(ids(&env.json(&["find", "jurgen", "--org", "globex"])), [1]);
    assert_eq!(ids(&env.json(&["find", "grace", "--limit", "1"])).len(), 1);
    assert_eq!(
        env.json(&["find", "nobody-like-this"]),
        serde_json::json!([])
    );
    let err = env.fails(&["find", "ada", "--org", "umbrella"], 3);
    assert!(err.contains("umbrella"), "{err}");
    let err = env.fails(&["find", "ada", "--tag", "no spaces please"], 5);
    assert!(err.contains("tag"), "{err}");

    // Archived contacts only with --archived.
    env.ok(&["rm", "ada"]);
    assert_eq!(env.json(&["find", "lovelace"]), serde_json::json!([]));
    let found = env.json(&["find", "lovelace", "--archived"]);
    assert_eq!(found[0]["archived"], true);
}

#[test]
fn find_output_is_sanitized() {
    let env = Env::new();
    env.ok(&["add", "Evil\x1b]52;c;bad\x07 Name"]);
    let out = env.ok(&["find", "evil"]);
    assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
    assert!(out.contains("Evil␛]52;c;bad␇ Name"), "{out}");
}

#[test]
fn the_index_stays_in_sync_with_edits() {
    let env = address_book();
    env.ok(&[
        "edit",
        "ada",
        "--name",
        "Augusta Ada King",
        "--org",
        "Initech",
    ]);
    assert_eq!(env.json(&["find", "lovelace"]), serde_json::json!([]));
    let found = env.json(&["find", "augusta initech"]);
    assert_eq!(ids(&found), [3]);
    env.ok(&["tag", "augusta", "+speaker"]);
    assert_eq!(env.json(&["find", "speaker"])[0]["id"], 3);
    env.ok(&["org", "edit", "initech", "--name", "Initrode"]);
    assert_eq!(ids(&env.json(&["find", "initrode"])), [2, 3]);
    env.ok(&["rm", "--purge", "--yes", "augusta"]);
    assert_eq!(ids(&env.json(&["find", "initrode"])), [2]);
}

#[test]
fn who_resolution_uses_the_same_matching() {
    let env = address_book();
    assert_eq!(env.json(&["show", "jrgn mullr"])["contact"]["id"], 1);
    assert_eq!(env.json(&["show", "zoe angstrom"])["contact"]["id"], 4);
    assert_eq!(env.json(&["show", "zo"])["contact"]["id"], 4);
    // Two people fit equally: the candidates are listed, nothing is guessed.
    let err = env.fails(&["show", "grace hopper"], 4);
    assert!(err.contains("#5") && err.contains("#6"), "{err}");
    let err = env.fails(&["show", "jurg mul"], 4);
    assert!(err.contains("#1") && err.contains("#2"), "{err}");
    env.fails(&["show", "qqqq"], 3);
}

#[test]
fn grep_finds_notes_and_interactions_with_their_contacts() {
    let env = address_book();
    env.ok(&[
        "log",
        "ada,jurgen muller",
        "--via",
        "meeting",
        "--at",
        "2026-11-20",
        "Budget approved; wants a proposal",
    ]);
    let hits = env.json(&["grep", "budget"]);
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 2, "{hits:?}");
    let interaction = hits.iter().find(|h| h["source"] == "interaction").unwrap();
    let names: Vec<&str> = interaction["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Ada Lovelace") && names.contains(&"Jürgen Müller"));
    assert_eq!(interaction["snippet"], "Budget approved; wants a proposal");
    assert_eq!(interaction["marks"], serde_json::json!([[0, 6]]));
    let note = hits.iter().find(|h| h["source"] == "note").unwrap();
    assert_eq!(note["contacts"][0]["id"], 1);

    // Prefixes, accents and case.
    assert_eq!(env.json(&["grep", "VEGET"]).as_array().unwrap().len(), 1);
    // The human view marks the match and names whose it is.
    let text = env.ok(&["grep", "proposal"]);
    assert!(text.contains("[proposal]"), "{text}");
    assert!(text.contains("Ada Lovelace (#3)"), "{text}");
}

#[test]
fn grep_takes_any_text_without_syntax_errors() {
    let env = address_book();
    for query in [
        "foo\"", "AND", "NEAR(", "a OR", "*", "\"\"", "-x", "col:umn", "^",
    ] {
        let out = env.kith().args(["grep", query]).output().unwrap();
        // Found (0) or not (3), never a syntax error.
        assert!(
            matches!(out.status.code(), Some(0 | 3)),
            "grep {query:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn grep_follows_edits_and_deletes() {
    let env = address_book();
    env.ok(&["edit", "jurgen muller", "--note", "Now prefers tea"]);
    assert_eq!(env.json(&["grep", "vegetarian"]), serde_json::json!([]));
    assert_eq!(env.json(&["grep", "tea"])[0]["contacts"][0]["id"], 1);
    env.ok(&["log", "#5", "--via", "call", "Compiler chat"]);
    assert_eq!(env.json(&["grep", "compiler"]).as_array().unwrap().len(), 1);
    env.ok(&["rm", "--purge", "--yes", "#5"]);
    assert_eq!(env.json(&["grep", "compiler"]), serde_json::json!([]));
    env.ok(&["rm", "--purge", "--yes", "#1"]);
    assert_eq!(env.json(&["grep", "tea"]), serde_json::json!([]));
}

#[test]
fn a_version_1_database_gets_search_backfilled() {
    let env = Env::new();
    std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch(include_str!("../../src/store/migrations/0001_init.sql"))
            .unwrap();
        conn.execute_batch(
            "INSERT INTO contacts (uid, display_name, name_key, notes, created_at, updated_at)
             VALUES ('u1', 'Søren Kierkegaard', 'soren kierkegaard', 'Writes about anxiety',
                     '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             PRAGMA user_version = 1;
             PRAGMA application_id = 1802073192;",
        )
        .unwrap();
    }
    assert_eq!(ids(&env.json(&["find", "soren"])), [1]);
    assert_eq!(env.json(&["grep", "anxiety"])[0]["contacts"][0]["id"], 1);
}

/// `find` scans folded haystacks stored in chunks; a program other than kith that edits
/// the database leaves them stale, and kith must still answer from the current data.
#[test]
fn a_hand_edit_by_another_program_is_found_at_once() {
    let env = address_book();
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute(
            "UPDATE contacts SET display_name = 'Émilie du Châtelet' WHERE id = 5",
            [],
        )
        .unwrap();
        let stale: i64 = conn
            .query_row("SELECT sum(stale) FROM search_chunks", [], |r| r.get(0))
            .unwrap();
        assert_eq!(stale, 1, "the trigger marks the chunk");
    }
    assert_eq!(ids(&env.json(&["find", "emilie chatelet"])), [5]);
    assert_eq!(env.json(&["show", "chatelet"])["contact"]["id"], 5);
    // The next write by kith refolds the chunk for good.
    env.ok(&["tag", "#5", "+physicist"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let stale: i64 = conn
        .query_row("SELECT sum(stale) FROM search_chunks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stale, 0);
    assert_eq!(ids(&env.json(&["find", "physicist"])), [5]);
}

/// Contacts spread over several chunks (256 ids each), some archived or deleted: find
/// counts and ranks over all of them.
#[test]
fn find_covers_every_chunk() {
    let env = Env::new();
    let people: Vec<String> = (0..600)
        .map(|i| {
            format!(r#"{{"display_name":"Person {i:03} Okafor","emails":["p{i}@example.com"]}}"#)
        })
        .collect();
    let file = env.dir.path().join("people.jsonl");
    std::fs::write(&file, people.join("\n")).unwrap();
    env.ok(&["import", file.to_str().unwrap(), "--format", "jsonl"]);
    let found = env.json(&["find", "okafor", "--limit", "1000"]);
    assert_eq!(ids(&found).len(), 600);
    assert_eq!(ids(&env.json(&["find", "person 599"])), [600]);
    env.ok(&["rm", "p599@example.com"]);
    env.ok(&["rm", "--purge", "--yes", "p300@example.com"]);
    assert_eq!(
        ids(&env.json(&["find", "okafor", "--limit", "1000"])).len(),
        598
    );
    assert_eq!(ids(&env.json(&["find", "person 599", "--archived"])), [600]);
    let out = env.kith().args(["find", "okafor"]).output().unwrap();
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(note.contains("20 of 598 matches shown"), "{note}");
}

#[test]
fn a_limit_of_zero_is_a_usage_error_not_an_empty_answer() {
    let env = address_book();
    let err = env.fails(&["find", "ada", "--limit", "0"], 2);
    assert!(err.contains("--limit"), "{err}");
    env.fails(&["grep", "budget", "-n", "0"], 2);
    assert_eq!(ids(&env.json(&["find", "ada", "--limit", "1"])), [3]);
}
