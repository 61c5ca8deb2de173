//! `kith tag-cadence`: a default keep-in-touch cadence for everyone carrying a tag.

use clap::Args;

use super::Ctx;
use crate::app;
use crate::error::Error;
use crate::model::{Period, normalize_tag};
use crate::output::{Table, sanitize_line};
use crate::store::{OpenMode, tag_cadences};

#[derive(Debug, Args)]
pub struct TagCadenceArgs {
    /// The tag (without it: list every tag cadence)
    pub tag: Option<String>,
    /// How often: 30d, 2w, 2m, 1y (without it: show the tag's cadence)
    #[arg(value_name = "PERIOD", conflicts_with = "clear")]
    pub cadence: Option<String>,
    /// Remove the tag's cadence
    #[arg(long, requires = "tag")]
    pub clear: bool,
}

pub fn tag_cadence(ctx: &Ctx, a: TagCadenceArgs) -> anyhow::Result<()> {
    let Some(raw_tag) = &a.tag else {
        return list(ctx, None);
    };
    let tag = normalize_tag(raw_tag)?;
    if a.clear {
        let mut store = ctx.open(OpenMode::MustExist)?;
        app::cadences::clear(&mut store, &tag)?;
        if ctx.json {
            return ctx.print_json(&serde_json::json!({ "tag": tag, "cadence": null }));
        }
        ctx.note(&format!("Tag {tag} has no cadence any more"));
        return Ok(());
    }
    let Some(raw_cadence) = &a.cadence else {
        return list(ctx, Some(&tag));
    };
    let cadence = Period::parse(raw_cadence).map_err(|_| {
        Error::invalid(
            "cadence",
            raw_cadence,
            "expected N followed by d, w, m or y (30d, 2w, 2m, 1y)",
        )
    })?;
    let mut store = ctx.open(OpenMode::CreateIfMissing)?;
    app::cadences::set(&mut store, ctx.clock.now, &tag, cadence)?;
    let row = tag_cadences::list(store.conn())?
        .into_iter()
        .find(|t| t.tag == tag);
    if ctx.json {
        return ctx.print_json(&row);
    }
    let count = row.map_or(0, |r| r.contacts);
    // A tag no one has yet (a typo, or tags to come) is said to be one.
    let who = if count == 0 {
        format!("no contact has it yet: `kith tag WHO +{tag}` adds it")
    } else {
        let n = usize::try_from(count).unwrap_or(0);
        let contacts = crate::output::plural(n, "contact", "contacts");
        format!("{contacts}; a contact's own --every wins")
    };
    ctx.note(&format!(
        "Keep in touch with everyone tagged {tag} every {} ({who})",
        crate::dates::describe_period(&cadence)
    ));
    Ok(())
}

fn list(ctx: &Ctx, only: Option<&str>) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let mut rows = tag_cadences::list(store.conn())?;
    if let Some(tag) = only {
        rows.retain(|r| r.tag == tag);
        if rows.is_empty() {
            return Err(Error::NotFound {
                what: "tag cadence for",
                query: tag.to_string(),
            }
            .into());
        }
    }
    if ctx.json {
        return ctx.print_json(&rows);
    }
    if rows.is_empty() {
        ctx.note("No tag cadences. `kith tag-cadence client 30d` sets one.");
        return Ok(());
    }
    let mut table = Table::new(["TAG", "EVERY", "CONTACTS"]).right_align(2);
    for r in rows {
        table.row([
            sanitize_line(&r.tag).into_owned(),
            crate::dates::describe_period(&r.cadence),
            r.contacts.to_string(),
        ]);
    }
    ctx.print(&table.render(ctx.width, ctx.painter))
}
