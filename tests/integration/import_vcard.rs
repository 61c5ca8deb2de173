//! vCard import on real files from other projects: every file imports with its names,
//! emails, phones and organizations right (or is refused with the reason), and a second
//! import changes nothing. Their export: `export_vcard`.

use std::path::{Path, PathBuf};

use crate::common::Env;

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// (display name, emails, phones, organization) of every contact, sorted by name.
pub(crate) type Seen = Vec<(String, Vec<String>, Vec<String>, Option<String>)>;

pub(crate) fn seen(env: &Env) -> Seen {
    let list = env.json(&["list"]);
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x["value"].as_str().unwrap().to_string())
            .collect()
    };
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["display_name"].as_str().unwrap().to_string(),
                strings(&c["emails"]),
                strings(&c["phones"]),
                c["organization"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn person(
    name: &str,
    emails: &[&str],
    phones: &[&str],
    org: Option<&str>,
) -> (String, Vec<String>, Vec<String>, Option<String>) {
    (
        name.to_string(),
        emails.iter().map(|s| s.to_string()).collect(),
        phones.iter().map(|s| s.to_string()).collect(),
        org.map(str::to_string),
    )
}

/// What a careful reader of each file finds in it.
fn expected() -> Vec<(&'static str, Seen)> {
    let ibm = Some("IBM");
    vec![
        (
            "John_Doe_ANDROID.vcf",
            vec![
                person("jane.doe@company.com", &["jane.doe@company.com"], &[], None),
                person("john.doe@company.com", &["john.doe@company.com"], &[], None),
                person(
                    "Ñ Ñ Ñ Ñ",
                    &["bob@company.com"],
                    &["123456"],
                    Some("ÑÑÑÑÑÑÑÑÑÑÑÑ"),
                ),
                person("Ñ Ñ Ñ Ñ Ñ", &[], &["123456789"], None),
                person(
                    "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ",
                    &[],
                    &["123456", "234567", "3456789", "45678901"],
                    None,
                ),
                person(
                    "ÑÑÑÑ",
                    &["henry@company.com"],
                    &["55556666"],
                    Some(&"Ñ".repeat(44)),
                ),
            ],
        ),
        (
            "John_Doe_BLACK_BERRY.vcf",
            vec![person(
                "John Doe",
                &[],
                &["+96123456789"],
                Some("Acme Solutions"),
            )],
        ),
        (
            "John_Doe_EVOLUTION.vcf",
            vec![person(
                "Mr. John Richter, James Doe Sr.",
                &["john.doe@ibm.com"],
                &["905-666-1234", "905-555-1234"],
                ibm,
            )],
        ),
        (
            "John_Doe_GMAIL.vcf",
            vec![person(
                "Mr. John Richter, James Doe Sr.",
                &["john.doe@ibm.com"],
                &["905-555-1234", "905-666-1234"],
                ibm,
            )],
        ),
        (
            "John_Doe_IPHONE.vcf",
            vec![person(
                "Mr. John Richter James Doe Sr.",
                &["john.doe@ibm.com"],
                &[
                    "905-555-1234",
                    "905-666-1234",
                    "905-777-1234",
                    "905-888-1234",
                    "905-999-1234",
                    "905-111-1234",
                    "905-222-1234",
                ],
                ibm,
            )],
        ),
        (
            "John_Doe_LOTUS_NOTES.vcf",
            vec![person(
                "Mr. Doe John I Johny",
                &["john.doe@ibm.com", "billy_bob@gmail.com"],
                &["+1 (212) 204-34456", "00-1-212-555-7777"],
                ibm,
            )],
        ),
        (
            "John_Doe_MAC_ADDRESS_BOOK.vcf",
            vec![person(
                "Mr. John Richter,James Doe Sr.",
                &["john.doe@ibm.com"],
                &[
                    "905-777-1234",
                    "905-666-1234",
                    "905-555-1234",
                    "905-888-1234",
                    "905-999-1234",
                    "905-111-1234",
                    "905-222-1234",
                ],
                ibm,
            )],
        ),
        (
            "John_Doe_MS_OUTLOOK.vcf",
            vec![person(
                "Mr. John Richter James Doe Sr.",
                &["john.doe@ibm.cm"],
                &["(905) 555-1234", "(905) 666-1234"],
                ibm,
            )],
        ),
        (
            "fullcontact.vcf",
            vec![person(
                "Prefix FirstName MiddleName LastName Suffix",
                &[
                    "home@example.com",
                    "work@example.com",
                    "school@example.com",
                    "other@example.com",
                    "custom@example.com",
                ],
                &[
                    "555-555-1111",
                    "555-555-1112",
                    "555-555-1113",
                    "555-555-1114",
                    "555-555-1115",
                    "555-555-1116",
                    "555-555-1117",
                    "555-555-1118",
                    "555-555-1119",
                ],
                Some("Organization1"),
            )],
        ),
        (
            "gmail-list.vcf",
            vec![
                person("Arnold Smith", &["asmithk@gmail.com"], &[], None),
                person("Chris Beatle", &["chrisy55d@yahoo.com"], &[], None),
                person("Doug White", &["dwhite@gmail.com"], &[], None),
            ],
        ),
        (
            "gmail-single.vcf",
            vec![person(
                "Greg Dartmouth",
                &["gdartmouth@hotmail.com"],
                &["555 555 1111", "555 555 2222"],
                Some("TheCompany"),
            )],
        ),
        (
            "gmail-single2.vcf",
            vec![person(
                "VCard Test",
                &[
                    "email@example.com",
                    "homeemail@example.com",
                    "workemail@example.com",
                    "otheremail@example.com",
                    "customcategory@example.com",
                ],
                &[
                    "5555551111",
                    "5555551112",
                    "5555551113",
                    "5555551114",
                    "5555551115",
                    "5555551116",
                    "5555551117",
                    "5555551118",
                    "5555551119",
                    "5555551120",
                    "5555551121",
                ],
                Some("TheCompany"),
            )],
        ),
        // Its phones are the words "BusinessPhone" etc.: kept as-is, not as phone numbers.
        (
            "outlook-2003.vcf",
            vec![person(
                "John Doe III",
                &["jdoe@hotmail.com"],
                &[],
                Some("Company, The"),
            )],
        ),
        (
            "outlook-2007.vcf",
            vec![person(
                "Mr. Michael Angstadt Jr.",
                &["mike.angstadt@gmail.com"],
                &[
                    "(111) 555-1111",
                    "(111) 555-2222",
                    "(111) 555-4444",
                    "(111) 555-3333",
                ],
                Some("TheCompany"),
            )],
        ),
        (
            "rfc2426-example.vcf",
            vec![
                person(
                    "Frank Dawson",
                    &["Frank_Dawson@Lotus.com", "fdawson@earthlink.net"],
                    &["+1-919-676-9515", "+1-919-676-9564"],
                    Some("Lotus Development Corporation"),
                ),
                person(
                    "Tim Howes",
                    &["howes@netscape.com"],
                    &["+1-415-937-3419", "+1-415-528-4164"],
                    Some("Netscape Communications Corp."),
                ),
            ],
        ),
        (
            "rfc6350-example.vcf",
            vec![person(
                "Simon Perreault",
                &["simon.perreault@viagenie.ca"],
                &["+1-418-656-9254 ext. 102", "+1-418-262-6501"],
                Some("Viagenie"),
            )],
        ),
        (
            "thunderbird-MoreFunctionsForAddressBook-extension.vcf",
            vec![person(
                "John Doe",
                &[
                    "doe.john@hotmail.com",
                    "additional-email@company.com",
                    "additional-email1@company.com",
                    "additional-email2@company.com",
                    "additional-email3@company.com",
                ],
                &[
                    "555-555-1111",
                    "555-555-2222",
                    "555-555-5555",
                    "555-555-3333",
                    "555-555-4444",
                ],
                Some("TheOrganization"),
            )],
        ),
    ]
}

#[test]
fn every_real_vcard_file_imports_right_and_only_once() {
    let dir = fixture("vcard/ez-vcard");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".vcf"))
        .collect();
    files.sort();
    let expected = expected();
    assert_eq!(files.len(), expected.len(), "a fixture has no expectation");
    for (file, people) in expected {
        let env = Env::new();
        let path = dir.join(file);
        env.ok(&["import", path.to_str().unwrap()]);
        assert_eq!(seen(&env), people, "{file}");
        let before = env.dump();
        let out = env.ok(&["import", path.to_str().unwrap()]);
        assert!(
            out.contains(&format!("0 new, {} unchanged", people.len())),
            "{file}: {out}"
        );
        assert_eq!(
            before,
            env.dump(),
            "{file}: a second import changed the database"
        );
    }
}

