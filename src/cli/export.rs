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
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to write
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,

    /// Write to this file (atomically, readable only by you) instead of standard output
    #[arg(long, value_name = "FILE|DIR")]
    pub out: Option<PathBuf>,
}

pub fn export(ctx: &Ctx, args: ExportArgs) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let text = match args.format {
        ExportFormat::Json => crate::formats::json::write_json(&snapshot::document(store.conn())?)?,
        ExportFormat::Jsonl => {
            crate::formats::json::write_jsonl(&snapshot::document(store.conn())?)?
        }
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
