//! One property of a card as the reader splits it: group, name, parameters (2.1's bare ones
//! named) and the raw value bytes; and what a property says of itself: its encoding, TYPE
//! values, preference, and its value decoded (quoted-printable undone, bytes read in their
//! charset).

use super::super::Warning;
use crate::formats::contentline::{colon_position, split_param_values, split_params};

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

    pub(super) fn encoding(&self) -> Option<String> {
        self.param("ENCODING")
            .and_then(|v| v.first())
            .map(|e| e.to_ascii_uppercase())
    }

    pub(super) fn is_quoted_printable(&self) -> bool {
        self.encoding().as_deref() == Some("QUOTED-PRINTABLE")
    }

    pub(super) fn is_base64(&self) -> bool {
        matches!(self.encoding().as_deref(), Some("B" | "BASE64"))
    }

    /// The TYPE values, lower case (`type=pref` and 2.1 bare parameters included).
    pub(super) fn types(&self) -> Vec<String> {
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
        self.types().iter().any(|t| t == "pref") || self.param("PREF").is_some()
    }

    /// The decoded value: quoted-printable undone, bytes read in their charset.
    pub(super) fn text(&self, warnings: &mut Vec<Warning>) -> Result<String, String> {
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
