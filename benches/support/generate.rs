//! The deterministic address-book generator shared by `examples/gen.rs` and the benches.
//! Names mix languages and diacritics (Jürgen Müller, Zoë Ångström, Łukasz Wójcik...), with
//! organizations, titles, emails, phones, tags, notes, cadences, follow-ups and
//! relationships. Everything goes in one transaction with prepared statements.
#![allow(dead_code)]

use std::path::Path;

use chrono::{DateTime, Duration, TimeZone, Utc};
use kith::model::{fold, phone_key};
use kith::store::{OpenMode, Store, WriteTx};
use rusqlite::config::DbConfig;
use rusqlite::params;

const FIRST: &[&str] = &[
    "Ada",
    "Jürgen",
    "Zoë",
    "Łukasz",
    "Søren",
    "José",
    "François",
    "Ngozi",
    "Aiko",
    "Mateo",
    "Chloé",
    "Björn",
    "Ana",
    "Émile",
    "Priya",
    "Oluwaseun",
    "Grace",
    "Hannah",
    "İlkay",
    "Małgorzata",
    "Nikolaj",
    "Inès",
    "Yusuf",
    "Ren",
    "Siobhán",
    "Tomás",
    "Dagný",
    "Wei",
    "Kateřina",
    "Rafael",
    "Amélie",
    "Henrik",
    "Fatima",
    "Olga",
    "Pedro",
    "Sinéad",
    "Kwame",
    "Leilani",
    "Dmitri",
    "Maëlle",
    "Jörg",
    "Agnieszka",
    "Hiroshi",
    "Lucía",
    "Tariq",
    "Ingrid",
    "Noémie",
    "Andrés",
    "Elif",
    "Rosa",
    "Gustav",
    "Åsa",
    "Mikael",
    "Beatriz",
    "Chidi",
    "Yara",
    "Stéphane",
    "Linnea",
    "Bartosz",
    "Zsófia",
    "Anders",
    "Camille",
    "Darius",
    "Eleni",
    "Farah",
    "Giulia",
    "Håkon",
    "Isabel",
    "Jonas",
    "Kenji",
    "Lena",
    "Marco",
    "Nadia",
    "Oskar",
    "Paula",
    "Quentin",
    "Renée",
    "Samir",
    "Thea",
    "Ulrich",
    "Valentina",
    "Wojciech",
    "Ximena",
    "Youssef",
    "Zainab",
    "Adrián",
    "Brigitte",
    "Cédric",
    "Dörte",
    "Eamon",
    "Frédéric",
    "Gökhan",
    "Helga",
    "Iñigo",
    "Jana",
    "Klára",
    "Luboš",
    "Mónica",
    "Nils",
    "Orsolya",
    "Pål",
    "Raphaël",
    "Sigrún",
    "Teodor",
    "Uxía",
    "Viktória",
    "Wiebke",
    "Xavier",
    "Yvonne",
];

