//! The vCard reader proper: bytes to cards. Splits physical lines (LF, CR, CRLF, `\r\r\n`),
//! unfolds them (any indentation; 2.1 keeps a folded line's whitespace), joins
//! quoted-printable soft line breaks, finds `BEGIN:VCARD` ... `END:VCARD` (with or without a
//! group), reads each line as a [`Property`], continues a value whose writer left a line
//! break raw, and says where a broken card starts.

use super::super::{Located, Location, Problem, Record, RecordResult, Warning};
use super::contact::to_contact;
use super::kind::{self, CardKind};
use super::property::{Property, parse_owned_property};
use std::io::Read;

use crate::formats::contentline::{colon_position, continuation};

/// Physical lines of a byte buffer: split at LF, CR or CRLF, with line numbers as an editor
/// shows them (counting LFs, or CRs in a file that has no LF).
struct PhysicalLines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    count_cr: bool,
}

impl<'a> Iterator for PhysicalLines<'a> {
    type Item = (usize, &'a [u8]);
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let start = self.pos;
        let line = self.line;
        let rest = &self.bytes[start..];
        let end = memchr::memchr2(b'\n', b'\r', rest).map_or(self.bytes.len(), |i| start + i);
        self.pos = end;
        if let Some(&b) = self.bytes.get(end) {
            self.pos += 1;
            if b == b'\r' && self.bytes.get(end + 1) == Some(&b'\n') {
                // CRLF is one line end.
                self.pos += 1;
                self.line += 1;
            } else if (b == b'\n') != self.count_cr {
                self.line += 1;
            }
        }
        Some((line, &self.bytes[start..end]))
    }
}

/// Where the name and parameters of a content line end: the first ':' outside quotes.
/// Some writers escape a quote inside a quoted parameter value as `\"` (RFC 6868 has `^'`);
/// DQUOTE cannot occur there otherwise, so it is read as a quote, not the value's end.
fn header_is_quoted_printable(line: &[u8]) -> bool {
    let header = &line[..colon_position(line).unwrap_or(line.len())];
    header
        .windows(16)
        .any(|w| w.eq_ignore_ascii_case(b"QUOTED-PRINTABLE"))
}

/// `BEGIN:VCARD` or `END:VCARD`, with or without a group (RFC 2425's grammar allows
/// `home.begin:vcard`, and vobject's tests have it).
fn is_delimiter(line: &[u8], delimiter: &[u8]) -> bool {
    // Checked on every line: compare the end first, so a long line costs nothing.
    let Some(split) = line.len().checked_sub(delimiter.len()) else {
        return false;
    };
    let (group, rest) = line.split_at(split);
    if !rest.eq_ignore_ascii_case(delimiter) {
        return false;
    }
    match group.split_last() {
        None => true,
        Some((b'.', name)) => {
            !name.is_empty() && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        }
        Some(_) => false,
    }
}

/// A card as properties, with where it started (its raw bytes are the reader's
/// `fingerprint`).
struct RawCard {
    start: usize,
    properties: Vec<Property>,
    /// What was read leniently while splitting the card into properties.
    warnings: Vec<Warning>,
}

impl RawCard {
    /// `problem`, named by the card's FN (or N) when it has one: a card cut short is then
    /// told by whom it is, not only by its line.
    fn naming(&self, problem: Problem) -> Problem {
        let name = ["FN", "N"].iter().find_map(|wanted| {
            let p = self.properties.iter().find(|p| p.name == *wanted)?;
            let text = p.text(&mut Vec::new()).ok()?;
            let text = if *wanted == "N" {
                // family;given;additional;prefix;suffix: "given family".
                let parts = crate::formats::contentline::split_unescaped(&text, ';');
                [parts.get(1), parts.first()]
                    .into_iter()
                    .flatten()
                    .map(|part| crate::formats::contentline::unescape(part))
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                crate::formats::contentline::unescape(&text)
            };
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            (!text.is_empty()).then_some(text)
        });
        match name {
            Some(name) => problem.of("contact", name),
            None => problem,
        }
    }

