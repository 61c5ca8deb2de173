//! Which format a file is in, from its name and its first bytes.

use std::path::Path;

/// The formats `kith import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    Vcard,
    /// Any CSV: Google, Outlook and LinkedIn exports are recognised by their headers.
    Csv,
    Google,
    Outlook,
    Linkedin,
    Json,
    Jsonl,
}

/// Guess the format of `bytes` (named `name`); `None` when nothing fits.
pub fn sniff(name: Option<&Path>, bytes: &[u8]) -> Option<ImportFormat> {
    let text = crate::formats::decode_text(&bytes[..bytes.len().min(4096)])
        .map(|(t, _)| t)
        .unwrap_or_default();
    let head = text.trim_start_matches('\u{feff}').trim_start();
    // A group may stand before BEGIN (`home.begin:vcard`).
    let ungrouped = match head.split_once('.') {
        Some((group, rest))
            if !group.is_empty()
                && group.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
        {
            rest
        }
        _ => head,
    };
    let upper: String = ungrouped
        .chars()
        .take(11)
        .collect::<String>()
        .to_ascii_uppercase();
    if upper.starts_with("BEGIN:VCARD") {
        return Some(ImportFormat::Vcard);
    }
    if head.starts_with('{') {
        // One document starts `{ "kith_format"...` over several lines; JSONL has a whole
        // object on its first line.
        let first = head.lines().next().unwrap_or("").trim();
        let is_jsonl =
            first.ends_with('}') && serde_json::from_str::<serde_json::Value>(first).is_ok();
        let is_document = first.contains("\"kith_format\"");
        return Some(if is_jsonl && !is_document {
            ImportFormat::Jsonl
        } else {
            ImportFormat::Json
        });
    }
    let ext = name
        .and_then(|n| n.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("vcf" | "vcard") => Some(ImportFormat::Vcard),
        Some("json") => Some(ImportFormat::Json),
        Some("jsonl" | "ndjson") => Some(ImportFormat::Jsonl),
        Some("csv") => Some(ImportFormat::Csv),
        // A header row: text with commas, no control characters (not a binary file).
        _ if head.lines().next().is_some_and(|l| {
            l.contains(',') && !l.chars().any(|c| c.is_control() && c != '\t' && c != '\r')
        }) =>
        {
            Some(ImportFormat::Csv)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_by_content() {
        assert_eq!(sniff(None, b"BEGIN:VCARD\r\n"), Some(ImportFormat::Vcard));
        assert_eq!(
            sniff(None, b"\xEF\xBB\xBFbegin:vcard\n"),
            Some(ImportFormat::Vcard)
        );
        assert_eq!(
            sniff(None, b"{\"kith_format\": 1}"),
            Some(ImportFormat::Json)
        );
        assert_eq!(
            sniff(None, b"{\"display_name\": \"Ada\"}\n{}\n"),
            Some(ImportFormat::Jsonl)
        );
        assert_eq!(
            sniff(None, b"{\n  \"kith_format\": 1\n}"),
            Some(ImportFormat::Json)
        );
        assert_eq!(
            sniff(None, b"First Name,Last Name\n"),
            Some(ImportFormat::Csv)
        );
        assert_eq!(sniff(None, b"\x01\x02,\x03\x00garbage"), None);
    }
}
