//! `kith org add|list|show|edit|rm|restore`.

use clap::{Args, Subcommand};

use super::{Ctx, ListFormat, print_csv};
use crate::app::{
    self,
    organizations::{AddOrganization, EditOrganization},
    views,
};
use crate::error::Error;
use crate::output::brief;
use crate::resolve::Purpose;
use crate::store::{OpenMode, organizations};

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add an organization
    #[command(
        after_help = "Example:\n  kith org add \"Acme Corp\" --domain acme.example --tag client"
    )]
    Add(OrgAddArgs),
    /// List organizations with how many people each has (or healthiest first)
    #[command(
        after_help = "Examples:\n  kith org list --format csv\n  kith org list --sort health"
    )]
    List(OrgListArgs),
    /// Show an organization: its people, their merged timeline, open follow-ups
    #[command(after_help = "Example:\n  kith org show acme")]
    Show(OrgShowArgs),
    /// Change an organization
    #[command(
        after_help = "Examples:\n  kith org edit acme --name \"Acme Corporation\" --domain acme.example\n  kith org edit acme --tag +partner --tag -prospect\n  kith org edit acme --every 1m     # reconnect with someone there monthly\n  kith org edit acme --no-every"
    )]
    Edit(OrgEditArgs),
    /// Archive an organization (or delete it for good with --purge; its people stay)
    #[command(after_help = "Example:\n  kith org rm acme")]
    Rm(OrgRmArgs),
    /// Bring an archived organization back
    Restore(OrgArg),
}

#[derive(Debug, Args)]
pub struct OrgAddArgs {
    /// The organization's name, e.g. "Analytical Engines"
    pub name: String,
    /// Its web or mail domain, e.g. analytical.example
    #[arg(long)]
    pub domain: Option<String>,
    /// Notes about it
    #[arg(long)]
    pub note: Option<String>,
    /// Tag (repeatable)
    #[arg(long = "tag")]
    pub tags: Vec<String>,
}

#[derive(Debug, Args)]
pub struct OrgListArgs {
    /// Include archived organizations
    #[arg(long)]
    pub archived: bool,
    /// Output: an aligned table, CSV (for spreadsheets), or JSON (as --json)
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
    /// Order: by name, or healthiest first with each one's health and reasons
    #[arg(long, value_enum, default_value_t)]
    pub sort: OrgSort,
}

/// How `kith org list` orders organizations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OrgSort {
    #[default]
    Name,
    Health,
}

/// An organization with its health, as `kith org list --sort health --json` gives it.
#[derive(serde::Serialize)]
struct OrgWithHealth {
    #[serde(flatten)]
    organization: crate::model::Organization,
    health: crate::account::AccountHealth,
}

#[derive(Debug, Args)]
pub struct OrgArg {
    /// #ID, UID or name (fuzzy)
    pub org: String,
}

#[derive(Debug, Args)]
pub struct OrgShowArgs {
    /// #ID, UID or name (fuzzy)
    pub org: String,
    /// The whole timeline with each interaction's number and body, not just the latest 20
    #[arg(long)]
    pub full: bool,
}

#[derive(Debug, Args)]
pub struct OrgEditArgs {
    /// #ID, UID or name (fuzzy)
    pub org: String,
    /// Rename it
    #[arg(long)]
    pub name: Option<String>,
    /// Set its domain
    #[arg(long, conflicts_with = "no_domain")]
    pub domain: Option<String>,
    /// Remove its domain
    #[arg(long)]
    pub no_domain: bool,
    /// Replace the notes
    #[arg(long, conflicts_with = "no_note")]
    pub note: Option<String>,
    /// Remove the notes
    #[arg(long)]
    pub no_note: bool,
    /// +tag adds, -tag removes (repeatable)
    #[arg(long = "tag", allow_hyphen_values = true, value_name = "+TAG|-TAG")]
    pub tags: Vec<String>,
    /// Keep in touch with someone there this often: 30d, 2w, 1m, 1y (`kith today` says when
    /// nobody there was contacted in time)
    #[arg(long, value_name = "CADENCE", conflicts_with = "no_every")]
    pub every: Option<String>,
    /// Remove its keep-in-touch cadence
    #[arg(long)]
    pub no_every: bool,
}

