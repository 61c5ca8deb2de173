//! The interactive filter bar's state, [`Filter`]: a query that extends the previous one
//! only re-checks what the previous one matched, and a scan can go a slice at a time, so
//! the filter bar answers each key at once on a large book: between slices the best
//! matches found so far are known ([`Filter::ranked`]), and a new key simply starts a new
//! scan in place of the one under way.

use super::Hit;
use super::index::{Index, PARALLEL_SCAN_FROM, pool_size};
use super::query::{ParsedQuery, fold_query_text};

/// The filter bar's state: remembers the last query scanned to the end and every contact it
/// matched, so a query that extends it (one more letter, one more word) only re-checks those.
#[derive(Default)]
pub struct Filter {
    /// The last query scanned to the end, as typed (folded).
    last_query: String,
    /// Slots and cheap scores of every contact it matched, in slot order.
    matched: Vec<(u32, i64)>,
    /// Whether `matched` is valid (false before the first query and after an empty one).
    primed: bool,
    /// The current query's scan, finished or under way; None for an empty query.
    scan: Option<Scan>,
    /// A buffer kept for the next scan's matches: no allocation over a whole book per key.
    spare: Vec<(u32, i64)>,
}

/// One query's scan.
struct Scan {
    query: ParsedQuery,
    /// The query as typed (folded), the next one compares itself with.
    typed: String,
    /// Whether it re-checks the previous query's matches rather than every contact.
    narrowing: bool,
    /// How many of those (matches, or slots) have been checked, and how many there are.
    at: usize,
    of: usize,
    /// What matched so far, in slot order.
    found: Vec<(u32, i64)>,
    /// The best of `found` by cheap score: at least the `pool` best, fewer than `2 * pool`
    /// (trimmed now and then), so the best so far are ranked from a few hundred, not all.
    best: Vec<(u32, i64)>,
    pool: usize,
    done: bool,
}

impl Filter {
    /// Run `query` to the end, narrowing the previous matches when `query` extends the
    /// previous query. Returns the best `limit` hits, best first.
    pub fn update(&mut self, index: &Index, query: &str, limit: usize) -> Vec<Hit> {
        self.start(query, limit);
        while !self.step(index, usize::MAX) {}
        self.ranked(index, limit)
    }

    /// Start scanning for `query` (nothing is checked yet: see [`Filter::step`]), in place
    /// of any scan under way; `limit` is how many hits [`Filter::ranked`] will be asked for.
    pub fn start(&mut self, query: &str, limit: usize) {
        let q = ParsedQuery::new(query);
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
        if let Some(old) = self.scan.take() {
            self.recycle(old.found);
        }
        if q.words.is_empty() {
            self.primed = false;
            self.last_query.clear();
            return;
        }
        let narrowing =
            self.primed && !self.last_query.is_empty() && typed.starts_with(&self.last_query);
        let mut found = std::mem::take(&mut self.spare);
        found.clear();
        let pool = pool_size(limit.max(1));
        self.scan = Some(Scan {
            query: q,
            typed,
            narrowing,
            at: 0,
            of: 0, // set by the first step, which knows the index
            found,
            best: Vec::with_capacity(pool * 2),
            pool,
            done: false,
        });
    }

    /// Check up to `budget` more contacts for the current query; true once it is scanned to
    /// the end (or there is none).
    pub fn step(&mut self, index: &Index, budget: usize) -> bool {
        let Some(scan) = &mut self.scan else {
            return true;
        };
        if scan.done {
            return true;
        }
        if !scan.narrowing {
            scan.of = index.len();
        } else {
            scan.of = self.matched.len();
        }
        let end = scan.at.saturating_add(budget).min(scan.of);
        let before = scan.found.len();
        if scan.narrowing {
            let slots = &self.matched[scan.at..end];
            scan_split(index, &scan.query, slots.len(), &mut scan.found, |range| {
                slots[range].iter().map(|&(slot, _)| slot)
            });
        } else {
            let first = scan.at as u32;
            scan_split(
                index,
                &scan.query,
                end - scan.at,
                &mut scan.found,
                |range| first + range.start as u32..first + range.end as u32,
            );
        }
        scan.at = end;
        scan.best.extend_from_slice(&scan.found[before..]);
        if scan.best.len() >= scan.pool * 2 {
            let pool = scan.pool;
            scan.best
                .select_nth_unstable_by(pool - 1, |a, b| index.order(a, b));
            scan.best.truncate(pool);
        }
        if scan.at < scan.of {
            return false;
        }
        scan.done = true;
        let found = std::mem::take(&mut scan.found);
        let typed = scan.typed.clone();
        let previous = std::mem::replace(&mut self.matched, found);
        self.recycle(previous);
        self.last_query = typed;
        self.primed = true;
        true
    }

    /// Whether the current query is still being scanned, and how far it is (0.0 to 1.0).
    pub fn progress(&self) -> Option<f32> {
        let scan = self.scan.as_ref().filter(|s| !s.done)?;
        Some(if scan.of == 0 {
            0.0
        } else {
            scan.at as f32 / scan.of as f32
        })
    }

    /// The best `limit` hits of the current query, best first: of every match once the scan
    /// is done, else of those found so far (each of them a true match).
    pub fn ranked(&self, index: &Index, limit: usize) -> Vec<Hit> {
        let Some(scan) = &self.scan else {
            return Vec::new();
        };
        let from = if scan.done && pool_size(limit) > scan.pool {
            &self.matched
        } else {
            &scan.best
        };
        index.rank(&scan.query, from, limit)
    }

    /// How many contacts the current query matched (so far, while it is scanned).
    pub fn total(&self) -> usize {
        match &self.scan {
            Some(scan) if scan.done => self.matched.len(),
            Some(scan) => scan.found.len(),
            None => 0,
        }
    }

    /// Forget the previous query (after the index was rebuilt).
    pub fn reset(&mut self) {
        *self = Filter::default();
    }

    fn recycle(&mut self, mut buffer: Vec<(u32, i64)>) {
        if buffer.capacity() > self.spare.capacity() {
            buffer.clear();
            self.spare = buffer;
        }
    }
}

/// Scan `count` contacts, `slots(range)` naming those of positions `range`, appending the
/// matches to `out` in order: on two threads when there are many.
fn scan_split<I: Iterator<Item = u32>>(
    index: &Index,
    q: &ParsedQuery,
    count: usize,
    out: &mut Vec<(u32, i64)>,
    slots: impl Fn(std::ops::Range<usize>) -> I + Sync,
) {
    if count < PARALLEL_SCAN_FROM as usize {
        index.scan_into(q, slots(0..count), out);
        return;
    }
    let mid = count / 2;
    let second = std::thread::scope(|s| {
        let second = s.spawn(|| {
            let mut part = Vec::new();
            index.scan_into(q, slots(mid..count), &mut part);
            part
        });
        index.scan_into(q, slots(0..mid), out);
        second.join()
    });
    match second {
        Ok(part) => out.extend_from_slice(&part),
        // A scan cannot panic on data; if the thread failed anyway, redo its half here.
        Err(_) => index.scan_into(q, slots(mid..count), out),
    }
}
