//! An import: every record of every source matched and written in one transaction, or
//! nothing written (a dry run, or a refused record). The matching and writing are
//! [`crate::import`]'s; this is its door to the store.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::import::{self, Options, Report, Source};
use crate::store::Store;

/// Import `sources` into `store`. `progress` is called after each record.
pub fn run(
    store: &mut Store,
    sources: Vec<Source<'_>>,
    options: &Options,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize),
) -> Result<Report> {
    store.bulk_write_or_roll_back(|tx| import::write(tx, sources, options, now, progress))
}
