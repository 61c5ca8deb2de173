//! vCard 2.1, 3.0 and 4.0 reader, written for the files real address books produce.
//!
//! It works on bytes, so that each value can be decoded by its own `CHARSET` (2.1 files mix
//! them), and handles: line folding with any indentation, CR/LF/CRLF and `\r\r\n` line ends,
//! quoted-printable with soft line breaks, base64, UTF-8 with or without BOM, UTF-16 (decoded
//! first), values that are not UTF-8 and name no charset (read as windows-1252, with a
//! warning), `item1.` groups with Apple's `X-ABLabel`, 2.1's bare parameters (`TEL;CELL;PREF`),
//! escaped separators, and several cards per file.
//!
//! Properties kith models become contact fields; everything else (photos, `X-` properties,
//! IM, geo, and the full structured N/ORG/ADR) is kept as "extra" content lines that the
//! writer gives back. A value kith cannot use (an email without '@', a phone made of words) is
//! kept the same way, with a warning: nothing is dropped.

use std::collections::HashMap;

use super::{ContactIn, Located, Location, Problem, Record, RecordResult, Warning};
use crate::model::{
    Birthday, ContactFields, Labeled, normalize_tag, validate_email, validate_phone,
};

/// Properties that carry no information of the contact's own (the writer makes new ones).
/// PROFILE:VCARD (3.0's MIME-directory marker) says nothing and 4.0 has no such property;
/// written back, it makes vobject (khard) refuse the whole address book.
const DROPPED: &[&str] = &["BEGIN", "END", "VERSION", "PRODID", "REV", "PROFILE"];

/// One property of a card, unfolded but not yet decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub line: usize,
    pub group: Option<String>,
    /// Upper case.
    pub name: String,
    /// Parameter names upper case; values as written (unquoted, split on commas).
    pub params: Vec<(String, Vec<String>)>,
    pub value: Vec<u8>,
}

impl Property {
    pub fn param(&self, name: &str) -> Option<&Vec<String>> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    fn encoding(&self) -> Option<String> {
        self.param("ENCODING")
            .and_then(|v| v.first())
            .map(|e| e.to_ascii_uppercase())
    }

    fn is_quoted_printable(&self) -> bool {
        self.encoding().as_deref() == Some("QUOTED-PRINTABLE")
    }

    fn is_base64(&self) -> bool {
        matches!(self.encoding().as_deref(), Some("B" | "BASE64"))
    }

    /// The TYPE values, lower case (`type=pref` and 2.1 bare parameters included).
    fn types(&self) -> Vec<String> {
        self.params
            .iter()
            .filter(|(n, _)| n == "TYPE")
            .flat_map(|(_, v)| v.iter())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_ascii_lowercase())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Append a physical line that belongs to this value (a line break its writer left raw).
    fn continue_value(&mut self, line: &[u8]) {
        if self.is_base64() {
            self.value.extend_from_slice(line);
            return;
        }
        let line_break: &[u8] = if self.is_quoted_printable() {
            b"=0D=0A"
        } else {
            b"\\n"
        };
        self.value.extend_from_slice(line_break);
        self.value.extend_from_slice(line);
    }

    fn is_preferred(&self) -> bool {
        self.types().iter().any(|t| t == "pref") || self.param("PREF").is_some()
    }

