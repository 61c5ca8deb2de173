//! Fuzzy matching. Every use of the fuzzy-matcher crate stays in this file, so swapping the
//! matcher (nucleo-matcher) stays local if the speed budgets demand it.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// A reusable matcher (building one allocates; keep it for a whole pass).
pub struct Matcher {
    inner: SkimMatcherV2,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher {
            inner: SkimMatcherV2::default().ignore_case(),
        }
    }
}

impl Matcher {
    /// Score `text` against `query` (both already folded); None when not a subsequence.
    pub fn score(&self, text: &str, query: &str) -> Option<i64> {
        self.inner.fuzzy_match(text, query)
    }

    /// Score with the matched character positions, for highlighting.
    pub fn indices(&self, text: &str, query: &str) -> Option<(i64, Vec<usize>)> {
        self.inner.fuzzy_indices(text, query)
    }
}
