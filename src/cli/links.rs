//! `kith link` and `kith unlink`.

use clap::Args;

use super::Ctx;
use crate::app::links::{self, Link, Linked, Unlink};
use crate::error::Error;
use crate::link_rules::StoredLink;
use crate::model::normalize_relationship_kind;
use crate::store::{OpenMode, contacts};

#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The first contact (the subject: WHO reports-to OTHER)
    pub who: String,
    /// The second contact
    pub other: String,
    /// The kind: knows, works-with, reports-to, introduced-by, partner-of, ...
    #[arg(long = "as", value_name = "KIND", default_value = "knows")]
    pub kind: String,
    /// A note about the relationship
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct UnlinkArgs {
    /// One contact of the relationship
    pub who: String,
    /// The other contact
    pub other: String,
    /// Only this kind: a directed one (reports-to) only from WHO to OTHER; a symmetric one
    /// (knows, works-with, partner-of, ...) either way. Default: every link between the two
    /// in both directions
    #[arg(long = "as", value_name = "KIND")]
    pub kind: Option<String>,
}

pub fn link(ctx: &Ctx, a: LinkArgs) -> anyhow::Result<()> {
    // A kind that is not one is refused before the book is opened.
    normalize_relationship_kind(&a.kind)?;
    let mut store = ctx.open(OpenMode::MustExist)?;
    let input = Link {
        from: contacts::resolve(store.conn(), &a.who, false)?,
        to: contacts::resolve(store.conn(), &a.other, false)?,
        kind: a.kind.clone(),
        note: a.note.clone(),
    };
    let (from, to) = (input.from, input.to);
    let Linked { id, kind, note } = links::link(&mut store, ctx.clock.now, &input)?;
    let names = crate::app::contacts::told_apart(store.conn(), &[from, to])?;
    let name = |id: i64| {
        names
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.clone())
            .unwrap_or_default()
    };
    if ctx.json {
        return ctx.print_json(
            &serde_json::json!({"id": id, "from": from, "kind": kind, "to": to, "note": note}),
        );
    }
    ctx.note(&format!(
        "Linked: {}.",
        crate::output::brief::link_sentence(&name(from), &kind, &name(to))
    ));
    Ok(())
}

pub fn unlink(ctx: &Ctx, a: UnlinkArgs) -> anyhow::Result<()> {
    if let Some(kind) = &a.kind {
        normalize_relationship_kind(kind)?;
    }
    let mut store = ctx.open(OpenMode::MustExist)?;
    let input = Unlink {
        one: contacts::resolve(store.conn(), &a.who, true)?,
        two: contacts::resolve(store.conn(), &a.other, true)?,
        kind: a.kind.clone(),
    };
    let done = links::unlink(&mut store, &input)?;
    let names = contacts::refs(store.conn(), &[input.one, input.two])?;
    let name = |id: i64| {
        names
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.clone())
            .unwrap_or_default()
    };
    let says = |l: &StoredLink| {
        let kind = l.kind.replace('-', " ");
        format!("{} {kind} {}", name(l.from), name(l.to))
    };
    let kind = a
        .kind
        .as_deref()
        .map(normalize_relationship_kind)
        .transpose()?;
    if done.removed.is_empty() {
        if let Some(reverse) = kind.as_deref().and_then(|k| done.kept_reverse(k)) {
            ctx.note(&format!(
                "{} is kept: a {} link has a direction (`kith unlink '#{}' '#{}' --as {}` removes it)",
                says(reverse),
                reverse.kind,
                reverse.from,
                reverse.to,
                reverse.kind
            ));
        }
        let query = match &kind {
            Some(k) => format!("{} {k} {}", a.who, a.other),
            None => format!("{} and {}", a.who, a.other),
        };
        return Err(Error::NotFound {
            what: "relationship",
            query,
        }
        .into());
    }
    if ctx.json {
        let ids: Vec<i64> = done.removed.iter().map(|l| l.id).collect();
        return ctx.print_json(&serde_json::json!({ "removed": ids }));
    }
    let scope = if kind.is_none() {
        " (every kind, both directions)"
    } else {
        ""
    };
    let list: Vec<String> = done.removed.iter().map(says).collect();
    let count = done.removed.len();
    ctx.note(&format!(
        "Removed {count} link{}{scope}: {}",
        if count == 1 { "" } else { "s" },
        list.join("; ")
    ));
    Ok(())
}
