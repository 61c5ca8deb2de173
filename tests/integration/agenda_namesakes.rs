//! `kith today` and `kith reminders` with two contacts of one name: each is written with
//! their #id, in a morning's agenda (the book asked about each person listed) and in a whole
//! one of thousands (the people listed compared with one another).

use serde_json::Value;

use crate::common::{Env, at};

fn agenda(env: &Env, now: &str) -> Value {
    let text = at(env, now, &["today", "--json"]);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Two people of one name on the agenda are told apart by their #id, in every group; a name
/// no one else has is printed alone, and `--json` is unchanged (it has every id).
#[test]
fn namesakes_on_the_agenda_are_named_with_their_id() {
    let env = Env::new();
    env.ok(&["add", "Amélie García", "--birthday", "1990-11-26"]);
    env.ok(&["add", "Amélie García", "--birthday", "1985-11-27"]);
    env.ok(&["add", "Bob Stone", "--birthday", "1985-11-27"]);
    env.ok(&["remind", "#2", "send the card", "--due", "2026-11-25"]);
    let now = "2026-11-24T10:00:00Z";
    let text = at(&env, now, &["today"]);
    for line in [
        "Amélie García #1's birthday (turns 36)",
        "Amélie García #2's birthday (turns 41)",
        "Bob Stone's birthday (turns 41)",
        "send the card — Amélie García #2",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    assert!(!text.contains("Bob Stone #"), "{text}");
    assert_eq!(at(&env, now, &["today", "--all"]), text);
    let json = agenda(&env, now);
    assert_eq!(json["dates"][0]["contact"]["name"], "Amélie García");
    // The follow-up list's ABOUT column likewise, though only #2 has one.
    env.ok(&["remind", "bob", "ask about the trip", "--due", "2026-11-26"]);
    let list = at(&env, now, &["reminders"]);
    assert!(list.contains("Amélie García #2  "), "{list}");
    assert!(list.contains("Bob Stone  "), "{list}");
    assert!(!list.contains("Bob Stone #"), "{list}");
}

/// A whole agenda of thousands (`--all` in a large book) is not asked about each person:
/// namesakes listed together are still told apart, by their #id.
#[test]
fn namesakes_in_a_long_agenda_are_told_apart() {
    let env = Env::new();
    let mut csv = String::from("Name,Birthday\n");
    for n in 0..2_100 {
        csv.push_str(&format!("Person Number {n},1990-11-25\n"));
    }
    csv.push_str("Twin Name,1980-11-26\nTwin Name,1981-11-26\n");
    let path = env.dir.path().join("many.csv");
    std::fs::write(&path, csv).unwrap();
    let out = env.ok(&["import", path.to_str().unwrap()]);
    assert!(out.contains("2,102 new"), "{out}");
    let text = at(&env, "2026-11-24T10:00:00Z", &["today", "--all"]);
    assert!(text.contains("Birthdays and dates (2,102)"), "{text}");
    for id in [2_101, 2_102] {
        assert!(
            text.contains(&format!("Twin Name #{id}'s birthday")),
            "{text}"
        );
    }
    assert!(text.contains("Person Number 7's birthday"), "{text}");
}
