//! The fuzzy search index over contacts: candidates, scoring, ranking, match positions.
//! Folding is in `fold`, queries in `query`, the cheap per-contact score in `score`, exact
//! scores and positions (the only use of the fuzzy-matcher crate) in `exact`, the in-memory
//! [`Index`] in `index`, the filter bar in [`Filter`], ranking off stored haystacks in
//! [`scan`], and phone numbers as dialled in [`phone`].
//!
//! # Using it
//! ```
//! use kith::search::{Entry, Field, Filter, Index};
//! let index = Index::build(vec![
//!     Entry { contact_id: 1, display_name: "Jürgen Müller".into(), ..Entry::default() },
//!     Entry { contact_id: 2, display_name: "Ada Lovelace".into(),
//!             organization: Some("Globex".into()), ..Entry::default() },
//! ]);
//! // One-shot (the `kith find` way):
//! let hits = index.query("jrgn mllr", 10);
//! assert_eq!(hits[0].contact_id, 1);
//! assert_eq!(hits[0].field, Field::Name);
//! // Per keystroke (the interactive filter bar): a query that extends the previous one only
//! // re-checks the previous matches.
//! let mut filter = Filter::default();
//! filter.update(&index, "a", 50);
//! let hits = filter.update(&index, "ada glob", 50);
//! assert_eq!((hits[0].contact_id, filter.total()), (2, 1));
//! ```
//!
//! # How a query matches and ranks
//! The query is folded like the haystacks (case and diacritics ignored: "jurgen" finds
//! "Jürgen") and split into words. A contact matches when every word matches some field
//! (so "ada globex" finds Ada at Globex). Each word scores by how well it matched, best
//! first: the whole field, a whole word, the start of the field, the start of a word, a
//! substring, and last letters in order (fuzzy, scored by the skim v2 matcher), plus a bonus
//! for the field: name > nickname > organization > title > email > phone > tags. On top of
//! that, a name that equals the whole query, starts with it, or has every query word as
//! the start of one of its words always ranks first, in that order.
//!
//! # Speed
//! Haystacks are folded once at build time into one byte arena. A query first rejects
//! contacts lacking any of its letters (a 64-bit mask), then scores each word against each
//! field with byte searches; skim only runs on the few candidates that can be shown.

mod exact;
mod filter;
mod fold;
mod index;
pub mod phone;
mod query;
pub mod scan;
mod score;
#[cfg(test)]
mod tests;

use serde::Serialize;

pub use exact::Matcher;
pub use filter::Filter;
pub use index::Index;
pub use score::NAME_TIER_FLOOR;

use fold::{fold_into, mask_of};
use index::{pool_size, tiebreak};
use query::ParsedQuery;
use score::{name_of, score_haystack};

/// What the index knows of one contact. Archived contacts are the caller's business: leave
/// them out of the entries, or keep them and filter the hits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub contact_id: i64,
    pub display_name: String,
    pub nickname: Option<String>,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub tags: Vec<String>,
}

/// Which field of a contact a query word matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Nickname,
    Organization,
    Title,
    Email,
    Phone,
    Tag,
}

impl Field {
    const ALL: [Field; 7] = [
        Field::Name,
        Field::Nickname,
        Field::Organization,
        Field::Title,
        Field::Email,
        Field::Phone,
        Field::Tag,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Nickname => "nickname",
            Field::Organization => "organization",
            Field::Title => "title",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Tag => "tag",
        }
    }

    /// The marker byte that starts this field's segment in the arena (never produced by
    /// folding, which turns control characters into spaces).
    fn marker(self) -> u8 {
        self as u8 + 1
    }

    fn from_marker(b: u8) -> Option<Field> {
        Field::ALL.get((b as usize).wrapping_sub(1)).copied()
    }

    /// How much a match in this field is worth on top of how well it matched.
    fn bonus(self) -> i64 {
        match self {
            Field::Name => 3000,
            Field::Nickname => 2800,
            Field::Organization => 2000,
            Field::Title => 1500,
            Field::Email => 1200,
            Field::Phone => 1000,
            Field::Tag => 0,
        }
    }
}

/// One field's part in a hit: the original text and the matched character positions in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldMatch {
    pub field: Field,
    /// The field's text as stored (not folded).
    pub value: String,
    /// Indices of matched characters (`chars()`, not bytes) in `value`, ascending.
    pub positions: Vec<usize>,
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub contact_id: i64,
    /// Higher is better; only comparable within one query.
    pub score: i64,
    /// The field that contributed most to the score.
    pub field: Field,
    /// Matched character positions (`chars()` indices) in the ORIGINAL display name, for
    /// highlighting it in a list; empty when the name itself did not match.
    pub positions: Vec<usize>,
    /// Every field a query word matched, strongest first, with positions in its own text.
    pub matches: Vec<FieldMatch>,
    /// Where the entry is in [`Index::entries`] (see [`Index::entry`]).
    #[serde(skip)]
    slot: u32,
}

/// The folded haystack of a contact's fields, appended to `out` as segments
/// `[marker byte][folded bytes]` in the order given (name first); returns its letter mask.
/// What [`Index`] scans, and what the store keeps per contact for `kith find`.
pub fn haystack<'a>(fields: impl Iterator<Item = (Field, &'a str)>, out: &mut Vec<u8>) -> u64 {
    let begin = out.len();
    for (field, text) in fields {
        out.push(field.marker());
        if field == Field::Phone {
            out.extend(text.bytes().filter(u8::is_ascii_digit));
        } else {
            fold_into(text, out, None);
        }
    }
    mask_of(&out[begin..])
}

/// The fields of an entry, in a fixed order (the order of `Field`).
fn fields_of(e: &Entry) -> impl Iterator<Item = (Field, &str)> {
    std::iter::once((Field::Name, e.display_name.as_str()))
        .chain(e.nickname.as_deref().map(|n| (Field::Nickname, n)))
        .chain(e.organization.as_deref().map(|o| (Field::Organization, o)))
        .chain(e.title.as_deref().map(|t| (Field::Title, t)))
        .chain(e.emails.iter().map(|x| (Field::Email, x.as_str())))
        .chain(e.phones.iter().map(|x| (Field::Phone, x.as_str())))
        .chain(e.tags.iter().map(|x| (Field::Tag, x.as_str())))
}
