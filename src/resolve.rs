//! "Who": turn what the user typed into one contact, or the candidates when it is ambiguous.
//! Pure: the store supplies the candidates, this module decides.
//!
//! Order: `#ID`, then a UID, an exact email, an exact phone (digits compared), then names.
//! Names are compared folded (case and diacritics ignored) in tiers, and the first tier that
//! matches anything decides: exactly one match resolves, several are ambiguous:
//! 1. the whole name or nickname equals the query;
//! 2. every word of the query is a whole word of the name ("ada" → "Ada Lovelace");
//! 3. every word of the query starts a word of the name ("ad lov");
//! 4. the name contains the query, or the organization's name equals or starts with it;
//! 5. fuzzy (letters in order): the best wins only when clearly ahead of the next.

use crate::model::fold;
use crate::search::{Index, Matcher};

/// What a name lookup needs of each contact.
#[derive(Debug, Clone)]
pub struct NameCandidate {
    pub id: i64,
    pub display_name: String,
    pub nickname: Option<String>,
    pub organization: Option<String>,
    pub email: Option<String>,
    pub archived: bool,
}

/// How to look the query up before comparing names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// `#12` (or a bare number that is not a phone number).
    Id(i64),
    /// An email address: compared exactly, ignoring case.
    Email(String),
    /// Something phone-like: its digits are compared.
    Phone(String),
    /// A UID or a name.
    Text(String),
}

pub fn probe(who: &str) -> Probe {
    let who = who.trim();
    if let Some(rest) = who.strip_prefix('#')
        && let Ok(id) = rest.trim().parse::<i64>()
    {
        return Probe::Id(id);
    }
    if who.contains('@') && !who.contains(' ') {
        return Probe::Email(crate::model::email_key(who));
    }
    let digits = crate::model::phone_digits(who);
    let phone_like = who
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if phone_like && digits.len() >= 5 {
        return Probe::Phone(crate::model::phone_key(who));
    }
    if phone_like
        && !digits.is_empty()
        && who.chars().all(|c| c.is_ascii_digit())
        && let Ok(id) = who.parse::<i64>()
    {
        return Probe::Id(id);
    }
    Probe::Text(who.to_string())
}

/// The outcome of comparing a name against the candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameMatch {
    One(i64),
    /// Equal matches, best first (at most `MAX_CANDIDATES`).
    Many(Vec<i64>),
    None,
}

pub const MAX_CANDIDATES: usize = 10;

/// Does a candidate (folded name, folded nickname, the candidate) belong to a tier?
type TierTest<'a> = dyn Fn(&str, Option<&str>, &NameCandidate) -> bool + 'a;