    /// Some writers put a raw line break inside a value (an address label, a photo's base64
    /// in 2.1): a line with no ':' can only be that value going on. False when the line is
    /// something else (or there is no value for it to continue).
    fn continue_last_value(&mut self, line_no: usize, line: &[u8]) -> bool {
        if colon_position(line).is_some() {
            return false;
        }
        let Some(previous) = self.properties.last_mut() else {
            return false;
        };
        if previous.name == "VERSION" {
            return false;
        }
        previous.continue_value(line);
        // One warning for all the lines a value ran on over.
        let of = format!("of {} (line {})", previous.name, previous.line);
        let first = match self.warnings.last() {
            Some(w) if w.message.ends_with(&of) => {
                let first = w.line.unwrap_or(line_no);
                self.warnings.pop();
                first
            }
            _ => line_no,
        };
        let lines = if first == line_no {
            "this line has no ':', so it was read".to_string()
        } else {
            format!("lines {first}-{line_no} have no ':', so they were read")
        };
        self.warnings.push(Warning {
            line: Some(first),
            message: format!("{lines} as a line break its writer left unescaped in the value {of}"),
        });
        true
    }
}

/// How much more of a streamed file is read at a time.
const REFILL: u64 = 1 << 20;

/// Reads cards from a file, one at a time: from its bytes in memory, or streamed (see
/// [`Reader::streaming`]), holding only the lines not yet read.
pub struct Reader {
    /// The bytes in hand: the whole file, or, streamed, what is read of it and not yet used.
    bytes: Vec<u8>,
    /// The rest of a streamed file, until it is read to its end (or fails).
    rest: Option<Box<dyn Read + Send>>,
    /// Why the rest of a streamed file could not be read, reported once after its cards.
    failed: Option<String>,
    pos: usize,
    line: usize,
    count_cr: bool,
    /// The logical line being assembled: its first line number and its bytes.
    pending: Option<(usize, Vec<u8>)>,
    /// A whole logical line given back, read again first.
    unread: Option<(usize, Vec<u8>)>,
    /// vCard 2.1 keeps the whitespace of a folded line; 3.0 and 4.0 drop one character.
    version_21: bool,
    record: usize,
    /// The bytes of the cards read ahead that have no UID of their own, for their content
    /// UIDs, and of the card being read (from `card_start`): one buffer for every card,
    /// rather than one grown anew for each.
    fingerprint: Vec<u8>,
    card_start: usize,
    /// Records read ahead, their content UIDs worked out (see [`READ_AHEAD`]).
    ready: std::collections::VecDeque<RecordResult>,
    /// Where the last LF of the bytes in hand is, when it is known: from any `pos` up to
    /// it, a whole physical line is in hand, and [`Reader::fill`] need not look.
    last_lf: Option<usize>,
}