#[test]
fn broken_cards_are_refused_by_line_and_nothing_is_written() {
    let env = Env::new();
    let path = env.dir.path().join("broken.vcf");
    std::fs::write(
        &path,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Person\r\nEMAIL:good@example.com\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:\r\nNOTE:nothing to name it by\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Short\r\n",
    )
    .unwrap();
    let err = env.fails(&["import", path.to_str().unwrap()], 5);
    let p = path.display().to_string();
    assert!(
        err.contains(&format!(
            "{p}:6: the card has no FN, N, ORG, NICKNAME, EMAIL or TEL"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{p}:11: the card that starts at line 11 has no END:VCARD"
        )),
        "{err}"
    );
    assert!(!env.db.exists() || env.json(&["list"]).as_array().unwrap().is_empty());
    // The plan says the same without writing.
    let out = env
        .kith()
        .args(["import", "--dry-run", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let plan = String::from_utf8_lossy(&out.stdout);
    assert!(plan.contains("would import: 1 new, 2 invalid"), "{plan}");
    // A record with no name is named by where it is, with nothing dangling after it; a card
    // cut short by the name it has so far.
    assert!(
        plan.lines().any(|l| l.ends_with(&format!("{p}:6: record"))),
        "{plan}"
    );
    assert!(
        plan.lines()
            .any(|l| l.ends_with(&format!("{p}:11: contact Cut Short"))),
        "{plan}"
    );
}

/// Roundcube's files (GPL, not copied into this repository) from ../shared when present:
/// windows-1252 bytes, UTF-16 without a BOM, quoted-printable without a charset, Apple labels.
#[test]
fn roundcube_files_from_shared_testdata() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata/vcard/roundcube");
    if !dir.exists() {
        eprintln!(
            "note: shared/testdata/vcard/roundcube is absent; skipping the Roundcube vCard files"
        );
        return;
    }
    let cases = [
        (
            "johndoe.vcf",
            person(
                "John Doë",
                &["roundcube@gmail.com", "inbox@roundcube.net"],
                &["+123456789", "+987654321"],
                Some("roundcube.net"),
            ),
        ),
        (
            "utf-16_sample.vcf",
            person("Ǽgean ĽdaMonté", &[], &[], None),
        ),
        (
            "thebat.vcf",
            person(
                "Piotr Iksiñski",
                &["piotr.iksinski@somedomain.com"],
                &[],
                None,
            ),
        ),
        (
            "apple.vcf",
            person("Apple Computer AG", &[], &[], Some("Apple Computer AG")),
        ),
        (
            "photo.vcf",
            person("Apple Computer AG", &[], &[], Some("Apple Computer AG")),
        ),
    ];
    for (file, who) in cases {
        let env = Env::new();
        env.ok(&["import", dir.join(file).to_str().unwrap()]);
        assert_eq!(seen(&env), vec![who], "{file}");
    }
}

/// Importing the same file again changes nothing, even when its cards carry no UID, two of
/// them share an email (one merges into the other on the way in), and grouped properties
/// (`itemN.`) had to be renumbered when merged.
#[test]
fn a_file_of_uid_less_cards_sharing_an_email_imports_once() {
    let env = Env::new();
    let file = env.dir.path().join("phone.vcf");
    std::fs::write(
        &file,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:John Doe\r\nEMAIL:john@ibm.example\r\n\
         item1.URL:http://a.example\r\nitem1.X-ABLabel:homepage\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jon Doe Sr.\r\nEMAIL:john@ibm.example\r\n\
         item1.URL:http://b.example\r\nitem1.X-ABLabel:blog\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jon Doe Sr.\r\nEMAIL:john@ibm.example\r\n\
         TEL;TYPE=cell:905-555-1234\r\nitem1.URL:http://c.example\r\n\
         item1.X-ABLabel:work\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let first = env.ok(&["import", path]);
    assert!(first.contains("2 new, 1 merged"), "{first}");
    let export = env.ok(&["export", "--format", "vcard"]);
    for _ in 0..2 {
        let again = env.ok(&["import", path]);
        assert!(again.contains("0 new, 3 unchanged"), "{again}");
        assert_eq!(env.ok(&["export", "--format", "vcard"]), export);
    }
}

/// kith's own 4.0 export, read back (a vdirsyncer round trip), changes nothing: a photo kept
/// from a 3.0 card (`TYPE=JPEG;ENCODING=b`) comes back as a `data:` URI, is read as
/// `ENCODING=b;TYPE=JPEG`, and is the same photo.
#[test]
fn reading_back_the_own_export_changes_nothing() {
    let env = Env::new();
    let file = env.dir.path().join("v3.vcf");
    std::fs::write(
        &file,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ada-1\r\nFN:Ada Lovelace\r\n\
         EMAIL:ada@example.com\r\nPHOTO;TYPE=JPEG;ENCODING=b:/9j/4AAQSkZJRgABAQAAAQABAAD/\r\n\
         KEY;TYPE=X509;ENCODING=b:MIICajCCAdOgAwIBAgICBEUwDQYJ\r\n\
         item1.URL:http://a.example\r\nitem1.X-ABLabel:homepage\r\nEND:VCARD\r\n",
    )
    .unwrap();
    env.ok(&["import", file.to_str().unwrap()]);
    let before = env.ok(&["export", "--format", "vcard"]);
    let vdir = env.dir.path().join("vdir");
    env.ok(&[
        "export",
        "--format",
        "vcard",
        "--out",
        &format!("{}/", vdir.display()),
    ]);
    let again = env.ok(&["import", vdir.to_str().unwrap()]);
    assert!(again.contains("0 new, 1 unchanged"), "{again}");
    assert_eq!(env.ok(&["export", "--format", "vcard"]), before);
}

/// A dry run, or an import refused for an invalid record, writes nothing: not even a new,
/// empty database file where there was none.
#[test]
fn an_import_that_writes_nothing_leaves_no_new_database() {
    let env = Env::new();
    let good = env.dir.path().join("ada.vcf");
    std::fs::write(
        &good,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let bad = env.dir.path().join("cut.vcf");
    std::fs::write(&bad, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\n").unwrap();
    assert!(!env.db.exists());
    let plan = env.ok(&["import", "--dry-run", good.to_str().unwrap()]);
    assert!(plan.contains("1 new"), "{plan}");
    assert!(!env.db.exists(), "a dry run created {}", env.db.display());
    env.fails(&["import", bad.to_str().unwrap()], 5);
    assert!(
        !env.db.exists(),
        "a refused import created {}",
        env.db.display()
    );
    env.ok(&["import", good.to_str().unwrap()]);
    assert!(env.db.exists());
    // Once it exists, a dry run leaves it, and its contents, alone.
    let before = env.dump();
    env.fails(&["import", "--dry-run", bad.to_str().unwrap()], 5);
    assert!(env.db.exists());
    assert_eq!(env.dump(), before);
}

/// A file longer than the megabyte read before its format is decided is parsed as it is
/// read: every card is imported, a second import changes nothing, a dry run writes
/// nothing, and a broken card near the end is named by its line, with nothing written.
#[test]
fn a_file_of_several_megabytes_is_imported_as_it_is_read() {
    let env = Env::new();
    let count = 12_000;
    let mut text = String::new();
    for i in 0..count {
        text.push_str(&format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:big-{i}\r\nFN:Person Number {i}\r\nEMAIL:p{i}@example.org\r\nNOTE:{}\r\nEND:VCARD\r\n",
            "padding ".repeat(12)
        ));
    }
    assert!(text.len() > 2 << 20, "{} bytes", text.len());
    let path = env.dir.path().join("big.vcf");
    std::fs::write(&path, &text).unwrap();
    let file = path.to_str().unwrap();

    let out = env.ok(&["import", "--dry-run", file]);
    assert!(out.contains("would import: 12,000 new"), "{out}");
    assert!(!env.db.exists(), "a dry run into no book leaves none");

    let out = env.ok(&["import", file]);
    assert!(out.ends_with("imported: 12,000 new\n"), "{out}");
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), count);
    let last = env.ok(&["show", "Person Number 11999"]);
    assert!(last.contains("p11999@example.org"), "{last}");
    let before = env.dump();
    let out = env.ok(&["import", file]);
    assert!(out.contains("12,000 unchanged"), "{out}");
    assert_eq!(env.dump(), before, "a second import changes nothing");

    // A card with no END:VCARD, in the last megabyte: named by its file and line.
    let broken_at = text.lines().count() + 1;
    let mut broken = text.clone();
    broken.push_str("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Short\r\n");
    let cut = env.dir.path().join("cut.vcf");
    std::fs::write(&cut, &broken).unwrap();
    let err = env.fails(&["import", cut.to_str().unwrap()], 5);
    assert!(
        err.contains(&format!(
            "cut.vcf:{broken_at}: the card that starts at line {broken_at} has no END:VCARD"
        )),
        "{err}"
    );
    assert_eq!(env.dump(), before, "nothing written");
}

/// Into an empty book the cards are matched ahead of the writes until one repeats an
/// earlier card; from there the writer matches. Every kind of repeat, before and after
/// that point and batches apart, comes out as it would one card at a time: a repeated UID
/// and an email with the same name merge, an email with another name is someone else, the
/// very same card is unchanged, and a card repeats one written after the hand-over.
#[test]
fn repeats_far_down_a_file_into_an_empty_book_match_what_they_repeat() {
    let env = Env::new();
    let card = |uid: Option<&str>, name: &str, email: &str, tel: Option<&str>| {
        let mut c = String::from("BEGIN:VCARD\r\nVERSION:3.0\r\n");
        if let Some(uid) = uid {
            c.push_str(&format!("UID:{uid}\r\n"));
        }
        c.push_str(&format!("FN:{name}\r\nEMAIL:{email}\r\n"));
        if let Some(tel) = tel {
            c.push_str(&format!("TEL:{tel}\r\n"));
        }
        c + "END:VCARD\r\n"
    };
    let person = |i: usize, tel: Option<&str>| {
        card(
            Some(&format!("u-{i}")),
            &format!("Person {i}"),
            &format!("p{i}@example.org"),
            tel,
        )
    };
    let mut text = String::new();
    for i in 0..1200 {
        text.push_str(&person(i, None));
        match i {
            600 => text.push_str(&person(10, Some("+1 555 0100"))),
            700 => text.push_str(&card(
                None,
                "PERSON 20",
                "P20@example.org",
                Some("+1 555 0200"),
            )),
            800 => text.push_str(&card(None, "Someone Else", "p30@example.org", None)),
            900 => text.push_str(&person(40, None)),
            1100 => text.push_str(&person(650, Some("+1 555 0650"))),
            _ => {}
        }
    }
    let path = env.dir.path().join("repeats.vcf");
    std::fs::write(&path, &text).unwrap();
    let file = path.to_str().unwrap();
    let out = env.ok(&["import", file]);
    assert!(
        out.ends_with("imported: 1,201 new, 3 merged, 1 unchanged\n"),
        "{out}"
    );
    assert!(
        out.contains("contact PERSON 20\n          into \"Person 20\", earlier in the input\n"),
        "a contact of the same input is not called stored: {out}"
    );
    for (who, phone) in [
        ("Person 10", "+1 555 0100"),
        ("Person 20", "+1 555 0200"),
        ("Person 650", "+1 555 0650"),
    ] {
        let brief = env.ok(&["show", who]);
        assert!(brief.contains(phone), "{who}: {brief}");
    }
    let list = env.json(&["list"]);
    let with_p30: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["emails"][0]["value"] == "p30@example.org")
        .map(|c| c["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(with_p30, ["Person 30", "Someone Else"]);

    // The writer's own matching, which a book with a contact in it takes from the first
    // card, comes to the same contacts and the same report.
    let stored = Env::new();
    stored.ok(&["add", "Zed Unrelated", "--email", "zed@elsewhere.example"]);
    let report = |env: &Env| -> Vec<(String, String, String)> {
        let report = env.json(&["import", "--dry-run", file]);
        let entries = report["entries"].as_array().unwrap();
        entries
            .iter()
            .map(|e| {
                let field = |k: &str| e[k].to_string();
                (field("line"), field("outcome"), field("notes"))
            })
            .collect()
    };
    let written_here = report(&stored);
    let matched_ahead = report(&Env::new());
    assert_eq!(matched_ahead.len(), 1205);
    let merged = matched_ahead
        .iter()
        .filter(|(_, outcome, _)| outcome == "\"merged\"");
    assert_eq!(merged.count(), 3, "{:?}", &matched_ahead[..3]);
    assert_eq!(matched_ahead, written_here);
    stored.ok(&["import", file]);
    let mut theirs = seen(&stored);
    theirs.retain(|(name, ..)| name != "Zed Unrelated");
    assert_eq!(seen(&env), theirs);

    let before = env.dump();
    let again = env.ok(&["import", file]);
    assert!(
        again.ends_with("imported: 0 new, 1,205 unchanged\n"),
        "{again}"
    );
    assert_eq!(env.dump(), before, "a second import changes nothing");
}

/// vCard 4.0's KIND (and Apple's X-ADDRESSBOOKSERVER-KIND): an organization's card becomes
/// an organization, a group's or a place's is reported and left out, never a contact.
#[test]
fn organization_and_group_cards_are_not_people() {
    let env = Env::new();
    let path = env.dir.path().join("kinds.vcf");
    std::fs::write(
        &path,
        concat!(
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:g1\r\nKIND:group\r\nFN:Book club\r\n",
            "MEMBER:urn:uuid:p1\r\nMEMBER:mailto:bo@example.org\r\nEND:VCARD\r\n",
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:o1\r\nKIND:org\r\nFN:Globex Corp\r\n",
            "ORG:Globex Corp\r\nURL:https://www.globex.example/\r\nTEL:+1 555 0199\r\n",
            "NOTE:Big client\r\nCATEGORIES:client\r\nEND:VCARD\r\n",
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ag1\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n",
            "FN:Family\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p1\r\nEND:VCARD\r\n",
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:p1\r\nFN:Ann Lee\r\n",
            "EMAIL:ann@example.org\r\nORG:Globex Corp\r\nEND:VCARD\r\n",
        ),
    )
    .unwrap();
    let report = env.json(&["import", path.to_str().unwrap()]);
    let entries = report["entries"].as_array().unwrap();
    let of = |line: i64| {
        entries
            .iter()
            .find(|e| e["line"] == line)
            .unwrap_or_else(|| panic!("line {line} in {report}"))
    };
    assert_eq!(of(1)["kind"], "group");
    assert_eq!(of(1)["outcome"], "skipped");
    let said = of(1)["notes"][0].as_str().unwrap();
    assert!(said.contains("a group's card of 2 members"), "{said}");
    assert_eq!(of(9)["kind"], "organization");
    assert_eq!(of(9)["outcome"], "new");
    let said = of(9)["notes"][0].as_str().unwrap();
    // Its site gave the domain: only its phone is left out.
    assert!(said.contains("not its TEL (an organization"), "{said}");
    assert_eq!(of(20)["outcome"], "skipped");

    // One contact, at the organization the card described.
    let people = env.json(&["list"]);
    let names: Vec<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ann Lee"]);
    let org = env.json(&["org", "show", "globex"]);
    assert_eq!(org["organization"]["uid"], "urn:uuid:o1");
    assert_eq!(org["organization"]["domain"], "globex.example");
    assert_eq!(org["organization"]["notes"], "Big client");
    assert_eq!(org["organization"]["tags"][0], "client");
    assert_eq!(org["people"].as_array().unwrap().len(), 1);

    // Again: nothing changes, and it still exits 0.
    let again = env.ok(&["import", path.to_str().unwrap()]);
    assert!(again.contains("0 new, 2 unchanged, 2 skipped"), "{again}");
}

/// At a terminal, a refused import names each invalid record once, in its report; stderr
/// adds only the outcome. Piped, stderr names them too (for a script that reads only it).
#[test]
fn a_refused_import_at_a_terminal_names_each_invalid_record_once() {
    use crate::tui_terminal::{Tmux, tmux_missing};
    if tmux_missing() {
        return;
    }
    let env = Env::new();
    let cards = env.dir.path().join("cards.vcf");
    std::fs::write(
        &cards,
        "BEGIN:VCARD\nVERSION:4.0\nFN:Ann\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nN:;;;;\nEND:VCARD\n",
    )
    .unwrap();
    let vars = [
        ("KITH_DB", env.db.display().to_string()),
        ("KITH_NOW", crate::common::NOW.to_string()),
        ("HOME", env.dir.path().display().to_string()),
    ];
    let kith = assert_cmd::cargo::cargo_bin("kith");
    let command = format!("{} import {}", kith.display(), cards.display());
    let tmux = Tmux::start(env.dir.path(), &vars, &command, 120, 20);
    let screen = tmux.wait_for("KITH-EXIT=5");
    assert_eq!(
        screen.matches("nothing to name the contact by").count(),
        1,
        "{screen}"
    );
    assert!(screen.contains("cards.vcf:5: record"), "{screen}");
    assert!(
        screen.contains("kith: nothing imported: 1 invalid record (fix it,"),
        "{screen}"
    );

    let piped = env.kith().args(["import"]).arg(&cards).output().unwrap();
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(
        stderr.contains("cards.vcf:5: the card has no FN"),
        "{stderr}"
    );
}

/// A card without a UID is given the UID of its content, the same in any book it is
/// imported into: a new book reading the same file again finds the same people by UID.
#[test]
fn a_uid_less_card_gets_the_uid_of_its_content_in_any_book() {
    let card = "BEGIN:VCARD\nFN:x\nEND:VCARD\n";
    let uids = |env: &Env| -> Vec<String> {
        let export = env.json(&["export", "--format", "json"]);
        let contacts = export["contacts"].as_array().expect("contacts").clone();
        contacts
            .iter()
            .map(|c| c["uid"].as_str().expect("uid").to_string())
            .collect()
    };
    let (one, two) = (Env::new(), Env::new());
    for env in [&one, &two] {
        let file = env.dir.path().join("phone.vcf");
        std::fs::write(&file, card).unwrap();
        env.ok(&["import", file.to_str().unwrap()]);
    }
    // The UID kith has always given this card (`formats::content_uid` of its lines).
    assert_eq!(uids(&one), ["aea5bea3-3fcb-8cd8-ba11-f5cdce58141d"]);
    assert_eq!(uids(&two), uids(&one));
}
