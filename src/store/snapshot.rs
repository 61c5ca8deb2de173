//! The whole database read in a handful of queries: for export (as kith's JSON document) and
//! for the importer, which matches incoming records against everything at once instead of
//! asking the database once per record.

use std::collections::HashMap;

use rusqlite::Connection;

use super::contacts::{Archived, ContactFilter};
use super::{parse_opt_ts, parse_ts};
use crate::error::Result;
use crate::formats::json::{
    CompletionRecord, ContactRecord, Document, FORMAT_VERSION, InteractionRecord,
    OrganizationRecord, RelationshipRecord, ReminderRecord, TagCadenceRecord, YearlyDateRecord,
};
use crate::model::{Contact, ContactFields, FieldKind, Labeled, fold};

/// Every contact (archived too), with its unmodelled properties.
pub fn contacts_with_extras(conn: &Connection) -> Result<Vec<(Contact, Vec<String>)>> {
    let filter = ContactFilter {
        archived: Archived::Include,
        ..ContactFilter::default()
    };
    let contacts = super::contacts::list(conn, &filter)?;
    let mut extras = super::extras::all(conn)?;
    Ok(contacts
        .into_iter()
        .map(|c| {
            let e = extras.remove(&c.id).unwrap_or_default();
            (c, e)
        })
        .collect())
}

/// Everything, as kith's JSON document, in an order that depends only on the data.
pub fn document(conn: &Connection) -> Result<Document> {
    let mut organizations: Vec<(String, OrganizationRecord)> =
        super::organizations::list(conn, true, None)?
            .into_iter()
            .map(|o| {
                (
                    fold(&o.name),
                    OrganizationRecord {
                        uid: Some(o.uid),
                        name: o.name,
                        domain: o.domain,
                        notes: o.notes,
                        tags: o.tags,
                        cadence: o.cadence.map(|c| c.to_string()),
                        created_at: Some(o.created_at),
                        updated_at: Some(o.updated_at),
                        archived_at: o.archived_at,
                        warnings: Vec::new(),
                    },
                )
            })
            .collect();
    organizations.sort_by(|a, b| (&a.0, &a.1.uid).cmp(&(&b.0, &b.1.uid)));

    let mut contacts: Vec<(String, ContactRecord)> = contacts_with_extras(conn)?
        .into_iter()
        .map(|(c, extras)| {
            (
                fold(&c.fields.display_name),
                ContactRecord::from_contact(
                    &c.uid,
                    &c.fields,
                    &extras,
                    c.created_at,
                    c.updated_at,
                    c.archived_at,
                ),
            )
        })
        .collect();
    contacts.sort_by(|a, b| (&a.0, &a.1.uid).cmp(&(&b.0, &b.1.uid)));

    let mut document = Document {
        kith_format: FORMAT_VERSION,
        organizations: organizations.into_iter().map(|(_, o)| o).collect(),
        contacts: contacts.into_iter().map(|(_, c)| c).collect(),
        yearly_dates: yearly_dates(conn)?,
        relationships: relationships(conn)?,
        interactions: interactions(conn)?,
        reminders: reminders(conn)?,
        tag_cadences: tag_cadences(conn)?,
        me_addresses: super::capture_backup::me_addresses(conn)?,
        capture_batches: super::capture_backup::batches(conn)?,
    };
    document.kith_format = document.version_needed();
    Ok(document)
}