#[derive(Debug, Args)]
pub struct OrgRmArgs {
    /// #ID, UID or name (fuzzy)
    pub org: String,
    /// Delete for good (its people stay, without an organization)
    #[arg(long)]
    pub purge: bool,
    /// Do not ask for confirmation (needed with --purge when stdin is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

pub fn run(ctx: &Ctx, cmd: OrgCommand) -> anyhow::Result<()> {
    match cmd {
        OrgCommand::Add(a) => add(ctx, a),
        OrgCommand::List(a) => list(ctx, a),
        OrgCommand::Show(a) => show(ctx, a),
        OrgCommand::Edit(a) => edit(ctx, a),
        OrgCommand::Rm(a) => rm(ctx, a),
        OrgCommand::Restore(a) => restore(ctx, a),
    }
}

/// The organization a read names (`org show`, `list --org`, `find --org`): active ones first,
/// an archived one when no active one fits, the closest one when none fits surely (and
/// then stderr says which).
pub fn look_up(conn: &rusqlite::Connection, query: &str) -> anyhow::Result<i64> {
    let found = organizations::lookup(conn, query, true, Purpose::Look)?;
    if let Some(why) = found.closest {
        super::say_closest(&found.name, found.id, query, why);
    }
    Ok(found.id)
}

fn add(ctx: &Ctx, a: OrgAddArgs) -> anyhow::Result<()> {
    let input = AddOrganization {
        name: a.name,
        domain: a.domain,
        notes: a.note,
        tags: a.tags,
    };
    // Bad input is refused before a book is created for it.
    input.check()?;
    let mut store = ctx.open(OpenMode::CreateIfMissing)?;
    let id = app::organizations::add(&mut store, ctx.clock.now, &input)?;
    let org = organizations::get(store.conn(), id)?;
    if ctx.json {
        return ctx.print_json(&org);
    }
    ctx.note(&format!("Added organization {} (#{id})", org.name));
    Ok(())
}

fn list(ctx: &Ctx, a: OrgListArgs) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let orgs = organizations::list(store.conn(), a.archived, None)?;
    if a.sort == OrgSort::Health {
        return list_by_health(ctx, &store, orgs, a.format);
    }
    match a.format.checked(ctx)? {
        ListFormat::Json => ctx.print_json(&orgs),
        ListFormat::Csv => {
            let rows = orgs
                .iter()
                .map(|o| {
                    vec![
                        o.id.to_string(),
                        o.uid.clone(),
                        o.name.clone(),
                        o.domain.clone().unwrap_or_default(),
                        o.contact_count.to_string(),
                        o.tags.join("; "),
                    ]
                })
                .collect();
            print_csv(
                ctx,
                &["id", "uid", "name", "domain", "people", "tags"],
                rows,
            )
        }
        ListFormat::Table => {
            if orgs.is_empty() {
                ctx.note("No organizations yet: `kith org add NAME` or `kith add NAME --org ORG`.");
                return Ok(());
            }
            ctx.print(&brief::organization_table(&orgs, ctx.width, ctx.painter))
        }
    }
}

fn list_by_health(
    ctx: &Ctx,
    store: &crate::store::Store,
    orgs: Vec<crate::model::Organization>,
    format: ListFormat,
) -> anyhow::Result<()> {
    let mut healths = views::org_brief::account_healths(store, ctx.clock)?;
    let mut rows: Vec<OrgWithHealth> = orgs
        .into_iter()
        .map(|o| OrgWithHealth {
            health: healths
                .remove(&o.id)
                .unwrap_or_else(|| crate::account::roll_up(&[], ctx.clock.today())),
            organization: o,
        })
        .collect();
    // Healthiest first; equal scores keep the name order they came in.
    rows.sort_by_key(|r| std::cmp::Reverse(r.health.score));
    match format.checked(ctx)? {
        ListFormat::Json => ctx.print_json(&rows),
        ListFormat::Csv => {
            let rows = rows
                .iter()
                .map(|r| {
                    vec![
                        r.organization.id.to_string(),
                        r.organization.uid.clone(),
                        r.organization.name.clone(),
                        r.health.score.to_string(),
                        r.organization.contact_count.to_string(),
                        r.health.summary(),
                    ]
                })
                .collect();
            print_csv(ctx, &["id", "uid", "name", "health", "people", "why"], rows)
        }
        ListFormat::Table => {
            if rows.is_empty() {
                ctx.note("No organizations yet: `kith org add NAME` or `kith add NAME --org ORG`.");
                return Ok(());
            }
            let pairs: Vec<_> = rows
                .into_iter()
                .map(|r| (r.organization, r.health))
                .collect();
            ctx.print(&brief::organization_health_table(
                &pairs,
                ctx.width,
                ctx.painter,
            ))
        }
    }
}

