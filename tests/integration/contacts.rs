//! add, edit, rm, restore, list, show, tag, tags, and WHO resolution.

use std::os::unix::fs::PermissionsExt;

use crate::common::Env;

/// The session a new user scripts: 3 contacts in 2 organizations with tags, 2 relationships,
/// 5 interactions and 3 follow-ups; list, show and org show reflect all of it.
#[test]
fn scripted_session_is_reflected_everywhere() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Ada Lovelace",
        "--email",
        "work:ada@analytical.example",
        "--phone",
        "mobile:+44 20 7946 0958",
        "--new-org",
        "Analytical Engines",
        "--title",
        "CTO",
        "--tag",
        "client",
        "--tag",
        "vip",
        "--prefers",
        "email",
        "--every",
        "2m",
        "--birthday",
        "1815-12-10",
    ]);
    env.ok(&[
        "add",
        "Charles Babbage",
        "--email",
        "charles@analytical.example",
        "--org",
        "Analytical Engines",
        "--title",
        "Founder",
        "--tag",
        "client",
    ]);
    env.ok(&[
        "add",
        "Grace Hopper",
        "--email",
        "grace@navy.example",
        "--new-org",
        "US Navy",
        "--tag",
        "prospect",
        "--note",
        "Met at the conference",
    ]);
    env.ok(&["link", "ada", "charles", "--as", "works with"]);
    env.ok(&[
        "link",
        "ada",
        "grace",
        "--as",
        "introduced-by",
        "--note",
        "PyCon 2026",
    ]);
    env.ok(&[
        "log",
        "ada",
        "--via",
        "call",
        "--at",
        "2026-11-20 15:00",
        "Budget approved; wants proposal",
    ]);
    env.ok(&[
        "log",
        "ada,charles",
        "--via",
        "meeting",
        "--at",
        "2026-11-10",
        "Kick-off",
    ]);
    env.ok(&[
        "log",
        "grace",
        "--via",
        "email",
        "--out",
        "--at",
        "yesterday",
        "Sent intro deck",
    ]);
    env.ok(&[
        "log",
        "charles",
        "--via",
        "message",
        "--in",
        "Asked about invoices",
    ]);
    env.ok(&[
        "log",
        "grace",
        "--via",
        "video",
        "--at",
        "3 days ago",
        "Demo call",
    ]);
    env.ok(&["remind", "ada", "send the proposal", "--due", "2026-12-01"]);
    env.ok(&[
        "remind",
        "grace",
        "follow up on the deck",
        "--due",
        "yesterday",
    ]);
    env.ok(&[
        "remind",
        "--org",
        "analytical",
        "renewal",
        "--due",
        "in 6 weeks",
        "--every",
        "1y",
    ]);

    let list = env.json(&["list"]);
    let people = list.as_array().unwrap();
    assert_eq!(people.len(), 3);
    let ada = &people[0];
    assert_eq!(ada["display_name"], "Ada Lovelace");
    assert_eq!(ada["organization"], "Analytical Engines");
    assert_eq!(ada["title"], "CTO");
    assert_eq!(ada["emails"][0]["label"], "work");
    assert_eq!(ada["emails"][0]["value"], "ada@analytical.example");
    assert_eq!(ada["phones"][0]["value"], "+44 20 7946 0958");
    assert_eq!(ada["tags"], serde_json::json!(["client", "vip"]));
    assert_eq!(ada["birthday"], "1815-12-10");
    assert_eq!(ada["preferred_channel"], "email");
    assert_eq!(ada["cadence"], "2m");
    assert_eq!(ada["last_contact_at"], "2026-11-20T15:00:00Z");
    assert_eq!(people[1]["display_name"], "Charles Babbage");
    assert_eq!(people[1]["last_contact_at"], "2026-11-24T10:00:00Z");
    assert_eq!(people[2]["notes"], "Met at the conference");

    let show = env.ok(&["show", "ada"]);
    for expected in [
        "Ada Lovelace",
        "CTO at Analytical Engines",
        "#client #vip",
        "ada@analytical.example",
        "Budget approved; wants proposal",
        "Kick-off",
        "send the proposal",
        "works with Charles Babbage",
        "introduced by Grace Hopper (#3)",
        "PyCon 2026",
        "every 2 months",
        "turns 211",
    ] {
        assert!(show.contains(expected), "show lacks {expected:?}:\n{show}");
    }
    let brief = env.json(&["show", "ada"]);
    assert_eq!(brief["interactions"].as_array().unwrap().len(), 2);
    assert_eq!(brief["follow_ups"].as_array().unwrap().len(), 1);
    assert_eq!(brief["relationships"].as_array().unwrap().len(), 2);
    assert_eq!(brief["status"]["days_since_last_contact"], 4);

    let org = env.ok(&["org", "show", "analytical engines"]);
    for expected in [
        "Ada Lovelace, CTO",
        "Charles Babbage, Founder",
        "Kick-off",
        "Asked about invoices",
        "Budget approved",
        "renewal",
        "send the proposal",
    ] {
        assert!(
            org.contains(expected),
            "org show lacks {expected:?}:\n{org}"
        );
    }
    let org = env.json(&["org", "show", "analytical"]);
    assert_eq!(org["people"].as_array().unwrap().len(), 2);
    // The merged timeline holds each interaction once, even with two participants there.
    assert_eq!(org["interactions"].as_array().unwrap().len(), 3);
    assert_eq!(org["follow_ups"].as_array().unwrap().len(), 2);

    let reminders = env.json(&["reminders"]);
    assert_eq!(reminders.as_array().unwrap().len(), 3);
    assert_eq!(reminders[0]["text"], "follow up on the deck");
    assert_eq!(reminders[0]["due"], "2026-11-23");

    let mode = std::fs::metadata(&env.db).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "database mode {mode:o}");
    let dir_mode = std::fs::metadata(env.db.parent().unwrap())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(dir_mode & 0o777, 0o700, "directory mode {dir_mode:o}");
}

