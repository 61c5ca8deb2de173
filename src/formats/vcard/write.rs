//! vCard 4.0 (RFC 6350) and 3.0 (RFC 2426) writer: CRLF line ends, lines folded at 75
//! octets on character boundaries, text escaped, and no raw control character anywhere (a
//! value's are written `\xHH`, which kith's reader reads back; see
//! [`crate::formats::contentline`]). Unmodelled properties kept at import are written back;
//! the exact structured N, ORG and ADR kept beside a contact's modelled name, organization
//! and addresses are used while they still say the same thing.

use super::{address_text, parse_property};
use crate::formats::contentline::{
    Controls, escape_text, push_folded, split_unescaped, unescape, without_raw_controls,
};
use crate::model::{ContactFields, Labeled};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Version {
    V3,
    #[default]
    V4,
}

/// TYPE values every address book knows; other labels go in Apple's `X-ABLabel`.
const KNOWN_TYPES: &[&str] = &[
    "home", "work", "cell", "mobile", "fax", "pager", "text", "video", "main", "other",
];

/// Escape a text value: backslash, newline, comma, semicolon, and control characters as
/// `\xHH` (RFC 6350 allows none raw in a value).
pub fn escape(value: &str) -> String {
    escape_text(value, Controls::Escape)
}

/// The line the writer makes of a labeled `name` property with this (escaped) `value` when
/// its label is none or TYPE values every reader knows; None when it would take an `itemN`
/// group and an `X-ABLabel` instead.
pub(super) fn plain_line(name: &str, label: Option<&str>, value: &str) -> Option<String> {
    let Some(label) = label.filter(|l| !l.is_empty()) else {
        return Some(format!("{name}:{value}"));
    };
    let parts: Vec<&str> = label.split('-').collect();
    if !parts.iter().all(|p| KNOWN_TYPES.contains(p)) {
        return None;
    }
    let types: Vec<&str> = parts
        .iter()
        .map(|p| if *p == "mobile" { "cell" } else { p })
        .collect();
    Some(format!("{name};TYPE={}:{value}", types.join(",")))
}

/// The value of the ADR the writer makes of an address: all of it in the street component.
pub(super) fn flat_address(address: &str) -> String {
    format!(";;{};;;;", escape(address))
}

struct CardWriter<'a> {
    out: &'a mut String,
    group: usize,
    /// Groups the kept properties already use; new ones must not collide with them.
    taken: std::collections::HashSet<String>,
}

impl CardWriter<'_> {
    fn line(&mut self, line: &str) {
        // Values written here are escaped; a line kept from an import as it came may still
        // hold a raw control character.
        push_folded(self.out, &without_raw_controls(line));
    }

    /// A labeled property: TYPE for the labels every reader knows, else an `itemN` group with
    /// an `X-ABLabel`, which Apple, Google and many others read.
    fn labeled(&mut self, name: &str, item: &Labeled, value: &str) {
        if let Some(line) = plain_line(name, item.label.as_deref(), value) {
            self.line(&line);
        } else if let Some(label) = &item.label {
            self.group += 1;
            while self
                .taken
                .contains(&format!("item{}", self.group).to_ascii_lowercase())
            {
                self.group += 1;
            }
            let g = self.group;
            self.line(&format!("item{g}.{name}:{value}"));
            self.line(&format!("item{g}.X-ABLabel:{}", escape(label)));
        }
    }
}

/// The group of a content line (`item1` of `item1.ADR;...:...`).
pub fn group_of(line: &str) -> Option<&str> {
    let head = line.split([':', ';']).next()?;
    head.split_once('.').map(|(g, _)| g)
}

/// The name of a stored extra line and its value, for recognising kept N/ORG/ADR.
fn extra_parts(extra: &str) -> Option<(String, String)> {
    let p = parse_property(0, extra.as_bytes()).ok()?;
    Some((
        p.name.into_owned(),
        String::from_utf8_lossy(&p.value).into_owned(),
    ))
}

