//! One property of a card as the reader splits it: group, name, parameters (2.1's bare ones
//! named) and the raw value bytes; and what a property says of itself: its encoding, TYPE
//! values, preference, and its value decoded (quoted-printable undone, bytes read in their
//! charset).

use std::borrow::Cow;

use super::super::Warning;
use crate::formats::contentline::{colon_position, split_param_values, split_params};

/// One property of a card, unfolded but not yet decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub line: usize,
    pub group: Option<String>,
    /// Upper case (the usual names are not allocated: see [`upper_name`]).
    pub name: Cow<'static, str>,
    /// Parameter names upper case; values as written (unquoted, split on commas).
    pub params: Vec<(Cow<'static, str>, Vec<String>)>,
    pub value: Vec<u8>,
}

impl Property {
    pub fn param(&self, name: &str) -> Option<&Vec<String>> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The first ENCODING value, as written.
    fn encoding(&self) -> Option<&str> {
        self.param("ENCODING")
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    pub(super) fn is_quoted_printable(&self) -> bool {
        self.encoding()
            .is_some_and(|e| e.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
    }

    pub(super) fn is_base64(&self) -> bool {
        self.encoding()
            .is_some_and(|e| e.eq_ignore_ascii_case("B") || e.eq_ignore_ascii_case("BASE64"))
    }

    /// Each TYPE value as written, trimmed (`type=pref` and 2.1 bare parameters included),
    /// not yet lower case: [`Self::types`] without its allocations.
    pub(super) fn type_values(&self) -> impl Iterator<Item = &str> {
        self.params
            .iter()
            .filter(|(n, _)| n == "TYPE")
            .flat_map(|(_, v)| v.iter())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    /// Append a physical line that belongs to this value (a line break its writer left raw).
    pub(super) fn continue_value(&mut self, line: &[u8]) {
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

    pub(super) fn is_preferred(&self) -> bool {
        self.type_values().any(|t| t.eq_ignore_ascii_case("pref")) || self.param("PREF").is_some()
    }

    /// The decoded value: quoted-printable undone, bytes read in their charset. Borrowed
    /// from the value when that is the text already (UTF-8, no quoted-printable).
    pub(super) fn text(&self, warnings: &mut Vec<Warning>) -> Result<Cow<'_, str>, String> {
        if self.is_quoted_printable() {
            let bytes = decode_quoted_printable(&self.value);
            return Ok(Cow::Owned(self.decode(&bytes, warnings).into_owned()));
        }
        Ok(self.decode(&self.value, warnings))
    }

    /// `bytes` (this property's value, decoded from quoted-printable if it was) read in the
    /// property's charset.
    fn decode<'b>(&self, bytes: &'b [u8], warnings: &mut Vec<Warning>) -> Cow<'b, str> {
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
                let (text, _, had_errors) = encoding.decode(bytes);
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
                text
            }
            None => match std::str::from_utf8(bytes) {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => {
                    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
                    warnings.push(Warning {
                        line: Some(self.line),
                        message: format!(
                            "{} is not UTF-8 and names no CHARSET kith knows; read as windows-1252",
                            self.name
                        ),
                    });
                    text
                }
            },
        }
    }
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

/// The property and parameter names the reader meets most, as `name` spells them upper case.
fn known_name(name: &str) -> Option<&'static str> {
    macro_rules! known {
        ($($n:literal)*) => {
            match name {
                $($n => Some($n),)*
                _ => None,
            }
        };
    }
    known!("BEGIN" "END" "VERSION" "UID" "FN" "N" "NICKNAME" "ORG" "TITLE" "EMAIL" "TEL"
        "ADR" "URL" "NOTE" "BDAY" "CATEGORIES" "PHOTO" "LABEL" "ROLE" "REV" "PRODID"
        "X-ABLABEL" "X-SOCIALPROFILE" "TYPE" "ENCODING" "CHARSET" "PREF" "VALUE" "LANGUAGE")
}

/// `name` upper case; the usual names (see [`known_name`]) are not allocated.
fn upper_name(name: &str) -> Cow<'static, str> {
    if let Some(known) = known_name(name) {
        return Cow::Borrowed(known);
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        return Cow::Owned(name.to_string());
    }
    let upper = name.to_ascii_uppercase();
    match known_name(&upper) {
        Some(known) => Cow::Borrowed(known),
        None => Cow::Owned(upper),
    }
}

