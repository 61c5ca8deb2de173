//! Text laid out for a person before it is painted: a head and named sections of lines, each
//! line made of spans that carry the [`Role`] deciding their colour. The CLI paints a
//! [`Doc`] with ANSI escapes ([`Doc::paint`]); the interactive mode maps the same roles to its
//! own styles and picks sections by [`SectionKind`], so neither face parses the other's text.
//! Span text is sanitized when it is added, never later. Painted for a terminal of a known
//! width, a line that does not fit is cut in its shrinking span (a summary, ending in '…')
//! or else wrapped between words, so the terminal never breaks a word across lines.

use super::{Painter, Role, display_width, truncate};

/// A piece of text and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub role: Option<Role>,
    pub text: String,
}

/// One line: its spans, and for a section's line the two-column lead (a mark such as ★,
/// or blank).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub mark: Option<Span>,
    pub spans: Vec<Span>,
    /// The span cut first when the line is too wide (see [`Line::shrinking`]).
    pub shrink: Option<usize>,
    /// Prose (a note's line) wraps flush, not with a hanging indent.
    pub prose: bool,
}

impl Line {
    pub fn new() -> Line {
        Line::default()
    }

    /// Text with no particular meaning.
    pub fn raw(mut self, text: impl Into<String>) -> Line {
        self.spans.push(Span {
            role: None,
            text: text.into(),
        });
        self
    }

    pub fn styled(mut self, role: Role, text: impl Into<String>) -> Line {
        self.spans.push(Span {
            role: Some(role),
            text: text.into(),
        });
        self
    }

    pub fn marked(mut self, role: Role, mark: impl Into<String>) -> Line {
        self.mark = Some(Span {
            role: Some(role),
            text: mark.into(),
        });
        self
    }

    /// The span added last is the one cut (ending in '…') when the line is too wide; a line
    /// without one wraps between words instead.
    pub fn shrinking(mut self) -> Line {
        self.shrink = self.spans.len().checked_sub(1);
        self
    }

    /// Wrapped, the line continues flush with its start, as a paragraph does.
    pub fn prose(mut self) -> Line {
        self.prose = true;
        self
    }

    /// The columns the spans take.
    pub fn width(&self) -> usize {
        self.spans.iter().map(|s| display_width(&s.text)).sum()
    }

    /// The spans one after the other (tests and plain text).
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    /// The line painted after `lead` (already painted, `lead_width` columns wide), fitted to
    /// `width` columns when there is a width: its shrinking span cut, else (or when that is
    /// not enough) wrapped between words with the continuation lines indented two columns
    /// more than `lead`.
    pub fn paint_fitted(
        &self,
        (lead, lead_width): (&str, usize),
        p: Painter,
        width: Option<usize>,
        out: &mut String,
    ) {
        let fitted = match width {
            Some(width) => self.fit(lead_width, width),
            None => vec![self.clone()],
        };
        for (n, line) in fitted.iter().enumerate() {
            if n == 0 {
                out.push_str(lead);
            } else {
                out.push_str(&" ".repeat(lead_width + self.continuation_indent(line)));
            }
            line.paint(p, out);
            out.push('\n');
        }
    }

    /// The line fitted to `width` columns after a lead `lead_width` wide: itself when it
    /// fits, else its shrinking span cut and the rest wrapped between words. Continuation
    /// lines belong under the lead, [`Line::hanging`] columns further in.
    pub fn fit(&self, lead_width: usize, width: usize) -> Vec<Line> {
        let room = width.saturating_sub(lead_width).max(MIN_ROOM);
        if self.width() <= room {
            return vec![self.clone()];
        }
        let hanging = self.hanging();
        wrap(&self.shrunk(room, hanging), room, hanging)
    }

    /// How much further than the first line its continuation lines are indented.
    pub fn hanging(&self) -> usize {
        if self.prose { 0 } else { HANGING }
    }

    /// How much further than the first line `piece`, a continuation line [`Line::fit`] gave,
    /// is indented: the hanging indent, or none for a word that needs the whole width.
    pub fn continuation_indent(&self, piece: &Line) -> usize {
        if piece.prose { 0 } else { self.hanging() }
    }

