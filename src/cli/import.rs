//! `kith import`: files, directories (with the folders in them: a vdir tree of .vcf files) or
//! stdin, in one transaction; the report, with the folders read and the CSV columns kept.

use std::collections::HashSet;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use super::Ctx;
use crate::error::Error;
use crate::formats::csv::{MAP_FIELDS, is_map_field};
use crate::formats::sniff::{ImportFormat, sniff};
use crate::formats::{ReadOptions, Records};
use crate::import::{FolderRead, OnConflict, Options, Outcome, Report, Source, UnknownColumn};
use crate::output::{Role, sanitize_line};
use crate::store::OpenMode;

pub const EXAMPLES: &str = "\
Examples:
  kith import contacts.vcf
  kith import ~/.contacts/                        # a vdir tree: every folder in it
  kith import Connections.csv --tag linkedin --dry-run
  kith import leads.csv --map \"Mail=email\" --map \"Firm=organization\"
  cat leads.jsonl | kith import --format jsonl -
  kith import backup.json --on-conflict replace

Records are matched to stored contacts by UID, then email, then phone. Importing the same
file twice changes nothing. One invalid record means nothing is written (exit 5) unless
--skip-invalid is given (then exit 8 when some were skipped). Formats are recognised from
the content and the file name unless --format says.";

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files or directories (read with the folders in them) to import, or - for standard input
    #[arg(value_name = "FILE|DIR|-", required = true)]
    pub paths: Vec<PathBuf>,

    /// The input format [default: recognised from the content and the file name]
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,

    /// What to do with a record that matches a stored contact
    #[arg(long, value_enum, default_value_t = OnConflict::Merge)]
    pub on_conflict: OnConflict,

    /// Print what would happen (new, merged, unchanged, invalid) and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Tag every imported contact (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// Import the valid records and report the invalid ones (exit 8 when any were skipped)
    #[arg(long)]
    pub skip_invalid: bool,

    /// CSV: read column COLUMN as FIELD (display_name, given_name, family_name, nickname,
    /// organization, title, email, phone, address, url, social, birthday, notes, tags, uid;
    /// ignore drops the column)
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
}

/// One input with its format decided: read into memory, or, for a file longer than
/// [`HEAD`], its first bytes and the file open at the rest (a vCard file is then parsed as it
/// is read).
struct Input {
    name: String,
    format: ImportFormat,
    bytes: Vec<u8>,
    rest: Option<std::fs::File>,
}

/// How much of a file is read before deciding its format: a file no longer than this is read
/// whole. Files are opened one by one this way, so a folder of many small cards holds no
/// file open.
const HEAD: u64 = 1 << 20;

