//! `kith export --format ics`: follow-ups, birthdays and yearly dates for a calendar app.
//! (The vCard/CSV/JSON formats of `kith export` live beside this; this file is ICS only.)

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::Ctx;
use crate::error::Error;
use crate::store::OpenMode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// iCalendar (RFC 5545): follow-ups as tasks, birthdays and yearly dates as events
    Ics,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file format
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Where to write ("-" or absent: standard output). Written whole or not at all, mode 0600
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn export(ctx: &Ctx, a: ExportArgs) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let mut bytes = Vec::new();
    match a.format {
        ExportFormat::Ics => crate::ics::write_ics(&store, ctx.clock, &mut bytes)?,
    }
    match a.out.as_deref() {
        None => ctx.print(&String::from_utf8_lossy(&bytes)),
        Some(p) if p.as_os_str() == "-" => ctx.print(&String::from_utf8_lossy(&bytes)),
        Some(path) => {
            write_atomically(path, &bytes)?;
            ctx.note(&format!("Wrote {}", path.display()));
            Ok(())
        }
    }
}

/// Write `bytes` to `path` so that readers see the old file or the new one, never half of
/// one: a private temporary file beside it, flushed to disk, then renamed over it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".kith-export")
        .tempfile_in(&dir)
        .map_err(|e| Error::io(&dir, e))?;
    let io = |e| Error::io(path, e);
    tmp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(0o600))
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    // The rename itself is durable once the directory is synced.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
