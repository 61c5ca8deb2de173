//! Pure readers and writers of address-book formats: bytes in, records out (and back).
//! No I/O and no store: the importer ([`crate::import`]) decides what the records mean for
//! the database.
//!
//! Every reader yields records one at a time with where each came from (line or record
//! number), so that problems are reported as `file:line: reason` and a large file never has
//! to be held in memory as parsed records. [`ical`] is the exception: a calendar's series
//! and their overrides may be anywhere in a file, so it reads one whole, for `kith capture`.

pub mod contentline;
pub mod csv;
pub mod ical;
pub mod json;
pub mod sniff;
pub mod vcard;

use std::fmt;
use std::io::Read;

use chrono::{DateTime, Utc};

use crate::model::ContactFields;

/// Where a record (or a problem) is in its input: a line, or a record number when the
/// format has no useful lines (one JSON document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Location {
    pub line: Option<usize>,
    /// 1-based position of the record in its input.
    pub record: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{line}"),
            None => write!(f, "record {}", self.record),
        }
    }
}

/// Something kept but worth telling the user (a value kith could not model and kept as-is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: Option<usize>,
    pub message: String,
}

/// A record that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: Location,
    pub message: String,
    /// What the record is and whom it names, when that much could be read: (kind, name).
    pub named: Option<(&'static str, String)>,
}

impl Problem {
    pub fn new(at: Location, message: impl Into<String>) -> Problem {
        Problem {
            at,
            message: message.into(),
            named: None,
        }
    }

    /// The same problem, of a record of `kind` named `name`.
    pub fn of(mut self, kind: &'static str, name: impl Into<String>) -> Problem {
        self.named = Some((kind, name.into()));
        self
    }
}

/// A contact as read from a file, validated, before it meets the database.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContactIn {
    pub uid: Option<String>,
    pub fields: ContactFields,
    /// Unmodelled properties, as unfolded vCard content lines.
    pub extras: Vec<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub archived_at: Option<DateTime<Utc>>,
    pub warnings: Vec<Warning>,
}

/// One record of any kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Contact(Box<ContactIn>),
    Organization(json::OrganizationRecord),
    Relationship(json::RelationshipRecord),
    Interaction(json::InteractionRecord),
    Reminder(json::ReminderRecord),
    YearlyDate(json::YearlyDateRecord),
    TagCadence(json::TagCadenceRecord),
    MeAddress(json::MeAddressRecord),
    CaptureBatch(Box<json::CaptureBatchRecord>),
    /// A card that describes no person and that kith does not import (a group, a place).
    OtherCard(OtherCard),
}

/// A vCard of a group (`KIND:group`) or a place (`KIND:location`): what an import reports of
/// it (see `vcard::kind`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherCard {
    /// "group" or "location".
    pub kind: &'static str,
    pub name: String,
    /// How many members a group lists.
    pub members: usize,
}

/// A record with its location.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub at: Location,
    pub record: Record,
}

pub type RecordResult = Result<Located, Problem>;

/// A stable identifier derived from a record's content, for records that carry no UID of
/// their own: importing the same file again finds the same contacts. UUID-shaped (version 8,
/// "custom"), from two 64-bit FNV-1a hashes.
pub fn content_uid(content: &[u8]) -> String {
    let (a, b) = fnv_pair(FNV_SEEDS, content);
    uid_of_hashes(a, b)
}

/// [`content_uid`] of two contents at once. Each byte's multiply waits for the one before it
/// in the same hash: four hashes side by side (two a content) cost about the time of two, so
/// a reader with several cards to name hashes them in pairs (most cards of real exports
/// have no UID, and with their photos they are most of an import's bytes).
pub fn content_uids_of_two(x: &[u8], y: &[u8]) -> (String, String) {
    let common = x.len().min(y.len());
    let (mut xa, mut xb) = FNV_SEEDS;
    let (mut ya, mut yb) = FNV_SEEDS;
    for (&p, &q) in x[..common].iter().zip(&y[..common]) {
        xa = (xa ^ u64::from(p)).wrapping_mul(FNV_PRIME);
        xb = (xb ^ u64::from(p)).wrapping_mul(FNV_PRIME);
        ya = (ya ^ u64::from(q)).wrapping_mul(FNV_PRIME);
        yb = (yb ^ u64::from(q)).wrapping_mul(FNV_PRIME);
    }
    let (xa, xb) = fnv_pair((xa, xb), &x[common..]);
    let (ya, yb) = fnv_pair((ya, yb), &y[common..]);
    (uid_of_hashes(xa, xb), uid_of_hashes(ya, yb))
}