const LAST: &[&str] = &[
    "Müller",
    "Lovelace",
    "Ångström",
    "Wójcik",
    "Kierkegaard",
    "García",
    "Dubois",
    "Okafor",
    "Tanaka",
    "Fernández",
    "Lefèvre",
    "Björklund",
    "Santos",
    "Zola",
    "Patel",
    "Adeyemi",
    "Hopper",
    "Schmidt",
    "Yılmaz",
    "Kowalska",
    "Jørgensen",
    "Moreau",
    "Demir",
    "Nakamura",
    "Ní Bhriain",
    "Ó Súilleabháin",
    "Guðmundsdóttir",
    "Chen",
    "Dvořáková",
    "Oliveira",
    "Rousseau",
    "Lindqvist",
    "Haddad",
    "Ivanova",
    "Pereira",
    "Mac Giolla",
    "Mensah",
    "Kahale",
    "Sokolov",
    "Le Goff",
    "Weiß",
    "Nowak",
    "Yamamoto",
    "Martínez",
    "Rahman",
    "Halvorsen",
    "Girard",
    "Núñez",
    "Aydın",
    "Rossi",
    "Lindgren",
    "Ekström",
    "Virtanen",
    "Costa",
    "Eze",
    "Haddadi",
    "Mercier",
    "Nyström",
    "Zieliński",
    "Horváth",
    "Andersen",
    "Bernard",
    "Cohen",
    "Dimitriou",
    "Esposito",
    "Fischer",
    "Gallagher",
    "Hansen",
    "Ibrahim",
    "Jansen",
    "Kovačević",
    "Lambert",
    "Meyer",
    "Novák",
    "O'Connor",
    "Petrović",
    "Quispe",
    "Richter",
    "Schäfer",
    "Thompson",
    "Urbanek",
    "Vogel",
    "Wagner",
    "Xu",
    "Young",
    "Zimmermann",
    "Abadi",
    "Bauer",
    "Caron",
    "Dahl",
    "Eriksson",
    "Fontaine",
    "Grünewald",
    "Hoffmann",
    "Iversen",
    "Jovanović",
    "Keller",
    "Larsen",
    "Mäkinen",
    "Nielsen",
    "Olsen",
    "Pohl",
    "Quintero",
    "Rasmussen",
    "Sørensen",
    "Takahashi",
    "Ulloa",
    "Vásquez",
    "Weber",
    "Ximénez",
    "Yoshida",
    "Zapata",
    "Åberg",
    "Böhm",
    "Čapek",
    "Đorđević",
    "Søndergaard",
    "Łapiński",
    "Pérez",
    "Brandt",
    "Křížek",
    "Ferreira",
    "Mikkelsen",
    "Sauer",
];

const ORG_A: &[&str] = &[
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Acme",
    "Vandelay",
    "Stark",
    "Wayne",
    "Soylent",
    "Cyberdyne",
    "Tyrell",
    "Wonka",
    "Massive",
    "Dunder",
    "Aperture",
    "Black Mesa",
    "Nordlys",
    "Møller",
    "Société Générale de Café",
    "Zürcher",
    "Ibérica",
    "Baltic",
    "Sakura",
    "Kilimanjaro",
    "Andes",
    "Fjord",
    "Pampas",
    "Danube",
    "Atlas",
    "Orion",
];
const ORG_B: &[&str] = &[
    "Corp",
    "Labs",
    "GmbH",
    "AB",
    "SA",
    "Ltd",
    "Partners",
    "Group",
    "Studio",
    "Systems",
    "Logistics",
    "Analytics",
    "Foods",
    "Energy",
    "Media",
];
const TITLES: &[&str] = &[
    "CTO",
    "CEO",
    "Head of Sales",
    "Engineer",
    "Product Manager",
    "Designer",
    "Recruiter",
    "Account Executive",
    "Founder",
    "Director of Operations",
    "Researcher",
    "Consultant",
    "VP Engineering",
    "Office Manager",
    "Data Scientist",
    "Legal Counsel",
];
const TAGS: &[&str] = &[
    "client",
    "prospect",
    "friend",
    "family",
    "investor",
    "press",
    "vendor",
    "mentor",
    "alumni",
    "conference",
    "vip",
    "partner",
    "candidate",
    "neighbour",
    "book-club",
    "climbing",
];
const SUMMARIES: &[&str] = &[
    "Budget approved; wants a proposal by Friday",
    "Intro call about the renewal",
    "Coffee, talked about hiring plans",
    "Sent the contract draft",
    "Quarterly check-in, all good",
    "Demo of the new dashboard",
    "Asked about pricing for the enterprise tier",
    "Lunch near the office; kids starting school",
    "Follow-up on the invoice",
    "Conference chat about Rust and SQLite",
    "Reference check for a candidate",
    "Birthday wishes",
];
const NOTES: &[&str] = &[
    "Prefers mornings. Vegetarian.",
    "Met at RustConf; interested in local-first software.",
    "Two kids, loves climbing and sourdough.",
    "Decision maker for the procurement budget.",
    "Speaks Portuguese and German.",
    "Introduced us to their CFO last spring.",
];
const CHANNELS: &[&str] = &["call", "email", "meeting", "video", "message"];

