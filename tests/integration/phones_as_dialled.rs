//! Phones as dialled (issue 17): a number is found by `show` (WHO) and `find` however it is
//! written, with its country code and trunk prefix understood; books of earlier schemas are
//! re-keyed by migration 0008.

use std::path::Path;

use crate::common::Env;

fn book() -> Env {
    let env = Env::new();
    env.ok(&["add", "Ann Lee", "--phone", "+1 415 555 0101"]);
    env.ok(&["add", "Bob Stone", "--phone", "+44 20 7946 0958"]);
    env.ok(&["add", "Cleo Rossi", "--phone", "+39 06 1234 5678"]);
    env
}

fn shown_id(env: &Env, who: &str) -> i64 {
    env.json(&["show", who])["contact"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("show {who:?}: no contact id"))
}

fn found_ids(env: &Env, query: &str) -> Vec<i64> {
    env.json(&["find", query])
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            h["id"]
                .as_i64()
                .or_else(|| h["contact_id"].as_i64())
                .unwrap()
        })
        .collect()
}

#[test]
fn a_number_is_found_however_it_is_dialled() {
    let env = book();
    for typed in [
        "(415) 555-0101",
        "4155550101",
        "+14155550101",
        "001 415 555 0101",
        "+1 415 555 0101",
    ] {
        assert_eq!(shown_id(&env, typed), 1, "show {typed:?}");
        assert_eq!(found_ids(&env, typed), vec![1], "find {typed:?}");
    }
    assert_eq!(found_ids(&env, "+1 415"), vec![1]);
    assert_eq!(found_ids(&env, "555-0101"), vec![1]);
    // A national number with its trunk prefix, and Italy's leading zero.
    assert_eq!(shown_id(&env, "020 7946 0958"), 2);
    assert_eq!(shown_id(&env, "0044 20 7946 0958"), 2);
    assert_eq!(found_ids(&env, "020 7946 0958"), vec![2]);
    assert_eq!(shown_id(&env, "06 1234 5678"), 3);
}

#[test]
fn a_country_code_tells_equal_national_numbers_apart() {
    let env = book();
    env.ok(&["add", "Dan Moor", "--phone", "+61 415 555 0101"]);
    assert_eq!(shown_id(&env, "+1 415 555 0101"), 1);
    assert_eq!(shown_id(&env, "+61 415 555 0101"), 4);
    // Without a country code both fit: kith lists them instead of guessing.
    let err = env.fails(&["log", "415 555 0101", "Called"], 4);
    assert!(err.contains("Ann Lee") && err.contains("Dan Moor"), "{err}");
}

#[test]
fn the_default_region_reads_north_american_dialling() {
    let env = book();
    let show = |region: &str, typed: &str| {
        env.kith()
            .env("KITH_REGION", region)
            .args(["show", typed])
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(show("US", "1 415 555 0101"), Some(0));
    assert_eq!(show("US", "011 44 20 7946 0958"), Some(0));
    assert_eq!(show("GB", "011 44 20 7946 0958"), Some(3));
}

#[test]
fn books_of_earlier_schemas_are_re_keyed() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut books: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("schema-v") && n.ends_with(".db"))
        .collect();
    books.sort();
    assert!(books.len() >= 2, "{books:?}");
    for name in &books {
        let env = Env::new();
        std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
        std::fs::copy(fixtures.join(name), &env.db).unwrap();
        // Ada is stored as "+44 20 7946 0958", Grace as "+1 555 0100".
        let ada = env.ok(&["show", "020 7946 0958"]);
        assert!(ada.contains("Ada"), "{name}: {ada}");
        let grace = env.ok(&["show", "555 0100"]);
        assert!(grace.contains("Grace Hopper"), "{name}: {grace}");
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let keys: Vec<String> = conn
            .prepare(
                "SELECT match_key FROM contact_details WHERE kind = 'phone' ORDER BY match_key",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(keys, ["2079460958", "5550100"], "{name}");
    }
}

#[test]
fn a_partial_number_matches_its_digits_in_a_row_not_scattered() {
    let env = book();
    // Jürgen's number holds 4, 1 and 5, but not "415" in a row.
    env.ok(&["add", "Jürgen Müller", "--phone", "+49 151 2345 6789"]);
    assert_eq!(found_ids(&env, "+1 415"), [1]);
    assert_eq!(shown_id(&env, "+1 415"), 1);
}
