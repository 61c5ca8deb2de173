//! `organization_people` (migration 0017): each organization's people with what health reads
//! of them, kept by triggers. After every kind of write the kept rows are exactly what
//! `contacts` and `contact_touches` make from scratch, and health read through them (an
//! organization's people) scores everyone as health read for the whole book does.

use std::collections::BTreeMap;

use crate::common::{Env, at};

const NOW: &str = "2026-11-24T10:00:00Z";

/// Each person's score and trend at organization `org` (`kith health --org`, read through
/// `organization_people`) against the same people's in `kith health` (the whole book, read
/// from `contacts`).
fn assert_org_health_agrees(env: &Env, org: &str, step: &str) {
    let of = |args: &[&str]| -> BTreeMap<String, String> {
        let out = at(env, NOW, args);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let mut h = h.clone();
                let uid = h["contact"]["uid"].as_str().unwrap().to_string();
                h.as_object_mut().unwrap().remove("rhythm");
                (uid, h.to_string())
            })
            .collect()
    };
    let at_org = of(&["health", "--org", org, "--json"]);
    let everyone = of(&["health", "--json"]);
    for (uid, h) in &at_org {
        assert_eq!(Some(h), everyone.get(uid), "{org} after {step}");
    }
}

fn check(env: &Env, step: &str) {
    crate::common::assert_touches_right(&env.db, step);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let orgs: Vec<i64> = conn
        .prepare("SELECT id FROM organizations")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for org in orgs {
        assert_org_health_agrees(env, &format!("#{org}"), step);
    }
}

#[test]
fn every_kind_of_write_keeps_each_organizations_people_right() {
    let env = Env::new();
    for args in [
        &["add", "Ada Lovelace", "--new-org", "Acme", "--every", "2w"][..],
        &["add", "Bob Babbage", "--org", "Acme", "--tag", "client"],
        &["add", "Cy Clerk", "--new-org", "Globex"],
        &["add", "Dee Dot", "--org", "Globex", "--every", "1m"],
        &["add", "Eve Early"],
        &["tag-cadence", "client", "1m"],
    ] {
        at(&env, NOW, args);
    }
    check(&env, "adding people");
    let steps: &[(&str, &[&str])] = &[
        ("a log", &["log", "ada", "First", "--at", "2026-10-01"]),
        (
            "a log with two",
            &["log", "ada,cy", "Second", "--at", "2026-11-01"],
        ),
        (
            "an earlier log",
            &["log", "bob,dee", "Zeroth", "--at", "2026-09-01"],
        ),
        ("a time moved", &["log", "edit", "2", "--at", "2026-08-01"]),
        (
            "someone added to a log",
            &["log", "edit", "1", "--add", "eve"],
        ),
        (
            "a follow-up",
            &["remind", "bob", "call back", "--due", "2026-11-20"],
        ),
        ("a follow-up done", &["done", "1"]),
        (
            "a follow-up on an organization",
            &[
                "remind",
                "--org",
                "globex",
                "renewal",
                "--due",
                "2026-12-01",
            ],
        ),
        (
            "a follow-up about someone about to move",
            &["remind", "eve", "intro", "--due", "2026-12-02"],
        ),
        ("a rename", &["edit", "bob", "--name", "Robert Babbage"]),
        ("a cadence", &["edit", "cy", "--every", "3m"]),
        ("a cadence cleared", &["edit", "ada", "--unset", "every"]),
        (
            "a move to another organization",
            &["edit", "robert", "--org", "Globex"],
        ),
        ("joining one", &["edit", "eve", "--org", "Acme"]),
        ("leaving one", &["edit", "dee", "--unset", "org"]),
        ("archived", &["rm", "cy"]),
        ("restored", &["restore", "cy"]),
        ("archived again", &["rm", "ada"]),
        ("a log deleted", &["log", "rm", "3"]),
        ("a merge across organizations", &["merge", "robert", "eve"]),
        ("a contact deleted for good", &["rm", "dee", "--purge"]),
        (
            "an organization deleted for good",
            &["org", "rm", "acme", "--purge"],
        ),
    ];
    for (step, args) in steps {
        let mut args = args.to_vec();
        if args[0] == "rm" || (args[0] == "org" && args[1] == "rm") {
            args.push("--yes");
        }
        at(&env, NOW, &args);
        check(&env, step);
    }

    // An import (written with triggers off) brings people, their organizations and
    // interactions along, and rewrites someone already there.
    let other = Env::new();
    at(
        &other,
        NOW,
        &[
            "add",
            "Cy Clerk",
            "--new-org",
            "Globex",
            "--email",
            "cy@example.com",
        ],
    );
    at(&other, NOW, &["add", "Fay Far", "--new-org", "Acme"]);
    at(
        &other,
        NOW,
        &["log", "cy,fay", "From elsewhere", "--at", "2026-11-23"],
    );
    at(
        &other,
        NOW,
        &["remind", "fay", "from elsewhere", "--due", "2026-12-03"],
    );
    let backup = other.dir.path().join("other.json");
    at(&other, NOW, &["export", "--out", backup.to_str().unwrap()]);
    at(&env, NOW, &["import", backup.to_str().unwrap()]);
    check(&env, "an import");
}
