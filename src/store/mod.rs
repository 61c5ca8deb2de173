//! The only code that speaks SQL: opening the file safely, migrating it, and one module per
//! record type. Every write goes through [`Store::write`] (or its bulk and roll-back
//! siblings), one `BEGIN IMMEDIATE` transaction, and every write function takes the
//! [`WriteTx`] only those hand out: a change cannot be written outside one transaction.

pub mod agenda;
pub mod allocator;
mod backup;
pub mod bulk;
pub mod capture;
pub mod capture_backup;
pub mod capture_index;
pub mod capture_revisions;
pub mod contact_dates;
pub mod contact_list;
pub mod contact_touches;
pub mod contacts;
pub mod deferred;
pub mod extras;
pub mod haystacks;
pub mod health;
pub mod interactions;
mod journal;
pub(crate) mod last_contact;
pub mod network;
pub mod org_activity;
pub mod organization_follow_ups;
pub mod organization_people;
pub mod organizations;
pub mod phones;
pub mod relationships;
pub mod reminders;
pub mod search;
pub mod snapshot;
pub mod sync;
pub mod tag_cadences;
pub mod tags;

use std::fs;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use std::ops::Deref;

use crate::error::{Error, Result};

/// `application_id` of kith databases: "kith" in ASCII.
pub const APPLICATION_ID: i64 = 0x6B69_7468;

/// The migrations, in order; the schema version is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_search.sql"),
    include_str!("migrations/0003_agenda.sql"),
    include_str!("migrations/0004_import.sql"),
    include_str!("migrations/0005_search_haystack.sql"),
    include_str!("migrations/0006_lean_import_rows.sql"),
    include_str!("migrations/0007_details_key_first.sql"),
    include_str!("migrations/0008_phone_keys.sql"),
    include_str!("migrations/0009_interaction_organization.sql"),
    include_str!("migrations/0010_capture.sql"),
    include_str!("migrations/0011_last_contact.sql"),
    include_str!("migrations/0012_sync.sql"),
    include_str!("migrations/0013_organization_cadence.sql"),
    include_str!("migrations/0014_capture_revisions.sql"),
    include_str!("migrations/0015_contact_touches.sql"),
    include_str!("migrations/0016_agenda_indexes.sql"),
    include_str!("migrations/0017_organization_people.sql"),
    include_str!("migrations/0018_compact_touches.sql"),
    include_str!("migrations/0019_organization_follow_ups.sql"),
    include_str!("migrations/0020_birthdays_by_day.sql"),
];

/// The schema version this kith writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a write waits for another process's transaction before giving up.
const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether opening may create a missing database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Commands that write create the file (and its directory) on first use.
    CreateIfMissing,
    /// Commands that only read refuse a missing file instead of leaving an empty one behind.
    MustExist,
}

/// How much of a book is read through a memory map: all of it, up to SQLite's cap of 2 GiB.
const MMAP_SIZE: i64 = 2_147_418_112;

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The upgrade this opening made, if it made one.
    upgraded: Option<Upgrade>,
}

/// A book brought to this kith's schema when it was opened: from which version, and where
/// the copy of it as it was is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upgrade {
    pub from: i64,
    pub backup: PathBuf,
}

/// An open write transaction. Only [`Store::write`] and its siblings make one (the field is
/// private), and every function of the store that writes takes one, so a change cannot be
/// written outside the one transaction of its command. It reads as a [`Connection`].
pub struct WriteTx<'a>(Transaction<'a>);

impl Deref for WriteTx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.0
    }
}

/// SQLite's count of changes other connections committed: the interactive mode polls it to
/// notice another kith writing.
pub fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

impl Store {
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store> {
        let exists = path.exists();
        if !exists {
            if mode == OpenMode::MustExist {
                return Err(Error::Database {
                    path: path.to_path_buf(),
                    message: "no kith database here yet; it is created by the first command that writes (for example `kith add`), or point --db / KITH_DB at yours".into(),
                });
            }
            create_private_file(path)?;
        } else if path.is_dir() {
            return Err(Error::Database {
                path: path.to_path_buf(),
                message: "is a directory, not a database file".into(),
            });
        }
        if exists && !writable(path) {
            return Store::open_read_only(path);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            upgraded: None,
        };
        if exists {
            // Nothing touches a file (not its mode, not its journal) before it is known to
            // be kith's, or a blank one that a command which writes may make into one.
            store.check_identity(mode)?;
            tighten_permissions(path);
        }
        store.configure().map_err(|e| open_error(path, e))?;
        store.migrate()?;
        Ok(store)
    }

