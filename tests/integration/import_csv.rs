//! CSV address books: Google, Outlook, LinkedIn, any CSV with --map, and kith's own export.

use std::path::{Path, PathBuf};

use crate::common::Env;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/csv")
        .join(name)
}

fn contact<'a>(list: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["display_name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {list:#}"))
}

fn values(c: &serde_json::Value, field: &str) -> Vec<String> {
    c[field]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| match x["label"].as_str() {
            Some(l) => format!("{l}:{}", x["value"].as_str().unwrap()),
            None => x["value"].as_str().unwrap().to_string(),
        })
        .collect()
}

#[test]
fn google_contacts_csv() {
    let env = Env::new();
    let path = fixture("google-contacts.csv");
    env.ok(&["import", path.to_str().unwrap()]);
    let list = env.json(&["list"]);
    assert_eq!(list.as_array().unwrap().len(), 4);
    let ada = contact(&list, "Ada Lovelace");
    assert_eq!(
        values(ada, "emails"),
        ["work:ada@analytical.example", "home:ada.home@mail.example"]
    );
    assert_eq!(
        values(ada, "phones"),
        ["mobile:+44 20 7946 0018", "work:+44 20 7946 0000 ext. 12"]
    );
    assert_eq!(ada["organization"], "Analytical Engines");
    assert_eq!(ada["title"], "CTO");
    assert_eq!(ada["nickname"], "Countess");
    assert_eq!(ada["birthday"], "1815-12-10");
    assert_eq!(
        ada["notes"],
        "Met at the Difference Engine demo.\nPrefers email before noon."
    );
    // Google's "* myContacts" is a system group every contact is in, not a label.
    assert_eq!(ada["tags"], serde_json::json!(["clients"]));
    let grace = contact(&list, "Grace Hopper");
    assert_eq!(grace["organization"], "US Navy, Reserve");
    assert_eq!(grace["birthday"], "--12-09");
    assert_eq!(grace["notes"], "Said \"nanoseconds\" again.");
    let jurgen = contact(&list, "Jürgen Müller");
    assert_eq!(
        values(jurgen, "emails"),
        [
            "other:jurgen@mueller.example",
            "other:j.mueller@mail.example"
        ]
    );
    assert_eq!(values(jurgen, "phones").len(), 2);
    // The formatted address leaves the country out; its own column has it.
    assert_eq!(
        values(jurgen, "addresses"),
        ["home:Hauptstraße 5, 10115 Berlin, Germany"]
    );
    let initech = contact(&list, "Initech");
    assert_eq!(values(initech, "emails"), ["work:info@initech.example"]);
    // Twice: nothing changes.
    let before = env.dump();
    let out = env.ok(&["import", path.to_str().unwrap()]);
    assert!(out.contains("0 new, 4 unchanged"), "{out}");
    assert_eq!(before, env.dump());
}

#[test]
fn linkedin_connections_after_the_notes_preamble() {
    let env = Env::new();
    env.ok(&[
        "import",
        fixture("linkedin-Connections.csv").to_str().unwrap(),
        "--tag",
        "linkedin",
    ]);
    let list = env.json(&["list"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Ada Lovelace",
            "Ada Lovelace",
            "Æsa Ødegård",
            "Grace Hopper",
            "Jürgen Müller-Lüdenscheidt"
        ]
    );
    let grace = contact(&list, "Grace Hopper");
    assert_eq!(values(grace, "emails"), ["grace.hopper@navy.example"]);
    assert_eq!(
        values(grace, "socials"),
        ["linkedin:https://www.linkedin.com/in/gracehopper?trk=public"]
    );
    assert_eq!(grace["organization"], "US Navy, Reserve");
    assert_eq!(grace["title"], "Rear Admiral");
    assert_eq!(grace["tags"], serde_json::json!(["linkedin"]));
    assert_eq!(
        contact(&list, "Æsa Ødegård")["title"],
        "Consultant, Strategy"
    );
}

