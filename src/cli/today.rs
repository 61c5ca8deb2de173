//! `kith today`: what is due, for a person, a script (`--json`) or a shell prompt (`--check`).

use clap::Args;

use super::Ctx;
use crate::app::views::agenda::{self, DEFAULT_HORIZON_DAYS};
use crate::error::exit;
use crate::store::OpenMode;

#[derive(Debug, Args)]
pub struct TodayArgs {
    /// How many days ahead to look for follow-ups, birthdays and dates
    #[arg(long, value_name = "N", default_value_t = DEFAULT_HORIZON_DAYS,
          value_parser = clap::value_parser!(u32).range(0..=366))]
    pub days: u32,
    /// Print nothing; exit 1 when anything is overdue, 0 otherwise or without a database yet
    #[arg(long)]
    pub check: bool,
    /// Every entry of every group (by default each shows its first 10 and counts the rest;
    /// --json always gives all)
    #[arg(long, conflicts_with = "check")]
    pub all: bool,
}

pub fn today(ctx: &Ctx, a: TodayArgs) -> anyhow::Result<()> {
    if a.check {
        return check(ctx);
    }
    let store = ctx.open(OpenMode::MustExist)?;
    if ctx.json {
        // The same bytes as `print_json` (8 MB of text for a large book): the follow-ups'
        // part written out by the thread that read them while the other still works out
        // who is due to reconnect (nothing else writes meanwhile).
        let (agenda, head) = agenda::agenda_with(&store, ctx.clock, a.days, |groups| {
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            crate::output::agenda_json::write_head(groups, out)
        })?;
        drop(store);
        head?;
        let out = std::io::BufWriter::new(std::io::stdout().lock());
        crate::output::agenda_json::write_rest(&agenda, out)?;
        // The process ends here: tens of thousands of entries are not freed one by one.
        std::mem::forget(agenda);
        return Ok(());
    }
    let limit = (!a.all).then_some(crate::output::agenda::SHOWN_PER_GROUP);
    let mut agenda = match limit {
        None => agenda::agenda(&store, ctx.clock, a.days)?,
        Some(shown) => agenda::summary(&store, ctx.clock, a.days, shown)?,
    };
    agenda::mark_namesakes(&store, &mut agenda, limit)?;
    drop(store);
    ctx.print(&crate::output::agenda::render(
        &agenda,
        ctx.painter,
        ctx.width,
        limit,
    ))
}

/// `--check` runs at every shell prompt: it reads only the open follow-ups the agenda shows
/// (the same model as `kith today`), and a machine without a database yet has nothing overdue.
fn check(ctx: &Ctx) -> anyhow::Result<()> {
    if !ctx.db_path.exists() {
        return Ok(());
    }
    let store = ctx.open(OpenMode::MustExist)?;
    let overdue = agenda::has_overdue(&store, ctx.clock)?;
    drop(store);
    if overdue {
        // Not an error to report: the exit status is the whole answer.
        std::process::exit(exit::FAILURE);
    }
    Ok(())
}
