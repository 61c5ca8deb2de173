//! The fuzz targets' property ("any bytes: records or errors, never a panic"), bounded so it
//! runs on every `cargo test`. `cd fuzz && cargo +nightly fuzz run vcard` searches further.

use kith::formats::sniff::ImportFormat;
use kith::formats::{ReadOptions, read};
use proptest::prelude::*;

/// Read every record of `bytes` as `format`; errors are fine, a panic fails the test.
fn read_all(format: ImportFormat, bytes: Vec<u8>, map: &[(String, String)]) -> usize {
    let options = ReadOptions {
        csv_map: map.to_vec(),
    };
    match read(format, bytes, &options) {
        Ok(records) => records.count(),
        Err(_) => 0,
    }
}

/// vCard-shaped text: real property names, parameters, folding, escapes and encodings mixed
/// with arbitrary characters, so the parser gets past its first checks.
fn vcard_text() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        Just("BEGIN:VCARD".to_string()),
        Just("END:VCARD".to_string()),
        Just("VERSION:2.1".to_string()),
        Just("VERSION:4.0".to_string()),
        "(FN|N|EMAIL|TEL|ADR|ORG|NOTE|BDAY|CATEGORIES|UID|X-A|item1\\.URL)(;[A-Z=,\"a-z-]{0,12}){0,2}:[^\r\n]{0,30}",
        "(NOTE|N);ENCODING=(QUOTED-PRINTABLE|BASE64|b)(;CHARSET=[A-Za-z0-9-]{0,10})?:[=0-9A-F;a-z]{0,30}=?",
        " [^\r\n]{0,20}",
        "\\PC{0,20}",
    ];
    (
        proptest::collection::vec(line, 0..24),
        proptest::collection::vec(any::<u8>(), 0..8),
    )
        .prop_map(|(lines, noise)| {
            let mut bytes = lines.join("\r\n").into_bytes();
            bytes.extend(noise);
            bytes
        })
}

/// CSV-shaped text: known headers of Google/Outlook/LinkedIn/kith exports, quotes, separators,
/// line breaks inside cells, and arbitrary characters.
fn csv_text() -> impl Strategy<Value = Vec<u8>> {
    let cell = prop_oneof![
        Just("First Name".to_string()),
        Just("E-mail 1 - Value".to_string()),
        Just("Phone 1 - Label".to_string()),
        Just("Birthday".to_string()),
        Just("Labels".to_string()),
        Just("emails".to_string()),
        Just("Address 1 - Street".to_string()),
        Just("Notes:".to_string()),
        "\"[^\"]{0,12}\"",
        "[^,\r\n]{0,12}",
        "\\PC{0,8}",
        Just(" ::: ".to_string()),
    ];
    let row = proptest::collection::vec(cell, 0..8).prop_map(|cells| cells.join(","));
    (
        proptest::collection::vec(row, 0..10),
        proptest::collection::vec(any::<u8>(), 0..6),
    )
        .prop_map(|(rows, noise)| {
            let mut bytes = rows.join("\r\n").into_bytes();
            bytes.extend(noise);
            bytes
        })
}

/// The `ics` fuzz target's property: a TEXT value escaped and folded by the .ics writer comes
/// back (unfolded, unescaped) as written, minus the controls RFC 5545 forbids in TEXT, and no
/// physical line is longer than 75 octets.
fn ics_round_trip(text: &str) -> Result<(), TestCaseError> {
    let folded = kith::ics::fold(&format!("DESCRIPTION:{}", kith::ics::escape_text(text)));
    let body = folded.strip_suffix("\r\n").unwrap_or(&folded);
    for line in body.split("\r\n") {
        prop_assert!(line.len() <= 75, "{} octets: {:?}", line.len(), line);
    }
    let unfolded = body.replace("\r\n ", "");
    let value = unfolded.strip_prefix("DESCRIPTION:").unwrap_or("");
    let mut back = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => back.push('\n'),
                Some(other) => back.push(other),
                None => prop_assert!(false, "dangling backslash in {:?}", value),
            },
            (c, false) => back.push(c),
        }
    }
    let expected: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
    prop_assert_eq!(back, expected);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn ics_text_escapes_and_folds_back_to_what_was_written(
        text in "[\\\\;,\r\n\t\u{1b}\u{7f}\u{85}\u{202e}a-zé€😀 ]{0,120}|\\PC{0,200}"
    ) {
        ics_round_trip(&text)?;
    }

    #[test]
    fn the_vcard_reader_never_panics(bytes in vcard_text()) {
        read_all(ImportFormat::Vcard, bytes, &[]);
    }

    #[test]
    fn the_vcard_reader_never_panics_on_raw_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        read_all(ImportFormat::Vcard, bytes, &[]);
    }

    #[test]
    fn the_csv_readers_never_panic(bytes in csv_text(), mapped in "[A-Za-z ]{0,8}") {
        for format in [ImportFormat::Csv, ImportFormat::Google, ImportFormat::Outlook, ImportFormat::Linkedin] {
            read_all(format, bytes.clone(), &[]);
        }
        read_all(ImportFormat::Csv, bytes, &[(mapped, "email".to_string())]);
    }

    #[test]
    fn the_csv_reader_never_panics_on_raw_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        read_all(ImportFormat::Csv, bytes, &[]);
    }

    #[test]
    fn the_json_readers_never_panic(text in "[\\[\\]{}\":,a-z_0-9 \n]{0,80}|\\PC{0,40}") {
        read_all(ImportFormat::Json, text.clone().into_bytes(), &[]);
        read_all(ImportFormat::Jsonl, text.into_bytes(), &[]);
    }
}
