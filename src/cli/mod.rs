//! The command line: clap definitions and dispatch. Each command group lives in its own file
//! and is a thin adapter: parse arguments, call the store in one transaction, print.

mod cadence;
mod capture;
mod contacts;
mod db;
mod dupes;
mod editor;
mod export;
mod find;
mod health;
mod import;
mod interaction_form;
mod interactions;
mod links;
mod log;
mod orgs;
mod progress;
mod reminders;
mod sync;
mod today;
mod tour;
mod who_knows;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::output::Painter;
use crate::store::{OpenMode, Store};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  failure without a more specific code; for `kith today --check`: something is overdue
  2  the command line was wrong
  3  no contact, organization or follow-up matched (also `find`/`grep` finding nothing)
  4  a name matched several records equally (the candidates are listed)
  5  a value was invalid (email, phone, date, ...); nothing was written
  6  the database could not be used (missing, locked, newer version, not kith's)
  7  a file could not be read or written
  8  `kith import --skip-invalid` imported the valid records and skipped invalid ones;
     `kith capture` captured what it could read and skipped unreadable records
  9  `kith sync`: the server could not be reached, refused, or sent what kith cannot use
With --json, an error is one JSON object on stderr: {\"error\", \"message\", \"exit_code\"}.

Environment:
  KITH_DB    the database file (same as --db)
  NO_COLOR   turn colour off (it is also off when output is not a terminal)
  EDITOR     the editor for `kith edit WHO` and `kith log --edit` (VISUAL first)
  TZ         the time zone dates are read and shown in
  KITH_REGION  the region national phone numbers are dialled in (US, GB...; else the locale's)
  KITH_NOW   testing hook: fix the clock to an RFC 3339 time
  KITH_UID_SEED  testing hook: new UIDs are a fixed sequence drawn from this integer

Data lives in $XDG_DATA_HOME/kith/kith.db (~/.local/share/kith/kith.db) unless --db says otherwise.";

/// Your clients and contacts, in the terminal.
///
/// Contacts, organizations, relationships, interactions and follow-ups in one private local
/// SQLite file. Anywhere a person is named (WHO) you can write #ID, a UID, an email, a phone
/// number, or a name: fuzzy, ignoring case and accents. An ambiguous name lists the candidates
/// instead of guessing.
#[derive(Debug, Parser)]
#[command(name = "kith", version, after_long_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// The database file [default: $XDG_DATA_HOME/kith/kith.db]
    #[arg(
        long,
        env = "KITH_DB",
        hide_env_values = true,
        global = true,
        value_name = "PATH"
    )]
    pub db: Option<PathBuf>,

    /// Print JSON instead of text (stable field names, ISO 8601 times)
    #[arg(long, global = true)]
    pub json: bool,

    /// Open the interactive mode on a temporary copy of the demo data (your database is not
    /// touched; the copy is kept afterwards and its path printed)
    #[arg(long)]
    pub demo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add a contact
    #[command(
        after_help = "Examples:\n  kith add \"Ada Lovelace\" --email work:ada@example.com --org \"Analytical Engines\" --title CTO --tag client\n  kith add \"Grace Hopper\" --phone \"mobile:+1 555 0100\" --birthday 1906-12-09 --prefers call --every 2m"
    )]
    Add(contacts::AddArgs),
    /// Change a contact: with flags, or in $EDITOR when none are given
    #[command(
        after_help = "Examples:\n  kith edit ada --title CEO --email home:ada@home.example\n  kith edit ada --rm-email ada@old.example --unset birthday\n  kith edit ada              # opens $EDITOR on a readable form"
    )]
    Edit(contacts::EditArgs),
    /// Archive a contact (or delete for good with --purge)
    #[command(after_help = "Examples:\n  kith rm ada\n  kith rm --purge --yes '#12'")]
    Rm(contacts::RmArgs),
    /// Bring an archived contact back
    #[command(after_help = "Example:\n  kith restore ada")]
    Restore(contacts::WhoArg),
    /// List contacts
    #[command(
        after_help = "Examples:\n  kith list --tag client --sort last-contact\n  kith list --org acme --format csv > acme.csv\n  kith list --archived"
    )]
    List(contacts::ListArgs),
    /// Show one contact: how to reach them, history, follow-ups, relationships, notes, and
    /// their organization's notes, follow-ups and last touch
    #[command(after_help = "Examples:\n  kith show ada\n  kith show ada@example.com --json")]
    Show(contacts::ShowArgs),
    /// Add (+tag) or remove (-tag) tags on a contact
    #[command(after_help = "Example:\n  kith tag ada +client +vip -prospect")]
    Tag(contacts::TagArgs),
    /// Every tag, with how many contacts carry it
    #[command(after_help = "Example:\n  kith tags --json")]
    Tags,
    /// Organizations: add, list, show, edit, rm
    #[command(subcommand)]
    Org(orgs::OrgCommand),
    /// Link two contacts: `kith link WHO OTHER --as KIND` (knows, works-with, reports-to, introduced-by...)
    #[command(
        after_help = "Examples:\n  kith link ada grace --as introduced-by --note \"met at PyCon\"\n  kith link bob ada --as reports-to"
    )]
    Link(links::LinkArgs),
    /// Remove the link(s) between two contacts
    #[command(
        after_help = "Examples:\n  kith unlink ada grace\n  kith unlink ada grace --as knows"
    )]
    Unlink(links::UnlinkArgs),
    /// Log an interaction (call, email, meeting...) with one or more contacts; show, edit or rm one
    #[command(
        after_help = "Examples:\n  kith log ada --via call \"Budget approved; wants proposal\"\n  kith log ada,grace --via meeting --at \"yesterday 3pm\" \"Kick-off\"\n  git log -1 | kith log ada --via email --out \"Sent the changes\"   # body from stdin\n  kith log ada --edit \"Long call\"                                # body in $EDITOR\n  kith log show 12      # the whole interaction, with its body\n  kith log edit 12 --at \"yesterday 4pm\"\n  kith log rm 12\n\nA contact whose name is show, edit or rm: put -- first (kith log -- rm \"...\"), or use #ID."
    )]
    Log(log::LogArgs),
    /// Add a follow-up about a contact (or an organization with --org); edit, rm or show one
    #[command(
        after_help = "Examples:\n  kith remind ada \"send the proposal\" --due \"next friday\"\n  kith remind ada \"quarterly check-in\" --due 2027-01-15 --every 3m\n  kith remind --org acme \"renewal\" --due \"in 6 weeks\"\n  kith remind grace \"water the plants\" --due tomorrow --every 2w --after-done\n  kith remind edit 12 --due \"next monday\" --text \"send the revised deck\"\n  kith remind show 12      # with its history\n  kith remind rm 12"
    )]
    Remind(reminders::RemindArgs),
    /// List follow-ups
    #[command(
        after_help = "Examples:\n  kith reminders\n  kith reminders --overdue\n  kith reminders --upcoming 14d\n  kith reminders --all --json"
    )]
    Reminders(reminders::RemindersArgs),
    /// Mark a follow-up done (a recurring one moves to its next date)
    #[command(
        after_help = "Examples:\n  kith done 12\n  kith done 12 --log \"sent the proposal\" --via email   # also logs the interaction"
    )]
    Done(reminders::DoneArgs),
    /// Put a follow-up off until later
    #[command(after_help = "Example:\n  kith snooze 12 --until monday")]
    Snooze(reminders::SnoozeArgs),
    /// The database: where it is, check it, back it up
    #[command(subcommand)]
    Db(db::DbCommand),
    /// Print shell completions (bash, zsh, fish, elvish, powershell)
    #[command(
        after_help = "Example:\n  kith completions bash > ~/.local/share/bash-completion/completions/kith"
    )]
    Completions(db::CompletionsArgs),
    /// Walk through kith on a throw-away database
    Tour,
    /// Print the man page (roff), or one command's, or write them all
    #[command(
        after_help = "Examples:\n  kith man | man -l -\n  kith man log | man -l -\n  kith man --dir ~/.local/share/man/man1   # kith.1, kith-add.1, ..."
    )]
    Man(db::ManArgs),
    /// Open the interactive mode (what `kith` alone does on a terminal)
    #[command(
        after_help = "Keys: / filter, i log, f follow-up, d done, ? help, q quit.\nTry it on demo data first: kith --demo"
    )]
    Tui,
    /// What is due: overdue and upcoming follow-ups, people and organizations to reconnect
    /// with, birthdays
    #[command(
        after_help = "Examples:\n  kith today\n  kith today --days 14 --json\n  kith today --check || echo \"something is overdue\"   # exit 1 when overdue\n\nJSON fields (stable): date, now, horizon_days, overdue, today, upcoming (follow-ups: id,\nuid, text, due, day, all_day, days, snoozed, every, recur_from, contact, organization,\ninteraction_id), reconnect (contact, cadence, cadence_source, last_contact_at, due_on,\ndays_overdue), reconnect_organizations (organization, cadence, last_touch_at, due_on,\ndays_overdue), dates (contact, kind, label, date, on, days_until, years)."
    )]
    Today(today::TodayArgs),
    /// A default keep-in-touch cadence for everyone with a tag (a contact's own --every wins)
    #[command(
        after_help = "Examples:\n  kith tag-cadence client 30d     # reconnect with clients every 30 days\n  kith tag-cadence                # list tag cadences\n  kith tag-cadence client --clear"
    )]
    TagCadence(cadence::TagCadenceArgs),
    /// Import contacts (vCard, CSV, JSON/JSONL): matched by UID, then email, then phone
    #[command(after_help = import::EXAMPLES)]
    Import(import::ImportArgs),
    /// Export everything: JSON/JSONL (full backup), vCard, CSV; or follow-ups and birthdays as iCalendar
    #[command(after_help = export::EXAMPLES)]
    Export(export::ExportArgs),
    /// Find contacts: fuzzy over names, nicknames, organizations, titles, emails, phones, tags
    #[command(
        after_help = "Examples:\n  kith find jurgen             # finds Jürgen: case and accents ignored\n  kith find \"jrgn mllr\"        # letters left out still match\n  kith find \"ada globex\"       # words may match different fields\n  kith find ada --tag client --limit 5 --json"
    )]
    Find(find::FindArgs),
    /// Search the text of notes and interactions (full text; words match as prefixes)
    #[command(
        after_help = "Examples:\n  kith grep budget\n  kith grep \"proposal renewal\" --json"
    )]
    Grep(find::GrepArgs),
    /// List likely duplicate contacts (shared email or phone, nearly the same name)
    #[command(after_help = "Examples:\n  kith dupes\n  kith dupes --json")]
    Dupes,
    /// Capture conversations from mail (mbox, Maildir, .eml) and calendars (.ics) into the timeline
    #[command(after_help = capture::EXAMPLES)]
    Capture(capture::CaptureArgs),
    /// Your own addresses: list them, add or rm one (they decide what is in and out)
    #[command(
        after_help = "Examples:\n  kith me add ada@example.org\n  kith me\n  kith me rm ada@example.org"
    )]
    Me(capture::MeArgs),
    /// Merge contact B into A: details, tags, interactions, follow-ups, relationships; B is deleted
    #[command(after_help = "Example:\n  kith merge '#12' '#31'")]
    Merge(dupes::MergeArgs),
    /// How each relationship is doing: a health 0-100, its trend and the reasons, ranked
    #[command(after_help = health::EXAMPLES)]
    Health(health::HealthArgs),
    /// Two-way sync with CardDAV servers (Nextcloud, Fastmail, iCloud, Radicale): add, list, rm, conflicts
    #[command(after_help = sync::EXAMPLES)]
    Sync(sync::SyncArgs),
    /// Who can introduce you: paths to a person or into an organization through people you
    /// know (links, colleagues, shared meetings and mail), each hop with its evidence
    #[command(
        after_help = "Examples:\n  kith who-knows \"Maria Hill\"\n  kith who-knows globex          # your contacts there by health, then two-hop paths\n  kith who-knows acme --org --json"
    )]
    WhoKnows(who_knows::WhoKnowsArgs),
}