    /// The line with its shrinking span cut so that it fits `room` columns, keeping at least
    /// [`MIN_SHRUNK`] columns of it; when that cannot make it fit, the line will wrap, and the
    /// span is cut only to what one continuation line holds.
    fn shrunk(&self, room: usize, hanging: usize) -> Line {
        let mut line = self.clone();
        let Some(span) = self.shrink.and_then(|i| line.spans.get_mut(i)) else {
            return line;
        };
        let own = display_width(&span.text);
        let rest = self.width() - own;
        let keep = if rest + MIN_SHRUNK.min(own) <= room {
            room - rest
        } else {
            room - hanging
        };
        span.text = truncate(&span.text, keep).into_owned();
        line
    }

    fn paint(&self, p: Painter, out: &mut String) {
        for span in &self.spans {
            match span.role {
                Some(role) => out.push_str(&p.paint(role, &span.text)),
                None => out.push_str(&span.text),
            }
        }
    }
}

/// Columns a fitted line is never given less than, however narrow the terminal.
const MIN_ROOM: usize = 20;
/// A shrinking span keeps at least this many columns before the line wraps instead.
const MIN_SHRUNK: usize = 12;
/// How much further continuation lines are indented.
const HANGING: usize = 2;

/// `line` broken between words into lines of at most `room` columns (the continuation lines
/// `hanging` columns narrower); the spaces at a break are dropped. A word too wide for a
/// continuation line but not for the first (an email address in a narrow pane) takes a line
/// of its own flush with the first (marked `prose`) rather than being split; only a word
/// wider than a whole line is split.
fn wrap(line: &Line, room: usize, hanging: usize) -> Vec<Line> {
    let limit = |lines: &[Line]| match lines {
        [_] => room,
        [.., last] if last.prose => room,
        _ => room - hanging,
    };
    let mut lines = vec![Line::default()];
    let mut used = 0;
    let mut spaces: Vec<(Option<Role>, &str)> = Vec::new();
    for span in &line.spans {
        for (is_space, piece) in pieces(&span.text) {
            if is_space {
                if used > 0 || lines.len() == 1 {
                    spaces.push((span.role, piece));
                }
                continue;
            }
            let gap: usize = spaces.iter().map(|(_, s)| display_width(s)).sum();
            let w = display_width(piece);
            if used > 0 && used + gap + w > limit(&lines) {
                lines.push(Line::default());
                used = 0;
                spaces.clear();
            }
            if used == 0 && lines.len() > 1 && w > room - hanging && w <= room {
                lines.last_mut().expect("one line at least").prose = true;
            }
            for (role, s) in spaces.drain(..) {
                push(lines.last_mut().expect("one line at least"), role, s);
                used += display_width(s);
            }
            let mut rest = piece;
            loop {
                let (head, tail) = split_at_width(rest, limit(&lines).saturating_sub(used).max(1));
                push(
                    lines.last_mut().expect("one line at least"),
                    span.role,
                    head,
                );
                used += display_width(head);
                if tail.is_empty() {
                    break;
                }
                lines.push(Line::default());
                used = 0;
                rest = tail;
            }
        }
    }
    lines
}

/// `text` as alternating runs of spaces and of everything else: `(is_space, run)`.
fn pieces(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c == ' ';
        if in_space.is_some_and(|s| s != space) {
            out.push((in_space == Some(true), &text[start..i]));
            start = i;
        }
        in_space = Some(space);
    }
    if start < text.len() {
        out.push((in_space == Some(true), &text[start..]));
    }
    out
}

/// The longest head of `text` within `max` columns (at least one character), and the rest.
fn split_at_width(text: &str, max: usize) -> (&str, &str) {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max && i > 0 {
            return text.split_at(i);
        }
        used += w;
    }
    (text, "")
}

/// Appends `text` to the line, to its last span when that has the same role.
fn push(line: &mut Line, role: Option<Role>, text: &str) {
    match line.spans.last_mut() {
        Some(last) if last.role == role => last.text.push_str(text),
        _ => line.spans.push(Span {
            role,
            text: text.to_string(),
        }),
    }
}

/// Which part of a brief a section is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Reach,
    KeepingInTouch,
    FollowUps,
    /// A contact's latest interactions.
    Recent,
    Relationships,
    Notes,
    /// Yearly dates and a cadence inherited from a tag.
    CadenceAndDates,
    /// A contact's organization: its notes, other follow-ups and last touch.
    Company,
    /// An organization's people.
    People,
    /// An organization's merged interactions.
    Timeline,
    /// The factors of a health score.
    Health,
    /// A contact's properties changed on both sides of a sync (`kith sync conflicts`).
    SyncConflicts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub kind: SectionKind,
    pub title: String,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    pub head: Vec<Line>,
    pub sections: Vec<Section>,
}

