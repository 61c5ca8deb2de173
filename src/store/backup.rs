//! Copies of the book through SQLite's online backup API: the one taken before a migration,
//! `kith backup`, `kith restore` (the source inspected first, the current contents kept) and
//! the integrity check.

use super::*;

impl Store {
    /// A copy of the book at schema `version`, beside it; where it is.
    pub(super) fn backup_before_migration(&self, version: i64) -> Result<PathBuf> {
        let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
        let mut name = self.path.as_os_str().to_owned();
        name.push(format!(".v{version}-{stamp}.bak"));
        let backup = PathBuf::from(name);
        self.backup_to(&backup)?;
        Ok(backup)
    }

    /// Copy the database with SQLite's online backup API (safe while others write), to a new
    /// file readable only by its owner.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::Database {
                path: dest.to_path_buf(),
                message: "already exists; choose a new file name".into(),
            });
        }
        create_private_file(dest)?;
        let result = (|| -> rusqlite::Result<()> {
            let mut target = Connection::open(dest)?;
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut target)?;
            backup.run_to_completion(256, Duration::from_millis(5), None)?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(dest);
            return Err(Error::Database {
                path: dest.to_path_buf(),
                message: format!("backup failed: {e}"),
            });
        }
        Ok(())
    }

    /// Replace this database's contents with those of the kith database at `source`, after
    /// checking it, keeping the current contents in a new backup file whose path is returned.
    /// SQLite's backup API writes the pages under the database's own locks, so processes that
    /// have it open see either the old or the restored contents, never a mix.
    pub fn restore_from(&mut self, source: &Path, keep_as: &Path) -> Result<()> {
        let candidate = Store::inspect(source)?;
        self.backup_to(keep_as)?;
        let copied = self.copy_from(&candidate);
        if copied.is_err() {
            // Nothing changed: the copy kept of the book would only be clutter.
            let _ = std::fs::remove_file(keep_as);
        }
        copied?;
        // The restored file may hold an older schema: bring it up to date now.
        self.migrate()
    }

    /// Write `candidate` over this book, all or nothing.
    fn copy_from(&mut self, candidate: &Connection) -> Result<()> {
        let page_size = |conn: &Connection| -> rusqlite::Result<i64> {
            conn.query_row("PRAGMA page_size", [], |r| r.get(0))
        };
        let (theirs, ours) = (page_size(candidate)?, page_size(&self.conn)?);
        // SQLite copies into a WAL database only pages of its own size; books made by older
        // kiths have 4 KiB pages, newer ones 16 KiB. A rollback journal takes either, for
        // the copy, but needs the book to itself.
        let resize = theirs != ours;
        let failed = |e: rusqlite::Error| {
            if resize && crate::error::is_busy(&e) {
                return Error::Database {
                    path: self.path.clone(),
                    message: format!(
                        "is open in another kith (the interactive mode?); this backup has {} KiB \
                         pages and the book {} KiB, and a copy across page sizes needs the book \
                         to itself: close the other kith and try again. Nothing changed",
                        theirs / 1024,
                        ours / 1024
                    ),
                };
            }
            match busy_error(&self.path, e) {
                Error::Database { path, message } => Error::Database {
                    path,
                    message: format!("restore failed, nothing changed: {message}"),
                },
                other => other,
            }
        };
        if resize {
            self.conn
                .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                    r.get::<_, String>(0)
                })
                .map_err(failed)?;
        }
        let result = (|| -> rusqlite::Result<()> {
            let backup = rusqlite::backup::Backup::new(candidate, &mut self.conn)?;
            backup.run_to_completion(256, Duration::from_millis(5), None)
        })();
        if resize {
            journal::back_to_wal(&self.conn);
        }
        result.map_err(failed)
    }

    /// Open `source` read-only and make sure it is a healthy kith database this kith can read.
    fn inspect(source: &Path) -> Result<Connection> {
        let invalid = |message: String| Error::Database {
            path: source.to_path_buf(),
            message,
        };
        if !source.exists() {
            return Err(invalid("does not exist".into()));
        }
        if !source.is_file() {
            return Err(invalid(
                "is not a file (a kith backup is one database file)".into(),
            ));
        }
        let conn = Connection::open_with_flags(
            source,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(source, e))?;
        let header = conn.query_row(
            "SELECT (SELECT application_id FROM pragma_application_id),
                    (SELECT user_version FROM pragma_user_version)",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
        );
        let (app_id, version) = header.map_err(|e| open_error(source, e))?;
        if app_id != APPLICATION_ID || version < 1 {
            return Err(Error::NotKith {
                path: source.to_path_buf(),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                path: source.to_path_buf(),
                found: version,
                supported: SCHEMA_VERSION,
                needed: format!("a kith newer than {}", env!("CARGO_PKG_VERSION")),
            });
        }
        let problems = Store::problems(&conn).map_err(|e| open_error(source, e))?;
        if let Some(first) = problems.first() {
            return Err(invalid(format!(
                "failed its integrity check ({} problem(s), first: {}); nothing was restored",
                problems.len(),
                crate::output::sanitize_line(first)
            )));
        }
        Ok(conn)
    }

    /// `PRAGMA integrity_check` and `foreign_key_check`: an empty list means healthy.
    pub fn check(&self) -> Result<Vec<String>> {
        Ok(Store::problems(&self.conn)?)
    }

    fn problems(conn: &Connection) -> rusqlite::Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(row);
            }
        }
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok(format!(
                "foreign key broken: {} row {} points to missing {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?.unwrap_or_default(),
                r.get::<_, String>(2)?
            ))
        })?;
        for row in rows {
            problems.push(row?);
        }
        Ok(problems)
    }
}