/// What every command needs: where the database is, how to print, and the time.
pub struct Ctx {
    pub db_path: PathBuf,
    pub json: bool,
    pub clock: Clock,
    pub painter: Painter,
    pub width: Option<usize>,
    pub stdin_is_tty: bool,
    /// Whether stdout is a terminal (a sparkline is drawn only there).
    pub stdout_is_tty: bool,
}

impl Ctx {
    pub fn open(&self, mode: OpenMode) -> Result<Store> {
        let store = Store::open(&self.db_path, mode)?;
        if let Some(up) = store.upgraded() {
            self.note(&format!(
                "Upgraded {} from schema {} to {}; the book as it was is kept in {}",
                crate::output::sanitize_line(&self.db_path.display().to_string()),
                up.from,
                crate::store::SCHEMA_VERSION,
                crate::output::sanitize_line(&up.backup.display().to_string()),
            ));
        }
        Ok(store)
    }

    /// Write text to stdout; a closed pipe surfaces as an io error main treats as success.
    pub fn print(&self, text: &str) -> anyhow::Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
        Ok(())
    }

    pub fn print_json<T: serde::Serialize>(&self, value: &T) -> anyhow::Result<()> {
        let mut text = serde_json::to_string_pretty(value)?;
        text.push('\n');
        self.print(&crate::output::escape_json_text(&text))
    }

    /// A one-line confirmation on stderr, so stdout stays clean for scripts.
    pub fn note(&self, text: &str) {
        let painter = Painter::detect(std::io::stderr().is_terminal());
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            painter.paint(
                crate::output::Role::Good,
                &crate::output::sanitize_line(text)
            )
        );
    }
}

