//! Drawing, from the state alone: no database, no I/O. One file per view, plus the frame
//! around them (tabs, status line, key hints) and the overlays (help, forms, questions).
//! From 80 columns the list and the details sit side by side; from 60×20 up to that, one
//! pane fills the screen (the list, or the details once opened); below, a note says so.
//!
//! Focus and selection show in the text too (▸ marks, heavy borders), not only in colour, so
//! they read the same with `NO_COLOR` and in a screen capture.

mod agenda;
mod contacts;
mod form_box;
mod network;
mod organizations;
mod overlays;
mod tags;

use std::sync::OnceLock;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use super::app::{App, Mode, Pane, View};
use super::keys::{self, Scope};
use crate::app::views::{FollowUpItem, Urgency};
use crate::output::Role;
use crate::output::doc::{self, SectionKind};

/// The smallest terminal the layout is made for.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 20;
/// From this width the list and the details sit side by side; below, one at a time.
pub const SIDE_BY_SIDE: u16 = 80;

/// Whether a screen of `size` shows one pane at a time.
pub fn compact(size: Rect) -> bool {
    size.width < SIDE_BY_SIDE
}

/// Where everything goes on a screen of `size`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Areas {
    pub tabs: Rect,
    /// The filter bar (Contacts view only; empty otherwise).
    pub filter: Rect,
    /// The list block, and the rows inside it.
    pub list_block: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub status: Rect,
    pub footer: Rect,
}

/// Where everything goes on a screen of `size` with `pane` focused (on a narrow screen only
/// that pane is shown; the other's areas are empty).
pub fn layout(view: View, pane: Pane, size: Rect) -> Areas {
    let [tabs, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(size);
    // The agenda's lines carry more text than names do: its list gets more room.
    let left_width = match view {
        View::Agenda => (size.width * 11 / 20).clamp(44, 100),
        _ => (size.width * 2 / 5).clamp(30, 56),
    };
    let [left, detail] = if !compact(size) {
        Layout::horizontal([Constraint::Length(left_width), Constraint::Min(0)]).areas(body)
    } else if pane == Pane::List {
        [body, Rect::default()]
    } else {
        [Rect::default(), body]
    };
    let (filter, list_block) = if view == View::Contacts && !left.is_empty() {
        let [f, l] = Layout::vertical([Constraint::Length(3), Constraint::Min(0)]).areas(left);
        (f, l)
    } else {
        (Rect::default(), left)
    };
    Areas {
        tabs,
        filter,
        list_block,
        list: list_block.inner(ratatui::layout::Margin::new(1, 1)),
        detail,
        status,
        footer,
    }
}

/// Semantic styles; colour only when `NO_COLOR` is unset.
pub(crate) struct Theme;

fn colour() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()))
}

