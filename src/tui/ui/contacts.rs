//! The Contacts view: the filter bar, the list with matched characters highlighted, and the
//! selected contact's brief with its timeline.

use ratatui::Frame;
use ratatui::layout::Position;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{
    Areas, Theme, brief_lines, detail_paragraph, pane_block, row_line, scroll_to, timeline_rows,
    visible,
};
use crate::output::doc::SectionKind;
use crate::output::sanitize_line;
use crate::tui::app::{App, Mode, Pane, View};

/// The brief's sections in the order the pane shows them: how to reach them (in view at
/// 80×24, for a call), then what needs doing.
const ORDER: &[(SectionKind, Option<&str>)] = &[
    (
        SectionKind::SyncConflicts,
        Some("Sync conflicts (c: take the server's or keep)"),
    ),
    (SectionKind::Reach, None),
    (SectionKind::FollowUps, None),
    (SectionKind::KeepingInTouch, None),
    (SectionKind::CadenceAndDates, None),
    (SectionKind::Recent, Some("Timeline")),
    (SectionKind::Company, None),
    (SectionKind::Relationships, None),
    (SectionKind::Notes, None),
];

pub fn draw(frame: &mut Frame, app: &App, areas: &Areas) {
    draw_filter(frame, app, areas);
    draw_list(frame, app, areas);
    draw_brief(frame, app, areas);
}

fn draw_filter(frame: &mut Frame, app: &App, areas: &Areas) {
    let typing = app.mode == Mode::Filter;
    let block = pane_block("Filter (/)".into(), typing);
    let text = sanitize_line(&app.filter_text).into_owned();
    let line = if text.is_empty() && !typing {
        Line::from(Span::styled("press / to filter", Theme::dim()))
    } else {
        Line::from(vec![
            Span::styled("/ ", Theme::key()),
            Span::raw(text.clone()),
        ])
    };
    frame.render_widget(Paragraph::new(line).block(block), areas.filter);
    if typing {
        let x = areas.filter.x + 3 + crate::output::display_width(&text) as u16;
        frame.set_cursor_position(Position::new(
            x.min(areas.filter.right().saturating_sub(2)),
            areas.filter.y + 1,
        ));
    }
}

fn draw_list(frame: &mut Frame, app: &App, areas: &Areas) {
    let focused = app.pane == Pane::List && app.mode != Mode::Filter;
    let results = app.shown();
    let cursor = app.cursor[0];
    let total = app
        .contact_total()
        .map_or_else(|| "…".to_string(), |n| n.to_string());
    let title = if app.filter_text.is_empty() {
        format!("Contacts {total}")
    } else if app.early_answer_due() {
        // What was typed is drawn before the stored chunks are searched for it: the rows
        // are still the last answer's, so no count is claimed for this text yet.
        format!("Contacts …/{total} searching")
    } else {
        let matched = app
            .match_total()
            .map_or_else(|| "…".to_string(), |n| n.to_string());
        match app.filter_progress() {
            // The scan goes on: so many found so far.
            Some(percent) => format!("Contacts {matched}+/{total} searching {percent}%"),
            None => format!("Contacts {matched}/{total}"),
        }
    };
    let block = pane_block(title, focused || app.mode == Mode::Filter);
    let width = areas.list.width as usize;
    // The health column ("84↓") at the right, when it is known and there is room.
    let health_width = if app.data.health.is_empty() || width < 24 {
        0
    } else {
        4
    };
    // Names keep their room; the organization gives up what the health takes.
    let name_width = (width.saturating_sub(2) * 3 / 5).max(12);
    let width = width.saturating_sub(health_width);
    let mut lines = Vec::new();
    for row in visible(app.offset[0], areas.list.height as usize, results.len()) {
        let Some(contact) = app.contact_at(row) else {
            continue;
        };
        let positions = app.shown_positions(row);
        let mut spans = Vec::new();
        let name = sanitize_line(&contact.name).into_owned();
        let name_chars = contact.name.chars().count();
        // A neighbour of the same name (the list is in name order, and namesakes score
        // alike in a filter's): each says its #id, as the brief does.
        let namesake = [row.checked_sub(1), row.checked_add(1)]
            .into_iter()
            .flatten()
            .filter_map(|other| app.contact_at(other))
            .any(|other| other.name == contact.name && other.id != contact.id);
        let id = if namesake {
            format!(" #{}", contact.id)
        } else {
            String::new()
        };
        let room = name_width.saturating_sub(id.len());
        spans.extend(highlighted(&name, positions, 0, room));
        let shown = crate::output::display_width(&crate::output::truncate(&name, room));
        if !id.is_empty() {
            spans.push(Span::styled(id.clone(), Theme::dim()));
        }
        spans.push(Span::raw(" ".repeat(room.saturating_sub(shown) + 1)));
        if let Some(org) = &contact.organization {
            let org = sanitize_line(org).into_owned();
            let room = width.saturating_sub(name_width + 3);
            let mut org_spans = highlighted(&org, positions, name_chars + 2, room);
            for s in &mut org_spans {
                if s.style == ratatui::style::Style::default() {
                    s.style = Theme::dim();
                }
            }
            spans.extend(org_spans);
        }
        if health_width > 0 {
            spans.push(health_span(app, contact.id, &spans, width));
        }
        lines.push(row_line(
            spans,
            row == cursor,
            focused || app.mode == Mode::Filter,
        ));
    }
    if results.is_empty() {
        // One short line each, for the list's narrow column.
        let message: &[&str] = if app.match_total().is_none() {
            &["Filtering once all load…"]
        } else if app.filter_progress().is_some() {
            &["Searching…"]
        } else if app.data.contacts.is_empty() {
            &["No contacts yet:", "press a to add one."]
        } else if app.mode == Mode::Filter {
            // The first Esc only leaves the filter bar (keys.rs).
            &["No one matches:", "Esc twice clears the filter."]
        } else {
            &["No one matches:", "Esc clears the filter."]
        };
        for line in message {
            lines.push(Line::styled(*line, Theme::dim()));
        }
    }
    frame.render_widget(Paragraph::new(lines).block(block), areas.list_block);
}