    /// A database kith may not write (a backup kept read-only, a file in a read-only
    /// directory) can still be read: opened immutable, since nobody can be writing to it.
    /// Writes then fail with "is read-only".
    fn open_read_only(path: &Path) -> Result<Store> {
        let uri = format!("file:{}?immutable=1", uri_escape(path));
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&uri, flags).map_err(|e| open_error(path, e))?;
        let timeout = busy_timeout();
        conn.busy_timeout(timeout)
            .map_err(|e| open_error(path, e))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            upgraded: None,
        };
        let (app_id, version) = store.header().map_err(|e| open_error(path, e))?;
        if app_id != APPLICATION_ID {
            return Err(Error::NotKith {
                path: path.to_path_buf(),
            });
        }
        if version != SCHEMA_VERSION {
            return Err(Error::Database {
                path: path.to_path_buf(),
                message: format!(
                    "is read-only and has schema version {version} (this kith uses {SCHEMA_VERSION}); copy it somewhere writable to open it"
                ),
            });
        }
        Ok(store)
    }

    fn header(&self) -> rusqlite::Result<(i64, i64)> {
        self.conn.query_row(
            "SELECT (SELECT application_id FROM pragma_application_id),
                    (SELECT user_version FROM pragma_user_version)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// The upgrade opening the book made (None: it was at this kith's schema, or new).
    pub fn upgraded(&self) -> Option<&Upgrade> {
        self.upgraded.as_ref()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access. Reads see one consistent snapshot per statement (WAL).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Run `f`'s reads in one read transaction: they see one snapshot, and the book's locks
    /// are taken once rather than by each statement (thousands of lookups by id each took
    /// and released them: two `fcntl` calls and an `fstat` a statement).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let tx = self.conn.unchecked_transaction()?;
        let out = f(&tx)?;
        // Nothing was written: ending it either way only lets go of the snapshot.
        tx.commit()?;
        Ok(out)
    }

    /// Another connection to the same book, for a second thread reading alongside this one
    /// (WAL lets readers work at once): opened as this one was, read-only to be sure,
    /// nothing checked or migrated again (this one did that).
    pub fn reader(&self) -> Result<Connection> {
        open_reader(&self.path, self.conn.is_readonly(rusqlite::MAIN_DB)?)
    }

    /// [`Store::reader`], opened by whoever calls the function returned: a second thread
    /// opens its own connection (the store stays on its thread) while this one goes on.
    pub fn reader_opener(&self) -> Result<impl FnOnce() -> Result<Connection> + Send + 'static> {
        let path = self.path.clone();
        let read_only = self.conn.is_readonly(rusqlite::MAIN_DB)?;
        Ok(move || open_reader(&path, read_only))
    }

    /// [`Store::reader_opener`] of the book at `path` before this process opens it (a second
    /// thread then reads its schema while this one opens the book): only for a kith book of
    /// this schema in WAL mode, as its header says (none otherwise; nothing is opened or
    /// created to find out). SQLite rereads the schema should it change meanwhile.
    pub fn reader_opener_before_open(
        path: &Path,
    ) -> Option<impl FnOnce() -> Result<Connection> + Send + 'static> {
        use std::io::Read;
        let mut header = [0u8; 100];
        fs::File::open(path).ok()?.read_exact(&mut header).ok()?;
        let number = |at: usize| {
            let bytes: [u8; 4] = header.get(at..at + 4)?.try_into().ok()?;
            Some(i64::from(i32::from_be_bytes(bytes)))
        };
        let ours = header.starts_with(b"SQLite format 3\0")
            // WAL: read and write versions 2.
            && header[18] == 2
            && header[19] == 2
            && number(68)? == APPLICATION_ID
            && number(60)? == SCHEMA_VERSION;
        if !ours {
            return None;
        }
        // Read-only (immutable) where this process may not write it, as `open` opens it.
        let read_only = !writable(path);
        let path = path.to_path_buf();
        Some(move || open_reader(&path, read_only))
    }

    /// Run `f` reading through SQLite's page cache instead of the memory map, put back
    /// after: for a command whose few hundred rows lie scattered over a big book, where each
    /// mapped page cost a fault that also mapped its neighbours (`kith show` at a million
    /// contacts: 1,800 faults, more than half its time). The cache stays at its 2 MB: in
    /// 32 MB `kith show` read its 700 pages once instead of 1,140 times, but the fresh memory
    /// for them cost 2,300 more faults.
    pub fn unmapped<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        without_map(&self.conn, || f(self))
    }

    /// Run `f` in one `BEGIN IMMEDIATE` transaction: all of it is written, or none of it.
    pub fn write<T>(&mut self, f: impl FnOnce(&WriteTx<'_>) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let tx = WriteTx(
            self.conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| busy_error(&path, e))?,
        );
        let value = f(&tx).map_err(|e| match e {
            Error::Sql(e) => busy_error(&path, e),
            other => other,
        })?;
        haystacks::refresh(&tx)?;
        tx.0.commit().map_err(|e| busy_error(&path, e))?;
        Ok(value)
    }

    /// Like [`Store::write`], but `f` also says whether to commit: a dry run, or an import
    /// refused for an invalid record, rolls everything back and still returns its report.
    pub fn write_or_roll_back<T>(
        &mut self,
        f: impl FnOnce(&WriteTx<'_>) -> Result<(T, bool)>,
    ) -> Result<T> {
        let path = self.path.clone();
        let tx = WriteTx(
            self.conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| busy_error(&path, e))?,
        );
        let (value, commit) = f(&tx)?;
        if commit {
            haystacks::refresh(&tx)?;
            tx.0.commit().map_err(|e| busy_error(&path, e))?;
        } else {
            tx.0.rollback()?;
        }
        Ok(value)
    }

    /// [`Store::write_or_roll_back`] for a bulk write such as an import: into a book with no
    /// contacts yet, the transaction goes through a rollback journal rather than the WAL,
    /// which writes each page once instead of twice (see `store::journal`).
    ///
    /// Foreign keys are not checked row by row meanwhile: a bulk writer (`store::bulk`) takes
    /// every reference it writes from rows of the same transaction (ids it has just inserted
    /// or loaded), so the checks would only repeat its own bookkeeping, at a tenth of a large
    /// import's time. Tests run `PRAGMA foreign_key_check` after every kind of import.
    ///
    /// Into an empty book nothing is read but what the write itself made, so the memory map
    /// (see [`Store::configure`]) is off meanwhile: the pages it mapped while the index
    /// rebuild read the new rows back counted as the process's own memory (370 MB of a
    /// 1M-contact import's 1.5 GB peak), for no gain in time.
    pub fn bulk_write_or_roll_back<T>(
        &mut self,
        f: impl FnOnce(&WriteTx<'_>) -> Result<(T, bool)>,
    ) -> Result<T> {
        let switched = journal::leave_wal_if_empty(&self.conn)?;
        if switched {
            self.set_mmap_size(0)?;
        }
        // Takes effect outside a transaction only, so it is set around this one.
        self.conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        // Into an empty book, SQLite's sorts may spill to temporary files (see
        // `deferred::in_small_sort_runs`); also settable outside a transaction only.
        if switched {
            let _ = self.conn.execute_batch("PRAGMA temp_store = FILE");
        }
        let result = self.write_or_roll_back(f);
        let restored = self.conn.execute_batch("PRAGMA foreign_keys = ON");
        if switched {
            let _ = self.conn.execute_batch("PRAGMA temp_store = MEMORY");
            journal::back_to_wal(&self.conn);
            let _ = self.set_mmap_size(MMAP_SIZE);
        }
        let value = result?;
        restored?;
        Ok(value)
    }

    /// Refuse a file that is not kith's: another program's SQLite database, or, for a
    /// command that only reads, an empty file (reading must never turn it into a book).
    fn check_identity(&self, mode: OpenMode) -> Result<()> {
        let path = &self.path;
        let (app_id, _version) = self.header().map_err(|e| open_error(path, e))?;
        if app_id == APPLICATION_ID {
            return Ok(());
        }
        let table_count: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| open_error(path, e))?;
        if app_id != 0 || table_count > 0 {
            return Err(Error::NotKith {
                path: path.to_path_buf(),
            });
        }
        if mode == OpenMode::MustExist {
            return Err(Error::Database {
                path: path.to_path_buf(),
                message: "is empty, not a kith database; a command that writes (for example `kith add`) makes one there".into(),
            });
        }
        Ok(())
    }

    fn configure(&mut self) -> rusqlite::Result<()> {
        self.conn.busy_timeout(busy_timeout())?;
        // A new book gets 16 KiB pages (existing ones keep theirs: this only applies before
        // the first table). A large import then writes a quarter as many pages, and its
        // commit of 100k contacts took 0.35-0.42 s instead of 0.40-0.69 s.
        self.conn.execute_batch("PRAGMA page_size = 16384")?;
        // journal_mode answers with a row; WAL lets readers and one writer work at once.
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if mode.eq_ignore_ascii_case("wal") {
            // A bulk write killed just as it created its rollback journal (see `journal`)
            // leaves one that was never hot: SQLite replays a hot one on this first access
            // and ignores any other in WAL mode, so what is left is clutter. Nobody else can
            // be using it: switching to WAL needed the file to ourselves.
            let mut journal = self.path.clone().into_os_string();
            journal.push("-journal");
            let _ = fs::remove_file(journal);
        }
        // Temporary tables (an import's index rebuild) stay in memory; this cannot be
        // changed once a transaction has opened the temporary database, so it is set here.
        self.conn.execute_batch(
            "PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;",
        )?;
        // Pages are read through a memory map (SQLite caps it at 2 GiB): a command reading
        // many rows (`kith list`, the agenda) spent more time in the kernel copying pages
        // into SQLite's 2 MB cache, again and again, than in SQLite itself.
        self.set_mmap_size(MMAP_SIZE)
    }

    fn set_mmap_size(&self, bytes: i64) -> rusqlite::Result<()> {
        set_pragma(&self.conn, "mmap_size", bytes)
    }

    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        let (app_id, version): (i64, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT application_id FROM pragma_application_id),
                        (SELECT user_version FROM pragma_user_version)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| open_error(&path, e))?;
        let table_count: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| open_error(&path, e))?;
        if app_id != APPLICATION_ID && (app_id != 0 || table_count > 0) {
            return Err(Error::NotKith { path });
        }
        if version > SCHEMA_VERSION {
            let needed = self
                .conn
                .query_row(
                    "SELECT value FROM kith_meta WHERE key = 'requires_kith'",
                    [],
                    |r| r.get::<_, String>(0),
                )
                .map(|v| format!("kith {} or newer", crate::output::sanitize_line(&v)))
                .unwrap_or_else(|_| format!("a kith newer than {}", env!("CARGO_PKG_VERSION")));
            return Err(Error::NewerSchema {
                path,
                found: version,
                supported: SCHEMA_VERSION,
                needed,
            });
        }
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        let backup = if version > 0 {
            Some(self.backup_before_migration(version)?)
        } else {
            None
        };
        phones::register_key_function(&self.conn)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| busy_error(&path, e))?;
        // Another process may have migrated while we waited for the lock.
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for index in pending_migrations(&tx, current)? {
            tx.execute_batch(MIGRATIONS[index])?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
        }
        haystacks::refresh(&tx)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        // The first kiths made books before 0001 gained this table.
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS kith_meta (\n    key   TEXT PRIMARY KEY,\n    value TEXT NOT NULL\n);",
        )?;
        tx.execute(
            "INSERT INTO kith_meta (key, value) VALUES ('requires_kith', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [env!("CARGO_PKG_VERSION")],
        )?;
        tx.commit().map_err(|e| busy_error(&path, e))?;
        // Said by whoever opened it (another process may have upgraded it meanwhile: then
        // this one's copy is of the book as that one left it, and no upgrade is said).
        if current < SCHEMA_VERSION {
            self.upgraded = backup.map(|backup| Upgrade {
                from: current,
                backup,
            });
        }
        Ok(())
    }
}

