//! `kith export`: the whole database as JSON/JSONL (a full backup that imports back exactly),
//! vCard (one file, or a vdir with `--out DIR/`, kept in step by [`crate::vdir`]) or CSV. Files
//! are written atomically, 0600.

use std::path::{Path, PathBuf};

use clap::Args;

use super::Ctx;
use crate::error::Error;
use crate::store::{OpenMode, snapshot};

pub const EXAMPLES: &str = "\
Examples:
  kith export --out backup.json                    # everything; `kith import backup.json` restores it
  kith export --format jsonl | jq -c 'select(.type == \"contact\")'
  kith export --format vcard --out contacts.vcf     # vCard 4.0 for any address book
  kith export --format vcard --vcard-version 3 --out ~/.contacts/kith/   # a vdir, one .vcf each
  kith export --format csv --out contacts.csv
  kith export --format ics --out ~/kith.ics        # follow-ups and birthdays for a calendar app

A vdir (--out DIR/, the layout khard and vdirsyncer keep) gets one <UID>.vcf per active contact;
a file whose text is unchanged is left untouched. kith lists the files it wrote, with the
SHA-256 of each, in DIR/.kith-export (a dotfile, which khard and vdirsyncer skip). The next
export removes a listed file whose contact is gone (deleted, merged away, archived), so a
phone synced from DIR loses them too. It never touches files it did not write, and leaves a
listed file that was changed since (by a sync, say) in place with a warning. A stale card
that cannot be removed fails the export (exit 7) once the rest is done. A directory last
exported to by an older kith has no list yet: remove stale cards there once by hand.

CSV cells that start with = + - @ or a tab or carriage return are prefixed with ' so that a
spreadsheet shows them instead of running them as formulas; --no-formula-guard turns that off.";

/// The formats `kith export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON document: everything, in kith's own schema (docs/JSON.md)
    #[default]
    Json,
    /// One JSON record per line, same schema
    Jsonl,
    /// vCard 4.0 (3.0 with --vcard-version 3): one file, or one file per contact with --out DIR/
    Vcard,
    /// One row per contact; several values in a cell are joined by " ::: "
    Csv,
    /// iCalendar (RFC 5545): follow-ups as tasks, birthdays and yearly dates as yearly events
    Ics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum VcardVersion {
    #[value(name = "3")]
    V3,
    #[default]
    #[value(name = "4")]
    V4,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to write [default: by --out's extension (.vcf, .csv, .ics, .jsonl; a directory
    /// takes vCards), else json]
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,

    /// Write to this file (atomically, readable only by you) instead of standard output; with
    /// --format vcard, a directory (existing, or ending in '/') gets one file per contact
    #[arg(long, value_name = "FILE|DIR")]
    pub out: Option<PathBuf>,

    /// vCard version to write
    #[arg(long, value_enum, default_value_t = VcardVersion::V4)]
    pub vcard_version: VcardVersion,

    /// CSV: write cells starting with = + - @ as they are, without the leading '
    #[arg(long)]
    pub no_formula_guard: bool,
}

/// The format to write: the one asked for, or the one `out`'s name says (as `kith import`
/// reads a file by its name), else kith's own JSON.
fn format_of(format: Option<ExportFormat>, out: Option<&Path>) -> ExportFormat {
    if let Some(format) = format {
        return format;
    }
    let Some(out) = out else {
        return ExportFormat::Json;
    };
    if out.is_dir() || out.as_os_str().to_string_lossy().ends_with('/') {
        return ExportFormat::Vcard;
    }
    let extension = out
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("vcf" | "vcard") => ExportFormat::Vcard,
        Some("csv") => ExportFormat::Csv,
        Some("ics" | "ical" | "ifb") => ExportFormat::Ics,
        Some("jsonl" | "ndjson") => ExportFormat::Jsonl,
        _ => ExportFormat::Json,
    }
}

pub fn export(ctx: &Ctx, args: ExportArgs) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let text = match format_of(args.format, args.out.as_deref()) {
        ExportFormat::Json => crate::formats::json::write_json(&snapshot::document(store.conn())?)?,
        ExportFormat::Jsonl => {
            crate::formats::json::write_jsonl(&snapshot::document(store.conn())?)?
        }
        ExportFormat::Vcard => return export_vcard(ctx, &store, &args),
        ExportFormat::Csv => export_csv(&store, &args)?,
        ExportFormat::Ics => crate::ics::render(
            &crate::app::views::calendar::calendar(&store)?,
            ctx.clock.now,
            &chrono::Local,
        ),
    };
    emit(ctx, args.out.as_deref(), text.as_bytes())
}

/// Standard output, or a file written atomically.
fn emit(ctx: &Ctx, out: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match out {
        None => print_data(ctx, bytes),
        Some(path) if path.as_os_str() == "-" => print_data(ctx, bytes),
        Some(path) => {
            if path.is_dir() {
                return Err(Error::invalid(
                    "--out",
                    &path.display().to_string(),
                    "is a directory; only --format vcard writes one file per contact",
                )
                .into());
            }
            crate::fsx::write_atomic(path, bytes)?;
            ctx.note(&format!("wrote {}", path.display()));
            Ok(())
        }
    }
}