/// The default database location: `$XDG_DATA_HOME/kith/kith.db`.
pub fn default_db_path() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "kith")
        .map(|d| d.data_dir().join("kith.db"))
        .ok_or_else(|| Error::Database {
            path: PathBuf::from("~"),
            message:
                "cannot find a home directory for the default database; pass --db or set KITH_DB"
                    .into(),
        })
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    if cli.demo {
        if cli.command.is_some() {
            return Err(Error::invalid(
                "--demo",
                "",
                "opens the interactive mode; give it no command",
            )
            .into());
        }
        return crate::tui::run_demo();
    }
    let db_path = match cli.db {
        Some(p) => p,
        None => default_db_path()?,
    };
    crate::search::phone::set_default_region(region_from_env().as_deref());
    let stdout_tty = std::io::stdout().is_terminal();
    let ctx = Ctx {
        db_path,
        json: cli.json,
        clock: Clock::from_env()?,
        painter: Painter::detect(stdout_tty),
        width: crate::output::terminal_width(stdout_tty),
        stdin_is_tty: std::io::stdin().is_terminal(),
        stdout_is_tty: stdout_tty,
    };
    let Some(command) = cli.command else {
        // main checked that this is a terminal: `kith` alone opens the interactive mode.
        return crate::tui::run(crate::tui::Options {
            db_path: ctx.db_path,
            demo: false,
        });
    };
    match command {
        Command::Add(args) => contacts::add(&ctx, args),
        Command::Edit(args) => contacts::edit(&ctx, args),
        Command::Rm(args) => contacts::rm(&ctx, args),
        Command::Restore(args) => contacts::restore(&ctx, args),
        Command::List(args) => contacts::list(&ctx, args),
        Command::Show(args) => contacts::show(&ctx, args),
        Command::Tag(args) => contacts::tag(&ctx, args),
        Command::Tags => contacts::tags(&ctx),
        Command::Org(cmd) => orgs::run(&ctx, cmd),
        Command::Link(args) => links::link(&ctx, args),
        Command::Unlink(args) => links::unlink(&ctx, args),
        Command::Log(args) => log::log(&ctx, args),
        Command::Remind(args) => reminders::remind(&ctx, args),
        Command::Reminders(args) => reminders::list(&ctx, args),
        Command::Done(args) => reminders::done(&ctx, args),
        Command::Snooze(args) => reminders::snooze(&ctx, args),
        Command::Db(cmd) => db::run(&ctx, cmd),
        Command::Completions(args) => db::completions(&ctx, args),
        Command::Man(args) => db::man(&ctx, args),
        Command::Tour => tour::tour(&ctx),
        Command::Tui => crate::tui::run(crate::tui::Options {
            db_path: ctx.db_path,
            demo: false,
        }),
        Command::Today(args) => today::today(&ctx, args),
        Command::TagCadence(args) => cadence::tag_cadence(&ctx, args),
        Command::Import(args) => import::import(&ctx, args),
        Command::Export(args) => export::export(&ctx, args),
        Command::Find(args) => find::find(&ctx, args),
        Command::Grep(args) => find::grep(&ctx, args),
        Command::Dupes => dupes::dupes(&ctx),
        Command::Merge(args) => dupes::merge(&ctx, args),
        Command::Capture(args) => capture::capture(&ctx, args),
        Command::Me(args) => capture::me(&ctx, args),
        Command::Health(args) => health::health(&ctx, args),
        Command::Sync(args) => sync::run(&ctx, args),
        Command::WhoKnows(args) => who_knows::who_knows(&ctx, args),
    }
}