/// A binary property written as 3.0's `ENCODING=b;TYPE=JPEG` or 4.0's `data:` URI.
/// A kept property in one spelling for comparing: a photo or key kept as 3.0's
/// `ENCODING=b;TYPE=JPEG` and the same one read back from a 4.0 export's `data:` URI are
/// the same property.
/// A line kept raw by an older kith and the same line read back from its export (its
/// control characters escaped) are the same property too.
pub fn comparable_extra(extra: &str) -> String {
    convert_binary(&without_raw_controls(extra), Version::V4)
}

fn convert_binary(extra: &str, version: Version) -> String {
    let Ok(p) = parse_property(0, extra.as_bytes()) else {
        return extra.to_string();
    };
    let value = String::from_utf8_lossy(&p.value).into_owned();
    let group = p
        .group
        .as_ref()
        .map(|g| format!("{g}."))
        .unwrap_or_default();
    let is_b = p
        .param("ENCODING")
        .and_then(|v| v.first())
        .is_some_and(|e| e.eq_ignore_ascii_case("b") || e.eq_ignore_ascii_case("base64"));
    match version {
        Version::V4 if is_b => {
            let top = match &*p.name {
                "PHOTO" | "LOGO" => "image",
                "SOUND" => "audio",
                _ => "application",
            };
            let media = p
                .param("TYPE")
                .and_then(|v| v.first())
                .map(|t| {
                    let t = t.to_ascii_lowercase();
                    if t.contains('/') {
                        t
                    } else {
                        format!("{top}/{t}")
                    }
                })
                .unwrap_or_else(|| "application/octet-stream".into());
            format!(
                "{group}{}:data:{media};base64,{}",
                p.name,
                whole_base64(&value)
            )
        }
        Version::V3 if is_b => match extra.rsplit_once(':') {
            Some((head, data)) => format!("{head}:{}", whole_base64(data)),
            None => extra.to_string(),
        },
        Version::V3 if value.starts_with("data:") => {
            // data:image/jpeg;base64,.... (its comma escaped as text by some writers)
            let value = value.replacen(";base64\\,", ";base64,", 1);
            let Some((head, data)) = value.split_once(',') else {
                return extra.to_string();
            };
            let media = head
                .trim_start_matches("data:")
                .trim_end_matches(";base64")
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            format!("{group}{};ENCODING=b;TYPE={media}:{data}", p.name)
        }
        _ => extra.to_string(),
    }
}

/// Base64 of whole 4-character groups, as strict readers (Python's, so khard) demand: a
/// dangling last character, which cannot hold a byte, is dropped and missing padding added.
/// Some phones write photos one character short; the bytes are unchanged.
fn whole_base64(data: &str) -> String {
    let data = data.trim_end_matches('=');
    let mut out = data.to_string();
    match data.len() % 4 {
        1 => {
            out.pop();
        }
        2 => out.push_str("=="),
        3 => out.push('='),
        _ => {}
    }
    out
}

/// Write one card.
pub fn write_card(
    out: &mut String,
    uid: &str,
    fields: &ContactFields,
    extras: &[String],
    version: Version,
) {
    let taken = extras
        .iter()
        .filter_map(|e| group_of(e).map(str::to_ascii_lowercase))
        .collect();
    let mut w = CardWriter {
        out,
        group: 0,
        taken,
    };
    let mut kept = Kept::new(extras);
    w.line("BEGIN:VCARD");
    w.line(match version {
        Version::V4 => "VERSION:4.0",
        Version::V3 => "VERSION:3.0",
    });
    w.line(&format!("UID:{}", escape(uid)));
    w.line(&format!("FN:{}", escape(&fields.display_name)));
    w.names(fields, &mut kept);
    w.details(fields, &mut kept);
    w.dates_notes_and_tags(fields, version);
    w.kept(fields, &kept, version);
    w.line("END:VCARD");
}

/// The lines kept at import, parsed once, and which of them were written in place of a
/// modelled value ("shadows": the exact structured N, ORG or ADR behind it).
struct Kept<'a> {
    lines: &'a [String],
    parsed: Vec<Option<(String, String)>>,
    used: Vec<bool>,
}