pub fn match_name(query: &str, candidates: &[NameCandidate]) -> NameMatch {
    let q = fold(query);
    if q.is_empty() {
        return NameMatch::None;
    }
    let q_words: Vec<&str> = q.split(' ').collect();
    let folded: Vec<(String, Option<String>)> = candidates
        .iter()
        .map(|c| (fold(&c.display_name), c.nickname.as_deref().map(fold)))
        .collect();

    let tier = |pred: &dyn Fn(&str, Option<&str>, &NameCandidate) -> bool| -> Vec<i64> {
        candidates
            .iter()
            .zip(&folded)
            .filter(|(c, (name, nick))| pred(name, nick.as_deref(), c))
            .map(|(c, _)| c.id)
            .collect()
    };
    let words_of = |name: &str, nick: Option<&str>| -> Vec<String> {
        name.split(|ch: char| !ch.is_alphanumeric())
            .chain(
                nick.into_iter()
                    .flat_map(|n| n.split(|ch: char| !ch.is_alphanumeric())),
            )
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let q_parts: Vec<&str> = q
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();

    let tiers: [&TierTest; 4] = [
        &|name, nick, _| name == q || nick == Some(q.as_str()),
        &|name, nick, _| {
            let words = words_of(name, nick);
            !q_parts.is_empty() && q_parts.iter().all(|p| words.iter().any(|w| w == p))
        },
        &|name, nick, _| {
            let words = words_of(name, nick);
            !q_parts.is_empty()
                && q_parts
                    .iter()
                    .all(|p| words.iter().any(|w| w.starts_with(p)))
        },
        &|name, _, c| {
            name.contains(q.as_str())
                || c.organization
                    .as_deref()
                    .map(fold)
                    .is_some_and(|o| o == q || o.starts_with(&format!("{q} ")))
        },
    ];
    for pred in tiers {
        let ids = tier(pred);
        match ids.len() {
            0 => continue,
            1 => return NameMatch::One(ids[0]),
            _ => return NameMatch::Many(ids.into_iter().take(MAX_CANDIDATES).collect()),
        }
    }

    // Fuzzy: letters of the query in order within the name (+ organization for context).
    let matcher = Matcher::default();
    let needle: String = q_words.concat();
    let mut scored: Vec<(i64, i64)> = candidates
        .iter()
        .zip(&folded)
        .filter_map(|(c, (name, _))| matcher.score(name, &needle).map(|s| (s, c.id)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    match scored.as_slice() {
        [] => NameMatch::None,
        [(_, id)] => NameMatch::One(*id),
        [(best, id), (second, _), ..] if *best >= second + second / 4 + 10 => NameMatch::One(*id),
        _ => NameMatch::Many(
            scored
                .iter()
                .take(MAX_CANDIDATES)
                .map(|&(_, id)| id)
                .collect(),
        ),
    }
}

/// How close to the best score another hit must be to count as an equal candidate, for
/// matches outside the name tiers (fuzzy, substrings, other fields).
const FUZZY_TIE_MARGIN: i64 = 60;

/// Resolve a name with the search index, so `kith show jrgn mllr` finds what `kith find`
/// ranks first, with the same folding and ranking. The best hit wins only when it stands
/// alone: several hits with the best score in a name tier (exact, prefix, words), or within
/// a small margin of it otherwise, are ambiguous and returned as candidates, best first.
pub fn match_index(query: &str, index: &Index) -> NameMatch {
    let hits = index.query(query, MAX_CANDIDATES + 1);
    let Some(best) = hits.first() else {
        return NameMatch::None;
    };
    let margin = if best.score >= crate::search::NAME_TIER_FLOOR {
        0
    } else {
        FUZZY_TIE_MARGIN
    };
    let tied: Vec<i64> = hits
        .iter()
        .take_while(|h| h.score >= best.score - margin)
        .take(MAX_CANDIDATES)
        .map(|h| h.contact_id)
        .collect();
    match tied.as_slice() {
        [one] => NameMatch::One(*one),
        _ => NameMatch::Many(tied),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(names: &[(&str, Option<&str>)]) -> Vec<NameCandidate> {
        names
            .iter()
            .enumerate()
            .map(|(i, (n, org))| NameCandidate {
                id: i as i64 + 1,
                display_name: n.to_string(),
                nickname: None,
                organization: org.map(str::to_string),
                email: None,
                archived: false,
            })
            .collect()
    }

    #[test]
    fn probes() {
        assert_eq!(probe("#12"), Probe::Id(12));
        assert_eq!(probe("12"), Probe::Id(12));
        assert_eq!(
            probe("Ada@Example.com"),
            Probe::Email("ada@example.com".into())
        );
        assert_eq!(
            probe("+1 (555) 010-0100"),
            Probe::Phone("15550100100".into())
        );
        assert_eq!(probe("Ada"), Probe::Text("Ada".into()));
    }

    #[test]
    fn exact_name_wins_over_longer_names() {
        let c = people(&[("Ada Lovelace", None), ("Ada", None), ("Adam Smith", None)]);
        assert_eq!(match_name("ada", &c), NameMatch::One(2));
        assert_eq!(match_name("ADA LOVELACE", &c), NameMatch::One(1));
    }

    #[test]
    fn whole_words_then_prefixes() {
        let c = people(&[
            ("Ada Lovelace", None),
            ("Adam Smith", None),
            ("Grace Hopper", None),
        ]);
        assert_eq!(match_name("lovelace", &c), NameMatch::One(1));
        assert_eq!(match_name("ad", &c), NameMatch::Many(vec![1, 2]));
        assert_eq!(match_name("hop", &c), NameMatch::One(3));
    }

    #[test]
    fn diacritics_are_ignored() {
        let c = people(&[("Jürgen Müller", None), ("Zoë Ångström", None)]);
        assert_eq!(match_name("jurgen", &c), NameMatch::One(1));
        assert_eq!(match_name("zoe angstrom", &c), NameMatch::One(2));
    }

    #[test]
    fn equal_names_are_ambiguous() {
        let c = people(&[("John Smith", None), ("John Smith", None)]);
        assert_eq!(match_name("john smith", &c), NameMatch::Many(vec![1, 2]));
    }

    #[test]
    fn organization_names_find_their_person() {
        let c = people(&[("Ada Lovelace", Some("Acme Corp")), ("Bob", Some("Globex"))]);
        assert_eq!(match_name("acme", &c), NameMatch::One(1));
    }

    fn index(names: &[(&str, Option<&str>)]) -> Index {
        Index::build(
            people(names)
                .into_iter()
                .map(|c| crate::search::Entry {
                    contact_id: c.id,
                    display_name: c.display_name,
                    organization: c.organization,
                    ..Default::default()
                })
                .collect(),
        )
    }

    #[test]
    fn the_index_resolves_like_the_tiers() {
        let c = index(&[
            ("Ada Lovelace", Some("Acme Corp")),
            ("Adam Smith", None),
            ("Ada", None),
            ("Jürgen Müller", None),
            ("Jurgen Miller", None),
            ("Grace Hopper", Some("Navy")),
            ("Grace Hopper", None),
        ]);
        assert_eq!(match_index("ada", &c), NameMatch::One(3));
        assert_eq!(match_index("lovelace", &c), NameMatch::One(1));
        assert_eq!(match_index("ada lov", &c), NameMatch::One(1));
        assert_eq!(match_index("jurgen muller", &c), NameMatch::One(4));
        assert_eq!(match_index("jrgn mullr", &c), NameMatch::One(4));
        assert_eq!(match_index("acme", &c), NameMatch::One(1));
        assert_eq!(match_index("zzz", &c), NameMatch::None);
        // Equal names, and omissions that fit two names equally, are never guessed.
        assert_eq!(match_index("grace hopper", &c), NameMatch::Many(vec![6, 7]));
        assert!(matches!(match_index("jrgn mllr", &c), NameMatch::Many(ids) if ids.len() == 2));
    }

    #[test]
    fn fuzzy_last() {
        let c = people(&[("Ada Lovelace", None), ("Grace Hopper", None)]);
        assert_eq!(match_name("lvlace", &c), NameMatch::One(1));
        assert_eq!(match_name("zzz", &c), NameMatch::None);
    }
}
