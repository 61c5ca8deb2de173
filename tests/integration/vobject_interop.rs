//! kith's vCard export read by Python's vobject, a vCard library no one here wrote (and the one
//! khard and Radicale use): vCard 4.0 and 3.0 exports of the demo data, of real exports and of
//! cards with the constructs other writers get wrong give the same people, emails, phones and
//! organizations, and the whole file parses (vobject refuses a whole address book over one
//! malformed line). Skipped, with a note, where no Python with vobject is installed
//! (`apt-get install python3-vobject`, which khard brings, or `pip install vobject`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::Env;

/// Prints, for each card on standard input: uid, FN, emails, phones, first ORG component.
const READER: &str = r#"
import json, sys, vobject
out = []
for card in vobject.readComponents(sys.stdin.read()):
    org = None
    if "org" in card.contents:
        value = card.org.value
        org = value[0] if isinstance(value, list) else value
    out.append({
        "uid": card.uid.value,
        "fn": card.fn.value,
        # An EMAIL without '@' in the source was kept as it came, not as an email.
        "emails": sorted(e.value for e in card.contents.get("email", []) if "@" in e.value),
        "phones": sorted(set(t.value for t in card.contents.get("tel", []))),
        "org": org or None,
    })
print(json.dumps(out))
"#;

/// A Python that can import vobject: the one on PATH, or Debian's (where khard's is).
fn python_with_vobject() -> Option<&'static str> {
    let found = ["python3", "/usr/bin/python3"].into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import vobject"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        crate::common::missing("python3 with vobject (python3-vobject)");
    }
    found
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// (name, sorted emails, sorted distinct phones, organization) by UID.
type People = BTreeMap<String, (String, Vec<String>, Vec<String>, Option<String>)>;

fn kith_people(env: &Env) -> People {
    let strings = |v: &serde_json::Value| -> Vec<String> {
        let mut out: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["value"].as_str().unwrap().to_string())
            .collect();
        out.sort();
        out.dedup();
        out
    };
    env.json(&["list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["uid"].as_str().unwrap().to_string(),
                (
                    c["display_name"].as_str().unwrap().to_string(),
                    strings(&c["emails"]),
                    strings(&c["phones"]),
                    c["organization"].as_str().map(str::to_string),
                ),
            )
        })
        .collect()
}

fn vobject_people(python: &str, vcard: &str) -> People {
    let mut child = Command::new(python)
        .args(["-c", READER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(vcard.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "vobject refused kith's export:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cards: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    cards
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["uid"].as_str().unwrap().to_string(),
                (
                    c["fn"].as_str().unwrap().to_string(),
                    strings(&c["emails"]),
                    strings(&c["phones"]),
                    c["org"].as_str().map(str::to_string),
                ),
            )
        })
        .collect()
}

fn assert_vobject_reads_the_same(env: &Env, python: &str) {
    let ours = kith_people(env);
    for version in ["4", "3"] {
        let text = env.ok(&["export", "--format", "vcard", "--vcard-version", version]);
        let theirs = vobject_people(python, &text);
        assert_eq!(theirs.len(), ours.len(), "vCard {version}: card count");
        for (uid, person) in &ours {
            assert_eq!(theirs.get(uid), Some(person), "vCard {version}, {uid}");
        }
    }
}

#[test]
fn vobject_reads_the_demo_data_as_kith_has_it() {
    let Some(python) = python_with_vobject() else {
        return;
    };
    let env = Env::new();
    env.ok(&["import", fixture("assets/demo.jsonl").to_str().unwrap()]);
    assert_vobject_reads_the_same(&env, python);
}

/// Constructs seen in real exports that, kept as they came, made vobject refuse kith's whole
/// export: names with a space or dots, a data URI whose comma was escaped, ENCODING=b on a
/// data URI, a raw line break in a label, the same number under two labels.
#[test]
fn vobject_reads_what_kith_kept_from_odd_real_world_cards() {
    let Some(python) = python_with_vobject() else {
        return;
    };
    let env = Env::new();
    let odd = env.dir.path().join("odd.vcf");
    std::fs::write(
        &odd,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:odd-1\r\nFN:First Last\r\nN:Last;First;;;\r\n\
         X-GOOGLE TALK;TYPE=WORK:gtalk.first\r\nsome.other.value:1.2.3\r\n\
         X-messaging/xmpp-All:first@xmpp.example\r\n\
         PHOTO;ENCODING=b;TYPE=png:data:image/png;base64,iVBORw0KGgo=\r\n\
         LABEL;TYPE=HOME:Rasenstrasse 17\r\n61118 Bad Vilbel\r\n\
         TEL;TYPE=HOME:555-555-5555\r\nTEL;TYPE=WORK,FAX:555-555-5555\r\n\
         EMAIL;TYPE=work:first@example.com\r\nORG:Company\\, The;Sales\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:4.0\r\nUID:odd-2\r\nFN:Second\r\n\
         PHOTO:data:image/png;base64\\,iVBORw0KGgo=\r\n\
         ADR;TYPE=work;LABEL=\"100 \\\" Waters Edge\\nBaytown\":;;100 Waters Edge;Baytown;LA;30314;USA\r\n\
         TEL;VALUE=uri:tel:+1-404-555-1212\r\nEND:VCARD\r\n",
    )
    .unwrap();
    env.ok(&["import", odd.to_str().unwrap()]);
    for f in [
        "John_Doe_IPHONE.vcf",
        "John_Doe_ANDROID.vcf",
        "outlook-2007.vcf",
    ] {
        env.ok(&[
            "import",
            fixture(&format!("tests/fixtures/vcard/ez-vcard/{f}"))
                .to_str()
                .unwrap(),
        ]);
    }
    let people = kith_people(&env);
    assert_eq!(
        people["odd-1"],
        (
            "First Last".to_string(),
            vec!["first@example.com".to_string()],
            vec!["555-555-5555".to_string()],
            Some("Company, The".to_string())
        )
    );
    assert_eq!(people["odd-2"].2, ["+1-404-555-1212"]);
    assert_vobject_reads_the_same(&env, python);
}

/// Control characters, which RFC 6350 allows in no value, are written `\xHH`: vobject (so
/// khard) reads the file and shows them as that text instead of refusing the address book.
#[test]
fn vobject_reads_values_that_held_control_characters() {
    let Some(python) = python_with_vobject() else {
        return;
    };
    let env = Env::new();
    let record = serde_json::json!({
        "uid": "ctl-1",
        "display_name": "Eve \u{1b}[31mRed\u{7}",
        "notes": "nul \0 cr \r end",
        "emails": ["eve@example.com"],
    });
    env.import_records(&[record]);
    for version in ["4", "3"] {
        let text = env.ok(&["export", "--format", "vcard", "--vcard-version", version]);
        let theirs = vobject_people(python, &text);
        let (name, emails, _, _) = &theirs["ctl-1"];
        assert_eq!(name, "Eve \\x1B[31mRed\\x07", "vCard {version}");
        assert_eq!(emails, &["eve@example.com"], "vCard {version}");
    }
}
