//! Imports that read exports as their writers meant them (issue 17): Outlook's empty dates,
//! Google's system groups, CSV columns kith does not know, a namesake that shares no key, a
//! bad `--map`, and a vdir tree of address-book folders.

use std::path::{Path, PathBuf};

use crate::common::Env;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/csv")
        .join(name)
}

fn by_name<'a>(list: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["display_name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {list:#}"))
}

/// Run `kith import ARGS` and return (stdout, stderr), expecting success.
fn import(env: &Env, args: &[&str]) -> (String, String) {
    let out = env
        .kith()
        .arg("import")
        .args(args)
        .output()
        .expect("run kith");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "import {args:?}: {:?}\n{stdout}\n{stderr}",
        out.status.code()
    );
    (stdout, stderr)
}

fn write(env: &Env, name: &str, text: &str) -> String {
    let path = env.dir.path().join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn outlooks_empty_dates_are_no_birthday_and_no_warning() {
    let env = Env::new();
    let path = fixture("outlook-empty-dates.csv");
    let (out, err) = import(&env, &[path.to_str().unwrap()]);
    assert_eq!(out, "imported: 3 new\n", "no notes, no warning\n{err}");
    assert!(err.is_empty(), "{err}");
    let list = env.json(&["list"]);
    assert!(by_name(&list, "Ada Lovelace")["birthday"].is_null());
    assert!(by_name(&list, "Jürgen Müller")["birthday"].is_null());
    assert_eq!(by_name(&list, "Grace Hopper")["birthday"], "1906-12-09");
    // Nothing of the blanks is kept either: no BDAY text, no empty anniversary.
    let vcards = env.ok(&["export", "--format", "vcard"]);
    assert_eq!(vcards.matches("BDAY").count(), 1, "{vcards}");
    assert!(!vcards.contains("ANNIVERSARY"), "{vcards}");
    assert!(!vcards.contains("0/0/0"), "{vcards}");
    let json = env.json(&["import", path.to_str().unwrap()]);
    assert_eq!(json["counts"]["unchanged"], 3, "{json:#}");
    assert_eq!(json["unknown_columns"], serde_json::json!([]), "{json:#}");

    // The same in a vCard: a BDAY of zeros is no birthday, and no warning.
    let card = write(
        &env,
        "blank.vcf",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Blank Birthday\r\nBDAY:0000-00-00\r\nEND:VCARD\r\n",
    );
    let (out, err) = import(&env, &[&card]);
    assert_eq!(out, "imported: 1 new\n", "{err}");
    assert!(by_name(&env.json(&["list"]), "Blank Birthday")["birthday"].is_null());
}

#[test]
fn googles_system_groups_are_not_tags_and_a_star_is_kept() {
    let env = Env::new();
    let path = fixture("google-starred.csv");
    let (out, _) = import(&env, &[path.to_str().unwrap()]);
    assert_eq!(out, "imported: 2 new\n");
    let list = env.json(&["list"]);
    assert_eq!(
        by_name(&list, "Ada Lovelace")["tags"],
        serde_json::json!(["clients"])
    );
    assert_eq!(
        by_name(&list, "Grace Hopper")["tags"],
        serde_json::json!([])
    );
    assert!(env.json(&["tags"]).to_string().contains("clients"));
    assert!(!env.json(&["tags"]).to_string().contains("starred"));
    // The star goes out with the contact in a vCard export, and only Ada has one.
    let vcards = env.ok(&["export", "--format", "vcard"]);
    assert_eq!(vcards.matches("X-KITH-STARRED:TRUE").count(), 1, "{vcards}");
    let ada = vcards
        .split("END:VCARD")
        .find(|card| card.contains("FN:Ada Lovelace"))
        .unwrap();
    assert!(ada.contains("X-KITH-STARRED:TRUE"), "{ada}");
    assert!(
        !vcards.to_ascii_lowercase().contains("mycontacts"),
        "{vcards}"
    );
    // Importing the file again changes nothing.
    let before = env.dump();
    let (out, _) = import(&env, &[path.to_str().unwrap()]);
    assert_eq!(out, "imported: 0 new, 2 unchanged\n");
    assert_eq!(before, env.dump());
}

#[test]
fn unknown_columns_are_kept_named_and_mapped_on_request() {
    let env = Env::new();
    let csv = write(
        &env,
        "leads.csv",
        "Name,Mail,Firm,Shoe Size,Empty\n\
         Ann Lee,ann@acme.example,Acme,38,\n\
         Bob Ray,bob@initech.example,Initech,,\n",
    );
    let json = env.json(&["import", &csv, "--dry-run"]);
    assert_eq!(
        json["unknown_columns"],
        serde_json::json!([
            {"file": csv, "column": "Firm", "property": "X-CSV-FIRM"},
            {"file": csv, "column": "Shoe Size", "property": "X-CSV-SHOE-SIZE"},
        ]),
        "a column with no value kept is not named\n{json:#}"
    );
    let (out, _) = import(&env, &[&csv]);
    assert!(
        out.contains(&format!(
            "{csv}: kept 2 columns kith does not know as extra properties (X-CSV-...): \"Firm\", \"Shoe Size\"\n"
        )),
        "{out}"
    );
    assert!(
        out.contains("--map \"Firm=FIELD\" reads one as a field ("),
        "{out}"
    );
    assert!(out.contains("organization"), "the fields are listed: {out}");
    // Kept as before.
    let vcards = env.ok(&["export", "--format", "vcard"]);
    assert!(vcards.contains("X-CSV-FIRM:Acme"), "{vcards}");
    assert!(vcards.contains("X-CSV-SHOE-SIZE:38"), "{vcards}");

    // With --map, the column is read as a field and no longer named.
    let env = Env::new();
    let json = env.json(&[
        "import",
        &csv,
        "--map",
        "Firm=organization",
        "--map",
        "Shoe Size=ignore",
    ]);
    assert_eq!(json["unknown_columns"], serde_json::json!([]), "{json:#}");
    let list = env.json(&["list"]);
    assert_eq!(by_name(&list, "Ann Lee")["organization"], "Acme");
    let (out, _) = import(&env, &[&csv, "--map", "Firm=organization"]);
    assert!(out.contains("\"Shoe Size\""), "{out}");
    assert!(!out.contains("\"Firm\""), "{out}");
}

#[test]
fn a_bad_map_is_a_usage_error_that_lists_the_fields() {
    let env = Env::new();
    let csv = write(&env, "leads.csv", "Name,Firm\nAnn Lee,Acme\n");
    for bad in ["Firm", "Firm=company_name", "=email"] {
        let err = env.fails(&["import", &csv, "--map", bad], 2);
        assert!(err.contains(&format!("--map \"{bad}\"")), "{err}");
        if bad != "=email" {
            assert!(
                err.contains("display_name, given_name, family_name"),
                "{err}"
            );
        }
    }
    assert!(!env.db.exists(), "nothing was written");
}

#[test]
fn a_namesake_with_no_key_in_common_is_new_with_the_warning_add_gives() {
    let env = Env::new();
    env.ok(&["add", "Ann Lee", "--email", "ann@old.example"]);
    let csv = write(
        &env,
        "ann.csv",
        "Name,E-mail Address\nann lee,ann@new.example\nBob Ray,bob@ray.example\n",
    );
    let dry = env.json(&["import", &csv, "--dry-run"]);
    let notes = dry["entries"][0]["notes"].to_string();
    assert!(notes.contains("Ann Lee (#1) has the same name"), "{dry:#}");
    assert!(
        !notes.contains("kith merge"),
        "no command on a dry run: {notes}"
    );
    // Refused for a bad record: nothing is written, so no id of it and no command to run.
    let refused = write(
        &env,
        "refused.csv",
        "Name,E-mail Address,Birthday\nann lee,ann@new.example,\n,,1999-01-02\n",
    );
    let out = env.kith().args(["import", &refused]).output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(
            "Ann Lee (#1) has the same name but no UID, email or phone in common; this would be a new contact"
        ),
        "{said}"
    );
    assert!(
        !said.contains("#2") && !said.contains("kith merge"),
        "{said}"
    );
    let (out, _) = import(&env, &[&csv]);
    assert!(
        out.contains(&format!(
            "new       {csv}:2: contact ann lee\n          Ann Lee (#1) has the same name; use #2 to tell them apart, or `kith edit` one; `kith merge '#1' '#2'` if they are one person\n"
        )),
        "{out}"
    );
    assert!(
        !out.contains("Bob Ray\n          "),
        "no note for Bob: {out}"
    );
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), 3);
    // Again: matched by their own key now, nothing to say.
    let json = env.json(&["import", &csv]);
    assert_eq!(json["counts"]["unchanged"], 2, "{json:#}");
    assert!(json["entries"][0].get("notes").is_none(), "{json:#}");
    // The suggested command does what it says.
    env.ok(&["merge", "#1", "#2"]);
    let list = env.json(&["list"]);
    let ann = by_name(&list, "Ann Lee");
    assert_eq!(ann["emails"].as_array().unwrap().len(), 2, "{ann:#}");
}