#[test]
fn outlook_csv() {
    let env = Env::new();
    let out = env.ok(&["import", fixture("outlook-contacts.csv").to_str().unwrap()]);
    // The name's other parts and the department are read, not kept as unknown columns.
    assert!(!out.contains("does not know"), "{out}");
    let list = env.json(&["list"]);
    let ada = contact(&list, "Ada Lovelace");
    assert_eq!(values(ada, "emails"), ["ada@analytical.example"]);
    assert_eq!(
        values(ada, "phones"),
        ["work:+44 20 7946 0000", "mobile:+44 20 7946 0018"]
    );
    assert_eq!(
        values(ada, "addresses"),
        ["work:12 St James's Square, London, SW1Y 4JH, United Kingdom"]
    );
    assert_eq!(ada["title"], "CTO");
    assert_eq!(ada["birthday"], "1815-12-10");
    let grace = contact(&list, "Grace Hopper");
    assert_eq!(
        values(grace, "emails"),
        ["grace@navy.example", "grace.h@mail.example"]
    );
    assert_eq!(grace["title"], "Admiral");
    assert_eq!(grace["nickname"], "Amazing Grace");
    assert_eq!(grace["birthday"], "1906-12-09");
    // A phone gets the whole name (middle name and prefix in N) and the department (ORG),
    // and the export read back changes nothing.
    let cards = env.ok(&["export", "--format", "vcard"]);
    assert!(
        cards.contains("\r\nN:Hopper;Grace;B.;Rear Admiral;\r\n"),
        "{cards}"
    );
    assert!(
        cards.contains("\r\nORG:Analytical Engines;R&D\r\n"),
        "{cards}"
    );
    assert!(!cards.contains("X-CSV"), "{cards}");
    let path = env.dir.path().join("back.vcf");
    std::fs::write(&path, &cards).unwrap();
    let again = env.ok(&["import", path.to_str().unwrap()]);
    assert!(again.contains("0 new, 2 unchanged"), "{again}");
}

#[test]
fn any_csv_with_a_map_and_precise_errors() {
    let env = Env::new();
    let path = env.dir.path().join("leads.csv");
    std::fs::write(&path, "Who,Mail,Firm,Heat\nAda Lovelace,ada@example.com,Analytical Engines,hot\nBob,not-an-email,,cold\n,,,\nCy,cy@example.com,,warm\n").unwrap();
    // An unknown --map column is refused before anything is read.
    let err = env.fails(
        &["import", path.to_str().unwrap(), "--map", "Nope=email"],
        5,
    );
    assert!(err.contains("--map names column \"Nope\""), "{err}");
    let out = env.ok(&[
        "import",
        path.to_str().unwrap(),
        "--map",
        "Who=display_name",
        "--map",
        "Firm=organization",
        "--dry-run",
    ]);
    assert!(out.contains("would import: 3 new"), "{out}");
    assert!(out.contains("leads.csv:3: contact Bob"), "{out}");
    assert!(out.contains("invalid email \"not-an-email\""), "{out}");
    env.ok(&[
        "import",
        path.to_str().unwrap(),
        "--map",
        "Who=display_name",
        "--map",
        "Firm=organization",
    ]);
    let list = env.json(&["list"]);
    let ada = contact(&list, "Ada Lovelace");
    assert_eq!(ada["organization"], "Analytical Engines");
    assert_eq!(values(ada, "emails"), ["ada@example.com"]);
    // The unmodelled column and the unusable email are kept and exported.
    let vcf = env.ok(&["export", "--format", "vcard"]);
    assert!(vcf.contains("X-CSV-HEAT:hot"), "{vcf}");
    assert!(vcf.contains("EMAIL:not-an-email"), "{vcf}");
}

