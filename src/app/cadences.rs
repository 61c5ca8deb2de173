//! Keep-in-touch cadences per tag: setting one and clearing it.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::model::{Period, normalize_tag};
use crate::store::{Store, tag_cadences};

/// Give everyone tagged `tag` a default cadence (a contact's own still wins); returns the
/// tag, normalised.
pub fn set(store: &mut Store, now: DateTime<Utc>, tag: &str, cadence: Period) -> Result<String> {
    let tag = normalize_tag(tag)?;
    store.write(|tx| tag_cadences::set(tx, &tag, cadence, now))?;
    Ok(tag)
}

/// Remove a tag's cadence; a tag without one is not found.
pub fn clear(store: &mut Store, tag: &str) -> Result<String> {
    let tag = normalize_tag(tag)?;
    if !store.write(|tx| tag_cadences::clear(tx, &tag))? {
        return Err(Error::NotFound {
            what: "tag cadence for",
            query: tag,
        });
    }
    Ok(tag)
}