/// The indexes into [`MIGRATIONS`] a book at `version` still needs, in order. Books written
/// by kith between the merges of the agenda and the search work had the agenda and import
/// migrations as their 2 and 3 (0002_search came in ahead of them later): at version 2 or 3
/// such a book has the agenda's tables but not search's, and needs 0002 (and 0004 at 2).
fn pending_migrations(tx: &Transaction, version: i64) -> rusqlite::Result<Vec<usize>> {
    let has_table = |name: &str| -> rusqlite::Result<bool> {
        tx.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [name],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n > 0)
    };
    let applied: Vec<usize> = if matches!(version, 2 | 3)
        && has_table("tag_cadences")?
        && !has_table("contact_search")?
    {
        // 0001, 0003 (and 0004 at version 3).
        [0, 2, 3][..version as usize].to_vec()
    } else {
        (0..version as usize).collect()
    };
    Ok((0..MIGRATIONS.len())
        .filter(|i| !applied.contains(i))
        .collect())
}

impl Store {
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

fn busy_timeout() -> Duration {
    std::env::var("KITH_BUSY_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(DEFAULT_BUSY_TIMEOUT, Duration::from_millis)
}

/// Whether this process may write the database file and create its journal files beside it.
fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let can_write = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            // SAFETY: access() only reads the NUL-terminated path it is given.
            .is_ok_and(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    can_write(path) && can_write(dir)
}

/// A path as SQLite's URI syntax needs it: '%', '?' and '#' percent-encoded.
fn uri_escape(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            _ => out.push(c),
        }
    }
    out
}

