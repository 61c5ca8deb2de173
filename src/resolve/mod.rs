//! "Who": turn what the user typed into one contact, or the candidates when it is not sure.
//! Pure: the store supplies the candidates, this module decides (organizations: [`org`]).
//!
//! Order: `#ID`, then a UID, an exact email, an exact phone (digits compared), then names.
//! A name is a *confident* match when it is the whole name or nickname (case and accents
//! ignored), or when each word typed starts a word of the name or nickname ("ada",
//! "ada lov", "lovelace"): one confident match resolves, several are listed. Anything looser
//! (letters scattered through a name, a match through title, organization or email text)
//! never resolves a [`Purpose::Change`]: the closest few are listed instead, so a write
//! never lands on a guess. A [`Purpose::Look`] may take the closest match when it stands
//! clearly ahead of the next, and the caller says which one it chose and why.

pub mod org;

use crate::model::fold;
use crate::search::{Field, Index};

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

/// What the caller will do with the contact it gets: a change needs a confident match,
/// a look may settle for the closest one (and says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The command changes the book (log, edit, rm, link, merge, ...).
    Change,
    /// The command only reads (show).
    Look,
}

/// Why a match that is not confident was the closest: the field that carried it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Why(pub Field);

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            Field::Name => "letters of the name",
            Field::Nickname => "letters of the nickname",
            Field::Organization => "their organization",
            Field::Title => "their title",
            Field::Email => "their email",
            Field::Phone => "their phone",
            Field::Tag => "a tag",
        })
    }
}

/// The decision about what a name means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// One contact matches surely: its whole name, or a prefix of its name words.
    Confident(i64),
    /// Nothing matches surely; this one is clearly the closest (only for [`Purpose::Look`]).
    Closest { id: i64, why: Why },
    /// Say which one: the candidates best first (at most [`MAX_CANDIDATES`]), how many
    /// matched in all, and whether they are only loose matches (none of them sure).
    Ambiguous {
        ids: Vec<i64>,
        total: usize,
        loose: bool,
    },
    /// Nothing comes close.
    None,
}

impl Resolution {
    /// The decision when the candidates are sure matches by a key (an exact name, an email,
    /// a phone): one is confident, several must be told apart.
    pub fn of_keys(ids: &[i64]) -> Resolution {
        match ids {
            [] => Resolution::None,
            [id] => Resolution::Confident(*id),
            _ => Resolution::Ambiguous {
                ids: ids.iter().copied().take(MAX_CANDIDATES).collect(),
                total: ids.len(),
                loose: false,
            },
        }
    }
}

pub const MAX_CANDIDATES: usize = 10;

/// How many loose candidates a refused change lists: enough to find the one meant.
const LOOSE_CANDIDATES: usize = 5;

/// The words of a folded text, split at anything that is not a letter or digit.
fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Is `query` a sure way to name someone called `name` (nicknamed `nickname`)? Yes when it
/// is the whole name or nickname, or when each of its words starts a different word of the
/// name or nickname ("ada", "ada lov", "lovelace"), case and accents ignored. Letters
/// scattered through the name, or a match in any other field, are not sure.
pub fn is_confident(query: &str, name: &str, nickname: Option<&str>) -> bool {
    let q = fold(query);
    if q.is_empty() {
        return false;
    }
    let name = fold(name);
    let nickname = nickname.map(fold);
    if name == q || nickname.as_deref() == Some(q.as_str()) {
        return true;
    }
    let mut pool: Vec<&str> = words(&name)
        .chain(nickname.iter().flat_map(|n| words(n)))
        .collect();
    let q_words: Vec<&str> = words(&q).collect();
    // Longest query words first, so a short word does not take the only word a longer
    // one could start ("a ada" against "Ada Abel").
    let mut sorted = q_words.clone();
    sorted.sort_by_key(|w| std::cmp::Reverse(w.len()));
    !sorted.is_empty()
        && sorted
            .iter()
            .all(|qw| match pool.iter().position(|w| w.starts_with(qw)) {
                Some(at) => {
                    pool.swap_remove(at);
                    true
                }
                None => false,
            })
}

