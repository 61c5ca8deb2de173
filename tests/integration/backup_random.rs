//! Random books survive the JSON backup: a random kith document is imported into a fresh
//! book (A), A is exported, that backup imported into another fresh book (B), and A and B
//! must hold the same rows in every backed-up table (see [`crate::backup::TABLES`]) and
//! export the same bytes, as JSON and as JSONL. Runs kith's own import and export in
//! process (the same functions `kith import` and `kith export` call).

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use kith::formats::json::{
    CompletionRecord, ContactRecord, DetailRecord, Document, InteractionRecord, OrganizationRecord,
    RelationshipRecord, ReminderRecord, TagCadenceRecord, YearlyDateRecord,
};
use kith::formats::sniff::ImportFormat;
use kith::import::{Options, Source};
use kith::store::{OpenMode, Store};
use proptest::prelude::*;

use crate::backup::assert_same_book;

const ORGS: [&str; 4] = ["Acme", "Globex", "Initech", "Umbrella"];
const TAGS: [&str; 4] = ["client", "friend", "lead", "vip"];
const NAMES: [&str; 5] = ["Ada", "Grace", "Katherine", "Émilie", "Ada"];
const KINDS: [&str; 4] = ["knows", "reports-to", "introduced-by", "works-with"];
const CHANNELS: [&str; 4] = ["call", "email", "meeting", "note"];
const PERIODS: [&str; 4] = ["30d", "2w", "3m", "1y"];
const LABELS: [&str; 3] = ["anniversary", "renewal", "founding"];

fn time(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + seconds, 0).unwrap()
}

fn opt_time() -> impl Strategy<Value = Option<DateTime<Utc>>> {
    proptest::option::of((0i64..50_000_000).prop_map(time))
}

fn text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("[a-zA-Z ]{1,12}( [a-z]{1,6}\n?[a-z]{0,6})?")
}

fn tags() -> impl Strategy<Value = Vec<String>> {
    proptest::sample::subsequence(TAGS.to_vec(), 0..3)
        .prop_map(|t| t.into_iter().map(String::from).collect())
}

fn organization(name: &'static str) -> impl Strategy<Value = OrganizationRecord> {
    (
        any::<bool>(),
        text(),
        tags(),
        opt_time(),
        opt_time(),
        opt_time(),
        proptest::option::of(proptest::sample::select(vec!["2w", "1m", "3m", "1y"])),
    )
        .prop_map(
            move |(domain, notes, tags, created_at, updated_at, archived_at, cadence)| {
                OrganizationRecord {
                    uid: Some(format!("org-{name}")),
                    name: name.to_string(),
                    domain: domain.then(|| format!("{}.example", name.to_lowercase())),
                    notes,
                    tags,
                    cadence: cadence.map(String::from),
                    created_at,
                    updated_at,
                    archived_at,
                    warnings: Vec::new(),
                }
            },
        )
}

/// Contact `i`: its own email (so no two are taken for one), and anything else at random.
fn contact(i: usize) -> impl Strategy<Value = ContactRecord> {
    let names = (
        proptest::sample::select(NAMES.to_vec()),
        proptest::option::of("[A-Z][a-z]{2,8}"),
        proptest::option::of("[A-Z][a-z]{2,5}"),
    );
    let details = (
        any::<bool>(),
        proptest::option::of("[a-z]{1,6}"),
        proptest::option::of("[0-9]{3} [0-9]{4}"),
        proptest::option::of("[A-Z][a-z]{3,8} St [0-9]{1,3}"),
    );
    let fields = (
        proptest::option::of(proptest::sample::select(ORGS.to_vec())),
        text(),
        proptest::option::of(proptest::sample::select(vec!["1815-12-10", "--06-12"])),
        proptest::option::of(proptest::sample::select(CHANNELS.to_vec())),
        proptest::option::of(proptest::sample::select(PERIODS.to_vec())),
        tags(),
        proptest::collection::vec("X-[A-Z]{1,5}:[a-z ]{1,8}", 0..3),
    );
    let times = (opt_time(), opt_time(), opt_time());
    (names, details, fields, times).prop_map(
        move |(
            (given, family, nickname),
            (labelled, label, phone, address),
            (organization, notes, birthday, channel, cadence, tags, extra),
            (created_at, updated_at, archived_at),
        )| ContactRecord {
            uid: Some(format!("contact-{i}")),
            display_name: Some(match &family {
                Some(f) => format!("{given} {f}"),
                None => given.to_string(),
            }),
            given_name: Some(given.to_string()),
            family_name: family,
            nickname,
            organization: organization.map(String::from),
            title: None,
            emails: vec![DetailRecord {
                label: label.filter(|_| labelled),
                value: format!("person{i}@example.com"),
            }],
            phones: phone
                .map(|p| DetailRecord {
                    label: None,
                    value: format!("+1 {i}{p}"),
                })
                .into_iter()
                .collect(),
            addresses: address
                .map(|a| DetailRecord {
                    label: Some("home".into()),
                    value: a,
                })
                .into_iter()
                .collect(),
            urls: vec![],
            socials: vec![],
            birthday: birthday.map(String::from),
            preferred_channel: channel.map(String::from),
            cadence: cadence.map(String::from),
            notes,
            tags,
            created_at,
            updated_at,
            archived_at,
            extra,
        },
    )
}

