//! The Agenda view: what `kith today` shows (follow-ups overdue, due today and coming up,
//! people past their cadence, birthdays this week), and the brief of the line's contact.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Areas, Theme, pane_block, row_line, visible};
use crate::agenda::{Entry, Group};
use crate::dates::relative_date;
use crate::output::{name_told_apart, sanitize_line, truncate};
use crate::tui::app::{App, Pane};

pub fn draw(frame: &mut Frame, app: &App, areas: &Areas) {
    let focused = app.pane == Pane::List;
    let items = &app.agenda;
    let block = pane_block(format!("Agenda {}", items.len()), focused);
    let width = areas.list.width as usize;
    let mut lines = Vec::new();
    for row in visible(app.offset[2], areas.list.height as usize, items.len()) {
        let Some(entry) = items.entry(row) else {
            continue;
        };
        let (badge, style, what) = describe(entry, items.date);
        let badge = format!("{:<9}", truncate(&badge, 9));
        let who = match entry.contact() {
            Some(c) => name_told_apart(entry.who(), c.id, items.namesakes.contains(&c.id)),
            None => sanitize_line(entry.who()).into_owned(),
        };
        let text = format!("{who}: {}", sanitize_line(&what));
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

/// "1 day over", "3 days over"; "due today" on the day the cadence runs out.
fn over(days: i64) -> String {
    match usize::try_from(days) {
        Ok(n) if n > 0 => format!("{} over", crate::output::plural(n, "day", "days")),
        _ => "due today".to_string(),
    }
}

/// An entry's badge, its colour and what it is about, from the agenda's values.
fn describe(entry: Entry<'_>, today: chrono::NaiveDate) -> (String, ratatui::style::Style, String) {
    match entry {
        Entry::FollowUp(Group::Overdue, f) => {
            (format!("{}d late", -f.days), Theme::bad(), f.text.clone())
        }
        Entry::FollowUp(Group::Today, f) => ("today".into(), Theme::warn(), f.text.clone()),
        Entry::FollowUp(Group::Upcoming, f) => {
            (format!("in {}d", f.days), Theme::good(), f.text.clone())
        }
        Entry::Reconnect(r) => (
            "reconnect".into(),
            Theme::accent(),
            format!(
                "every {}, {}{}",
                r.cadence,
                over(r.days_overdue),
                r.health
                    .map(|h| format!(", health {h}"))
                    .unwrap_or_default()
            ),
        ),
        Entry::OrgReconnect(o) => (
            "reconnect".into(),
            Theme::accent(),
            format!(
                "nobody there contacted: every {}, {}",
                o.cadence,
                over(o.days_overdue)
            ),
        ),
        Entry::Date(d) => {
            let years = d.years.filter(|&y| y >= 1).map(|y| format!(" ({y})"));
            let years = years.unwrap_or_default();
            let when = relative_date(d.on, today);
            (
                "date".into(),
                Theme::accent(),
                format!("{}{years}, {when}", d.label),
            )
        }
    }
}
