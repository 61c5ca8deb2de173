//! kith org add|list|show|edit|rm|restore, link and unlink.

use crate::common::Env;

#[test]
fn organizations_lifecycle() {
    let env = Env::new();
    env.ok(&[
        "org",
        "add",
        "Acme Corp",
        "--domain",
        "https://acme.example/",
        "--tag",
        "client",
        "--note",
        "Big account",
    ]);
    env.ok(&["add", "Ada", "--org", "acme corp", "--title", "CTO"]);
    env.ok(&["add", "Bob", "--new-org", "Globex"]);
    let orgs = env.json(&["org", "list"]);
    assert_eq!(
        orgs.as_array().unwrap().len(),
        2,
        "adding Ada to 'acme corp' must reuse Acme Corp: {orgs}"
    );
    assert_eq!(orgs[0]["name"], "Acme Corp");
    assert_eq!(orgs[0]["domain"], "acme.example");
    assert_eq!(orgs[0]["contact_count"], 1);
    assert_eq!(orgs[0]["tags"], serde_json::json!(["client"]));

    let before = env.dump();
    let err = env.fails(&["org", "add", "ACME corp"], 5);
    assert!(err.contains("already exists"), "{err}");
    let err = env.fails(&["org", "add", "Initech", "--domain", "not a domain"], 5);
    assert!(err.contains("invalid domain"), "{err}");
    env.fails(&["org", "show", "umbrella"], 3);
    assert_eq!(env.dump(), before);

    env.ok(&[
        "org",
        "edit",
        "acme",
        "--name",
        "Acme Corporation",
        "--tag",
        "+partner",
        "--tag",
        "-client",
        "--no-note",
    ]);
    let acme = env.json(&["org", "show", "acme"]);
    assert_eq!(acme["organization"]["name"], "Acme Corporation");
    assert_eq!(acme["organization"]["tags"], serde_json::json!(["partner"]));
    assert_eq!(acme["organization"]["notes"], serde_json::Value::Null);
    assert_eq!(acme["people"][0]["title"], "CTO");
    assert_eq!(
        env.json(&["show", "ada"])["contact"]["organization"],
        "Acme Corporation"
    );

    env.ok(&["org", "rm", "globex"]);
    assert_eq!(env.json(&["org", "list"]).as_array().unwrap().len(), 1);
    assert_eq!(
        env.json(&["org", "list", "--archived"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    env.ok(&["org", "restore", "globex"]);
    env.ok(&["org", "rm", "--purge", "--yes", "globex"]);
    assert_eq!(
        env.json(&["show", "bob"])["contact"]["organization"],
        serde_json::Value::Null
    );

    let csv_text = env.ok(&["org", "list", "--format", "csv"]);
    assert!(
        csv_text.starts_with("id,uid,name,domain,people,tags\n"),
        "{csv_text}"
    );
    assert!(
        csv_text.contains("Acme Corporation,acme.example,1,partner"),
        "{csv_text}"
    );
}

#[test]
fn links_both_ways_and_unlink() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    env.ok(&["add", "Bob Boss"]);
    env.ok(&["add", "Grace Hopper"]);
    env.ok(&["link", "bob", "ada", "--as", "reports-to"]);
    env.ok(&[
        "link",
        "ada",
        "grace",
        "--as",
        "Introduced By",
        "--note",
        "at PyCon",
    ]);
    let ada = env.ok(&["show", "ada"]);
    assert!(ada.contains("Bob Boss (#2) reports to them"), "{ada}");
    assert!(
        ada.contains("introduced by Grace Hopper (#3) — at PyCon"),
        "{ada}"
    );
    let grace = env.ok(&["show", "grace"]);
    assert!(
        grace.contains("introduced Ada Lovelace (#1) — at PyCon"),
        "{grace}"
    );
    let bob = env.ok(&["show", "bob"]);
    assert!(bob.contains("reports to Ada Lovelace (#1)"), "{bob}");
    let rel = env.json(&["show", "ada"])["relationships"].clone();
    assert_eq!(rel.as_array().unwrap().len(), 2);
    assert_eq!(rel[0]["kind"], "introduced-by");

    env.ok(&["unlink", "grace", "ada"]);
    assert_eq!(
        env.json(&["show", "ada"])["relationships"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let before = env.dump();
    env.fails(&["unlink", "grace", "ada"], 3);
    env.fails(&["link", "ada", "nobody"], 3);
    assert_eq!(env.dump(), before);
}
