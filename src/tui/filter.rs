//! The filter bar's state over [`crate::search`]'s index (the same search as `kith find`):
//! fuzzy, accent- and case-blind, ranked, with matched characters for highlighting. A query
//! that grows narrows the previous matches (`search::Filter`).
//!
//! Building the index takes about 100 ms per 100k contacts, so it is built on a thread while
//! the first frame is drawn (an empty filter needs no index) and waited for only when the
//! first query arrives.

use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver};

use super::data::ContactRow;
use crate::search::{Entry, Field, Filter, Index};

/// Matches are ranked (with positions) a page at a time: the search only scores what can be
/// shown. More are fetched as the selection moves down, up to [`MAX_SHOWN`].
pub const PAGE: usize = 60;
/// At most this many matches are listed (all are counted).
pub const MAX_SHOWN: usize = 2000;

#[derive(Default)]
pub struct FuzzyFilter {
    index: Option<Index>,
    building: Option<Receiver<Index>>,
    filter: Filter,
    /// Contact id → row in the snapshot's list.
    row_of: HashMap<i64, u32>,
    rows: usize,
    query: String,
    /// Rows matching, best first (every row, in name order, for an empty query).
    results: Vec<u32>,
    /// Highlighted characters of each result's display text (name, two spaces, organization).
    positions: Vec<Vec<usize>>,
    total: usize,
    /// How many ranked matches the current query asked for.
    limit: usize,
    /// Each row's health, when the list is sorted by it (healthiest first).
    by_health: Option<Vec<u8>>,
}

fn entry(row: &ContactRow) -> Entry {
    Entry {
        contact_id: row.id,
        display_name: row.name.clone(),
        nickname: row.nickname.clone(),
        organization: row.organization.clone(),
        title: row.title.clone(),
        emails: row.emails.clone(),
        phones: row.phones.clone(),
        tags: row.tags.clone(),
    }
}

impl FuzzyFilter {
    /// A filter over `rows`; the index is built in the background.
    pub fn new(rows: &[ContactRow]) -> FuzzyFilter {
        let mut filter = FuzzyFilter::default();
        filter.rebuild(rows, "");
        filter
    }

    /// The rows changed: rebuild the index (in the background) and re-run `query`.
    pub fn rebuild(&mut self, rows: &[ContactRow], query: &str) {
        let entries: Vec<Entry> = rows.iter().map(entry).collect();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(Index::build(entries));
        });
        self.building = Some(rx);
        self.row_of = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id, i as u32))
            .collect();
        self.rows = rows.len();
        // Other rows: their scores are given again (`App::sort_list`).
        self.by_health = None;
        self.filter.reset();
        self.query = String::from("\u{0}"); // force a fresh run
        self.set_query(rows, query);
    }

    /// Wait for a background build, if one is running.
    fn finish_build(&mut self) {
        if let Some(rx) = self.building.take() {
            self.index = rx.recv().ok();
        }
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    /// Rows matching the query, best first.
    pub fn results(&self) -> &[u32] {
        &self.results
    }

    /// How many contacts match (more than are listed when over [`MAX_SHOWN`]).
    pub fn total(&self) -> usize {
        self.total
    }

    /// Highlighted characters of the `n`th result's display text.
    pub fn positions(&self, n: usize) -> &[usize] {
        self.positions.get(n).map_or(&[], Vec::as_slice)
    }

    /// Sort the results by `health` (one score per row; healthiest first, ties as they
    /// were), or back to the filter's own order with `None`.
    pub fn sort_by_health(&mut self, rows: &[ContactRow], health: Option<Vec<u8>>) {
        self.by_health = health.filter(|h| h.len() == self.rows);
        let query = std::mem::replace(&mut self.query, String::from("\u{0}"));
        self.set_query(rows, &query);
    }

    pub fn sorted_by_health(&self) -> bool {
        self.by_health.is_some()
    }

    fn apply_order(&mut self) {
        let Some(health) = &self.by_health else {
            return;
        };
        let key = |r: u32| std::cmp::Reverse(health.get(r as usize).copied().unwrap_or(0));
        if self.positions.len() == self.results.len() && !self.positions.is_empty() {
            let mut pairs: Vec<(u32, Vec<usize>)> = self
                .results
                .drain(..)
                .zip(self.positions.drain(..))
                .collect();
            pairs.sort_by_key(|(r, _)| key(*r));
            (self.results, self.positions) = pairs.into_iter().unzip();
        } else {
            self.results.sort_by_key(|&r| key(r));
        }
    }

    pub fn set_query(&mut self, rows: &[ContactRow], query: &str) {
        if query == self.query {
            return;
        }
        self.query = query.to_string();
        if query.trim().is_empty() {
            self.filter.reset();
            self.results = (0..self.rows as u32).collect();
            self.positions = Vec::new();
            self.total = self.rows;
            self.apply_order();
            return;
        }
        self.finish_build();
        let Some(index) = &self.index else {
            self.results.clear();
            self.positions.clear();
            self.total = 0;
            return;
        };
        self.limit = PAGE;
        let hits = self.filter.update(index, query, self.limit);
        self.take_hits(rows, hits);
    }

    /// Make sure at least `n` matches are ranked (when that many match), for scrolling.
    pub fn want(&mut self, rows: &[ContactRow], n: usize) {
        let available = self.total.min(MAX_SHOWN);
        if self.query.trim().is_empty()
            || n <= self.results.len()
            || self.results.len() >= available
        {
            return;
        }
        let Some(index) = &self.index else {
            return;
        };
        self.limit = (n + PAGE).min(MAX_SHOWN);
        // The same query again only re-checks its own matches.
        let hits = self.filter.update(index, &self.query, self.limit);
        self.take_hits(rows, hits);
    }

    fn take_hits(&mut self, rows: &[ContactRow], hits: Vec<crate::search::Hit>) {
        self.total = self.filter.total();
        self.results.clear();
        self.positions.clear();
        for hit in hits {
            let Some(&row) = self.row_of.get(&hit.contact_id) else {
                continue;
            };
            let name = rows.get(row as usize).map_or("", |r| r.name.as_str());
            self.results.push(row);
            self.positions.push(shown_positions(&hit, name));
        }
        self.apply_order();
    }
}

