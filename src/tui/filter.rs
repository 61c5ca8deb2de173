//! The filter bar's state over [`crate::search`]'s index (the same search as `kith find`):
//! fuzzy, accent- and case-blind, ranked, with matched characters for highlighting. A query
//! that grows narrows the previous matches (`search::Filter`).
//!
//! Building the index takes about 100 ms per 100k contacts, so it is built on a thread while
//! the first frame is drawn (an empty filter needs no index).
//!
//! A key never waits for the scan it starts: [`FuzzyFilter::set_query`] only starts it, and
//! the event loop runs it a slice at a time ([`FuzzyFilter::work`]) between reading keys and
//! drawing. A scan of a million contacts takes a few slices; meanwhile the list shows the
//! best matches found so far (every one a true match, in rank order among them) and the
//! title says the search goes on, and a key typed meanwhile replaces the scan.

use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Instant;

use super::data::ContactRow;
use crate::search::{Entry, Field, Filter, Index};

/// Matches are ranked (with positions) a page at a time: the search only scores what can be
/// shown. More are fetched as the selection moves down, up to [`MAX_SHOWN`].
pub const PAGE: usize = 60;
/// At most this many matches are listed (all are counted).
pub const MAX_SHOWN: usize = 2000;
/// Contacts checked between looks at the clock (split over two threads).
const STEP: usize = 32_768;

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
    /// Whether the query's scan is under way (or waits for the index).
    pending: bool,
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
        // The caller keeps its selection among the results: they must be in.
        self.settle(rows);
    }

    /// Wait for a background build, if one is running.
    fn finish_build(&mut self) {
        if let Some(rx) = self.building.take() {
            self.index = rx.recv().ok();
        }
    }

    /// Take the index if its build is done; false while it is still being built.
    fn poll_build(&mut self) -> bool {
        let Some(rx) = &self.building else {
            return true;
        };
        match rx.try_recv() {
            Ok(index) => self.index = Some(index),
            Err(TryRecvError::Empty) => return false,
            Err(TryRecvError::Disconnected) => self.index = None,
        }
        self.building = None;
        true
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
        if self.query.trim().is_empty() {
            self.results = (0..self.rows as u32).collect();
            self.positions.clear();
            self.apply_order();
        } else if !self.pending
            && let Some(index) = &self.index
        {
            let hits = self.filter.ranked(index, self.limit);
            self.take_hits(rows, hits);
        }
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

    /// Filter by `query`: an empty one lists everyone at once; any other starts a scan
    /// that [`Self::work`] carries on (nothing is listed until its first slice).
    pub fn set_query(&mut self, _rows: &[ContactRow], query: &str) {
        if query == self.query {
            return;
        }
        self.query = query.to_string();
        self.limit = PAGE;
        self.filter.start(query, self.limit);
        self.results.clear();
        self.positions.clear();
        self.total = 0;
        if query.trim().is_empty() {
            self.pending = false;
            self.results = (0..self.rows as u32).collect();
            self.total = self.rows;
            self.apply_order();
            return;
        }
        self.pending = true;
    }

    /// Whether a scan is under way: the event loop calls [`Self::work`] until it is not.
    pub fn busy(&self) -> bool {
        self.pending
    }

    /// Whether a scan is under way with its index at hand (not waiting for it to be built).
    pub fn scanning(&self) -> bool {
        self.pending && self.building.is_none()
    }

    /// How far the scan under way has got (0.0 to 1.0), or None when there is none.
    pub fn progress(&self) -> Option<f32> {
        self.pending.then(|| self.filter.progress().unwrap_or(0.0))
    }

    /// Carry the scan on until `deadline` (to the end when None), then list the best
    /// matches found so far. Returns whether the list changed.
    pub fn work(&mut self, rows: &[ContactRow], deadline: Option<Instant>) -> bool {
        if !self.pending {
            return false;
        }
        if deadline.is_none() {
            self.finish_build();
        } else if !self.poll_build() {
            return false;
        }
        let Some(index) = &self.index else {
            self.pending = false;
            self.results.clear();
            self.positions.clear();
            self.total = 0;
            return true;
        };
        loop {
            let done = self.filter.step(index, STEP);
            if done {
                self.pending = false;
                break;
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                break;
            }
        }
        let hits = self.filter.ranked(index, self.limit);
        self.take_hits(rows, hits);
        true
    }

    /// Run the scan under way to the end (tests, benches, and a list just reloaded).
    pub fn settle(&mut self, rows: &[ContactRow]) {
        self.work(rows, None);
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
        self.limit = (n + PAGE).min(MAX_SHOWN);
        if self.pending {
            // The scan's next slice ranks this many.
            return;
        }
        let Some(index) = &self.index else {
            return;
        };
        let hits = self.filter.ranked(index, self.limit);
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
        f.settle(&r);
        assert_eq!(f.results(), &[1]);
        assert_eq!(f.positions(0), &[0, 1, 2, 3]);
        f.set_query(&r, "ada acme");
        f.settle(&r);
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
        f.settle(&r);
        assert_eq!(f.total(), 3);
        f.set_query(&r, "ada");
        f.settle(&r);
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
        f.settle(&r);
        assert_eq!(f.total(), 300);
        assert_eq!(f.results().len(), PAGE);
        f.want(&r, 150);
        assert!(f.results().len() >= 150);
        assert_eq!(f.results().len(), f.positions.len());
    }
}
