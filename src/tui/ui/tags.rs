//! The Tags view: every tag with its count, and the people carrying the selected one.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Areas, Theme, pane_block, row_line, visible};
use crate::output::{sanitize_line, truncate};
use crate::tui::app::{App, Pane};

pub fn draw(frame: &mut Frame, app: &App, areas: &Areas) {
    let focused = app.pane == Pane::List;
    let tags = &app.data.tags;
    let block = pane_block(format!("Tags {}", tags.len()), focused);
    let width = areas.list.width as usize;
    let mut lines = Vec::new();
    for row in visible(app.offset[3], areas.list.height as usize, tags.len()) {
        let t = &tags[row];
        let name = truncate(
            &format!("#{}", sanitize_line(&t.name)),
            width.saturating_sub(10),
        )
        .into_owned();
        let count = if t.organizations > 0 {
            format!("{:>3} +{} org", t.contacts, t.organizations)
        } else {
            format!("{:>3}", t.contacts)
        };
        let pad = width.saturating_sub(crate::output::display_width(&name) + count.len() + 3);
        lines.push(row_line(
            vec![
                Span::styled(name, Theme::accent()),
                Span::raw(" ".repeat(pad)),
                Span::styled(count, Theme::dim()),
            ],
            row == app.cursor[3],
            focused,
        ));
    }
    if tags.is_empty() {
        lines.push(Line::styled(
            "No tags yet: t tags the selected contact.",
            Theme::dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).block(block), areas.list_block);

    let detail_focused = app.pane == Pane::Detail;
    let title = match tags.get(app.cursor[3]) {
        Some(t) => format!(
            "People tagged #{} ({})",
            sanitize_line(&t.name),
            app.tag_people.len()
        ),
        None => "People".to_string(),
    };
    let block = pane_block(title, detail_focused);
    let inner = areas.detail.height.saturating_sub(2) as usize;
    let offset = app.tag_cursor.saturating_sub(inner.saturating_sub(1));
    let width = areas.detail.width.saturating_sub(4) as usize;
    let mut lines = Vec::new();
    for row in visible(offset, inner, app.tag_people.len()) {
        let p = &app.tag_people[row];
        let org = p
            .organization
            .as_deref()
            .map(|o| format!("  {}", sanitize_line(o)))
            .unwrap_or_default();
        let text = truncate(&format!("{}{org}", sanitize_line(&p.name)), width).into_owned();
        lines.push(row_line(
            vec![Span::raw(text)],
            detail_focused && row == app.tag_cursor,
            detail_focused,
        ));
    }
    if !detail_focused && !app.tag_people.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "Tab or Enter to pick one; Enter again opens them.",
            Theme::dim(),
        ));
    }
    // The organizations carrying it are named too (the Organizations view opens them): a
    // tag only organizations carry showed an empty pane.
    let tagged: Vec<&str> = match tags.get(app.cursor[3]) {
        Some(t) if t.organizations > 0 => (app.data.organizations.iter())
            .filter(|o| o.tags.contains(&t.name))
            .map(|o| o.name.as_str())
            .collect(),
        _ => Vec::new(),
    };
    if !tagged.is_empty() {
        if !app.tag_people.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            format!(
                "{} (2 Organizations shows them):",
                crate::output::plural(tagged.len(), "organization", "organizations")
            ),
            Theme::dim(),
        ));
        for name in tagged {
            let text = truncate(&format!("  {}", sanitize_line(name)), width).into_owned();
            lines.push(Line::raw(text));
        }
    }
    frame.render_widget(Paragraph::new(lines).block(block), areas.detail);
}
