//! `kith export`: the whole database as JSON/JSONL (a full backup that imports back exactly),
//! vCard (one file, or a vdir with `--out DIR/`) or CSV. Files are written atomically, 0600.

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

CSV cells that start with = + - @ or a tab or carriage return are prefixed with ' so that a
spreadsheet shows them instead of running them as formulas; --no-formula-guard turns that off.";

/// The formats `kith export` writes. (An `Ics` arm belongs here too.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON document: everything, in kith's own schema (docs/JSON.md)
    #[default]
    Json,
    /// One JSON record per line, same schema
    Jsonl,
    /// vCard 4.0 (3.0 with --vcard-version 3): one file, or one file per contact with --out DIR/
    Vcard,
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
    /// What to write
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,

    /// Write to this file (atomically, readable only by you) instead of standard output
    #[arg(long, value_name = "FILE|DIR")]
    pub out: Option<PathBuf>,

    /// vCard version to write
    #[arg(long, value_enum, default_value_t = VcardVersion::V4)]
    pub vcard_version: VcardVersion,
}

pub fn export(ctx: &Ctx, args: ExportArgs) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let text = match args.format {
        ExportFormat::Json => crate::formats::json::write_json(&snapshot::document(store.conn())?)?,
        ExportFormat::Jsonl => {
            crate::formats::json::write_jsonl(&snapshot::document(store.conn())?)?
        }
        ExportFormat::Vcard => return export_vcard(ctx, &store, &args),
    };
    emit(ctx, args.out.as_deref(), text.as_bytes())
}

/// Standard output, or a file written atomically.
fn emit(ctx: &Ctx, out: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match out {
        None => ctx.print(&String::from_utf8_lossy(bytes)),
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

/// Active contacts as vCards: one file (or stdout), or a vdir when `--out` is a directory
/// (existing, or written with a trailing '/').
fn export_vcard(ctx: &Ctx, store: &crate::store::Store, args: &ExportArgs) -> anyhow::Result<()> {
    use crate::formats::vcard_write::{Version, write_card};
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
        for (c, extras) in &contacts {
            let mut text = String::new();
            write_card(&mut text, &c.uid, &c.fields, extras, version);
            let name: String = c
                .uid
                .chars()
                .map(|ch| {
                    if ch.is_ascii_alphanumeric() || "-_.@".contains(ch) {
                        ch
                    } else {
                        '_'
                    }
                })
                .collect();
            crate::fsx::write_atomic(&dir.join(format!("{name}.vcf")), text.as_bytes())?;
        }
        ctx.note(&format!(
            "wrote {} vCards to {}",
            contacts.len(),
            dir.display()
        ));
        return Ok(());
    }
    let mut text = String::new();
    for (c, extras) in &contacts {
        write_card(&mut text, &c.uid, &c.fields, extras, version);
    }
    emit(ctx, args.out.as_deref(), text.as_bytes())
}
