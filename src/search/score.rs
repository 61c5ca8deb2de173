//! The cheap score of a folded haystack, with no allocation and no skim: how well each query
//! word matched each field (whole field, whole word, prefixes, substring, letters in order),
//! the field's bonus, and the name tiers that always rank first. What a scan of 100k
//! contacts runs per contact.

use super::Field;
use super::fold::is_word_byte;
use super::query::ParsedQuery;
use super::{Entry, fold::fold_into};

/// How well one query word matched one field, best last (so `max` picks the best).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Quality {
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
    pub(super) fn base(self) -> i64 {
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

/// Name tiers that always rank first, whatever else matched.
pub(super) const NAME_EQUALS_QUERY: i64 = 1_000_000;

pub(super) const NAME_STARTS_WITH_QUERY: i64 = 500_000;

pub(super) const NAME_WORDS_START_WITH_QUERY_WORDS: i64 = 200_000;

/// Scores at or above this come from a name tier: the name equals the query, starts with
/// it, or every query word starts one of its words.
pub const NAME_TIER_FLOOR: i64 = NAME_WORDS_START_WITH_QUERY_WORDS;

/// The cheap score of one folded haystack, or None unless every word matches some field.
pub(super) fn score_haystack(hay: &[u8], q: &ParsedQuery) -> Option<i64> {
    // The first keystroke: one letter, rated and name-tiered in a single pass.
    if let [word] = q.words.as_slice()
        && let [letter] = word.as_bytes()
    {
        let (best, tier) = single_letter_pass(hay, *letter);
        return best.map(|b| b + tier);
    }
    // Most contacts whose letters pass the mask hold no word's letters in order within one
    // field: rejected here by a plain pass over the bytes, before any substring search.
    if !q.words.iter().all(|w| in_one_segment(hay, w.as_bytes())) {
        return None;
    }
    let mut total = 0;
    for finder in &q.finders {
        // A number matches as dialled, its digits in a row: "+1 415" must not find 4, 1
        // and 5 scattered through another number.
        total += if q.phone {
            best_substring(hay, finder)?
        } else {
            best_in_haystack(hay, finder)?
        };
    }
    // The name is the first segment: the tiers that always rank first.
    Some(total + name_tier_folded(name_of(hay), q))
}

/// Whether one segment of `hay` holds all of `word`'s bytes in order: what any match of
/// the word needs (a substring, or letters in order, within one field; a phone number's
/// digits in a row are in order too). One pass over the bytes without calls: most contacts
/// a scan offers fail here, and this is what they cost.
pub(super) fn in_one_segment(hay: &[u8], word: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = ONES * 0x7f;
    let Some(&first) = word.first() else {
        return true;
    };
    let mut matched = 0;
    let mut want = first;
    // Eight bytes at a time: the bytes equal to `want` and the markers (bytes below 8),
    // each flagged exactly by its high bit, taken lowest first.
    let zeros = |v: u64| !((v & LOW7).wrapping_add(LOW7) | v | LOW7);
    let mut words = hay.chunks_exact(8);
    for chunk in words.by_ref() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let x = u64::from_le_bytes(bytes);
        let markers = zeros(x & (ONES * 0xf8));
        let mut done = 0u64;
        loop {
            let hits = (zeros(x ^ (ONES * u64::from(want))) | markers) & !done;
            if hits == 0 {
                break;
            }
            let bit = hits & hits.wrapping_neg();
            // Every bit of this byte and the ones before it.
            done |= (bit << 1).wrapping_sub(1);
            if markers & bit != 0 {
                // A new field: start the word again.
                matched = 0;
                want = first;
            } else {
                matched += 1;
                match word.get(matched) {
                    Some(&next) => want = next,
                    None => return true,
                }
            }
        }
    }
    for &b in words.remainder() {
        if b == want {
            matched += 1;
            match word.get(matched) {
                Some(&next) => want = next,
                None => return true,
            }
        } else if b < 8 {
            matched = 0;
            want = first;
        }
    }
    false
}

/// `(field, bytes, next segment start)` of the segment starting at `at`.
pub(super) fn segment_at(hay: &[u8], at: usize) -> Option<(Field, &[u8], usize)> {
    let field = Field::from_marker(*hay.get(at)?)?;
    let body_start = at + 1;
    let end = next_marker(hay, body_start);
    Some((field, &hay[body_start..end], end))
}

/// Where the next segment marker (a byte below 8) is at or after `from`, or the end. Eight
/// bytes at a time: this walk is most of what a scan does.
pub(super) fn next_marker(hay: &[u8], from: usize) -> usize {
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

pub(super) fn best_in_haystack(hay: &[u8], finder: &memchr::memmem::Finder<'_>) -> Option<i64> {
    match finder.needle() {
        [letter] => best_single_letter(hay, *letter),
        _ => best_substring_or_fuzzy(hay, finder),
    }
}

pub(super) fn best_substring_or_fuzzy(
    hay: &[u8],
    finder: &memchr::memmem::Finder<'_>,
) -> Option<i64> {
    let word = finder.needle();
    let mut best = best_substring(hay, finder);
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

/// The best whole occurrence of the word in one field of the haystack, rated by where it
/// falls (the whole field, a whole word, a prefix...), or None.
pub(super) fn best_substring(hay: &[u8], finder: &memchr::memmem::Finder<'_>) -> Option<i64> {
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
    best
}

/// [`best_in_haystack`] for a one-letter word (the first keystroke, which scans everyone):
/// one pass over the bytes, rating each occurrence by what surrounds it.
pub(super) fn best_single_letter(hay: &[u8], letter: u8) -> Option<i64> {
    single_letter_pass(hay, letter).0
}

/// The best score of `letter` in `hay`, and the name tier it earns (see `name_tier_folded`).
pub(super) fn single_letter_pass(hay: &[u8], letter: u8) -> (Option<i64>, i64) {
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
pub(super) const MAX_TIGHTNESS: i64 = 300;

/// How well `word` matches `seg` without skim: substring kinds, or letters in order.
pub(super) fn cheap_quality(seg: &[u8], finder: &memchr::memmem::Finder<'_>) -> Option<Quality> {
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
pub(super) fn fuzzy_quality(seg: &[u8], word: &[u8]) -> Option<Quality> {
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
pub(super) fn anchored_word(seg: &[u8], word: &[u8]) -> Option<(usize, usize)> {
    let (&first, rest) = word.split_first()?;
    memchr::memchr_iter(first, seg).find_map(|p| {
        if p > 0 && is_word_byte(seg[p - 1]) {
            return None;
        }
        // The word runs on from the letter after `p` (a query word may start with a
        // symbol, "-a": counting from `p` itself ended such a word before it began).
        let end = seg[p + 1..]
            .iter()
            .position(|&b| !is_word_byte(b))
            .map_or(seg.len(), |e| p + 1 + e);
        is_subsequence(&seg[p + 1..end], rest).then_some((p, end))
    })
}

pub(super) fn is_subsequence(seg: &[u8], word: &[u8]) -> bool {
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
pub(super) fn fuzzy_tightness(seg: &[u8], word: &[u8], quality: Quality) -> i64 {
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
pub(super) fn name_tier_folded(name: &[u8], q: &ParsedQuery) -> i64 {
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

pub(super) fn name_tier(entry: &Entry, q: &ParsedQuery) -> i64 {
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

/// The folded name: a haystack's first segment.
pub(super) fn name_of(hay: &[u8]) -> &[u8] {
    segment_at(hay, 0).map_or(&[][..], |(_, name, _)| name)
}
