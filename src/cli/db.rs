//! `kith db path|check|backup`, `kith completions`, `kith man`.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Subcommand};

use super::{Cli, Ctx};
use crate::error::Error;
use crate::store::OpenMode;

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Print where the database is
    Path,
    /// Check the database's integrity and foreign keys
    Check,
    /// Copy the database safely while it may be in use
    #[command(
        after_help = "Examples:\n  kith db backup                     # beside the database, time-stamped\n  kith db backup ~/backups/kith.db"
    )]
    Backup(BackupArgs),
    /// Replace the database with a backup, keeping the current one
    #[command(
        after_help = "The backup is checked first (a kith database, readable by this kith, integrity and\nforeign keys intact); nothing is replaced unless it passes. The current database is\nkept beside it as DB.<time>.before-restore, and printed.\n\nExamples:\n  kith db restore ~/backups/kith-20261101.db\n  kith db restore old.db --yes      # in scripts"
    )]
    Restore(RestoreArgs),
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to restore (a kith database file)
    pub file: PathBuf,
    /// Do not ask for confirmation on a terminal
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy [default: beside the database, time-stamped]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(ctx: &Ctx, cmd: DbCommand) -> anyhow::Result<()> {
    match cmd {
        DbCommand::Path => {
            if ctx.json {
                return ctx.print_json(
                    &serde_json::json!({ "path": ctx.db_path, "exists": ctx.db_path.exists() }),
                );
            }
            ctx.print(&format!("{}\n", ctx.db_path.display()))
        }
        DbCommand::Check => {
            let store = ctx.open(OpenMode::MustExist)?;
            let problems = store.check()?;
            let version = store.schema_version()?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({
                    "path": ctx.db_path, "schema_version": version, "ok": problems.is_empty(), "problems": problems
                }))?;
            } else if problems.is_empty() {
                ctx.print(&format!(
                    "ok: {} (schema version {version}): integrity and foreign keys intact\n",
                    ctx.db_path.display()
                ))?;
            } else {
                let mut text = format!(
                    "{}: {} problem(s):\n",
                    ctx.db_path.display(),
                    problems.len()
                );
                for p in &problems {
                    text.push_str(&format!("  {}\n", crate::output::sanitize_line(p)));
                }
                ctx.print(&text)?;
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(Error::Database {
                    path: ctx.db_path.clone(),
                    message: "failed its integrity check".into(),
                }
                .into())
            }
        }
        DbCommand::Backup(a) => {
            let store = ctx.open(OpenMode::MustExist)?;
            // "backups/" names a directory, made if missing, as a file's parents are.
            let dest = match a.path {
                Some(p) if p.is_dir() || p.as_os_str().to_string_lossy().ends_with('/') => p.join(
                    format!("kith-{}.db", ctx.clock.now.format("%Y%m%dT%H%M%SZ")),
                ),
                Some(p) => p,
                None => {
                    let mut name = ctx.db_path.as_os_str().to_owned();
                    name.push(format!(".{}.bak", ctx.clock.now.format("%Y%m%dT%H%M%SZ")));
                    PathBuf::from(name)
                }
            };
            store.backup_to(&dest)?;
            if ctx.json {
                return ctx.print_json(&serde_json::json!({ "backup": dest }));
            }
            ctx.print(&format!("{}\n", dest.display()))
        }
        DbCommand::Restore(a) => restore(ctx, a),
    }
}

fn restore(ctx: &Ctx, a: RestoreArgs) -> anyhow::Result<()> {
    let mut store = ctx.open(OpenMode::CreateIfMissing)?;
    if same_file(&a.file, &ctx.db_path) {
        return Err(Error::Invalid {
            field: "backup".into(),
            value: a.file.display().to_string(),
            reason: "is the database itself".into(),
        }
        .into());
    }
    if !a.yes && ctx.stdin_is_tty {
        let question = format!(
            "Replace {} with {}? The current contents are kept as a backup. [y/N] ",
            ctx.db_path.display(),
            a.file.display()
        );
        if !super::contacts::confirm(&question)? {
            ctx.note("Nothing restored");
            return Ok(());
        }
    }
    let mut kept = ctx.db_path.as_os_str().to_owned();
    kept.push(format!(
        ".{}.before-restore",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ")
    ));
    let kept = PathBuf::from(kept);
    store.restore_from(&a.file, &kept)?;
    if ctx.json {
        return ctx.print_json(&serde_json::json!({ "restored": a.file, "previous": kept }));
    }
    ctx.note(&format!(
        "Restored {}; the previous database is kept at {}",
        a.file.display(),
        kept.display()
    ));
    Ok(())
}

fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

pub fn completions(ctx: &Ctx, a: CompletionsArgs) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "kith", &mut buf);
    ctx.print(&String::from_utf8_lossy(&buf))
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A command to show the page of (`kith man log`); all of kith when left out
    pub command: Vec<String>,
    /// Write kith.1 and one page per command (kith-add.1, kith-org-add.1, ...) into DIR
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub dir: Option<PathBuf>,
}

pub fn man(ctx: &Ctx, a: ManArgs) -> anyhow::Result<()> {
    let mut root = Cli::command();
    root.build();
    if let Some(dir) = a.dir {
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let mut written = Vec::new();
        write_pages(&root, "kith", &dir, &mut written)?;
        ctx.note(&format!(
            "Wrote {} man pages into {}",
            written.len(),
            dir.display()
        ));
        return Ok(());
    }
    let mut page = root;
    let mut name = String::from("kith");
    for word in &a.command {
        let Some(sub) = page.find_subcommand(word).cloned() else {
            return Err(Error::NotFound {
                what: "command",
                query: format!("{name} {word}"),
            }
            .into());
        };
        name = format!("{name}-{word}");
        page = sub
            .display_name(name.clone())
            .bin_name(name.replace('-', " "));
    }
    let mut buf = Vec::new();
    clap_mangen::Man::new(page).render(&mut buf)?;
    ctx.print(&String::from_utf8_lossy(&buf))
}

/// `name.1` for `cmd`, then a page per subcommand, recursively (as git's kith-sub pages).
fn write_pages(
    cmd: &clap::Command,
    name: &str,
    dir: &std::path::Path,
    written: &mut Vec<PathBuf>,
) -> anyhow::Result<()> {
    let page = cmd
        .clone()
        .display_name(name.to_string())
        .bin_name(name.replace('-', " "));
    let mut buf = Vec::new();
    clap_mangen::Man::new(page).render(&mut buf)?;
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, buf).map_err(|e| Error::io(&path, e))?;
    written.push(path);
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        write_pages(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}