fn show(ctx: &Ctx, a: OrgShowArgs) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let id = look_up(store.conn(), &a.org)?;
    let timeline = (!a.full).then_some(views::org_brief::RECENT_TIMELINE);
    let detail = if ctx.json {
        views::Detail::Complete
    } else {
        views::Detail::Text
    };
    let view = views::org_brief(&store, id, ctx.clock, timeline, detail)?;
    if ctx.json {
        return ctx.print_json(&view);
    }
    ctx.print(&brief::render_org(&view, ctx.painter, ctx.width, a.full))
}

fn edit(ctx: &Ctx, a: OrgEditArgs) -> anyhow::Result<()> {
    let mut input = EditOrganization {
        id: 0,
        name: a.name.clone(),
        domain: if a.no_domain {
            Some(None)
        } else {
            a.domain.clone().map(Some)
        },
        notes: if a.no_note {
            Some(None)
        } else {
            a.note.clone().map(Some)
        },
        cadence: if a.no_every {
            Some(None)
        } else {
            a.every.clone().map(Some)
        },
        ..EditOrganization::default()
    };
    input.tag_changes(a.tags.iter().map(String::as_str))?;
    input.check()?;
    let mut store = ctx.open(OpenMode::MustExist)?;
    input.id = organizations::resolve(store.conn(), &a.org, true)?;
    let id = input.id;
    app::organizations::edit(&mut store, ctx.clock.now, &input)?;
    let org = organizations::get(store.conn(), id)?;
    if ctx.json {
        return ctx.print_json(&org);
    }
    ctx.note(&format!("Updated organization {} (#{id})", org.name));
    Ok(())
}

fn rm(ctx: &Ctx, a: OrgRmArgs) -> anyhow::Result<()> {
    let mut store = ctx.open(OpenMode::MustExist)?;
    let id = organizations::resolve(store.conn(), &a.org, true)?;
    let org = organizations::get(store.conn(), id)?;
    if a.purge {
        if !a.yes {
            if !ctx.stdin_is_tty {
                return Err(Error::Usage(format!(
                    "deleting {} for good needs --yes when stdin is not a terminal",
                    crate::output::sanitize_line(&a.org)
                ))
                .into());
            }
            if !super::contacts::confirm(&format!(
                "Delete organization {} (#{id}) for good? [y/N] ",
                crate::output::sanitize_line(&org.name)
            ))? {
                ctx.note("Kept.");
                return Ok(());
            }
        }
        app::organizations::purge(&mut store, id)?;
        ctx.note(&format!(
            "Deleted organization {} (#{id}) for good",
            org.name
        ));
    } else {
        app::organizations::set_archived(&mut store, ctx.clock.now, id, true)?;
        ctx.note(&format!("Archived organization {} (#{id})", org.name));
    }
    Ok(())
}

fn restore(ctx: &Ctx, a: OrgArg) -> anyhow::Result<()> {
    let mut store = ctx.open(OpenMode::MustExist)?;
    let id = organizations::resolve(store.conn(), &a.org, true)?;
    app::organizations::set_archived(&mut store, ctx.clock.now, id, false)?;
    let name = organizations::get(store.conn(), id)?.name;
    ctx.note(&format!("Restored organization {name} (#{id})"));
    Ok(())
}
