//! Human output: sanitizing untrusted text, colour, and tables fitted to the terminal.
//!
//! Every string that came from outside the program (typed, imported, stored) passes through
//! [`sanitize_line`] or [`sanitize_block`] before it is written for a person to read, so a
//! contact named "\x1b]52;..." cannot drive the user's terminal.

pub mod agenda;
pub mod agenda_json;
pub mod brief;
pub mod capture;
pub mod doc;
pub mod found;
pub mod health;
pub mod network;
pub mod org_brief;
pub mod table;
pub mod tables;

pub use table::{StreamedTable, Table};

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Whether a character must not reach the terminal as itself.
fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}' | '\u{80}'..='\u{9f}'
        // bidi embeddings, overrides and isolates: they reorder what follows them
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
        // invisible characters that make two names look the same (U+200D joins emoji: kept)
        | '\u{200b}' | '\u{200c}' | '\u{2060}' | '\u{feff}'
        | '\u{2028}' | '\u{2029}')
}

fn replacement(c: char, out: &mut String) {
    match c {
        // C0 controls and DEL have visible "control pictures" (␛, ␀, ␡ …)
        '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
        '\u{7f}' => out.push('\u{2421}'),
        _ => {
            let _ = write!(out, "<U+{:04X}>", c as u32);
        }
    }
}

/// Whether `s` surely holds no character [`is_unsafe`] names: none of the bytes any of them
/// is encoded with (controls, DEL, and the lead bytes of C1 controls, U+061C, the U+20xx
/// marks and U+FEFF). Most text passes this byte scan, much quicker than a char scan.
fn surely_safe(s: &str) -> bool {
    // Without stopping early, so that the scan is vectorized: most text is safe.
    s.bytes().fold(true, |safe, b| {
        safe & (b >= 0x20) & !matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2 | 0xef)
    })
}

fn sanitize_with(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if surely_safe(s) || !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) && !keep(c) {
            replacement(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// "1 invalid record", "3 invalid records": a count with its noun as a person writes it.
/// How many of `n` entries a list capped at `cap` shows: `cap`, or all of them when only one
/// would be left out (its line takes the room "… and 1 more" would).
pub fn shown_under(cap: usize, n: usize) -> usize {
    if n <= cap + 1 { n } else { cap }
}

/// "1 record", "1,301 records": a count as a person reads it, and its noun.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    let word = if n == 1 { one } else { many };
    format!("{} {word}", crate::error::grouped(n))
}

/// JSON text with every character that must not reach a terminal written as a `\uXXXX`
/// escape. The JSON encoder escapes only C0; C1 controls, DEL and bidi/invisible characters
/// can only occur inside strings, where the escape keeps the value exact. Structural newlines
/// of pretty-printed JSON stay.
pub fn escape_json_text(json: &str) -> Cow<'_, str> {
    if !json_needs_escapes(json) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) && c != '\n' {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether [`escape_json_text`] has anything to escape: printable ASCII and newlines (nearly
/// all of a JSON text) are passed over 32 bytes at a time, in a loop the compiler vectorizes;
/// only a block holding anything else is read a character at a time.
fn json_needs_escapes(json: &str) -> bool {
    const BLOCK: usize = 32;
    let bytes = json.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let end = (i + BLOCK).min(bytes.len());
        let plain = bytes[i..end].iter().fold(true, |plain, &b| {
            plain & ((0x20..0x7f).contains(&b) | (b == b'\n'))
        });
        if plain {
            i = end;
            continue;
        }
        // `i` is at a character's start: whole blocks of ASCII and whole characters only
        // were passed. Read the block's characters (the last may run past it).
        let mut chars = json[i..].char_indices();
        for (at, c) in chars.by_ref() {
            if is_unsafe(c) && c != '\n' {
                return true;
            }
            if i + at + c.len_utf8() >= end {
                i += at + c.len_utf8();
                break;
            }
        }
    }
    false
}

/// Text for one line of output: every control character, newline and tab included, is made
/// visible instead of acting on the terminal.
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    sanitize_with(s, |_| false)
}

/// A contact's name for one line of output, followed by their #id when `namesake` (another
/// contact has that name): "Amélie García #2".
pub fn name_told_apart(name: &str, id: i64, namesake: bool) -> String {
    let name = sanitize_line(name);
    if namesake {
        format!("{name} #{id}")
    } else {
        name.into_owned()
    }
}

