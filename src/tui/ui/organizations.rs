//! The Organizations view: the list, and the selected one's people and merged timeline.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Areas, Theme, brief_lines, detail_paragraph, pane_block, row_line, timeline, visible};
use crate::output::doc::SectionKind;
use crate::output::{sanitize_line, truncate};
use crate::tui::app::{App, Pane};

/// The organization brief's sections in the order the pane shows them.
const ORDER: &[(SectionKind, Option<&str>)] = &[
    (SectionKind::People, Some("People")),
    (SectionKind::FollowUps, None),
    (SectionKind::Timeline, None),
    (SectionKind::Notes, None),
];

pub fn draw(frame: &mut Frame, app: &App, areas: &Areas) {
    let focused = app.pane == Pane::List;
    let orgs = &app.data.organizations;
    let block = pane_block(format!("Organizations {}", orgs.len()), focused);
    let width = areas.list.width as usize;
    let mut lines = Vec::new();
    for row in visible(app.offset[1], areas.list.height as usize, orgs.len()) {
        let o = &orgs[row];
        let count = format!("{:>4}", o.contact_count);
        let name = truncate(&sanitize_line(&o.name), width.saturating_sub(8)).into_owned();
        let pad = width.saturating_sub(crate::output::display_width(&name) + count.len() + 3);
        lines.push(row_line(
            vec![
                Span::raw(name),
                Span::raw(" ".repeat(pad)),
                Span::styled(count, Theme::dim()),
            ],
            row == app.cursor[1],
            focused,
        ));
    }
    if orgs.is_empty() {
        lines.push(Line::styled(
            "No organizations yet; they appear when a contact names one.",
            Theme::dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).block(block), areas.list_block);

    let detail_focused = app.pane == Pane::Detail;
    let block = pane_block("People and timeline".into(), detail_focused);
    let lines = match &app.org_brief {
        Some(b) => {
            let width = areas.detail.width.saturating_sub(2) as usize;
            let doc = crate::output::brief::org_doc(b, Some(width));
            let timeline = timeline(&b.interactions, -1, width);
            brief_lines(
                &doc,
                ORDER,
                vec![(SectionKind::Timeline, timeline)],
                &b.follow_ups,
                None,
            )
        }
        None => vec![Line::styled("Nothing selected.", Theme::dim())],
    };
    detail_paragraph(frame, areas.detail, block, lines, app.detail_scroll);
}
