//! `kith who-knows`: the introduction path through a shared meeting with its evidence, a
//! typed link to someone never met, an organization's people by health then two-hop paths.

use serde_json::Value;

use crate::common::Env;

/// Ada: weekly calls both ways for months. Maria Hill (Globex's CFO): met once, in the
/// "Q3 review" with Ada. Nora Quinn: never met, introduced by Maria. Tom Baker: at Globex,
/// never met. Zed: nobody knows him.
pub fn book(env: &Env) {
    env.ok(&["org", "add", "Globex"]);
    env.ok(&["add", "Ada Lovelace"]);
    env.ok(&["add", "Maria Hill", "--org", "globex", "--title", "CFO"]);
    env.ok(&["add", "Nora Quinn"]);
    env.ok(&["add", "Tom Baker", "--org", "globex"]);
    env.ok(&["add", "Zed Nobody"]);
    for week in 0..20 {
        let day =
            chrono::NaiveDate::from_ymd_opt(2026, 7, 6).unwrap() + chrono::Duration::weeks(week);
        let way = if week % 2 == 0 { "--in" } else { "--out" };
        env.ok(&[
            "log",
            "ada",
            "--via",
            "call",
            way,
            "--at",
            &day.to_string(),
            "Weekly call",
        ]);
    }
    env.ok(&[
        "log",
        "ada,maria",
        "--via",
        "meeting",
        "--at",
        "2026-10-02T14:00:00Z",
        "Q3 review",
    ]);
    env.ok(&["link", "nora", "maria", "--as", "introduced-by"]);
}

fn names(path: &Value) -> Vec<String> {
    path["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["to"]["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_introduction_goes_through_the_shared_meeting_and_says_so() {
    let env = Env::new();
    book(&env);
    let found = env.json(&["who-knows", "maria hill"]);
    assert_eq!(found["target"]["kind"], "person");
    let paths = found["paths"].as_array().unwrap();
    // Through Ada, whom I know well, before Maria herself, whom I met once.
    assert_eq!(names(&paths[0]), ["Ada Lovelace", "Maria Hill"], "{found}");
    assert_eq!(paths[0]["weakest"]["name"], "Ada Lovelace");
    let evidence = &paths[0]["hops"][1]["evidence"][0];
    assert_eq!(evidence["kind"], "met", "{found}");
    assert_eq!(evidence["summary"], "Q3 review");
    assert_eq!(evidence["occurred_at"], "2026-10-02T14:00:00Z");
    assert_eq!(evidence["channel"], "meeting");
    assert_eq!(names(&paths[1]), ["Maria Hill"]);
    assert!(
        paths[0]["strength"].as_u64() > paths[1]["strength"].as_u64(),
        "{found}"
    );

    let text = env.ok(&["who-knows", "maria hill"]);
    assert!(
        text.contains("You → Ada Lovelace (")
            && text.contains("Ada Lovelace – Maria Hill: met in 'Q3 review' on 2026-10-02")
            && text.contains("weakest link: Ada Lovelace at"),
        "{text}"
    );
}

#[test]
fn someone_never_met_is_reached_over_a_typed_link_and_a_stranger_by_no_one() {
    let env = Env::new();
    book(&env);
    let found = env.json(&["who-knows", "nora"]);
    let paths = found["paths"].as_array().unwrap();
    assert_eq!(names(&paths[0]), ["Maria Hill", "Nora Quinn"], "{found}");
    let link = &paths[0]["hops"][1]["evidence"][0];
    assert_eq!(link["kind"], "link");
    assert_eq!(link["link"], "introduced-by");
    let text = env.ok(&["who-knows", "nora"]);
    assert!(
        text.contains("Nora Quinn was introduced by Maria Hill (introduced-by link)"),
        "{text}"
    );
    let none = env.ok(&["who-knows", "zed"]);
    assert!(none.contains("no path within reach"), "{none}");
    // Nothing matches: say that people and organizations were both searched.
    let err = env.fails(&["who-knows", "nobody at all"], 3);
    assert!(
        err.contains("no person or organization matches \"nobody at all\""),
        "{err}"
    );
    // A typo: the close names are offered, as other commands offer candidates.
    let err = env.fails(&["who-knows", "nroa"], 4);
    assert!(
        err.contains("no person or organization is a sure match for \"nroa\""),
        "{err}"
    );
    assert!(err.contains("Nora Quinn"), "{err}");
    let err = env.fails(&["who-knows", "globexx"], 4);
    assert!(err.contains("Globex  (organization)"), "{err}");
    // Letters of an organization's name find the organization, not its people.
    let found = env.json(&["who-knows", "globx"]);
    assert_eq!(found["target"]["kind"], "organization", "{found}");
}

#[test]
fn an_organization_lists_my_contacts_there_by_health_then_two_hop_paths() {
    let env = Env::new();
    book(&env);
    let found = env.json(&["who-knows", "globex"]);
    assert_eq!(found["target"]["kind"], "organization");
    let known: Vec<&str> = found["known_there"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["contact"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(known, ["Maria Hill"], "{found}");
    let paths = found["paths"].as_array().unwrap();
    assert_eq!(names(&paths[0]), ["Ada Lovelace", "Maria Hill"], "{found}");
    // Tom, a colleague of Maria's, is not a way in: colleagues inside are not a path to it.
    assert!(
        paths.iter().all(|p| names(p).len() == 2),
        "two hops at most: {found}"
    );
    let text = env.ok(&["who-knows", "globex"]);
    assert!(
        text.contains("People you know there (healthiest first)")
            && text.contains("Maria Hill  health"),
        "{text}"
    );
    // --org reads a name as the organization's even when a person's would fit.
    let org = env.json(&["who-knows", "--org", "glob"]);
    assert_eq!(org["target"]["name"], "Globex");
}

/// Someone on a path who shares their name with another contact is named with their #id,
/// so the introduction can be asked of the right one; a name nobody else has stays bare.
#[test]
fn a_namesake_on_a_path_is_named_with_their_id() {
    let env = Env::new();
    book(&env);
    let plain = env.ok(&["who-knows", "maria hill"]);
    assert!(plain.contains("You → Ada Lovelace ("), "{plain}");
    env.ok(&["add", "Ada Lovelace", "--email", "ada@elsewhere.example"]);
    let text = env.ok(&["who-knows", "maria hill"]);
    // The path through Ada names her by id; Maria, whom nobody else is named, stays bare.
    let chain = text
        .lines()
        .find(|l| l.contains("You → Ada Lovelace"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(chain.contains("You → Ada Lovelace #1 ("), "{text}");
    assert!(chain.contains("→ Maria Hill ("), "{text}");
    assert!(!text.contains("Maria Hill #"), "{text}");
    // So does the line that says how she knows Maria.
    assert!(text.contains("Ada Lovelace #1 – Maria Hill: "), "{text}");
}