impl<'a> Kept<'a> {
    fn new(lines: &'a [String]) -> Kept<'a> {
        Kept {
            lines,
            parsed: lines.iter().map(|e| extra_parts(e)).collect(),
            used: vec![false; lines.len()],
        }
    }

    /// The first unused kept `name` property whose value `matches`, now used.
    fn shadow(&mut self, name: &str, matches: &dyn Fn(&str) -> bool) -> Option<&'a str> {
        let i = self.parsed.iter().enumerate().position(|(i, p)| {
            !self.used[i] && p.as_ref().is_some_and(|(n, v)| n == name && matches(v))
        })?;
        self.used[i] = true;
        Some(&self.lines[i])
    }
}

/// Component `i` of a structured value, unescaped, if not empty.
fn component(value: &str, i: usize) -> Option<String> {
    split_unescaped(value, ';')
        .get(i)
        .map(|s| unescape(s).trim().to_string())
        .filter(|s| !s.is_empty())
}

impl CardWriter<'_> {
    /// N (or its kept shadow), NICKNAME, ORG (or its shadow), TITLE.
    fn names(&mut self, fields: &ContactFields, kept: &mut Kept<'_>) {
        let n_shadow = kept.shadow("N", &|v| {
            component(v, 0) == fields.family_name && component(v, 1) == fields.given_name
        });
        match n_shadow {
            Some(line) => self.line(line),
            None => self.line(&format!(
                "N:{};{};;;",
                escape(fields.family_name.as_deref().unwrap_or("")),
                escape(fields.given_name.as_deref().unwrap_or(""))
            )),
        }
        if let Some(nick) = &fields.nickname {
            self.line(&format!("NICKNAME:{}", escape(nick)));
        }
        if let Some(org) = &fields.organization {
            match kept.shadow("ORG", &|v| component(v, 0).as_deref() == Some(org.as_str())) {
                Some(line) => self.line(line),
                None => self.line(&format!("ORG:{}", escape(org))),
            }
        }
        if let Some(title) = &fields.title {
            self.line(&format!("TITLE:{}", escape(title)));
        }
    }

    /// Emails, phones, addresses (their kept ADR where it still says the same), URLs and
    /// social profiles, with their labels.
    fn details(&mut self, fields: &ContactFields, kept: &mut Kept<'_>) {
        for e in &fields.emails {
            self.labeled("EMAIL", e, &escape(&e.value));
        }
        for p in &fields.phones {
            self.labeled("TEL", p, &escape(&p.value));
        }
        for a in &fields.addresses {
            let Some(line) = kept.shadow("ADR", &|v| address_text(v) == a.value) else {
                self.labeled("ADR", a, &flat_address(&a.value));
                continue;
            };
            self.line(line);
            let from_types = parse_property(0, line.as_bytes())
                .ok()
                .and_then(|p| super::label_of(&p, &Default::default()));
            if let (Some(label), Some(group)) = (&a.label, group_of(line))
                && from_types.as_ref() != Some(label)
            {
                self.line(&format!("{group}.X-ABLabel:{}", escape(label)));
            }
        }
        for u in &fields.urls {
            self.labeled("URL", u, &escape(&u.value));
        }
        for s in &fields.socials {
            self.labeled("X-SOCIALPROFILE", s, &escape(&s.value));
        }
    }

    /// BDAY, NOTE, kith's own fields (so that a vCard round trip keeps them too), and
    /// CATEGORIES.
    fn dates_notes_and_tags(&mut self, fields: &ContactFields, version: Version) {
        if let Some(b) = fields.birthday {
            let text = match (version, b.year) {
                (Version::V4, Some(y)) => format!("{y:04}{:02}{:02}", b.month, b.day),
                (Version::V4, None) => format!("--{:02}{:02}", b.month, b.day),
                (Version::V3, _) => b.to_string(),
            };
            self.line(&format!("BDAY:{text}"));
        }
        if let Some(notes) = &fields.notes {
            self.line(&format!("NOTE:{}", escape(notes)));
        }
        if let Some(channel) = fields.preferred_channel {
            self.line(&format!("X-KITH-PREFERRED-CHANNEL:{channel}"));
        }
        if let Some(cadence) = fields.cadence {
            self.line(&format!("X-KITH-CADENCE:{cadence}"));
        }
        if !fields.tags.is_empty() {
            let tags: Vec<String> = fields.tags.iter().map(|t| escape(t)).collect();
            self.line(&format!("CATEGORIES:{}", tags.join(",")));
        }
    }

    /// The kept lines not written yet, binary data in `version`'s form.
    fn kept(&mut self, fields: &ContactFields, kept: &Kept<'_>, version: Version) {
        for (i, extra) in kept.lines.iter().enumerate() {
            if kept.used[i] {
                continue;
            }
            // Structured forms of a name, organization or address that was since edited: the
            // modelled value written above is the current truth. Not stale, and so written:
            // the same address again under another label, and an ORG of departments only (no
            // name for the organization field) while the contact still has no organization.
            if let Some((name, value)) = &kept.parsed[i] {
                let still_true = match name.as_str() {
                    "ADR" => fields
                        .addresses
                        .iter()
                        .any(|a| a.value == address_text(value)),
                    "ORG" => fields.organization.is_none() && component(value, 0).is_none(),
                    "N" => false,
                    _ => true,
                };
                if !still_true {
                    continue;
                }
            }
            self.line(&convert_binary(extra, version));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{Record, vcard};
    use proptest::prelude::*;

    fn read_one(text: &str) -> crate::formats::ContactIn {
        match vcard::read(text.as_bytes().to_vec())
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .record
        {
            Record::Contact(c) => *c,
            _ => panic!(),
        }
    }

    #[test]
    fn long_lines_fold_on_character_boundaries() {
        let mut out = String::new();
        push_folded(&mut out, &format!("NOTE:{}", "é".repeat(60)));
        for line in out.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("NOTE:{}\r\n", "é".repeat(60))
        );
    }

    #[test]
    fn kept_structure_is_written_back() {
        let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;John;Q.;Mr.;Jr.\r\nFN:John Doe\r\nORG:IBM;Accounting\r\nADR;TYPE=work:;;1 Main St;Austin;TX;12345;USA\r\nPHOTO;ENCODING=b;TYPE=JPEG:AAAA\r\nEND:VCARD\r\n";
        let c = read_one(card);
        assert_eq!(
            c.fields.addresses[0].value,
            "1 Main St, Austin, TX 12345, USA"
        );
        let mut out = String::new();
        write_card(&mut out, "u1", &c.fields, &c.extras, Version::V4);
        assert!(out.contains("\r\nN:Doe;John;Q.;Mr.;Jr.\r\n"), "{out}");
        assert!(out.contains("\r\nORG:IBM;Accounting\r\n"), "{out}");
        assert!(
            out.contains("\r\nADR;TYPE=work:;;1 Main St;Austin;TX;12345;USA\r\n"),
            "{out}"
        );
        assert!(
            out.contains("\r\nPHOTO:data:image/jpeg;base64,AAAA\r\n"),
            "{out}"
        );
        let mut v3 = String::new();
        write_card(&mut v3, "u1", &c.fields, &c.extras, Version::V3);
        assert!(
            v3.contains("\r\nPHOTO;ENCODING=b;TYPE=JPEG:AAAA\r\n"),
            "{v3}"
        );
        let back = read_one(&out);
        assert_eq!(back.fields, c.fields);
    }

    #[test]
    fn departments_without_a_name_and_a_second_label_for_an_address_are_written_back() {
        let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane\r\nORG:;72430056\r\nADR;TYPE=WORK:;;6544 Battleford Drive;Raleigh;NC;27613;USA\r\nADR;TYPE=HOME:;;6544 Battleford Drive;Raleigh;NC;27613;USA\r\nEND:VCARD\r\n";
        let c = read_one(card);
        assert_eq!(c.fields.organization, None);
        assert_eq!(c.fields.addresses.len(), 1);
        let mut out = String::new();
        write_card(&mut out, "u1", &c.fields, &c.extras, Version::V4);
        assert!(out.contains("\r\nORG:;72430056\r\n"), "{out}");
        assert!(out.contains("\r\nADR;TYPE=WORK:;;6544"), "{out}");
        assert!(out.contains("\r\nADR;TYPE=HOME:;;6544"), "{out}");
        let back = read_one(&out);
        assert_eq!(back.fields, c.fields);
        assert_eq!(back.extras.len(), c.extras.len(), "{:?}", back.extras);
        // Once the address is edited, its old structured forms are stale and left out.
        let mut edited = c.fields.clone();
        edited.addresses[0].value = "1 New Street".into();
        let mut out = String::new();
        write_card(&mut out, "u1", &edited, &c.extras, Version::V4);
        assert!(!out.contains("Battleford"), "{out}");
    }

    fn text() -> impl Strategy<Value = String> {
        "[A-Za-zÀ-ÿ0-9 ,;:.'\\\\-]{1,24}".prop_map(|s| s.trim().to_string())
    }

    fn label() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(prop_oneof![
            Just("work".to_string()),
            Just("home".to_string()),
            Just("mobile".to_string()),
            Just("work-fax".to_string()),
            Just("assistant".to_string()),
            Just("my own label".to_string()),
        ])
    }

    fn labeled(value: impl Strategy<Value = String>) -> impl Strategy<Value = Vec<Labeled>> {
        proptest::collection::vec(
            (label(), value).prop_map(|(label, value)| Labeled { label, value }),
            0..3,
        )
    }

    prop_compose! {
        fn contact()(
            display_name in text().prop_filter("a name", |s| !s.is_empty()),
            given_name in proptest::option::of(text()),
            family_name in proptest::option::of(text()),
            nickname in proptest::option::of(text()),
            organization in proptest::option::of(text()),
            title in proptest::option::of(text()),
            emails in labeled("[a-z]{1,8}@[a-z]{1,8}\\.(com|org)"),
            phones in labeled("\\+?[0-9]{3,12}"),
            addresses in labeled("[A-Za-z0-9 ,.]{1,30}".prop_map(|s| s.trim().to_string())),
            urls in labeled("https://[a-z]{1,10}\\.example/[a-z]{0,5}"),
            socials in labeled("@[a-z]{1,10}"),
            birthday in proptest::option::of((proptest::option::of(1900i32..2100), 1u32..=12, 1u32..=28)),
            notes in proptest::option::of("[a-zA-Z ,;:\\\\\n]{1,40}".prop_map(|s| s.trim().to_string())),
            tags in proptest::collection::vec("[a-z][a-z0-9-]{0,8}", 0..3),
            cadence in proptest::option::of(prop_oneof![Just("2w"), Just("3m"), Just("1y")]),
        ) -> (ContactFields, bool) {
            let mut fields = ContactFields {
                display_name,
                given_name,
                family_name,
                nickname,
                organization,
                title,
                emails,
                phones,
                addresses,
                urls,
                socials,
                birthday: birthday.map(|(year, month, day)| crate::model::Birthday { year, month, day }),
                preferred_channel: Some(crate::model::Channel::Email),
                cadence: cadence.and_then(|c| crate::model::Period::parse(c).ok()),
                notes,
                tags,
            };
            let ok = fields.validate().is_ok();
            fields.tags.sort();
            (fields, ok)
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn reading_what_was_written_gives_the_same_contact((fields, ok) in contact(), v3 in any::<bool>()) {
            prop_assume!(ok);
            let version = if v3 { Version::V3 } else { Version::V4 };
            let mut out = String::new();
            write_card(&mut out, "uid-1", &fields, &[], version);
            let back = read_one(&out);
            prop_assert_eq!(back.uid.as_deref(), Some("uid-1"));
            let mut got = back.fields;
            got.tags.sort();
            prop_assert_eq!(got, fields, "{}", out);
            // Addresses keep their structured ADR beside them; nothing else is left over.
            prop_assert!(back.extras.iter().all(|e| e.starts_with("ADR") || e.contains(".ADR")), "{:?}", back.extras);
        }
    }
}
