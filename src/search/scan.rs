//! Ranking straight off stored haystacks, without an [`Index`]: what `kith find` and name
//! resolution do, so a query over 100k contacts reads one narrow row each and keeps only the
//! few that can be shown.
//!
//! ```
//! use kith::search::{Entry, Field, Index, haystack, scan::Scan};
//! let people = [(1, "Ada Lovelace"), (2, "Jürgen Müller"), (3, "Bob")];
//! let mut scan = Scan::new("jrgn", 10);
//! for (id, name) in people {
//!     let mut hay = Vec::new();
//!     let mask = haystack([(Field::Name, name)].into_iter(), &mut hay);
//!     scan.offer(id, mask, &hay);
//! }
//! assert_eq!((scan.total(), scan.finish()), (1, vec![2]));
//! ```
//!
//! [`Index`]: super::Index

use std::cmp::Ordering;

use super::{NAME_TIER_FLOOR, ParsedQuery, name_of, pool_size, score_haystack, tiebreak};

/// One contact that matched: its cheap score and where its folded name is kept.
#[derive(Clone, Copy)]
struct Candidate {
    score: i64,
    contact_id: i64,
    name_start: u32,
    name_len: u32,
}

/// Streams haystacks in, keeps the best [`pool_size`] by cheap score (enough for an
/// [`Index`](super::Index) built on them to rank exactly as one built on everything).
pub struct Scan {
    query: ParsedQuery,
    pool: usize,
    candidates: Vec<Candidate>,
    /// Folded names of the candidates, back to back.
    names: Vec<u8>,
    total: usize,
    /// How many matched in a name tier (see [`NAME_TIER_FLOOR`]).
    named: usize,
}

impl Scan {
    pub fn new(query: &str, limit: usize) -> Scan {
        let pool = if limit == 0 { 0 } else { pool_size(limit) };
        Scan {
            query: ParsedQuery::new(query),
            pool,
            candidates: Vec::new(),
            names: Vec::new(),
            total: 0,
            named: 0,
        }
    }

    /// Whether nothing can match (an empty or blank query).
    pub fn is_void(&self) -> bool {
        self.query.words.is_empty() || self.pool == 0
    }

    /// Whether a contact with this mask can match at all: a cheap test before reading its
    /// haystack.
    fn may_match(&self, mask: u64) -> bool {
        !self.is_void() && self.query.mask & !mask == 0
    }

    /// Consider one contact: `hay` and `mask` as [`super::haystack`] made them.
    /// Returns whether it matched.
    pub fn offer(&mut self, contact_id: i64, mask: u64, hay: &[u8]) -> bool {
        if !self.may_match(mask) {
            return false;
        }
        let Some(score) = score_haystack(hay, &self.query) else {
            return false;
        };
        self.total += 1;
        self.named += usize::from(score >= NAME_TIER_FLOOR);
        let name = name_of(hay);
        self.candidates.push(Candidate {
            score,
            contact_id,
            name_start: self.names.len() as u32,
            name_len: name.len() as u32,
        });
        self.names.extend_from_slice(name);
        // A short query matches most of a large book: keep memory bounded by dropping what
        // can no longer reach the pool, now and then.
        if self.candidates.len() >= (self.pool * 16).max(8192) {
            self.keep_best();
        }
        true
    }

    /// Take in what another scan of the same query and limit found (over other contacts,
    /// say on another thread): afterwards this scan is as if it had been offered them too,
    /// whatever the order (candidates are ranked by a total order, and counts add up).
    pub fn absorb(&mut self, other: Scan) {
        self.total += other.total;
        self.named += other.named;
        let base = self.names.len() as u32;
        self.names.extend_from_slice(&other.names);
        self.candidates
            .extend(other.candidates.into_iter().map(|c| Candidate {
                name_start: c.name_start + base,
                ..c
            }));
        self.keep_best();
    }

    /// How many contacts matched so far (all of them, not only those kept).
    pub fn total(&self) -> usize {
        self.total
    }

    /// How many contacts matched so far in a name tier: the name equals the query, starts
    /// with it, or has a word starting with each query word (what name resolution counts).
    pub fn named(&self) -> usize {
        self.named
    }

    /// The ids of the best candidates, best first by cheap score.
    pub fn finish(mut self) -> Vec<i64> {
        self.keep_best();
        let names = &self.names;
        self.candidates.sort_by(|a, b| rank(names, a, b));
        self.candidates.iter().map(|c| c.contact_id).collect()
    }

    /// Keep only the pool's worth of best candidates, compacting their names.
    fn keep_best(&mut self) {
        if self.candidates.len() > self.pool {
            let names = &self.names;
            self.candidates
                .select_nth_unstable_by(self.pool - 1, |a, b| rank(names, a, b));
            self.candidates.truncate(self.pool);
        }
        let mut names = Vec::with_capacity(self.names.len().min(self.pool * 32));
        for c in &mut self.candidates {
            let start = c.name_start as usize;
            let name = &self.names[start..start + c.name_len as usize];
            c.name_start = names.len() as u32;
            names.extend_from_slice(name);
        }
        self.names = names;
    }
}

/// Best first: score, then the index's tie-break.
fn rank(names: &[u8], a: &Candidate, b: &Candidate) -> Ordering {
    let name = |c: &Candidate| {
        let start = c.name_start as usize;
        &names[start..start + c.name_len as usize]
    };
    b.score
        .cmp(&a.score)
        .then_with(|| tiebreak((name(a), a.contact_id), (name(b), b.contact_id)))
}
