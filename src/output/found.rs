//! Human renderings of `kith find` and `kith grep` results, with matched characters
//! highlighted when colour is on. Stored text is sanitized one character at a time, so a
//! highlight position always lands on the character it names.

use std::fmt::Write as _;

use chrono::Local;
use serde::Serialize;

use super::{Painter, Role, display_width, sanitize_line, truncate};
use crate::search::{Field, FieldMatch, Hit};
use crate::store::search::{GrepHit, GrepSource};

/// One `kith find` result, in the shape `--json` gives it.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub id: i64,
    pub name: String,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub tags: Vec<String>,
    pub archived: bool,
    /// Higher is better; only comparable within one query.
    pub score: i64,
    /// The field that matched best.
    pub field: Field,
    /// Matched character positions in `name`.
    pub positions: Vec<usize>,
    /// Every field that matched, with character positions in its value.
    pub matches: Vec<FieldMatch>,
}

impl Found {
    pub fn new(hit: Hit, entry: &crate::search::Entry, archived: bool) -> Found {
        Found {
            id: hit.contact_id,
            name: entry.display_name.clone(),
            organization: entry.organization.clone(),
            title: entry.title.clone(),
            emails: entry.emails.clone(),
            phones: entry.phones.clone(),
            tags: entry.tags.clone(),
            archived,
            score: hit.score,
            field: hit.field,
            positions: hit.positions,
            matches: hit.matches,
        }
    }
}

/// `text` sanitized and cut to `max` columns, with the characters at `positions` painted.
/// Returns the rendered text and the columns it takes.
pub fn highlight(text: &str, positions: &[usize], max: usize, p: Painter) -> (String, usize) {
    let plain: String = sanitize_line(text).into_owned();
    let cut = truncate(&plain, max);
    let fits = cut.len() == plain.len();
    let mut out = String::new();
    let mut used = 0;
    for (ci, c) in text.chars().enumerate() {
        let piece = sanitize_line(c.encode_utf8(&mut [0; 4])).into_owned();
        let w = display_width(&piece);
        if !fits && used + w > max.saturating_sub(1) {
            out.push('…');
            used += 1;
            break;
        }
        if positions.binary_search(&ci).is_ok() {
            out.push_str(&p.paint(Role::Highlight, &piece));
        } else {
            out.push_str(&piece);
        }
        used += w;
    }
    (out, used)
}

