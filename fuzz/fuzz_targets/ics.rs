//! Any text written into an iCalendar TEXT property (a follow-up's SUMMARY, a DESCRIPTION):
//! every physical line is at most 75 octets of UTF-8 with no raw line break inside, and
//! unfolding and unescaping the lines gives back the text, minus the control characters
//! RFC 5545 does not allow in TEXT (which the writer drops).
#![no_main]

use kith::ics::{escape_text, fold};
use libfuzzer_sys::fuzz_target;

/// RFC 5545 3.1: a CRLF followed by one space or tab is removed.
fn unfold(text: &str) -> String {
    text.replace("\r\n ", "").replace("\r\n\t", "")
}

/// RFC 5545 3.3.11, the reverse of `escape_text`.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => panic!("a dangling backslash in {value:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let folded = fold(&format!("DESCRIPTION:{}", escape_text(text)));
    let body = folded
        .strip_suffix("\r\n")
        .expect("a content line ends in CRLF");
    for (i, line) in body.split("\r\n").enumerate() {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(!line.contains(['\r', '\n']), "a raw line break: {line:?}");
        assert!(i == 0 || line.starts_with(' '), "continuation without a space");
    }
    let unfolded = unfold(body);
    let value = unfolded
        .strip_prefix("DESCRIPTION:")
        .expect("the property name survives folding");
    let expected: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
    assert_eq!(unescape(value), expected);
});
