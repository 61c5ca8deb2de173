//! The best introduction to a person never met, drawn in the brief under its head: the chain
//! ("You → Maria Hill (41) → Nora Quinn") and each hop's evidence, as `kith who-knows` says it.

use ratatui::text::Line;

use super::{Theme, fitted};
use crate::app::views::who_knows::PathView;
use crate::output::network::{chain_line, evidence_lines};

/// The section's lines: a title, the chain, the evidence, indented as the brief's sections
/// and fitted to `width` columns.
pub fn introduction_lines(path: &PathView, width: usize) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::raw(""),
        Line::styled("Best introduction (never met)", Theme::section()),
    ];
    for line in std::iter::once(chain_line(path)).chain(evidence_lines(path)) {
        out.extend(fitted(
            &line,
            vec![ratatui::text::Span::raw("  ")],
            width,
            None,
        ));
    }
    out
}