    /// The decoded value: quoted-printable undone, bytes read in their charset.
    fn text(&self, warnings: &mut Vec<Warning>) -> Result<String, String> {
        let bytes = if self.is_quoted_printable() {
            decode_quoted_printable(&self.value)
        } else {
            self.value.clone()
        };
        let charset = self.param("CHARSET").and_then(|v| v.first());
        let known =
            charset.and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()));
        if let (Some(label), None) = (charset, known) {
            // A misspelt or invented charset name says nothing about the bytes: read them as
            // if no charset were named, rather than lose the contact.
            warnings.push(Warning {
                line: Some(self.line),
                message: format!(
                    "{} has CHARSET={label}, which is not a character set kith knows; read as UTF-8 (or windows-1252 where it is not UTF-8)",
                    self.name
                ),
            });
        }
        match known {
            Some(encoding) => {
                let (text, _, had_errors) = encoding.decode(&bytes);
                if had_errors {
                    warnings.push(Warning {
                        line: Some(self.line),
                        message: format!(
                            "{} is not valid {} (its CHARSET); the bytes that are not were replaced by U+FFFD",
                            self.name,
                            encoding.name()
                        ),
                    });
                }
                Ok(text.into_owned())
            }
            None => match String::from_utf8(bytes) {
                Ok(s) => Ok(s),
                Err(e) => {
                    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(e.as_bytes());
                    warnings.push(Warning {
                        line: Some(self.line),
                        message: format!(
                            "{} is not UTF-8 and names no CHARSET kith knows; read as windows-1252",
                            self.name
                        ),
                    });
                    Ok(text.into_owned())
                }
            },
        }
    }

    /// The property as one vCard 3.0/4.0 content line for storage: decoded, 2.1 parameters
    /// named, base64 without whitespace.
    /// `from_21`: the card is vCard 2.1, where a comma is a plain character; 3.0 and 4.0 read
    /// it as a value separator, so it is escaped in the kept line.
    fn to_extra(&self, warnings: &mut Vec<Warning>, from_21: bool) -> Result<String, String> {
        // Binary data is kept in one form, 3.0's `ENCODING=b;TYPE=JPEG`, whatever the version
        // it came in, so that reading kith's own 4.0 export back finds the same property.
        // Some writers escape the data URI's comma as if it were text (`base64\,`).
        let data_uri = match self.value.strip_prefix(b"data:") {
            Some(rest) => match rest.windows(2).position(|w| w == b"\\,") {
                Some(i) if !rest[..i].contains(&b',') => {
                    let mut v = self.value[..5 + i].to_vec();
                    v.extend_from_slice(&rest[i + 1..]);
                    std::borrow::Cow::Owned(v)
                }
                _ => std::borrow::Cow::Borrowed(&self.value[..]),
            },
            None => std::borrow::Cow::Borrowed(&self.value[..]),
        };
        // A data URI under ENCODING=b too: some writers put both.
        if let Some(rest) = data_uri.strip_prefix(b"data:")
            && let Some(comma) = rest.iter().position(|&b| b == b',')
            && rest[..comma].ends_with(b";base64")
        {
            let media = String::from_utf8_lossy(&rest[..comma - 7]).to_string();
            let mut p = self.clone();
            p.params
                .retain(|(n, _)| n != "VALUE" && n != "MEDIATYPE" && n != "ENCODING");
            p.params.insert(0, ("ENCODING".into(), vec!["b".into()]));
            let subtype = media.rsplit('/').next().unwrap_or("").to_ascii_uppercase();
            if !subtype.is_empty() && subtype != "OCTET-STREAM" && p.param("TYPE").is_none() {
                p.params.insert(1, ("TYPE".into(), vec![subtype]));
            }
            p.value = rest[comma + 1..].to_vec();
            return p.to_extra(warnings, from_21);
        }
        if self.is_base64() && self.param("TYPE").is_none() {
            let value: Vec<u8> = self
                .value
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            let guess = if value.starts_with(b"/9j/") {
                Some("JPEG")
            } else if value.starts_with(b"iVBOR") {
                Some("PNG")
            } else if value.starts_with(b"R0lG") {
                Some("GIF")
            } else {
                None
            };
            if let Some(t) = guess {
                let mut p = self.clone();
                p.params.push(("TYPE".into(), vec![t.into()]));
                return p.to_extra(warnings, from_21);
            }
        }
        let mut line = String::new();
        if let Some(g) = &self.group {
            line.push_str(&name_token(g));
            line.push('.');
        }
        line.push_str(&name_token(&self.name));
        let binary = self.is_base64();
        for (name, values) in &self.params {
            if name == "CHARSET" || (name == "ENCODING" && !binary) {
                continue;
            }
            line.push(';');
            line.push_str(&name_token(name));
            line.push('=');
            if name == "ENCODING" {
                line.push('b');
                continue;
            }
            let joined = values
                .iter()
                .map(|v| {
                    if v.contains([':', ';', ',', '"']) {
                        format!("\"{}\"", v.replace('"', "'"))
                    } else {
                        v.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(",");
            line.push_str(&joined);
        }
        line.push(':');
        if binary {
            let text = String::from_utf8_lossy(&self.value);
            line.extend(text.chars().filter(|c| !c.is_whitespace()));
        } else {
            let mut text = self.text(warnings)?;
            if from_21 {
                text = escape_plain_commas(&text);
            }
            if self.is_quoted_printable() {
                // Quoted-printable carried raw line breaks; 3.0 and 4.0 write them as \n.
                line.push_str(&text.replace("\r\n", "\\n").replace(['\n', '\r'], "\\n"));
            } else {
                line.push_str(&text);
            }
        }
        Ok(line)
    }
}

/// A group, property or parameter name as vCard allows it (letters, digits, '-'): others
/// write names such as `X-GOOGLE TALK` or `some.other.value`, which kith keeps, but written
/// back as they came they make strict readers (vobject, so khard) refuse the whole file.
fn name_token(name: &str) -> std::borrow::Cow<'_, str> {
    if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        std::borrow::Cow::Borrowed(name)
    } else {
        std::borrow::Cow::Owned(
            name.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect(),
        )
    }
}

