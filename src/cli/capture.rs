//! `kith capture` (mail and calendar files into the timeline, and `--undo BATCH`) and `kith me` (the
//! addresses that are mine). Thin: the files are read by `capture_files`, the run is
//! `app::capture`, the report is rendered by `output::capture`.

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Ctx;
use crate::app::capture::{self, CaptureOptions, Include};
use crate::capture::addresses::Me;
use crate::capture_files::{self, CalendarOptions, ReadOptions};
use crate::error::Error;
use crate::output::sanitize_line;
use crate::store::OpenMode;

pub const EXAMPLES: &str = "\
Examples:
  kith me add ada@example.org                  # who you are decides in and out
  kith capture ~/Mail/INBOX ~/Mail/Sent        # Maildir folders (cur/, new/)
  kith capture archive.mbox --dry-run          # what it would log, nothing written
  notmuch search --output=files from:acme.example | kith capture --files-from -
  kith capture ~/Mail --add-unknown            # also add the people you write with
  kith capture ~/Downloads/calendar.ics        # an exported calendar: past meetings
  kith capture --undo 20261203-101500          # take a run back

Files are recognised by content: an mbox, a Maildir, a message (.eml), an iCalendar file
(.ics) or a folder of them.
A message becomes one email interaction with every contact among From, To and Cc; capturing
it again changes nothing. Mailing lists, automated mail and mail to more than 20 people are
counted and skipped unless included. A message that cannot be read is named (file, and byte
offset in an mbox) and skipped, and the run exits 8. Each past occurrence of an event
(not declined by you, not cancelled) becomes a meeting with its organizer and attendees who
are contacts; a later export updates changed ones and removes cancelled ones.";

#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// mbox files, Maildir folders, .eml files, .ics calendars, or folders of them
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Read the paths, one a line, from FILE (- for standard input)
    #[arg(long, value_name = "FILE|-")]
    pub files_from: Option<PathBuf>,

    /// One of my addresses, for this run only (repeatable); `kith me add` keeps one
    #[arg(long = "me", value_name = "ADDRESS")]
    pub me: Vec<String>,

    /// Keep each message's plain text, without quoted replies, cut at 4000 characters
    #[arg(long)]
    pub with_body: bool,

    /// Capture mailing-list mail too (List-Id, List-Unsubscribe, Precedence: bulk)
    #[arg(long)]
    pub include_lists: bool,

    /// Capture automated mail too (bounces, auto-replies, no-reply senders)
    #[arg(long)]
    pub include_automated: bool,

    /// Capture mail to more than 20 people too
    #[arg(long)]
    pub include_crowds: bool,

    /// Add the people mail went both ways with who are not contacts, and log their mail
    #[arg(long)]
    pub add_unknown: bool,

    /// Print what would be captured and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Take back the run with this batch id (printed by its report): remove what it added
    #[arg(long, value_name = "BATCH", conflicts_with_all = ["paths", "files_from", "dry_run", "add_unknown"])]
    pub undo: Option<String>,
}

