//! The contact filter behind the filter bar: fuzzy, accent- and case-blind, ranked, with the
//! matched characters for highlighting. Scoring goes through [`crate::search::Matcher`] (the
//! one fuzzy matcher kith has); this file only keeps the interactive mode fast: a query that
//! grows narrows the previous results instead of scanning everyone again, a cheap subsequence
//! test skips the scorer for names that cannot match, and match positions are computed only
//! for the rows on screen.

use crate::search::Matcher;

/// What one row is matched on: its display text (name, two spaces, organization), folded to
/// lowercase ASCII, with where each folded character came from.
#[derive(Debug, Clone, Default)]
pub struct Haystack {
    folded: String,
    /// `origin[i]`: the index (in chars) in the display text of folded byte `i`.
    origin: Vec<u32>,
}

impl Haystack {
    pub fn new(display: &str) -> Haystack {
        let mut folded = String::with_capacity(display.len());
        let mut origin = Vec::with_capacity(display.len());
        for (i, c) in display.chars().enumerate() {
            let start = folded.len();
            if c.is_ascii() {
                folded.push(c.to_ascii_lowercase());
            } else {
                match deunicode::deunicode_char(c) {
                    Some(s) => folded.extend(s.chars().map(|c| c.to_ascii_lowercase())),
                    None => folded.push('?'),
                }
            }
            origin.extend(std::iter::repeat_n(i as u32, folded.len() - start));
        }
        Haystack { folded, origin }
    }

    pub fn folded(&self) -> &str {
        &self.folded
    }
}

impl AsRef<Haystack> for Haystack {
    fn as_ref(&self) -> &Haystack {
        self
    }
}

/// Fold what the user typed the same way as the haystacks.
pub fn fold_query(query: &str) -> String {
    Haystack::new(query.trim()).folded
}

/// Is every byte of `needle` found in `hay`, in order? Spaces in the query are ignored.
fn is_subsequence(hay: &[u8], needle: &[u8]) -> bool {
    let mut it = hay.iter();
    needle
        .iter()
        .filter(|b| **b != b' ')
        .all(|n| it.any(|h| h == n))
}

/// The filter's state: the folded query and the ranked row indices matching it.
#[derive(Default)]
pub struct FuzzyFilter {
    matcher: Matcher,
    query: String,
    results: Vec<u32>,
    /// False until the first `refresh`: results then hold every row.
    ready: bool,
}

impl FuzzyFilter {
    /// The folded query the results are for.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Ranked indices into the haystacks.
    pub fn results(&self) -> &[u32] {
        &self.results
    }

    /// Recompute from scratch (the rows changed).
    pub fn refresh<H: AsRef<Haystack>>(&mut self, hays: &[H], query: &str) {
        self.ready = false;
        self.set_query(hays, query);
    }

    /// Filter `hays` by `query`, narrowing the previous results when the query only grew.
    pub fn set_query<H: AsRef<Haystack>>(&mut self, hays: &[H], query: &str) {
        let query = fold_query(query);
        if self.ready && query == self.query {
            return;
        }
        let narrowing = self.ready && !self.query.is_empty() && query.starts_with(&self.query);
        self.ready = true;
        if query.is_empty() {
            self.query = query;
            self.results = (0..hays.len() as u32).collect();
            return;
        }
        let needle = query.replace(' ', "");
        let candidates: Vec<u32> = if narrowing {
            std::mem::take(&mut self.results)
        } else {
            (0..hays.len() as u32).collect()
        };
        let mut scored: Vec<(i64, u32)> = candidates
            .into_iter()
            .filter_map(|i| {
                let hay = &hays[i as usize].as_ref().folded;
                if !is_subsequence(hay.as_bytes(), needle.as_bytes()) {
                    return None;
                }
                self.matcher.score(hay, &needle).map(|s| (s, i))
            })
            .collect();
        // Best first; equal scores keep the list's own (name) order.
        scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.results = scored.into_iter().map(|(_, i)| i).collect();
        self.query = query;
    }

    /// Which characters of the row's display text the query matched (for highlighting).
    pub fn positions(&self, hay: &Haystack) -> Vec<usize> {
        if self.query.is_empty() {
            return Vec::new();
        }
        let needle = self.query.replace(' ', "");
        let Some((_, idx)) = self.matcher.indices(&hay.folded, &needle) else {
            return Vec::new();
        };
        // Skim reports char indices; the folded text is ASCII, so chars are bytes.
        let mut out: Vec<usize> = idx
            .into_iter()
            .filter_map(|i| hay.origin.get(i).map(|&o| o as usize))
            .collect();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hays(names: &[&str]) -> Vec<Haystack> {
        names.iter().map(|n| Haystack::new(n)).collect()
    }

    #[test]
    fn accents_and_case_are_ignored_and_positions_point_at_the_shown_text() {
        let h = hays(&[
            "Zoë Chen  Acme",
            "Jürgen Müller  Globex",
            "Ada Lovelace  Acme",
        ]);
        let mut f = FuzzyFilter::default();
        f.set_query(&h, "jurg");
        assert_eq!(f.results(), &[1]);
        assert_eq!(f.positions(&h[1]), vec![0, 1, 2, 3]);
        f.set_query(&h, "zoe");
        assert_eq!(f.results(), &[0]);
        assert_eq!(f.positions(&h[0]), vec![0, 1, 2]);
    }

    #[test]
    fn growing_query_narrows_and_shrinking_widens_again() {
        let h = hays(&["Ada Lovelace", "Alan Turing", "Grace Hopper"]);
        let mut f = FuzzyFilter::default();
        f.set_query(&h, "a");
        assert_eq!(f.results().len(), 3);
        f.set_query(&h, "ada");
        assert_eq!(f.results(), &[0]);
        f.set_query(&h, "a");
        assert_eq!(f.results().len(), 3);
        f.set_query(&h, "");
        assert_eq!(f.results(), &[0, 1, 2]);
    }
}