/// The contact's health, right-aligned after the columns `before` takes of `width`: "84↓",
/// coloured as `kith health` colours it.
fn health_span(app: &App, id: i64, before: &[Span<'static>], width: usize) -> Span<'static> {
    let used: usize = before
        .iter()
        .map(|s| crate::output::display_width(&s.content))
        .sum();
    // The row's "▸ " mark takes two columns before the spans.
    let pad = " ".repeat(width.saturating_sub(2 + used));
    let Some(mark) = app.data.health.get(&id) else {
        return Span::raw(format!("{pad}    "));
    };
    let arrow = mark.trend.map_or(" ", |t| t.arrow());
    let style = match crate::output::health::score_role(mark.score) {
        crate::output::Role::Bad => Theme::bad(),
        crate::output::Role::Warn => Theme::warn(),
        _ => Theme::good(),
    };
    Span::styled(format!("{pad}{:>3}{arrow}", mark.score), style)
}

/// `text` cut to `max` columns, the characters at `positions` (offset by `base`) highlighted.
/// Sanitizing may change lengths only for control characters, which never match.
fn highlighted(text: &str, positions: &[usize], base: usize, max: usize) -> Vec<Span<'static>> {
    let text = crate::output::truncate(text, max).into_owned();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut current = String::new();
    let mut current_hit = false;
    for (i, c) in text.chars().enumerate() {
        let hit = positions.binary_search(&(base + i)).is_ok();
        if hit != current_hit && !current.is_empty() {
            spans.push(span(std::mem::take(&mut current), current_hit));
        }
        current_hit = hit;
        current.push(c);
    }
    if !current.is_empty() {
        spans.push(span(current, current_hit));
    }
    spans
}

fn span(text: String, hit: bool) -> Span<'static> {
    if hit {
        Span::styled(text, Theme::matched())
    } else {
        Span::raw(text)
    }
}

pub(crate) fn draw_brief(frame: &mut Frame, app: &App, areas: &Areas) {
    let focused = app.pane == Pane::Detail && app.mode == Mode::Browse;
    let Some(brief) = &app.brief else {
        let block = pane_block("Details".into(), focused);
        frame.render_widget(
            Paragraph::new(Line::styled("Nothing selected.", Theme::dim())).block(block),
            areas.detail,
        );
        return;
    };
    let mut title = if app.view == View::Agenda {
        "Contact".to_string()
    } else {
        "Brief".to_string()
    };
    // The ▸ has moved on and this contact's brief follows from a thread (a large book).
    if app
        .selected_contact()
        .is_some_and(|(id, _)| id != brief.contact.id)
    {
        title.push_str(" · loading…");
    }
    if super::compact(frame.area()) {
        title.push_str(" (Esc: list)");
    }
    let block: Block<'static> = pane_block(title, focused);
    let inner_width = areas.detail.width.saturating_sub(2) as usize;
    // The same brief as `kith show`, with what needs doing first and the timeline fitted.
    let mut doc = crate::output::brief::contact_doc(brief);
    crate::output::brief::add_rhythm(&mut doc, brief);
    // The ▸ shows what `d` and `s` act on: on the agenda, the line, unless the brief is focused.
    // A timeline row selected (j past the follow-ups) takes the mark from the follow-ups.
    let selected_row = app.selected_interaction().and(app.timeline_cursor);
    let marks_here = app.view != View::Agenda || app.pane == Pane::Detail;
    let mark = (marks_here && !brief.follow_ups.is_empty() && selected_row.is_none())
        .then_some(app.follow_up_cursor);
    let timeline = timeline_rows(
        &brief.interactions,
        brief.contact.id,
        inner_width,
        selected_row,
        app.expanded,
    );
    let mut lines = brief_lines(
        &doc,
        inner_width,
        ORDER,
        vec![(SectionKind::Recent, timeline)],
        &brief.follow_ups,
        mark,
    );
    if let Some(path) = &app.introduction {
        let at = doc.head.len().min(lines.len());
        lines.splice(
            at..at,
            super::network::introduction_lines(path, inner_width),
        );
    }
    let mut scroll = app.detail_scroll;
    if let Some(row) = selected_row {
        let at = lines
            .iter()
            .position(|l| l.spans.first().is_some_and(|s| s.content == "▸ "));
        let body = brief
            .interactions
            .get(row)
            .filter(|i| app.expanded == Some(i.id))
            .and_then(|i| i.body.as_deref())
            .map_or(0, |b| {
                crate::output::brief::body_lines(b, Some(inner_width)).len()
            });
        if let Some(at) = at {
            let height = areas.detail.height.saturating_sub(2) as usize;
            scroll = scroll_to(scroll, at, body, height);
        }
    }
    detail_paragraph(frame, areas.detail, block, lines, scroll);
}
