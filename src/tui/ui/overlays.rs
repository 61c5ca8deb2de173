//! What opens over the views: the help (generated from the key table), forms, questions.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Theme, pane_block};
use crate::output::sanitize_line;
use crate::tui::form::Form;
use crate::tui::keys::{self, BINDINGS, Scope};

/// A box of `width`×`height` in the middle of `size`.
fn centered(size: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(size.width);
    let height = height.min(size.height);
    Rect::new(
        size.x + (size.width - width) / 2,
        size.y + (size.height - height) / 2,
        width,
        height,
    )
}

/// The help's lines, from the key table.
pub fn help_lines() -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for scope in [
        Scope::Browse,
        Scope::Filter,
        Scope::Form,
        Scope::MultiLine,
        Scope::Confirm,
    ] {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(scope.title(), Theme::section()));
        for b in BINDINGS.iter().filter(|b| b.scope == scope) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<16}", keys::keys_label(b)), Theme::key()),
                Span::raw(b.help),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Mouse: the wheel scrolls, a click selects (a tab, a row, a pane).",
        Theme::dim(),
    ));
    lines
}

pub fn help(frame: &mut Frame, size: Rect, scroll: u16) {
    let lines = help_lines();
    let area = centered(size, 96, size.height.saturating_sub(2));
    let visible = area.height.saturating_sub(2);
    let max_scroll = (lines.len() as u16).saturating_sub(visible);
    let title = if max_scroll > 0 {
        "Help: j/k scroll, any other key closes"
    } else {
        "Help: any key closes"
    };
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(pane_block(title.into(), true))
            .scroll((scroll.min(max_scroll), 0)),
        area,
    );
}

/// How many lines of a multi-line field the form shows (the ones up to the cursor).
const MULTILINE_ROWS: usize = 4;

pub fn form(frame: &mut Frame, size: Rect, form: &Form) {
    let width = 76.min(size.width.saturating_sub(2));
    let extra_rows: usize = form
        .fields
        .iter()
        .filter(|f| f.multiline)
        .map(|f| (f.value.split('\n').count().min(MULTILINE_ROWS)).saturating_sub(1))
        .sum();
    let height = (form.fields.len() as u16 * 2 + 4 + extra_rows as u16).min(size.height);
    let area = centered(size, width, height);
    let inner_width = width.saturating_sub(2) as usize;
    let label_width = form.fields.iter().map(|f| f.label.len()).max().unwrap_or(0) + 2;
    let mut lines = Vec::new();
    let mut cursor = None;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label = format!("{:>w$}: ", field.label, w = label_width);
        let room = inner_width.saturating_sub(label.chars().count() + 1);
        let label_style = if focused { Theme::key() } else { Theme::dim() };
        let mark = if focused { "▸" } else { " " };
        let (cursor_line, cursor_col) = field.cursor_line_col();
        let first = cursor_line.saturating_sub(MULTILINE_ROWS - 1);
        let rows = if field.multiline { MULTILINE_ROWS } else { 1 };
        for (n, text) in field.value.split('\n').enumerate().skip(first).take(rows) {
            // Keep the cursor in view when the text is longer than the box.
            let chars: Vec<char> = text.chars().collect();
            let start = if n == cursor_line {
                cursor_col.saturating_sub(room.saturating_sub(1))
            } else {
                0
            };
            let shown: String = chars.iter().skip(start).take(room).collect();
            let shown = sanitize_line(&shown).into_owned();
            let lead = if n == first {
                vec![
                    Span::styled(mark, Theme::key()),
                    Span::styled(label.clone(), label_style),
                ]
            } else {
                vec![Span::raw(" ".repeat(label.chars().count() + 1))]
            };
            lines.push(Line::from([lead, vec![Span::raw(shown)]].concat()));
            if focused && n == cursor_line {
                cursor = Some(Position::new(
                    area.x + 2 + label.chars().count() as u16 + (cursor_col - start) as u16,
                    area.y + lines.len() as u16,
                ));
            }
        }
        let pad = " ".repeat(label_width + 3);
        let note = match (&field.error, &field.preview) {
            (Some(e), _) => Line::styled(format!("{pad}✗ {}", sanitize_line(e)), Theme::bad()),
            (None, Some(p)) => Line::styled(format!("{pad}{}", sanitize_line(p)), Theme::good()),
            (None, None) if focused => Line::styled(format!("{pad}{}", field.hint), Theme::dim()),
            (None, None) => Line::raw(""),
        };
        lines.push(note);
    }
    lines.push(Line::raw(""));
    let in_multiline = form.fields.get(form.focus).is_some_and(|f| f.multiline);
    let keys: &[(&str, &str)] = if in_multiline {
        &[
            ("Ctrl-S", "save"),
            ("Enter", "new line"),
            ("Tab", "next field"),
            ("Esc", "cancel"),
        ]
    } else {
        &[("Enter", "save"), ("Tab", "next field"), ("Esc", "cancel")]
    };
    let mut keys_line = vec![Span::raw(" ")];
    for (i, (key, what)) in keys.iter().enumerate() {
        let gap = if i + 1 < keys.len() { "   " } else { "" };
        keys_line.push(Span::styled(*key, Theme::key()));
        keys_line.push(Span::raw(format!(" {what}{gap}")));
    }
    lines.push(Line::from(keys_line));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(pane_block(form.title.clone(), true)),
        area,
    );
    if let Some(c) = cursor {
        frame.set_cursor_position(c);
    }
}

pub fn confirm_archive(frame: &mut Frame, size: Rect, name: &str) {
    let area = centered(size, 60, 7);
    let lines = vec![
        Line::from(format!("Archive {}?", sanitize_line(name))).style(Theme::heading()),
        Line::raw("They leave the lists; their history stays."),
        Line::raw("u (undo) or `kith restore` brings them back."),
        Line::raw(""),
        Line::from(vec![
            Span::styled(" y", Theme::key()),
            Span::raw(" archive   "),
            Span::styled("n", Theme::key()),
            Span::raw(" keep"),
        ]),
    ];
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(pane_block("Archive".into(), true)),
        area,
    );
}
