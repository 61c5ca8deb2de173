//! Content lines, the text shape vCard (RFC 6350, 2426, 2425) and iCalendar (RFC 5545) share:
//! `group.NAME;PARAM=value,"quoted value":value`. This module owns what both formats do alike,
//! for the vCard reader and writer ([`super::vcard`]) and the iCalendar writer
//! ([`crate::ics`]): folding at 75 octets without splitting a UTF-8 character and unfolding,
//! escaping and unescaping TEXT values (backslash, `;`, `,`, newlines, and control
//! characters), splitting a value on unescaped separators, and finding and splitting
//! parameters with their quoting.
//!
//! Neither RFC lets a TEXT value carry a raw control character (a tab aside) nor defines an
//! escape for one. iCalendar drops them; a vCard keeps them as `\xHH` ([`Controls`]), which
//! kith reads back as the character and strict readers (vobject, so khard; the `ical` crate)
//! take as plain text.

use std::borrow::Cow;

/// RFC 5545 3.1 and RFC 6350 3.2: a line longer than this many octets is folded.
pub const FOLD_OCTETS: usize = 75;

/// Append `line` (without its line break) folded at [`FOLD_OCTETS`], never inside a UTF-8
/// character, continuation lines starting with a space, and end it with CRLF.
pub fn push_folded(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > FOLD_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

/// One content line folded by [`push_folded`], with its CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    push_folded(&mut out, line);
    out
}

/// The rest of a physical line that continues the previous one (it starts with a space or a
/// tab, which folding added and unfolding removes), or None when it starts a new line.
pub fn continuation(line: &[u8]) -> Option<&[u8]> {
    match line.first() {
        Some(b' ' | b'\t') => Some(&line[1..]),
        _ => None,
    }
}

/// Undo folding in a whole text: its logical lines, each without its line break (CRLF, LF or
/// CR). The vCard reader unfolds as it goes, with the same [`continuation`] rule.
pub fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for physical in text.split("\r\n").flat_map(|l| l.split(['\n', '\r'])) {
        match (continuation(physical.as_bytes()), lines.last_mut()) {
            (Some(_), Some(last)) => last.push_str(&physical[1..]),
            _ => lines.push(physical.to_string()),
        }
    }
    if text.ends_with(['\n', '\r']) && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// What a TEXT value does with control characters other than tab and line breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Controls {
    /// iCalendar: not allowed in TEXT (RFC 5545 3.3.11) and dropped; a lone CR is a line
    /// break.
    Drop,
    /// vCard: written as `\xHH` (its code point), which [`unescape`] reads back, so a value
    /// holding ESC or NUL survives an export and import; a lone CR is `\x0D`.
    Escape,
}