/// Create the file (and any missing parent directories) readable only by its owner.
pub(crate) fn create_private_file(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
        && !dir.exists()
    {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| Error::io(dir, e))?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    Ok(())
}

/// A database left readable by others (copied in, restored by hand) is made private again.
fn tighten_permissions(path: &Path) {
    if let Ok(meta) = fs::metadata(path) {
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode & 0o700));
        }
    }
}

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    if crate::error::is_busy(&e) {
        return busy_error(path, e);
    }
    let message = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => "is not a kith database (not SQLite)".into(),
        Some(rusqlite::ErrorCode::CannotOpen) => {
            "cannot be opened; check that it and its directory are readable and writable".into()
        }
        Some(rusqlite::ErrorCode::ReadOnly) => {
            "is read-only; kith needs to write to it and to its directory".into()
        }
        Some(rusqlite::ErrorCode::PermissionDenied) => "permission denied".into(),
        Some(rusqlite::ErrorCode::DiskFull) => {
            "the disk is full; nothing was written, the database is as it was".into()
        }
        Some(rusqlite::ErrorCode::SystemIoFailure) => {
            "input/output error (disk full, file size limit or a failing disk?); nothing was written, the database is as it was".into()
        }
        _ => e.to_string(),
    };
    Error::Database {
        path: path.to_path_buf(),
        message,
    }
}

