//! kith's vCard export of what real files brought in: properties kith does not model come
//! back out, an independent parser reads the export, a vdir is written and read back, and
//! control characters survive the round trip.

use crate::common::Env;
use crate::import_vcard::{Seen, fixture, seen};

#[test]
fn unmodelled_properties_survive_export() {
    let env = Env::new();
    let path = fixture("vcard/ez-vcard/John_Doe_IPHONE.vcf");
    env.ok(&["import", path.to_str().unwrap()]);
    let v4 = env.ok(&["export", "--format", "vcard"]);
    let unfolded = v4.replace("\r\n ", "");
    assert!(
        unfolded.contains(
            "PHOTO:data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/4QBYRXhpZgAATU0AKgAA"
        ),
        "{v4}"
    );
    assert!(unfolded.contains("item3.ADR;TYPE=HOME,pref:;;Silicon Alley 5,;New York;New York;12345;United States of America"));
    assert!(unfolded.contains("N:Doe;John;Richter,James;Mr.;Sr."));
    assert!(unfolded.contains("X-ABLabel:assistantphone"));
    let v3 = env.ok(&["export", "--format", "vcard", "--vcard-version", "3"]);
    assert!(
        v3.replace("\r\n ", "")
            .contains("PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ")
    );
    assert!(v3.contains("VERSION:3.0\r\n"));
}

/// kith's vCard export read by a parser no one here wrote (the `ical` crate): the same
/// people, emails, phones and organizations.
#[test]
fn an_independent_parser_reads_the_export() {
    let env = Env::new();
    for f in [
        "rfc2426-example.vcf",
        "John_Doe_IPHONE.vcf",
        "gmail-list.vcf",
        "outlook-2007.vcf",
        "John_Doe_ANDROID.vcf",
    ] {
        env.ok(&[
            "import",
            fixture(&format!("vcard/ez-vcard/{f}")).to_str().unwrap(),
        ]);
    }
    let ours = seen(&env);
    for version in ["4", "3"] {
        let text = env.ok(&["export", "--format", "vcard", "--vcard-version", version]);
        let parser = ical::VcardParser::new(std::io::BufReader::new(text.as_bytes()));
        let mut theirs: Seen = Vec::new();
        for card in parser {
            let card = card.expect("ical parses kith's vCard");
            let values = |name: &str| -> Vec<String> {
                card.properties
                    .iter()
                    .filter(|p| p.name.rsplit('.').next() == Some(name))
                    .filter_map(|p| p.value.clone())
                    .map(|v| v.replace("\\,", ",").replace("\\;", ";"))
                    // An EMAIL without '@' in the source was kept as-is, not as an email.
                    .filter(|v| name != "EMAIL" || v.contains('@'))
                    .collect()
            };
            let fname = values("FN").remove(0);
            let org = values("ORG")
                .first()
                .map(|o| kith::formats::vcard::split_unescaped(o, ';')[0].to_string());
            // A number the source gave under several labels (mobile, work, fax) goes back
            // out once per label; it is one phone.
            let mut phones = values("TEL");
            let mut seen_numbers = std::collections::HashSet::new();
            phones.retain(|p| seen_numbers.insert(p.clone()));
            theirs.push((fname, values("EMAIL"), phones, org));
        }
        theirs.sort_by_key(|p| kith::model::fold(&p.0));
        let mut ours_sorted = ours.clone();
        ours_sorted.sort_by_key(|p| kith::model::fold(&p.0));
        assert_eq!(theirs, ours_sorted, "vCard {version}");
    }
}

#[test]
fn a_vdir_exports_and_imports() {
    let env = Env::new();
    env.ok(&[
        "import",
        fixture("vcard/ez-vcard/rfc2426-example.vcf")
            .to_str()
            .unwrap(),
    ]);
    env.ok(&[
        "import",
        fixture("vcard/ez-vcard/gmail-list.vcf").to_str().unwrap(),
    ]);
    let vdir = env.dir.path().join("contacts/");
    env.ok(&[
        "export",
        "--format",
        "vcard",
        "--out",
        vdir.to_str().unwrap(),
    ]);
    let cards = std::fs::read_dir(&vdir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "vcf")
        })
        .count();
    assert_eq!(cards, 5);
    let other = Env::new();
    other.ok(&["import", vdir.to_str().unwrap()]);
    assert_eq!(seen(&other), seen(&env));
    let again = other.ok(&["import", vdir.to_str().unwrap()]);
    assert!(again.contains("0 new, 5 unchanged"), "{again}");
}

#[test]
fn a_vdir_export_rewrites_only_what_changed_and_leaves_no_temporary_files() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace", "--email", "ada@example.com"]);
    env.ok(&["add", "Grace Hopper"]);
    let vdir = env.dir.path().join("contacts/");
    let export = || {
        let out = env
            .kith()
            .args([
                "export",
                "--format",
                "vcard",
                "--out",
                vdir.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(export().contains("wrote 2 vCards"));
    let stamp = |name: &str| {
        let path = std::fs::read_dir(&vdir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| std::fs::read_to_string(p).unwrap().contains(name))
            .unwrap();
        std::fs::metadata(path).unwrap().modified().unwrap()
    };
    let grace = stamp("Grace Hopper");
    assert!(export().contains("wrote 0 vCards to") && export().contains("(2 unchanged)"));
    env.ok(&["edit", "ada", "--title", "Analyst"]);
    assert!(export().contains("wrote 1 vCard to"));
    assert_eq!(
        stamp("Grace Hopper"),
        grace,
        "an unchanged card is not rewritten"
    );
    let names: Vec<String> = std::fs::read_dir(&vdir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".kith-export")
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.ends_with(".vcf")), "{names:?}");
}

/// RFC 6350 allows no raw control character in a value, and defines no escape for one. A name
/// and a note holding some (ESC, BEL, NUL, a lone CR) are exported with each written `\xHH`,
/// which the `ical` crate parses as text, and kith reads back as the very characters.
#[test]
fn control_characters_survive_a_vcard_export_and_import() {
    let env = Env::new();
    let name = "Eve \u{1b}[31mRed\u{7}";
    let note = "esc \u{1b} bell \u{7} nul \0 cr \r end\nsecond line";
    let record = serde_json::json!({"uid": "ctl-1", "display_name": name, "notes": note});
    env.import_records(&[record]);
    for version in ["4", "3"] {
        let file = env.dir.path().join(format!("controls-{version}.vcf"));
        let path = file.to_str().unwrap();
        env.ok(&[
            "export",
            "--format",
            "vcard",
            "--vcard-version",
            version,
            "--out",
            path,
        ]);
        let text = String::from_utf8(std::fs::read(&file).unwrap()).unwrap();
        for line in text.split_terminator("\r\n") {
            assert!(
                !line.chars().any(char::is_control),
                "vCard {version}: {line:?}"
            );
        }
        assert!(text.contains("FN:Eve \\x1B[31mRed\\x07\r\n"), "{text}");
        for card in ical::VcardParser::new(std::io::BufReader::new(text.as_bytes())) {
            card.expect("ical parses the escaped values");
        }
        let again = Env::new();
        again.ok(&["import", path]);
        let people = again.json(&["list"]);
        assert_eq!(people[0]["display_name"], name, "vCard {version}");
        assert_eq!(people[0]["notes"], note, "vCard {version}");
        // Importing it back into the book it came from changes nothing.
        let report = env.ok(&["import", path]);
        assert!(report.contains("1 unchanged"), "vCard {version}: {report}");
    }
}
