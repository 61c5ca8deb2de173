//! The fuzzy search index over contacts: candidates, scoring, ranking, match positions.
//!
//! Every use of the fuzzy-matcher crate stays in this file, so swapping the matcher
//! (nucleo-matcher) stays local if the speed budgets demand it.
//!
//! # Using it
//! ```
//! use kith::search::{Entry, Field, Filter, Index};
//! let index = Index::build(vec![
//!     Entry { contact_id: 1, display_name: "Jürgen Müller".into(), ..Entry::default() },
//!     Entry { contact_id: 2, display_name: "Ada Lovelace".into(),
//!             organization: Some("Globex".into()), ..Entry::default() },
//! ]);
//! // One-shot (the `kith find` way):
//! let hits = index.query("jrgn mllr", 10);
//! assert_eq!(hits[0].contact_id, 1);
//! assert_eq!(hits[0].field, Field::Name);
//! // Per keystroke (the interactive filter bar): a query that extends the previous one only
//! // re-checks the previous matches.
//! let mut filter = Filter::default();
//! filter.update(&index, "a", 50);
//! let hits = filter.update(&index, "ada glob", 50);
//! assert_eq!((hits[0].contact_id, filter.total()), (2, 1));
//! ```
//!
//! # How a query matches and ranks
//! The query is folded like the haystacks (case and diacritics ignored: "jurgen" finds
//! "Jürgen") and split into words. A contact matches when every word matches some field
//! (so "ada globex" finds Ada at Globex). Each word scores by how well it matched, best
//! first: the whole field, a whole word, the start of the field, the start of a word, a
//! substring, and last letters in order (fuzzy, scored by the skim v2 matcher), plus a bonus
//! for the field: name > nickname > organization > title > email > phone > tags. On top of
//! that, a name that equals the whole query, starts with it, or has every query word as
//! the start of one of its words always ranks first, in that order.
//!
//! # Speed
//! Haystacks are folded once at build time into one byte arena. A query first rejects
//! contacts lacking any of its letters (a 64-bit mask), then scores each word against each
//! field with byte searches; skim only runs on the few candidates that can be shown.

pub mod phone;
pub mod scan;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use serde::Serialize;

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

/// What the index knows of one contact. Archived contacts are the caller's business: leave
/// them out of the entries, or keep them and filter the hits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub contact_id: i64,
    pub display_name: String,
    pub nickname: Option<String>,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub tags: Vec<String>,
}

/// Which field of a contact a query word matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Nickname,
    Organization,
    Title,
    Email,
    Phone,
    Tag,
}

impl Field {
    const ALL: [Field; 7] = [
        Field::Name,
        Field::Nickname,
        Field::Organization,
        Field::Title,
        Field::Email,
        Field::Phone,
        Field::Tag,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Nickname => "nickname",
            Field::Organization => "organization",
            Field::Title => "title",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Tag => "tag",
        }
    }

    /// The marker byte that starts this field's segment in the arena (never produced by
    /// folding, which turns control characters into spaces).
    fn marker(self) -> u8 {
        self as u8 + 1
    }

    fn from_marker(b: u8) -> Option<Field> {
        Field::ALL.get((b as usize).wrapping_sub(1)).copied()
    }

    /// How much a match in this field is worth on top of how well it matched.
    fn bonus(self) -> i64 {
        match self {
            Field::Name => 3000,
            Field::Nickname => 2800,
            Field::Organization => 2000,
            Field::Title => 1500,
            Field::Email => 1200,
            Field::Phone => 1000,
            Field::Tag => 0,
        }
    }
}

/// How well one query word matched one field, best last (so `max` picks the best).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Quality {
    Fuzzy,
    Substring,
    /// Letters in order within one word, the first of them starting it ("nd" in "Nadia"):
    /// what an abbreviation looks like, so it beats a mid-word substring ("nd" in "Anders").
    AnchoredFuzzy,
    WordPrefix,
    FieldPrefix,
    WholeWord,
    WholeField,
}

impl Quality {
    fn base(self) -> i64 {
        match self {
            Quality::Fuzzy => 0,
            Quality::Substring => 1000,
            Quality::AnchoredFuzzy => 1100,
            Quality::WordPrefix => 1500,
            Quality::FieldPrefix => 1700,
            Quality::WholeWord => 2000,
            Quality::WholeField => 2500,
        }
    }
}

/// Below this many contacts one thread scans faster than two can start.
const PARALLEL_SCAN_FROM: u32 = 20_000;

