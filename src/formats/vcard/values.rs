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

/// The human text kith stores for an ADR value (its structure is kept as an extra): the
/// parts that say something, joined by ", ", region and postal code by a space.
pub fn address_text(value: &str) -> String {
    // po box, extended, street, locality, region, postal code, country
    let mut parts: [Cow<'_, str>; 7] = Default::default();
    for (slot, p) in parts.iter_mut().zip(split_unescaped(value, ';')) {
        *slot = address_part(p);
    }
    let [po_box, extended, street, locality, region, code, country] = &parts;
    let mut text = String::with_capacity(value.len() + 8);
    for part in [po_box, extended, street, locality] {
        push_part(&mut text, part, ", ");
    }
    // Region and postal code are one part of the text: "Springfield, IL 62701".
    let before_region = text.len();
    push_part(&mut text, region, ", ");
    let separator = if text.len() > before_region {
        " "
    } else {
        ", "
    };
    push_part(&mut text, code, separator);
    push_part(&mut text, country, ", ");
    text
}

fn push_part(text: &mut String, part: &str, separator: &str) {
    if !part.is_empty() {
        if !text.is_empty() {
            text.push_str(separator);
        }
        text.push_str(part);
    }
}

/// One part of an ADR value, unescaped, its line breaks made spaces, trimmed. Most parts
/// have no escape and no line break: borrowed, not copied.
fn address_part(p: &str) -> Cow<'_, str> {
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

#[cfg(test)]
mod tests {
    use super::address_text;

    #[test]
    fn address_text_keeps_the_parts_that_say_something() {
        for (adr, text) in [
            (
                ";;841 High Street;Springfield;;80239;USA",
                "841 High Street, Springfield, 80239, USA",
            ),
            (
                ";;1 Main St;Springfield;IL;62701;USA",
                "1 Main St, Springfield, IL 62701, USA",
            ),
            (";;;;IL;;", "IL"),
            (";;;;;62701;", "62701"),
            (";;;;IL;62701;", "IL 62701"),
            ("PO 12;Flat 3;;;;;", "PO 12, Flat 3"),
            (";; Crescent\\nmoon \\, drive ;;;;", "Crescent moon , drive"),
            ("only one part", "only one part"),
            (";;;;;;", ""),
            ("", ""),
            ("a;b;c;d;e;f;g;h;i", "a, b, c, d, e f, g"),
            (
                ";;street\\;with semicolon;town",
                "street;with semicolon, town",
            ),
            ("  ; ;x ; ;y;z ;  ", "x, y z"),
        ] {
            assert_eq!(address_text(adr), text, "{adr:?}");
        }
    }
}