/// An export on stdout: exact in a file or pipe; on a terminal a person reads it, so control
/// characters from stored text are made visible, as in every other human output.
fn print_data(ctx: &Ctx, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let text = String::from_utf8_lossy(bytes);
    if std::io::stdout().is_terminal() {
        ctx.print(&crate::output::sanitize_block(&text))
    } else {
        ctx.print(&text)
    }
}

/// Active contacts as vCards: one file (or stdout), or a vdir when `--out` is a directory
/// (existing, or written with a trailing '/').
fn export_vcard(ctx: &Ctx, store: &crate::store::Store, args: &ExportArgs) -> anyhow::Result<()> {
    use crate::formats::vcard::write::{Version, write_card};
    let version = match args.vcard_version {
        VcardVersion::V3 => Version::V3,
        VcardVersion::V4 => Version::V4,
    };
    let mut contacts: Vec<_> = snapshot::contacts_with_extras(store.conn())?
        .into_iter()
        .filter(|(c, _)| c.archived_at.is_none())
        .collect();
    contacts.sort_by(|(a, _), (b, _)| {
        (crate::model::fold(&a.fields.display_name), &a.uid)
            .cmp(&(crate::model::fold(&b.fields.display_name), &b.uid))
    });
    let as_dir = args
        .out
        .as_deref()
        .filter(|p| p.is_dir() || p.as_os_str().to_string_lossy().ends_with('/'));
    if let Some(dir) = as_dir {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| Error::io(dir, e))?;
        let cards: Vec<(String, String)> = contacts
            .iter()
            .map(|(c, extras)| {
                let mut text = String::new();
                write_card(&mut text, &c.uid, &c.fields, extras, version);
                (crate::vdir::file_name(&c.uid), text)
            })
            .collect();
        let outcome = crate::vdir::export(dir, &cards)?;
        return report_vdir(ctx, dir, outcome);
    }
    let mut text = String::new();
    for (c, extras) in &contacts {
        write_card(&mut text, &c.uid, &c.fields, extras, version);
    }
    emit(ctx, args.out.as_deref(), text.as_bytes())
}

/// The note of a vdir export and a warning for each file left that a person should look at;
/// an error when a stale card could not be removed.
fn report_vdir(ctx: &Ctx, dir: &Path, outcome: crate::vdir::Outcome) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    let mut warn = |text: String| {
        let _ = writeln!(stderr, "warning: {}", crate::output::sanitize_line(&text));
    };
    let manifest = dir.join(crate::vdir::MANIFEST);
    for (line, text) in &outcome.ignored_lines {
        warn(format!(
            "{}:{line}: not a line kith writes, ignored: {text}",
            manifest.display()
        ));
    }
    for name in &outcome.kept_changed {
        warn(format!(
            "left {} in place: its contact is no longer exported, but the file was changed \
             since kith wrote it; delete it yourself if it is not wanted",
            dir.join(name).display()
        ));
    }
    let removed = match outcome.removed.len() {
        0 => String::new(),
        n => format!(", {n} removed"),
    };
    ctx.note(&format!(
        "wrote {} vCard{} to {} ({} unchanged{removed})",
        outcome.written,
        if outcome.written == 1 { "" } else { "s" },
        dir.display(),
        outcome.unchanged,
    ));
    // A stale card left behind would be synced on as if the contact still existed: the export
    // fails (after doing everything else, the manifest still listing the file for next time).
    let mut not_removed = outcome.not_removed.into_iter();
    let first = not_removed.next();
    for (name, e) in not_removed {
        warn(format!(
            "could not remove {}: {e}",
            dir.join(name).display()
        ));
    }
    match first {
        None => Ok(()),
        Some((name, e)) => Err(Error::io(
            dir.join(name),
            std::io::Error::new(
                e.kind(),
                format!(
                    "could not remove this card of a contact no longer exported ({e}); \
                     the next export tries again"
                ),
            ),
        )
        .into()),
    }
}

/// Active contacts as CSV, guarded against spreadsheet formulas unless asked not to be.
fn export_csv(store: &crate::store::Store, args: &ExportArgs) -> anyhow::Result<String> {
    use crate::formats::csv::{EXPORT_HEADERS, export_row};
    let mut contacts: Vec<_> = snapshot::contacts_with_extras(store.conn())?
        .into_iter()
        .filter(|(c, _)| c.archived_at.is_none())
        .collect();
    contacts.sort_by(|(a, _), (b, _)| {
        (crate::model::fold(&a.fields.display_name), &a.uid)
            .cmp(&(crate::model::fold(&b.fields.display_name), &b.uid))
    });
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(EXPORT_HEADERS)?;
    for (c, _) in &contacts {
        writer.write_record(export_row(
            &c.uid,
            &c.fields,
            &crate::store::ts(c.created_at),
            &crate::store::ts(c.updated_at),
            !args.no_formula_guard,
        ))?;
    }
    let bytes = writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(String::from_utf8(bytes)?)
}
