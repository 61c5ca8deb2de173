//! kith's own JSON/JSONL: full backup round trip, script-friendly JSONL, and refusals.

use crate::common::Env;

/// A small world with every kind of record: organizations, tags, relationships, an
/// interaction, follow-ups (one done, one recurring), an archived contact.
pub fn populate(env: &Env) {
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
        "--prefers",
        "email",
        "--every",
        "2m",
        "--birthday",
        "1815-12-10",
        "--note",
        "Line one\nLine two",
    ]);
    env.ok(&[
        "add",
        "Grace Hopper",
        "--email",
        "grace@navy.example",
        "--new-org",
        "US Navy",
    ]);
    env.ok(&["add", "Old Friend", "--phone", "+1 555 0100"]);
    env.ok(&["rm", "old friend"]);
    env.ok(&[
        "link",
        "ada",
        "grace",
        "--as",
        "introduced-by",
        "--note",
        "PyCon",
    ]);
    env.ok(&[
        "log",
        "ada,grace",
        "--via",
        "meeting",
        "--at",
        "2026-11-20 15:00",
        "Kick-off",
    ]);
    env.ok(&[
        "remind",
        "ada",
        "send proposal",
        "--due",
        "2026-12-01",
        "--every",
        "2w",
    ]);
    env.ok(&["done", "1"]);
    env.ok(&[
        "remind",
        "--org",
        "US Navy",
        "renewal",
        "--due",
        "2026-12-10",
    ]);
    env.ok(&["org", "edit", "US Navy", "--domain", "navy.example"]);
}

#[test]
fn json_backup_restores_exactly() {
    for format in ["json", "jsonl"] {
        let a = Env::new();
        populate(&a);
        let backup = a.dir.path().join(format!("backup.{format}"));
        a.ok(&[
            "export",
            "--format",
            format,
            "--out",
            backup.to_str().unwrap(),
        ]);
        let first = std::fs::read_to_string(&backup).unwrap();

        let b = Env::new();
        b.ok(&["import", backup.to_str().unwrap()]);
        let second = b.ok(&["export", "--format", format]);
        assert_eq!(first, second, "{format} round trip differs");
        assert!(first.contains("Kick-off") && first.contains("renewal"));

        // The same backup again changes nothing at all.
        let before = b.dump();
        let out = b.ok(&["import", backup.to_str().unwrap()]);
        assert!(out.contains("0 new"), "{out}");
        assert_eq!(before, b.dump());
    }
}