/// Interaction `i`: with one to three contacts, an organization of `orgs`, or both.
fn interaction(
    i: usize,
    contacts: usize,
    orgs: Vec<String>,
) -> impl Strategy<Value = InteractionRecord> {
    let no_org = orgs.is_empty();
    (
        (0i64..50_000_000).prop_map(time),
        proptest::sample::select(CHANNELS.to_vec()),
        proptest::option::of(proptest::sample::select(vec!["in", "out"])),
        "[A-Z][a-z ]{1,12}",
        text(),
        proptest::sample::subsequence((0..contacts).collect::<Vec<_>>(), 0..=contacts.min(3)),
        proptest::option::of(proptest::sample::select(if no_org {
            vec![String::new()]
        } else {
            orgs
        })),
        opt_time(),
    )
        .prop_map(
            move |(occurred_at, channel, direction, summary, body, mut who, org, created_at)| {
                let organization = org.filter(|o| !o.is_empty());
                if who.is_empty() && organization.is_none() {
                    who.push(0);
                }
                InteractionRecord {
                    uid: Some(format!("interaction-{i}")),
                    occurred_at,
                    channel: channel.into(),
                    direction: direction.map(String::from),
                    summary,
                    body,
                    participants: who.into_iter().map(|c| format!("contact-{c}")).collect(),
                    organization,
                    created_at,
                    updated_at: created_at,
                }
            },
        )
}

/// Follow-up `i`, on a contact or an organization; it may refer to the interactions.
fn reminder(
    i: usize,
    contacts: usize,
    orgs: Vec<String>,
    interactions: usize,
) -> impl Strategy<Value = ReminderRecord> {
    let interaction = move || {
        proptest::option::of(0..interactions.max(1)).prop_map(move |n| {
            n.filter(|_| interactions > 0)
                .map(|n| format!("interaction-{n}"))
        })
    };
    let about = (
        0..contacts,
        proptest::option::of(proptest::sample::select(orgs)),
    );
    let when = (
        proptest::sample::select(vec!["2026-12-01", "2026-11-30T09:00:00Z", "2027-01-31"]),
        proptest::option::of(proptest::sample::select(PERIODS.to_vec())),
        proptest::option::of(proptest::sample::select(vec!["due", "done"])),
        proptest::option::of(Just("2026-10-31".to_string())),
        proptest::option::of(Just("2026-12-24".to_string())),
        opt_time(),
    );
    let completions =
        proptest::collection::vec(((0i64..50_000_000).prop_map(time), interaction()), 0..3);
    (about, when, completions, interaction(), "[a-z ]{1,12}[a-z]").prop_map(
        move |(
            (contact, org),
            (due, recurrence, recur_from, recur_anchor, snoozed_until, done_at),
            completions,
            interaction,
            text,
        )| ReminderRecord {
            uid: Some(format!("reminder-{i}")),
            text,
            due: due.into(),
            recurrence: recurrence.map(String::from),
            recur_from: recur_from.map(String::from),
            recur_anchor,
            snoozed_until,
            done_at,
            contact: org.is_none().then(|| format!("contact-{contact}")),
            organization: org,
            interaction,
            completions: completions
                .into_iter()
                .map(|(done_at, interaction)| CompletionRecord {
                    due: "2026-10-01".into(),
                    done_at,
                    interaction,
                })
                .collect(),
            created_at: None,
            updated_at: None,
        },
    )
}