#[test]
fn bad_values_name_the_field_and_write_nothing() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace", "--email", "ada@example.com"]);
    let before = env.dump();
    let cases: &[(&[&str], &str)] = &[
        (&["add", "Bob", "--email", "bob@"], "invalid email \"bob@\""),
        (&["add", "Bob", "--email", "not an email"], "invalid email"),
        (
            &["add", "Bob", "--phone", "call me maybe"],
            "invalid phone \"call me maybe\"",
        ),
        (
            &["add", "Bob", "--birthday", "1990-02-30"],
            "invalid birthday \"1990-02-30\"",
        ),
        (
            &["add", "Bob", "--prefers", "pigeon"],
            "invalid channel \"pigeon\"",
        ),
        (
            &["add", "Bob", "--every", "sometimes"],
            "invalid cadence \"sometimes\"",
        ),
        (
            &["add", "Bob", "--tag", "two words"],
            "invalid tag \"two words\"",
        ),
        (&["add", "   "], "invalid name"),
        (&["edit", "ada", "--email", "x@y"], "invalid email \"x@y\""),
        (
            &["edit", "ada", "--rm-email", "nobody@example.com"],
            "nobody@example.com",
        ),
        (
            &["remind", "ada", "call back", "--due", "someday soon"],
            "\"someday soon\"",
        ),
        (
            &["log", "ada", "--at", "the other day", "Call"],
            "\"the other day\"",
        ),
        (&["log", "ada", "--via", "pigeon", "Call"], "\"pigeon\""),
        (&["snooze", "1", "--until", "later"], "\"later\""),
        (
            &[
                "remind", "ada", "x", "--due", "tomorrow", "--every", "often",
            ],
            "\"often\"",
        ),
        (&["link", "ada", "ada", "--as", "knows"], "themselves"),
    ];
    for (args, message) in cases {
        let err = env.fails(args, 5);
        assert!(
            err.contains(message),
            "kith {args:?}: {err:?} lacks {message:?}"
        );
        assert_eq!(env.dump(), before, "kith {args:?} changed the database");
    }
}

#[test]
fn unknown_and_ambiguous_names() {
    let env = Env::new();
    env.ok(&[
        "add",
        "John Smith",
        "--new-org",
        "Acme",
        "--email",
        "john@acme.example",
    ]);
    env.ok(&["add", "John Smith", "--new-org", "Globex"]);
    env.ok(&["add", "Jürgen Müller", "--phone", "+49 30 1234567"]);
    let before = env.dump();

    let err = env.fails(&["show", "nobody-like-this"], 3);
    assert!(
        err.contains("no contact matches \"nobody-like-this\""),
        "{err}"
    );

    let err = env.fails(&["show", "john smith"], 4);
    assert!(err.contains("#1") && err.contains("#2"), "{err}");
    assert!(err.contains("Acme") && err.contains("Globex"), "{err}");
    let err = env.fails(&["log", "john", "Call"], 4);
    assert!(err.contains("#1"), "{err}");
    assert_eq!(env.dump(), before, "an ambiguous log wrote something");

    // Every way of naming someone.
    assert_eq!(
        env.json(&["show", "#2"])["contact"]["organization"],
        "Globex"
    );
    assert_eq!(env.json(&["show", "JOHN@ACME.EXAMPLE"])["contact"]["id"], 1);
    assert_eq!(env.json(&["show", "0049 30 123 4567"])["contact"]["id"], 3);
    assert_eq!(env.json(&["show", "+49-30-1234567"])["contact"]["id"], 3);
    assert_eq!(env.json(&["show", "jurgen"])["contact"]["id"], 3);
    assert_eq!(env.json(&["show", "MULLER"])["contact"]["id"], 3);
    let uid = env.json(&["show", "#3"])["contact"]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(env.json(&["show", &uid])["contact"]["id"], 3);
    env.fails(&["show", "#99"], 3);
}

