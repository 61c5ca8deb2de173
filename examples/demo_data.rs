//! Generate the demo data set shipped in `assets/demo.jsonl`, in kith's own export format
//! (`kith export --format jsonl`, see docs/JSON.md):
//!
//! ```sh
//! cargo run --example demo_data > assets/demo.jsonl
//! ```
//!
//! Deterministic (a fixed-seed PRNG, a fixed clock, UIDs numbered in order; no network):
//! running it twice writes the same bytes. The people and their history are made up here,
//! written into a scratch database through the store, and exported. Times are as of
//! [`kith::demo::ANCHOR`]; `kith --demo` moves them all forward to the day it is opened.

use chrono::{Datelike, Duration};
use serde::{Deserialize, Serialize};

use kith::clock::Clock;
use kith::error::{Error, Result};
use kith::model::{
    Birthday, Channel, ContactFields, Direction, Due, Labeled, NewInteraction, NewReminder, Period,
};
use kith::store::{OpenMode, Store};

/// The file's `format` field.
const FORMAT: &str = "kith-demo/1";

/// The whole demo set. Contacts are referred to by `key` within the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DemoSet {
    pub format: String,
    pub organizations: Vec<DemoOrg>,
    pub contacts: Vec<DemoContact>,
    pub relationships: Vec<DemoLink>,
    pub interactions: Vec<DemoInteraction>,
    pub follow_ups: Vec<DemoFollowUp>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DemoOrg {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DemoContact {
    pub key: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<Labeled>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Labeled>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub socials: Vec<Labeled>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Labeled>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The birthday falls this many days from the day the demo is opened (negative: past).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday_in_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefers: Option<Channel>,
    /// Keep-in-touch cadence: 30d, 2w, 2m, 1y.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub added_days_ago: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DemoLink {
    pub from: String,
    pub kind: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DemoInteraction {
    pub minutes_ago: i64,
    pub channel: Channel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Contact keys of the participants.
    pub with: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DemoFollowUp {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    pub text: String,
    /// Due this many days from the day the demo is opened (negative: overdue).
    pub due_in_days: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
    /// Already completed, this many days ago.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_days_ago: Option<i64>,
}

fn bad(message: impl Into<String>) -> Error {
    Error::invalid("demo data", "generator", message)
}

/// Load `set` into `store` in one transaction, placing its relative times against `clock`.
pub fn load(store: &mut Store, set: &DemoSet, clock: Clock) -> Result<()> {
    use kith::store::{contacts, interactions, organizations, relationships, reminders, tags};
    let now = clock.now;
    let today = clock.today();
    store.write(|tx| {
        let mut orgs = std::collections::HashMap::new();
        for o in &set.organizations {
            let id = organizations::insert(
                tx,
                &o.name,
                o.domain.as_deref(),
                o.notes.as_deref(),
                now - Duration::days(800),
            )?;
            tags::change_organization_tags(tx, id, &o.tags, &[])?;
            orgs.insert(o.name.clone(), id);
        }
        let mut keys = std::collections::HashMap::new();
        for c in &set.contacts {
            let birthday = c.birthday_in_days.map(|days| {
                let day = today + Duration::days(days);
                Birthday {
                    year: c.birth_year,
                    month: day.month(),
                    day: day.day(),
                }
            });
            let cadence = c
                .every
                .as_deref()
                .map(|p| Period::parse(p).map_err(|e| bad(format!("{}: {e}", c.key))))
                .transpose()?;
            let mut fields = ContactFields {
                display_name: c.name.clone(),
                given_name: c.given.clone(),
                family_name: c.family.clone(),
                nickname: c.nickname.clone(),
                organization: c.organization.clone(),
                title: c.title.clone(),
                emails: c.emails.clone(),
                phones: c.phones.clone(),
                socials: c.socials.clone(),
                addresses: c.addresses.clone(),
                birthday,
                preferred_channel: c.prefers,
                cadence,
                notes: c.notes.clone(),
                tags: c.tags.clone(),
                ..ContactFields::default()
            };
            fields.validate()?;
            let id = contacts::insert(tx, &fields, now - Duration::days(c.added_days_ago))?;
            keys.insert(c.key.clone(), id);
        }
        let contact = |key: &str| {
            keys.get(key)
                .copied()
                .ok_or_else(|| bad(format!("no contact with key {key:?}")))
        };
        for l in &set.relationships {
            relationships::link(
                tx,
                contact(&l.from)?,
                contact(&l.to)?,
                &l.kind,
                l.note.as_deref(),
                now,
            )?;
        }
        for i in &set.interactions {
            let at = now - Duration::minutes(i.minutes_ago);
            let participants = i
                .with
                .iter()
                .map(|k| contact(k))
                .collect::<Result<Vec<_>>>()?;
            interactions::insert(
                tx,
                &NewInteraction {
                    occurred_at: at,
                    channel: i.channel,
                    direction: i.direction,
                    summary: i.summary.clone(),
                    body: i.body.clone(),
                    participants,
                    organization_id: None,
                },
                at,
            )?;
        }
        for f in &set.follow_ups {
            let contact_id = f.contact.as_deref().map(contact).transpose()?;
            let organization_id = match &f.organization {
                Some(name) => Some(
                    orgs.get(name)
                        .copied()
                        .ok_or_else(|| bad(format!("no organization {name:?}")))?,
                ),
                None => None,
            };
            let recurrence = f
                .every
                .as_deref()
                .map(|p| Period::parse(p).map_err(|e| bad(e.to_string())))
                .transpose()?;
            let due = Due::Day(today + Duration::days(f.due_in_days));
            let id = reminders::insert(
                tx,
                &NewReminder {
                    contact_id,
                    organization_id,
                    text: f.text.clone(),
                    due,
                    recurrence,
                    interaction_id: None,
                },
                now - Duration::days(f.due_in_days.abs() + 7),
            )?;
            if let Some(days) = f.done_days_ago {
                let at = now - Duration::days(days);
                reminders::complete(tx, id, at, at.date_naive())?;
            }
        }
        Ok(())
    })
}

/// SplitMix64: small, fast and good enough for made-up people.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const ORGS: &[(&str, &str, &str)] = &[
    ("Acme Robotics", "acme-robotics.example", "manufacturing"),
    ("Globex Logistics", "globex.example", "logistics"),
    ("Initech Software", "initech.example", "software"),
    ("Umbrella Health", "umbrella-health.example", "healthcare"),
    ("Stark Renewables", "stark-renew.example", "energy"),
    ("Wayne Capital", "waynecap.example", "finance"),
    ("Cyberdyne Analytics", "cyberdyne.example", "software"),
    ("Soylent Foods", "soylent.example", "food"),
    ("Tyrell Biotech", "tyrell.example", "healthcare"),
    ("Hooli Cloud", "hooli.example", "software"),
    ("Pied Piper", "piedpiper.example", "software"),
    ("Vandelay Industries", "vandelay.example", "manufacturing"),
    ("Wonka Confectionery", "wonka.example", "food"),
    ("Oscorp Materials", "oscorp.example", "manufacturing"),
    ("Aperture Labs", "aperture.example", "research"),
    ("Black Mesa Research", "blackmesa.example", "research"),
    ("Massive Dynamic", "massive-dynamic.example", "research"),
    ("Nakatomi Trading", "nakatomi.example", "finance"),
    ("Gringotts Bank", "gringotts.example", "finance"),
    ("Monarch Media", "monarch-media.example", "media"),
    ("Dunder Mifflin Paper", "dundermifflin.example", "retail"),
    ("Sterling Cooper", "sterling-cooper.example", "media"),
    ("Bluth Development", "bluth.example", "real-estate"),
    ("Prestige Worldwide", "prestige.example", "media"),
    ("Kruger Architects", "kruger-arch.example", "real-estate"),
    ("Nordlys Energi", "nordlys.example", "energy"),
    ("Lindqvist & Berg", "lindqvist-berg.example", "legal"),
    ("Café Olé Roasters", "cafeole.example", "food"),
    ("Zürich Mobility", "zurich-mobility.example", "logistics"),
    ("Łódź Textiles", "lodz-textiles.example", "manufacturing"),
];

const GIVEN: &[&str] = &[
    "Ada",
    "Grace",
    "Alan",
    "Margaret",
    "Linus",
    "Barbara",
    "Dennis",
    "Frances",
    "Ken",
    "Radia",
    "Tim",
    "Hedy",
    "Katherine",
    "Guido",
    "Sophie",
    "Yukihiro",
    "Anita",
    "Bjarne",
    "Shafi",
    "Leslie",
    "Edsger",
    "Donald",
    "Jean",
    "Annie",
    "Mary",
    "Carlos",
    "Lucía",
    "Mateo",
    "Zoë",
    "Jürgen",
    "Ingrid",
    "Søren",
    "Aoife",
    "Niamh",
    "Priya",
    "Arjun",
    "Mei",
    "Wei",
    "Hiroshi",
    "Yuki",
    "Fatima",
    "Omar",
    "Amara",
    "Kwame",
    "Olga",
    "Dmitri",
    "Agnieszka",
    "Łukasz",
    "Chloé",
    "Émile",
    "Isabella",
    "Luca",
    "Sven",
    "Freya",
    "Tomás",
    "Renée",
    "Noah",
    "Ava",
    "Ethan",
    "Maya",
    "Elena",
    "Marco",
    "Nadia",
    "Samir",
    "Leila",
    "Kenji",
    "Hana",
    "Rafael",
];

const FAMILY: &[&str] = &[
    "Lovelace",
    "Hopper",
    "Turing",
    "Hamilton",
    "Torvalds",
    "Liskov",
    "Ritchie",
    "Allen",
    "Thompson",
    "Perlman",
    "Berners-Lee",
    "Lamarr",
    "Johnson",
    "van Rossum",
    "Wilson",
    "Matsumoto",
    "Borg",
    "Stroustrup",
    "Goldwasser",
    "Lamport",
    "Dijkstra",
    "Knuth",
    "Bartik",
    "Easley",
    "Keller",
    "García",
    "Fernández",
    "Rossi",
    "Müller",
    "Schmidt",
    "Nielsen",
    "Johansson",
    "O'Brien",
    "Murphy",
    "Sharma",
    "Patel",
    "Chen",
    "Wang",
    "Tanaka",
    "Sato",
    "Haddad",
    "Mensah",
    "Okafor",
    "Ivanova",
    "Petrov",
    "Kowalski",
    "Nowak",
    "Dubois",
    "Martin",
    "Bianchi",
    "Larsen",
    "Eriksson",
    "Silva",
    "Costa",
    "Kim",
    "Park",
    "Nguyen",
    "Novak",
];

const TITLES: &[&str] = &[
    "CEO",
    "CTO",
    "CFO",
    "COO",
    "VP Engineering",
    "VP Sales",
    "Head of Procurement",
    "Product Manager",
    "Engineering Manager",
    "Head of Operations",
    "Marketing Director",
    "Data Scientist",
    "Legal Counsel",
    "Account Executive",
    "Founder",
    "Chief of Staff",
    "Head of Partnerships",
    "Design Lead",
    "Solutions Architect",
    "Office Manager",
];

const TAGS: &[&str] = &[
    "client", "prospect", "partner", "vip", "investor", "friend", "press", "vendor", "alumni",
    "speaker", "advisor", "referral",
];

const TOPICS: &[&str] = &[
    "the Q3 roadmap",
    "the data migration",
    "pricing for the renewal",
    "the security review",
    "the pilot results",
    "hiring a platform lead",
    "the board deck",
    "the API integration",
    "the workshop agenda",
    "budget for next year",
    "the SOW draft",
    "the analytics dashboard",
    "their expansion to Berlin",
    "the procurement process",
    "the reference call",
    "the onboarding plan",
    "the invoice dispute",
    "the conference panel",
    "the cloud costs",
    "a possible intro to their CFO",
    "the retrospective",
    "the proposal",
    "the case study",
];

const OUTCOMES: &[&str] = &[
    "went well",
    "needs a follow-up",
    "they are keen",
    "waiting on legal",
    "budget approved",
    "pushed to next quarter",
    "asked for references",
    "wants a proposal",
    "decision in 2 weeks",
    "very positive",
    "some concerns about timing",
    "agreed next steps",
];

const FOLLOW_UPS: &[&str] = &[
    "Send the proposal",
    "Share the case study",
    "Book a kick-off meeting",
    "Check in about the pilot",
    "Send the invoice",
    "Intro to our design lead",
    "Ask for a referral",
    "Send meeting notes",
    "Confirm the workshop date",
    "Follow up on the contract",
    "Send birthday wishes",
    "Share the pricing sheet",
    "Review their RFP",
    "Call about the renewal",
    "Send the security questionnaire",
];

const KINDS: &[&str] = &[
    "knows",
    "works-with",
    "reports-to",
    "introduced-by",
    "partner-of",
];

fn slug(s: &str) -> String {
    deunicode::deunicode(s)
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

fn summary(rng: &mut Rng, channel: Channel) -> String {
    let topic = rng.pick(TOPICS);
    let outcome = rng.pick(OUTCOMES);
    match channel {
        Channel::Call => format!("Call about {topic}; {outcome}"),
        Channel::Email => format!("Email thread on {topic}"),
        Channel::Meeting => format!("Met to discuss {topic}; {outcome}"),
        Channel::Video => format!("Video call on {topic}; {outcome}"),
        Channel::Message => format!("Quick message about {topic}"),
        Channel::Social => format!("LinkedIn note re {topic}"),
        Channel::Letter => format!("Sent a card about {topic}"),
        _ => format!("Note: {topic}, {outcome}"),
    }
}

fn main() {
    let mut rng = Rng(0x6B69_7468_2026);
    let mut set = DemoSet {
        format: FORMAT.to_string(),
        organizations: Vec::new(),
        contacts: Vec::new(),
        relationships: Vec::new(),
        interactions: Vec::new(),
        follow_ups: Vec::new(),
    };
    for (i, (name, domain, industry)) in ORGS.iter().enumerate() {
        let mut tags = vec![industry.to_string()];
        if i % 3 == 0 {
            tags.push("client".into());
        }
        set.organizations.push(DemoOrg {
            name: name.to_string(),
            domain: Some(domain.to_string()),
            notes: Some(format!(
                "{industry} company; account since {}",
                2019 + i % 6
            )),
            tags,
        });
    }

    let mut used = std::collections::HashSet::new();
    let mut index = 0;
    while set.contacts.len() < 200 {
        let given = *rng.pick(GIVEN);
        let family = *rng.pick(FAMILY);
        let name = format!("{given} {family}");
        if !used.insert(name.clone()) {
            continue;
        }
        index += 1;
        let key = format!("c{index}");
        // A few people are independent: no organization.
        let org = (!rng.chance(8)).then(|| ORGS[(index * 7 + rng.below(3)) % ORGS.len()]);
        let mut c = DemoContact {
            key,
            name: name.clone(),
            given: Some(given.to_string()),
            family: Some(family.to_string()),
            added_days_ago: rng.range(30, 760),
            ..DemoContact::default()
        };
        let domain = org.map_or("mail.example", |(_, d, _)| d);
        c.emails.push(Labeled {
            label: Some(if org.is_some() { "work" } else { "home" }.into()),
            value: format!("{}.{}@{domain}", slug(given), slug(family)),
        });
        if rng.chance(30) {
            c.emails.push(Labeled {
                label: Some("home".into()),
                value: format!("{}{}@mail.example", slug(given), rng.range(1, 99)),
            });
        }
        if rng.chance(75) {
            c.phones.push(Labeled {
                label: Some("mobile".into()),
                value: format!(
                    "+{} {} {:03} {:04}",
                    rng.pick(&[1, 44, 49, 33, 34, 46, 81, 353]),
                    rng.range(20, 99),
                    rng.range(100, 999),
                    rng.range(0, 9999)
                ),
            });
        }
        if rng.chance(40) {
            c.socials.push(Labeled {
                label: Some("linkedin".into()),
                value: format!("{}-{}", slug(given), slug(family)),
            });
        }
        if let Some((org_name, _, _)) = org {
            c.organization = Some(org_name.to_string());
            c.title = Some(rng.pick(TITLES).to_string());
        }
        if rng.chance(8) {
            c.nickname = Some(given.chars().take(3).collect());
        }
        let tag_count = rng.below(3);
        for _ in 0..tag_count {
            let t = rng.pick(TAGS).to_string();
            if !c.tags.contains(&t) {
                c.tags.push(t);
            }
        }
        if rng.chance(45) {
            // Spread over the year; a handful land in the coming week.
            c.birthday_in_days = Some(if index % 25 == 3 {
                rng.range(0, 6)
            } else {
                rng.range(-180, 180)
            });
            c.birth_year = rng.chance(70).then(|| rng.range(1955, 2000) as i32);
        }
        if rng.chance(50) {
            c.prefers = Some(*rng.pick(&[
                Channel::Email,
                Channel::Call,
                Channel::Message,
                Channel::Meeting,
                Channel::Video,
            ]));
        }
        if rng.chance(35) {
            c.every = Some(rng.pick(&["2w", "1m", "6w", "2m", "3m", "6m"]).to_string());
        }
        if rng.chance(25) {
            c.notes = Some(format!(
                "Met at {}. Interested in {}.",
                rng.pick(&[
                    "RustConf",
                    "a client dinner",
                    "Web Summit",
                    "a meetup",
                    "an intro call"
                ]),
                rng.pick(TOPICS)
            ));
        }
        set.contacts.push(c);
    }

    // Relationships: colleagues at the same organization, and introductions across them.
    for i in 0..120 {
        let a = rng.below(set.contacts.len());
        let mut b = rng.below(set.contacts.len());
        if a == b {
            b = (b + 1) % set.contacts.len();
        }
        let kind = KINDS[i % KINDS.len()];
        set.relationships.push(DemoLink {
            from: set.contacts[a].key.clone(),
            kind: kind.to_string(),
            to: set.contacts[b].key.clone(),
            note: (kind == "introduced-by").then(|| {
                format!(
                    "at {}",
                    rng.pick(&["RustConf", "a dinner", "Web Summit", "a podcast"])
                )
            }),
        });
    }

    // 1,500 interactions over two years, denser recently; colleagues often together.
    let channels = [
        Channel::Email,
        Channel::Email,
        Channel::Call,
        Channel::Call,
        Channel::Meeting,
        Channel::Video,
        Channel::Message,
        Channel::Social,
        Channel::Note,
        Channel::Letter,
    ];
    for n in 0..1500 {
        let x = (rng.next() % 10_000) as f64 / 10_000.0;
        let days = (x * x * 728.0) as i64 + 1;
        let minutes_ago = days * 1440 + rng.range(0, 600);
        let channel = *rng.pick(&channels);
        let first = if n % 3 == 0 {
            rng.below(40) // a core of active relationships
        } else {
            rng.below(set.contacts.len())
        };
        let mut with = vec![set.contacts[first].key.clone()];
        if channel == Channel::Meeting && rng.chance(40) {
            let org = set.contacts[first].organization.clone();
            if let Some(other) = set
                .contacts
                .iter()
                .find(|c| c.key != with[0] && c.organization == org && org.is_some())
            {
                with.push(other.key.clone());
            }
        }
        let direction = match channel {
            Channel::Note => None,
            _ if rng.chance(50) => Some(Direction::Out),
            _ => Some(Direction::In),
        };
        let body = rng.chance(20).then(|| {
            format!(
                "- {}\n- {}\n- next: {}",
                rng.pick(OUTCOMES),
                rng.pick(TOPICS),
                rng.pick(FOLLOW_UPS).to_lowercase()
            )
        });
        set.interactions.push(DemoInteraction {
            minutes_ago,
            channel,
            direction,
            summary: summary(&mut rng, channel),
            body,
            with,
        });
    }

    // Follow-ups: overdue, due today, upcoming, and some done.
    for i in 0..70 {
        let who = if i < 30 {
            rng.below(40)
        } else {
            rng.below(set.contacts.len())
        };
        let due_in_days = match i % 7 {
            0 | 1 => rng.range(-20, -1),
            2 => 0,
            3 | 4 => rng.range(1, 7),
            _ => rng.range(8, 60),
        };
        let done_days_ago = (i % 5 == 4).then(|| rng.range(1, 30));
        set.follow_ups.push(DemoFollowUp {
            contact: Some(set.contacts[who].key.clone()),
            organization: None,
            text: rng.pick(FOLLOW_UPS).to_string(),
            due_in_days,
            every: (i % 11 == 0).then(|| "1m".to_string()),
            done_days_ago,
        });
    }
    for (i, (org, _, _)) in ORGS.iter().enumerate().step_by(6) {
        set.follow_ups.push(DemoFollowUp {
            contact: None,
            organization: Some(org.to_string()),
            text: "Contract renewal".into(),
            due_in_days: 10 + i as i64 * 3,
            every: Some("1y".into()),
            done_days_ago: None,
        });
    }

    let dir = tempfile::tempdir().expect("scratch directory");
    let mut store =
        Store::open(&dir.path().join("demo.db"), OpenMode::CreateIfMissing).expect("scratch db");
    let clock = Clock::fixed(kith::demo::anchor());
    load(&mut store, &set, clock).expect("demo data loads");
    // Stable UIDs, numbered by table and id, so the output is the same on every run.
    store
        .conn()
        .execute_batch(
            "UPDATE organizations SET uid = printf('00000000-0000-4000-8001-%012d', id);
             UPDATE contacts SET uid = printf('00000000-0000-4000-8002-%012d', id);
             UPDATE interactions SET uid = printf('00000000-0000-4000-8003-%012d', id);
             UPDATE reminders SET uid = printf('00000000-0000-4000-8004-%012d', id);",
        )
        .expect("number uids");
    let doc = kith::store::snapshot::document(store.conn()).expect("export");
    let text = kith::formats::json::write_jsonl(&doc).expect("jsonl");
    print!("{text}");
}
