//! Keep-in-touch cadences that a tag gives everyone carrying it (`kith tag-cadence`).

use serde::Serialize;

use super::Period;

/// One tag's default cadence, with how many active contacts carry the tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagCadence {
    pub tag: String,
    pub cadence: Period,
    pub contacts: i64,
}
