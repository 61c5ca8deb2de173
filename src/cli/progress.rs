//! The count of records a long command has got through (`kith import`, `kith capture`), drawn
//! on stderr only when stderr is a terminal, so scripts and pipes see nothing of it.

use std::io::IsTerminal;

/// A spinner with a count: "⠋ importing: 12000 records (3400/s)".
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    /// `verb` says what is being done ("importing", "capturing").
    pub fn new(verb: &str) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{{spinner}} {verb}: {{pos}} records ({{rate}})"
            ))
            .map(|style| {
                // indicatif's own `per_sec` gives four decimals ("124,658.2905/s").
                style.with_key(
                    "rate",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.0}/s", state.per_sec());
                    },
                )
            })
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        Progress(Some(bar))
    }

    /// `n` records done so far; the bar is redrawn every 500.
    pub fn tick(&self, n: usize) {
        if let Some(bar) = &self.0
            && n.is_multiple_of(500)
        {
            bar.set_position(n as u64);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