/// Escape every comma not already escaped (`a, b` → `a\, b`).
fn escape_plain_commas(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut escaped = false;
    for c in text.chars() {
        if c == ',' && !escaped {
            out.push('\\');
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Undo quoted-printable; a '=' not followed by two hex digits is kept as it is.
pub fn decode_quoted_printable(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        if input[i] == b'='
            && let (Some(&a), Some(&b)) = (input.get(i + 1), input.get(i + 2))
            && let (Some(h), Some(l)) = (hex(a), hex(b))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(input[i]);
        i += 1;
    }
    out
}

/// Split a value on unescaped `sep`, keeping escapes for [`unescape`].
pub fn split_unescaped(value: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in value.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            parts.push(&value[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&value[start..]);
    parts
}

/// `\n` `\N` → newline, `\,` `\;` `\:` `\\` → the character.
pub fn unescape(value: &str) -> String {
    // Most values have no escapes: one copy instead of a push per character.
    if !value.contains('\\') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

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
        let end = rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(self.bytes.len(), |i| start + i);
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
/// A value that merely ends in a backslash (`"C:\"`) is read the plain way.
fn colon_position(line: &[u8]) -> Option<usize> {
    colon_position_with(line, true).or_else(|| colon_position_with(line, false))
}

fn colon_position_with(line: &[u8], backslash_escapes_quote: bool) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, &b) in line.iter().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if quoted && backslash_escapes_quote => escaped = true,
            b'"' => quoted = !quoted,
            b':' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

fn header_is_quoted_printable(line: &[u8]) -> bool {
    let header = &line[..colon_position(line).unwrap_or(line.len())];
    header
        .windows(16)
        .any(|w| w.eq_ignore_ascii_case(b"QUOTED-PRINTABLE"))
}

/// Parse one unfolded content line.
pub fn parse_property(line_no: usize, line: &[u8]) -> Result<Property, String> {
    let colon = colon_position(line).ok_or_else(|| {
        format!(
            "line {line_no}: \"{}\" is not a vCard property (no ':')",
            String::from_utf8_lossy(&line[..line.len().min(40)])
        )
    })?;
    let header = std::str::from_utf8(&line[..colon])
        .map_err(|_| format!("line {line_no}: the property name and parameters are not text"))?;
    let mut parts = split_params(header).into_iter();
    let full_name = parts.next().unwrap_or_default();
    let (group, name) = match full_name.rsplit_once('.') {
        Some((g, n)) => (Some(g.to_string()), n),
        None => (None, full_name.as_str()),
    };
    let name = name.trim().to_ascii_uppercase();
    if name.is_empty() {
        return Err(format!("line {line_no}: a property has no name"));
    }
    let mut params: Vec<(String, Vec<String>)> = Vec::new();
    for p in parts {
        let (pname, pvalue) = match p.split_once('=') {
            Some((n, v)) => (n.trim().to_ascii_uppercase(), v.to_string()),
            // vCard 2.1 writes parameter values alone: TEL;CELL;PREF, ENCODING's values too.
            None => {
                let upper = p.trim().to_ascii_uppercase();
                let pname = match upper.as_str() {
                    "QUOTED-PRINTABLE" | "BASE64" | "8BIT" | "7BIT" | "B" => "ENCODING",
                    _ => "TYPE",
                };
                (pname.to_string(), p.trim().to_string())
            }
        };
        let values = split_param_values(&pvalue);
        match params.iter_mut().find(|(n, _)| *n == pname) {
            Some((_, existing)) => existing.extend(values),
            None => params.push((pname, values)),
        }
    }
    Ok(Property {
        line: line_no,
        group,
        name,
        params,
        value: line[colon + 1..].to_vec(),
    })
}

fn split_params(header: &str) -> Vec<String> {
    // Nearly every header has no quoted parameter value: cut it whole, not char by char.
    if !header.contains('"') {
        return header.split(';').map(str::to_string).collect();
    }
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = header.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quoted && escapes_a_quote(header, i) => {
                current.push_str("\\\"");
                chars.next();
            }
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ';' if !quoted => out.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    out.push(current);
    out
}

/// `\"` inside a quoted parameter value is a quote of the value (see [`colon_position`]) when
/// a closing quote still follows; otherwise the backslash is the value's last character.
/// `i` is the byte position of the backslash.
fn escapes_a_quote(text: &str, i: usize) -> bool {
    text.as_bytes().get(i + 1) == Some(&b'"') && text[i + 2..].contains('"')
}

fn split_param_values(value: &str) -> Vec<String> {
    if !value.contains('"') {
        let values = value.split(',').filter(|v| !v.is_empty());
        return values.map(str::to_string).collect();
    }
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = value.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quoted && escapes_a_quote(value, i) => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    out.push(current);
    out.into_iter().filter(|v| !v.is_empty()).collect()
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

/// A card as properties, with where it started and its raw bytes (for a content UID).
struct RawCard {
    start: usize,
    properties: Vec<Property>,
    fingerprint: Vec<u8>,
    /// What was read leniently while splitting the card into properties.
    warnings: Vec<Warning>,
}

impl RawCard {
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

/// Reads cards from a whole file, one at a time.
pub struct Reader {
    bytes: Vec<u8>,
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
}

impl Reader {
    /// Prepare `bytes` (UTF-16 is converted; a UTF-8 BOM is skipped).
    pub fn new(bytes: Vec<u8>) -> Result<Reader, String> {
        let bytes = if bytes.starts_with(b"\xFF\xFE")
            || bytes.starts_with(b"\xFE\xFF")
            || (bytes.len() >= 4 && (bytes[1] == 0 || bytes[0] == 0))
        {
            let (text, _) = super::decode_text(&bytes)?;
            text.into_bytes()
        } else if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            rest.to_vec()
        } else {
            bytes
        };
        let count_cr = !bytes.contains(&b'\n');
        Ok(Reader {
            bytes,
            pos: 0,
            line: 1,
            count_cr,
            pending: None,
            unread: None,
            version_21: false,
            record: 0,
        })
    }

    fn physical(&mut self) -> Option<(usize, std::ops::Range<usize>)> {
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
            let continues = matches!(piece[0], b' ' | b'\t');
            if let Some((_, buf)) = self.pending.as_mut() {
                if continues {
                    let rest = if self.version_21 { piece } else { &piece[1..] };
                    buf.extend_from_slice(rest);
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
                    card = Some(RawCard {
                        start: line_no,
                        properties: Vec::new(),
                        fingerprint: Vec::new(),
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
            current.fingerprint.extend_from_slice(&bytes);
            current.fingerprint.push(b'\n');
            if is_delimiter(trimmed, b"END:VCARD") {
                return Some(match broken {
                    Some(p) => Err(p),
                    None => card
                        .map_or_else(|| Err(Problem::new(Location::default(), "empty card")), Ok),
                });
            }
            if is_delimiter(trimmed, b"BEGIN:VCARD") {
                let problem = Problem::new(
                    Location {
                        line: Some(current.start),
                        record: self.record,
                    },
                    format!(
                        "the card that starts at line {} has no END:VCARD before the next BEGIN:VCARD at line {line_no}",
                        current.start
                    ),
                );
                self.unread = Some((line_no, bytes));
                return Some(Err(problem));
            }
            if broken.is_some() {
                continue;
            }
            match parse_property(line_no, &bytes) {
                Ok(p) => {
                    if p.name == "VERSION" {
                        self.version_21 = p.value.trim_ascii() == b"2.1";
                    }
                    current.properties.push(p);
                }
                Err(_) if current.continue_last_value(line_no, &bytes) => {}
                Err(message) => {
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
            Err(Problem::new(
                Location {
                    line: Some(c.start),
                    record: self.record,
                },
                format!(
                    "the card that starts at line {} has no END:VCARD (the file is cut short?)",
                    c.start
                ),
            ))
        })
    }
}

impl Iterator for Reader {
    type Item = RecordResult;
    fn next(&mut self) -> Option<RecordResult> {
        let raw = match self.next_card()? {
            Ok(raw) => raw,
            Err(problem) => return Some(Err(problem)),
        };
        let at = Location {
            line: Some(raw.start),
            record: self.record,
        };
        Some(match to_contact(&raw.properties, &raw.fingerprint) {
            Ok(mut contact) => {
                // The card's own warnings come first, in line order.
                let mut warnings = raw.warnings;
                warnings.append(&mut contact.warnings);
                contact.warnings = warnings;
                Ok(Located {
                    at,
                    record: Record::Contact(Box::new(contact)),
                })
            }
            Err(message) => Err(Problem::new(at, message)),
        })
    }
}

/// Read every card of a file.
pub fn read(bytes: Vec<u8>) -> Result<Reader, String> {
    Reader::new(bytes)
}

/// A label from TYPE parameters: `cell` is "mobile"; pref/internet/voice say nothing.
pub(crate) fn label_of(p: &Property, ab_labels: &HashMap<String, String>) -> Option<String> {
    // An empty X-ABLabel (some exports write one for every item) says nothing.
    if let Some(g) = &p.group
        && let Some(label) = ab_labels.get(g)
        && !label.is_empty()
    {
        return Some(label.clone());
    }
    let types: Vec<String> = p
        .types()
        .into_iter()
        .filter(|t| !matches!(t.as_str(), "pref" | "internet" | "voice" | "x400"))
        .map(|t| if t == "cell" { "mobile".to_string() } else { t })
        .collect();
    (!types.is_empty()).then(|| types.join("-"))
}

/// Apple's `_$!<HomePage>!$_` → "homepage"; custom labels as written, lower case.
fn clean_ab_label(raw: &str) -> String {
    raw.trim()
        .trim_start_matches("_$!<")
        .trim_end_matches(">!$_")
        .trim()
        .to_lowercase()
}

/// A TEL value as kith stores it: `tel:` URIs unwrapped, `;ext=` written as " ext. ".
fn phone_text(value: &str) -> String {
    let v = value.trim();
    let v = v
        .strip_prefix("tel:")
        .or_else(|| v.strip_prefix("TEL:"))
        .unwrap_or(v);
    match v.split_once(";ext=") {
        Some((number, ext)) => format!("{number} ext. {ext}"),
        None => v.to_string(),
    }
}

/// The human text kith stores for an ADR value (its structure is kept as an extra).
pub fn address_text(value: &str) -> String {
    let parts: Vec<String> = split_unescaped(value, ';')
        .into_iter()
        .map(|p| {
            let mut part = unescape(p);
            if part.contains(['\r', '\n']) {
                part = part.replace(['\r', '\n'], " ");
            }
            match part.trim() {
                trimmed if trimmed.len() == part.len() => part,
                trimmed => trimmed.to_string(),
            }
        })
        .collect();
    let get = |i: usize| parts.get(i).map(String::as_str).unwrap_or("");
    // po box, extended, street, locality, region, postal code, country
    let region_code = [get(4), get(5)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    [get(0), get(1), get(2), get(3), &region_code, get(6)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A BDAY value as a birthday: 1980-03-21, 19800321, --0321, --03-21, with or without a time.
fn birthday_of(value: &str) -> Option<Birthday> {
    let date = value.trim().split('T').next().unwrap_or("");
    if let Some(rest) = date.strip_prefix("--")
        && rest.len() == 4
    {
        return Birthday::parse(&format!("--{}-{}", &rest[..2], &rest[2..])).ok();
    }
    Birthday::parse(date).ok()
}

/// Turn a card's properties into a contact.
pub fn to_contact(properties: &[Property], fingerprint: &[u8]) -> Result<ContactIn, String> {
    let mut warnings = Vec::new();
    let mut fields = ContactFields::default();
    let mut extras = Vec::new();
    let mut uid = None;
    let mut formatted_name: Option<String> = None;
    let mut n_name: Option<String> = None;
    let mut notes: Vec<String> = Vec::new();
    let mut preferred: Vec<(crate::model::FieldKind, usize)> = Vec::new();

    // Apple puts a label beside a property in the same group: item1.X-ABLabel.
    let mut ab_labels = HashMap::new();
    let mut groups_used = std::collections::HashSet::new();
    let mut label_slots: Vec<(usize, Option<String>)> = Vec::new();
    for p in properties {
        if p.name == "X-ABLABEL"
            && let Some(g) = &p.group
        {
            ab_labels.insert(
                g.clone(),
                clean_ab_label(&unescape(&p.text(&mut warnings)?)),
            );
        }
    }

    let from_21 = properties
        .iter()
        .any(|p| p.name == "VERSION" && p.value.trim_ascii() == b"2.1");
    // Old phones' 2.1 cards often name their charset on one property only
    // (`LABEL;CHARSET=Windows-1251`) and write the others in it without saying so.
    let card_charset = properties.iter().find_map(|p| {
        let label = p.param("CHARSET")?.first()?;
        encoding_rs::Encoding::for_label(label.trim().as_bytes())
            .filter(|e| *e != encoding_rs::UTF_8)
            .map(|e| (e, p.line))
    });
    for p in properties {
        let hinted;
        let p = match card_charset {
            Some((encoding, named_at))
                if p.param("CHARSET").is_none() && !p.is_base64() && {
                    let bytes = if p.is_quoted_printable() {
                        std::borrow::Cow::Owned(decode_quoted_printable(&p.value))
                    } else {
                        std::borrow::Cow::Borrowed(&p.value[..])
                    };
                    std::str::from_utf8(&bytes).is_err()
                } =>
            {
                warnings.push(Warning {
                    line: Some(p.line),
                    message: format!(
                        "{} is not UTF-8 and names no CHARSET; read as {}, which line {named_at} names",
                        p.name,
                        encoding.name()
                    ),
                });
                let mut with_charset = p.clone();
                with_charset
                    .params
                    .push(("CHARSET".into(), vec![encoding.name().into()]));
                hinted = with_charset;
                &hinted
            }
            _ => p,
        };
        if DROPPED.contains(&p.name.as_str()) {
            continue;
        }
        let keep = |p: &Property, warnings: &mut Vec<Warning>, extras: &mut Vec<String>| {
            p.to_extra(warnings, from_21).map(|line| extras.push(line))
        };
        let kept_with_warning =
            |p: &Property, why: String, warnings: &mut Vec<Warning>, extras: &mut Vec<String>| {
                warnings.push(Warning {
                    line: Some(p.line),
                    message: format!("{why}; kept as an unmodelled {} property", p.name),
                });
                p.to_extra(warnings, from_21).map(|line| extras.push(line))
            };
        if p.name == "X-ABLABEL" {
            // Kept in place for now; dropped at the end if its property took it as a label.
            label_slots.push((extras.len(), p.group.clone()));
            extras.push(p.to_extra(&mut warnings, from_21)?);
            continue;
        }
        if p.is_base64() {
            keep(p, &mut warnings, &mut extras)?;
            continue;
        }
        let text = p.text(&mut warnings)?;
        let modelled = match p.name.as_str() {
            "FN" => {
                let v = unescape(&text).trim().to_string();
                if formatted_name.is_none() && !v.is_empty() {
                    formatted_name = Some(v);
                } else if !v.is_empty() {
                    keep(p, &mut warnings, &mut extras)?;
                }
                true
            }
            "N" => {
                let parts: Vec<String> = split_unescaped(&text, ';')
                    .into_iter()
                    .map(|s| unescape(s).trim().to_string())
                    .collect();
                let family = parts.first().filter(|s| !s.is_empty()).cloned();
                let given = parts.get(1).filter(|s| !s.is_empty()).cloned();
                if fields.family_name.is_none() && fields.given_name.is_none() {
                    fields.family_name = family.clone();
                    fields.given_name = given.clone();
                    let joined = [given, family]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    if !joined.is_empty() {
                        n_name = Some(joined);
                    }
                    if parts.iter().skip(2).any(|s| !s.is_empty()) {
                        // Middle names, prefixes, suffixes: the whole N is kept.
                        keep(p, &mut warnings, &mut extras)?;
                    }
                } else {
                    keep(p, &mut warnings, &mut extras)?;
                }
                true
            }
            "NICKNAME" => {
                let v = unescape(&text).trim().to_string();
                if fields.nickname.is_none() && !v.is_empty() {
                    fields.nickname = Some(v);
                } else if !v.is_empty() {
                    keep(p, &mut warnings, &mut extras)?;
                }
                true
            }
            "ORG" => {
                let parts: Vec<String> = split_unescaped(&text, ';')
                    .into_iter()
                    .map(|s| unescape(s).trim().to_string())
                    .collect();
                let name = parts.first().filter(|s| !s.is_empty()).cloned();
                if fields.organization.is_none() && name.is_some() {
                    fields.organization = name;
                    if parts.iter().skip(1).any(|s| !s.is_empty()) {
                        // Departments: the whole ORG is kept.
                        keep(p, &mut warnings, &mut extras)?;
                    }
                } else if parts.iter().any(|s| !s.is_empty()) {
                    keep(p, &mut warnings, &mut extras)?;
                }
                true
            }
            "TITLE" => {
                let v = unescape(&text).trim().to_string();
                if fields.title.is_none() && !v.is_empty() {
                    fields.title = Some(v);
                } else if !v.is_empty() {
                    keep(p, &mut warnings, &mut extras)?;
                }
                true
            }
            "EMAIL" => {
                let v = unescape(&text).trim().to_string();
                let v = v.strip_prefix("mailto:").unwrap_or(&v).to_string();
                match validate_email(&v) {
                    Ok(v) => {
                        let label = label_of(p, &ab_labels);
                        if let Some(same) = fields.emails.iter().find(|x| {
                            crate::model::email_key(&x.value) == crate::model::email_key(&v)
                        }) {
                            // The same value again under another label (a number that is
                            // both home and fax): kith keeps one, so the second is kept as
                            // written, to go back out on export.
                            if same.label != label {
                                keep(p, &mut warnings, &mut extras)?;
                            }
                            continue;
                        }
                        if p.is_preferred() {
                            preferred.push((crate::model::FieldKind::Email, fields.emails.len()));
                        }
                        fields.emails.push(Labeled { label, value: v });
                    }
                    Err(e) => {
                        kept_with_warning(p, e.to_string(), &mut warnings, &mut extras)?;
                        continue;
                    }
                }
                true
            }
            "TEL" => {
                let v = phone_text(&unescape(&text));
                match validate_phone(&v) {
                    Ok(v) => {
                        let label = label_of(p, &ab_labels);
                        if let Some(same) = fields.phones.iter().find(|x| {
                            crate::model::phone_key(&x.value) == crate::model::phone_key(&v)
                        }) {
                            // The same value again under another label (a number that is
                            // both home and fax): kith keeps one, so the second is kept as
                            // written, to go back out on export.
                            if same.label != label {
                                keep(p, &mut warnings, &mut extras)?;
                            }
                            continue;
                        }
                        if p.is_preferred() {
                            preferred.push((crate::model::FieldKind::Phone, fields.phones.len()));
                        }
                        fields.phones.push(Labeled { label, value: v });
                    }
                    Err(e) => {
                        kept_with_warning(p, e.to_string(), &mut warnings, &mut extras)?;
                        continue;
                    }
                }
                true
            }
            "ADR" => {
                let v = address_text(&text);
                if !v.is_empty() {
                    fields.addresses.push(Labeled {
                        label: label_of(p, &ab_labels),
                        value: v,
                    });
                    // The structured form (street, city, code...) is kept for export.
                    keep(p, &mut warnings, &mut extras)?;
                }
                true
            }
            "URL" => {
                let v = unescape(&text).trim().to_string();
                if !v.is_empty() {
                    fields.urls.push(Labeled {
                        label: label_of(p, &ab_labels),
                        value: v,
                    });
                }
                true
            }
            "X-SOCIALPROFILE" => {
                let v = unescape(&text).trim().to_string();
                if !v.is_empty() {
                    fields.socials.push(Labeled {
                        label: label_of(p, &ab_labels),
                        value: v,
                    });
                }
                true
            }
            "BDAY" => {
                match birthday_of(&text) {
                    Some(b) if fields.birthday.is_none() => fields.birthday = Some(b),
                    Some(_) => keep(p, &mut warnings, &mut extras)?,
                    None => kept_with_warning(
                        p,
                        format!("birthday \"{}\" is not a date kith reads", text.trim()),
                        &mut warnings,
                        &mut extras,
                    )?,
                }
                true
            }
            "NOTE" => {
                let v = unescape(&text).replace("\r\n", "\n").trim().to_string();
                if !v.is_empty() {
                    notes.push(v);
                }
                true
            }
            "CATEGORIES" => {
                let mut tags = Vec::new();
                let mut bad = None;
                // Escaped commas too: some writers (Thunderbird) escape the separators.
                for raw in unescape(&text).split(',') {
                    let raw = raw.trim();
                    if raw.is_empty() {
                        continue;
                    }
                    match normalize_tag(&raw.split_whitespace().collect::<Vec<_>>().join("-")) {
                        Ok(t) => tags.push(t),
                        Err(e) => bad = Some(e.to_string()),
                    }
                }
                match bad {
                    None => fields.tags.extend(tags),
                    Some(why) => kept_with_warning(p, why, &mut warnings, &mut extras)?,
                }
                true
            }
            "X-KITH-PREFERRED-CHANNEL" => match text.trim().parse::<crate::model::Channel>() {
                Ok(c) => {
                    fields.preferred_channel = Some(c);
                    true
                }
                Err(_) => false,
            },
            "X-KITH-CADENCE" => match crate::model::Period::parse(text.trim()) {
                Ok(p) => {
                    fields.cadence = Some(p);
                    true
                }
                Err(_) => false,
            },
            "UID" => {
                let v = unescape(&text).trim().to_string();
                if uid.is_none() && !v.is_empty() {
                    uid = Some(v);
                }
                true
            }
            _ => false,
        };
        if modelled {
            if let Some(g) = &p.group {
                groups_used.insert(g.clone());
            }
        } else {
            keep(p, &mut warnings, &mut extras)?;
        }
    }
    // Labels whose property was modelled became its label; the others stay beside it.
    for (index, group) in label_slots.into_iter().rev() {
        if group.as_ref().is_some_and(|g| groups_used.contains(g)) {
            extras.remove(index);
        }
    }
    // Preferred emails and phones come first.
    for kind in [
        crate::model::FieldKind::Email,
        crate::model::FieldKind::Phone,
    ] {
        let list = fields.labeled_mut(kind);
        let pref: Vec<usize> = preferred
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, i)| *i)
            .collect();
        if pref.is_empty() {
            continue;
        }
        let mut ordered: Vec<Labeled> = pref.iter().filter_map(|&i| list.get(i).cloned()).collect();
        for (i, item) in list.iter().enumerate() {
            if !pref.contains(&i) {
                ordered.push(item.clone());
            }
        }
        *list = ordered;
    }
    if !notes.is_empty() {
        fields.notes = Some(notes.join("\n\n"));
    }
    fields.display_name = formatted_name
        .or(n_name)
        .or_else(|| fields.organization.clone())
        .or_else(|| fields.nickname.clone())
        .or_else(|| fields.emails.first().map(|e| e.value.clone()))
        .or_else(|| fields.phones.first().map(|p| p.value.clone()))
        .ok_or(
            "the card has no FN, N, ORG, NICKNAME, EMAIL or TEL: nothing to name the contact by",
        )?;
    // A name spread over lines is one line of text in kith.
    fields.display_name = fields.display_name.replace(['\r', '\n'], " ");
    fields.validate().map_err(|e| e.to_string())?;
    // A value decoded twice (for a field and for its kept form) warns once.
    let mut seen = std::collections::HashSet::new();
    warnings.retain(|w| seen.insert((w.line, w.message.clone())));
    Ok(ContactIn {
        uid: Some(uid.unwrap_or_else(|| super::content_uid(fingerprint))),
        fields,
        extras,
        created_at: None,
        updated_at: None,
        archived_at: None,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contacts(text: &[u8]) -> Vec<Result<ContactIn, Problem>> {
        read(text.to_vec())
            .unwrap()
            .map(|r| {
                r.map(|l| match l.record {
                    Record::Contact(c) => *c,
                    _ => panic!("not a contact"),
                })
            })
            .collect()
    }

    #[test]
    fn folded_quoted_printable_and_bare_params() {
        let card = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BC=\r\nller;J=C3=BCrgen;;;\r\nTEL;CELL;PREF:+49 151 1\r\nTEL;HOME:+49 30 2\r\nEMAIL;INTERNET:j@example.com\r\nEND:VCARD\r\n";
        let c = contacts(card).remove(0).unwrap();
        assert_eq!(c.fields.display_name, "Jürgen Müller");
        assert_eq!(c.fields.phones[0].label.as_deref(), Some("mobile"));
        assert_eq!(c.fields.phones[1].label.as_deref(), Some("home"));
        assert_eq!(c.fields.emails[0].value, "j@example.com");
    }

    #[test]
    fn folding_with_any_indentation_and_line_ends() {
        let card =
            b"BEGIN:VCARD\r\r\nVERSION:3.0\nFN:Ada\r\n  Lovelace\rNOTE:a\\, b\\nc\r\nEND:VCARD";
        let c = contacts(card).remove(0).unwrap();
        assert_eq!(c.fields.display_name, "Ada Lovelace");
        assert_eq!(c.fields.notes.as_deref(), Some("a, b\nc"));
    }

    #[test]
    fn apple_groups_give_labels_and_unknowns_are_kept() {
        let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:A B\nitem1.TEL:905-222-1234\nitem1.X-ABLabel:_$!<AssistantPhone>!$_\nitem2.X-ABADR:us\nX-FOO;TYPE=a:bar\nPHOTO;ENCODING=b;TYPE=JPEG:AAAA\n BBBB\nEND:VCARD\n";
        let c = contacts(card).remove(0).unwrap();
        assert_eq!(c.fields.phones[0].label.as_deref(), Some("assistantphone"));
        assert_eq!(
            c.extras,
            [
                "item2.X-ABADR:us",
                "X-FOO;TYPE=a:bar",
                "PHOTO;ENCODING=b;TYPE=JPEG:AAAABBBB"
            ]
        );
    }

    #[test]
    fn unusable_values_are_kept_with_a_warning() {
        let card = b"BEGIN:VCARD\nVERSION:2.1\nFN:X\nTEL;WORK:BusinessPhone\nEND:VCARD\n";
        let c = contacts(card).remove(0).unwrap();
        assert!(c.fields.phones.is_empty());
        assert_eq!(c.extras, ["TEL;TYPE=WORK:BusinessPhone"]);
        assert_eq!(c.warnings[0].line, Some(4));
    }

    #[test]
    fn broken_cards_say_where() {
        let text = b"BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nthis is not a property\nEND:VCARD\nBEGIN:VCARD\nFN:C\n";
        let all = contacts(text);
        assert!(all[0].is_ok());
        let e = all[1].as_ref().unwrap_err();
        assert!(e.message.starts_with("line 7:"), "{e:?}");
        let e = all[2].as_ref().unwrap_err();
        assert!(e.message.contains("line 9 has no END:VCARD"), "{e:?}");
        assert_eq!(all.len(), 3);
    }

    #[test]
    fn a_raw_line_break_inside_a_value_continues_it_with_a_warning() {
        // An export that wrote an address label's line break as it is.
        let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:Stephan L\xc3\xbcnig\nLABEL;TYPE=HOME:Rasenstra\xc3\x9fe 17\n61118 Bad Vilbel\nADR;TYPE=WORK:;;1 Test;Happy House\nSesame Street;CA;11111;USA\nTEL;TYPE=CELL:0132/2312321\nEND:VCARD\n";
        let c = contacts(card).remove(0).unwrap();
        assert_eq!(c.fields.phones[0].value, "0132/2312321");
        assert_eq!(
            c.fields.addresses[0].value,
            "1 Test, Happy House Sesame Street, CA 11111, USA"
        );
        assert_eq!(
            c.extras[0],
            "LABEL;TYPE=HOME:Rasenstra\u{df}e 17\\n61118 Bad Vilbel"
        );
        assert_eq!(c.warnings[0].line, Some(5));
        assert!(
            c.warnings[0]
                .message
                .contains("in the value of LABEL (line 4)"),
            "{:?}",
            c.warnings
        );
    }

    #[test]
    fn vcard_21_base64_lines_without_indentation_are_one_photo() {
        let card = b"BEGIN:VCARD\nVERSION:2.1\nN:Mustermann;Max\nPHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ\nSkZJRgAB\nAQEAYABg\n\nEMAIL:max@example.com\nEND:VCARD\n";
        let c = contacts(card).remove(0).unwrap();
        assert_eq!(c.fields.emails[0].value, "max@example.com");
        assert_eq!(
            c.extras,
            ["PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQEAYABg"]
        );
        assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
        assert_eq!(c.warnings[0].line, Some(5));
        assert!(c.warnings[0].message.starts_with("lines 5-6 have no ':'"));
    }

    #[test]
    fn an_unknown_charset_is_read_as_utf8_with_a_warning() {
        let card = "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=invalid-encoding:M\u{fc}ller;J\u{fc}rgen\nLABEL;CHARSET=blabla:Stra\u{df}e 1\nEND:VCARD\n";
        let c = contacts(card.as_bytes()).remove(0).unwrap();
        assert_eq!(c.fields.display_name, "J\u{fc}rgen M\u{fc}ller");
        assert_eq!(c.extras, ["LABEL:Stra\u{df}e 1"]);
        assert_eq!(c.warnings.len(), 2, "{:?}", c.warnings);
        assert!(c.warnings[0].message.contains("CHARSET=invalid-encoding"));
    }

    #[test]
    fn a_quote_escaped_with_a_backslash_in_a_parameter_does_not_end_it() {
        let card = b"BEGIN:VCARD\nVERSION:4.0\nFN:Forrest Gump\nADR;TYPE=work;LABEL=\"100 \\\" Waters Edge\\nBaytown\":;;100 Waters Edge;Baytown;LA;30314;USA\nEMAIL:forrest@example.com\nEND:VCARD\n";
        let c = contacts(card).remove(0).unwrap();
        assert_eq!(c.fields.emails[0].value, "forrest@example.com");
        assert_eq!(
            c.fields.addresses[0].value,
            "100 Waters Edge, Baytown, LA 30314, USA"
        );
        // A value that only ends in a backslash still ends at its quote.
        let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:A\nX-PATH;X-DIR=\"C:\\\":here\nEND:VCARD\n";
        let c = contacts(card).remove(0).unwrap();
        assert_eq!(c.extras, ["X-PATH;X-DIR=\"C:\\\":here"]);
    }

    #[test]
    fn names_strict_readers_refuse_are_kept_in_a_form_they_read() {
        let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:A\nX-GOOGLE TALK;TYPE=WORK:gtalk.john\nsome.other.value:1.2.3\nX-messaging/xmpp-All:a@b.example\nEND:VCARD\n";
        let c = contacts(card).remove(0).unwrap();
        assert_eq!(
            c.extras,
            [
                "X-GOOGLE-TALK;TYPE=WORK:gtalk.john",
                "some-other.VALUE:1.2.3",
                "X-MESSAGING-XMPP-ALL:a@b.example"
            ]
        );
    }

    #[test]
    fn a_data_uri_with_an_escaped_comma_is_binary() {
        let card = b"BEGIN:VCARD\nVERSION:4.0\nFN:A\nPHOTO:data:image/png;base64\\,iVBORw0KGgo=\nEND:VCARD\n";
        let c = contacts(card).remove(0).unwrap();
        assert_eq!(c.extras, ["PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo="]);
        // Both ENCODING=b and a data URI: the data is the part after the comma.
        let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:A\nPHOTO;ENCODING=b;TYPE=png:data:image/png;base64,iVBORw0KGgo=\nEND:VCARD\n";
        let c = contacts(card).remove(0).unwrap();
        assert_eq!(c.extras, ["PHOTO;ENCODING=b;TYPE=png:iVBORw0KGgo="]);
    }

    #[test]
    fn begin_and_end_may_have_a_group() {
        let card = b"home.begin:vcard\nversion:3.0\nfn:Meister Berger\nemail;internet:mb@goerlitz.example\nhome.tel;type=fax,voice;type=msg:+49 3581 123456\nEND:VCARD\n";
        let c = contacts(card).remove(0).unwrap();
        assert_eq!(c.fields.display_name, "Meister Berger");
        assert_eq!(c.fields.phones[0].value, "+49 3581 123456");
        assert_eq!(
            crate::formats::sniff::sniff(None, card),
            Some(crate::formats::sniff::ImportFormat::Vcard)
        );
    }

    #[test]
    fn the_same_number_under_another_label_is_kept_beside_it() {
        let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:Mulberry\nTEL;type=HOME;type=pref:555-555-5555\nTEL;type=WORK;type=FAX:555-555-5555\nTEL;type=HOME:(555) 555-5555\nEMAIL;TYPE=work:a@example.com\nEMAIL;TYPE=home:A@example.com\nEND:VCARD\n";
        let c = contacts(card).remove(0).unwrap();
        assert_eq!(c.fields.phones.len(), 1);
        assert_eq!(c.fields.phones[0].label.as_deref(), Some("home"));
        assert_eq!(c.fields.emails.len(), 1);
        assert_eq!(
            c.extras,
            [
                "TEL;TYPE=WORK,FAX:555-555-5555",
                "EMAIL;TYPE=home:A@example.com"
            ]
        );
    }

    #[test]
    fn a_soft_line_break_before_end_does_not_swallow_it() {
        let card = b"BEGIN:vCard\r\nVERSION:3.0\r\nFN:Ralf\r\nADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=\r\n;=\r\n;=\r\nEvil backslash \\\\ way;=\r\nUlm;=\r\n;=\r\n89073;=\r\n \r\nEND:vCard\r\nBEGIN:VCARD\r\nFN:Next\r\nEND:VCARD\r\n";
        let all = contacts(card);
        assert_eq!(all.len(), 2);
        let c = all[0].as_ref().unwrap();
        assert_eq!(
            c.fields.addresses[0].value,
            "Evil backslash \\ way, Ulm, 89073"
        );
        assert_eq!(all[1].as_ref().unwrap().fields.display_name, "Next");
    }

    #[test]
    fn an_empty_apple_label_gives_no_label() {
        let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:KMS\nitem1.EMAIL;TYPE=INTERNET:a@example.com\nitem1.X-ABLabel:\nitem3.TEL;TYPE=WORK:0123-45678\nitem3.X-ABLabel:\nEND:VCARD\n";
        let c = contacts(card).remove(0).unwrap();
        assert_eq!(c.fields.emails[0].label, None);
        assert_eq!(c.fields.phones[0].label.as_deref(), Some("work"));
        assert!(c.extras.is_empty(), "{:?}", c.extras);
    }

    #[test]
    fn a_charset_named_once_in_a_card_reads_its_other_unmarked_values() {
        // Windows-1251: "Кличко" in N and FN, the charset named only on LABEL.
        let card = b"BEGIN:VCARD\nVERSION:2.1\nFN:\xca\xeb\xe8\xf7\xea\xee\nN:\xca\xeb\xe8\xf7\xea\xee;\nLABEL;CHARSET=Windows-1251;QUOTED-PRINTABLE:=CA=E8=BF=E2\nEND:VCARD\n";
        let c = contacts(card).remove(0).unwrap();
        assert_eq!(
            c.fields.display_name,
            "\u{41a}\u{43b}\u{438}\u{447}\u{43a}\u{43e}"
        );
        assert_eq!(
            c.fields.family_name.as_deref(),
            Some("\u{41a}\u{43b}\u{438}\u{447}\u{43a}\u{43e}")
        );
        assert_eq!(c.extras, ["LABEL:\u{41a}\u{438}\u{457}\u{432}"]);
        assert!(
            c.warnings[0]
                .message
                .contains("read as windows-1251, which line 5 names"),
            "{:?}",
            c.warnings
        );
    }
}