#[test]
fn edit_with_flags_and_in_the_editor() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Ada Lovelace",
        "--email",
        "ada@old.example",
        "--title",
        "CTO",
        "--birthday",
        "1815-12-10",
    ]);
    env.ok(&[
        "edit",
        "ada",
        "--title",
        "CEO",
        "--email",
        "home:ada@home.example",
        "--rm-email",
        "ADA@old.example",
        "--unset",
        "birthday",
        "--tag",
        "client",
    ]);
    let c = env.json(&["show", "ada"])["contact"].clone();
    assert_eq!(c["title"], "CEO");
    assert_eq!(
        c["emails"],
        serde_json::json!([{"label": "home", "value": "ada@home.example"}])
    );
    assert_eq!(c["birthday"], serde_json::Value::Null);
    assert_eq!(c["tags"], serde_json::json!(["client"]));

    // $EDITOR: a script that rewrites the title line.
    let editor = env.dir.path().join("editor.sh");
    std::fs::write(&editor, "#!/bin/sh\nsed -i 's/^title: .*/title: Countess/; s/^nickname: .*/nickname: Enchantress/' \"$1\"\n").unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = env
        .kith()
        .env("EDITOR", &editor)
        .args(["edit", "ada"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c = env.json(&["show", "ada"])["contact"].clone();
    assert_eq!(c["title"], "Countess");
    assert_eq!(c["nickname"], "Enchantress");
    assert_eq!(c["emails"][0]["value"], "ada@home.example");

    // An editor that leaves the file alone changes nothing.
    let before = env.dump();
    let out = env
        .kith()
        .env("EDITOR", "true")
        .args(["edit", "ada"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("No changes"));
    assert_eq!(env.dump(), before);

    // An invalid save from a script is refused with the line, and nothing is written.
    std::fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/^email: .*/email: broken@/' \"$1\"\n",
    )
    .unwrap();
    let out = env
        .kith()
        .env("EDITOR", &editor)
        .args(["edit", "ada"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken@") && err.contains("line"), "{err}");
    assert_eq!(env.dump(), before);
}

#[test]
fn archive_restore_and_purge() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    env.ok(&["add", "Grace Hopper"]);
    env.ok(&["log", "ada", "--via", "call", "Chat"]);
    env.ok(&["rm", "ada"]);
    let names: Vec<String> = env
        .json(&["list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["display_name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Grace Hopper"]);
    let archived = env.json(&["list", "--archived"]);
    assert_eq!(archived[0]["display_name"], "Ada Lovelace");
    assert!(archived[0]["archived_at"].is_string());
    env.ok(&["restore", "ada"]);
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), 2);

    let before = env.dump();
    let err = env.fails(&["rm", "--purge", "ada"], 2);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(env.dump(), before);
    env.ok(&["rm", "--purge", "--yes", "ada"]);
    env.fails(&["show", "ada"], 3);
    assert!(
        !env.dump().contains("Chat"),
        "the purged contact's interaction stayed"
    );
}

#[test]
fn tags_add_remove_and_count() {
    let env = Env::new();
    env.ok(&["add", "Ada", "--tag", "prospect"]);
    env.ok(&["add", "Grace", "--tag", "client"]);
    env.ok(&["tag", "ada", "+client", "+VIP", "-prospect"]);
    assert_eq!(
        env.json(&["show", "ada"])["contact"]["tags"],
        serde_json::json!(["client", "vip"])
    );
    let tags = env.json(&["tags"]);
    assert_eq!(
        tags,
        serde_json::json!([
            {"name": "client", "contacts": 2, "organizations": 0},
            {"name": "vip", "contacts": 1, "organizations": 0}
        ])
    );
    let clients = env.json(&["list", "--tag", "client"]);
    assert_eq!(clients.as_array().unwrap().len(), 2);
    let text = env.ok(&["tags"]);
    assert!(text.contains("client") && text.contains('2'), "{text}");
}

#[test]
fn list_sorts_and_formats() {
    let env = Env::new();
    env.ok(&["add", "Zoë Zed", "--email", "zoe@example.com"]);
    env.ok(&[
        "add",
        "Ada Apple",
        "--new-org",
        "Acme",
        "--email",
        "ada@acme.example",
    ]);
    env.ok(&["add", "Max Mid"]);
    env.ok(&["log", "max", "--at", "2026-11-01", "Old chat"]);
    env.ok(&["log", "zoe", "--at", "2026-11-20", "New chat"]);
    let names = |v: serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["display_name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names(env.json(&["list"])),
        ["Ada Apple", "Max Mid", "Zoë Zed"]
    );
    assert_eq!(
        names(env.json(&["list", "--sort", "last-contact"])),
        ["Zoë Zed", "Max Mid", "Ada Apple"]
    );
    assert_eq!(
        names(env.json(&["list", "--sort", "created"])),
        ["Zoë Zed", "Ada Apple", "Max Mid"]
    );
    assert_eq!(names(env.json(&["list", "--org", "acme"])), ["Ada Apple"]);

    let csv_text = env.ok(&["list", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[2], "display_name");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][2], "Ada Apple");
    assert_eq!(&rows[0][6], "Acme");
    assert_eq!(&rows[0][8], "ada@acme.example");

    let table = env.ok(&["list"]);
    assert!(table.lines().next().unwrap().contains("NAME"), "{table}");
    assert!(
        table.contains("Zoë Zed") && table.contains("4 days ago"),
        "{table}"
    );
}