/// A quote never closed would swallow the rest of the file into one cell (escape codes and
/// all), and a row with more cells than the header has columns would be cut short: both are
/// refused, naming the line, and nothing is written.
#[test]
fn an_unclosed_quote_or_a_row_too_wide_is_refused_with_its_line() {
    let env = Env::new();
    env.ok(&["add", "Already Here"]);
    let path = env.dir.path().join("bad.csv");
    std::fs::write(
        &path,
        "Name,Email,Birthday\nGood Csv,g@x.example,1990-01-01\n\"Unclosed quote,a@b.example,1990-01-01\nEsc \u{1b}[31mRed,red@x.example,1990-01-02\n",
    )
    .unwrap();
    let err = env.fails(&["import", path.to_str().unwrap()], 5);
    // file:line, as every other problem a report names.
    assert!(
        err.contains("bad.csv:3: a quoted cell opened here is never closed"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'), "{err}");
    let names = |env: &Env| -> Vec<String> {
        (env.json(&["list"]).as_array().unwrap().iter())
            .map(|c| c["display_name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&env), ["Already Here"]);

    std::fs::write(
        &path,
        "Name,Email\nA One,a@x.example,extra,cols\nB Two,b@x.example,,\n",
    )
    .unwrap();
    let err = env.fails(&["import", path.to_str().unwrap()], 5);
    assert!(err.contains("bad.csv:2"), "{err}");
    assert!(
        err.contains("4 cells, but the header row names 2 columns"),
        "{err}"
    );
    assert_eq!(names(&env), ["Already Here"]);
    // Skipping the bad row imports the rest.
    env.fails(&["import", path.to_str().unwrap(), "--skip-invalid"], 8);
    assert_eq!(names(&env), ["Already Here", "B Two"]);
}

#[test]
fn csv_export_guards_formulas_and_reads_back() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Eve",
        "--email",
        "eve@example.com",
        "--phone",
        "+1 555 0100",
        "--note",
        "=HYPERLINK(\"http://evil\")",
        "--tag",
        "x",
    ]);
    let csv = env.ok(&["export", "--format", "csv"]);
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("'+1 555 0100"), "{csv}");
    let raw = env.ok(&["export", "--format", "csv", "--no-formula-guard"]);
    assert!(raw.contains(",\"=HYPERLINK"), "{raw}");
    let path = env.dir.path().join("out.csv");
    std::fs::write(&path, &csv).unwrap();
    let other = Env::new();
    other.ok(&["import", path.to_str().unwrap()]);
    assert_eq!(other.ok(&["export", "--format", "csv"]), csv);
}

/// Roundcube's CSVs (GPL, read from ../shared only): legacy Google, Thunderbird, a BOM.
#[test]
fn roundcube_csv_files_from_shared_testdata() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata/csv/roundcube");
    if !dir.exists() {
        eprintln!(
            "note: shared/testdata/csv/roundcube is absent; skipping the Roundcube CSV files"
        );
        return;
    }
    let env = Env::new();
    env.ok(&["import", dir.join("gmail.csv").to_str().unwrap()]);
    let list = env.json(&["list"]);
    let c = contact(&list, "Prefix Firstname Middle Lastname Suffix");
    assert_eq!(c["given_name"], "Firstname");
    assert_eq!(c["organization"], "company");
    assert_eq!(c["birthday"], "1975-12-12");
    assert!(values(c, "emails").contains(&"home:home@aaa.pl".to_string()));
    let env = Env::new();
    env.ok(&["import", dir.join("all.csv").to_str().unwrap()]);
    let list = env.json(&["list"]);
    let c = contact(&list, "Display Name");
    assert_eq!(
        values(c, "emails"),
        [
            "home:home@example.com",
            "work:work@example.com",
            "other:other@example.com"
        ]
    );
    assert_eq!(c["birthday"], "1991-01-20");
    let env = Env::new();
    env.ok(&["import", dir.join("tb_plain.csv").to_str().unwrap()]);
    let list = env.json(&["list"]);
    let c = contact(&list, "Displayname");
    assert_eq!(c["birthday"], "1970-11-15");
    assert_eq!(values(c, "emails"), ["test@domain.tld", "next@domain.tld"]);
}

/// A birthday known without its year and the same day with one agree: the year is kept,
/// whichever side has it, and nothing is reported as a conflict.
#[test]
fn the_same_birthday_with_a_year_adds_the_year() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Grace Hopper",
        "--email",
        "grace@navy.example",
        "--birthday",
        "--12-09",
    ]);
    let path = env.dir.path().join("more.csv");
    std::fs::write(
        &path,
        "Name,Email,Birthday\nGrace Hopper,grace@navy.example,1906-12-09\n",
    )
    .unwrap();
    let out = env.ok(&["import", path.to_str().unwrap()]);
    assert!(!out.contains("kept stored birthday"), "{out}");
    let birthday = |env: &Env| env.json(&["show", "grace"])["contact"]["birthday"].clone();
    assert_eq!(birthday(&env), "1906-12-09");
    // A file without the year changes nothing and says nothing.
    std::fs::write(
        &path,
        "Name,Email,Birthday\nGrace Hopper,grace@navy.example,--12-09\n",
    )
    .unwrap();
    let out = env.ok(&["import", path.to_str().unwrap()]);
    assert!(out.contains("1 unchanged"), "{out}");
    assert!(!out.contains("kept stored"), "{out}");
    assert_eq!(birthday(&env), "1906-12-09");
    // Another day is still a conflict, the stored one kept.
    std::fs::write(
        &path,
        "Name,Email,Birthday\nGrace Hopper,grace@navy.example,1906-12-10\n",
    )
    .unwrap();
    let out = env.ok(&["import", path.to_str().unwrap()]);
    assert!(out.contains("kept stored birthday \"1906-12-09\""), "{out}");
}

/// Every detail of a vCard comes back from kith's own CSV, labels of several vCard types
/// included ("work-mobile-video-text" was read as part of the number and refused).
#[test]
fn a_vcards_details_survive_a_csv_round_trip() {
    let env = Env::new();
    let card = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/vcard/ez-vcard/rfc6350-example.vcf");
    env.ok(&["import", card.to_str().unwrap()]);
    let csv = env.ok(&["export", "--format", "csv"]);
    assert!(csv.contains("work-mobile-video-text:"), "{csv}");
    let path = env.dir.path().join("back.csv");
    std::fs::write(&path, &csv).unwrap();
    let other = Env::new();
    other.ok(&["import", path.to_str().unwrap()]);
    let phones = |env: &Env| {
        let list = env.json(&["list"]);
        values(&list.as_array().unwrap()[0], "phones")
    };
    assert_eq!(phones(&other), phones(&env));
    assert!(
        phones(&other)
            .iter()
            .any(|p| p.starts_with("work-mobile-video-text:")),
        "{:?}",
        phones(&other)
    );
}