impl Theme {
    fn fg(c: Color) -> Style {
        if colour() {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }
    pub fn heading() -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn section() -> Style {
        Theme::fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn dim() -> Style {
        Theme::fg(Color::DarkGray)
    }
    pub fn matched() -> Style {
        Theme::fg(Color::Yellow).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn selected(focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }
    pub fn bad() -> Style {
        Theme::fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn warn() -> Style {
        Theme::fg(Color::Yellow)
    }
    pub fn good() -> Style {
        Theme::fg(Color::Green)
    }
    pub fn accent() -> Style {
        Theme::fg(Color::Magenta)
    }
    pub fn key() -> Style {
        Theme::fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
}

/// A pane's frame: heavy and bright when it has the focus.
pub(crate) fn pane_block(title: String, focused: bool) -> Block<'static> {
    let block = Block::bordered().title(Line::from(format!(" {title} ")));
    if focused {
        block
            .border_type(BorderType::Thick)
            .border_style(Theme::fg(Color::Cyan))
            .title_style(Theme::heading())
    } else {
        block.border_style(Theme::dim())
    }
}

/// A row of a list: "▸ " marks the selected one.
pub(crate) fn row_line(
    mut spans: Vec<Span<'static>>,
    selected: bool,
    focused: bool,
) -> Line<'static> {
    let mark = if selected { "▸ " } else { "  " };
    spans.insert(0, Span::raw(mark));
    let line = Line::from(spans);
    if selected {
        line.style(Theme::selected(focused))
    } else {
        line
    }
}

/// The rows `offset..offset+height` of a list, as lines.
pub(crate) fn visible(offset: usize, height: usize, count: usize) -> std::ops::Range<usize> {
    let start = offset.min(count);
    start..(start + height).min(count)
}

pub fn draw(frame: &mut Frame, app: &App) {
    let size = frame.area();
    if size.width < MIN_WIDTH || size.height < MIN_HEIGHT {
        too_small(frame, size);
        return;
    }
    let areas = layout(app.view, app.pane, size);
    draw_tabs(frame, app, areas.tabs);
    match app.view {
        View::Contacts => contacts::draw(frame, app, &areas),
        View::Organizations => organizations::draw(frame, app, &areas),
        View::Agenda => agenda::draw(frame, app, &areas),
        View::Tags => tags::draw(frame, app, &areas),
    }
    draw_status(frame, app, areas.status);
    draw_footer(frame, app, areas.footer);
    match &app.mode {
        Mode::Help => overlays::help(frame, size, app.help_scroll),
        Mode::Form(form) => overlays::form(frame, size, form),
        Mode::ConfirmArchive { name, .. } => overlays::confirm_archive(frame, size, name),
        Mode::Conflict { conflict, name } => overlays::conflict(frame, size, conflict, name),
        Mode::Browse | Mode::Filter => {}
    }
}

fn too_small(frame: &mut Frame, size: Rect) {
    let text = Text::from(vec![
        Line::from(format!(
            "Terminal too small: kith needs at least {MIN_WIDTH}×{MIN_HEIGHT}."
        ))
        .style(Theme::heading()),
        Line::from(format!("This one is {}×{}.", size.width, size.height)),
        Line::from("Make the window larger, or press q to quit."),
    ]);
    let height = 6.min(size.height);
    let area = Rect::new(
        size.x,
        size.y + size.height.saturating_sub(height) / 2,
        size.width,
        height,
    );
    frame.render_widget(
        Paragraph::new(text)
            .alignment(ratatui::layout::Alignment::Center)
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// The tab labels and where each one starts.
fn tabs(size: Rect) -> Vec<(View, u16, String)> {
    let mut x = size.x + 7; // after " kith  "
    View::ALL
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let label = format!(" {} {} ", i + 1, v.title());
            let start = x;
            x += label.chars().count() as u16 + 1;
            (*v, start, label)
        })
        .collect()
}

/// Which view's tab is at `at`, if any.
pub fn tab_at(size: Rect, at: Position) -> Option<View> {
    if at.y != size.y {
        return None;
    }
    tabs(size)
        .into_iter()
        .find(|(_, start, label)| at.x >= *start && at.x < start + label.chars().count() as u16)
        .map(|(v, _, _)| v)
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    let mut spans = vec![Span::styled(" kith  ", Theme::heading())];
    for (view, _, label) in tabs(area) {
        let style = if view == app.view {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Theme::dim()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    let due = app.data.due_by(app.clock.today());
    // Not while the first load runs: the first frame of a large address book does not wait
    // for the count and the due dates.
    let summary = match app.contact_total() {
        Some(n) if app.loading.as_ref().is_none_or(|l| !l.partial) => {
            let noun = if n == 1 { "contact" } else { "contacts" };
            format!("{n} {noun} · {due} due ")
        }
        _ => String::new(),
    };
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let room = (area.width as usize).saturating_sub(used);
    if summary.chars().count() <= room {
        spans.push(Span::raw(" ".repeat(room - summary.chars().count())));
        spans.push(Span::styled(summary, Theme::dim()));
    }
    frame.render_widget(Line::from(spans), area);
}

/// The status line: what is going on and the last message, then "│", then the book's path
/// (cut from the left when long). Its parts are separated by " · ".
fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    use crate::output::{display_width, sanitize_line, truncate};
    const BAR: &str = " │ ";
    let width = area.width as usize;
    let db = format!(
        "{}{}",
        if app.demo { "demo db: " } else { "db: " },
        app.db_path.display()
    );
    let db = sanitize_line(&db).into_owned();
    // What is going on first, so that a narrow screen cuts the older message, not the hint.
    let mut parts = Vec::new();
    if let Some(loading) = &app.loading {
        let count = loading.total.map(|n| format!("{n} ")).unwrap_or_default();
        parts.push(format!("loading {count}contacts…"));
    }
    if app.agenda_loading.is_some() && app.view == View::Agenda {
        parts.push("working out the agenda…".to_string());
    }
    let style = match &app.status {
        Some(s) if s.error => {
            parts.push(format!("✗ {}", sanitize_line(&s.text)));
            Theme::bad()
        }
        Some(s) => {
            parts.push(sanitize_line(&s.text).into_owned());
            Theme::good()
        }
        None => Style::new(),
    };
    let text = format!(" {}", parts.join(" · "));
    // The message first; the path gets what it leaves (at least its last few characters).
    let db_width = db
        .chars()
        .count()
        .min(width.saturating_sub(24))
        .min(width.saturating_sub(display_width(&text) + 4).max(12));
    let db_shown: String = if db.chars().count() > db_width {
        let skip = db.chars().count() - db_width + 1;
        format!("…{}", db.chars().skip(skip).collect::<String>())
    } else {
        db
    };
    let room = width.saturating_sub(display_width(&db_shown) + display_width(BAR));
    let text = truncate(&text, room).into_owned();
    let pad = room.saturating_sub(display_width(&text));
    let line = Line::from(vec![
        Span::styled(text, style),
        Span::raw(" ".repeat(pad)),
        Span::styled(BAR, Theme::dim()),
        Span::styled(db_shown, Theme::dim()),
    ]);
    frame.render_widget(line, area);
}

fn draw_footer(frame: &mut Frame, app: &App, area: Rect) {
    let scope = match app.mode {
        Mode::Browse | Mode::Help => Scope::Browse,
        Mode::Filter => Scope::Filter,
        Mode::Form(_) => Scope::Form,
        Mode::ConfirmArchive { .. } => Scope::Confirm,
        Mode::Conflict { .. } => Scope::Conflict,
    };
    let hints = match &app.mode {
        Mode::Form(form) => form_hints(form),
        _ => keys::hints(scope),
    };
    let (tail, main): (Vec<_>, Vec<_>) = hints
        .into_iter()
        .partition(|(_, hint)| matches!(*hint, "help" | "quit"));
    let span_pair = |(key, hint): &(String, &str)| {
        vec![
            Span::styled(key.clone(), Theme::key()),
            Span::raw(format!(" {hint}  ")),
        ]
    };
    let width = |pair: &(String, &str)| pair.0.chars().count() + pair.1.chars().count() + 3;
    let reserved: usize = tail.iter().map(width).sum::<usize>() + 1;
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for pair in &main {
        if used + width(pair) + reserved > area.width as usize {
            break;
        }
        used += width(pair);
        spans.extend(span_pair(pair));
    }
    for pair in &tail {
        spans.extend(span_pair(pair));
    }
    frame.render_widget(Line::from(spans).style(Theme::dim()), area);
}

/// `text` in lines of at most `width` columns, broken between words (a word longer than a
/// line is cut into pieces). At least one line, possibly empty.
pub(crate) fn wrap_words(text: &str, width: usize) -> Vec<String> {
    use crate::output::display_width;
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        loop {
            let gap = usize::from(!line.is_empty());
            if display_width(&line) + gap + display_width(&word) <= width {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // A word wider than the line: as much as fits, the rest on the next line.
            let mut cut = 0;
            let mut used = 0;
            for (i, c) in word.char_indices() {
                let w = display_width(c.encode_utf8(&mut [0; 4]));
                if used + w > width {
                    break;
                }
                used += w;
                cut = i + c.len_utf8();
            }
            let cut = cut.max(word.chars().next().map_or(0, char::len_utf8));
            lines.push(word[..cut].to_string());
            word = word[cut..].to_string();
            if word.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The keys of a form's focused field, from the key table: in a multi-line field Enter
/// starts a new line, so how to save comes from that field's own keys.
pub(crate) fn form_hints(form: &crate::tui::form::Form) -> Vec<(String, &'static str)> {
    if form.fields.get(form.focus).is_some_and(|f| f.multiline) {
        let mut hints = keys::hints(Scope::MultiLine);
        hints.extend(
            keys::hints(Scope::Form)
                .into_iter()
                .filter(|(_, hint)| *hint != "save"),
        );
        hints
    } else {
        keys::hints(Scope::Form)
    }
}

/// The style of a role `output` gives a piece of text.
fn role_style(role: Option<Role>) -> Style {
    match role {
        None => Style::new(),
        Some(Role::Heading) => Theme::heading(),
        Some(Role::Label) => Theme::section(),
        Some(Role::Dim) => Theme::dim(),
        Some(Role::Accent) => Theme::accent(),
        Some(Role::Good) => Theme::good(),
        Some(Role::Warn) => Theme::warn(),
        Some(Role::Bad) => Theme::bad(),
        Some(Role::Highlight) => Theme::matched(),
    }
}

fn spans(line: &doc::Line) -> Vec<Span<'static>> {
    line.spans
        .iter()
        .map(|s| Span::styled(s.text.clone(), role_style(s.role)))
        .collect()
}

/// A brief as `output::brief` lays it out, drawn `width` columns wide: the head, then the
/// sections of `order` (each under its own title, or the one given), a section's lines from
/// `replace` when it has some there. The follow-ups' lines are coloured by where each stands
/// (`follow_ups`, in the same order) and the one at `mark` is marked ▸. A line too long for
/// the pane wraps as `kith show` wraps it, continuing under its text, not at the pane's edge.
pub(crate) fn brief_lines(
    doc: &doc::Doc,
    width: usize,
    order: &[(SectionKind, Option<&str>)],
    mut replace: Vec<(SectionKind, Vec<Line<'static>>)>,
    follow_ups: &[FollowUpItem],
    mark: Option<usize>,
) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = Vec::new();
    for line in &doc.head {
        out.extend(fitted(line, Vec::new(), width, None));
    }
    for &(kind, title) in order {
        let Some(section) = doc.get(kind) else {
            continue;
        };
        out.push(Line::raw(""));
        out.push(Line::styled(
            title.unwrap_or(&section.title).to_string(),
            Theme::section(),
        ));
        if let Some(at) = replace.iter().position(|(k, _)| *k == kind) {
            out.extend(replace.remove(at).1);
            continue;
        }
        for (i, line) in section.lines.iter().enumerate() {
            if kind == SectionKind::FollowUps {
                let urgency = follow_ups.get(i).map(|f| f.urgency);
                out.extend(follow_up_lines(line, width, urgency, mark == Some(i)));
                continue;
            }
            let lead = match &line.mark {
                Some(m) => vec![
                    Span::styled(m.text.clone(), role_style(m.role)),
                    Span::raw(" "),
                ],
                None => vec![Span::raw("  ")],
            };
            out.extend(fitted(line, lead, width, None));
        }
    }
    out
}

/// `line` after `lead` (two columns, or none), wrapped to `width` columns as `kith show`
/// wraps it: the continuation lines indented under the text by the line's hanging indent.
/// Nothing is cut (a health line's reasons, which `kith show` cuts to one line): the pane
/// scrolls. With a `style`, the whole text takes it instead of its roles' styles.
pub(crate) fn fitted(
    line: &doc::Line,
    lead: Vec<Span<'static>>,
    width: usize,
    style: Option<Style>,
) -> Vec<Line<'static>> {
    let lead_width: usize = lead.iter().map(|s| s.width()).sum();
    let mut lead = Some(lead);
    let whole = doc::Line {
        shrink: None,
        ..line.clone()
    };
    whole
        .fit(lead_width, width)
        .iter()
        .map(|piece| {
            let mut parts = lead.take().unwrap_or_else(|| {
                let indent = lead_width + whole.continuation_indent(piece);
                vec![Span::raw(" ".repeat(indent))]
            });
            match style {
                Some(style) => parts.push(Span::styled(piece.text(), style)),
                None => parts.extend(spans(piece)),
            }
            Line::from(parts)
        })
        .collect()
}

/// A follow-up's lines, wholly in the colour of where it stands (the flag, not its text).
fn follow_up_lines(
    line: &doc::Line,
    width: usize,
    urgency: Option<Urgency>,
    marked: bool,
) -> Vec<Line<'static>> {
    let style = match urgency {
        Some(Urgency::Overdue) => Theme::bad(),
        Some(Urgency::DueToday) => Theme::warn(),
        _ => Style::new(),
    };
    if marked {
        let lead = vec![Span::styled("▸ ", Theme::key())];
        fitted(line, lead, width, Some(style.add_modifier(Modifier::BOLD)))
    } else {
        fitted(line, vec![Span::raw("  ")], width, Some(style))
    }
}

/// A timeline fitted to `width` columns: "2026-11-21 call    → Budget approved (with Bob)".
pub(crate) fn timeline(
    interactions: &[crate::model::Interaction],
    about: i64,
    width: usize,
) -> Vec<Line<'static>> {
    use crate::output::{sanitize_line, truncate};
    if interactions.is_empty() {
        return vec![Line::styled("  nothing logged yet: press i", Theme::dim())];
    }
    interactions
        .iter()
        .map(|i| {
            let day = i
                .occurred_at
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d")
                .to_string();
            let arrow = match i.direction {
                Some(crate::model::Direction::In) => "←",
                Some(crate::model::Direction::Out) => "→",
                None => " ",
            };
            let others: Vec<String> = i
                .participants
                .iter()
                .filter(|c| c.id != about)
                .map(|c| sanitize_line(&c.name).into_owned())
                .collect();
            let with = if others.is_empty() || about < 0 {
                if about < 0 {
                    let names: Vec<String> = i
                        .participants
                        .iter()
                        .map(|c| sanitize_line(&c.name).into_owned())
                        .collect();
                    format!(" [{}]", names.join(", "))
                } else {
                    String::new()
                }
            } else {
                format!(" (with {})", others.join(", "))
            };
            let summary = format!(
                "{}{with}{}",
                sanitize_line(&i.summary),
                crate::output::brief::location_note(i)
            );
            // As `kith show` writes it: the summary (a thread's subject) first, then the
            // thread's count and span in what room is left.
            let room = width.saturating_sub(2 + 10 + 1 + 8 + 2);
            let summary = truncate(&summary, room).into_owned();
            let room = room.saturating_sub(crate::output::display_width(&summary));
            let thread = truncate(&crate::output::brief::thread_note(i), room).into_owned();
            let mut spans = vec![
                Span::raw("  "),
                Span::styled(day, Theme::dim()),
                Span::raw(format!(" {:<8}", i.channel.as_str())),
                Span::raw(format!("{arrow} ")),
                Span::raw(summary),
            ];
            if !thread.is_empty() {
                spans.push(Span::styled(thread, Theme::dim()));
            }
            Line::from(spans)
        })
        .collect()
}

/// The brief's timeline with the row at `selected` marked ▸ and the body of the interaction
/// `expanded` under its row (indented, made safe, fitted to `width`).
pub(crate) fn timeline_rows(
    interactions: &[crate::model::Interaction],
    about: i64,
    width: usize,
    selected: Option<usize>,
    expanded: Option<i64>,
) -> Vec<Line<'static>> {
    let rows = timeline(interactions, about, width);
    if interactions.is_empty() {
        return rows;
    }
    let mut out = Vec::with_capacity(rows.len());
    for (index, (mut row, i)) in rows.into_iter().zip(interactions).enumerate() {
        let open = expanded == Some(i.id);
        if selected == Some(index) {
            row.spans[0] = Span::styled("▸ ", Theme::key());
            row = row.style(Style::new().add_modifier(Modifier::BOLD));
        }
        if i.body.is_some() && !open {
            // " …" says there is a body to show; the summary gives up room for it.
            let used: usize = row.spans.iter().map(|s| s.width()).sum();
            if let Some(last) = row.spans.last_mut()
                && used + 2 > width
            {
                let room = last.width().saturating_sub(used + 2 - width);
                let cut = crate::output::truncate(&last.content, room).into_owned();
                last.content = cut.into();
            }
            row.spans.push(Span::styled(" …", Theme::dim()));
        }
        out.push(row);
        if let (true, Some(body)) = (open, &i.body) {
            for text in crate::output::brief::body_lines(body, Some(width.saturating_sub(2))) {
                out.push(Line::from(vec![Span::raw("  "), Span::raw(text)]));
            }
        }
    }
    out
}

/// The scroll that keeps line `at` (and the `after` lines under it, as many as fit) of a
/// pane `height` lines high in view, starting from `scroll`.
pub(crate) fn scroll_to(scroll: u16, at: usize, after: usize, height: usize) -> u16 {
    let height = height.max(1);
    let (at, scroll_at) = (at as u16, scroll as usize);
    if (at as usize) < scroll_at {
        return at;
    }
    let last = at as usize + after.min(height.saturating_sub(1));
    if last >= scroll_at + height {
        return (last + 1 - height) as u16;
    }
    scroll
}

/// Draw a detail pane of styled lines, wrapped and scrolled.
pub(crate) fn detail_paragraph(
    frame: &mut Frame,
    area: Rect,
    block: Block<'static>,
    lines: Vec<Line<'static>>,
    scroll: u16,
) {
    let max_scroll = lines.len().saturating_sub(1) as u16;
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll.min(max_scroll), 0)),
        area,
    );
}