impl Reader {
    /// Prepare `bytes` (UTF-16 is converted; a UTF-8 BOM is skipped).
    pub fn new(bytes: Vec<u8>) -> Result<Reader, String> {
        let bytes = if Self::is_utf16(&bytes) {
            let (text, _) = crate::formats::decode_text(&bytes)?;
            text.into_bytes()
        } else if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            rest.to_vec()
        } else {
            bytes
        };
        let count_cr = !bytes.contains(&b'\n');
        Ok(Reader {
            bytes,
            rest: None,
            failed: None,
            pos: 0,
            line: 1,
            count_cr,
            pending: None,
            unread: None,
            version_21: false,
            record: 0,
            fingerprint: Vec::new(),
            card_start: 0,
            ready: std::collections::VecDeque::new(),
            last_lf: None,
        })
    }

    /// A file that begins with `head` and goes on in `rest`, read a megabyte at a time as
    /// cards are taken, so that a large file is never in memory whole. UTF-16 (told by its
    /// first bytes) is read whole and converted, as [`Reader::new`] does. Line numbers count
    /// CRs instead of LFs when its first megabyte has no LF (a file whose lines end in CR
    /// only).
    pub fn streaming(head: Vec<u8>, mut rest: Box<dyn Read + Send>) -> Result<Reader, String> {
        // The first megabyte (at least) decides the encoding and how lines are counted.
        let mut head = head;
        let short = REFILL.saturating_sub(head.len() as u64);
        (&mut rest)
            .take(short)
            .read_to_end(&mut head)
            .map_err(|e| e.to_string())?;
        if Self::is_utf16(&head) {
            let mut bytes = head;
            rest.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
            return Reader::new(bytes);
        }
        let mut reader = Reader::new(head)?;
        reader.last_lf = memchr::memrchr(b'\n', &reader.bytes);
        reader.rest = Some(rest);
        Ok(reader)
    }

    fn is_utf16(bytes: &[u8]) -> bool {
        bytes.starts_with(b"\xFF\xFE")
            || bytes.starts_with(b"\xFE\xFF")
            || (bytes.len() >= 4 && (bytes[1] == 0 || bytes[0] == 0))
    }

    /// Make sure the bytes in hand from `pos` hold a whole physical line (and the byte after
    /// a final CR, which may be a CRLF's LF), reading more of a streamed file if needed.
    fn fill(&mut self) {
        while self.rest.is_some() {
            if self.last_lf.is_some_and(|lf| self.pos <= lf) {
                // The first line end from here is at or before that LF: a CR before it is
                // followed by a byte in hand.
                return;
            }
            let unread = &self.bytes[self.pos..];
            let whole = memchr::memchr2(b'\n', b'\r', unread)
                .is_some_and(|i| unread[i] == b'\n' || i + 1 < unread.len());
            if whole {
                return;
            }
            // What was used goes; what is left is the start of one line.
            self.bytes.drain(..self.pos);
            self.pos = 0;
            let Some(rest) = self.rest.as_mut() else {
                return;
            };
            let read = rest.take(REFILL).read_to_end(&mut self.bytes);
            self.last_lf = memchr::memrchr(b'\n', &self.bytes);
            match read {
                Ok(0) => self.rest = None,
                Ok(_) => {}
                Err(e) => {
                    self.rest = None;
                    self.failed = Some(e.to_string());
                }
            }
        }
    }

    fn physical(&mut self) -> Option<(usize, std::ops::Range<usize>)> {
        self.fill();
        let mut lines = PhysicalLines {
            bytes: &self.bytes,
            pos: self.pos,
            line: self.line,
            count_cr: self.count_cr,
        };
        let next = lines.next();
        let (pos, line) = (lines.pos, lines.line);
        self.pos = pos;
        self.line = line;
        next.map(|(n, slice)| {
            let start = slice.as_ptr() as usize - self.bytes.as_ptr() as usize;
            (n, start..start + slice.len())
        })
    }

    /// The next unfolded line (with quoted-printable soft breaks joined), and its number.
    fn logical(&mut self) -> Option<(usize, Vec<u8>)> {
        if let Some(line) = self.unread.take() {
            return Some(line);
        }
        while let Some((line_no, range)) = self.physical() {
            if range.is_empty() {
                // A blank line ends a quoted-printable value left open by a final '='.
                if let Some((_, buf)) = self.pending.as_mut()
                    && buf.last() == Some(&b'=')
                    && header_is_quoted_printable(buf)
                {
                    buf.pop();
                }
                continue;
            }
            let piece = &self.bytes[range];
            if let Some((_, buf)) = self.pending.as_mut() {
                if let Some(rest) = continuation(piece) {
                    // 2.1 keeps the folded line's whitespace; 3.0 and 4.0 drop one character.
                    buf.extend_from_slice(if self.version_21 { piece } else { rest });
                    continue;
                }
                if buf.last() == Some(&b'=') && header_is_quoted_printable(buf) {
                    // A quoted-printable soft line break: the value goes on, unless the card
                    // ends there (Evolution's tests have a last value ending "=").
                    buf.pop();
                    let trimmed = piece.trim_ascii();
                    if !is_delimiter(trimmed, b"END:VCARD")
                        && !is_delimiter(trimmed, b"BEGIN:VCARD")
                    {
                        buf.extend_from_slice(piece);
                        continue;
                    }
                }
            }
            let piece = piece.to_vec();
            if let Some(done) = self.pending.replace((line_no, piece)) {
                return Some(done);
            }
        }
        self.pending.take()
    }

    /// The next card's properties, or a problem with where it is.
    fn next_card(&mut self) -> Option<Result<RawCard, Problem>> {
        let mut card: Option<RawCard> = None;
        let mut broken: Option<Problem> = None;
        while let Some((line_no, bytes)) = self.logical() {
            let trimmed = bytes.trim_ascii();
            let Some(current) = card.as_mut() else {
                if trimmed.is_empty() {
                    continue;
                }
                self.record += 1;
                let at = Location {
                    line: Some(line_no),
                    record: self.record,
                };
                if is_delimiter(trimmed, b"BEGIN:VCARD") {
                    self.version_21 = false;
                    self.card_start = self.fingerprint.len();
                    card = Some(RawCard {
                        start: line_no,
                        properties: Vec::new(),
                        warnings: Vec::new(),
                    });
                    continue;
                }
                // Skip to the next card, reporting this stray text once.
                let problem = Problem::new(
                    at,
                    format!(
                        "\"{}\" is outside any BEGIN:VCARD ... END:VCARD",
                        String::from_utf8_lossy(&trimmed[..trimmed.len().min(40)])
                    ),
                );
                while let Some((n, next)) = self.logical() {
                    if is_delimiter(next.trim_ascii(), b"BEGIN:VCARD") {
                        self.unread = Some((n, next));
                        break;
                    }
                }
                return Some(Err(problem));
            };
            self.fingerprint.extend_from_slice(&bytes);
            self.fingerprint.push(b'\n');
            if is_delimiter(trimmed, b"END:VCARD") {
                return Some(match broken {
                    Some(p) => Err(p),
                    None => card
                        .map_or_else(|| Err(Problem::new(Location::default(), "empty card")), Ok),
                });
            }
            if is_delimiter(trimmed, b"BEGIN:VCARD") {
                let problem = current.naming(Problem::new(
                    Location {
                        line: Some(current.start),
                        record: self.record,
                    },
                    format!(
                        "the card that starts at line {} has no END:VCARD before the next BEGIN:VCARD at line {line_no}",
                        current.start
                    ),
                ));
                self.unread = Some((line_no, bytes));
                return Some(Err(problem));
            }
            if broken.is_some() {
                continue;
            }
            match parse_owned_property(line_no, bytes) {
                Ok(p) => {
                    if p.name == "VERSION" {
                        self.version_21 = p.value.trim_ascii() == b"2.1";
                    }
                    current.properties.push(p);
                }
                Err((_, bytes)) if current.continue_last_value(line_no, &bytes) => {}
                Err((message, _)) => {
                    broken = Some(Problem::new(
                        Location {
                            line: Some(current.start),
                            record: self.record,
                        },
                        message,
                    ));
                }
            }
        }
        card.map(|c| {
            Err(c.naming(Problem::new(
                Location {
                    line: Some(c.start),
                    record: self.record,
                },
                format!(
                    "the card that starts at line {} has no END:VCARD (the file is cut short?)",
                    c.start
                ),
            )))
        })
    }
}

