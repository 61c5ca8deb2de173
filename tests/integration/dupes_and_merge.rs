//! `kith dupes` finds likely duplicates with a reason; `kith merge A B` moves everything of B
//! onto A in one transaction and deletes B.

use crate::common::Env;

#[test]
fn dupes_are_found_with_reasons_and_merged_whole() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--tag",
        "client",
    ]);
    env.ok(&[
        "add",
        "A. Lovelace",
        "--email",
        "ADA@example.com",
        "--phone",
        "+44 20 7946 0958",
        "--tag",
        "vip",
        "--title",
        "CTO",
    ]);
    env.ok(&["add", "Grace Hopper", "--phone", "+1 202 555 0147"]);
    env.ok(&["add", "Grace Hoper"]);
    env.ok(&["add", "Alan Turing"]);
    env.ok(&[
        "log",
        "#2",
        "--via",
        "call",
        "--at",
        "2026-11-20 15:00",
        "Budget call",
    ]);
    env.ok(&[
        "log",
        "#1,#2",
        "--via",
        "meeting",
        "--at",
        "2026-11-21 15:00",
        "Both of them",
    ]);
    env.ok(&["remind", "#2", "send proposal", "--due", "2026-12-01"]);
    env.ok(&["link", "#2", "#5", "--as", "knows"]);
    env.ok(&["link", "#1", "#2", "--as", "knows"]);

    let pairs = env.json(&["dupes"]);
    let pairs = pairs.as_array().unwrap();
    assert_eq!(pairs.len(), 2, "{pairs:#?}");
    assert_eq!(pairs[0]["a"]["id"], 1);
    assert_eq!(pairs[0]["b"]["id"], 2);
    assert_eq!(
        pairs[0]["reasons"],
        serde_json::json!(["same email ada@example.com"])
    );
    assert_eq!(
        pairs[1]["reasons"],
        serde_json::json!(["nearly the same name"])
    );
    let text = env.ok(&["dupes"]);
    assert!(text.contains("same email"), "{text}");

    let out = env.ok(&["merge", "#1", "#2"]);
    assert!(
        out.contains("moved 2 interaction(s), 1 follow-up(s), 1 relationship(s)"),
        "{out}"
    );
    let brief = env.json(&["show", "#1"]);
    let c = &brief["contact"];
    assert_eq!(c["display_name"], "Ada Lovelace");
    assert_eq!(c["title"], "CTO");
    assert_eq!(c["tags"], serde_json::json!(["client", "vip"]));
    assert_eq!(c["phones"][0]["value"], "+44 20 7946 0958");
    assert_eq!(c["emails"].as_array().unwrap().len(), 1);
    assert_eq!(brief["interactions"].as_array().unwrap().len(), 2);
    assert_eq!(brief["follow_ups"].as_array().unwrap().len(), 1);
    let rels = brief["relationships"].as_array().unwrap();
    assert_eq!(
        rels.len(),
        1,
        "the link between the two is dropped, not turned on itself"
    );
    assert_eq!(rels[0]["to"]["name"], "Alan Turing");
    env.fails(&["show", "#2"], 3);
    assert_eq!(env.json(&["dupes"]).as_array().unwrap().len(), 1);
}

#[test]
fn merging_a_contact_into_itself_is_refused() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    let before = env.dump();
    let err = env.fails(&["merge", "ada", "#1"], 5);
    assert!(err.contains("same contact"), "{err}");
    assert_eq!(before, env.dump());
}

#[test]
fn merging_into_an_archived_contact_says_so() {
    let env = Env::new();
    env.ok(&["add", "Jon Snow"]);
    env.ok(&["add", "Natasha Romanov"]);
    env.ok(&["rm", "jon snow"]);
    let said = env.ok(&["merge", "#1", "#2"]);
    assert!(said.contains("#1 is archived"), "{said}");
    assert!(said.contains("kith restore '#1'"), "{said}");
    let said = {
        let env = Env::new();
        env.ok(&["add", "Jon Snow"]);
        env.ok(&["add", "Natasha Romanov"]);
        env.ok(&["merge", "#1", "#2"])
    };
    assert!(!said.contains("archived"), "{said}");
}

/// The pairs are two columns of people: every `~` in the same column, every reason too.
#[test]
fn dupes_are_listed_in_columns() {
    let env = Env::new();
    for (name, detail) in [
        ("Ada Lovelace", "--email=ada@x.example"),
        ("Ada Lovelace", "--email=ada@x.example"),
        ("Grace Brewster Murray Hopper", "--email=grace@navy.example"),
        ("Grace Hopper", "--email=GRACE@navy.example"),
    ] {
        env.ok(&["add", name, detail]);
    }
    let text = env.ok(&["dupes"]);
    let rows: Vec<&str> = text.lines().filter(|l| l.contains(" ~ ")).collect();
    assert_eq!(rows.len(), 2, "{text}");
    let column = |row: &str, s: &str| row.find(s).expect(s);
    assert_eq!(column(rows[0], " ~ "), column(rows[1], " ~ "), "{text}");
    assert_eq!(column(rows[0], "(same"), column(rows[1], "(same"), "{text}");
}
