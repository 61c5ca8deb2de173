//! What opens over the views: the help (generated from the key table), forms, questions.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Theme, pane_block, wrap_words};
use crate::output::brief::conflict_value;
use crate::output::{display_width, sanitize_line};
use crate::store::sync::ConflictRow;
use crate::tui::form::Form;
use crate::tui::keys::{self, BINDINGS, Scope};

/// A box of `width`×`height` in the middle of `size`.
pub(super) fn centered(size: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(size.width);
    let height = height.min(size.height);
    Rect::new(
        size.x + (size.width - width) / 2,
        size.y + (size.height - height) / 2,
        width,
        height,
    )
}

/// The help's lines for a box `width` columns wide, from the key table: the keys in a
/// column as wide as the widest, each description after a gap and wrapped under itself
/// (on a narrow screen, under the keys).
pub fn help_lines(width: usize) -> Vec<Line<'static>> {
    let keys_width = BINDINGS
        .iter()
        .map(|b| display_width(&keys::keys_label(b)))
        .max()
        .unwrap_or(0);
    let indent = 2 + keys_width + 2;
    // Room enough for a description beside the keys, or each goes on lines of its own.
    let beside = width.saturating_sub(indent) >= 24;
    let mut lines = Vec::new();
    for scope in [
        Scope::Browse,
        Scope::Filter,
        Scope::Form,
        Scope::MultiLine,
        Scope::Confirm,
        Scope::Conflict,
    ] {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(scope.title(), Theme::section()));
        for b in BINDINGS.iter().filter(|b| b.scope == scope) {
            let label = keys::keys_label(b);
            if beside {
                let text = wrap_words(b.help, width - indent);
                for (i, part) in text.into_iter().enumerate() {
                    let keys = if i == 0 { label.as_str() } else { "" };
                    let pad = keys_width - display_width(keys);
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {keys}{}  ", " ".repeat(pad)), Theme::key()),
                        Span::raw(part),
                    ]));
                }
            } else {
                lines.push(Line::styled(format!("  {label}"), Theme::key()));
                for part in wrap_words(b.help, width.saturating_sub(6)) {
                    lines.push(Line::raw(format!("      {part}")));
                }
            }
        }
    }
    lines.push(Line::raw(""));
    for part in wrap_words(
        "Mouse: the wheel scrolls, a click selects (a tab, a row, a pane).",
        width,
    ) {
        lines.push(Line::styled(part, Theme::dim()));
    }
    lines
}

pub fn help(frame: &mut Frame, size: Rect, scroll: u16) {
    let area = centered(size, 100, size.height.saturating_sub(2));
    let lines = help_lines(area.width.saturating_sub(2) as usize);
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

pub fn form(frame: &mut Frame, size: Rect, form: &Form) {
    super::form_box::draw(frame, size, form);
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

/// A sync conflict: kith's value kept, the server's beside it, and the choice.
pub fn conflict(frame: &mut Frame, size: Rect, c: &ConflictRow, name: &str) {
    let area = centered(size, 72, 9);
    let inner = usize::from(area.width.saturating_sub(4));
    let side = |who: &str, lines: &[String]| {
        let text = format!("{who}{}", conflict_value(lines));
        Line::raw(crate::output::truncate(&text, inner).into_owned())
    };
    let lines = vec![
        Line::from(format!(
            "{} of {}: changed on both sides",
            sanitize_line(&c.property),
            sanitize_line(name)
        ))
        .style(Theme::heading()),
        side("kith kept:   ", &c.kept),
        side(&format!("{} had: ", sanitize_line(&c.account)), &c.server),
        Line::raw(""),
        Line::from(vec![
            Span::styled(" s", Theme::key()),
            Span::raw(" take the server's   "),
            Span::styled("k", Theme::key()),
            Span::raw(" keep kith's   "),
            Span::styled("Esc", Theme::key()),
            Span::raw(" later"),
        ]),
    ];
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(pane_block("Sync conflict".into(), true)),
        area,
    );
}
