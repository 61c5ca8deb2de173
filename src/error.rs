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
    /// `kith sync`: the server could not be reached, refused, or answered what kith cannot use.
    pub const NETWORK: i32 = 9;
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

    /// `--org NAME` on a person names no organization: creating one is explicit.
    #[error(
        "no organization matches \"{query}\"; --new-org {} creates it",
        shell_word(query)
    )]
    NoOrganization { query: String },

    /// Only an archived record matches: say so, and how to bring it back.
    #[error("{name} (#{id}) is archived; run `{restore} '#{id}'` first")]
    Archived {
        name: String,
        id: i64,
        restore: &'static str,
    },

    /// Several records fit, or only loose matches (`loose`): the candidates are listed, best
    /// first; `total` is how many fit in all (more than are listed when many do).
    #[error("{}", ambiguous_message(what, query, candidates.len(), *total, *loose))]
    Ambiguous {
        what: &'static str,
        query: String,
        candidates: Vec<Candidate>,
        total: usize,
        loose: bool,
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

    /// `kith sync`: what failed with the server, named.
    #[error("sync with {server} failed: {message}")]
    Network { server: String, message: String },
}

impl Error {
    /// The value is quoted in the message, cut short when long: the user knows the rest. A
    /// quote inside it is written `\"`, so that the quotes around it still pair up.
    pub fn invalid(field: &str, value: &str, reason: impl Into<String>) -> Error {
        Error::Invalid {
            field: field.to_string(),
            value: crate::output::truncate(value, 80).replace('"', "\\\""),
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
            Error::NotFound { .. } | Error::NoOrganization { .. } => "not_found",
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
            Error::Network { .. } => "network",
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::NotFound { .. } | Error::NoOrganization { .. } | Error::Archived { .. } => {
                exit::NOT_FOUND
            }
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
            Error::Network { .. } => exit::NETWORK,
        }
    }
}

/// "\"ada\" matches 1,301 contacts; ..." or, when nothing fits surely, which were closest.
fn ambiguous_message(what: &str, query: &str, listed: usize, total: usize, loose: bool) -> String {
    if loose {
        let closest = if listed == 1 {
            "the closest is"
        } else {
            "the closest are"
        };
        return format!(
            "no {what} is a sure match for \"{query}\" ({closest} below); say which one by #id or a fuller name"
        );
    }
    let total = total.max(listed);
    let first = if total > listed {
        format!(", the first {listed} below")
    } else {
        String::new()
    };
    format!(
        "\"{query}\" matches {} {what}s{first}; say which one by #id or a fuller name",
        grouped(total)
    )
}

/// `text` as one shell word: as it is when plain, single-quoted otherwise.
pub(crate) fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || "-_.@+,/:".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// 1301 → "1,301": a count as a person reads it (errors, the agenda's "… and 5,063 more").
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// SQLite said another process holds the lock past our busy timeout.
pub fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ambiguity_says_how_many_really_match() {
        let many = ambiguous_message("contact", "ada", 10, 1301, false);
        assert!(
            many.starts_with("\"ada\" matches 1,301 contacts, the first 10 below"),
            "{many}"
        );
        let two = ambiguous_message("contact", "grace", 2, 2, false);
        assert!(two.starts_with("\"grace\" matches 2 contacts;"), "{two}");
        let loose = ambiguous_message("contact", "jon", 3, 3, true);
        assert!(
            loose.starts_with("no contact is a sure match for \"jon\""),
            "{loose}"
        );
        assert_eq!(shell_word("acme"), "acme");
        assert_eq!(shell_word("Acme Corp"), "'Acme Corp'");
        assert_eq!(shell_word("O'Neil"), "'O'\\''Neil'");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1234567), "1,234,567");
    }
}