pub fn import(ctx: &Ctx, args: ImportArgs) -> anyhow::Result<()> {
    let mut tags = Vec::new();
    for t in &args.tags {
        tags.push(crate::model::normalize_tag(t)?);
    }
    let read_options = ReadOptions {
        csv_map: csv_map(&args.map)?,
    };
    let (inputs, folders) = gather(&args.paths, args.format)?;
    let mut sources = Vec::new();
    let mut unknown_columns = Vec::new();
    let mut unreadable = Vec::new();
    for input in inputs {
        let rest = input
            .rest
            .map(|f| Box::new(f) as Box<dyn std::io::Read + Send>);
        match crate::formats::open_streaming(input.format, input.bytes, rest, &read_options) {
            Ok(opened) => {
                unknown_columns.extend(opened.unknown_columns.into_iter().map(|c| UnknownColumn {
                    file: input.name.clone(),
                    column: c.column,
                    property: c.property,
                }));
                sources.push(Source {
                    name: input.name,
                    records: opened.records,
                })
            }
            Err(reason) => unreadable.push(at_line(&input.name, &reason)),
        }
    }
    if !unreadable.is_empty() {
        let mut err = std::io::stderr().lock();
        for line in &unreadable {
            let _ = writeln!(err, "{}", sanitize_line(line));
        }
        return Err(Error::Refused(format!(
            "nothing imported: {} input(s) could not be read",
            unreadable.len()
        ))
        .into());
    }
    let sources: Vec<Source<'_>> = sources
        .into_iter()
        .map(|s| Source {
            name: s.name,
            records: s.records as Records,
        })
        .collect();
    let options = Options {
        on_conflict: args.on_conflict,
        tags,
        skip_invalid: args.skip_invalid,
        dry_run: args.dry_run,
        // What the report prints: every record for a dry run and for JSON.
        every_record: args.dry_run || ctx.json,
    };
    // An import that writes nothing (a dry run, or one refused) leaves no new database
    // behind either.
    let existed = ctx.db_path.exists();
    let mut store = ctx.open(OpenMode::CreateIfMissing)?;
    let progress = super::progress::Progress::new("importing");
    let result = crate::app::import::run(&mut store, sources, &options, ctx.clock.now, &mut |n| {
        progress.tick(n)
    });
    progress.finish();
    if !existed && !result.as_ref().is_ok_and(|r| r.committed) {
        drop(store);
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut path = ctx.db_path.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
    let mut report = result?;
    report.unknown_columns = unknown_columns;
    report.folders = folders;
    print_report(ctx, &report, &options)
}

/// The `--map "COLUMN=FIELD"` pairs; a pair without `=` or with a field kith does not have
/// is a usage error that lists the fields.
fn csv_map(pairs: &[String]) -> Result<Vec<(String, String)>, Error> {
    let mut map = Vec::new();
    for pair in pairs {
        let Some((column, field)) = pair.split_once('=') else {
            return Err(Error::Usage(format!(
                "--map \"{pair}\": expected COLUMN=FIELD, e.g. --map \"E-mail=email\"; FIELD is one of: {MAP_FIELDS}"
            )));
        };
        let (column, field) = (column.trim(), field.trim());
        if column.is_empty() {
            return Err(Error::Usage(format!(
                "--map \"{pair}\": no column before the =; expected COLUMN=FIELD"
            )));
        }
        if !is_map_field(field) {
            return Err(Error::Usage(format!(
                "--map \"{pair}\": unknown field \"{field}\"; FIELD is one of: {MAP_FIELDS}"
            )));
        }
        map.push((column.to_string(), field.to_string()));
    }
    Ok(map)
}

/// Files named on the command line, directories expanded to their address-book files (see
/// [`files_in`]); and the folders read, when a directory was named.
fn gather(
    paths: &[PathBuf],
    format: Option<ImportFormat>,
) -> anyhow::Result<(Vec<Input>, Vec<FolderRead>)> {
    let mut inputs = Vec::new();
    let mut folders = Vec::new();
    for path in paths {
        if path == Path::new("-") {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io("standard input", e))?;
            let format = format.or_else(|| sniff(None, &bytes)).ok_or_else(|| {
                Error::invalid("input", "-", "its format is not recognised; say --format")
            })?;
            inputs.push(Input {
                name: "<stdin>".into(),
                format,
                bytes,
                rest: None,
            });
        } else if path.is_dir() {
            let mut found = Vec::new();
            files_in(path, &mut HashSet::new(), &mut found)?;
            if found.is_empty() {
                return Err(Error::invalid(
                    "directory",
                    &path.display().to_string(),
                    "holds no .vcf, .vcard, .csv, .json or .jsonl files, in it or in any folder in it",
                )
                .into());
            }
            for (folder, files) in found {
                folders.push(FolderRead {
                    folder: folder.display().to_string(),
                    files: files.len(),
                });
                for file in files {
                    inputs.push(read_file(&file, format, false)?);
                }
            }
        } else {
            inputs.push(read_file(path, format, true)?);
        }
    }
    Ok((inputs, folders))
}

/// The address-book files of `dir`, by name, then those of each folder in it, recursively:
/// a vdir tree such as `~/.contacts/` (khard, vdirsyncer) holds one folder per address book.
/// Hidden files and folders (`.kith-export`, `.git`) are skipped; a folder reached twice
/// (through a link) is read once. Only folders that hold such files are listed.
fn files_in(
    dir: &Path,
    seen: &mut HashSet<PathBuf>,
    found: &mut Vec<(PathBuf, Vec<PathBuf>)>,
) -> anyhow::Result<()> {
    let real = std::fs::canonicalize(dir).map_err(|e| Error::io(dir, e))?;
    if !seen.insert(real) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !n.starts_with('.'))
        })
        .collect();
    entries.sort();
    let (folders, files): (Vec<PathBuf>, Vec<PathBuf>) =
        entries.into_iter().partition(|p| p.is_dir());
    let files: Vec<PathBuf> = files
        .into_iter()
        .filter(|p| {
            p.is_file()
                && p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    matches!(
                        e.to_ascii_lowercase().as_str(),
                        "vcf" | "vcard" | "csv" | "json" | "jsonl" | "ndjson"
                    )
                })
        })
        .collect();
    if !files.is_empty() {
        found.push((dir.to_path_buf(), files));
    }
    for folder in folders {
        files_in(&folder, seen, found)?;
    }
    Ok(())
}