/// Name tiers that always rank first, whatever else matched.
const NAME_EQUALS_QUERY: i64 = 1_000_000;
const NAME_STARTS_WITH_QUERY: i64 = 500_000;
const NAME_WORDS_START_WITH_QUERY_WORDS: i64 = 200_000;
/// Scores at or above this come from a name tier: the name equals the query, starts with
/// it, or every query word starts one of its words.
pub const NAME_TIER_FLOOR: i64 = NAME_WORDS_START_WITH_QUERY_WORDS;

/// One field's part in a hit: the original text and the matched character positions in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldMatch {
    pub field: Field,
    /// The field's text as stored (not folded).
    pub value: String,
    /// Indices of matched characters (`chars()`, not bytes) in `value`, ascending.
    pub positions: Vec<usize>,
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub contact_id: i64,
    /// Higher is better; only comparable within one query.
    pub score: i64,
    /// The field that contributed most to the score.
    pub field: Field,
    /// Matched character positions (`chars()` indices) in the ORIGINAL display name, for
    /// highlighting it in a list; empty when the name itself did not match.
    pub positions: Vec<usize>,
    /// Every field a query word matched, strongest first, with positions in its own text.
    pub matches: Vec<FieldMatch>,
    /// Where the entry is in [`Index::entries`] (see [`Index::entry`]).
    #[serde(skip)]
    slot: u32,
}

