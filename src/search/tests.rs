//! Tests of search: ranking, folding, fields, the filter bar, and that a scan of stored
//! haystacks ranks like the whole index.

use super::index::PARALLEL_SCAN_FROM;
use super::score::{
    best_single_letter, best_substring_or_fuzzy, in_one_segment, is_subsequence, name_tier_folded,
    segment_at,
};
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    #[test]
    fn the_prefilter_passes_exactly_the_words_some_field_holds_in_order(
        name in "[a-d .-]{0,20}",
        org in proptest::option::of("[a-d ]{0,10}"),
        emails in proptest::collection::vec("[a-d@.]{1,12}", 0..3),
        phones in proptest::collection::vec("[0-3 +]{1,9}", 0..2),
        word in "[a-d0-3.@-]{1,4}",
    ) {
        let entry = Entry { contact_id: 1, display_name: name, organization: org, emails, phones, ..Entry::default() };
        let mut hay = Vec::new();
        haystack(fields_of(&entry), &mut hay);
        let mut some_field = false;
        let mut at = 0;
        while let Some((_, seg, next)) = segment_at(&hay, at) {
            some_field |= is_subsequence(seg, word.as_bytes());
            at = next;
        }
        prop_assert_eq!(in_one_segment(&hay, word.as_bytes()), some_field);
        // And it never turns away a contact the full score would take.
        let q = ParsedQuery::new(&word);
        if !q.phone && score_haystack(&hay, &q).is_some() {
            prop_assert!(some_field);
        }
    }
}

#[test]
fn a_query_word_starting_with_a_symbol_is_scored_without_panicking() {
    // "-p" is in "jean - paul" letter by letter only: the anchored-word test once sliced
    // backwards there.
    let idx = Index::build(vec![person(1, "Jean - Paul"), person(2, "-.a")]);
    assert_eq!(ids(&idx.query("-p", 5)), [1]);
    assert_eq!(ids(&idx.query("-a", 5)), [2, 1]);
}

#[test]
fn scans_absorbed_into_one_find_what_one_scan_finds() {
    let entries: Vec<Entry> = (0..3000i64)
        .map(|i| Entry {
            emails: vec![format!("p{i}@example.com")],
            ..person(i, &format!("Person {} Müller", i % 700))
        })
        .collect();
    for q in ["mull 19", "p1", "person", "prsn mllr", "zzz"] {
        let offer = |scan: &mut scan::Scan, e: &Entry| {
            let mut hay = Vec::new();
            let mask = haystack(fields_of(e), &mut hay);
            scan.offer(e.contact_id, mask, &hay);
        };
        let mut whole = scan::Scan::new(q, 5);
        entries.iter().for_each(|e| offer(&mut whole, e));
        // Split unevenly, each part large enough to be trimmed on its way.
        let mut first = scan::Scan::new(q, 5);
        let mut second = scan::Scan::new(q, 5);
        for (i, e) in entries.iter().enumerate() {
            offer(if i % 3 == 0 { &mut first } else { &mut second }, e);
        }
        second.absorb(first);
        assert_eq!(
            (second.total(), second.named()),
            (whole.total(), whole.named())
        );
        assert_eq!(second.finish(), whole.finish(), "{q:?}");
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

    /// A scan run a few contacts at a time, each key typed while the last one's scan is
    /// still under way, ends where a fresh query does; and between slices every hit listed
    /// is a true match, never more than the final count.
    #[test]
    fn a_scan_in_slices_interrupted_by_keys_equals_fresh(
        names in proptest::collection::vec(name_strategy(), 1..40),
        query in "[a-z ]{1,6}",
        budget in 1usize..9,
        early in 0usize..4,
    ) {
        let idx = Index::build(names.iter().enumerate().map(|(i, n)| person(i as i64, n)).collect());
        let mut f = Filter::default();
        for end in 1..=query.len() {
            let q = &query[..end];
            f.start(q, 10);
            let fresh = idx.query(q, 10);
            let matching: std::collections::HashSet<i64> =
                ids(&idx.query(q, 1000)).into_iter().collect();
            // The last key's scan goes to the end; the others are cut short by the next key.
            let steps = if end == query.len() { usize::MAX } else { early };
            let mut done = false;
            for _ in 0..steps {
                done = f.step(&idx, budget);
                let interim = f.ranked(&idx, 10);
                prop_assert!(interim.iter().all(|h| matching.contains(&h.contact_id)));
                prop_assert!(f.total() <= matching.len());
                if done {
                    break;
                }
            }
            if end == query.len() {
                prop_assert!(done && f.progress().is_none());
                prop_assert_eq!(f.ranked(&idx, 10), fresh);
                prop_assert_eq!(f.total(), matching.len());
            }
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

#[test]
fn a_number_is_found_as_dialled_and_typing_it_narrows() {
    let mut ann = person(1, "Ann Lee");
    ann.phones = vec!["+1 415 555 0101".into()];
    let mut bob = person(2, "Bob Stone");
    bob.phones = vec!["+44 20 7946 0958".into()];
    let mut tom = person(3, "Tom Hale");
    tom.phones = vec!["0171 555".into()];
    let index = Index::build(vec![ann, bob, tom]);
    for q in [
        "(415) 555-0101",
        "+14155550101",
        "001 415 555 0101",
        "+1 415",
        "555-0101",
    ] {
        assert_eq!(ids(&index.query(q, 10)), vec![1], "{q}");
    }
    assert_eq!(ids(&index.query("020 7946 0958", 10)), vec![2]);
    let hit = &index.query("(415) 555", 10)[0];
    assert_eq!(hit.matches[0].field, Field::Phone);
    assert_eq!(hit.matches[0].positions, vec![3, 4, 5, 7, 8, 9]);
    // Typed one key at a time, the filter bar ends where a fresh query does.
    let mut filter = Filter::default();
    let mut typed = String::new();
    for c in "(415) 555-0101".chars() {
        typed.push(c);
        let narrowed = ids(&filter.update(&index, &typed, 10));
        assert_eq!(narrowed, ids(&index.query(&typed, 10)), "{typed:?}");
    }
}