/// Read one input file. A file named on the command line that is empty is refused (likely
/// the wrong file); one found in a directory is simply one with no contacts.
fn read_file(path: &Path, format: Option<ImportFormat>, named: bool) -> anyhow::Result<Input> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::new();
    (&mut file)
        .take(HEAD)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    let mut rest = (bytes.len() as u64 == HEAD).then_some(file);
    let blank = |bytes: &[u8]| bytes.iter().all(u8::is_ascii_whitespace);
    if named && blank(&bytes) {
        // A megabyte of blanks: whether anything follows decides.
        if let Some(mut file) = rest.take() {
            file.read_to_end(&mut bytes)
                .map_err(|e| Error::io(path, e))?;
        }
    }
    let name = path.display().to_string();
    if named && blank(&bytes) {
        return Err(Error::invalid("file", &name, "is empty: there is nothing to import").into());
    }
    if named && is_binary(&bytes) {
        return Err(Error::invalid(
            "file",
            &name,
            "is not a text file (it holds NUL bytes), so not vCard, CSV or JSON: the wrong file?",
        )
        .into());
    }
    let format = format
        .or_else(|| sniff(Some(path), &bytes))
        .ok_or_else(|| {
            // A calendar or a mailbox holds conversations, which `kith capture` reads.
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
            let reason = if head.contains("BEGIN:VCALENDAR") || head.starts_with("From ") {
                "is a calendar or a mailbox, not contacts: `kith capture` logs the meetings \
                 and mail in it as interactions"
            } else {
                "its format is not recognised (not vCard, CSV or JSON); say --format"
            };
            Error::invalid("file", &name, reason)
        })?;
    Ok(Input {
        name,
        format,
        bytes,
        rest,
    })
}

/// Whether the start of a file is binary rather than text: more than a tenth of its first
/// 8 KiB NUL bytes (a program's or an image's are a third or more), unless it is UTF-16 (a
/// byte order mark, or the NULs of ASCII text in UTF-16), which the readers decode. A
/// stray NUL in text is kept, made visible, as any control character is; a program or an
/// archive named `.vcf` was read as stray text whose bytes filled the report.
fn is_binary(head: &[u8]) -> bool {
    let head = &head[..head.len().min(8192)];
    let utf16 = head.starts_with(b"\xFF\xFE")
        || head.starts_with(b"\xFE\xFF")
        || (head.len() >= 4 && ((head[1] == 0 && head[3] == 0) || (head[0] == 0 && head[2] == 0)));
    let nuls = head.iter().filter(|&&b| b == 0).count();
    !utf16 && nuls * 10 > head.len()
}

/// Why file `name` could not be read, as `file:line: why` (the form of every other
/// problem a report names) when the reason starts with the line it is on.
fn at_line(name: &str, reason: &str) -> String {
    let line = reason
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
        .filter(|(number, _)| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()));
    match line {
        Some((number, why)) => format!("{name}:{number}: {why}"),
        None => format!("{name}: {reason}"),
    }
}