/// Contacts made from CSV address books (their addresses one line each), exported as vCards
/// and imported back, are unchanged: the ADR kith writes of such an address is not kept
/// beside it as if it said more (it made every such contact "merged", the book gaining
/// hidden copies of its addresses).
#[test]
fn contacts_from_csv_come_back_unchanged_from_their_vcard_export() {
    let env = Env::new();
    for csv in ["google-contacts.csv", "outlook-contacts.csv"] {
        env.ok(&["import", fixture(csv).to_str().unwrap()]);
    }
    let backup = env.json(&["export", "--format", "json"]);
    let cards = env.ok(&["export", "--format", "vcard"]);
    assert!(cards.contains("\r\nADR;TYPE=work:;;"), "{cards}");
    let path = env.dir.path().join("back.vcf");
    std::fs::write(&path, &cards).unwrap();
    let out = env.ok(&["import", path.to_str().unwrap()]);
    assert!(out.contains("0 new") && !out.contains("merged"), "{out}");
    assert_eq!(env.json(&["export", "--format", "json"]), backup);

    // An address read from another writer's structured ADR still keeps it, to write back.
    let structured = env.dir.path().join("structured.vcf");
    std::fs::write(
        &structured,
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Zed Tam\r\nADR;TYPE=home:;;1 Main St;Austin;TX;78701;USA\r\nEND:VCARD\r\n",
    )
    .unwrap();
    env.ok(&["import", structured.to_str().unwrap()]);
    let cards = env.ok(&["export", "--format", "vcard"]);
    assert!(
        cards.contains("\r\nADR;TYPE=home:;;1 Main St;Austin;TX;78701;USA\r\n"),
        "{cards}"
    );
}

/// The same person from two address books (Google's and Outlook's CSV), whose address and
/// notes differ only by a comma: one address and one note after the merge, not both.
#[test]
fn a_merge_does_not_add_the_same_address_or_note_written_with_another_comma() {
    let env = Env::new();
    for csv in ["google-contacts.csv", "outlook-contacts.csv"] {
        env.ok(&["import", fixture(csv).to_str().unwrap()]);
    }
    let list = env.json(&["list"]);
    let ada = contact(&list, "Ada Lovelace");
    assert_eq!(
        values(ada, "addresses"),
        ["work:12 St James's Square, London SW1Y 4JH, United Kingdom"]
    );
    let shown = env.ok(&["show", "ada"]);
    assert_eq!(shown.matches("before noon").count(), 1, "{shown}");
    // A different address still joins the stored one.
    let other = env.dir.path().join("moved.csv");
    std::fs::write(
        &other,
        "First Name,Last Name,E-mail 1 - Value,Address 1 - Formatted\nAda,Lovelace,ada@analytical.example,\"1 Dorset St, London\"\n",
    )
    .unwrap();
    env.ok(&["import", other.to_str().unwrap()]);
    let list = env.json(&["list"]);
    assert_eq!(values(contact(&list, "Ada Lovelace"), "addresses").len(), 2);
}

/// Google's address components beside the formatted text: what it leaves out (the country)
/// is added. Merged into the address stored without it, the address is completed, not
/// doubled; another address that only looks alike ("11 Main St" beside "1 Main St") is
/// another address.
#[test]
fn an_address_written_in_full_completes_the_stored_one() {
    let env = Env::new();
    let csv = |name: &str, text: &str| {
        let path = env.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        env.ok(&["import", path.to_str().unwrap()]);
    };
    let header = "First Name,Last Name,E-mail 1 - Value,Address 1 - Formatted,Address 1 - Street,Address 1 - Country\n";
    csv(
        "a.csv",
        &format!("{header}Jürgen,Müller,jm@example.de,\"Hauptstraße 5\n10115 Berlin\",,\n"),
    );
    csv(
        "b.csv",
        &format!(
            "{header}Jürgen,Müller,jm@example.de,\"Hauptstraße 5\n10115 Berlin\",Hauptstraße 5,Germany\n"
        ),
    );
    let list = env.json(&["list"]);
    let jurgen = contact(&list, "Jürgen Müller");
    assert_eq!(
        values(jurgen, "addresses"),
        ["Hauptstraße 5, 10115 Berlin, Germany"]
    );
    csv(
        "c.csv",
        &format!("{header}Ann,Lee,ann@example.com,\"1 Main St, Austin\",,\n"),
    );
    csv(
        "d.csv",
        &format!("{header}Ann,Lee,ann@example.com,\"11 Main St, Austin\",,\n"),
    );
    let list = env.json(&["list"]);
    assert_eq!(
        values(contact(&list, "Ann Lee"), "addresses"),
        ["1 Main St, Austin", "11 Main St, Austin"]
    );
}