/// Decide what `query` means among the contacts of `index` (the store builds it from the
/// few best-ranked rows). `named_total` is how many contacts in the whole book match in a
/// name tier (the index may hold only the best of them), for an honest count.
///
/// Confident matches decide first: one resolves, several are ambiguous. Without one, a
/// change lists the closest few and resolves nothing; a look takes the best hit when it
/// stands clearly ahead of the next, and says why it matched.
pub fn decide(query: &str, index: &Index, purpose: Purpose, named_total: usize) -> Resolution {
    let hits = index.query(query, index.len().max(1));
    if hits.is_empty() {
        return Resolution::None;
    }
    let confident: Vec<i64> = hits
        .iter()
        .filter(|h| {
            index
                .entry(h)
                .is_some_and(|(_, e)| is_confident(query, &e.display_name, e.nickname.as_deref()))
        })
        .map(|h| h.contact_id)
        .collect();
    match confident.as_slice() {
        [id] => return Resolution::Confident(*id),
        [] => {}
        _ => {
            return Resolution::Ambiguous {
                total: confident.len().max(named_total),
                ids: confident.into_iter().take(MAX_CANDIDATES).collect(),
                loose: false,
            };
        }
    }
    let best = &hits[0];
    let margin = if best.score >= crate::search::NAME_TIER_FLOOR {
        0
    } else {
        FUZZY_TIE_MARGIN
    };
    let tied = hits
        .iter()
        .take_while(|h| h.score >= best.score - margin)
        .count();
    if purpose == Purpose::Look && tied == 1 {
        return Resolution::Closest {
            id: best.contact_id,
            why: Why(best.field),
        };
    }
    let shown = if purpose == Purpose::Look {
        tied.min(MAX_CANDIDATES)
    } else {
        LOOSE_CANDIDATES
    };
    Resolution::Ambiguous {
        ids: hits.iter().take(shown).map(|h| h.contact_id).collect(),
        total: hits.len(),
        loose: true,
    }
}

/// The names nearest to a `query` that nothing matched (a typo: "frna" for "Fran"), best
/// first, at most `limit`: a name is near when its whole or one of its words is within
/// about a third of the query's letters in edits (case and accents ignored). For a message
/// that suggests what was meant; never used to resolve.
pub fn close_names<'a>(
    query: &str,
    names: impl IntoIterator<Item = (usize, &'a str)>,
    limit: usize,
) -> Vec<usize> {
    let q = fold(query);
    let q: String = words(&q).collect::<Vec<_>>().join(" ");
    let len = q.chars().count();
    if len < 3 {
        return Vec::new();
    }
    let allowed = (len / 3).max(1);
    let mut near: Vec<(usize, usize)> = names
        .into_iter()
        .filter_map(|(i, name)| {
            let folded = fold(name);
            let whole: String = words(&folded).collect::<Vec<_>>().join(" ");
            let best = std::iter::once(whole.as_str())
                .chain(words(&folded))
                .map(|w| edits(&q, w))
                .min()?;
            (best <= allowed).then_some((best, i))
        })
        .collect();
    near.sort();
    near.into_iter().take(limit).map(|(_, i)| i).collect()
}

/// Edits between two texts, by characters: insert, delete, replace, or swap two neighbours
/// (optimal string alignment: "frna" is one edit from "fran").
fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut last, row);
    }
    last[b.len()]
}