/// Call `f` with each `;`-separated part of a content line's name and parameters (the
/// `;` inside quotes kept, see [`split_params`]), borrowed when nothing is quoted.
fn each_param<E>(header: &str, mut f: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    if memchr::memchr(b'"', header.as_bytes()).is_some() {
        return split_params(header).iter().try_for_each(|p| f(p));
    }
    let mut rest = header;
    loop {
        match memchr::memchr(b';', rest.as_bytes()) {
            Some(i) => {
                // ';' is ASCII: both sides are whole characters.
                f(&rest[..i])?;
                rest = &rest[i + 1..];
            }
            None => return f(rest),
        }
    }
}

/// `text` without the whitespace around it, as `str::trim` has it: looked at only when an
/// end is a space, a control character or not ASCII (a name or parameter seldom is).
fn trim(text: &str) -> &str {
    let plain = |b: &u8| *b > b' ' && *b < 0x7f;
    match text.as_bytes() {
        [first, .., last] if plain(first) && plain(last) => text,
        [only] if plain(only) => text,
        _ => text.trim(),
    }
}

/// The byte position of `b` in `text`, which is short.
fn find_byte(text: &str, b: u8) -> Option<usize> {
    text.bytes().position(|x| x == b)
}

/// Parse one unfolded content line.
pub fn parse_property(line_no: usize, line: &[u8]) -> Result<Property, String> {
    let colon = header_end(line_no, line)?;
    let mut property = parse_header(line_no, &line[..colon])?;
    property.value = line[colon + 1..].to_vec();
    Ok(property)
}

/// [`parse_property`] of a line the caller gives up: its buffer becomes the value. On a
/// problem the line is handed back with it, unchanged.
pub fn parse_owned_property(
    line_no: usize,
    mut line: Vec<u8>,
) -> Result<Property, (String, Vec<u8>)> {
    let parsed = header_end(line_no, &line).and_then(|colon| {
        let property = parse_header(line_no, &line[..colon])?;
        Ok((colon, property))
    });
    match parsed {
        Ok((colon, mut property)) => {
            line.drain(..=colon);
            property.value = line;
            Ok(property)
        }
        Err(message) => Err((message, line)),
    }
}

/// Where the name and parameters of `line` end (its first ':' outside quotes).
fn header_end(line_no: usize, line: &[u8]) -> Result<usize, String> {
    colon_position(line).ok_or_else(|| {
        format!(
            "line {line_no}: \"{}\" is not a vCard property (no ':')",
            String::from_utf8_lossy(&line[..line.len().min(40)])
        )
    })
}

/// The property a content line's name and parameters (`header`, before its ':') make, its
/// value still empty.
fn parse_header(line_no: usize, header: &[u8]) -> Result<Property, String> {
    let header = std::str::from_utf8(header)
        .map_err(|_| format!("line {line_no}: the property name and parameters are not text"))?;
    let mut group = None;
    let mut name = Cow::Borrowed("");
    let mut params: Vec<(Cow<'static, str>, Vec<String>)> = Vec::new();
    let mut first = true;
    each_param(header, |p| {
        if std::mem::take(&mut first) {
            let bare = match p.bytes().rposition(|b| b == b'.') {
                Some(dot) => {
                    group = Some(p[..dot].to_string());
                    &p[dot + 1..]
                }
                None => p,
            };
            name = upper_name(trim(bare));
            return if name.is_empty() {
                Err(format!("line {line_no}: a property has no name"))
            } else {
                Ok(())
            };
        }
        let (pname, pvalue) = match find_byte(p, b'=') {
            Some(eq) => (upper_name(trim(&p[..eq])), &p[eq + 1..]),
            // vCard 2.1 writes parameter values alone: TEL;CELL;PREF, ENCODING's values too.
            None => {
                let bare = trim(p);
                let encoding = ["QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"]
                    .iter()
                    .any(|e| e.eq_ignore_ascii_case(bare));
                let pname = if encoding { "ENCODING" } else { "TYPE" };
                (Cow::Borrowed(pname), bare)
            }
        };
        let values = split_param_values(pvalue);
        match params.iter_mut().find(|(n, _)| *n == pname) {
            Some((_, existing)) => existing.extend(values),
            None => params.push((pname, values)),
        }
        Ok(())
    })?;
    if first {
        // An empty header: no name.
        return Err(format!("line {line_no}: a property has no name"));
    }
    Ok(Property {
        line: line_no,
        group,
        name,
        params,
        value: Vec::new(),
    })
}
