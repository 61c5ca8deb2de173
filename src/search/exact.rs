//! Exact scores and match positions for the few hits that are shown: one field folded with
//! a map back to its characters, and skim (the fuzzy-matcher crate) for words whose letters
//! are only in order. Every use of fuzzy-matcher stays in this file, so swapping the matcher
//! (nucleo-matcher) stays local if the speed budgets demand it.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::Field;
use super::fold::{fold_into, is_word_byte};
use super::score::{Quality, anchored_word, cheap_quality};

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

/// One field folded with a map back to the original characters, for exact scores and
/// positions of the few hits that are shown.
pub(super) struct FoldedText {
    pub(super) field: Field,
    pub(super) folded: Vec<u8>,
    /// For each folded byte, the index of the original character.
    pub(super) map: Vec<usize>,
}

impl FoldedText {
    pub(super) fn new(field: Field, text: &str) -> FoldedText {
        let mut folded = Vec::with_capacity(text.len());
        let mut map = Vec::with_capacity(text.len());
        if field == Field::Phone {
            for (ci, c) in text.chars().enumerate() {
                if c.is_ascii_digit() {
                    folded.push(c as u8);
                    map.push(ci);
                }
            }
        } else {
            fold_into(text, &mut folded, Some(&mut map));
        }
        FoldedText { field, folded, map }
    }

    /// The exact score of `word` in this field and the original positions it covers.
    pub(super) fn best_match(&self, word: &str, matcher: &Matcher) -> Option<(i64, Vec<usize>)> {
        let w = word.as_bytes();
        let quality = cheap_quality(&self.folded, &memchr::memmem::Finder::new(w))?;
        let base = quality.base() + self.field.bonus();
        if matches!(quality, Quality::Fuzzy | Quality::AnchoredFuzzy) {
            // Folded text is ASCII, so skim's char indices are byte indices.
            // An anchored match is scored within its word, so letters borrowed from other
            // words cannot lift it ("frdrc" scores the same in "Frédéric Dahl" and
            // "Frédéric Marco Dahl").
            let (from, to) = match quality {
                Quality::AnchoredFuzzy => anchored_word(&self.folded, w)?,
                _ => (0, self.folded.len()),
            };
            let text = std::str::from_utf8(&self.folded[from..to]).ok()?;
            let (s, idx) = matcher.indices(text, word)?;
            let positions = idx
                .iter()
                .filter_map(|&i| self.map.get(from + i).copied())
                .collect();
            // Skim's score grows with the word's length; capped below the next step up.
            let cap = if quality == Quality::Fuzzy { 900 } else { 300 };
            return Some((base + s.clamp(0, cap), positions));
        }
        // The best occurrence: the one cheap_quality rated; find it again.
        let pos = memchr::memmem::find_iter(&self.folded, w)
            .max_by_key(|&p| {
                let starts_word = p == 0 || !is_word_byte(self.folded[p - 1]);
                let end = p + w.len();
                let ends_word = end == self.folded.len() || !is_word_byte(self.folded[end]);
                (
                    starts_word && ends_word,
                    p == 0,
                    starts_word,
                    std::cmp::Reverse(p),
                )
            })
            .unwrap_or(0);
        let positions = (pos..pos + w.len())
            .filter_map(|i| self.map.get(i).copied())
            .collect();
        Some((base, positions))
    }
}
