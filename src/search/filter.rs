//! The interactive filter bar's state, [`Filter`]: a query that extends the previous one
//! only re-checks what the previous one matched.

use super::Hit;
use super::index::Index;
use super::query::{ParsedQuery, fold_query_text};

/// The filter bar's state: remembers the last query and every contact it matched, so a
/// query that extends it (one more letter, one more word) only re-checks those.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    last_query: String,
    /// Slots and cheap scores of every contact the last query matched.
    matched: Vec<(u32, i64)>,
    /// Whether `matched` is valid (false before the first query and after an empty one).
    primed: bool,
}

impl Filter {
    /// Run `query`, narrowing the previous matches when `query` extends the previous query.
    /// Returns the best `limit` hits, best first.
    pub fn update(&mut self, index: &Index, query: &str, limit: usize) -> Vec<Hit> {
        let q = ParsedQuery::new(query);
        let folded = q.words.join(" ");
        // Every word of an extended query is matched by what matched the shorter one: a
        // longer word still contains the shorter one's letters in order, and a new word
        // only adds a condition. A trailing space starts a new word: still an extension.
        // A number read as digits extends the last one when its digits do.
        let typed = if q.phone {
            // A control character: never in folded text, so never confused with a typed query.
            format!("\u{1}{}", q.whole)
        } else {
            fold_query_text(query)
        };
        let extends =
            self.primed && !self.last_query.is_empty() && typed.starts_with(&self.last_query);
        self.matched = if extends {
            let previous = std::mem::take(&mut self.matched);
            index.scan(&q, previous.into_iter().map(|(slot, _)| slot))
        } else {
            index.scan_all(&q)
        };
        self.primed = !folded.is_empty();
        self.last_query = typed;
        index.rank(&q, &self.matched, limit)
    }

    /// How many contacts the last query matched (all of them, not only those returned).
    pub fn total(&self) -> usize {
        self.matched.len()
    }

    /// Forget the previous query (after the index was rebuilt).
    pub fn reset(&mut self) {
        *self = Filter::default();
    }
}