/// The in-memory index: folded haystacks in one arena, plus the original entries for
/// positions and display.
pub struct Index {
    entries: Vec<Entry>,
    /// Folded fields, each segment `[marker byte][folded bytes]`, contact after contact.
    arena: Vec<u8>,
    /// `arena[starts[i]..starts[i + 1]]` is contact `i`'s haystack.
    starts: Vec<u32>,
    /// Which of `a-z`, `0-9` and a few symbols each contact's haystack contains.
    masks: Vec<u64>,
    /// Tie-break order of each contact (see [`tiebreak`]), precomputed so ranking compares
    /// integers.
    order_keys: Vec<u64>,
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
        let name = |slot: u32| {
            let hay = &arena[starts[slot as usize] as usize..starts[slot as usize + 1] as usize];
            name_of(hay)
        };
        let mut by_name: Vec<u32> = (0..entries.len() as u32).collect();
        by_name.sort_by(|&a, &b| {
            tiebreak(
                (name(a), entries[a as usize].contact_id),
                (name(b), entries[b as usize].contact_id),
            )
        });
        let mut order_keys = vec![0u64; entries.len()];
        for (place, &slot) in by_name.iter().enumerate() {
            order_keys[slot as usize] = place as u64;
        }
        Index {
            entries,
            arena,
            starts,
            masks,
            order_keys,
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
    fn scan_all(&self, q: &ParsedQuery) -> Vec<(u32, i64)> {
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
    fn scan(&self, q: &ParsedQuery, slots: impl Iterator<Item = u32>) -> Vec<(u32, i64)> {
        if q.words.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
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
        out
    }

    /// Sort the matches, refine the front with skim, and compute positions for what is shown.
    fn rank(&self, q: &ParsedQuery, matched: &[(u32, i64)], limit: usize) -> Vec<Hit> {
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
        hits.sort_by(|(sa, a), (sb, b)| {
            b.score
                .cmp(&a.score)
                .then(self.order_keys[*sa as usize].cmp(&self.order_keys[*sb as usize]))
        });
        hits.truncate(limit);
        hits.into_iter().map(|(_, hit)| hit).collect()
    }

    fn order(&self, a: &(u32, i64), b: &(u32, i64)) -> std::cmp::Ordering {
        b.1.cmp(&a.1)
            .then(self.order_keys[a.0 as usize].cmp(&self.order_keys[b.0 as usize]))
    }

    /// The full hit for one contact: exact score (skim for fuzzy words) and positions.
    fn hit(&self, slot: u32, q: &ParsedQuery, matcher: &Matcher) -> Hit {
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

/// The folded haystack of a contact's fields, appended to `out` as segments
/// `[marker byte][folded bytes]` in the order given (name first); returns its letter mask.
/// What [`Index`] scans, and what the store keeps per contact for `kith find`.
pub fn haystack<'a>(fields: impl Iterator<Item = (Field, &'a str)>, out: &mut Vec<u8>) -> u64 {
    let begin = out.len();
    for (field, text) in fields {
        out.push(field.marker());
        if field == Field::Phone {
            out.extend(text.bytes().filter(u8::is_ascii_digit));
        } else {
            fold_into(text, out, None);
        }
    }
    mask_of(&out[begin..])
}

/// The folded name: a haystack's first segment.
fn name_of(hay: &[u8]) -> &[u8] {
    segment_at(hay, 0).map_or(&[][..], |(_, name, _)| name)
}

/// Equal scores: shorter names first (closer to what was typed), then by folded name, then
/// id. Folded, so a haystack alone (without the original entry) knows its place.
fn tiebreak(a: (&[u8], i64), b: (&[u8], i64)) -> std::cmp::Ordering {
    a.0.len()
        .cmp(&b.0.len())
        .then_with(|| a.0.cmp(b.0))
        .then(a.1.cmp(&b.1))
}

/// How many candidates ranking refines with skim for `limit` results: skim can reorder
/// within a tier, so a wider pool than asked for.
fn pool_size(limit: usize) -> usize {
    (limit * 4).max(64)
}

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

/// The query folded the way haystacks are (trimmed at the start only, so a trailing space
/// still reads as an extension of the query before it).
fn fold_query_text(query: &str) -> String {
    let mut bytes = Vec::with_capacity(query.len());
    fold_into(query.trim_start(), &mut bytes, None);
    String::from_utf8(bytes).unwrap_or_default()
}

struct ParsedQuery {
    /// Folded words, each non-empty.
    words: Vec<String>,
    /// A prepared substring searcher per word (building one per field would cost more than
    /// the search itself).
    finders: Vec<memchr::memmem::Finder<'static>>,
    /// The folded words joined by single spaces.
    whole: String,
    mask: u64,
    /// Whether the query was read as a phone number (its one word is national digits).
    phone: bool,
}

impl ParsedQuery {
    fn new(query: &str) -> ParsedQuery {
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

/// The fields of an entry, in a fixed order (the order of `Field`).
fn fields_of(e: &Entry) -> impl Iterator<Item = (Field, &str)> {
    std::iter::once((Field::Name, e.display_name.as_str()))
        .chain(e.nickname.as_deref().map(|n| (Field::Nickname, n)))
        .chain(e.organization.as_deref().map(|o| (Field::Organization, o)))
        .chain(e.title.as_deref().map(|t| (Field::Title, t)))
        .chain(e.emails.iter().map(|x| (Field::Email, x.as_str())))
        .chain(e.phones.iter().map(|x| (Field::Phone, x.as_str())))
        .chain(e.tags.iter().map(|x| (Field::Tag, x.as_str())))
}

/// Fold `text` to lowercase ASCII into `out`; with `map`, record for every byte written the
/// index of the original character it came from.
fn fold_into(text: &str, out: &mut Vec<u8>, mut map: Option<&mut Vec<usize>>) {
    // Control characters become spaces (never a marker byte); letters lose their case.
    let lower = |b: u8| {
        if b.is_ascii_control() {
            b' '
        } else {
            b.to_ascii_lowercase()
        }
    };
    // Most text is ASCII: fold it byte by byte (the slow path below maps characters).
    if map.is_none() && text.is_ascii() {
        out.extend(text.bytes().map(lower));
        return;
    }
    for (ci, c) in text.chars().enumerate() {
        let mut push = |b: u8| {
            out.push(b);
            if let Some(m) = map.as_deref_mut() {
                m.push(ci);
            }
        };
        if c.is_ascii() {
            push(lower(c as u8));
        } else if c.is_whitespace() {
            push(b' ');
        } else if let Some(s) = deunicode::deunicode_char(c) {
            s.bytes().map(lower).for_each(&mut push);
        }
    }
}

fn mask_of(bytes: &[u8]) -> u64 {
    let mut m = 0u64;
    for &b in bytes {
        let bit = match b {
            b'a'..=b'z' => b - b'a',
            b'0'..=b'9' => 26 + (b - b'0'),
            b'@' => 36,
            b'.' => 37,
            b'-' => 38,
            b'_' => 39,
            b'+' => 40,
            _ => continue,
        };
        m |= 1 << bit;
    }
    m
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// The cheap score of one folded haystack, or None unless every word matches some field.
fn score_haystack(hay: &[u8], q: &ParsedQuery) -> Option<i64> {
    // The first keystroke: one letter, rated and name-tiered in a single pass.
    if let [word] = q.words.as_slice()
        && let [letter] = word.as_bytes()
    {
        let (best, tier) = single_letter_pass(hay, *letter);
        return best.map(|b| b + tier);
    }
    let mut total = 0;
    for finder in &q.finders {
        total += best_in_haystack(hay, finder)?;
    }
    // The name is the first segment: the tiers that always rank first.
    Some(total + name_tier_folded(name_of(hay), q))
}

/// `(field, bytes, next segment start)` of the segment starting at `at`.
fn segment_at(hay: &[u8], at: usize) -> Option<(Field, &[u8], usize)> {
    let field = Field::from_marker(*hay.get(at)?)?;
    let body_start = at + 1;
    let end = next_marker(hay, body_start);
    Some((field, &hay[body_start..end], end))
}

/// Where the next segment marker (a byte below 8) is at or after `from`, or the end. Eight
/// bytes at a time: this walk is most of what a scan does.
fn next_marker(hay: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let rest = hay.get(from..).unwrap_or_default();
    let mut words = rest.chunks_exact(8);
    for (i, chunk) in words.by_ref().enumerate() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let x = u64::from_le_bytes(bytes);
        // A high bit set where a byte is below 8 (exact for the first such byte).
        let below = x.wrapping_sub(ONES * 8) & !x & (ONES * 0x80);
        if below != 0 {
            return from + i * 8 + (below.trailing_zeros() / 8) as usize;
        }
    }
    let tail = words.remainder();
    let start = hay.len() - tail.len();
    tail.iter()
        .position(|&b| b < 8)
        .map_or(hay.len(), |p| start + p)
}

fn best_in_haystack(hay: &[u8], finder: &memchr::memmem::Finder<'_>) -> Option<i64> {
    match finder.needle() {
        [letter] => best_single_letter(hay, *letter),
        _ => best_substring_or_fuzzy(hay, finder),
    }
}

fn best_substring_or_fuzzy(hay: &[u8], finder: &memchr::memmem::Finder<'_>) -> Option<i64> {
    let word = finder.needle();
    let mut best: Option<i64> = None;
    // Substrings first, in one search over the whole haystack; each occurrence is rated in
    // the field it falls in (one that spans two fields is not a match).
    for pos in finder.find_iter(hay) {
        let Some(marker) = hay[..pos].iter().rposition(|&b| b < 8) else {
            continue;
        };
        let Some(field) = Field::from_marker(hay[marker]) else {
            continue;
        };
        let seg_start = marker + 1;
        let end = pos + word.len();
        let seg_end = hay[pos..]
            .iter()
            .position(|&b| b < 8)
            .map_or(hay.len(), |e| pos + e);
        if end > seg_end {
            continue;
        }
        let seg = &hay[seg_start..seg_end];
        let local = pos - seg_start;
        let starts_word = local == 0 || !is_word_byte(seg[local - 1]);
        let ends_word = end == seg_end || !is_word_byte(hay[end]);
        let quality = if local == 0 && end == seg_end {
            Quality::WholeField
        } else if starts_word && ends_word {
            Quality::WholeWord
        } else if local == 0 {
            Quality::FieldPrefix
        } else if starts_word {
            Quality::WordPrefix
        } else {
            Quality::Substring
        };
        let score = quality.base() + field.bonus();
        if best.is_none_or(|b| score > b) {
            best = Some(score);
        }
    }
    if best.is_none() && !is_subsequence(hay, word) {
        return None;
    }
    // Letters in order, only in fields where that could beat the substring found.
    let mut at = 0;
    while let Some((field, seg, next)) = segment_at(hay, at) {
        at = next;
        // Fields come in falling bonus order: the first that cannot win ends the search.
        if best.is_some_and(|b| field.bonus() + Quality::AnchoredFuzzy.base() + MAX_TIGHTNESS <= b)
        {
            break;
        }
        if let Some(quality) = fuzzy_quality(seg, word) {
            let score = field.bonus() + quality.base() + fuzzy_tightness(seg, word, quality);
            if best.is_none_or(|b| score > b) {
                best = Some(score);
            }
        }
    }
    best
}

/// [`best_in_haystack`] for a one-letter word (the first keystroke, which scans everyone):
/// one pass over the bytes, rating each occurrence by what surrounds it.
fn best_single_letter(hay: &[u8], letter: u8) -> Option<i64> {
    single_letter_pass(hay, letter).0
}

/// The best score of `letter` in `hay`, and the name tier it earns (see `name_tier_folded`).
fn single_letter_pass(hay: &[u8], letter: u8) -> (Option<i64>, i64) {
    let mut best: Option<i64> = None;
    let mut tier = 0;
    let mut field: Option<Field> = None;
    let mut at_field_start = false;
    let mut after_word_byte = false;
    for (i, &b) in hay.iter().enumerate() {
        if b < 8 {
            field = Field::from_marker(b);
            // Fields come in falling bonus order: stop once none left can win.
            if let (Some(f), Some(top)) = (field, best)
                && f.bonus() + Quality::WholeField.base() <= top
            {
                break;
            }
            at_field_start = true;
            after_word_byte = false;
            continue;
        }
        if b == letter
            && let Some(f) = field
        {
            let next = hay.get(i + 1).copied();
            let ends_field = next.is_none_or(|n| n < 8);
            let ends_word = ends_field || next.is_some_and(|n| !is_word_byte(n));
            let quality = if at_field_start && ends_field {
                Quality::WholeField
            } else if !after_word_byte && ends_word {
                Quality::WholeWord
            } else if at_field_start {
                Quality::FieldPrefix
            } else if !after_word_byte {
                Quality::WordPrefix
            } else {
                Quality::Substring
            };
            best = best.max(Some(f.bonus() + quality.base()));
            if f == Field::Name {
                let name_tier = if at_field_start && ends_field {
                    NAME_EQUALS_QUERY
                } else if at_field_start {
                    NAME_STARTS_WITH_QUERY
                } else if !after_word_byte {
                    NAME_WORDS_START_WITH_QUERY_WORDS
                } else {
                    0
                };
                tier = tier.max(name_tier);
            }
        }
        at_field_start = false;
        after_word_byte = is_word_byte(b);
    }
    (best, tier)
}

/// The most a fuzzy match's tightness adds (see [`fuzzy_tightness`]).
const MAX_TIGHTNESS: i64 = 300;

/// How well `word` matches `seg` without skim: substring kinds, or letters in order.
fn cheap_quality(seg: &[u8], finder: &memchr::memmem::Finder<'_>) -> Option<Quality> {
    let word = finder.needle();
    if word.len() > seg.len() {
        return None;
    }
    if seg == word {
        return Some(Quality::WholeField);
    }
    let mut best: Option<Quality> = None;
    for pos in finder.find_iter(seg) {
        let starts_word = pos == 0 || !is_word_byte(seg[pos - 1]);
        let end = pos + word.len();
        let ends_word = end == seg.len() || !is_word_byte(seg[end]);
        let q = if starts_word && ends_word {
            Quality::WholeWord
        } else if pos == 0 {
            Quality::FieldPrefix
        } else if starts_word {
            Quality::WordPrefix
        } else {
            Quality::Substring
        };
        best = best.max(Some(q));
        if q == Quality::WholeWord {
            break;
        }
    }
    if best.is_some() {
        return best;
    }
    fuzzy_quality(seg, word)
}

/// Letters in order: anchored when they fit in one word that starts with the first of them.
fn fuzzy_quality(seg: &[u8], word: &[u8]) -> Option<Quality> {
    if !is_subsequence(seg, word) {
        return None;
    }
    Some(if anchored_word(seg, word).is_some() {
        Quality::AnchoredFuzzy
    } else {
        Quality::Fuzzy
    })
}

/// The first word of `seg` (as a byte range) that starts with `word`'s first letter and holds
/// the rest of its letters in order ("xmnz" in "ximenez", not "x…m…n" of "ximena" and "z" of
/// the next word).
fn anchored_word(seg: &[u8], word: &[u8]) -> Option<(usize, usize)> {
    let (&first, rest) = word.split_first()?;
    memchr::memchr_iter(first, seg).find_map(|p| {
        if p > 0 && is_word_byte(seg[p - 1]) {
            return None;
        }
        let end = seg[p..]
            .iter()
            .position(|&b| !is_word_byte(b))
            .map_or(seg.len(), |e| p + e);
        is_subsequence(&seg[p + 1..end], rest).then_some((p, end))
    })
}

fn is_subsequence(seg: &[u8], word: &[u8]) -> bool {
    let mut rest = seg;
    for &b in word {
        match memchr::memchr(b, rest) {
            Some(p) => rest = &rest[p + 1..],
            None => return false,
        }
    }
    true
}

/// For fuzzy matches, a cheap stand-in for skim's score: letters that start words and a
/// short span are better. Zero for the substring kinds.
fn fuzzy_tightness(seg: &[u8], word: &[u8], quality: Quality) -> i64 {
    if !matches!(quality, Quality::Fuzzy | Quality::AnchoredFuzzy) {
        return 0;
    }
    let mut at = 0;
    let mut first = None;
    let mut word_starts = 0i64;
    let mut last = 0;
    for &b in word {
        let Some(p) = memchr::memchr(b, &seg[at..]) else {
            return 0;
        };
        let pos = at + p;
        first.get_or_insert(pos);
        if pos == 0 || !is_word_byte(seg[pos - 1]) {
            word_starts += 1;
        }
        last = pos;
        at = pos + 1;
    }
    let span = (last + 1 - first.unwrap_or(0)) as i64;
    let gaps = span - word.len() as i64;
    (word_starts * 30 - gaps * 5).clamp(-200, MAX_TIGHTNESS)
}

/// The always-first tiers for a name, from the folded name (no skim, no positions).
fn name_tier_folded(name: &[u8], q: &ParsedQuery) -> i64 {
    let whole = q.whole.as_bytes();
    if name == whole {
        return NAME_EQUALS_QUERY;
    }
    if name.starts_with(whole) {
        return NAME_STARTS_WITH_QUERY;
    }
    let starts_a_word = |f: &memchr::memmem::Finder<'_>| {
        f.find_iter(name)
            .any(|p| p == 0 || !is_word_byte(name[p - 1]))
    };
    if q.finders.iter().all(starts_a_word) {
        return NAME_WORDS_START_WITH_QUERY_WORDS;
    }
    0
}

fn name_tier(entry: &Entry, q: &ParsedQuery) -> i64 {
    let mut name = Vec::with_capacity(entry.display_name.len());
    fold_into(&entry.display_name, &mut name, None);
    let mut tier = name_tier_folded(&name, q);
    if let Some(nick) = &entry.nickname {
        let mut folded = Vec::new();
        fold_into(nick, &mut folded, None);
        if folded == q.whole.as_bytes() {
            tier = tier.max(NAME_EQUALS_QUERY);
        }
    }
    tier
}

/// One field folded with a map back to the original characters, for exact scores and
/// positions of the few hits that are shown.
struct FoldedText {
    field: Field,
    folded: Vec<u8>,
    /// For each folded byte, the index of the original character.
    map: Vec<usize>,
}

impl FoldedText {
    fn new(field: Field, text: &str) -> FoldedText {
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
    fn best_match(&self, word: &str, matcher: &Matcher) -> Option<(i64, Vec<usize>)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn person(id: i64, name: &str) -> Entry {
        Entry {
            contact_id: id,
            display_name: name.into(),
            ..Entry::default()
        }
    }

    fn ids(hits: &[Hit]) -> Vec<i64> {
        hits.iter().map(|h| h.contact_id).collect()
    }

    fn sample() -> Index {
        Index::build(vec![
            person(1, "Jürgen Müller"),
            person(2, "Jurgen Miller"),
            Entry {
                organization: Some("Globex Corporation".into()),
                emails: vec!["ada@globex.example".into()],
                tags: vec!["client".into()],
                title: Some("CTO".into()),
                ..person(3, "Ada Lovelace")
            },
            Entry {
                organization: Some("Acme".into()),
                ..person(4, "Adam Smith")
            },
            Entry {
                nickname: Some("Amazing Grace".into()),
                phones: vec!["+1 555 0100".into()],
                ..person(5, "Grace Hopper")
            },
            Entry {
                tags: vec!["ada".into()],
                ..person(6, "Zoë Ångström")
            },
            person(7, "Ada"),
        ])
    }

    #[test]
    fn exact_name_first_then_prefixes() {
        let idx = sample();
        let hits = idx.query("ada", 10);
        assert_eq!(ids(&hits)[..3], [7, 3, 4]);
        // The tag match comes after every name match.
        assert_eq!(hits.last().map(|h| h.contact_id), Some(6));
        assert_eq!(hits.last().map(|h| h.field), Some(Field::Tag));
    }

    #[test]
    fn diacritics_and_case_are_ignored_and_positions_are_original() {
        let idx = sample();
        let hits = idx.query("ANGSTROM", 5);
        assert_eq!(ids(&hits), [6]);
        // "Zoë Ångström": Å is char 4, the word spans chars 4..12.
        assert_eq!(hits[0].positions, (4..12).collect::<Vec<_>>());
        let hits = idx.query("zoe", 5);
        assert_eq!(hits[0].positions, [0, 1, 2]);
    }

    #[test]
    fn misspelled_by_omission_finds_the_person() {
        let idx = sample();
        let hits = idx.query("jrgn mllr", 5);
        // "mllr" is in both "Müller" and "Miller": both found, neither preferred by spelling.
        assert_eq!(hits.len(), 2);
        let hit = hits.iter().find(|h| h.contact_id == 1).unwrap();
        assert_eq!(hit.field, Field::Name);
        assert_eq!(hit.positions, [0, 2, 3, 5, 7, 9, 10, 12]);
        assert_eq!(ids(&idx.query("jrgn mullr", 5)), [1]);
        // Both Jürgens match "jurgen"; the one spelled closer to "muller" first.
        assert_eq!(ids(&idx.query("jurgen muller", 5))[0], 1);
        assert_eq!(ids(&idx.query("jurgen miller", 5))[0], 2);
    }

    #[test]
    fn an_abbreviation_beats_a_mid_word_substring() {
        // "nd xmnz" is Nadia Ximénez with the vowels left out; "nd" is also inside "Anders"
        // and "Andrés", but nobody abbreviates Anders as "nd".
        let idx = Index::build(vec![
            person(1, "Anders Ximénez"),
            person(2, "Andrés Ximénez"),
            person(3, "Nadia Ximénez"),
            person(4, "Nadia Tomás Ximénez"),
        ]);
        assert_eq!(ids(&idx.query("nd xmnz", 5))[..2], [3, 4]);
        // A real word start still wins: "and" starts Anders.
        assert_eq!(ids(&idx.query("and xim", 5))[..2], [1, 2]);
        // Each abbreviation inside one word beats letters picked across two words.
        let idx = Index::build(vec![
            person(1, "Ximena Ngozi Vogel"),
            person(2, "Ngozi Ximénez"),
        ]);
        assert_eq!(ids(&idx.query("ngz xmnz", 5)), [2, 1]);
    }

    #[test]
    fn words_match_across_fields() {
        let idx = sample();
        let hits = idx.query("ada globex", 5);
        assert_eq!(ids(&hits), [3]);
        let fields: Vec<Field> = hits[0].matches.iter().map(|m| m.field).collect();
        assert!(fields.contains(&Field::Name) && fields.contains(&Field::Organization));
        let org = hits[0]
            .matches
            .iter()
            .find(|m| m.field == Field::Organization)
            .unwrap();
        assert_eq!(org.value, "Globex Corporation");
        assert_eq!(org.positions, [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn other_fields_are_searched_and_say_so() {
        let idx = sample();
        let first = |q: &str| {
            idx.query(q, 1)
                .into_iter()
                .next()
                .map(|h| (h.contact_id, h.field))
        };
        assert_eq!(first("acme"), Some((4, Field::Organization)));
        assert_eq!(first("cto"), Some((3, Field::Title)));
        assert_eq!(first("0100"), Some((5, Field::Phone)));
        assert_eq!(first("ada@globex"), Some((3, Field::Email)));
        assert_eq!(first("amazing"), Some((5, Field::Nickname)));
        assert_eq!(first("client"), Some((3, Field::Tag)));
        assert_eq!(first("qqq"), None);
    }

    #[test]
    fn name_outranks_organization_outranks_email_outranks_tags() {
        let idx = Index::build(vec![
            Entry {
                tags: vec!["nova".into()],
                ..person(1, "A")
            },
            Entry {
                emails: vec!["nova@x.example".into()],
                ..person(2, "B")
            },
            Entry {
                organization: Some("Nova".into()),
                ..person(3, "C")
            },
            person(4, "Nova Jones"),
        ]);
        assert_eq!(ids(&idx.query("nova", 10)), [4, 3, 2, 1]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn the_one_letter_pass_rates_like_the_general_one(
            name in "[a-c .-]{0,12}",
            org in proptest::option::of("[a-c ]{0,6}"),
            emails in proptest::collection::vec("[a-c@.]{1,8}", 0..3),
            letter in "[abc.@-]",
        ) {
            let entry = Entry { contact_id: 1, display_name: name, organization: org, emails, ..Entry::default() };
            let mut hay = Vec::new();
            haystack(fields_of(&entry), &mut hay);
            let finder = memchr::memmem::Finder::new(letter.as_bytes());
            prop_assert_eq!(
                best_single_letter(&hay, letter.as_bytes()[0]),
                best_substring_or_fuzzy(&hay, &finder)
            );
            let q = ParsedQuery::new(&letter);
            let general = best_substring_or_fuzzy(&hay, &finder)
                .map(|b| b + name_tier_folded(name_of(&hay), &q));
            prop_assert_eq!(score_haystack(&hay, &q), general);
        }
    }

    #[test]
    fn filter_narrows_and_matches_a_fresh_query() {
        let idx = sample();
        let mut f = Filter::default();
        for q in ["a", "ad", "ada", "ada ", "ada g", "ada glob"] {
            let narrowed = f.update(&idx, q, 10);
            assert_eq!(narrowed, idx.query(q, 10), "query {q:?}");
        }
        assert_eq!(f.total(), 1);
        // Backspace to something that does not extend: a full scan again.
        let hits = f.update(&idx, "gr", 10);
        assert_eq!(ids(&hits)[0], 5);
        assert_eq!(hits, idx.query("gr", 10));
        assert!(f.update(&idx, "", 10).is_empty());
        assert_eq!(f.total(), 0);
    }

    #[test]
    fn a_scan_of_stored_haystacks_ranks_like_the_whole_index() {
        // Enough people that the scan drops candidates on the way (over 8192 matches).
        let first = [
            "Ada", "Jürgen", "Mia", "Mateo", "Zoë", "Ana", "Émile", "Bob",
        ];
        let last = ["Müller", "Lovelace", "Moreau", "Aydın", "Smith", "Okafor"];
        let entries: Vec<Entry> = (0..12_000i64)
            .map(|i| Entry {
                contact_id: 1 + (i * 7919) % 12_000,
                display_name: format!(
                    "{} {}",
                    first[i as usize % first.len()],
                    last[(i as usize / first.len()) % last.len()]
                ),
                organization: (i % 3 == 0).then(|| "Globex".to_string()),
                emails: vec![format!("p{i}@example.com")],
                ..Entry::default()
            })
            .collect();
        let whole = Index::build(entries.clone());
        for q in [
            "a",
            "mu",
            "jrgn mllr",
            "globex ada",
            "zoe",
            "p11",
            "",
            "qqq",
        ] {
            for limit in [1, 5, 20] {
                let mut scan = scan::Scan::new(q, limit);
                for e in &entries {
                    let mut hay = Vec::new();
                    let mask = haystack(fields_of(e), &mut hay);
                    scan.offer(e.contact_id, mask, &hay);
                }
                let mut filter = Filter::default();
                filter.update(&whole, q, 1);
                assert_eq!(scan.total(), filter.total(), "{q:?}");
                let pool = scan.finish();
                let small = Index::build(
                    entries
                        .iter()
                        .filter(|e| pool.contains(&e.contact_id))
                        .cloned()
                        .collect(),
                );
                assert_eq!(
                    ids(&small.query(q, limit)),
                    ids(&whole.query(q, limit)),
                    "query {q:?}, limit {limit}"
                );
            }
        }
    }

    #[test]
    fn a_split_scan_finds_what_one_scan_finds() {
        let entries: Vec<Entry> = (0..PARALLEL_SCAN_FROM as i64 + 10)
            .map(|i| person(i, &format!("Person {i} Müller")))
            .collect();
        let idx = Index::build(entries);
        let q = ParsedQuery::new("mull 19");
        assert_eq!(idx.scan_all(&q), idx.scan(&q, 0..idx.len() as u32));
        assert_eq!(idx.query("person 20009", 1)[0].contact_id, 20009);
    }

    #[test]
    fn empty_and_blank_queries_match_nothing() {
        let idx = sample();
        assert!(idx.query("", 10).is_empty());
        assert!(idx.query("   ", 10).is_empty());
        assert!(idx.query("ada", 0).is_empty());
        assert!(Index::build(Vec::new()).query("ada", 5).is_empty());
    }

    fn name_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec("[A-Za-zäöüßéøł]{1,8}", 1..4).prop_map(|w| w.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the names, a contact's exact name puts it first (or ties with an
        /// identical name), and positions always index into the original name.
        #[test]
        fn exact_name_is_always_first(names in proptest::collection::vec(name_strategy(), 1..12), pick in 0usize..12) {
            let entries: Vec<Entry> = names.iter().enumerate().map(|(i, n)| person(i as i64, n)).collect();
            let target = &names[pick % names.len()];
            let idx = Index::build(entries);
            let hits = idx.query(target, 5);
            prop_assert!(!hits.is_empty());
            let first = &names[hits[0].contact_id as usize];
            prop_assert_eq!(crate::model::fold(first), crate::model::fold(target));
            for h in &hits {
                let len = names[h.contact_id as usize].chars().count();
                prop_assert!(h.positions.iter().all(|&p| p < len));
            }
        }

        /// Narrowing never changes the answer.
        #[test]
        fn narrowing_equals_fresh(names in proptest::collection::vec(name_strategy(), 1..20), query in "[a-z ]{1,6}") {
            let idx = Index::build(names.iter().enumerate().map(|(i, n)| person(i as i64, n)).collect());
            let mut f = Filter::default();
            for end in 1..=query.len() {
                let q = &query[..end];
                prop_assert_eq!(f.update(&idx, q, 50), idx.query(q, 50));
            }
        }

        /// Dropping letters from a name still finds it (misspelled by omission).
        #[test]
        fn omission_still_matches(name in "[a-z]{4,10} [a-z]{4,10}", drop in 0usize..4) {
            let q: String = name.chars().enumerate().filter(|(i, c)| *c == ' ' || i % 4 != drop).map(|(_, c)| c).collect();
            let idx = Index::build(vec![person(1, &name)]);
            prop_assert_eq!(ids(&idx.query(&q, 5)), vec![1]);
        }
    }
}
