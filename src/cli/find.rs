//! `kith find` (fuzzy search over contacts' fields) and `kith grep` (full text over notes and
//! interactions).

use clap::Args;

use super::Ctx;
use crate::error::Error;
use crate::model::normalize_tag;
use crate::output::found::{Found, found_table, grep_lines};
use crate::search::Index;
use crate::store::{OpenMode, search};

#[derive(Debug, Args)]
pub struct FindArgs {
    /// What to look for: part of a name, nickname, organization, title, email, phone or tag.
    /// Fuzzy, ignoring case and accents; several words may match different fields.
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    /// Only contacts with this tag
    #[arg(long)]
    pub tag: Option<String>,
    /// Only contacts at this organization
    #[arg(long)]
    pub org: Option<String>,
    /// How many results at most
    #[arg(long, short = 'n', default_value_t = 20, value_parser = at_least_one)]
    pub limit: usize,
    /// Include archived contacts
    #[arg(long)]
    pub archived: bool,
}

#[derive(Debug, Args)]
pub struct GrepArgs {
    /// Words to find in notes and interactions (each word also matches as a prefix; all
    /// words must appear; accents and case are ignored)
    #[arg(allow_hyphen_values = true)]
    pub text: String,
    /// How many results at most
    #[arg(long, short = 'n', default_value_t = 20, value_parser = at_least_one)]
    pub limit: usize,
}

/// `--limit 0` would always answer "nothing matches": refused as a usage error instead.
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("expected a whole number, such as 20".into()),
    }
}

pub fn find(ctx: &Ctx, args: FindArgs) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let conn = store.conn();
    let organization_id = match &args.org {
        Some(org) => Some(super::orgs::look_up(conn, org)?),
        None => None,
    };
    let tag = args.tag.as_deref().map(normalize_tag).transpose()?;
    let scope = search::Scope {
        include_archived: args.archived,
        organization_id,
        tag,
    };
    let matches = search::best_matches(conn, &args.query, &scope, args.limit)?;
    let archived: Vec<bool> = matches.rows.iter().map(|r| r.archived).collect();
    let index = Index::build(matches.rows.into_iter().map(|r| r.entry).collect());
    let found: Vec<Found> = index
        .query(&args.query, args.limit)
        .into_iter()
        .filter_map(|hit| {
            let (slot, entry) = index.entry(&hit)?;
            let entry = entry.clone();
            Some(Found::new(hit, &entry, archived[slot]))
        })
        .collect();
    if ctx.json {
        ctx.print_json(&found)?;
    }
    // Like grep(1), no match is an answer a script can test: exit 3.
    if found.is_empty() {
        return Err(Error::NotFound {
            what: "contact",
            query: args.query,
        }
        .into());
    }
    if ctx.json {
        return Ok(());
    }
    ctx.print(&found_table(&found, ctx.width, ctx.painter))?;
    if matches.total > found.len() {
        ctx.note(&format!(
            "{} of {} matches shown; --limit N shows more.",
            found.len(),
            matches.total
        ));
    }
    Ok(())
}

pub fn grep(ctx: &Ctx, args: GrepArgs) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let hits = search::grep(store.conn(), &args.text, args.limit)?;
    if ctx.json {
        ctx.print_json(&hits)?;
    }
    if hits.is_empty() {
        return Err(Error::NotFound {
            what: "note or interaction",
            query: args.text,
        }
        .into());
    }
    if ctx.json {
        return Ok(());
    }
    ctx.print(&grep_lines(&hits, ctx.width, ctx.painter))
}