fn busy_error(path: &Path, e: rusqlite::Error) -> Error {
    if crate::error::is_busy(&e) {
        Error::Database {
            path: path.to_path_buf(),
            message: "is busy: another process kept it locked for too long; try again".into(),
        }
    } else {
        open_error(path, e)
    }
}

/// Stored form of an instant: UTC RFC 3339 with seconds.
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Read a stored instant; a malformed one is reported, never silently replaced.
pub fn parse_ts(s: &str) -> rusqlite::Result<DateTime<Utc>> {
    if let Some(t) = parse_stored_utc(s) {
        return Ok(t);
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
        })
}

/// The form every writer stores (`2026-11-24T10:00:00Z`, see [`ts`]) read directly: chrono's
/// general RFC 3339 parser was a tenth of a 20k-line agenda. None for any other form.
fn parse_stored_utc(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let date = chrono::NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?;
    let time = date.and_hms_opt(num(11, 13)?, num(14, 16)?, num(17, 19)?)?;
    Some(time.and_utc())
}

pub fn parse_opt_ts(s: Option<String>) -> rusqlite::Result<Option<DateTime<Utc>>> {
    s.as_deref().map(parse_ts).transpose()
}

/// `?,?,?` for an IN list of `n` values.
pub fn placeholders(n: usize) -> String {
    let mut s = "?,".repeat(n);
    s.pop();
    s
}

/// The value of `PRAGMA name` on `conn`; none where it answers with no row (`mmap_size`
/// where mapping is not built in).
pub(crate) fn pragma_value(conn: &Connection, name: &str) -> Result<Option<i64>> {
    match conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0)) {
        Ok(value) => Ok(Some(value)),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Set `PRAGMA name = value` on `conn`, which may answer with a row or none.
pub(crate) fn set_pragma(conn: &Connection, name: &str, value: i64) -> rusqlite::Result<()> {
    match conn.query_row(&format!("PRAGMA {name} = {value}"), [], |_| Ok(())) {
        Ok(()) | Err(rusqlite::Error::QueryReturnedNoRows) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Run `f` with `conn` reading through SQLite's page cache instead of the memory map, the
/// map put back afterwards (whether or not `f` succeeded): for reads whose pages are each
/// wanted once, where a mapped page cost a fault that also mapped its neighbours.
/// [`Store::reader`] of the book at `path` (`read_only`: opened so).
fn open_reader(path: &Path, read_only: bool) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = if read_only {
        let uri = format!("file:{}?immutable=1", uri_escape(path));
        Connection::open_with_flags(&uri, flags | OpenFlags::SQLITE_OPEN_READ_ONLY)
    } else {
        Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_READ_WRITE)
    }
    .map_err(|e| open_error(path, e))?;
    conn.busy_timeout(busy_timeout())?;
    conn.execute_batch("PRAGMA query_only = ON")?;
    set_pragma(&conn, "mmap_size", MMAP_SIZE)?;
    Ok(conn)
}

pub(crate) fn without_map<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match pragma_value(conn, "mmap_size")? {
        Some(bytes) if bytes > 0 => {
            set_pragma(conn, "mmap_size", 0)?;
            let out = f();
            set_pragma(conn, "mmap_size", bytes)?;
            out
        }
        _ => f(),
    }
}
