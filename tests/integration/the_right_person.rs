//! Issue #17, "The right person": a write never lands on a guess, organizations resolve like
//! people, and links keep their direction. Every refused write leaves the book unchanged.

use crate::common::Env;

/// The book the trial tripped over.
fn avengers() -> Env {
    let env = Env::new();
    env.ok(&["add", "Joanna Smith", "--email", "joanna@smith.example"]);
    env.ok(&["add", "Natasha Romanov"]);
    env.ok(&["add", "Happy Hogan", "--title", "Head of Security"]);
    env.ok(&["add", "Ada Lovelace", "--nickname", "Countess"]);
    env
}

#[test]
fn a_write_never_lands_on_a_guess() {
    let env = avengers();
    let before = env.dump();
    let guesses: &[&[&str]] = &[
        &["log", "jon", "Called about the contract"],
        &["rm", "jon"],
        &["rm", "--purge", "--yes", "jon"],
        &["edit", "jon", "--title", "CEO"],
        &["tag", "jon", "vip"],
        &["remind", "jon", "call back", "--due", "tomorrow"],
        &["link", "jon", "ada", "--as", "knows"],
        &["link", "ada", "security", "--as", "knows"],
        &["unlink", "jon", "ada"],
        &["restore", "jon"],
        &["merge", "jon", "ada"],
    ];
    for args in guesses {
        let err = env.fails(args, 4);
        assert!(
            err.contains("no contact is a sure match"),
            "{args:?}: {err}"
        );
        assert_eq!(env.dump(), before, "kith {args:?} changed the book");
    }
    // The closest are listed with their ids, so the user can say which one.
    let err = env.fails(&["log", "jon", "Called about the contract"], 4);
    assert!(err.contains("#1") && err.contains("Joanna Smith"), "{err}");
    // `log rm 3` and `log edit 3` name interaction 3 (there is none), never a contact
    // matching "rm" or "edit" (they were a note to Natasha and to Happy Hogan).
    for args in [
        &["log", "rm", "3"][..],
        &["log", "edit", "3", "--via", "call"],
    ] {
        let err = env.fails(args, 3);
        assert!(
            err.contains("no interaction matches \"#3\""),
            "{args:?}: {err}"
        );
    }
    // Nothing close at all: exit 3.
    let err = env.fails(&["log", "zzzz", "x"], 3);
    assert!(err.contains("no contact matches \"zzzz\""), "{err}");
    assert_eq!(env.dump(), before);

    // Scripts get the candidates as JSON on stderr.
    let out = env
        .kith()
        .args(["log", "jon", "x", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let report: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(report["error"], "ambiguous");
    assert_eq!(report["candidates"][0]["id"], 1);
}

#[test]
fn a_confident_name_still_resolves_for_a_write() {
    let env = avengers();
    for who in [
        "Ada Lovelace",
        "ADA LOVELACE",
        "ada",
        "ada lov",
        "lovelace",
        "countess",
        "count",
        "#4",
        "4",
    ] {
        let logged = env.json(&["log", who, "Talked"]);
        assert_eq!(
            logged["interaction"]["participants"][0]["id"], 4,
            "{who}: {logged}"
        );
    }
    let logged = env.json(&["log", "joanna@smith.example", "Mailed"]);
    assert_eq!(
        logged["interaction"]["participants"][0]["id"], 1,
        "{logged}"
    );
    let uid = env.json(&["show", "#2"])["contact"]["uid"].clone();
    env.ok(&["tag", uid.as_str().unwrap(), "spy"]);
    assert_eq!(env.json(&["show", "#2"])["contact"]["tags"][0], "spy");
}

#[test]
fn show_takes_the_closest_and_says_which() {
    let env = avengers();
    let out = env.kith().args(["show", "jon"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "kith: showing Joanna Smith (#1), the closest match for \"jon\" (letters of the name)"
        ),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Joanna Smith"));
    let out = env.kith().args(["show", "security"]).output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Happy Hogan (#3)")
            && String::from_utf8_lossy(&out.stderr).contains("(their title)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A sure match says nothing extra.
    let out = env.kith().args(["show", "ada"]).output().unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_ambiguous_name_says_how_many_really_match() {
    let env = Env::new();
    let path = env.dir.path().join("adas.csv");
    let mut csv = String::from("Name,Email\n");
    for i in 0..25 {
        csv.push_str(&format!("Ada Number{i},ada{i}@example.com\n"));
    }
    std::fs::write(&path, csv).unwrap();
    env.ok(&["import", path.to_str().unwrap()]);
    let err = env.fails(&["show", "ada"], 4);
    assert!(
        err.contains("\"ada\" matches 25 contacts, the first 10 below"),
        "{err}"
    );
    assert_eq!(
        err.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count(),
        10
    );
}

#[test]
fn organizations_resolve_like_people() {
    let env = Env::new();
    env.ok(&["org", "add", "Acme Corp", "--domain", "acme.example"]);
    env.ok(&["add", "Bo", "--org", "acme"]);
    assert_eq!(
        env.json(&["show", "bo"])["contact"]["organization"],
        "Acme Corp"
    );
    assert_eq!(env.json(&["org", "list"]).as_array().unwrap().len(), 1);
    env.ok(&["remind", "--org", "acme", "renewal", "--due", "tomorrow"]);

    // Nothing fits: nothing is created, and the message says how.
    let before = env.dump();
    let err = env.fails(&["add", "Cy", "--org", "umbrella"], 3);
    assert!(
        err.contains("no organization matches \"umbrella\"; --new-org umbrella creates it"),
        "{err}"
    );
    env.fails(&["edit", "bo", "--org", "umbrella"], 3);
    // Creating one that exists is refused.
    let err = env.fails(&["add", "Cy", "--new-org", "acme corp"], 5);
    assert!(err.contains("already exists (#1"), "{err}");
    assert_eq!(env.dump(), before);
    env.ok(&["add", "Cy", "--new-org", "Umbrella"]);
    assert_eq!(env.json(&["org", "list"]).as_array().unwrap().len(), 2);

    // Several fit: listed, exit 4.
    env.ok(&["org", "add", "Stark Industries"]);
    env.ok(&["org", "add", "Stark Labs"]);
    let before = env.dump();
    let err = env.fails(&["add", "Di", "--org", "stark"], 4);
    assert!(
        err.contains("Stark Industries") && err.contains("Stark Labs"),
        "{err}"
    );
    // Scattered letters never pick one for a change.
    env.fails(&["add", "Di", "--org", "strkl"], 4);
    assert_eq!(env.dump(), before);
    env.ok(&["add", "Di", "--org", "stark lab"]);
    assert_eq!(
        env.json(&["show", "di"])["contact"]["organization"],
        "Stark Labs"
    );
}

#[test]
fn an_archived_organization_is_never_matched_first_nor_revived() {
    let env = Env::new();
    env.ok(&["org", "add", "Initech"]);
    env.ok(&["add", "Peter", "--org", "initech"]);
    env.ok(&["org", "rm", "initech"]);
    let before = env.dump();
    let err = env.fails(&["add", "Milton", "--org", "initech"], 3);
    assert!(err.contains("is archived; run `kith org restore"), "{err}");
    env.fails(&["add", "Milton", "--new-org", "Initech"], 5);
    assert_eq!(
        env.dump(),
        before,
        "an archived organization was revived or doubled"
    );

    // An active organization comes first, for writes and reads alike.
    env.ok(&["org", "add", "Initech Labs"]);
    env.ok(&["add", "Samir", "--org", "initech"]);
    assert_eq!(
        env.json(&["show", "samir"])["contact"]["organization"],
        "Initech Labs"
    );
    let people = env.json(&["list", "--org", "initech"]);
    assert_eq!(people.as_array().unwrap().len(), 1, "{people}");
    assert_eq!(people[0]["display_name"], "Samir");
    assert_eq!(
        env.json(&["org", "show", "initech"])["organization"]["name"],
        "Initech Labs"
    );
    // The archived one is still there for reads that name it exactly.
    assert_eq!(
        env.json(&["org", "show", "#1"])["organization"]["name"],
        "Initech"
    );
}

#[test]
fn an_email_domain_is_evidence_of_the_organization() {
    let env = Env::new();
    env.ok(&["org", "add", "Acme Corp", "--domain", "acme.example"]);
    env.ok(&["org", "add", "Globex"]);
    let out = env
        .kith()
        .args(["add", "Bo", "--email", "bo@acme.example"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Bo is at Acme Corp (#1), by the domain of their email"),
        "{stderr}"
    );
    assert_eq!(
        env.json(&["show", "bo"])["contact"]["organization"],
        "Acme Corp"
    );
    // An explicit --org wins; an unknown domain fills nothing.
    env.ok(&["add", "Cy", "--email", "cy@acme.example", "--org", "globex"]);
    assert_eq!(
        env.json(&["show", "cy"])["contact"]["organization"],
        "Globex"
    );
    env.ok(&["add", "Di", "--email", "di@elsewhere.example"]);
    assert_eq!(
        env.json(&["show", "di"])["contact"]["organization"],
        serde_json::Value::Null
    );
}

#[test]
fn links_keep_their_direction() {
    let env = Env::new();
    env.ok(&["add", "Maria Hill"]);
    env.ok(&["add", "Tom Stark"]);
    env.ok(&["link", "maria", "tom", "--as", "reports-to"]);
    env.ok(&["link", "tom", "maria", "--as", "mentor-of"]);
    env.ok(&["link", "tom", "maria", "--as", "knows"]);
    let relationships = |env: &Env| env.json(&["show", "maria"])["relationships"].clone();

    // The reverse of a directed link closes a loop: refused, nothing written.
    let before = env.dump();
    let err = env.fails(&["link", "tom", "maria", "--as", "reports-to"], 5);
    assert!(
        err.contains("Maria Hill (#1) already reports to Tom Stark (#2)"),
        "{err}"
    );
    // Unlinking the reverse of a directed link removes nothing, and says what is kept.
    let err = env.fails(&["unlink", "tom", "maria", "--as", "reports-to"], 3);
    assert!(
        err.contains("Maria Hill reports to Tom Stark is kept"),
        "{err}"
    );
    assert_eq!(env.dump(), before);

    // A symmetric kind linked the other way round is the same link.
    env.ok(&[
        "link",
        "maria",
        "tom",
        "--as",
        "knows",
        "--note",
        "since 2019",
    ]);
    assert_eq!(relationships(&env).as_array().unwrap().len(), 3);

    let out = env
        .kith()
        .args(["unlink", "maria", "tom", "--as", "reports-to"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("Removed 1 link: Maria Hill reports to Tom Stark"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left = relationships(&env);
    let kinds: Vec<&str> = left
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["knows", "mentor-of"], "{left}");

    // Without --as, every link between the two goes, and the output says so.
    let out = env
        .kith()
        .args(["unlink", "maria", "tom"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("Removed 2 links (every kind, both directions)"),
        "{said}"
    );
    assert!(relationships(&env).as_array().unwrap().is_empty());
}
