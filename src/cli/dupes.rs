//! `kith dupes` lists likely duplicates; `kith merge A B` folds B into A in one transaction.

use clap::Args;

use super::Ctx;
use crate::app;
use crate::output::sanitize_line;
use crate::store::OpenMode;
use crate::store::contacts::{self, ContactFilter};

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The contact that stays
    #[arg(value_name = "A")]
    pub keep: String,
    /// The contact merged into A and then deleted
    #[arg(value_name = "B")]
    pub gone: String,
}

pub fn dupes(ctx: &Ctx) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let all = contacts::list(store.conn(), &ContactFilter::default())?;
    let pairs = crate::dupes::find(&all);
    if ctx.json {
        return ctx.print_json(&pairs);
    }
    if pairs.is_empty() {
        return ctx.print("No likely duplicates.\n");
    }
    // Two columns of people, each as wide as its longest name (up to NAME_COLUMNS).
    const NAME_COLUMNS: usize = 32;
    use crate::output::{display_width, pad, truncate};
    let rows: Vec<[String; 4]> = pairs
        .iter()
        .map(|p| {
            [
                format!("#{}", p.a.id),
                sanitize_line(&p.a.name).into_owned(),
                format!("#{}", p.b.id),
                sanitize_line(&p.b.name).into_owned(),
            ]
        })
        .collect();
    let width = |column: usize, most: usize| {
        rows.iter()
            .map(|r| display_width(&r[column]))
            .max()
            .unwrap_or(0)
            .min(most)
    };
    let widths = [
        width(0, usize::MAX),
        width(1, NAME_COLUMNS),
        width(2, usize::MAX),
        width(3, NAME_COLUMNS),
    ];
    let mut out = String::new();
    for (p, [a_id, a_name, b_id, b_name]) in pairs.iter().zip(&rows) {
        out.push_str(&format!(
            "{} {}  ~  {} {}   ({})\n",
            pad(a_id, widths[0], true),
            pad(&truncate(a_name, widths[1]), widths[1], false),
            pad(b_id, widths[2], true),
            pad(&truncate(b_name, widths[3]), widths[3], false),
            sanitize_line(&p.reasons.join("; "))
        ));
    }
    out.push_str(&format!(
        "{}; merge one with `kith merge '#A' '#B'` (B goes into A)\n",
        crate::output::plural(pairs.len(), "pair", "pairs")
    ));
    ctx.print(&out)
}

pub fn merge(ctx: &Ctx, args: MergeArgs) -> anyhow::Result<()> {
    let mut store = ctx.open(OpenMode::MustExist)?;
    let keep = contacts::resolve(store.conn(), &args.keep, true)?;
    let gone = contacts::resolve(store.conn(), &args.gone, true)?;
    let report = app::merge::merge(&mut store, ctx.clock.now, keep, gone, &args.gone)?;
    if ctx.json {
        return ctx.print_json(&report);
    }
    let mut out = format!(
        "Merged #{} {} into #{} {}: moved {} interaction(s), {} follow-up(s), {} relationship(s)",
        report.merged.id,
        sanitize_line(&report.merged.name),
        report.into.id,
        sanitize_line(&report.into.name),
        report.moved.interactions,
        report.moved.follow_ups,
        report.moved.relationships
    );
    if !report.added.is_empty() {
        out.push_str(&format!("; added {}", report.added.join(", ")));
    }
    out.push('\n');
    for note in &report.kept {
        out.push_str(&format!("  {}\n", sanitize_line(note)));
    }
    // Folding someone into an archived contact is allowed, but they leave every list with it.
    if contacts::get(store.conn(), keep)?.archived_at.is_some() {
        out.push_str(&format!(
            "  #{keep} is archived, so they are out of lists and the agenda; `kith restore '#{keep}'` brings them back\n"
        ));
    }
    ctx.print(&out)
}