/// Escape a TEXT value: backslash, `;`, `,` and line breaks (`\n`; CRLF is one), and control
/// characters as `controls` says. Tab is written as it is (RFC 6350's WSP).
pub fn escape_text(value: &str, controls: Controls) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' if controls == Controls::Drop => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {
                if controls == Controls::Escape {
                    push_control(&mut out, c);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// `\xHH` for a control character (all of them are below U+00A0).
fn push_control(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = write!(out, "\\x{:02X}", u32::from(c));
}

/// A whole content line with no raw control character left in it (tab aside): a line break
/// becomes `\n`, any other control `\xHH`. For lines kept from an import as they came, which
/// may hold what an escaped value cannot.
pub fn without_raw_controls(line: &str) -> Cow<'_, str> {
    // Every kept line of an import passes here: a byte scan first, and the exact one only
    // where a C0 control, DEL or the lead byte of a C1 control (0xC2) occurs.
    let maybe = line
        .bytes()
        .any(|b| (b < 0x20 && b != b'\t') || b == 0x7f || b == 0xc2);
    if !maybe || !line.chars().any(|c| c.is_control() && c != '\t') {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => push_control(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Undo [`escape_text`]: `\n` `\N` → newline, `\xHH` of a control character → that
/// character, `\,` `\;` `\:` `\\` (and any other escaped character) → the character.
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
            Some('x') => match escaped_control(chars.as_str()) {
                Some(control) => {
                    out.push(control);
                    chars.nth(1);
                }
                None => out.push('x'),
            },
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The control character whose two hex digits start `rest`, if they name one. Other `\x`
/// sequences, which kith never writes, read as before: the backslash dropped.
fn escaped_control(rest: &str) -> Option<char> {
    let digits = rest.get(..2)?;
    let code = u32::from_str_radix(digits, 16).ok()?;
    char::from_u32(code).filter(|c| c.is_control() && digits.bytes().all(|b| b.is_ascii_hexdigit()))
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

/// Where the name and parameters of a content line end: the first ':' outside quotes.
/// Some writers escape a quote inside a quoted parameter value as `\"` (RFC 6868 has `^'`);
/// DQUOTE cannot occur there otherwise, so it is read as a quote, not the value's end.
/// A value that merely ends in a backslash (`"C:\"`) is read the plain way.
pub fn colon_position(line: &[u8]) -> Option<usize> {
    // Nearly every line has no quote before its first ':', which is then the one.
    let first = memchr::memchr(b':', line)?;
    if !line[..first].contains(&b'"') {
        return Some(first);
    }
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

/// The name and parameters of a content line split on the `;` outside quotes (quotes kept).
pub fn split_params(header: &str) -> Vec<String> {
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

/// A parameter's values: split on the commas outside quotes, quotes removed, empty ones
/// dropped.
pub fn split_param_values(value: &str) -> Vec<String> {
    if !value.contains('"') {
        if !value.contains(',') {
            // One value, the usual case: no iterator to collect.
            return if value.is_empty() {
                Vec::new()
            } else {
                vec![value.to_string()]
            };
        }
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

/// A parameter value as written: quoted when it holds `:`, `;`, `,` or a quote. A quote
/// cannot be written inside quotes (RFC 6868's `^'` is not read everywhere), so it becomes `'`.
pub fn quote_param_value(value: &str) -> Cow<'_, str> {
    if value.contains([':', ';', ',', '"']) {
        Cow::Owned(format!("\"{}\"", value.replace('"', "'")))
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn vcard_text_keeps_control_characters_as_hex_escapes() {
        let value = "bell\u{7} esc\u{1b} nul\0 cr\r crlf\r\n tab\t del\u{7f} nel\u{85}";
        let escaped = escape_text(value, Controls::Escape);
        assert_eq!(
            escaped,
            "bell\\x07 esc\\x1B nul\\x00 cr\\x0D crlf\\n tab\t del\\x7F nel\\x85"
        );
        assert_eq!(unescape(&escaped), value.replace("\r\n", "\n"));
    }

    #[test]
    fn icalendar_text_drops_control_characters() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\u{7}g\rh", Controls::Drop),
            "a\\\\b\\;c\\,d\\ne\\nfg\\nh"
        );
    }

    #[test]
    fn other_hex_escapes_read_as_before() {
        // `\x41` is not a control character: kith never writes it, and others' `\x` stays
        // what it was (the backslash dropped).
        assert_eq!(unescape("a\\x41b"), "ax41b");
        assert_eq!(unescape("a\\x1"), "ax1");
        assert_eq!(unescape("a\\x+1b"), "ax+1b");
        assert_eq!(unescape("\\xé"), "xé");
        assert_eq!(unescape("end\\"), "end\\");
    }

    #[test]
    fn kept_lines_lose_their_raw_controls() {
        assert!(matches!(without_raw_controls("X-A:b\tc"), Cow::Borrowed(_)));
        assert_eq!(without_raw_controls("X-A:b\u{1b}c\nd"), "X-A:b\\x1Bc\\nd");
    }

    #[test]
    fn parameters_split_on_separators_outside_quotes() {
        let header = "ADR;TYPE=work,home;LABEL=\"1 Main St; Town, Land\"";
        let params = split_params(header);
        assert_eq!(params.len(), 3);
        assert_eq!(split_param_values("work,home"), ["work", "home"]);
        assert_eq!(
            split_param_values(&params[2]["LABEL=".len()..]),
            ["1 Main St; Town, Land"]
        );
        assert_eq!(colon_position(b"X;P=\"a:b\":c"), Some(9));
        assert_eq!(quote_param_value("a,b"), "\"a,b\"");
        assert_eq!(quote_param_value("say \"hi\""), "\"say 'hi'\"");
        assert_eq!(quote_param_value("plain"), "plain");
    }

    #[test]
    fn unfolding_a_text_gives_its_logical_lines() {
        assert_eq!(
            unfold("BEGIN:VCARD\r\nNOTE:a\r\n  b\r\n\tc\nFN:x\rEND:VCARD\r\n"),
            ["BEGIN:VCARD", "NOTE:a bc", "FN:x", "END:VCARD"]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Folded lines are at most 75 octets, each continuation starts with one space, and
        /// unfolding gives back the original line exactly.
        #[test]
        fn folding_round_trips(line in "[^\r\n]{0,400}") {
            let folded = fold(&line);
            prop_assert!(folded.ends_with("\r\n"));
            for part in folded[..folded.len() - 2].split("\r\n") {
                prop_assert!(part.len() <= FOLD_OCTETS, "{} octets: {:?}", part.len(), part);
            }
            prop_assert_eq!(unfold(&folded), vec![line]);
        }

        /// Any string, control characters included, comes back from a vCard escape (a CRLF
        /// as the one line break it is), and the escaped value is one line with no raw
        /// control character and no unescaped separator.
        #[test]
        fn escaping_round_trips(value in "\\PC{0,60}|[\\\\;,:\\x00-\\x1f\\x7f\\u{80}-\\u{9f} a-zx0-9]{0,60}|(\\\\x[0-9a-fA-F]{0,2}|.){0,20}") {
            let escaped = escape_text(&value, Controls::Escape);
            prop_assert!(!escaped.chars().any(|c| c.is_control() && c != '\t'), "{escaped:?}");
            prop_assert_eq!(split_unescaped(&escaped, ';').len(), 1);
            prop_assert_eq!(split_unescaped(&escaped, ',').len(), 1);
            prop_assert_eq!(unescape(&escaped), value.replace("\r\n", "\n"));
        }

        /// iCalendar's escaping gives the value without its control characters.
        #[test]
        fn dropping_controls_round_trips_the_rest(value in "\\PC{0,60}|[\\\\;,\\x00-\\x1f a-z]{0,60}") {
            let escaped = escape_text(&value, Controls::Drop);
            let expected: String = value
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .chars()
                .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
                .collect();
            prop_assert_eq!(unescape(&escaped), expected);
        }
    }
}