/// A count of records on stderr, only when stderr is a terminal.
fn summary(report: &Report) -> String {
    let records = Outcome::ALL
        .iter()
        .filter(|o| report.count(**o) > 0 || matches!(o, Outcome::New))
        .map(|o| format!("{} {}", crate::error::grouped(report.count(*o)), o.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    match report.organizations_created {
        0 => records,
        1 => format!("{records}; 1 new organization"),
        n => format!("{records}; {} new organizations", crate::error::grouped(n)),
    }
}

/// "read 2 folders: ~/.contacts/family (3 files), ~/.contacts/work (12 files)".
fn folders_read(folders: &[FolderRead]) -> String {
    if folders.is_empty() {
        return String::new();
    }
    let list: Vec<String> = folders
        .iter()
        .map(|f| {
            let files = if f.files == 1 { "file" } else { "files" };
            format!("{} ({} {files})", sanitize_line(&f.folder), f.files)
        })
        .collect();
    let noun = if folders.len() == 1 {
        "folder"
    } else {
        "folders"
    };
    format!("read {} {noun}: {}\n", folders.len(), list.join(", "))
}

/// The CSV columns kith kept without knowing them, file by file, and how `--map` reads one.
fn unknown_columns(columns: &[UnknownColumn]) -> String {
    let mut out = String::new();
    let mut files: Vec<&str> = columns.iter().map(|c| c.file.as_str()).collect();
    files.dedup();
    for file in files {
        let of_file: Vec<String> = columns
            .iter()
            .filter(|c| c.file == file)
            .map(|c| sanitize_line(&c.column).into_owned())
            .collect();
        let names: Vec<String> = of_file.iter().map(|c| format!("\"{c}\"")).collect();
        let noun = if names.len() == 1 {
            "column"
        } else {
            "columns"
        };
        out.push_str(&format!(
            "{}: kept {} {noun} kith does not know as extra properties (X-CSV-...): {}\n",
            sanitize_line(file),
            names.len(),
            names.join(", ")
        ));
        out.push_str(&format!(
            "          --map \"{}=FIELD\" reads one as a field ({MAP_FIELDS}); FIELD ignore drops it\n",
            of_file[0]
        ));
    }
    out
}

fn print_report(ctx: &Ctx, report: &Report, options: &Options) -> anyhow::Result<()> {
    let invalid = report.count(Outcome::Invalid);
    if ctx.json {
        ctx.print_json(report)?;
    } else {
        let mut out = String::new();
        for e in &report.entries {
            let interesting = options.dry_run
                || !e.notes.is_empty()
                || !matches!(
                    e.outcome,
                    Outcome::New | Outcome::Unchanged | Outcome::Invalid
                );
            if !interesting {
                continue;
            }
            let word = ctx.painter.paint(
                match e.outcome {
                    Outcome::New => Role::Good,
                    Outcome::Invalid => Role::Bad,
                    Outcome::Merged | Outcome::Replaced | Outcome::Skipped => Role::Warn,
                    Outcome::Unchanged => Role::Dim,
                },
                &format!("{:<9}", e.outcome.as_str()),
            );
            // A record that could not be read has no name yet: no dangling space after it.
            let what = if e.name.is_empty() {
                e.kind.to_string()
            } else {
                format!("{} {}", e.kind, sanitize_line(&e.name))
            };
            out.push_str(&format!("{word} {}: {what}\n", sanitize_line(&e.place())));
            for note in &e.notes {
                out.push_str(&format!("          {}\n", sanitize_line(note)));
            }
        }
        out.push_str(&folders_read(&report.folders));
        out.push_str(&unknown_columns(&report.unknown_columns));
        let line = if report.dry_run {
            format!("would import: {}", summary(report))
        } else if report.committed {
            format!("imported: {}", summary(report))
        } else {
            // Nothing was written: the counts are what the import would have done.
            format!("nothing imported (it would have been {})", summary(report))
        };
        out.push_str(&format!("{line}\n"));
        if report.dry_run {
            out.push_str("dry run: nothing was written\n");
        }
        ctx.print(&out)?;
    }
    if invalid > 0 {
        // Each invalid record is named on stderr for whoever reads only that (a script, a
        // report sent to a file or as JSON); a person at a terminal has just read them in
        // the report, and is told only the outcome.
        let report_seen = !ctx.json && std::io::stdout().is_terminal();
        let mut err = std::io::stderr().lock();
        for e in report
            .entries
            .iter()
            .filter(|e| e.outcome == Outcome::Invalid && !report_seen)
        {
            let _ = writeln!(
                err,
                "{}: {}",
                sanitize_line(&e.place()),
                sanitize_line(&e.notes.join("; "))
            );
        }
        if report.dry_run {
            return Err(Error::Refused(format!(
                "{}; an import would write nothing unless --skip-invalid is given",
                records(invalid)
            ))
            .into());
        }
        if !report.committed {
            return Err(Error::Refused(format!(
                "nothing imported: {} (fix {}, or --skip-invalid to import the rest)",
                records(invalid),
                if invalid == 1 { "it" } else { "them" }
            ))
            .into());
        }
        return Err(Error::Partial(format!(
            "imported the valid records; skipped {}",
            records(invalid)
        ))
        .into());
    }
    Ok(())
}

/// "1 invalid record", "2 invalid records".
fn records(invalid: usize) -> String {
    crate::output::plural(invalid, "invalid record", "invalid records")
}
