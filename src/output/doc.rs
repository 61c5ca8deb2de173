//! Text laid out for a person before it is painted: a head and named sections of lines, each
//! line made of spans that carry the [`Role`] deciding their colour. The CLI paints a
//! [`Doc`] with ANSI escapes ([`Doc::paint`]); the interactive mode maps the same roles to its
//! own styles and picks sections by [`SectionKind`], so neither face parses the other's text.
//! Span text is sanitized when it is added, never later.

use super::{Painter, Role};

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

    /// The spans one after the other (tests and plain text).
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
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
    /// An organization's people.
    People,
    /// An organization's merged interactions.
    Timeline,
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
    /// title, its lines indented by their two-column lead.
    pub fn paint(&self, p: Painter) -> String {
        let mut out = String::new();
        for line in &self.head {
            line.paint(p, &mut out);
            out.push('\n');
        }
        for section in &self.sections {
            out.push('\n');
            out.push_str(&p.paint(Role::Label, &section.title));
            out.push('\n');
            for line in &section.lines {
                match &line.mark {
                    Some(mark) => {
                        out.push_str(&p.paint(mark.role.unwrap_or(Role::Accent), &mark.text));
                        out.push(' ');
                    }
                    None => out.push_str("  "),
                }
                line.paint(p, &mut out);
                out.push('\n');
            }
        }
        out
    }
}