#[test]
fn a_vdir_tree_is_read_folder_by_folder() {
    let env = Env::new();
    let card = |name: &str, uid: &str| {
        format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nEND:VCARD\r\n")
    };
    write(&env, "contacts/family/a.vcf", &card("Ann Lee", "a"));
    write(&env, "contacts/work/b.vcf", &card("Bob Ray", "b"));
    write(&env, "contacts/work/c.vcf", &card("Cat Ng", "c"));
    write(&env, "contacts/work/deep/d.vcf", &card("Dee Oak", "d"));
    // Hidden folders and files (a sync tool's state, kith's own export list) are not read.
    write(&env, "contacts/.git/x.vcf", &card("Hidden One", "x"));
    write(&env, "contacts/work/.kith-export", "not a card\n");
    std::fs::create_dir_all(env.dir.path().join("contacts/empty")).unwrap();
    let tree = env.dir.path().join("contacts");
    let tree = tree.to_str().unwrap();
    let (out, _) = import(&env, &[tree]);
    assert!(
        out.contains(&format!(
            "read 3 folders: {tree}/family (1 file), {tree}/work (2 files), {tree}/work/deep (1 file)\n"
        )),
        "{out}"
    );
    assert!(out.ends_with("imported: 4 new\n"), "{out}");
    let names: Vec<String> = env
        .json(&["list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["display_name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Ann Lee", "Bob Ray", "Cat Ng", "Dee Oak"]);
    let json = env.json(&["import", tree]);
    assert_eq!(json["folders"][1]["folder"], format!("{tree}/work"));
    assert_eq!(json["folders"][1]["files"], 2);
    assert_eq!(json["counts"]["unchanged"], 4);

    // A folder with nothing to read, in it or below, says so.
    let empty = env.dir.path().join("contacts/empty");
    let err = env.fails(&["import", empty.to_str().unwrap()], 5);
    assert!(err.contains("in it or in any folder in it"), "{err}");
}

/// An office line is not a person: a card of another name that shares only a phone number
/// with a stored contact is someone else, and a record whose emails are several stored
/// contacts' is merged into none of them (it would give one their emails).
#[test]
fn a_shared_phone_or_several_peoples_emails_merge_nobody() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Maria Hill",
        "--email",
        "maria@globex.example",
        "--phone",
        "work:+1 415 555 0100",
    ]);
    let tom = env.dir.path().join("tom.vcf");
    std::fs::write(
        &tom,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Tom Baker\r\nEMAIL:tom@globex.example\r\n\
         TEL;TYPE=WORK:(415) 555-0100\r\nTITLE:CFO\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let said = env.ok(&["import", tom.to_str().unwrap()]);
    assert!(
        said.contains("shares a phone number with stored contact \"Maria Hill\" (#1), whose name differs: added as a new contact; `kith merge '#1' '#2'` if they are one person"),
        "{said}"
    );
    let maria = env.json(&["show", "maria"]);
    assert_eq!(maria["contact"]["emails"].as_array().unwrap().len(), 1);
    assert!(maria["contact"]["title"].is_null(), "{maria}");
    assert!(
        env.ok(&["show", "tom@globex.example"])
            .starts_with("Tom Baker")
    );
    // The same card again changes nothing; the same person by name still merges.
    assert!(
        env.ok(&["import", tom.to_str().unwrap()])
            .contains("0 new, 1 unchanged")
    );
    let maria_again = env.dir.path().join("maria.vcf");
    std::fs::write(
        &maria_again,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maria Hill\r\nTEL:+14155550100\r\nTITLE:COO\r\nEND:VCARD\r\n",
    )
    .unwrap();
    assert!(
        env.ok(&["import", maria_again.to_str().unwrap()])
            .contains("1 merged")
    );

    // Two people stored, then a row with both their emails, under either name or another.
    let two = env.dir.path().join("two.csv");
    std::fs::write(
        &two,
        "Name,E-mail Address\nAnn,ann@x.example\nBob,bob@x.example\n",
    )
    .unwrap();
    assert!(env.ok(&["import", two.to_str().unwrap()]).contains("2 new"));
    let both = env.dir.path().join("both.csv");
    std::fs::write(
        &both,
        "Name,E-mail Address,E-mail 2 Address\nAnn Bob,ann@x.example,bob@x.example\nBob,bob@x.example,ann@x.example\n",
    )
    .unwrap();
    let said = env.ok(&["import", both.to_str().unwrap()]);
    assert!(said.contains("0 new, 2 skipped"), "{said}");
    let both_named = "its emails are those of 2 stored contacts, \"Ann\" (#3) and \"Bob\" (#4)";
    assert_eq!(said.matches(both_named).count(), 2, "{said}");
    assert!(env.ok(&["show", "bob@x.example"]).starts_with("Bob"));
    assert!(env.ok(&["show", "ann@x.example"]).starts_with("Ann"));
}

/// A calendar given to `import` says where it goes instead (`kith capture`), and a refused
/// import's counts read as what it would have done.
#[test]
fn a_calendar_is_pointed_at_capture_and_a_refused_import_says_what_it_would_have_done() {
    let env = Env::new();
    let calendar = env.dir.path().join("meetings.ics");
    std::fs::write(
        &calendar,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let err = env.fails(&["import", calendar.to_str().unwrap()], 5);
    assert!(
        err.contains("is a calendar or a mailbox, not contacts: `kith capture`"),
        "{err}"
    );
    let leads = env.dir.path().join("leads.jsonl");
    std::fs::write(
        &leads,
        "{\"display_name\": \"Ada\"}\n{\"display_name\": \"Bob\", \"emails\": [\"bob-at\"]}\n",
    )
    .unwrap();
    let out = env
        .kith()
        .args(["import", leads.to_str().unwrap()])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("nothing imported (it would have been 1 new, 1 invalid)"),
        "{said}"
    );
}