/// The highlighted characters of a hit in the list's display text: `name`, two spaces, the
/// organization.
pub fn shown_positions(hit: &crate::search::Hit, name: &str) -> Vec<usize> {
    let name_len = name.chars().count();
    let mut positions = hit.positions.clone();
    for m in &hit.matches {
        if m.field == Field::Organization {
            positions.extend(m.positions.iter().map(|p| p + name_len + 2));
        }
    }
    positions.sort_unstable();
    positions.dedup();
    positions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(names: &[(&str, Option<&str>)]) -> Vec<ContactRow> {
        names
            .iter()
            .enumerate()
            .map(|(i, (n, o))| ContactRow {
                id: i as i64 + 1,
                name: n.to_string(),
                organization: o.map(str::to_string),
                ..ContactRow::default()
            })
            .collect()
    }

    #[test]
    fn accents_and_case_are_ignored_and_positions_point_at_the_shown_text() {
        let r = rows(&[
            ("Zoë Chen", Some("Acme")),
            ("Jürgen Müller", Some("Globex")),
            ("Ada Lovelace", Some("Acme")),
        ]);
        let mut f = FuzzyFilter::new(&r);
        f.set_query(&r, "jurg");
        assert_eq!(f.results(), &[1]);
        assert_eq!(f.positions(0), &[0, 1, 2, 3]);
        f.set_query(&r, "ada acme");
        assert_eq!(f.results(), &[2]);
        // "Ada" in the name, "Acme" after "Ada Lovelace" and two spaces.
        assert_eq!(f.positions(0), &[0, 1, 2, 14, 15, 16, 17]);
    }

    #[test]
    fn growing_query_narrows_and_clearing_lists_everyone() {
        let r = rows(&[
            ("Ada Lovelace", None),
            ("Alan Turing", None),
            ("Grace Hopper", None),
        ]);
        let mut f = FuzzyFilter::new(&r);
        assert_eq!(f.results(), &[0, 1, 2]);
        f.set_query(&r, "a");
        assert_eq!(f.total(), 3);
        f.set_query(&r, "ada");
        assert_eq!(f.results(), &[0]);
        f.set_query(&r, "");
        assert_eq!(f.results(), &[0, 1, 2]);
    }

    #[test]
    fn matches_are_ranked_a_page_at_a_time_as_the_selection_moves() {
        let names: Vec<String> = (0..300).map(|i| format!("Ada Person {i}")).collect();
        let named: Vec<(&str, Option<&str>)> = names.iter().map(|n| (n.as_str(), None)).collect();
        let r = rows(&named);
        let mut f = FuzzyFilter::new(&r);
        f.set_query(&r, "ada");
        assert_eq!(f.total(), 300);
        assert_eq!(f.results().len(), PAGE);
        f.want(&r, 150);
        assert!(f.results().len() >= 150);
        assert_eq!(f.results().len(), f.positions.len());
    }
}