/// splitmix64: small, fast, and the same everywhere.
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
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The fixed "now" of generated data, so relative dates in briefs are reproducible.
pub fn epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A name: first and last, sometimes with a middle name.
fn name_of(rng: &mut Rng) -> String {
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    // A middle name now and then keeps names from colliding too often at 100k.
    if rng.chance(35) {
        let middle = rng.pick(FIRST);
        format!("{first} {middle} {last}")
    } else {
        format!("{first} {last}")
    }
}

fn ascii_handle(s: &str) -> String {
    fold(s)
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            ' ' | '-' | '\'' => Some('.'),
            _ => None,
        })
        .collect()
}

/// Write `contacts` contacts with `interactions` interactions each into a new database.
///
/// It writes as a first import does (`kith::store::deferred`): through a rollback journal
/// rather than the WAL, in one transaction, with triggers off and the unordered indexes
/// dropped, then derives once, set-wise, what the triggers would have derived row by row
/// (search rows and chunks, the full-text indexes, each contact's last contact and touches)
/// and builds the indexes again. Row by row, a million contacts took over half an hour; the book is
/// the same either way. A schema with a trigger this does not know is written with
/// triggers on, slowly but right.
pub fn generate(
    db: &Path,
    contacts: usize,
    interactions: usize,
    seed: u64,
) -> Result<(), Box<dyn std::error::Error>> {
    let plan = Plan {
        contacts,
        interactions,
    };
    let mut store = Store::open(db, OpenMode::CreateIfMissing)?;
    // A big page cache keeps the random-order index inserts (dates, FTS) in memory.
    store.conn().execute_batch("PRAGMA cache_size = -400000")?;
    let deferrable = kith::store::deferred::unreplayed_triggers(store.conn())?.is_empty();
    store.bulk_write_or_roll_back(|tx| {
        let deferred = if deferrable {
            Some(Deferred::begin(tx)?)
        } else {
            None
        };
        let last_contacts = write_rows(tx, &plan, seed)?;
        if let Some(deferred) = deferred {
            deferred.finish(tx, &last_contacts)?;
        }
        Ok(((), true))
    })?;
    Ok(())
}

/// The tables [`write_rows`] fills.
const WRITTEN_TABLES: &[&str] = &[
    "organizations",
    "tags",
    "contacts",
    "contact_details",
    "contact_tags",
    "interactions",
    "interaction_participants",
    "reminders",
    "relationships",
];

/// Triggers off and the non-unique indexes of [`WRITTEN_TABLES`] dropped, until [`Deferred::finish`].
struct Deferred<'c> {
    conn: &'c rusqlite::Connection,
    /// The definitions of the indexes dropped.
    dropped: Vec<String>,
}

impl<'c> Deferred<'c> {
    fn begin(conn: &'c rusqlite::Connection) -> kith::error::Result<Deferred<'c>> {
        let mut indexes: Vec<(String, String)> = Vec::new();
        {
            let mut stmt = conn.prepare(
                "SELECT name, tbl_name, sql FROM sqlite_master
                  WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let table: String = r.get(1)?;
                if WRITTEN_TABLES.contains(&table.as_str()) {
                    indexes.push((r.get(0)?, r.get(2)?));
                }
            }
        }
        for (name, _) in &indexes {
            conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
        }
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
        Ok(Deferred {
            conn,
            dropped: indexes.into_iter().map(|(_, sql)| sql).collect(),
        })
    }

    /// What the triggers would have done for every row written, then the indexes again.
    /// `last_contacts[id]` is contact `id`'s latest interaction.
    fn finish(
        self,
        tx: &WriteTx<'_>,
        last_contacts: &[Option<DateTime<Utc>>],
    ) -> kith::error::Result<()> {
        {
            let mut update =
                tx.prepare("UPDATE contacts SET last_contact_at = ?2 WHERE id = ?1")?;
            for (id, at) in last_contacts.iter().enumerate() {
                if let Some(at) = at {
                    update.execute(params![id as i64, kith::store::ts(*at)])?;
                }
            }
        }
        tx.execute_batch(
            "INSERT INTO contact_search SELECT * FROM contact_search_source;
             INSERT INTO search_chunks (chunk, stale)
             SELECT DISTINCT contact_id >> 8, 1 FROM contact_search;
             INSERT INTO contact_notes_fts (rowid, notes) SELECT id, notes FROM contacts;
             INSERT INTO interactions_fts (rowid, summary, body)
             SELECT id, summary, body FROM interactions;",
        )?;
        for sql in &self.dropped {
            tx.execute_batch(sql)?;
        }
        // Each contact's touches (migration 0015), as its triggers would have left them;
        // after the indexes, whose walk gives their order.
        kith::store::contact_touches::rebuild_all(tx)?;
        // Each organization's people (migration 0017), with those touches.
        kith::store::organization_people::rebuild_all(tx)?;
        kith::store::organization_follow_ups::rebuild_all(tx)?;
        Ok(())
    }
}

impl Drop for Deferred<'_> {
    fn drop(&mut self) {
        let _ = self
            .conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true);
    }
}