fn padded(rendered: (String, usize), width: usize) -> String {
    let (text, used) = rendered;
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// The results table: id, name (highlighted), what matched, organization.
pub fn found_table(found: &[Found], width: Option<usize>, p: Painter) -> String {
    let total = width.unwrap_or(usize::MAX / 4);
    let id_w = found
        .iter()
        .map(|f| f.id.to_string().len() + 1)
        .max()
        .unwrap_or(2)
        .max(2);
    let name_w = found
        .iter()
        .map(|f| display_width(&sanitize_line(&f.name)))
        .max()
        .unwrap_or(4)
        .clamp(4, 32);
    let matched_w = found
        .iter()
        .map(|f| display_width(&matched_plain(f)))
        .max()
        .unwrap_or(7)
        .clamp(7, 40);
    let rest = total.saturating_sub(id_w + name_w + matched_w + 6).max(12);
    let mut out = String::new();
    let header = format!(
        "{:>id_w$}  {:<name_w$}  {:<matched_w$}  ORGANIZATION",
        "ID", "NAME", "MATCHED"
    );
    let _ = writeln!(out, "{}", p.paint(Role::Label, header.trim_end()));
    for f in found {
        let name = padded(highlight(&f.name, &f.positions, name_w, p), name_w);
        let matched = padded(matched_cell(f, matched_w, p), matched_w);
        let org = f
            .organization
            .as_deref()
            .map(|o| {
                let positions = f
                    .matches
                    .iter()
                    .find(|m| m.field == Field::Organization)
                    .map(|m| m.positions.as_slice())
                    .unwrap_or(&[]);
                highlight(o, positions, rest, p).0
            })
            .unwrap_or_default();
        let archived = if f.archived {
            format!(" {}", p.paint(Role::Warn, "(archived)"))
        } else {
            String::new()
        };
        let line = format!(
            "{:>id_w$}  {name}  {matched}  {org}{archived}",
            f.id.to_string()
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// What the MATCHED column says, without colour: the fields, and the value of the best one
/// when it is not the name or organization (already on the line).
fn matched_plain(f: &Found) -> String {
    matched_parts(f)
        .into_iter()
        .map(|(label, value)| match value {
            Some(v) => format!("{label} {}", sanitize_line(&v.value)),
            None => label.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn matched_parts(f: &Found) -> Vec<(&'static str, Option<&FieldMatch>)> {
    f.matches
        .iter()
        .map(|m| {
            let shown_elsewhere = matches!(m.field, Field::Name | Field::Organization);
            (
                m.field.as_str(),
                if shown_elsewhere { None } else { Some(m) },
            )
        })
        .collect()
}

fn matched_cell(f: &Found, max: usize, p: Painter) -> (String, usize) {
    let mut out = String::new();
    let mut used = 0;
    for (i, (label, value)) in matched_parts(f).into_iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let room = max.saturating_sub(used + sep.len() + label.len());
        if room == 0 && i > 0 {
            break;
        }
        out.push_str(sep);
        out.push_str(&p.paint(Role::Dim, label));
        used += sep.len() + label.len();
        if let Some(m) = value
            && room > 1
        {
            let (text, w) = highlight(&m.value, &m.positions, room - 1, p);
            out.push(' ');
            out.push_str(&text);
            used += 1 + w;
        }
    }
    (out, used)
}

/// `kith grep` results: who it belongs to, where, and the snippet with the match marked.
pub fn grep_lines(hits: &[GrepHit], width: Option<usize>, p: Painter) -> String {
    let mut out = String::new();
    for h in hits {
        let who: Vec<String> = h
            .contacts
            .iter()
            .map(|c| format!("{} (#{})", sanitize_line(&c.name), c.id))
            .collect();
        let whence = match h.source {
            GrepSource::Note => "note".to_string(),
            GrepSource::Interaction => {
                let day = h
                    .occurred_at
                    .map(|t| t.with_timezone(&Local).format("%Y-%m-%d").to_string())
                    .unwrap_or_default();
                let summary = h.summary.as_deref().map(sanitize_line).unwrap_or_default();
                format!("#{} {day} {}", h.id, truncate(&summary, 40))
            }
        };
        let _ = writeln!(
            out,
            "{}  {}",
            p.paint(Role::Heading, &who.join(", ")),
            p.paint(Role::Dim, &whence)
        );
        let _ = writeln!(out, "    {}", marked_snippet(h, width, p));
    }
    out
}

/// The snippet on one line, matches painted (colour) or bracketed like `[this]` (plain).
fn marked_snippet(h: &GrepHit, width: Option<usize>, p: Painter) -> String {
    let flat: String = h
        .snippet
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let budget = width.map_or(usize::MAX, |w| w.saturating_sub(4).max(20));
    let mut out = String::new();
    let mut used = 0;
    let mut open = false;
    for (ci, c) in flat.chars().enumerate() {
        let starts = h.marks.iter().any(|&(s, _)| s == ci);
        let ends = h.marks.iter().any(|&(_, e)| e == ci);
        if ends && open {
            if !p.enabled {
                out.push(']');
                used += 1;
            }
            open = false;
        }
        if starts {
            if !p.enabled {
                out.push('[');
                used += 1;
            }
            open = true;
        }
        let piece = sanitize_line(c.encode_utf8(&mut [0; 4])).into_owned();
        let w = display_width(&piece);
        if used + w > budget.saturating_sub(1) {
            out.push('…');
            break;
        }
        if open && p.enabled {
            out.push_str(&p.paint(Role::Highlight, &piece));
        } else {
            out.push_str(&piece);
        }
        used += w;
    }
    if open && !p.enabled {
        out.push(']');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_land_on_the_named_characters_and_escapes_are_defused() {
        let p = Painter { enabled: true };
        let (text, w) = highlight("Zoë\x1b", &[2], 10, p);
        assert_eq!(text, "Zo\x1b[1;4më\x1b[0m␛");
        assert_eq!(w, 4);
        let (plain, _) = highlight("Ada Lovelace", &[0, 1], 5, Painter::plain());
        assert_eq!(plain, "Ada …");
    }

    #[test]
    fn plain_snippets_bracket_the_match() {
        let hit = GrepHit {
            source: GrepSource::Note,
            id: 1,
            occurred_at: None,
            summary: None,
            contacts: vec![],
            snippet: "the budget\nis \x1b[31m".into(),
            marks: vec![(4, 10)],
        };
        assert_eq!(
            marked_snippet(&hit, None, Painter::plain()),
            "the [budget] is ␛[31m"
        );
    }
}