/// The region national phone numbers are dialled in: `KITH_REGION`, else the locale's.
fn region_from_env() -> Option<String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    var(crate::search::phone::REGION_VAR).or_else(|| {
        ["LC_ALL", "LC_TELEPHONE", "LANG"]
            .iter()
            .find_map(|v| var(v))
            .and_then(|locale| crate::search::phone::region_of_locale(&locale))
    })
}

/// Parse a date the user typed, relative to the command's clock, leaning as `lean` says.
pub fn parse_when(
    ctx: &Ctx,
    field: &str,
    input: &str,
    lean: crate::dates::Lean,
) -> Result<crate::dates::When> {
    crate::app::parse_when(ctx.clock, field, input, lean)
}

/// `--format` for lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ListFormat {
    #[default]
    Table,
    Csv,
    Json,
}

impl ListFormat {
    pub fn resolve(self, ctx: &Ctx) -> ListFormat {
        if ctx.json { ListFormat::Json } else { self }
    }

    /// `--json --format csv` asks for two outputs at once: a usage error, not a silent pick.
    pub fn checked(self, ctx: &Ctx) -> Result<ListFormat> {
        if ctx.json && self == ListFormat::Csv {
            return Err(Error::Usage(
                "--json and --format csv ask for two different outputs; choose one".into(),
            ));
        }
        Ok(self.resolve(ctx))
    }
}