/// Write every row of the book in `tx`; returns each contact's latest interaction, by id.
fn write_rows(
    tx: &WriteTx<'_>,
    args: &Plan,
    seed: u64,
) -> kith::error::Result<Vec<Option<DateTime<Utc>>>> {
    let mut rng = Rng(seed);
    let now = epoch();
    let stamp = kith::store::ts(now);
    let uid = |kind: u8, n: usize| format!("00000000-0000-4000-{kind:04x}-{n:012x}");
    let mut last_contacts: Vec<Option<DateTime<Utc>>> = vec![None; args.contacts + 1];
    let mut met = |id: i64, at: DateTime<Utc>| {
        let slot = &mut last_contacts[id as usize];
        if slot.is_none_or(|last| last < at) {
            *slot = Some(at);
        }
    };
    let org_count = (args.contacts / 50).clamp(1, ORG_A.len() * ORG_B.len());
    let mut orgs = Vec::with_capacity(org_count);
    {
        let mut insert = tx.prepare(
            "INSERT INTO organizations (uid, name, name_key, domain, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        )?;
        for n in 0..org_count {
            let name = format!("{} {}", ORG_A[n % ORG_A.len()], ORG_B[n / ORG_A.len()]);
            let domain = format!("{}.example", ascii_handle(ORG_A[n % ORG_A.len()]));
            insert.execute(params![uid(1, n), name, fold(&name), domain, stamp])?;
            orgs.push((tx.last_insert_rowid(), domain));
        }
    }
    let mut tag_ids = Vec::new();
    {
        let mut insert = tx.prepare("INSERT INTO tags (name) VALUES (?1)")?;
        for t in TAGS {
            insert.execute([t])?;
            tag_ids.push(tx.last_insert_rowid());
        }
    }
    let mut contact = tx.prepare(
        "INSERT INTO contacts (uid, display_name, name_key, given_name, family_name, nickname,
            organization_id, title, preferred_channel, cadence, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?;
    let mut detail = tx.prepare(
        "INSERT INTO contact_details (contact_id, kind, label, value, match_key, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut tag =
        tx.prepare("INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (?1, ?2)")?;
    let mut interaction = tx.prepare(
        "INSERT INTO interactions (uid, occurred_at, channel, direction, summary, body, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?;
    let mut participant = tx.prepare(
        "INSERT INTO interaction_participants (interaction_id, contact_id) VALUES (?1, ?2)",
    )?;
    let mut reminder = tx.prepare(
        "INSERT INTO reminders (uid, contact_id, text, due, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )?;
    let mut link = tx.prepare(
        "INSERT OR IGNORE INTO relationships (from_contact_id, to_contact_id, kind, created_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut interaction_n = 0;
    for n in 0..args.contacts {
        let name = name_of(&mut rng);
        let (first, last) = match name.split_once(' ') {
            Some((f, l)) => (f.to_string(), l.rsplit(' ').next().unwrap_or(l).to_string()),
            None => (name.clone(), String::new()),
        };
        let nickname = rng
            .chance(8)
            .then(|| first.chars().take(3).collect::<String>());
        let (org_id, domain) = if rng.chance(80) {
            let (id, d) = &orgs[rng.below(orgs.len())];
            (Some(*id), d.clone())
        } else {
            (None, "mail.example".to_string())
        };
        let title = org_id.and_then(|_| rng.chance(70).then(|| rng.pick(TITLES)));
        let channel = rng.chance(50).then(|| rng.pick(CHANNELS));
        let cadence = rng
            .chance(30)
            .then(|| ["2w", "1m", "3m", "6m"][rng.below(4)]);
        let notes = rng.chance(40).then(|| rng.pick(NOTES));
        contact.execute(params![
            uid(2, n),
            name,
            fold(&name),
            first,
            last,
            nickname,
            org_id,
            title,
            channel,
            cadence,
            notes,
            stamp
        ])?;
        let id = tx.last_insert_rowid();
        let email = format!(
            "{}.{}{}@{domain}",
            ascii_handle(&first),
            ascii_handle(&last),
            n % 100
        );
        detail.execute(params![id, "email", "work", email, email.to_lowercase(), 0])?;
        if rng.chance(60) {
            let phone = format!(
                "+{} {:03} {:03} {:04}",
                1 + rng.below(60),
                rng.below(1000),
                rng.below(1000),
                rng.below(10000)
            );
            detail.execute(params![id, "phone", "mobile", phone, phone_key(&phone), 0])?;
        }
        for _ in 0..rng.below(3) {
            tag.execute(params![id, tag_ids[rng.below(tag_ids.len())]])?;
        }
        for k in 0..args.interactions {
            let days_ago = (rng.below(720) + k) as i64;
            let at = now - Duration::days(days_ago) - Duration::minutes(rng.below(600) as i64);
            let summary = rng.pick(SUMMARIES);
            let body = rng
                .chance(30)
                .then(|| format!("{summary}. {}", rng.pick(NOTES)));
            interaction.execute(params![
                uid(3, interaction_n),
                kith::store::ts(at),
                rng.pick(CHANNELS),
                if rng.chance(50) { "in" } else { "out" },
                summary,
                body,
                stamp
            ])?;
            interaction_n += 1;
            let iid = tx.last_insert_rowid();
            participant.execute(params![iid, id])?;
            met(id, at);
            // Now and then a colleague joins, so org timelines merge people.
            if id > 1 && rng.chance(10) {
                let colleague = 1 + rng.below(id as usize - 1) as i64;
                participant.execute(params![iid, colleague])?;
                met(colleague, at);
            }
        }
        if rng.chance(15) {
            let due = (now + Duration::days(rng.below(60) as i64 - 20))
                .format("%Y-%m-%d")
                .to_string();
            reminder.execute(params![uid(4, n), id, "Send the proposal", due, stamp])?;
        }
        if id > 1 && rng.chance(20) {
            let other = 1 + rng.below(id as usize - 1) as i64;
            let kind = ["knows", "introduced-by", "works-with"][rng.below(3)];
            link.execute(params![id, other, kind, stamp])?;
        }
    }
    Ok(last_contacts)
}

/// Make the first organization one of exactly `size` people: the first `size` contacts, and
/// anyone else who was there moves to the second organization.
pub fn one_organization_of(db: &Path, size: usize) -> Result<(), Box<dyn std::error::Error>> {
    let mut store = Store::open(db, OpenMode::MustExist)?;
    store.write(|tx| {
        let mut orgs = tx.prepare("SELECT id FROM organizations ORDER BY id LIMIT 2")?;
        let ids: Vec<i64> = orgs
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let (first, second) = (ids[0], ids.get(1).copied());
        tx.execute(
            "UPDATE contacts SET organization_id = ?2 WHERE organization_id = ?1 AND id > ?3",
            params![first, second, size as i64],
        )?;
        tx.execute(
            "UPDATE contacts SET organization_id = ?1 WHERE id <= ?2",
            params![first, size as i64],
        )?;
        Ok(())
    })?;
    Ok(())
}

struct Plan {
    contacts: usize,
    interactions: usize,
}
