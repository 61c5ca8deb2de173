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
    let upper: String = head
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
        let is_document = first.contains("\"kith_format\"") && !is_jsonl;
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
        _ if head.lines().next().is_some_and(|l| l.contains(',')) => Some(ImportFormat::Csv),
        _ => None,
    }
}
