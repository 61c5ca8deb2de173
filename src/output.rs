//! Human output: sanitizing untrusted text, colour, and tables fitted to the terminal.
//!
//! Every string that came from outside the program (typed, imported, stored) passes through
//! [`sanitize_line`] or [`sanitize_block`] before it is written for a person to read, so a
//! contact named "\x1b]52;..." cannot drive the user's terminal.

pub mod agenda;
pub mod brief;

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

fn sanitize_with(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
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

/// Text for one line of output: every control character, newline and tab included, is made
/// visible instead of acting on the terminal.
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    sanitize_with(s, |_| false)
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
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` columns, ending in '…' when anything was cut.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if display_width(s) <= max {
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

/// A plain-text table: a header row and aligned columns, shrunk to fit a width.
#[derive(Debug, Clone)]
pub struct Table {
    headers: Vec<String>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

const GAP: usize = 2;
/// Columns are never squeezed below this (or their header), so every one stays legible.
const MIN_COLUMN: usize = 6;
/// No cell is wider than this, even with unlimited width: a 10 MB note is not a table cell.
const MAX_CELL: usize = 500;

impl Table {
    pub fn new<I, S>(headers: I) -> Table
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let headers: Vec<String> = headers.into_iter().map(Into::into).collect();
        let right = vec![false; headers.len()];
        Table {
            headers,
            right,
            rows: Vec::new(),
        }
    }

    pub fn right_align(mut self, column: usize) -> Table {
        if let Some(r) = self.right.get_mut(column) {
            *r = true;
        }
        self
    }

    /// Adds a row; cells are sanitized here, so callers pass stored text as it is.
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut row: Vec<String> = cells
            .into_iter()
            .map(|c| truncate(&sanitize_line(c.as_ref()), MAX_CELL).into_owned())
            .collect();
        row.resize(self.headers.len(), String::new());
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Column widths: natural widths, then the widest column shrunk first until the table
    /// fits `width` (or nothing more can give).
    fn widths(&self, width: Option<usize>) -> Vec<usize> {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| display_width(h)).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(display_width(cell));
            }
        }
        // Empty columns (apart from their header) are kept: the header says what is missing.
        let Some(limit) = width else { return widths };
        let total = |ws: &[usize]| ws.iter().sum::<usize>() + GAP * ws.len().saturating_sub(1);
        while total(&widths) > limit {
            let floor = |i: usize| display_width(&self.headers[i]).max(MIN_COLUMN);
            let Some((i, _)) = widths
                .iter()
                .enumerate()
                .filter(|&(i, &w)| w > floor(i))
                .max_by_key(|&(_, &w)| w)
            else {
                break;
            };
            let over = total(&widths) - limit;
            widths[i] = widths[i].saturating_sub(over).max(floor(i)).max(
                // shrink in steps so several wide columns share the cut
                widths
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, &w)| w)
                    .max()
                    .unwrap_or(0)
                    .min(widths[i] - 1),
            );
        }
        widths
    }

    /// The table as text, one line per row with a trailing newline; the header is painted.
    pub fn render(&self, width: Option<usize>, painter: Painter) -> String {
        let widths = self.widths(width);
        let mut out = String::new();
        let mut line = |cells: &[String], heading: bool| {
            let mut text = String::new();
            let last = cells.len().saturating_sub(1);
            for (i, cell) in cells.iter().enumerate() {
                let cut = truncate(cell, widths[i]);
                let padded = if i == last && !self.right[i] {
                    cut.into_owned()
                } else {
                    pad(&cut, widths[i], self.right[i])
                };
                if heading {
                    text.push_str(&painter.paint(Role::Label, &padded));
                } else {
                    text.push_str(&padded);
                }
                if i != last {
                    text.push_str(&" ".repeat(GAP));
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(&self.headers, true);
        for row in &self.rows {
            line(row, false);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
}
