//! The in-memory [`Index`]: every contact's folded haystack in one arena, scanned (on two
//! threads when large) and ranked, with the exact hit built only for what is shown.

use super::exact::{FoldedText, Matcher};
use super::query::ParsedQuery;
use super::score::{name_of, name_tier, score_haystack};
use super::{Entry, Field, FieldMatch, Hit, fields_of, haystack};

/// Below this many contacts one thread scans faster than two can start.
pub(super) const PARALLEL_SCAN_FROM: u32 = 20_000;

/// The in-memory index: folded haystacks in one arena, plus the original entries for
/// positions and display.
///
/// Contacts are kept in tie-break order (see [`tiebreak`]: shortest folded name first), so a
/// slot is also a contact's place among equal scores, and a scan that has reached slot `s`
/// has seen every contact that could win a tie against those after it: the best matches
/// of a scan stopped part way (the filter bar's answer while it is still scanning) are
/// mostly the final ones, found first.
pub struct Index {
    entries: Vec<Entry>,
    /// Folded fields, each segment `[marker byte][folded bytes]`, contact after contact.
    arena: Vec<u8>,
    /// `arena[starts[i]..starts[i + 1]]` is contact `i`'s haystack.
    starts: Vec<u32>,
    /// Which of `a-z`, `0-9` and a few symbols each contact's haystack contains.
    masks: Vec<u64>,
}

