//! A property kith does not model, as the one content line it is kept as: decoded, in
//! vCard 3.0/4.0 form whatever version it came in (2.1 parameters named, binary data as
//! `ENCODING=b`, names strict readers refuse made valid), so that the writer can give it back.

use std::borrow::Cow;

use super::super::Warning;
use super::property::Property;
use crate::formats::contentline::{quote_param_value, without_raw_controls};

impl Property {
    /// The property as one vCard 3.0/4.0 content line for storage: decoded, 2.1 parameters
    /// named, base64 without whitespace, no raw control character in the value.
    /// `from_21`: the card is vCard 2.1, where a comma is a plain character; 3.0 and 4.0 read
    /// it as a value separator, so it is escaped in the kept line.
    pub(super) fn to_extra(
        &self,
        warnings: &mut Vec<Warning>,
        from_21: bool,
    ) -> Result<String, String> {
        if let Some(binary) = self.binary_form() {
            return binary.to_extra(warnings, from_21);
        }
        let binary = self.is_base64();
        let mut line = self.header(binary);
        line.push(':');
        if binary {
            push_without_whitespace(&mut line, &self.value);
            return Ok(line);
        }
        let mut text = self.text(warnings)?;
        if from_21 {
            text = escape_plain_commas(text);
        }
        if self.is_quoted_printable() {
            // Quoted-printable carried raw line breaks; 3.0 and 4.0 write them as \n.
            text = Cow::Owned(text.replace("\r\n", "\\n").replace(['\n', '\r'], "\\n"));
        }
        line.push_str(&without_raw_controls(&text));
        Ok(line)
    }

    /// Binary data is kept in one form, 3.0's `ENCODING=b;TYPE=JPEG`, whatever the version
    /// it came in, so that reading kith's own 4.0 export back finds the same property: this
    /// property in that form when it is not already (a data URI, or base64 without a TYPE
    /// whose data says what it is).
    fn binary_form(&self) -> Option<Property> {
        // Some writers escape the data URI's comma as if it were text (`base64\,`).
        let data_uri = match self.value.strip_prefix(b"data:") {
            Some(rest) => match rest.windows(2).position(|w| w == b"\\,") {
                Some(i) if !rest[..i].contains(&b',') => {
                    let mut v = self.value[..5 + i].to_vec();
                    v.extend_from_slice(&rest[i + 1..]);
                    Cow::Owned(v)
                }
                _ => Cow::Borrowed(&self.value[..]),
            },
            None => Cow::Borrowed(&self.value[..]),
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
            return Some(p);
        }
        if !self.is_base64() || self.param("TYPE").is_some() {
            return None;
        }
        let value: Vec<u8> = self
            .value
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        let guess = if value.starts_with(b"/9j/") {
            "JPEG"
        } else if value.starts_with(b"iVBOR") {
            "PNG"
        } else if value.starts_with(b"R0lG") {
            "GIF"
        } else {
            return None;
        };
        let mut p = self.clone();
        p.params.push(("TYPE".into(), vec![guess.into()]));
        Some(p)
    }

    /// Group, name and parameters, as strict readers accept them; CHARSET and a text
    /// ENCODING dropped (the value is decoded), a `binary` one written `ENCODING=b`.
    fn header(&self, binary: bool) -> String {
        let mut line = String::with_capacity(self.value.len() + 32);
        if let Some(g) = &self.group {
            line.push_str(&name_token(g));
            line.push('.');
        }
        line.push_str(&name_token(&self.name));
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
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    line.push(',');
                }
                line.push_str(&quote_param_value(v));
            }
        }
        line
    }
}

/// A group, property or parameter name as vCard allows it (letters, digits, '-'): others
/// write names such as `X-GOOGLE TALK` or `some.other.value`, which kith keeps, but written
/// back as they came they make strict readers (vobject, so khard) refuse the whole file.
fn name_token(name: &str) -> Cow<'_, str> {
    if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(
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

/// `value` (base64, read as UTF-8 with any invalid byte replaced) without its whitespace,
/// appended to `line`. Base64 is ASCII: its runs between line breaks are copied whole rather
/// than a character at a time (a photo is most of a real card's bytes).
fn push_without_whitespace(line: &mut String, value: &[u8]) {
    if value.is_ascii() {
        // The ASCII characters `char::is_whitespace` takes: tab, LF, VT, FF, CR and space.
        let space = |b: &u8| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
        // Most data has none (its lines were unfolded): looked for 32 bytes at a time, and
        // then copied whole.
        let spaced = value
            .chunks(32)
            .any(|chunk| chunk.iter().fold(false, |any, b| any | space(b)));
        if !spaced && let Ok(text) = std::str::from_utf8(value) {
            line.push_str(text);
            return;
        }
        let runs = value.split(space);
        for run in runs {
            if let Ok(run) = std::str::from_utf8(run) {
                line.push_str(run);
            }
        }
        return;
    }
    let text = String::from_utf8_lossy(value);
    line.extend(text.chars().filter(|c| !c.is_whitespace()));
}

/// Escape every comma not already escaped (`a, b` → `a\, b`).
fn escape_plain_commas(text: Cow<'_, str>) -> Cow<'_, str> {
    // Most values have no comma: kept as they are.
    if !text.contains(',') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut escaped = false;
    for c in text.chars() {
        if c == ',' && !escaped {
            out.push('\\');
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    Cow::Owned(out)
}