/// Every yearly date, as stored (a date kith cannot read is still backed up as it is).
pub fn yearly_dates(conn: &Connection) -> Result<Vec<YearlyDateRecord>> {
    let mut stmt = conn.prepare(
        "SELECT c.uid, d.label, d.date FROM contact_dates d JOIN contacts c ON c.id = d.contact_id
          ORDER BY c.uid, d.label",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(YearlyDateRecord {
            contact: r.get(0)?,
            label: r.get(1)?,
            date: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every tag cadence, as stored, by tag.
pub fn tag_cadences(conn: &Connection) -> Result<Vec<TagCadenceRecord>> {
    let mut stmt =
        conn.prepare("SELECT tag, cadence, updated_at FROM tag_cadences ORDER BY tag")?;
    let rows = stmt.query_map([], |r| {
        Ok(TagCadenceRecord {
            tag: r.get(0)?,
            cadence: r.get(1)?,
            updated_at: Some(parse_ts(&r.get::<_, String>(2)?)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn relationships(conn: &Connection) -> Result<Vec<RelationshipRecord>> {
    let mut stmt = conn.prepare(
        "SELECT a.uid, r.kind, b.uid, r.note, r.created_at FROM relationships r
           JOIN contacts a ON a.id = r.from_contact_id JOIN contacts b ON b.id = r.to_contact_id
          ORDER BY a.uid, r.kind, b.uid",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(RelationshipRecord {
            from: r.get(0)?,
            kind: r.get(1)?,
            to: r.get(2)?,
            note: r.get(3)?,
            created_at: Some(parse_ts(&r.get::<_, String>(4)?)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn interactions(conn: &Connection) -> Result<Vec<InteractionRecord>> {
    let mut participants: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT p.interaction_id, c.uid FROM interaction_participants p
           JOIN contacts c ON c.id = p.contact_id ORDER BY p.interaction_id, c.uid",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        participants.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    let mut stmt = conn.prepare(
        "SELECT i.id, i.uid, i.occurred_at, i.channel, i.direction, i.summary, i.body,
                i.created_at, i.updated_at, o.name
           FROM interactions i LEFT JOIN organizations o ON o.id = i.organization_id
          ORDER BY i.occurred_at, i.uid",
    )?;
    let rows = stmt.query_map([], |r| {
        let id: i64 = r.get(0)?;
        Ok(InteractionRecord {
            uid: Some(r.get(1)?),
            occurred_at: parse_ts(&r.get::<_, String>(2)?)?,
            channel: r.get(3)?,
            direction: r.get(4)?,
            summary: r.get(5)?,
            body: r.get(6)?,
            participants: participants.remove(&id).unwrap_or_default(),
            organization: r.get(9)?,
            created_at: Some(parse_ts(&r.get::<_, String>(7)?)?),
            updated_at: Some(parse_ts(&r.get::<_, String>(8)?)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn reminders(conn: &Connection) -> Result<Vec<ReminderRecord>> {
    let mut completions: HashMap<i64, Vec<CompletionRecord>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT rc.reminder_id, rc.due, rc.done_at, i.uid FROM reminder_completions rc
           LEFT JOIN interactions i ON i.id = rc.interaction_id
          ORDER BY rc.reminder_id, rc.done_at, rc.due, i.uid",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        completions
            .entry(r.get(0)?)
            .or_default()
            .push(CompletionRecord {
                due: r.get(1)?,
                done_at: parse_ts(&r.get::<_, String>(2)?)?,
                interaction: r.get(3)?,
            });
    }
    let mut stmt = conn.prepare(
        "SELECT r.id, r.uid, r.text, r.due, r.recurrence, r.snoozed_until, r.done_at,
                c.uid, o.name, i.uid, r.created_at, r.updated_at, r.recur_from, r.recur_anchor
           FROM reminders r
           LEFT JOIN contacts c ON c.id = r.contact_id
           LEFT JOIN organizations o ON o.id = r.organization_id
           LEFT JOIN interactions i ON i.id = r.interaction_id
          ORDER BY r.due, r.uid",
    )?;
    let rows = stmt.query_map([], |r| {
        let id: i64 = r.get(0)?;
        Ok(ReminderRecord {
            uid: Some(r.get(1)?),
            text: r.get(2)?,
            due: r.get(3)?,
            recurrence: r.get(4)?,
            recur_from: r.get(12)?,
            recur_anchor: r.get(13)?,
            snoozed_until: r.get(5)?,
            done_at: parse_opt_ts(r.get(6)?)?,
            contact: r.get(7)?,
            organization: r.get(8)?,
            interaction: r.get(9)?,
            completions: completions.remove(&id).unwrap_or_default(),
            created_at: Some(parse_ts(&r.get::<_, String>(10)?)?),
            updated_at: Some(parse_ts(&r.get::<_, String>(11)?)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every organization as its JSON record, by id.
pub fn document_organizations(conn: &Connection) -> Result<HashMap<i64, OrganizationRecord>> {
    Ok(super::organizations::list(conn, true, None)?
        .into_iter()
        .map(|o| {
            (
                o.id,
                OrganizationRecord {
                    uid: Some(o.uid),
                    name: o.name,
                    domain: o.domain,
                    notes: o.notes,
                    tags: o.tags,
                    cadence: o.cadence.map(|c| c.to_string()),
                    created_at: Some(o.created_at),
                    updated_at: Some(o.updated_at),
                    archived_at: o.archived_at,
                    warnings: Vec::new(),
                },
            )
        })
        .collect())
}

/// Every interaction as its JSON record (without times), by UID.
pub fn interactions_by_uid(conn: &Connection) -> Result<HashMap<String, InteractionRecord>> {
    Ok(interactions(conn)?
        .into_iter()
        .filter_map(|i| {
            let uid = i.uid.clone()?;
            Some((
                uid,
                InteractionRecord {
                    created_at: None,
                    updated_at: None,
                    ..i
                },
            ))
        })
        .collect())
}

/// Every follow-up as its JSON record (without times), by UID.
pub fn reminders_by_uid(conn: &Connection) -> Result<HashMap<String, ReminderRecord>> {
    Ok(reminders(conn)?
        .into_iter()
        .filter_map(|r| {
            let uid = r.uid.clone()?;
            Some((
                uid,
                ReminderRecord {
                    created_at: None,
                    updated_at: None,
                    ..r
                },
            ))
        })
        .collect())
}

/// Called with a contact's id, UID, fields and kept properties.
pub type ContactVisitor<'f> = dyn FnMut(i64, &str, &ContactFields, &[String]) + 'f;

/// Every contact (archived too): its id, UID and fields as [`super::contacts::get`] reads
/// them, with its unmodelled properties. What an import matches incoming records against.
///
/// One pass over each table in key order, joined here by contact id, rather than pages of
/// contacts through `contacts::list`, whose sorts by name, id lists and last interactions
/// cost a re-import of 100k contacts two seconds before its first record.
pub fn each_contact(conn: &Connection, f: &mut ContactVisitor<'_>) -> Result<()> {
    let mut contacts = conn.prepare(&format!(
        "SELECT {} FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id
          ORDER BY c.id",
        super::contacts::FIELD_COLUMNS
    ))?;
    let mut details = conn.prepare(
        "SELECT contact_id, kind, label, value FROM contact_details
          ORDER BY contact_id, kind, position",
    )?;
    let mut tags = conn.prepare(
        "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
          ORDER BY ct.contact_id, t.name",
    )?;
    let mut extras =
        conn.prepare("SELECT contact_id, properties FROM contact_extras ORDER BY contact_id")?;
    let mut details = Merged::new(details.query([])?, |r| {
        Ok((r.get::<_, String>(1)?, r.get(2)?, r.get(3)?))
    })?;
    let mut tags = Merged::new(tags.query([])?, |r| r.get::<_, String>(1))?;
    let mut extras = Merged::new(extras.query([])?, |r| r.get::<_, String>(1))?;
    let mut rows = contacts.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let uid: String = r.get(1)?;
        let mut fields = super::contacts::fields_of_row(r)?;
        details.take_for(id, |(kind, label, value)| {
            if let Some(kind) = FieldKind::parse(&kind) {
                fields.labeled_mut(kind).push(Labeled { label, value });
            }
            Ok(())
        })?;
        tags.take_for(id, |name| {
            fields.tags.push(name);
            Ok(())
        })?;
        let mut kept = Vec::new();
        extras.take_for(id, |json| {
            kept = super::extras::decode(id, &json)?;
            Ok(())
        })?;
        f(id, &uid, &fields, &kept);
    }
    Ok(())
}

/// The rows of a query in contact id order (the id in column 0), handed out contact by
/// contact as [`each_contact`] goes through them.
struct Merged<'s, T> {
    rows: rusqlite::Rows<'s>,
    read: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    /// The row read ahead, with its contact id; None once all are taken.
    next: Option<(i64, T)>,
}

impl<'s, T> Merged<'s, T> {
    fn new(
        rows: rusqlite::Rows<'s>,
        read: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Merged<'s, T>> {
        let mut merged = Merged {
            rows,
            read,
            next: None,
        };
        merged.advance()?;
        Ok(merged)
    }

    fn advance(&mut self) -> Result<()> {
        self.next = match self.rows.next()? {
            Some(r) => Some((r.get(0)?, (self.read)(r)?)),
            None => None,
        };
        Ok(())
    }

    /// Hand each row of contact `id` to `f`, in order. Rows of lower ids (which belong to
    /// no contact) are passed over.
    fn take_for(&mut self, id: i64, mut f: impl FnMut(T) -> Result<()>) -> Result<()> {
        while self.next.as_ref().is_some_and(|(row_id, _)| *row_id <= id) {
            let taken = self.next.take();
            self.advance()?;
            if let Some((row_id, value)) = taken
                && row_id == id
            {
                f(value)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::import::{Options, Source};
    use crate::store::{OpenMode, Store};

    /// What an import matches against is each contact exactly as the rest of kith reads it:
    /// fields, details in order, tags by name, kept properties, archived ones too.
    #[test]
    fn each_contact_reads_every_contact_as_get_does() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
        let cards = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n\
            ORG:Analytical;Engines\r\nTITLE:Countess\r\nBDAY:1815-12-10\r\nNOTE:first\\, programmer\r\n\
            EMAIL;TYPE=WORK:ada@example.com\r\nEMAIL;TYPE=HOME:ada@home.example\r\n\
            TEL;TYPE=CELL:+44 20 7946 0958\r\nADR;TYPE=HOME:;;1 St James's Square;London;;SW1Y 4JH;UK\r\n\
            URL:https://example.com/ada\r\nCATEGORIES:zeta,alpha,math\r\nX-SOURCE:test\r\n\
            GEO:51.5;-0.12\r\nEND:VCARD\r\n\
            BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b\r\nFN:Bare Name\r\nEND:VCARD\r\n\
            BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c\r\nFN:Grace Hopper\r\nTEL:555 0100\r\n\
            CATEGORIES:navy\r\nEND:VCARD\r\n";
        let records = crate::formats::read(
            crate::formats::sniff::ImportFormat::Vcard,
            cards.as_bytes().to_vec(),
            &crate::formats::ReadOptions { csv_map: vec![] },
        )
        .unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
        let sources = vec![Source {
            name: "x.vcf".into(),
            records,
        }];
        crate::app::import::run(&mut store, sources, &Options::default(), now, &mut |_| {})
            .unwrap();
        store
            .write(|tx| {
                tx.execute(
                    "UPDATE contacts SET archived_at = ?1 WHERE uid = 'c'",
                    [crate::store::ts(now)],
                )?;
                Ok(())
            })
            .unwrap();

        let mut seen = Vec::new();
        super::each_contact(store.conn(), &mut |id, uid, fields, extras| {
            seen.push((id, uid.to_string(), fields.clone(), extras.to_vec()));
        })
        .unwrap();
        assert_eq!(seen.len(), 3);
        for (id, uid, fields, extras) in seen {
            let stored = crate::store::contacts::get(store.conn(), id).unwrap();
            assert_eq!(uid, stored.uid);
            assert_eq!(fields, stored.fields, "{uid}");
            assert_eq!(extras, crate::store::extras::of(store.conn(), id).unwrap());
        }
        let ada = crate::store::contacts::get(store.conn(), 1).unwrap().fields;
        assert_eq!(ada.tags, ["alpha", "math", "zeta"]);
        assert_eq!(ada.emails.len(), 2);
        assert!(ada.birthday.is_some() && ada.addresses.len() == 1 && ada.urls.len() == 1);
    }
}
