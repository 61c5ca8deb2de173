//! A form, drawn over the views: one row per field (the label always shown, the value
//! scrolled sideways around the cursor when longer than the row), a multi-line field's every
//! line (wrapped, and scrolled when more than the screen holds), the problem or hint under a
//! field wrapped to the box, and the form scrolled so that the focused field is in view.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Theme, form_hints, pane_block, wrap_words};
use crate::output::{display_width, sanitize_line};
use crate::tui::form::{Field, Form};

/// The widest a form's box gets.
const MAX_WIDTH: u16 = 76;
/// The fewest rows a multi-line field gets when the screen is short.
const MIN_TEXT_ROWS: usize = 3;

/// One character as shown (a control character made visible) and its width.
fn shown(c: char) -> (String, usize) {
    let mut buf = [0; 4];
    let s = sanitize_line(c.encode_utf8(&mut buf)).into_owned();
    let w = display_width(&s);
    (s, w)
}

/// A field's rows, and where its cursor is among them (row, column within the value).
struct Drawn {
    rows: Vec<Line<'static>>,
    cursor: Option<(usize, usize)>,
}

/// Where the box's columns go.
struct Columns {
    /// Mark, label and ": ".
    lead: usize,
    label: usize,
    /// The value's columns (one more stays free: a cut value's '…', or the cursor's room).
    room: usize,
    inner: usize,
}

pub fn draw(frame: &mut Frame, size: Rect, form: &Form) {
    let width = MAX_WIDTH.min(size.width.saturating_sub(2));
    let inner = width.saturating_sub(2) as usize;
    let label = form
        .fields
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0);
    let cols = Columns {
        lead: label + 3,
        label,
        room: inner.saturating_sub(label + 4).max(1),
        inner,
    };
    let problem: Vec<Line<'static>> = form
        .problem
        .iter()
        .flat_map(|p| wrap_words(&format!("✗ {p}"), inner.saturating_sub(1)))
        .map(|l| Line::styled(format!(" {l}"), Theme::bad()))
        .collect();
    // Border, the problem, a blank line and the keys stay; the fields get the rest.
    let fixed = 2 + problem.len() + 2;
    let max_body = (size.height as usize).saturating_sub(fixed).max(1);
    let notes: Vec<Vec<Line<'static>>> = form
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| note(f, i == form.focus, &cols))
        .collect();
    let one_row_fields = form.fields.iter().filter(|f| !f.multiline).count();
    let note_rows: usize = notes.iter().map(Vec::len).sum();
    let text_rows = max_body
        .saturating_sub(one_row_fields + note_rows)
        .max(MIN_TEXT_ROWS);

    let mut body: Vec<Line<'static>> = Vec::new();
    let mut cursor = None;
    let mut focus_rows = 0..0;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let start = body.len();
        let mut drawn = if field.multiline {
            multi_line(field, focused, &cols, text_rows)
        } else {
            one_line(field, focused, &cols)
        };
        if let Some((row, col)) = drawn.cursor.filter(|_| focused) {
            cursor = Some((start + row, cols.lead + col));
        }
        body.append(&mut drawn.rows);
        body.extend(notes[i].iter().cloned());
        if focused {
            focus_rows = start..body.len();
        }
    }
    // Scroll the fields so that the focused one is in view.
    let all_rows = body.len();
    let shown_rows = all_rows.min(max_body);
    let scroll = focus_rows
        .end
        .saturating_sub(shown_rows)
        .min(focus_rows.start);
    let mut lines: Vec<Line<'static>> = body.into_iter().skip(scroll).take(shown_rows).collect();
    lines.extend(problem);
    lines.push(Line::raw(""));
    lines.push(keys_line(form, inner));

    let height = (lines.len() as u16 + 2).min(size.height);
    let area = super::overlays::centered(size, width, height);
    let mut title = form.title.clone();
    if all_rows > shown_rows {
        title.push_str(" (↑↓ more fields)");
    }
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(pane_block(title, true)), area);
    if let Some((row, col)) = cursor
        && row >= scroll
        && row < scroll + shown_rows
    {
        frame.set_cursor_position(Position::new(
            area.x + 1 + col as u16,
            area.y + 1 + (row - scroll) as u16,
        ));
    }
}

/// "▸   Notes: " or the blank of its width: the label column.
fn lead(
    field: &Field,
    focused: bool,
    first: bool,
    scrolled: bool,
    cols: &Columns,
) -> Vec<Span<'static>> {
    if !first {
        return vec![Span::raw(" ".repeat(cols.lead))];
    }
    let mark = if focused { "▸" } else { " " };
    let style = if focused { Theme::key() } else { Theme::dim() };
    // Scrolled sideways: "…" after the colon says the value starts further left.
    let gap = if scrolled { ":…" } else { ": " };
    vec![
        Span::styled(mark, Theme::key()),
        Span::styled(format!("{:>w$}{gap}", field.label, w = cols.label), style),
    ]
}

