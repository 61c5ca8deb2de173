//! What a vCard value means to kith: a label from TYPE parameters or Apple's `X-ABLabel`, a
//! phone from a `tel:` URI, the text of a structured address, a birthday in its several
//! spellings.

use std::borrow::Cow;
use std::collections::HashMap;

use super::property::Property;
use crate::formats::contentline::{split_unescaped, unescape};
use crate::model::Birthday;

/// A label from TYPE parameters: `cell` is "mobile"; pref/internet/voice say nothing.
pub(crate) fn label_of(p: &Property, ab_labels: &HashMap<String, String>) -> Option<String> {
    // An empty X-ABLabel (some exports write one for every item) says nothing.
    if let Some(g) = &p.group
        && let Some(label) = ab_labels.get(g)
        && !label.is_empty()
    {
        return Some(label.clone());
    }
    // The TYPE values, lower case, joined by '-'; `cell` is "mobile".
    let mut label = String::new();
    for t in p.type_values() {
        if ["pref", "internet", "voice", "x400"]
            .iter()
            .any(|skip| t.eq_ignore_ascii_case(skip))
        {
            continue;
        }
        if !label.is_empty() {
            label.push('-');
        }
        if t.eq_ignore_ascii_case("cell") {
            label.push_str("mobile");
        } else {
            label.extend(t.chars().map(|c| c.to_ascii_lowercase()));
        }
    }
    (!label.is_empty()).then_some(label)
}

/// Apple's `_$!<HomePage>!$_` → "homepage"; custom labels as written, lower case.
pub(super) fn clean_ab_label(raw: &str) -> String {
    raw.trim()
        .trim_start_matches("_$!<")
        .trim_end_matches(">!$_")
        .trim()
        .to_lowercase()
}

/// A TEL value as kith stores it: `tel:` URIs unwrapped, `;ext=` written as " ext. ".
pub(super) fn phone_text(value: &str) -> String {
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
    let parts: Vec<Cow<'_, str>> = split_unescaped(value, ';')
        .into_iter()
        .map(|p| {
            // Most parts have no escape and no line break: borrowed, not copied.
            let part = if p.contains('\\') {
                Cow::Owned(unescape(p))
            } else {
                Cow::Borrowed(p)
            };
            if part.contains(['\r', '\n']) {
                return Cow::Owned(part.replace(['\r', '\n'], " ").trim().to_string());
            }
            match part {
                Cow::Borrowed(p) => Cow::Borrowed(p.trim()),
                Cow::Owned(p) => match p.trim() {
                    trimmed if trimmed.len() == p.len() => Cow::Owned(p),
                    trimmed => Cow::Owned(trimmed.to_string()),
                },
            }
        })
        .collect();
    let get = |i: usize| parts.get(i).map(|p| &**p).unwrap_or("");
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
pub(super) fn birthday_of(value: &str) -> Option<Birthday> {
    let date = value.trim().split('T').next().unwrap_or("");
    if let Some(rest) = date.strip_prefix("--")
        && rest.len() == 4
    {
        return Birthday::parse(&format!("--{}-{}", &rest[..2], &rest[2..])).ok();
    }
    Birthday::parse(date).ok()
}