impl Doc {
    pub fn section(&mut self, kind: SectionKind, title: impl Into<String>) -> &mut Vec<Line> {
        self.sections.push(Section {
            kind,
            title: title.into(),
            lines: Vec::new(),
        });
        &mut self.sections.last_mut().expect("just pushed").lines
    }

    pub fn get(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    /// The text for a terminal: the head, then each section after a blank line and its
    /// title, its lines indented by their two-column lead; with a `width`, every line fits it.
    pub fn paint(&self, p: Painter, width: Option<usize>) -> String {
        let mut out = String::new();
        for line in &self.head {
            line.paint_fitted(("", 0), p, width, &mut out);
        }
        for section in &self.sections {
            out.push('\n');
            Line::new()
                .styled(Role::Label, section.title.clone())
                .paint_fitted(("", 0), p, width, &mut out);
            for line in &section.lines {
                let lead = match &line.mark {
                    Some(mark) => {
                        format!(
                            "{} ",
                            p.paint(mark.role.unwrap_or(Role::Accent), &mark.text)
                        )
                    }
                    None => "  ".to_string(),
                };
                line.paint_fitted((&lead, 2), p, width, &mut out);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fitted(line: &Line, width: usize) -> String {
        let mut out = String::new();
        line.paint_fitted(("  ", 2), Painter::plain(), Some(width), &mut out);
        out
    }

    #[test]
    fn a_shrinking_span_is_cut_and_what_follows_it_stays() {
        let line = Line::new()
            .raw("2026-11-20  call    ")
            .raw("a summary far too long to fit beside its date and time")
            .shrinking()
            .raw("  ")
            .styled(Role::Dim, "4 days ago");
        let out = fitted(&line, 60);
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(out.trim_end().ends_with("…  4 days ago"), "{out}");
        assert_eq!(display_width(out.trim_end()), 60, "{out}");
    }

    /// An address as wide as the line less its hanging indent stays whole, flush under the
    /// first line's text, instead of being cut in two.
    #[test]
    fn a_word_too_wide_for_the_hanging_indent_stays_whole() {
        let line = Line::new().raw("email linus.knuth@stark-renew.example (work)");
        assert_eq!(
            fitted(&line, 34),
            "  email\n  linus.knuth@stark-renew.example\n    (work)\n"
        );
    }

    #[test]
    fn other_lines_wrap_between_words_with_a_hanging_indent_and_prose_flush() {
        let line = Line::new().raw("one two three four five six seven eight nine ten");
        assert_eq!(
            fitted(&line, 24),
            "  one two three four\n    five six seven eight\n    nine ten\n"
        );
        assert_eq!(
            fitted(&line.clone().prose(), 24),
            "  one two three four\n  five six seven eight\n  nine ten\n"
        );
        // Wide characters count two columns.
        let cjk = Line::new().raw("見積もり 見積もり 見積もり 見積もり");
        for l in fitted(&cjk, 22).lines() {
            assert!(display_width(l) <= 22, "{l:?}");
        }
    }

    proptest! {
        #[test]
        fn fitted_lines_fit_and_keep_every_word(
            // At most 20 columns: a word that fits a continuation line is never split.
            words in proptest::collection::vec("[a-zé日本]{1,10}", 1..30),
            width in 24usize..120,
            shrink in any::<bool>(),
        ) {
            let text = words.join(" ");
            let mut line = Line::new().styled(Role::Dim, "#12 ").raw(text.clone());
            if shrink {
                line = line.shrinking();
            }
            line = line.raw(" ").styled(Role::Dim, "3 days ago");
            let out = fitted(&line, width);
            for l in out.lines() {
                prop_assert!(display_width(l) <= width, "{l:?} wider than {width}");
            }
            if !shrink {
                let back: Vec<&str> = out.split_whitespace().collect();
                let mut want = vec!["#12"];
                want.extend(words.iter().map(String::as_str));
                want.extend(["3", "days", "ago"]);
                prop_assert_eq!(back, want);
            }
        }
    }
}
