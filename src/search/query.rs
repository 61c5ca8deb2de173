//! A query as search reads it: folded words with a prepared substring searcher each and a
//! letter mask, or, for a query that is only a phone number, one word of its national digits.

use super::fold::{fold_into, mask_of};
use super::phone;

/// The query folded the way haystacks are (trimmed at the start only, so a trailing space
/// still reads as an extension of the query before it).
pub(super) fn fold_query_text(query: &str) -> String {
    let mut bytes = Vec::with_capacity(query.len());
    fold_into(query.trim_start(), &mut bytes, None);
    String::from_utf8(bytes).unwrap_or_default()
}

pub(super) struct ParsedQuery {
    /// Folded words, each non-empty.
    pub(super) words: Vec<String>,
    /// A prepared substring searcher per word (building one per field would cost more than
    /// the search itself).
    pub(super) finders: Vec<memchr::memmem::Finder<'static>>,
    /// The folded words joined by single spaces.
    pub(super) whole: String,
    pub(super) mask: u64,
    /// Whether the query was read as a phone number (its one word is national digits).
    pub(super) phone: bool,
}

impl ParsedQuery {
    pub(super) fn new(query: &str) -> ParsedQuery {
        // A number is one word, its national digits: the haystack keeps a phone's digits, so
        // "(415) 555-0101" and "+1 415" find "+1 415 555 0101".
        let phone = phone::looks_like_phone(query);
        let words: Vec<String> = if phone {
            let key = phone::key(query);
            if key.is_empty() {
                Vec::new()
            } else {
                vec![key]
            }
        } else {
            let folded = fold_query_text(query);
            folded.split_whitespace().map(str::to_string).collect()
        };
        let mask = words.iter().fold(0, |m, w| m | mask_of(w.as_bytes()));
        let finders = words
            .iter()
            .map(|w| memchr::memmem::Finder::new(w.as_bytes()).into_owned())
            .collect();
        ParsedQuery {
            finders,
            whole: words.join(" "),
            words,
            mask,
            phone,
        }
    }
}
