//! The Organizations view: the list, and the selected one's health rolled up from its
//! people (with its reasons and who has gone cold), its 12-month rhythm, its people with
//! their health and role, and the merged timeline.
//! With the details focused, ▸ marks the person Enter opens.

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
    let title = if super::compact(frame.area()) {
        "People and timeline (Esc: list)"
    } else {
        "People and timeline"
    };
    let block = pane_block(title.into(), detail_focused);
    let lines = match &app.org_brief {
        Some(b) => {
            let width = areas.detail.width.saturating_sub(2) as usize;
            let mut doc = crate::output::brief::org_doc(b);
            doc.head.push(rhythm_line(&b.rhythm));
            let timeline = timeline(&b.interactions, -1, width);
            let mark = (detail_focused && !b.people.is_empty()).then_some(app.person_cursor);
            let people = people(&doc, width, mark);
            brief_lines(
                &doc,
                width,
                ORDER,
                vec![
                    (SectionKind::Timeline, timeline),
                    (SectionKind::People, people),
                ],
                &b.follow_ups,
                None,
            )
        }
        None => vec![Line::styled("Nothing selected.", Theme::dim())],
    };
    detail_paragraph(frame, areas.detail, block, lines, app.detail_scroll);
}

/// The company's last 12 months of interactions, oldest first, as a sparkline.
fn rhythm_line(counts: &[u32]) -> crate::output::doc::Line {
    use crate::health::rhythm;
    use crate::output::Role;
    let line = crate::output::doc::Line::new().styled(Role::Label, "rhythm ");
    if rhythm::is_empty(counts) {
        return line.styled(Role::Dim, "nothing in the last 12 months");
    }
    line.styled(Role::Accent, rhythm::sparkline(counts)).styled(
        Role::Dim,
        format!("  {} in 12 months", counts.iter().sum::<u32>()),
    )
}

/// The People section's lines fitted to `width`, the one at `mark` marked ▸ (the one
/// Enter opens).
fn people(doc: &crate::output::doc::Doc, width: usize, mark: Option<usize>) -> Vec<Line<'static>> {
    let Some(section) = doc.get(SectionKind::People) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, line) in section.lines.iter().enumerate() {
        if mark == Some(i) {
            let lead = vec![Span::styled("▸ ", Theme::key())];
            out.extend(
                super::fitted(line, lead, width, None)
                    .into_iter()
                    .map(|l| l.style(Theme::selected(true))),
            );
        } else {
            out.extend(super::fitted(line, vec![Span::raw("  ")], width, None));
        }
    }
    out
}