/// A JSONL file whose organizations come after the contacts that name them (a script's, or
/// a backup reordered) restores as exactly as kith's own order: each organization keeps the
/// UID, domain, tags and times of its record, not those made up for the first contact
/// naming it, and a follow-up on it still finds it.
#[test]
fn organizations_after_their_people_restore_exactly() {
    let a = Env::new();
    populate(&a);
    a.ok(&["org", "edit", "Analytical Engines", "--tag", "+partner"]);
    let backup = a.ok(&["export", "--format", "jsonl"]);
    let kind = |line: &&str| {
        serde_json::from_str::<serde_json::Value>(line).unwrap()["type"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let lines: Vec<&str> = backup.lines().collect();
    let of = |wanted: &str| -> Vec<&str> {
        lines
            .iter()
            .filter(|l| kind(l) == wanted)
            .copied()
            .collect()
    };
    let mut moved = of("contact");
    moved.extend(of("organization"));
    moved.extend(lines.iter().filter(|l| {
        let k = kind(l);
        k != "contact" && k != "organization"
    }));
    assert_eq!(moved.len(), lines.len());
    assert!(moved.iter().position(|l| kind(l) == "organization") > Some(0));
    let file = a.dir.path().join("moved.jsonl");
    std::fs::write(&file, moved.join("\n") + "\n").unwrap();

    let b = Env::new();
    let out = b.ok(&["import", file.to_str().unwrap()]);
    assert!(!out.contains("merged"), "{out}");
    assert_eq!(b.ok(&["export", "--format", "jsonl"]), backup);
    let again = b.ok(&["import", file.to_str().unwrap()]);
    assert!(again.contains(" 0 new"), "{again}");
}

#[test]
fn exports_are_private_files() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    populate(&env);
    let out = env.dir.path().join("backup.json");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.ok(&["export", "--out", out.to_str().unwrap()]);
    let mode = std::fs::metadata(&out).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(std::fs::read_to_string(&out).unwrap().starts_with('{'));
}

#[test]
fn scripts_stream_jsonl_from_stdin() {
    let env = Env::new();
    let lines = "{\"display_name\": \"Ada Lovelace\", \"emails\": [\"ada@example.com\"], \"organization\": \"Analytical Engines\", \"tags\": [\"lead\"]}\n{\"given_name\": \"Grace\", \"family_name\": \"Hopper\", \"phones\": [{\"label\": \"work\", \"value\": \"+1 202 555 0147\"}]}\n";
    let out = env
        .kith()
        .args(["import", "--format", "jsonl", "-"])
        .write_stdin(lines)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = env.json(&["list"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ada Lovelace", "Grace Hopper"]);
    // Again: nothing changes, even without UIDs in the input.
    let before = env.dump();
    let out = env
        .kith()
        .args(["import", "--format", "jsonl", "-"])
        .write_stdin(lines)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 unchanged"));
    assert_eq!(before, env.dump());
}

#[test]
fn one_bad_line_writes_nothing_and_names_every_problem() {
    let env = Env::new();
    let path = env.dir.path().join("leads.jsonl");
    std::fs::write(
        &path,
        "{\"display_name\": \"Ada\", \"emails\": [\"ada@example.com\"]}\n{\"display_name\": \"Bob\", \"emails\": [\"bob-at-example\"]}\n\n{\"display_name\": \"Cy\", \"cadense\": \"2w\"}\n",
    )
    .unwrap();
    let err = env.fails(&["import", path.to_str().unwrap()], 5);
    let p = path.display().to_string();
    assert!(
        err.contains(&format!("{p}:2: invalid email \"bob-at-example\"")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{p}:4: contact: unknown field `cadense`")),
        "{err}"
    );
    assert!(
        err.contains("nothing imported: 2 invalid records (fix them"),
        "{err}"
    );
    assert!(!env.db.exists() || env.json(&["list"]).as_array().unwrap().is_empty());

    // --skip-invalid imports Ada and says what it skipped, with its own exit code.
    let err = env.fails(&["import", path.to_str().unwrap(), "--skip-invalid"], 8);
    assert!(err.contains(":2:"), "{err}");
    assert!(err.contains("skipped 2 invalid records"), "{err}");
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), 1);
}

#[test]
fn errors_name_the_field_and_say_what_a_time_looks_like() {
    let env = Env::new();
    let path = env.dir.path().join("bad.jsonl");
    std::fs::write(
        &path,
        concat!(
            "{\"display_name\": \"Cy\", \"created_at\": \"garbage\"}\n",
            "{\"display_name\": \"Di\", \"emails\": 5}\n",
            "{\"type\": \"interaction\", \"occurred_at\": \"2026-13-01T00:00:00Z\", \"channel\": \"call\", \"summary\": \"x\"}\n",
            "{\"display_name\": \"Ed\", \"extra\": [\"X-ABUID:1\", \"NOTALINE\"]}\n",
            "{\"display_name\": \"Fi\", \"extra\": [\"X-A:b\\r\\nEVIL:1\"]}\n",
            "{\"display_name\": \"Gil\", \"extra\": [\"END:VCARD\", \"BEGIN:VCARD\", \"FN:Injected\"]}\n",
            "{\"display_name\": \"Hal\", \"emails\": [\"h@example.org\", {\"lable\": \"w\", \"value\": \"h2@example.org\"}]}\n",
        ),
    )
    .unwrap();
    let err = env.fails(&["import", path.to_str().unwrap()], 5);
    let p = path.display().to_string();
    let time = "expected RFC 3339, such as 2026-11-24T10:00:00Z";
    for said in [
        format!(
            "{p}:1: contact: created_at is not a time (input contains invalid characters): {time}"
        ),
        format!("{p}:2: contact: emails: invalid type: integer `5`, expected a sequence"),
        format!("{p}:3: interaction: occurred_at is not a time (input is out of range): {time}"),
        format!(
            "{p}:4: extra[1] \"NOTALINE\" is not a vCard content line (NAME:value): it has no ':'"
        ),
        format!(
            "{p}:5: extra[0] \"X-A:b\\r\\nEVIL:1\" is not a vCard content line (NAME:value): it holds a line break or NUL"
        ),
        format!("{p}:6: extra[0] \"END:VCARD\" cannot be kept: kith writes END itself"),
        format!(
            "{p}:7: contact: emails[1]: neither text nor an object of \"value\" and an optional \"label\""
        ),
    ] {
        assert!(err.contains(&said), "{said}\nin\n{err}");
    }
    assert!(!env.db.exists() || env.json(&["list"]).as_array().unwrap().is_empty());
    // The report names each invalid record by its kind and name, as far as they could be read.
    let out = env
        .kith()
        .args(["import", path.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &report["entries"][0];
    assert_eq!(
        (&first["kind"], &first["name"]),
        (&"contact".into(), &"Cy".into())
    );
    assert_eq!(report["entries"][2]["kind"], "interaction");

    // A whole JSON document names the record too.
    let doc = env.dir.path().join("bad.json");
    std::fs::write(
        &doc,
        r#"{"kith_format": 1, "contacts": [{"display_name": "A"}, {"display_name": "B", "updated_at": "2026-01-01"}]}"#,
    )
    .unwrap();
    let err = env.fails(&["import", doc.to_str().unwrap()], 5);
    assert!(
        err.contains("contacts[1].updated_at is not a time (premature end of input"),
        "{err}"
    );
}
