//! The files `kith capture` reads, recognised by their content, not their names: an mbox (a
//! file starting with a `From sender date` line followed by header lines; an empty file is an
//! empty mailbox), a Maildir (a folder with `cur/` or `new/`, and its
//! `.Sub.Folder`s), a single message (`.eml`, or any file starting with mail headers), an
//! iCalendar file (starting with `BEGIN:VCALENDAR`), and folders of these. Everything is streamed: a folder is listed, then each file read in
//! turn, an mbox one message at a time. What cannot be read is yielded as
//! [`Item::Unreadable`], named by file (and byte offset in an mbox); nothing aborts the run.

use std::fs::{self, File};
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::capture::addresses::Me;
use crate::capture::{Item, Origin, Unreadable, calendar, mail, mbox};

/// How the files are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Decode message bodies (`--with-body`).
    pub with_body: bool,
}

/// What reading a calendar needs: which occurrences are past, and which events are mine.
#[derive(Debug, Clone, Default)]
pub struct CalendarOptions {
    pub now: DateTime<Utc>,
    pub me: Me,
}

/// What a path turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    /// A file of no bytes (an empty spool): nothing to capture, and nothing wrong.
    Empty,
    Mbox(PathBuf),
    Message(PathBuf),
    Calendar(PathBuf),
    Unreadable(PathBuf, String),
}

/// The first of `paths` that does not exist (or cannot be looked at), with why.
pub fn first_missing(paths: &[PathBuf]) -> Option<(PathBuf, std::io::Error)> {
    paths.iter().find_map(|path| match fs::metadata(path) {
        Ok(_) => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some((
            path.clone(),
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
        )),
        Err(e) => Some((path.clone(), e)),
    })
}

/// Every record in `paths`, in order: each path's files sorted by name.
pub fn read(
    paths: Vec<PathBuf>,
    options: ReadOptions,
    calendars: CalendarOptions,
) -> impl Iterator<Item = Item> {
    paths
        .into_iter()
        .flat_map(|path| sources(&path))
        .flat_map(move |source| items(source, options, &calendars))
}

/// The sources under `path`.
fn sources(path: &Path) -> Vec<Source> {
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let why = "no such file or folder";
            return vec![Source::Unreadable(path.to_path_buf(), why.into())];
        }
        Err(e) => return vec![Source::Unreadable(path.to_path_buf(), e.to_string())],
    };
    if !meta.is_dir() {
        return vec![sniff(path)];
    }
    let mut out = Vec::new();
    walk(path, &mut out);
    out
}

/// A folder: a Maildir's `cur/` and `new/` messages, and everything else in it recognised.
fn walk(dir: &Path, out: &mut Vec<Source>) {
    let mut entries = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect::<Vec<_>>(),
        Err(e) => {
            out.push(Source::Unreadable(dir.to_path_buf(), e.to_string()));
            return;
        }
    };
    entries.sort();
    let maildir = ["cur", "new"].iter().any(|d| dir.join(d).is_dir());
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() {
            if maildir && (name == "cur" || name == "new") {
                list_messages(&path, out);
            } else if maildir && name == "tmp" {
                // Messages still being delivered.
            } else {
                walk(&path, out);
            }
        } else if !maildir {
            match sniff(&path) {
                // Stray files in a folder (an index, a note) are not mail: left alone.
                Source::Unreadable(..) if !has_mail_extension(&path) => {}
                Source::Empty => {}
                source => out.push(source),
            }
        }
    }
}

/// Every file of a Maildir's `cur/` or `new/`: each is one message.
fn list_messages(dir: &Path, out: &mut Vec<Source>) {
    match fs::read_dir(dir) {
        Ok(entries) => {
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            out.extend(files.into_iter().map(Source::Message));
        }
        Err(e) => out.push(Source::Unreadable(dir.to_path_buf(), e.to_string())),
    }
}

fn has_mail_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        [
            "eml",
            "mbox",
            "mbx",
            "msg",
            "ics",
            "ical",
            "ifb",
            "icalendar",
        ]
        .iter()
        .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// What a file is, by its first bytes.
fn sniff(path: &Path) -> Source {
    let mut head = [0u8; 1024];
    let n = match File::open(path).and_then(|mut f| read_up_to(&mut f, &mut head)) {
        Ok(n) => n,
        Err(e) => return Source::Unreadable(path.to_path_buf(), e.to_string()),
    };
    let head = &head[..n];
    if head.is_empty() {
        Source::Empty
    } else if mbox::looks_like_mbox(head) {
        Source::Mbox(path.to_path_buf())
    } else if crate::formats::ical::looks_like_calendar(head) {
        Source::Calendar(path.to_path_buf())
    } else if looks_like_message(head) {
        Source::Message(path.to_path_buf())
    } else {
        Source::Unreadable(
            path.to_path_buf(),
            "is neither an mbox, a mail message nor a calendar".into(),
        )
    }
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Starts with a header line: a field name (printable ASCII, no space) and a colon.
fn looks_like_message(head: &[u8]) -> bool {
    mbox::is_header_line(head.split(|&b| b == b'\n').next().unwrap_or_default())
}

fn items(
    source: Source,
    options: ReadOptions,
    calendars: &CalendarOptions,
) -> Box<dyn Iterator<Item = Item>> {
    match source {
        Source::Empty => Box::new(std::iter::empty()),
        // A calendar is read whole: its series and their overrides may be anywhere in it.
        Source::Calendar(path) => Box::new(
            match fs::read(&path) {
                Ok(bytes) => calendar::items(
                    &path.display().to_string(),
                    &bytes,
                    calendars.now,
                    &chrono::Local,
                    &calendars.me,
                ),
                Err(e) => vec![unreadable(&path, None, e.to_string())],
            }
            .into_iter(),
        ),
        Source::Unreadable(path, reason) => {
            Box::new(std::iter::once(unreadable(&path, None, reason)))
        }
        Source::Message(path) => Box::new(std::iter::once(match fs::read(&path) {
            Ok(bytes) => mail::read(&bytes, origin(&path, None), options.with_body),
            Err(e) => unreadable(&path, None, e.to_string()),
        })),
        Source::Mbox(path) => match File::open(&path) {
            Ok(file) => {
                let reader = BufReader::with_capacity(1 << 18, file);
                Box::new(mbox::Messages::new(reader).map(move |m| match m {
                    Ok(m) => mail::read(&m.bytes, origin(&path, Some(m.offset)), options.with_body),
                    Err(e) => unreadable(&path, None, e.to_string()),
                }))
            }
            Err(e) => Box::new(std::iter::once(unreadable(&path, None, e.to_string()))),
        },
    }
}

fn origin(path: &Path, offset: Option<u64>) -> Origin {
    Origin {
        file: path.display().to_string(),
        offset,
    }
}

fn unreadable(path: &Path, offset: Option<u64>, reason: String) -> Item {
    Item::Unreadable(Unreadable {
        origin: origin(path, offset),
        reason,
    })
}

/// The paths in a `--files-from` list: one a line, blank lines ignored.
pub fn paths_from(text: &str) -> Vec<PathBuf> {
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .map(PathBuf::from)
        .collect()
}
