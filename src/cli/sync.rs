//! `kith sync`: set up CardDAV accounts (`add`, `list`, `rm`), sync with them, and list the
//! conflicts a sync kept. The sync itself is `crate::sync`; this file parses and prints.

use clap::{Args, Subcommand};

use super::Ctx;
use crate::app;
use crate::error::Error;
use crate::output::{Table, sanitize_line};
use crate::store::OpenMode;
use crate::sync::engine::Report;

pub const EXAMPLES: &str = "Examples:
  kith sync add fastmail --url https://carddav.fastmail.com/ --user me@fastmail.com \\
      --password-command \"pass show fastmail-app\"
  kith sync add home --url http://127.0.0.1:5232/ --user ada --password-env DAV_PASSWORD
  kith sync              # every account
  kith sync fastmail     # one account
  kith sync list
  kith sync conflicts --json
  kith sync conflicts --take-server 3   # conflict #3: the server's value wins
  kith sync conflicts --keep 4          # conflict #4: kith's value stays
  kith sync conflicts --clear
  kith sync rm home

kith keeps its book as the source of truth and never stores a password. Changes go both
ways; a card edited on both sides is merged property by property, and where the same
property changed on both, kith keeps its value and lists the server's (kith sync conflicts).
A card deleted on the server archives the contact; an archived contact is deleted there.
This is the only command that uses the network.";

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub command: Option<SyncCommand>,
    /// The account to sync (without it: every account)
    pub name: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Add a CardDAV account (the password comes from a command or a variable, never stored)
    Add(AddArgs),
    /// List the sync accounts
    List,
    /// Remove a sync account (contacts stay; kith forgets what it knew of the server)
    Rm {
        /// The account's name
        name: String,
    },
    /// The server's values kith did not take: properties changed on both sides
    Conflicts {
        /// Only this account's
        account: Option<String>,
        /// Forget the listed conflicts (once you have looked at them; kith's values stay)
        #[arg(long, conflicts_with_all = ["take_server", "keep"])]
        clear: bool,
        /// Settle conflict ID (the #N listed) by taking the server's value into the contact;
        /// the next sync sends it back to the server
        #[arg(long, value_name = "ID", conflicts_with = "keep")]
        take_server: Option<i64>,
        /// Settle conflict ID by keeping kith's value
        #[arg(long, value_name = "ID")]
        keep: Option<i64>,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// A name for the account (letters, digits, '-', '_', '.')
    pub name: String,
    /// The server's address (https://nextcloud.example.com/remote.php/dav) or the address
    /// book's own URL
    #[arg(long)]
    pub url: String,
    /// The user name on the server
    #[arg(long)]
    pub user: String,
    /// A command that prints the password (its first line is used), e.g. "pass show dav"
    #[arg(long, value_name = "CMD")]
    pub password_command: Option<String>,
    /// An environment variable that holds the password
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
}

pub fn run(ctx: &Ctx, args: SyncArgs) -> anyhow::Result<()> {
    match args.command {
        Some(SyncCommand::Add(a)) => add(ctx, a),
        Some(SyncCommand::List) => list(ctx),
        Some(SyncCommand::Rm { name }) => {
            let mut store = ctx.open(OpenMode::MustExist)?;
            app::sync::remove_account(&mut store, &name)?;
            if ctx.json {
                return ctx.print_json(&serde_json::json!({ "removed": name }));
            }
            ctx.note(&format!(
                "Removed sync account {name}; contacts are unchanged"
            ));
            Ok(())
        }
        Some(SyncCommand::Conflicts {
            take_server: Some(id),
            ..
        }) => settle(ctx, id, app::sync::Resolution::TakeServer),
        Some(SyncCommand::Conflicts { keep: Some(id), .. }) => {
            settle(ctx, id, app::sync::Resolution::KeepKith)
        }
        Some(SyncCommand::Conflicts { account, clear, .. }) => {
            conflicts(ctx, account.as_deref(), clear)
        }
        None => sync(ctx, args.name.as_deref()),
    }
}

fn add(ctx: &Ctx, a: AddArgs) -> anyhow::Result<()> {
    let input = app::sync::NewAccount {
        name: a.name,
        url: a.url,
        user: a.user,
        password_command: a.password_command,
        password_env: a.password_env,
    };
    input.check()?;
    let mut store = ctx.open(OpenMode::CreateIfMissing)?;
    let account = app::sync::add_account(&mut store, ctx.clock.now, &input)?;
    if ctx.json {
        return ctx.print_json(&account);
    }
    ctx.note(&format!(
        "Added sync account {} ({} as {}); `kith sync {}` syncs it",
        account.name, account.url, account.user, account.name
    ));
    Ok(())
}

fn list(ctx: &Ctx) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let accounts = crate::store::sync::accounts(store.conn())?;
    if ctx.json {
        return ctx.print_json(&accounts);
    }
    if accounts.is_empty() {
        ctx.note("No sync accounts; add one with `kith sync add NAME --url URL --user USER ...`");
        return Ok(());
    }
    let mut table = Table::new(["name", "url", "user", "address book", "last sync"]);
    for a in &accounts {
        table.row([
            a.name.clone(),
            a.url.clone(),
            a.user.clone(),
            a.collection
                .clone()
                .unwrap_or_else(|| "(found at first sync)".into()),
            a.synced_at
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_else(|| "never".into()),
        ]);
    }
    ctx.print(&table.render(ctx.width, ctx.painter))
}

