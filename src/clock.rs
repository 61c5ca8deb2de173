//! "Now", read once per command. Every time computation below takes it as an argument.
//!
//! Testing hook: `KITH_NOW=2026-11-24T10:00:00Z` (any RFC 3339 time) fixes the clock, so that
//! scripted scenarios and tests see the same "today" on every run. The local time zone is the
//! process's (`TZ`).

use chrono::{DateTime, Local, NaiveDate, Utc};

use crate::error::{Error, Result};

/// The environment variable that fixes the clock (documented in `kith --help`).
pub const NOW_VAR: &str = "KITH_NOW";

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: DateTime<Utc>,
}

impl Clock {
    pub fn fixed(now: DateTime<Utc>) -> Clock {
        Clock { now }
    }

    /// The real clock, unless `KITH_NOW` fixes it.
    pub fn from_env() -> Result<Clock> {
        match std::env::var(NOW_VAR) {
            Ok(value) if !value.trim().is_empty() => DateTime::parse_from_rfc3339(value.trim())
                .map(|t| Clock::fixed(t.with_timezone(&Utc)))
                .map_err(|_| {
                    Error::invalid(
                        NOW_VAR,
                        &value,
                        "expected an RFC 3339 time such as 2026-11-24T10:00:00Z",
                    )
                }),
            _ => Ok(Clock::fixed(Utc::now())),
        }
    }

    pub fn local(&self) -> DateTime<Local> {
        self.now.with_timezone(&Local)
    }

    pub fn today(&self) -> NaiveDate {
        self.local().date_naive()
    }
}