/// How many records the reader reads ahead: the content UIDs of those without a UID of their
/// own are worked out two at a time, the longest together (see
/// [`crate::formats::content_uids_of_two`]).
const READ_AHEAD: usize = 32;

impl Iterator for Reader {
    type Item = RecordResult;
    fn next(&mut self) -> Option<RecordResult> {
        if self.ready.is_empty() {
            self.read_ahead();
        }
        self.ready.pop_front()
    }
}

impl Reader {
    /// Read up to [`READ_AHEAD`] records into `ready`, and give those people without a UID
    /// theirs.
    fn read_ahead(&mut self) {
        self.fingerprint.clear();
        self.card_start = 0;
        // Which records of `ready` owe a content UID, and of which bytes of `fingerprint`.
        let mut owed: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        while self.ready.len() < READ_AHEAD {
            let before = self.fingerprint.len();
            let Some((record, owes)) = self.read_record() else {
                break;
            };
            if owes {
                owed.push((self.ready.len(), self.card_start..self.fingerprint.len()));
            } else {
                // A card with a UID, or a stray line or broken card read past: not kept.
                self.fingerprint.truncate(before);
            }
            self.ready.push_back(record);
        }
        owed.sort_unstable_by_key(|(_, bytes)| std::cmp::Reverse(bytes.len()));
        for pair in owed.chunks(2) {
            let uids = match pair {
                [(_, x), (_, y)] => {
                    let (x, y) = crate::formats::content_uids_of_two(
                        &self.fingerprint[x.clone()],
                        &self.fingerprint[y.clone()],
                    );
                    [Some(x), Some(y)]
                }
                [(_, x)] => [
                    Some(crate::formats::content_uid(&self.fingerprint[x.clone()])),
                    None,
                ],
                _ => [None, None],
            };
            for ((index, _), uid) in pair.iter().zip(uids) {
                if let Some(Ok(Located {
                    record: Record::Contact(contact),
                    ..
                })) = self.ready.get_mut(*index)
                {
                    contact.uid = uid;
                }
            }
        }
    }

