//! `kith dupes` lists likely duplicates; `kith merge A B` folds B into A in one transaction.

use clap::Args;

use super::Ctx;
use crate::error::Error;
use crate::output::sanitize_line;
use crate::store::contacts::{self, Archived, ContactFilter};
use crate::store::{OpenMode, bulk, extras};

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
    let mut out = String::new();
    for p in &pairs {
        out.push_str(&format!(
            "#{:<6} {}  ~  #{:<6} {}   ({})\n",
            p.a.id,
            sanitize_line(&p.a.name),
            p.b.id,
            sanitize_line(&p.b.name),
            sanitize_line(&p.reasons.join("; "))
        ));
    }
    out.push_str(&format!(
        "{} pair(s); merge one with `kith merge '#A' '#B'` (B goes into A)\n",
        pairs.len()
    ));
    ctx.print(&out)
}

#[derive(serde::Serialize)]
struct MergeReport {
    into: crate::model::ContactRef,
    merged: crate::model::ContactRef,
    moved: bulk::Moved,
    added: Vec<String>,
    kept: Vec<String>,
}

pub fn merge(ctx: &Ctx, args: MergeArgs) -> anyhow::Result<()> {
    let mut store = ctx.open(OpenMode::MustExist)?;
    let now = ctx.clock.now;
    let report = store.write(|tx| {
        let a = contacts::resolve(tx, &args.keep, true)?;
        let b = contacts::resolve(tx, &args.gone, true)?;
        if a == b {
            return Err(Error::invalid(
                "merge",
                &args.gone,
                "is the same contact as A; name two different contacts",
            ));
        }
        let filter = ContactFilter {
            ids: Some(vec![a, b]),
            archived: Archived::Include,
            ..ContactFilter::default()
        };
        let both = contacts::list(tx, &filter)?;
        let (Some(ca), Some(cb)) = (
            both.iter().find(|c| c.id == a),
            both.iter().find(|c| c.id == b),
        ) else {
            return Err(Error::NotFound {
                what: "contact",
                query: args.gone.clone(),
            });
        };
        let extras_a = extras::of(tx, a)?;
        let extras_b = extras::of(tx, b)?;
        let mut kept = Vec::new();
        let (fields, extras) = crate::import::merge_fields(
            (&ca.uid, &ca.fields, &extras_a),
            (&cb.fields, &extras_b),
            &mut kept,
        );
        let mut added = Vec::new();
        for kind in crate::model::FieldKind::ALL {
            let n = fields.labeled(kind).len() - ca.fields.labeled(kind).len();
            if n > 0 {
                added.push(format!("{n} {}", kind.as_str()));
            }
        }
        let new_tags = fields.tags.len() - ca.fields.tags.len();
        if new_tags > 0 {
            added.push(format!("{new_tags} tag(s)"));
        }
        let moved = bulk::move_history(tx, b, a)?;
        bulk::delete_contact(tx, b)?;
        let mut writer = bulk::BulkWriter::new(tx)?;
        writer.update_contact(a, &fields, &extras, now)?;
        writer.drop_unused_tags()?;
        Ok(MergeReport {
            into: ca.as_ref(),
            merged: cb.as_ref(),
            moved,
            added,
            kept,
        })
    })?;
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
    ctx.print(&out)
}