/// Write CSV rows to stdout.
pub fn print_csv(ctx: &Ctx, headers: &[&str], rows: Vec<Vec<String>>) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(headers)?;
    // CSV is data, kept exact in a file or pipe; on a terminal it is read by a person, so
    // control characters are made visible there as in every other human output.
    let on_terminal = std::io::stdout().is_terminal();
    for row in rows {
        if on_terminal {
            writer.write_record(
                row.iter()
                    .map(|c| crate::output::sanitize_line(c).into_owned()),
            )?;
        } else {
            writer.write_record(row)?;
        }
    }
    let bytes = writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    ctx.print(&String::from_utf8_lossy(&bytes))
}

/// Tell the user which record a read settled on when the name was not a sure match:
/// `kith: showing Joanna Smith (#7), the closest match for "jon" (letters of the name)`.
pub fn say_closest(name: &str, id: i64, query: &str, why: crate::resolve::Why) {
    let _ = writeln!(
        std::io::stderr(),
        "kith: {}",
        crate::output::sanitize_line(&format!(
            "showing {name} (#{id}), the closest match for \"{query}\" ({why})"
        ))
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }

    /// `--help` explains every option and every command, not just names them.
    #[test]
    fn every_command_and_option_has_help() {
        use clap::CommandFactory;
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                if arg.get_help().is_none() && !arg.is_hide_set() {
                    missing.push(format!("{path} {}", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                let path = format!("{path} {}", sub.get_name());
                if sub.get_about().is_none() {
                    missing.push(path.clone());
                }
                walk(sub, &path, missing);
            }
        }
        let mut cmd = super::Cli::command();
        cmd.build();
        let mut missing = Vec::new();
        walk(&cmd, "kith", &mut missing);
        assert!(missing.is_empty(), "no help text for: {missing:#?}");
    }
}