pub fn capture(ctx: &Ctx, args: CaptureArgs) -> anyhow::Result<()> {
    if let Some(batch) = &args.undo {
        let mut store = ctx.open(OpenMode::MustExist)?;
        let undone = capture::undo(&mut store, batch)?;
        return if ctx.json {
            ctx.print_json(&undone)
        } else {
            ctx.print(&crate::output::capture::undone(&undone))
        };
    }
    // When nothing named on the command line is there, it is a mistake: refused before the
    // run. Beside paths that are (a Sent folder not made yet, a Maildir file a --files-from
    // list named and then renamed as its flags changed), it is named and skipped, as a file
    // that cannot be read, and the rest is captured.
    if args.files_from.is_none()
        && let Some((path, source)) = capture_files::first_missing(&args.paths)
        && args.paths.iter().all(|p| !p.exists())
    {
        return Err(Error::Io { path, source }.into());
    }
    let mut paths = args.paths.clone();
    if let Some(list) = &args.files_from {
        paths.extend(capture_files::paths_from(&read_list(list)?));
    }
    // An empty --files-from list is a quiet day (a cron line after no new mail), not a mistake.
    if paths.is_empty() && args.files_from.is_none() {
        return Err(Error::Usage(
            "name what to capture: mbox files, Maildir folders, .eml files, .ics calendars, or --files-from".into(),
        )
        .into());
    }
    let options = CaptureOptions {
        me: args.me.clone(),
        include: Include {
            lists: args.include_lists,
            automated: args.include_automated,
            crowds: args.include_crowds,
        },
        add_unknown: args.add_unknown,
        dry_run: args.dry_run,
        sources: paths.iter().map(|p| p.display().to_string()).collect(),
    };
    let mut store = ctx.open(OpenMode::CreateIfMissing)?;
    let progress = super::progress::Progress::new("capturing");
    // Which calendar events I declined is decided as they are read.
    let stored_me = capture::me_list(&store)?;
    let me = Me::new(
        stored_me
            .iter()
            .map(|m| m.address.as_str())
            .chain(args.me.iter().map(String::as_str)),
    );
    let items = capture_files::read(
        paths,
        ReadOptions {
            with_body: args.with_body,
        },
        CalendarOptions {
            now: ctx.clock.now,
            me,
        },
    )
    .enumerate()
    .map(|(n, item)| {
        progress.tick(n + 1);
        item
    });
    let report = capture::run(&mut store, ctx.clock, &options, items);
    progress.finish();
    let report = report?;
    if ctx.json {
        ctx.print_json(&report)?;
    } else {
        ctx.print(&crate::output::capture::report(&report, ctx.painter))?;
    }
    if !report.skipped.is_empty() {
        let n = report.skipped.len();
        let message = if report.read == 0 {
            format!("nothing could be read: {}, named above", unreadable(n))
        } else {
            let did = if report.dry_run {
                "planned from"
            } else {
                "captured"
            };
            format!(
                "{did} what could be read; skipped {}, named above",
                unreadable(n)
            )
        };
        return Err(Error::Partial(message).into());
    }
    Ok(())
}

/// "1 unreadable record", "2 unreadable records".
fn unreadable(n: usize) -> String {
    format!("{n} unreadable record{}", if n == 1 { "" } else { "s" })
}

/// The text of a `--files-from` list: a file, or standard input for `-`.
fn read_list(path: &PathBuf) -> Result<String, Error> {
    let io = |e: std::io::Error| Error::Io {
        path: path.clone(),
        source: e,
    };
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(io)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).map_err(io)
    }
}

#[derive(Debug, Args)]
pub struct MeArgs {
    #[command(subcommand)]
    pub command: Option<MeCommand>,
}

#[derive(Debug, Subcommand)]
pub enum MeCommand {
    /// Add one of my addresses (mail from it is outbound, to it inbound)
    Add {
        /// The address
        address: String,
    },
    /// Remove one of my addresses
    Rm {
        /// The address (any spelling of it: case and a +tag are ignored)
        address: String,
    },
}

pub fn me(ctx: &Ctx, args: MeArgs) -> anyhow::Result<()> {
    match args.command {
        None => {
            let store = ctx.open(OpenMode::MustExist)?;
            let list = capture::me_list(&store)?;
            if ctx.json {
                return ctx.print_json(&list);
            }
            if list.is_empty() {
                ctx.note("No addresses of yours yet: `kith me add ADDRESS`");
                return Ok(());
            }
            let text: String = list
                .iter()
                .map(|m| format!("{}\n", sanitize_line(&m.address)))
                .collect();
            ctx.print(&text)
        }
        Some(MeCommand::Add { address }) => {
            let mut store = ctx.open(OpenMode::CreateIfMissing)?;
            let added = capture::me_add(&mut store, ctx.clock, &address)?;
            if ctx.json {
                return ctx
                    .print_json(&serde_json::json!({"address": address.trim(), "added": added}));
            }
            if added {
                ctx.note(&format!("Added {} as yours", address.trim()));
            } else {
                ctx.note(&format!("{} is yours already", address.trim()));
            }
            Ok(())
        }
        Some(MeCommand::Rm { address }) => {
            let mut store = ctx.open(OpenMode::MustExist)?;
            let removed = capture::me_remove(&mut store, &address)?;
            if ctx.json {
                return ctx.print_json(&serde_json::json!({"address": removed, "removed": true}));
            }
            ctx.note(&format!("Removed {removed}"));
            Ok(())
        }
    }
}