/// The two seeds of [`content_uid`]'s hashes (FNV-1a's own offset basis, and another).
const FNV_SEEDS: (u64, u64) = (0xcbf2_9ce4_8422_2325, 0x6c62_272e_07bb_0142);
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Two FNV-1a hashes of `content` with different seeds, computed in one pass: the two
/// chains side by side cost the time of one.
fn fnv_pair((mut a, mut b): (u64, u64), content: &[u8]) -> (u64, u64) {
    for &byte in content {
        a = (a ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
        b = (b ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
    }
    (a, b)
}

fn uid_of_hashes(a: u64, b: u64) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_be_bytes());
    bytes[8..].copy_from_slice(&b.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut uid = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            uid.push('-');
        }
        uid.push(char::from(HEX[usize::from(byte >> 4)]));
        uid.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    uid
}

/// Whether `text` is a date left blank by its writer rather than a date: Outlook writes an
/// empty birthday as "0/0/00", others "0/0/0000", "00.00.0000" or "0000-00-00". Only zeros
/// between the separators; such a value is no date at all, so it is dropped without a warning.
pub fn is_empty_date(text: &str) -> bool {
    let text = text.trim();
    text.bytes().any(|b| b == b'0')
        && text
            .bytes()
            .all(|b| matches!(b, b'0' | b'/' | b'.' | b'-' | b' '))
}

/// Decode bytes that should be text: UTF-8 (BOM or not), UTF-16 with a BOM or with the NUL
/// pattern of ASCII text, else windows-1252 (every byte is a character there). Returns the
/// text and, when it was not UTF-8, the encoding used, so the caller can say so.
pub fn decode_text(bytes: &[u8]) -> Result<(String, Option<&'static str>), String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), None))
            .map_err(|e| {
                format!(
                    "starts with a UTF-8 byte order mark but byte {} is not UTF-8",
                    e.valid_up_to() + 3
                )
            });
    }
    let utf16 = if bytes.starts_with(b"\xFF\xFE") {
        Some(encoding_rs::UTF_16LE)
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some(encoding_rs::UTF_16BE)
    } else if bytes.len() >= 4 && bytes[1] == 0 && bytes[3] == 0 && bytes[0] != 0 {
        Some(encoding_rs::UTF_16LE)
    } else if bytes.len() >= 4 && bytes[0] == 0 && bytes[2] == 0 && bytes[1] != 0 {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    };
    if let Some(encoding) = utf16 {
        let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(format!(
                "looks like {} but is not valid {0} (odd length or broken surrogate pairs)",
                encoding.name()
            ));
        }
        return Ok((text.into_owned(), Some(encoding.name())));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), None)),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok((text.into_owned(), Some("windows-1252")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_uids_hashed_two_at_a_time_are_those_hashed_one_at_a_time() {
        let texts: Vec<Vec<u8>> = (0..40)
            .map(|n| (0..n * 7).map(|i| (i * 31 + n) as u8).collect())
            .collect();
        for x in &texts {
            for y in &texts {
                assert_eq!(
                    content_uids_of_two(x, y),
                    (content_uid(x), content_uid(y)),
                    "{} and {} bytes",
                    x.len(),
                    y.len()
                );
            }
        }
    }

    #[test]
    fn content_uids_are_stable_and_distinct() {
        assert_eq!(content_uid(b"a"), content_uid(b"a"));
        assert_ne!(content_uid(b"a"), content_uid(b"b"));
        assert_eq!(content_uid(b"a").len(), 36);
        // The UIDs of books already imported: the same bytes must keep giving the same UID.
        assert_eq!(content_uid(b"a"), "af63dc4c-8601-8c8c-a5c9-b63722c2ee79");
        assert_eq!(
            content_uid(b"BEGIN:VCARD\nFN:x\nEND:VCARD\n"),
            "640f2383-60ba-86bd-ba72-9689f4449000"
        );
    }

    #[test]
    fn empty_date_placeholders_are_recognised() {
        for blank in [
            "0/0/00",
            "0/0/0000",
            "00.00.0000",
            "0000-00-00",
            " 00/00/00 ",
        ] {
            assert!(is_empty_date(blank), "{blank}");
        }
        for date in ["", "1/1/00", "2000-01-01", "--00-01", "none", "10/0/00"] {
            assert!(!is_empty_date(date), "{date}");
        }
    }

    #[test]
    fn text_is_decoded_from_the_usual_encodings() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFhi").unwrap(), ("hi".into(), None));
        assert_eq!(
            decode_text(b"\xFF\xFEh\0i\0").unwrap(),
            ("hi".into(), Some("UTF-16LE"))
        );
        assert_eq!(
            decode_text(b"Iksi\xF1ski").unwrap(),
            ("Iksiñski".into(), Some("windows-1252"))
        );
    }
}