fn settle(ctx: &Ctx, id: i64, resolution: app::sync::Resolution) -> anyhow::Result<()> {
    let mut store = ctx.open(OpenMode::MustExist)?;
    let settled = app::sync::resolve_conflict(&mut store, ctx.clock.now, id, resolution)?;
    if ctx.json {
        return ctx.print_json(&settled);
    }
    let (name, property) = (
        sanitize_line(&settled.name),
        sanitize_line(&settled.property),
    );
    ctx.note(&if settled.took_server {
        format!("{name}: took the server's {property}; the next `kith sync` sends it")
    } else {
        format!("{name}: kept kith's {property}")
    });
    Ok(())
}

fn conflicts(ctx: &Ctx, account: Option<&str>, clear: bool) -> anyhow::Result<()> {
    let mut store = ctx.open(OpenMode::MustExist)?;
    if let Some(name) = account {
        crate::store::sync::account(store.conn(), name)?;
    }
    if clear {
        let cleared = app::sync::clear_conflicts(&mut store, account)?;
        if ctx.json {
            return ctx.print_json(&serde_json::json!({ "cleared": cleared }));
        }
        ctx.note(&format!("Forgot {cleared} sync conflicts"));
        return Ok(());
    }
    let rows = crate::store::sync::conflicts(store.conn(), account)?;
    if ctx.json {
        return ctx.print_json(&rows);
    }
    if rows.is_empty() {
        ctx.note("No sync conflicts");
        return Ok(());
    }
    let names = crate::store::snapshot::contacts_with_extras(store.conn())?
        .into_iter()
        .map(|(c, _)| (c.uid, c.fields.display_name))
        .collect::<std::collections::HashMap<_, _>>();
    let mut text = String::new();
    for c in &rows {
        let who = names.get(&c.uid).cloned().unwrap_or_else(|| c.uid.clone());
        text.push_str(&format!(
            "#{} {} ({}, {}) {}\n  kith kept:   {}\n  server had:  {}\n",
            c.id,
            sanitize_line(&who),
            sanitize_line(&c.account),
            c.found_at.format("%Y-%m-%d"),
            sanitize_line(&c.property),
            sanitize_line(&shown(&c.kept)),
            sanitize_line(&shown(&c.server)),
        ));
    }
    ctx.print(&text)
}

fn shown(lines: &[String]) -> String {
    if lines.is_empty() {
        "(nothing)".into()
    } else {
        lines.join(" | ")
    }
}

fn sync(ctx: &Ctx, only: Option<&str>) -> anyhow::Result<()> {
    let mut store = ctx.open(OpenMode::MustExist)?;
    let accounts = match only {
        Some(name) => vec![crate::store::sync::account(store.conn(), name)?],
        None => crate::store::sync::accounts(store.conn())?,
    };
    if accounts.is_empty() {
        return Err(Error::NotFound {
            what: "sync account; add one with `kith sync add`, e.g.",
            query: "kith sync add NAME --url URL --user USER --password-env VAR".into(),
        }
        .into());
    }
    let mut reports = Vec::new();
    for account in accounts {
        let report = crate::sync::run(&mut store, ctx.clock, account)?;
        if !ctx.json {
            ctx.print(&describe(&report))?;
        }
        reports.push(report);
    }
    if ctx.json {
        return ctx.print_json(&reports);
    }
    Ok(())
}

/// The text report of one sync.
fn describe(r: &Report) -> String {
    let mut parts = Vec::new();
    let count = |n: usize, what: &str| format!("{n} {what}");
    if !r.added.is_empty() {
        parts.push(count(r.added.len(), "added from the server"));
    }
    if !r.updated.is_empty() {
        parts.push(count(r.updated.len(), "updated from the server"));
    }
    if r.uploaded > 0 {
        parts.push(count(r.uploaded, "written to the server"));
    }
    if r.deleted > 0 {
        parts.push(count(r.deleted, "deleted on the server"));
    }
    let mut text = format!(
        "Synced {} ({}): {}\n",
        r.account,
        r.addressbook,
        if parts.is_empty() && r.archived.is_empty() {
            "nothing changed".to_string()
        } else if parts.is_empty() {
            "no other changes".to_string()
        } else {
            parts.join(", ")
        }
    );
    if !r.archived.is_empty() {
        text.push_str(&format!(
            "Archived {} (deleted on the server; `kith restore` brings one back): {}\n",
            r.archived.len(),
            r.archived.join(", ")
        ));
    }
    if r.conflicts > 0 {
        text.push_str(&format!(
            "{} conflicting {}: kith kept its values; see `kith sync conflicts`\n",
            r.conflicts,
            if r.conflicts == 1 {
                "property"
            } else {
                "properties"
            }
        ));
    }
    if r.changed_meanwhile > 0 {
        text.push_str(&format!(
            "{} cards changed on the server during the sync; the next sync merges them\n",
            r.changed_meanwhile
        ));
    }
    for u in &r.unreadable {
        text.push_str(&format!("warning: left a card kith cannot read: {u}\n"));
    }
    sanitize_block_lines(&text)
}

fn sanitize_block_lines(text: &str) -> String {
    text.lines()
        .map(|l| format!("{}\n", sanitize_line(l)))
        .collect()
}