/// Text that may span lines (notes, bodies): newlines survive, tabs become spaces, the
/// rest is made visible as in [`sanitize_line`].
pub fn sanitize_block(s: &str) -> Cow<'_, str> {
    let normalized: Cow<'_, str> = if s.contains('\r') || s.contains('\t') {
        Cow::Owned(s.replace("\r\n", "\n").replace('\t', "    "))
    } else {
        Cow::Borrowed(s)
    };
    match sanitize_with(&normalized, |c| c == '\n') {
        Cow::Borrowed(_) => normalized,
        Cow::Owned(o) => Cow::Owned(o),
    }
}

/// What a piece of text means, which decides its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Heading,
    Label,
    Dim,
    Accent,
    Good,
    Warn,
    Bad,
    Highlight,
}

impl Role {
    fn sgr(self) -> &'static str {
        match self {
            Role::Heading => "1",
            Role::Label => "1;36",
            Role::Dim => "2",
            Role::Accent => "36",
            Role::Good => "32",
            Role::Warn => "33",
            Role::Bad => "1;31",
            Role::Highlight => "1;4",
        }
    }
}

/// Colours text for a terminal, or leaves it plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Painter {
    pub enabled: bool,
}

impl Painter {
    /// Colour only on a terminal, and never when `NO_COLOR` is set (<https://no-color.org>)
    /// or the terminal is dumb.
    pub fn detect(is_tty: bool) -> Painter {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        Painter {
            enabled: is_tty && !no_color && !dumb,
        }
    }

    pub fn plain() -> Painter {
        Painter { enabled: false }
    }

    /// `text` must already be sanitized: the painter adds escapes, it does not remove them.
    pub fn paint(self, role: Role, text: &str) -> String {
        if self.enabled && !text.is_empty() {
            format!("\x1b[{}m{text}\x1b[0m", role.sgr())
        } else {
            text.to_string()
        }
    }
}