/// How to read CSV columns that kith does not recognise: `Column=field` pairs.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub csv_map: Vec<(String, String)>,
}

pub type Records = Box<dyn Iterator<Item = RecordResult> + Send>;

/// Read `bytes` as `format`, lazily. An error here concerns the whole input (its encoding,
/// a JSON syntax error) and says where and why.
pub fn read(
    format: sniff::ImportFormat,
    bytes: Vec<u8>,
    options: &ReadOptions,
) -> Result<Records, String> {
    use sniff::ImportFormat as F;
    match format {
        F::Json => {
            let (text, _) = decode_text(&bytes)?;
            Ok(Box::new(json::read_json(&text)?.into_iter()))
        }
        F::Jsonl => {
            let (text, _) = decode_text(&bytes)?;
            Ok(Box::new(json::read_jsonl(text)))
        }
        F::Vcard => Ok(Box::new(vcard::read(bytes)?)),
        F::Csv | F::Google | F::Outlook | F::Linkedin => {
            let (text, _) = decode_text(&bytes)?;
            Ok(Box::new(csv::read(text, &options.csv_map)?.0.into_iter()))
        }
    }
}

/// An input opened for import: its records, read lazily, and the CSV columns kith did not
/// know whose values it kept (for the report to name).
pub struct Opened {
    pub records: Records,
    pub unknown_columns: Vec<csv::UnknownColumn>,
}

/// [`open`] for a file that begins with `head` and goes on in `rest` (if it is longer): a
/// vCard file is parsed as it is read, so a large one is never in memory whole; the other
/// formats are read to the end first.
pub fn open_streaming(
    format: sniff::ImportFormat,
    head: Vec<u8>,
    rest: Option<Box<dyn std::io::Read + Send>>,
    options: &ReadOptions,
) -> Result<Opened, String> {
    let Some(mut rest) = rest else {
        return open(format, head, options);
    };
    if format == sniff::ImportFormat::Vcard {
        return Ok(Opened {
            records: Box::new(vcard::Reader::streaming(head, rest)?),
            unknown_columns: Vec::new(),
        });
    }
    let mut bytes = head;
    rest.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    open(format, bytes, options)
}

/// [`read`], and for a CSV file the columns it kept without knowing them.
pub fn open(
    format: sniff::ImportFormat,
    bytes: Vec<u8>,
    options: &ReadOptions,
) -> Result<Opened, String> {
    use sniff::ImportFormat as F;
    match format {
        F::Csv | F::Google | F::Outlook | F::Linkedin => {
            let (text, _) = decode_text(&bytes)?;
            let (records, unknown_columns) = csv::read(text, &options.csv_map)?;
            Ok(Opened {
                records: Box::new(records.into_iter()),
                unknown_columns,
            })
        }
        _ => Ok(Opened {
            records: read(format, bytes, options)?,
            unknown_columns: Vec::new(),
        }),
    }
}