impl Index {
    /// Fold every entry once. Cost is linear in the text: about 100 ms for 100k contacts.
    pub fn build(entries: Vec<Entry>) -> Index {
        let mut arena = Vec::with_capacity(entries.len() * 64);
        let mut starts = Vec::with_capacity(entries.len() + 1);
        let mut masks = Vec::with_capacity(entries.len());
        for e in &entries {
            starts.push(arena.len() as u32);
            masks.push(haystack(fields_of(e), &mut arena));
        }
        starts.push(arena.len() as u32);
        let hay =
            |slot: u32| &arena[starts[slot as usize] as usize..starts[slot as usize + 1] as usize];
        let mut by_name: Vec<u32> = (0..entries.len() as u32).collect();
        by_name.sort_by(|&a, &b| {
            tiebreak(
                (name_of(hay(a)), entries[a as usize].contact_id),
                (name_of(hay(b)), entries[b as usize].contact_id),
            )
        });
        // Lay everything out again in that order.
        let mut ordered = Vec::with_capacity(arena.len());
        let mut ordered_starts = Vec::with_capacity(starts.len());
        for &slot in &by_name {
            ordered_starts.push(ordered.len() as u32);
            ordered.extend_from_slice(hay(slot));
        }
        ordered_starts.push(ordered.len() as u32);
        let ordered_masks = by_name.iter().map(|&s| masks[s as usize]).collect();
        let mut entries: Vec<Entry> = entries;
        let ordered_entries = by_name
            .iter()
            .map(|&s| std::mem::take(&mut entries[s as usize]))
            .collect();
        Index {
            entries: ordered_entries,
            arena: ordered,
            starts: ordered_starts,
            masks: ordered_masks,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry a hit of this index is about, and its position in [`Index::entries`].
    pub fn entry(&self, hit: &Hit) -> Option<(usize, &Entry)> {
        let slot = hit.slot as usize;
        self.entries
            .get(slot)
            .filter(|e| e.contact_id == hit.contact_id)
            .map(|e| (slot, e))
    }

    /// The best `limit` hits for `query`, best first. An empty query matches nothing.
    pub fn query(&self, query: &str, limit: usize) -> Vec<Hit> {
        let q = ParsedQuery::new(query);
        let matched = self.scan_all(&q);
        self.rank(&q, &matched, limit)
    }

    /// Scan every contact; large indexes are split over two threads (the machines kith
    /// targets have at least two cores), keeping slot order.
    pub(super) fn scan_all(&self, q: &ParsedQuery) -> Vec<(u32, i64)> {
        let n = self.entries.len() as u32;
        if n < PARALLEL_SCAN_FROM {
            return self.scan(q, 0..n);
        }
        let mid = n / 2;
        let (first, second) = std::thread::scope(|s| {
            let first = s.spawn(|| self.scan(q, 0..mid));
            let second = self.scan(q, mid..n);
            (first.join(), second)
        });
        match first {
            Ok(mut first) => {
                first.extend(second);
                first
            }
            // A scan cannot panic on data; if a thread failed anyway, redo it here.
            Err(_) => {
                let mut first = self.scan(q, 0..mid);
                first.extend(second);
                first
            }
        }
    }

    /// Score the contacts at `slots` (positions in `entries`); keep those that match.
    pub(super) fn scan(
        &self,
        q: &ParsedQuery,
        slots: impl Iterator<Item = u32>,
    ) -> Vec<(u32, i64)> {
        let mut out = Vec::new();
        self.scan_into(q, slots, &mut out);
        out
    }

    /// [`Index::scan`], appending to `out`.
    pub(super) fn scan_into(
        &self,
        q: &ParsedQuery,
        slots: impl Iterator<Item = u32>,
        out: &mut Vec<(u32, i64)>,
    ) {
        if q.words.is_empty() {
            return;
        }
        for slot in slots {
            let i = slot as usize;
            if q.mask & !self.masks[i] != 0 {
                continue;
            }
            let hay = &self.arena[self.starts[i] as usize..self.starts[i + 1] as usize];
            if let Some(score) = score_haystack(hay, q) {
                out.push((slot, score));
            }
        }
    }

    /// Sort the matches, refine the front with skim, and compute positions for what is shown.
    pub(super) fn rank(&self, q: &ParsedQuery, matched: &[(u32, i64)], limit: usize) -> Vec<Hit> {
        if limit == 0 || matched.is_empty() {
            return Vec::new();
        }
        // Skim re-scores fuzzy words, which can reorder within a tier: take a wider pool.
        let pool_size = pool_size(limit).min(matched.len());
        let mut pool: Vec<(u32, i64)> = matched.to_vec();
        let by_rank = |a: &(u32, i64), b: &(u32, i64)| self.order(a, b);
        if pool_size < pool.len() {
            pool.select_nth_unstable_by(pool_size - 1, by_rank);
            pool.truncate(pool_size);
        }
        let matcher = Matcher::default();
        let mut hits: Vec<(u32, Hit)> = pool
            .iter()
            .map(|&(slot, _)| (slot, self.hit(slot, q, &matcher)))
            .collect();
        hits.sort_by(|(sa, a), (sb, b)| b.score.cmp(&a.score).then(sa.cmp(sb)));
        hits.truncate(limit);
        hits.into_iter().map(|(_, hit)| hit).collect()
    }

    pub(super) fn order(&self, a: &(u32, i64), b: &(u32, i64)) -> std::cmp::Ordering {
        b.1.cmp(&a.1).then(a.0.cmp(&b.0))
    }

    /// The full hit for one contact: exact score (skim for fuzzy words) and positions.
    pub(super) fn hit(&self, slot: u32, q: &ParsedQuery, matcher: &Matcher) -> Hit {
        let entry = &self.entries[slot as usize];
        let mut score = name_tier(entry, q);
        let mut per_field: Vec<(Field, usize, i64, Vec<usize>)> = Vec::new(); // field, value #, best word score, positions
        let texts: Vec<(Field, &str)> = fields_of(entry).collect();
        let folded: Vec<FoldedText> = texts.iter().map(|(f, t)| FoldedText::new(*f, t)).collect();
        for word in &q.words {
            let mut best: Option<(i64, usize, Vec<usize>)> = None;
            for (k, ft) in folded.iter().enumerate() {
                if let Some((s, pos)) = ft.best_match(word, matcher)
                    && best.as_ref().is_none_or(|b| s > b.0)
                {
                    best = Some((s, k, pos));
                }
            }
            let Some((s, k, pos)) = best else { continue };
            score += s;
            let field = texts[k].0;
            match per_field.iter_mut().find(|p| p.0 == field && p.1 == k) {
                Some(p) => {
                    p.2 = p.2.max(s);
                    p.3.extend(pos);
                }
                None => per_field.push((field, k, s, pos)),
            }
        }
        per_field.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        let matches: Vec<FieldMatch> = per_field
            .into_iter()
            .map(|(field, k, _, mut positions)| {
                positions.sort_unstable();
                positions.dedup();
                FieldMatch {
                    field,
                    value: texts[k].1.to_string(),
                    positions,
                }
            })
            .collect();
        let positions = matches
            .iter()
            .find(|m| m.field == Field::Name)
            .map(|m| m.positions.clone())
            .unwrap_or_default();
        Hit {
            contact_id: entry.contact_id,
            score,
            field: matches.first().map_or(Field::Name, |m| m.field),
            positions,
            matches,
            slot,
        }
    }
}

/// Equal scores: shorter names first (closer to what was typed), then by folded name, then
/// id. Folded, so a haystack alone (without the original entry) knows its place.
pub(super) fn tiebreak(a: (&[u8], i64), b: (&[u8], i64)) -> std::cmp::Ordering {
    a.0.len()
        .cmp(&b.0.len())
        .then_with(|| a.0.cmp(b.0))
        .then(a.1.cmp(&b.1))
}

/// How many candidates ranking refines with skim for `limit` results: skim can reorder
/// within a tier, so a wider pool than asked for.
pub(super) fn pool_size(limit: usize) -> usize {
    (limit * 4).max(64)
}