#[cfg(test)]
mod tests {
    use crate::model::{Channel, Direction, Interaction, ThreadSpan};

    fn thread(summary: &str) -> Interaction {
        let at = |s: &str| s.parse().unwrap();
        Interaction {
            id: 7,
            uid: "u".into(),
            occurred_at: at("2026-11-05T12:00:00Z"),
            channel: Channel::Email,
            direction: Some(Direction::In),
            summary: summary.into(),
            body: None,
            participants: Vec::new(),
            organization: None,
            created_at: at("2026-11-05T12:00:00Z"),
            thread: Some(ThreadSpan {
                messages: 3,
                first_at: at("2026-11-02T12:00:00Z"),
                last_at: at("2026-11-05T12:00:00Z"),
            }),
            location: None,
        }
    }

    fn row_text(i: &Interaction, width: usize) -> String {
        let rows = super::timeline(std::slice::from_ref(i), 1, width);
        rows[0].spans.iter().map(|s| s.content.as_ref()).collect()
    }

    /// A mail thread's row reads as `kith show` writes it: its subject, then its count and
    /// dates in the room left; in a narrow pane the subject stays (the trial saw it vanish).
    #[test]
    fn a_thread_row_shows_its_subject_first_then_its_count_and_span() {
        let wide = row_text(&thread("Re: Café budget"), 90);
        assert!(
            wide.ends_with("← Re: Café budget · 3 messages, 2026-11-02 – 2026-11-05"),
            "{wide}"
        );
        let narrow = row_text(&thread("Re: Café budget"), 58);
        assert!(
            narrow.contains("← Re: Café budget · 3 messages"),
            "{narrow}"
        );
        assert!(crate::output::display_width(&narrow) <= 58, "{narrow}");
        let long = "Re: a very long subject that will not fit in a narrow pane at all";
        let cut = row_text(&thread(long), 70);
        assert!(cut.contains("← Re: a very long subject"), "{cut}");
        assert!(crate::output::display_width(&cut) <= 70, "{cut}");
    }

    #[test]
    fn a_meeting_row_says_where_it_was() {
        let mut meeting = thread("Weekly sync");
        meeting.thread = None;
        meeting.channel = Channel::Meeting;
        meeting.location = Some("Berlin-3-Room\x1b[31m".into());
        let text = row_text(&meeting, 80);
        assert!(text.contains("Weekly sync @ Berlin-3-Room"), "{text}");
        assert!(!text.contains('\x1b'), "{text}");
    }
}
