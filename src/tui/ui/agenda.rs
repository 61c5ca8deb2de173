//! The Agenda view: what `kith today` shows (follow-ups overdue, due today and coming up,
//! people past their cadence, birthdays this week), and the brief of the line's contact.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Areas, Theme, pane_block, row_line, visible};
use crate::output::{sanitize_line, truncate};
use crate::tui::app::{App, Pane};
use crate::tui::data::AgendaSection;

pub fn draw(frame: &mut Frame, app: &App, areas: &Areas) {
    let focused = app.pane == Pane::List;
    let items = &app.agenda;
    let block = pane_block(format!("Agenda {}", items.len()), focused);
    let width = areas.list.width as usize;
    let today = app.clock.today();
    let mut lines = Vec::new();
    for row in visible(app.offset[2], areas.list.height as usize, items.len()) {
        let item = &items[row];
        let days = crate::dates::days_between(today, item.day);
        let (badge, style) = match item.section {
            AgendaSection::Overdue => (format!("{}d late", -days), Theme::bad()),
            AgendaSection::Today => ("today".to_string(), Theme::warn()),
            AgendaSection::Upcoming => (format!("in {days}d"), Theme::good()),
            AgendaSection::KeepInTouch => ("reconnect".to_string(), Theme::accent()),
            AgendaSection::Birthdays => ("date".to_string(), Theme::accent()),
        };
        let badge = format!("{:<9}", truncate(&badge, 9));
        let text = format!(
            "{}: {}",
            sanitize_line(&item.who),
            sanitize_line(&item.text)
        );
        let text = truncate(&text, width.saturating_sub(12)).into_owned();
        lines.push(row_line(
            vec![Span::styled(badge, style), Span::raw(" "), Span::raw(text)],
            row == app.cursor[2],
            focused,
        ));
    }
    if items.is_empty() {
        let message = if app.agenda_loading.is_some() {
            "Working out the agenda…"
        } else {
            "Nothing due. Enjoy the quiet."
        };
        lines.push(Line::styled(message, Theme::dim()));
    }
    frame.render_widget(Paragraph::new(lines).block(block), areas.list_block);
    super::contacts::draw_brief(frame, app, areas);
}