/// A random document whose every reference points to a record in it.
fn document() -> impl Strategy<Value = Document> {
    (
        proptest::sample::subsequence(ORGS.to_vec(), 0..=4),
        1usize..6,
        0usize..4,
        0usize..4,
    )
        .prop_flat_map(|(org_names, contacts, interactions, reminders)| {
            let orgs: Vec<_> = org_names.iter().map(|n| organization(n)).collect();
            let org_list: Vec<String> = org_names.iter().map(|n| n.to_string()).collect();
            let people: Vec<_> = (0..contacts).map(contact).collect();
            let talks: Vec<_> = (0..interactions)
                .map(|i| interaction(i, contacts, org_list.clone()))
                .collect();
            let mut about = org_list.clone();
            if about.is_empty() {
                about.push(String::new());
            }
            let follow_ups: Vec<_> = (0..reminders)
                .map(|i| reminder(i, contacts, about.clone(), interactions))
                .collect();
            let links = proptest::collection::btree_set(
                (
                    0..contacts,
                    0..contacts,
                    proptest::sample::select(KINDS.to_vec()),
                ),
                0..4,
            );
            let dates = proptest::collection::btree_map(
                (0..contacts, proptest::sample::select(LABELS.to_vec())),
                proptest::sample::select(vec!["2025-03-01", "--06-12", "--02-29"]),
                0..4,
            );
            let cadences = proptest::collection::btree_map(
                proptest::sample::select(vec!["client", "dormant", "vip"]),
                (proptest::sample::select(PERIODS.to_vec()), opt_time()),
                0..3,
            );
            (orgs, people, talks, follow_ups, links, dates, cadences)
        })
        .prop_map(
            |(orgs, people, talks, follow_ups, links, dates, cadences)| Document {
                kith_format: kith::formats::json::FORMAT_VERSION_WITHOUT_CAPTURE,
                organizations: orgs,
                contacts: people,
                yearly_dates: dates
                    .into_iter()
                    .map(|((c, label), date)| YearlyDateRecord {
                        contact: format!("contact-{c}"),
                        label: label.into(),
                        date: date.into(),
                    })
                    .collect(),
                relationships: links
                    .into_iter()
                    .filter(|(a, b, _)| a != b)
                    .map(|(a, b, kind)| RelationshipRecord {
                        from: format!("contact-{a}"),
                        kind: kind.into(),
                        to: format!("contact-{b}"),
                        note: None,
                        created_at: None,
                    })
                    .collect(),
                interactions: talks,
                // A follow-up about the placeholder organization (none were drawn) is about its
                // contact instead.
                reminders: follow_ups
                    .into_iter()
                    .map(|mut r| {
                        if r.organization.as_deref() == Some("") {
                            r.organization = None;
                            r.contact = Some("contact-0".into());
                        }
                        r
                    })
                    .collect(),
                tag_cadences: cadences
                    .into_iter()
                    .map(|(tag, (cadence, updated_at))| TagCadenceRecord {
                        tag: tag.into(),
                        cadence: cadence.into(),
                        updated_at,
                    })
                    .collect(),
                ..Document::default()
            },
        )
}

/// Import `text` (as `format`) into the book at `db`; the number of invalid records.
fn import(db: &Path, format: ImportFormat, text: &str) -> usize {
    let mut store = Store::open(db, OpenMode::CreateIfMissing).unwrap();
    let records =
        kith::formats::read(format, text.as_bytes().to_vec(), &Default::default()).unwrap();
    let sources = vec![Source {
        name: "backup".into(),
        records,
    }];
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
    let report =
        kith::app::import::run(&mut store, sources, &Options::default(), now, &mut |_| {}).unwrap();
    report.count(kith::import::Outcome::Invalid)
}

fn export(db: &Path) -> Document {
    let store = Store::open(db, OpenMode::MustExist).unwrap();
    kith::store::snapshot::document(store.conn()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn random_books_survive_export_and_import(doc in document()) {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.db");
        let text = kith::formats::json::write_json(&doc).unwrap();
        prop_assert_eq!(import(&a, ImportFormat::Json, &text), 0, "{}", text);
        let backup = export(&a);
        prop_assert_eq!(backup.contacts.len(), doc.contacts.len());
        prop_assert_eq!(backup.reminders.len(), doc.reminders.len());
        prop_assert_eq!(backup.yearly_dates.len(), doc.yearly_dates.len());
        prop_assert_eq!(backup.tag_cadences.len(), doc.tag_cadences.len());

        let json = kith::formats::json::write_json(&backup).unwrap();
        let jsonl = kith::formats::json::write_jsonl(&backup).unwrap();
        for (name, format, text) in [("b.db", ImportFormat::Json, &json), ("c.db", ImportFormat::Jsonl, &jsonl)] {
            let b = dir.path().join(name);
            prop_assert_eq!(import(&b, format, text), 0);
            assert_same_book(&a, &b);
            prop_assert_eq!(&export(&b), &backup);
        }
        // Into the book that holds it: nothing changes.
        let before = crate::common::dump(&a);
        prop_assert_eq!(import(&a, ImportFormat::Json, &json), 0);
        prop_assert_eq!(before, crate::common::dump(&a));
    }
}
