//! The library's error kinds and the exit code each one maps to.

use std::path::PathBuf;

use serde::Serialize;

/// Exit codes, documented in `kith --help`. Scripts may rely on them.
pub mod exit {
    pub const OK: i32 = 0;
    /// Something failed that has no more specific code (also: `--check` found something overdue).
    pub const FAILURE: i32 = 1;
    /// The command line itself was wrong (clap's own code).
    pub const USAGE: i32 = 2;
    /// No contact, organization or record matched.
    pub const NOT_FOUND: i32 = 3;
    /// A name matched several records equally; the candidates are listed.
    pub const AMBIGUOUS: i32 = 4;
    /// A value was invalid (email, phone, date, ...); nothing was written.
    pub const INVALID: i32 = 5;
    /// The database could not be opened or used (missing, locked, newer version, not kith's).
    pub const DATABASE: i32 = 6;
    /// A file could not be read or written.
    pub const IO: i32 = 7;
    /// `kith import --skip-invalid` imported the valid records and skipped invalid ones.
    pub const PARTIAL: i32 = 8;
}

/// One candidate of an ambiguous lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub detail: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no {what} matches \"{query}\"")]
    NotFound { what: &'static str, query: String },

    /// Only an archived record matches: say so, and how to bring it back.
    #[error("{name} (#{id}) is archived; run `{restore} '#{id}'` first")]
    Archived {
        name: String,
        id: i64,
        restore: &'static str,
    },

    #[error("\"{query}\" matches {} {what}s; say which one (by #id or a fuller name)", candidates.len())]
    Ambiguous {
        what: &'static str,
        query: String,
        candidates: Vec<Candidate>,
    },

    #[error("invalid {field} \"{value}\": {reason}")]
    Invalid {
        field: String,
        value: String,
        reason: String,
    },

    #[error("{0}")]
    Conflict(String),

    /// The command line is incomplete for this situation (exit 2, as clap's own errors).
    #[error("{0}")]
    Usage(String),

    #[error(
        "{path} was written by a newer kith (schema version {found}; this kith {ours} knows up to {supported}); it needs {needed}",
        ours = env!("CARGO_PKG_VERSION")
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
        /// "kith X.Y.Z or newer" from the file itself, or a vaguer phrase when it does not say.
        needed: String,
    },

    #[error("{path} is not a kith database")]
    NotKith { path: PathBuf },

    #[error("{path}: {message}")]
    Database { path: PathBuf, message: String },

    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(transparent)]
    Date(#[from] crate::dates::DateError),

    /// An import refused as a whole (an invalid record, nothing written).
    #[error("{0}")]
    Refused(String),

    /// An import that wrote the valid records and skipped the invalid ones.
    #[error("{0}")]
    Partial(String),
}

impl Error {
    /// The value is quoted in the message, cut short when long: the user knows the rest.
    pub fn invalid(field: &str, value: &str, reason: impl Into<String>) -> Error {
        Error::Invalid {
            field: field.to_string(),
            value: crate::output::truncate(value, 80).into_owned(),
            reason: reason.into(),
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A stable name for the kind of failure, for `--json` error reports.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => "not_found",
            Error::Archived { .. } => "archived",
            Error::Ambiguous { .. } => "ambiguous",
            Error::Invalid { .. } | Error::Date(_) => "invalid",
            Error::Conflict(_) => "conflict",
            Error::Usage(_) => "usage",
            Error::NewerSchema { .. } => "newer_schema",
            Error::NotKith { .. } => "not_kith",
            Error::Database { .. } | Error::Sql(_) => "database",
            Error::Io { .. } => "io",
            Error::Refused(_) => "refused",
            Error::Partial(_) => "partial",
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::NotFound { .. } | Error::Archived { .. } => exit::NOT_FOUND,
            Error::Ambiguous { .. } => exit::AMBIGUOUS,
            Error::Invalid { .. } | Error::Date(_) | Error::Conflict(_) => exit::INVALID,
            Error::Usage(_) => exit::USAGE,
            Error::NewerSchema { .. } | Error::NotKith { .. } | Error::Database { .. } => {
                exit::DATABASE
            }
            Error::Sql(e) if is_busy(e) => exit::DATABASE,
            Error::Sql(_) => exit::DATABASE,
            Error::Io { .. } => exit::IO,
            Error::Refused(_) => exit::INVALID,
            Error::Partial(_) => exit::PARTIAL,
        }
    }
}

/// SQLite said another process holds the lock past our busy timeout.
pub fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