/// How close to the best score another hit must be to count as an equal candidate, for
/// matches outside the name tiers (fuzzy, substrings, other fields).
const FUZZY_TIE_MARGIN: i64 = 60;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Entry;

    #[test]
    fn close_names_are_typos_of_a_name_or_one_of_its_words() {
        let names = ["Fran Friend", "Globex", "Nina New", "Ada Lovelace"];
        let near = |q| close_names(q, names.iter().copied().enumerate(), 5);
        assert_eq!(near("frna"), [0]);
        assert_eq!(near("globx"), [1]);
        assert_eq!(near("nina nwe"), [2]);
        assert_eq!(near("Lovelaec"), [3]);
        assert!(near("zzqx").is_empty());
        // Too short to guess from.
        assert!(near("ad").is_empty());
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
            Probe::Phone("5550100100".into())
        );
        assert_eq!(probe("Ada"), Probe::Text("Ada".into()));
    }

    #[test]
    fn confident_means_the_whole_name_or_prefixes_of_its_words() {
        let sure = |q| is_confident(q, "Ada Lovelace", Some("Countess"));
        assert!(sure("ada lovelace"));
        assert!(sure("ADA LOVELACE"));
        assert!(sure("ada"));
        assert!(sure("ada lov"));
        assert!(sure("lovelace"));
        assert!(sure("lov ada"));
        assert!(sure("count"));
        assert!(sure("countess"));
        // Scattered letters, a substring inside a word, one word used twice: not sure.
        assert!(!sure("adlv"));
        assert!(!sure("velace"));
        assert!(!sure("ada ada"));
        assert!(!sure(""));
        assert!(is_confident("jurgen muller", "Jürgen Müller", None));
        assert!(is_confident("zoe", "Zoë Ångström", None));
        assert!(!is_confident("jon", "Joanna Smith", None));
    }

    fn index(people: &[(&str, Option<&str>, Option<&str>)]) -> Index {
        Index::build(
            people
                .iter()
                .enumerate()
                .map(|(i, (name, org, title))| Entry {
                    contact_id: i as i64 + 1,
                    display_name: name.to_string(),
                    organization: org.map(str::to_string),
                    title: title.map(str::to_string),
                    ..Default::default()
                })
                .collect(),
        )
    }

    fn avengers() -> Index {
        index(&[
            ("Joanna Smith", None, None),
            ("Natasha Romanov", None, None),
            ("Happy Hogan", None, Some("Head of Security")),
            ("Ada Lovelace", Some("Acme Corp"), None),
            ("Adam Smith", None, None),
            ("Grace Hopper", Some("Navy"), None),
            ("Grace Hopper", None, None),
        ])
    }

    #[test]
    fn a_change_resolves_only_a_confident_match() {
        let c = avengers();
        let change = |q| decide(q, &c, Purpose::Change, 0);
        assert_eq!(change("lovelace"), Resolution::Confident(4));
        assert_eq!(change("ada lov"), Resolution::Confident(4));
        assert_eq!(change("jo"), Resolution::Confident(1));
        assert_eq!(change("zzz"), Resolution::None);
        // The guesses the issue found: letters of a name, of a title, of an organization.
        for guess in ["jon", "rm", "edit", "acme"] {
            assert!(
                matches!(change(guess), Resolution::Ambiguous { loose: true, ref ids, .. } if !ids.is_empty()),
                "{guess}: {:?}",
                change(guess)
            );
        }
        // Two sure matches are listed, never picked.
        assert_eq!(
            change("grace hopper"),
            Resolution::Ambiguous {
                ids: vec![6, 7],
                total: 2,
                loose: false
            }
        );
        assert!(matches!(
            change("ada"),
            Resolution::Ambiguous { loose: false, .. }
        ));
    }

    #[test]
    fn a_look_takes_the_closest_and_says_why() {
        let c = avengers();
        let look = |q| decide(q, &c, Purpose::Look, 0);
        assert_eq!(look("lovelace"), Resolution::Confident(4));
        assert_eq!(
            look("jon"),
            Resolution::Closest {
                id: 1,
                why: Why(Field::Name)
            }
        );
        assert_eq!(
            look("security"),
            Resolution::Closest {
                id: 3,
                why: Why(Field::Title)
            }
        );
        assert_eq!(Why(Field::Name).to_string(), "letters of the name");
        assert_eq!(Why(Field::Title).to_string(), "their title");
        assert!(matches!(
            look("grace hopper"),
            Resolution::Ambiguous { loose: false, .. }
        ));
    }

    #[test]
    fn the_count_is_the_real_one() {
        let c = avengers();
        // The index holds two of the book's Adas; the store counted 1,301 in all.
        assert_eq!(
            decide("ada", &c, Purpose::Look, 1301),
            Resolution::Ambiguous {
                ids: vec![4, 5],
                total: 1301,
                loose: false
            }
        );
        assert_eq!(
            Resolution::of_keys(&(1..=30).collect::<Vec<_>>()),
            Resolution::Ambiguous {
                ids: (1..=10).collect(),
                total: 30,
                loose: false
            }
        );
        assert_eq!(Resolution::of_keys(&[7]), Resolution::Confident(7));
        assert_eq!(Resolution::of_keys(&[]), Resolution::None);
    }
}