/// Columns available for output: the terminal's when stdout is one, else `COLUMNS`, else
/// unlimited (pipes get whole lines).
pub fn terminal_width(is_tty: bool) -> Option<usize> {
    if is_tty
        && let Ok((cols, _)) = ratatui::crossterm::terminal::size()
        && cols > 0
    {
        return Some(cols as usize);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
}

/// Columns `s` takes on a terminal.
pub fn display_width(s: &str) -> usize {
    // Printable ASCII is a column a byte; only other text needs the width tables.
    // Without stopping early, so that the scan is vectorized.
    if s.bytes()
        .fold(true, |ascii, b| ascii & (0x20..0x7f).contains(&b))
    {
        return s.len();
    }
    // Latin letters with accents (U+00C0 to U+02FF, lead bytes C3 to CB), as most names
    // that are not ASCII are: a column a character, so the characters are counted.
    if s.bytes().fold(true, |latin, b| {
        latin
            & ((0x20..0x7f).contains(&b)
                || (0x80..=0xbf).contains(&b)
                || (0xc3..=0xcb).contains(&b))
    }) {
        return s.bytes().filter(|b| !(0x80..=0xbf).contains(b)).count();
    }
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` columns, ending in '…' when anything was cut.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    // No character is wider than its UTF-8 bytes (two columns only from U+1100, three
    // bytes), so text of at most `max` bytes fits without measuring it.
    if s.len() <= max || display_width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// `s` padded with spaces to `width` columns (left- or right-aligned).
pub fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(display_width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accented_latin_is_measured_as_the_width_tables_say() {
        let latin: Vec<char> = (' '..='~').chain('\u{c0}'..='\u{2ff}').collect();
        for &a in &latin {
            for &b in &latin {
                let s = format!("{a}{b}x{a}");
                assert_eq!(
                    display_width(&s),
                    UnicodeWidthStr::width(s.as_str()),
                    "{s:?}"
                );
            }
        }
        assert_eq!(
            display_width("J\u{f6}rg \u{301}"),
            UnicodeWidthStr::width("J\u{f6}rg \u{301}")
        );
    }

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(sanitize_line("a\x1b[31mb"), "a␛[31mb");
        assert_eq!(sanitize_line("x\ny\tz"), "x␊y␉z");
        assert_eq!(sanitize_line("rtl\u{202e}txt"), "rtl<U+202E>txt");
        assert_eq!(sanitize_line("bell\x07\x7f"), "bell␇␡");
        assert_eq!(sanitize_line("csi\u{9b}"), "csi<U+009B>");
        assert!(matches!(sanitize_line("Jürgen Müller"), Cow::Borrowed(_)));
        // emoji sequences keep their joiner
        assert_eq!(sanitize_line("👩\u{200d}💻"), "👩\u{200d}💻");
    }

    #[test]
    fn blocks_keep_their_lines() {
        assert_eq!(
            sanitize_block("one\r\ntwo\tthree\x1b"),
            "one\ntwo    three␛"
        );
    }

    #[test]
    fn truncation_respects_wide_characters() {
        assert_eq!(truncate("hello world", 5), "hell…");
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn painter_is_plain_when_disabled() {
        assert_eq!(Painter::plain().paint(Role::Bad, "x"), "x");
        assert_eq!(
            Painter { enabled: true }.paint(Role::Good, "x"),
            "\x1b[32mx\x1b[0m"
        );
    }

    #[test]
    fn tables_fit_the_width() {
        let mut t = Table::new(["ID", "NAME", "EMAIL"]).right_align(0);
        t.row(["1", "Ada Lovelace", "ada@analytical-engines.example.org"]);
        t.row(["12", "Grace \x1b[2JHopper", "grace@navy.example"]);
        let wide = t.render(None, Painter::plain());
        assert!(wide.contains("ada@analytical-engines.example.org"));
        assert!(wide.contains("␛[2J"));
        assert!(wide.lines().nth(1).unwrap().starts_with(" 1  Ada"));
        let narrow = t.render(Some(40), Painter::plain());
        for line in narrow.lines() {
            assert!(display_width(line) <= 40, "{line:?} is wider than 40");
        }
        assert!(narrow.contains('…'));
    }

    #[test]
    fn narrow_tables_leave_out_columns_before_cutting_names() {
        let mut t = Table::new(["ID", "NAME", "EMAIL", "PHONE"])
            .min_width(1, 14)
            .droppable(&[3, 2]);
        t.row([
            "1",
            "Alex Johnson-Smythe",
            "alex.johnson@example.com",
            "+1 555 0100",
        ]);
        t.row(["2", "Alex Smith", "alex.smith@example.com", "+1 555 0101"]);
        let out = t.render(Some(36), Painter::plain());
        assert!(!out.contains("PHONE"), "{out}");
        assert!(
            out.contains("Alex Johnson-…") || out.contains("Alex Johnson-S"),
            "{out}"
        );
        for line in out.lines() {
            assert!(display_width(line) <= 36, "{line:?}");
        }
    }

    proptest! {
        #[test]
        fn sanitized_text_has_no_controls(s in any::<String>()) {
            let clean = sanitize_line(&s);
            prop_assert!(!clean.chars().any(is_unsafe));
            let block = sanitize_block(&s);
            prop_assert!(!block.chars().any(|c| is_unsafe(c) && c != '\n'));
        }

        #[test]
        fn rendered_tables_never_exceed_a_reasonable_width(
            cells in proptest::collection::vec(".{0,40}", 3..12),
            width in 40usize..200,
        ) {
            let mut t = Table::new(["A", "B", "C"]);
            for chunk in cells.chunks(3) {
                t.row(chunk.iter().map(String::as_str));
            }
            for line in t.render(Some(width), Painter::plain()).lines() {
                prop_assert!(display_width(line) <= width);
                prop_assert!(!line.chars().any(is_unsafe));
            }
        }
    }

    #[test]
    fn no_unsafe_character_passes_the_byte_scan() {
        let unsafe_ones = (0..=0x10ffff_u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_unsafe(c));
        for c in unsafe_ones {
            assert!(!surely_safe(&format!("ab{c}cd")), "U+{:04X}", c as u32);
        }
        assert!(surely_safe("Zoë Ørsted-Łukasz 佐藤"));
    }

    #[test]
    fn printable_ascii_is_a_column_a_character() {
        let ascii: String = (0x20..0x7f_u8).map(char::from).collect();
        assert_eq!(
            display_width(&ascii),
            UnicodeWidthStr::width(ascii.as_str())
        );
    }

    #[test]
    fn json_escapes_what_a_terminal_would_act_on_and_keeps_the_value() {
        let value = serde_json::json!({"name": "a\u{9b}31m\u{202e}b\u{7f}\u{1b}[0m\nc"});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let escaped = escape_json_text(&text);
        assert!(
            !escaped.chars().any(|c| is_unsafe(c) && c != '\n'),
            "{escaped}"
        );
        assert!(escaped.contains("\\u009b") && escaped.contains("\\u202e"));
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, value);
    }
}