/// A one-line field: the value from its start, or (focused) scrolled to keep the cursor in
/// view; "…" marks what is cut on either side.
fn one_line(field: &Field, focused: bool, cols: &Columns) -> Drawn {
    let chars: Vec<(String, usize)> = field.value.chars().map(shown).collect();
    let cursor = field.cursor.min(chars.len());
    // The first char shown: the cursor's column stays within the room.
    let mut start = 0;
    if focused {
        let mut used = 0;
        start = cursor;
        while start > 0 && used + chars[start - 1].1 < cols.room {
            used += chars[start - 1].1;
            start -= 1;
        }
    }
    let (text, cut) = window(&chars[start..], cols.room);
    let column = chars[start..cursor].iter().map(|c| c.1).sum();
    let mut spans = lead(field, focused, true, start > 0, cols);
    // A default the first key replaces looks like one.
    spans.push(match field.untouched_default {
        true => Span::styled(text, Theme::dim()),
        false => Span::raw(text),
    });
    if cut {
        spans.push(Span::styled("…", Theme::dim()));
    }
    Drawn {
        rows: vec![Line::from(spans)],
        cursor: Some((0, column)),
    }
}

/// The chars that fit in `room` columns, and whether any were left out.
fn window(chars: &[(String, usize)], room: usize) -> (String, bool) {
    let mut text = String::new();
    let mut used = 0;
    for (i, (s, w)) in chars.iter().enumerate() {
        if used + w > room {
            return (text, i < chars.len());
        }
        used += w;
        text.push_str(s);
    }
    (text, false)
}

/// A multi-line field: each of its lines wrapped to the room; all of them when `rows` hold
/// them, else the `rows` around the cursor (focused) or the first ones.
fn multi_line(field: &Field, focused: bool, cols: &Columns, rows: usize) -> Drawn {
    let (cursor_line, cursor_col) = field.cursor_line_col();
    // Each wrapped row: its text, and for the cursor's line where the cursor falls.
    let mut wrapped: Vec<String> = Vec::new();
    let mut at = (0, 0);
    for (n, line) in field.value.split('\n').enumerate() {
        let chars: Vec<(String, usize)> = line.chars().map(shown).collect();
        let mut start = 0;
        loop {
            let taken = text_len(&chars[start..], cols.room);
            let end = start + taken;
            let text: String = chars[start..end].iter().map(|c| c.0.as_str()).collect();
            let last = end >= chars.len();
            if n == cursor_line && cursor_col >= start && (cursor_col < end || last) {
                let column = chars[start..cursor_col.min(chars.len())]
                    .iter()
                    .map(|c| c.1)
                    .sum();
                at = (wrapped.len(), column);
            }
            wrapped.push(text);
            if last || taken == 0 {
                break;
            }
            start = end;
        }
    }
    let total = wrapped.len();
    let rows = rows.min(total).max(1);
    let first = if focused {
        at.0.saturating_sub(rows - 1)
    } else {
        0
    };
    let mut lines = Vec::new();
    for (i, text) in wrapped.into_iter().enumerate().skip(first).take(rows) {
        let mut spans = lead(field, focused, i == first, false, cols);
        spans.push(Span::raw(text));
        lines.push(Line::from(spans));
    }
    if total > rows {
        let more = format!(
            "{}rows {}–{} of {total}; ↑↓ move",
            " ".repeat(cols.lead),
            first + 1,
            first + rows
        );
        lines.push(Line::styled(more, Theme::dim()));
    }
    Drawn {
        rows: lines,
        cursor: Some((at.0.saturating_sub(first), at.1)),
    }
}

/// How many of `chars` go on one row of `room` columns: up to the last space that fits when
/// the rest goes on (words stay whole), at least one char so that wrapping moves on.
fn text_len(chars: &[(String, usize)], room: usize) -> usize {
    let mut used = 0;
    for (i, (_, w)) in chars.iter().enumerate() {
        if used + w > room {
            let after_space = chars[..i].iter().rposition(|(s, _)| s == " ");
            return after_space.map_or(i, |at| at + 1).max(1);
        }
        used += w;
    }
    chars.len()
}

/// What goes under a field: its problem, else what a date reads as, else (focused) a hint;
/// wrapped under the value.
fn note(field: &Field, focused: bool, cols: &Columns) -> Vec<Line<'static>> {
    let (text, style) = match (&field.error, &field.preview) {
        (Some(e), _) => (format!("✗ {}", sanitize_line(e)), Theme::bad()),
        (None, Some(p)) => (sanitize_line(p).into_owned(), Theme::good()),
        (None, None) if focused => (field.hint.clone(), Theme::dim()),
        (None, None) => return Vec::new(),
    };
    let width = cols.inner.saturating_sub(cols.lead).max(12);
    let pad = " ".repeat(cols.inner.saturating_sub(width).min(cols.lead));
    wrap_words(&text, width)
        .into_iter()
        .map(|part| Line::styled(format!("{pad}{part}"), style))
        .collect()
}

/// The keys of the focused field, from the key table, as many as fit.
fn keys_line(form: &Form, width: usize) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, what) in form_hints(form) {
        let needed = display_width(&key) + 1 + what.len() + 3;
        if used + needed > width {
            break;
        }
        used += needed;
        spans.push(Span::styled(key, Theme::key()));
        spans.push(Span::raw(format!(" {what}   ")));
    }
    Line::from(spans)
}