    /// The next record, and whether it is a person who has no UID of their own and is owed
    /// one made from the card's bytes (`fingerprint[card_start..]`).
    fn read_record(&mut self) -> Option<(RecordResult, bool)> {
        let Some(card) = self.next_card() else {
            // A streamed file that could not be read to its end: said once, where it stopped.
            let reason = self.failed.take()?;
            let at = Location {
                line: Some(self.line),
                record: self.record + 1,
            };
            return Some((
                Err(Problem::new(
                    at,
                    format!("the file could not be read past here: {reason}"),
                )),
                false,
            ));
        };
        let raw = match card {
            Ok(raw) => raw,
            Err(problem) => return Some((Err(problem), false)),
        };
        let at = Location {
            line: Some(raw.start),
            record: self.record,
        };
        Some(match to_contact(&raw.properties) {
            Ok(mut contact) => {
                // The card's own warnings come first, in line order.
                let mut warnings = raw.warnings;
                warnings.append(&mut contact.warnings);
                contact.warnings = warnings;
                let kind = kind::kind_of(&raw.properties);
                let owes = contact.uid.is_none();
                if owes && kind != CardKind::Person {
                    let bytes = &self.fingerprint[self.card_start..];
                    contact.uid = Some(crate::formats::content_uid(bytes));
                }
                let record = match kind {
                    CardKind::Person => Record::Contact(Box::new(contact)),
                    CardKind::Organization => {
                        Record::Organization(kind::organization_of(contact, &raw.properties))
                    }
                    other => Record::OtherCard(kind::other_card(other, &raw.properties, &contact)),
                };
                (Ok(Located { at, record }), owes && kind == CardKind::Person)
            }
            Err(message) => (Err(Problem::new(at, message)), false),
        })
    }
}

/// Read every card of a file.
pub fn read(bytes: Vec<u8>) -> Result<Reader, String> {
    Reader::new(bytes)
}
