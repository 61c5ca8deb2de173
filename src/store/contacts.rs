//! Contacts with their labeled details and tags, read in bulk (three queries, whatever the count).

use foldhash::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};

use super::WriteTx;
use super::bulk::borrowed::{Borrowed, Value as Bound};
use super::{organizations, parse_opt_ts, parse_ts, tags, ts};
use crate::error::{Candidate, Error, Result};
use crate::model::{
    Birthday, Channel, Contact, ContactFields, ContactRef, FieldKind, Labeled, Period, fold,
};
use crate::resolve::{Probe, Purpose, Resolution, Why};

mod lookup;
pub use lookup::{Found, lookup, resolve};

/// Which contacts a listing wants.
#[derive(Debug, Clone, Default)]
pub struct ContactFilter {
    pub tag: Option<String>,
    pub organization_id: Option<i64>,
    pub archived: Archived,
    pub ids: Option<Vec<i64>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Archived {
    #[default]
    Exclude,
    Only,
    Include,
}

impl ContactFilter {
    pub(crate) fn where_clause(&self) -> (String, Vec<Value>) {
        let mut clauses = Vec::new();
        let mut values = Vec::new();
        match self.archived {
            Archived::Exclude => clauses.push("c.archived_at IS NULL".to_string()),
            Archived::Only => clauses.push("c.archived_at IS NOT NULL".to_string()),
            Archived::Include => {}
        }
        if let Some(tag) = &self.tag {
            clauses.push(
                "c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = ?)"
                    .to_string(),
            );
            values.push(Value::Text(tag.clone()));
        }
        if let Some(org) = self.organization_id {
            clauses.push("c.organization_id = ?".to_string());
            values.push(Value::Integer(org));
        }
        if let Some(ids) = &self.ids {
            // carray is not bundled; ids lists are short (a resolution, a page of results).
            clauses.push(format!("c.id IN ({})", super::placeholders(ids.len())));
            values.extend(ids.iter().map(|&id| Value::Integer(id)));
        }
        if clauses.is_empty() {
            ("1".to_string(), values)
        } else {
            (clauses.join(" AND "), values)
        }
    }
}

/// The columns [`fields_of_row`] reads, first in a query on `contacts c` left-joined with
/// `organizations o`: id, UID, the contact's own fields, its organization's id and name.
pub(super) const FIELD_COLUMNS: &str =
    "c.id, c.uid, c.display_name, c.given_name, c.family_name, c.nickname, c.organization_id,
     o.name, c.title, c.birthday, c.preferred_channel, c.cadence, c.notes";

/// A contact's own fields (not its details or tags) from a row led by [`FIELD_COLUMNS`].
/// A stored birthday, channel or cadence kith cannot read is left out, not an error.
pub(super) fn fields_of_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ContactFields> {
    let birthday: Option<String> = r.get(9)?;
    let channel: Option<String> = r.get(10)?;
    let cadence: Option<String> = r.get(11)?;
    Ok(ContactFields {
        display_name: r.get(2)?,
        given_name: r.get(3)?,
        family_name: r.get(4)?,
        nickname: r.get(5)?,
        organization: r.get(7)?,
        title: r.get(8)?,
        birthday: birthday.and_then(|b| Birthday::parse(&b).ok()),
        preferred_channel: channel.and_then(|c| c.parse::<Channel>().ok()),
        cadence: cadence.and_then(|c| Period::parse(&c).ok()),
        notes: r.get(12)?,
        ..ContactFields::default()
    })
}

/// Load the contacts matching `filter`, ordered by name.
pub fn list(conn: &Connection, filter: &ContactFilter) -> Result<Vec<Contact>> {
    if filter.ids.as_ref().is_some_and(|ids| ids.is_empty()) {
        return Ok(Vec::new());
    }
    let (where_sql, values) = filter.where_clause();
    let sql = format!(
        "SELECT {FIELD_COLUMNS}, c.created_at, c.updated_at, c.archived_at, c.last_contact_at,
                c.name_key
           FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id
          WHERE {where_sql}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |r| {
        let contact = Contact {
            id: r.get(0)?,
            uid: r.get(1)?,
            fields: fields_of_row(r)?,
            organization_id: r.get(6)?,
            created_at: parse_ts(&r.get::<_, String>(13)?)?,
            updated_at: parse_ts(&r.get::<_, String>(14)?)?,
            archived_at: parse_opt_ts(r.get(15)?)?,
            // Kept by the triggers of migration 0011.
            last_contact_at: parse_opt_ts(r.get(16)?)?,
        };
        Ok((r.get::<_, String>(17)?, contact))
    })?;
    let keyed = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    if keyed.is_empty() {
        return Ok(Vec::new());
    }
    // By name, then id (SQL's order of the column), sorted here: SQLite would sort the
    // whole rows.
    let mut order: Vec<usize> = (0..keyed.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (&keyed[a], &keyed[b]);
        a.0.as_bytes().cmp(b.0.as_bytes()).then(a.1.id.cmp(&b.1.id))
    });
    let mut slots: Vec<Option<Contact>> = keyed.into_iter().map(|(_, c)| Some(c)).collect();
    let mut contacts: Vec<Contact> = order.iter().filter_map(|&i| slots[i].take()).collect();
    let index: HashMap<i64, usize> = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();

    let sql = format!(
        "SELECT d.contact_id, d.kind, d.label, d.value FROM contact_details d
           JOIN contacts c ON c.id = d.contact_id
          WHERE {where_sql} ORDER BY c.id, d.kind, d.position"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let kind: String = r.get(1)?;
        let (Some(&i), Some(kind)) = (index.get(&id), FieldKind::parse(&kind)) else {
            continue;
        };
        contacts[i].fields.labeled_mut(kind).push(Labeled {
            label: r.get(2)?,
            value: r.get(3)?,
        });
    }

    let sql = format!(
        "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
           JOIN contacts c ON c.id = ct.contact_id
          WHERE {where_sql} ORDER BY t.name"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if let Some(&i) = index.get(&id) {
            contacts[i].fields.tags.push(r.get(1)?);
        }
    }
    Ok(contacts)
}

/// What a line of `kith list` shows of a contact: its first email and phone, its tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedContact {
    pub id: i64,
    pub display_name: String,
    pub organization: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Sorted by name, joined with ",".
    pub tags: String,
    pub last_contact_at: Option<DateTime<Utc>>,
}

impl ListedContact {
    pub fn of(c: &Contact) -> ListedContact {
        let f = &c.fields;
        ListedContact {
            id: c.id,
            display_name: f.display_name.clone(),
            organization: f.organization.clone(),
            email: f.emails.first().map(|e| e.value.clone()),
            phone: f.phones.first().map(|p| p.value.clone()),
            tags: f.tags.join(","),
            last_contact_at: c.last_contact_at,
        }
    }
}

/// The first `limit` contacts matching `filter` in name order (as [`list`]), handed to
/// `each` one by one as they are read, so the first line of a listing is out at once; an
/// error from `each` (a closed pipe) stops the reading. One query walking the name index,
/// each contact's row, first email and phone and tags found by probes: quick for a page,
/// but several times the cost of [`listed_after`]'s scans for a whole book. How many were
/// handed over.
pub fn each_listed<E: From<Error>>(
    conn: &Connection,
    filter: &ContactFilter,
    limit: usize,
    mut each: impl FnMut(ListedContact) -> std::result::Result<(), E>,
) -> std::result::Result<usize, E> {
    if filter.ids.as_ref().is_some_and(|ids| ids.is_empty()) {
        return Ok(0);
    }
    let (where_sql, values) = filter.where_clause();
    let first = |kind: &str| {
        format!(
            "(SELECT d.value FROM contact_details d
               WHERE d.contact_id = c.id AND d.kind = '{kind}' ORDER BY d.position LIMIT 1)"
        )
    };
    let sql = format!(
        "SELECT c.id, c.display_name, o.name, {}, {},
                (SELECT group_concat(t.name, ',' ORDER BY t.name)
                   FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                  WHERE ct.contact_id = c.id),
                c.last_contact_at
           FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id
          WHERE {where_sql}
          ORDER BY c.name_key, c.id LIMIT {limit}",
        first("email"),
        first("phone"),
    );
    let read = |r: &rusqlite::Row<'_>| -> rusqlite::Result<ListedContact> {
        Ok(ListedContact {
            id: r.get(0)?,
            display_name: r.get(1)?,
            organization: r.get(2)?,
            email: r.get(3)?,
            phone: r.get(4)?,
            tags: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            last_contact_at: parse_opt_ts(r.get(6)?)?,
        })
    };
    let mut stmt = conn.prepare(&sql).map_err(Error::from)?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(values.iter()))
        .map_err(Error::from)?;
    let mut handed = 0;
    while let Some(r) = rows.next().map_err(Error::from)? {
        each(read(r).map_err(Error::from)?)?;
        handed += 1;
    }
    Ok(handed)
}

/// The contacts matching `filter` that come after contact `after` in name order (the rest
/// of a listing whose first page [`each_listed`] gave), handed to `each` in name order; an
/// error from `each` (a closed pipe) stops the walk. Read by sequential scans of the
/// contacts, their emails and phones, and their tags, and put in the order of a walk over
/// the name index alone (its pages only, a tenth of the table's): at 100k contacts a fifth
/// of the time of walking the name index to each row, and a quarter of sorting the names.
/// Holds every row read until its turn (the rows of a table scan come in id order).
pub fn listed_after<E: From<Error>>(
    conn: &Connection,
    filter: &ContactFilter,
    after: i64,
    mut each: impl FnMut(ListedContact) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let (mut listed, index) = read_listed_after(conn, filter, after)?;
    // Name order, from the name index alone: every contact after `after`, of which those
    // the filter kept are taken in turn.
    let mut stmt = conn
        .prepare(
            "SELECT id FROM contacts
              WHERE (name_key, id) > ((SELECT name_key FROM contacts WHERE id = ?1), ?1)
              ORDER BY name_key, id",
        )
        .map_err(Error::from)?;
    let mut rows = stmt.query([after]).map_err(Error::from)?;
    while let Some(r) = rows.next().map_err(Error::from)? {
        let id: i64 = r.get(0).map_err(Error::from)?;
        if let Some(c) = index.get(id).and_then(|i| listed[i].take()) {
            each(c)?;
        }
    }
    // Only a write between the reads can leave anyone out of the walk: not lost.
    for c in listed.into_iter().flatten() {
        each(c)?;
    }
    Ok(())
}

/// The rows of [`listed_after`] in id order, each with its organization, first email and
/// phone, and tags; and where each is by id.
fn read_listed_after(
    conn: &Connection,
    filter: &ContactFilter,
    after: i64,
) -> Result<(Vec<Option<ListedContact>>, Positions)> {
    let (where_sql, mut values) = filter.where_clause();
    values.push(Value::Integer(after));
    values.push(Value::Integer(after));
    // NOT INDEXED: the range on the name would otherwise walk the name index.
    let sql = format!(
        "SELECT c.id, c.display_name, c.organization_id, c.last_contact_at
           FROM contacts c NOT INDEXED
          WHERE {where_sql}
            AND (c.name_key, c.id) > ((SELECT name_key FROM contacts WHERE id = ?), ?)"
    );
    let mut stmt = conn.prepare(&sql)?;
    let listed: Vec<(ListedContact, Option<i64>)> = stmt
        .query_map(rusqlite::params_from_iter(values.iter()), |r| {
            let contact = ListedContact {
                id: r.get(0)?,
                display_name: r.get(1)?,
                organization: None,
                email: None,
                phone: None,
                tags: String::new(),
                last_contact_at: r.get_ref(3)?.as_str_or_null()?.map(parse_ts).transpose()?,
            };
            Ok((contact, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let index = Positions::of(listed.iter().map(|(c, _)| c.id));
    let organizations: HashMap<i64, String> = conn
        .prepare("SELECT id, name FROM organizations")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut listed: Vec<Option<ListedContact>> = listed
        .into_iter()
        .map(|(mut c, organization_id)| {
            c.organization = organization_id.and_then(|o| organizations.get(&o).cloned());
            Some(c)
        })
        .collect();
    // The first email and phone: the first row of each contact and kind in key order
    // (contact, kind, position), which is how the table is stored (no sort).
    let mut stmt = conn.prepare(
        "SELECT contact_id, kind = 'email', value FROM contact_details
          WHERE kind IN ('email', 'phone') ORDER BY contact_id, kind, position",
    )?;
    let mut rows = stmt.query([])?;
    let mut last: Option<(i64, bool)> = None;
    while let Some(r) = rows.next()? {
        let key: (i64, bool) = (r.get(0)?, r.get(1)?);
        if last == Some(key) {
            continue;
        }
        last = Some(key);
        let Some(c) = index.get(key.0).and_then(|i| listed[i].as_mut()) else {
            continue;
        };
        *(if key.1 { &mut c.email } else { &mut c.phone }) = Some(r.get(2)?);
    }
    let mut stmt = conn.prepare(
        "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
          ORDER BY t.name",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let Some(c) = index.get(r.get(0)?).and_then(|i| listed[i].as_mut()) else {
            continue;
        };
        let tags = &mut c.tags;
        if !tags.is_empty() {
            tags.push(',');
        }
        tags.push_str(r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?);
    }
    Ok((listed, index))
}

/// Where each of a list of contacts is, by id: a table indexed by id when ids are dense
/// (as kith makes them), a hash map otherwise. Looked up once per detail and tag of the
/// book, the table is a tenth of the time.
enum Positions {
    Dense(Vec<u32>),
    Sparse(HashMap<i64, usize>),
}

impl Positions {
    fn of(ids: impl ExactSizeIterator<Item = i64> + Clone) -> Positions {
        let n = ids.len();
        let highest = ids.clone().max().unwrap_or(0);
        match usize::try_from(highest) {
            Ok(h) if h <= 4 * n + 65_536 && ids.clone().all(|id| id >= 0) => {
                let mut at = vec![u32::MAX; h + 1];
                for (i, id) in ids.enumerate() {
                    at[id as usize] = i as u32;
                }
                Positions::Dense(at)
            }
            _ => Positions::Sparse(ids.enumerate().map(|(i, id)| (id, i)).collect()),
        }
    }

    fn get(&self, id: i64) -> Option<usize> {
        match self {
            Positions::Dense(at) => {
                let i = *at.get(usize::try_from(id).ok()?)?;
                (i != u32::MAX).then_some(i as usize)
            }
            Positions::Sparse(map) => map.get(&id).copied(),
        }
    }
}

/// One contact by id, archived or not.
pub fn get(conn: &Connection, id: i64) -> Result<Contact> {
    let filter = ContactFilter {
        ids: Some(vec![id]),
        archived: Archived::Include,
        ..ContactFilter::default()
    };
    list(conn, &filter)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::NotFound {
            what: "contact",
            query: format!("#{id}"),
        })
}

/// The highest contact id in the book (0 when it has none).
pub fn highest_id(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT coalesce(max(id), 0) FROM contacts", [], |r| {
            r.get(0)
        })?,
    )
}

/// Whether the book holds no contacts at all (archived ones count).
pub fn none_stored(conn: &Connection) -> Result<bool> {
    Ok(
        conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM contacts)", [], |r| {
            r.get(0)
        })?,
    )
}

/// Insert a validated contact; its organization is created when new.
pub fn insert(conn: &WriteTx, fields: &ContactFields, now: DateTime<Utc>) -> Result<i64> {
    insert_with_uid(conn, fields, &crate::model::new_uid(), now)
}

pub fn insert_with_uid(
    conn: &WriteTx,
    fields: &ContactFields,
    uid: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let org_id = match &fields.organization {
        Some(name) => Some(organizations::ensure_current(conn, name, now)?),
        None => None,
    };
    let stamps = super::bulk::Stamps {
        created_at: now,
        updated_at: now,
        archived_at: None,
    };
    let mut stmt = conn.prepare_cached(INSERT_ROW)?;
    let id = insert_row(
        conn,
        RowInserter::Cached(&mut stmt),
        None,
        uid,
        fields,
        None,
        org_id,
        stamps,
    )?;
    write_details(conn, id, fields)?;
    tags::set_contact_tags(conn, id, &fields.tags)?;
    Ok(id)
}

/// The statement that inserts a contact row, for [`insert_row`].
/// ?16 is the id, NULL for SQLite to number the contact.
pub(super) const INSERT_ROW: &str = "INSERT INTO contacts (uid, display_name, name_key,
        given_name, family_name, nickname, organization_id, title, birthday, preferred_channel,
        cadence, notes, created_at, updated_at, archived_at, id)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

/// What a contact's own columns are stored as that its fields hold in another form.
struct Formatted {
    birthday: Option<String>,
    cadence: Option<String>,
}

impl Formatted {
    fn of(fields: &ContactFields) -> Formatted {
        Formatted {
            birthday: fields.birthday.map(|b| b.to_string()),
            cadence: fields.cadence.map(|p| p.to_string()),
        }
    }
}

/// A contact's own columns as the INSERT and the UPDATE of a contact row both number them
/// from ?2: display name, name key, given name, family name, nickname, organization, title,
/// birthday, preferred channel, cadence and ?12 notes.
fn own_columns<'a>(
    fields: &'a ContactFields,
    formatted: &'a Formatted,
    name_key: &'a str,
    org_id: Option<i64>,
) -> [Bound<'a>; 11] {
    [
        fields.display_name.as_str().into(),
        name_key.into(),
        (&fields.given_name).into(),
        (&fields.family_name).into(),
        (&fields.nickname).into(),
        org_id.into(),
        (&fields.title).into(),
        (&formatted.birthday).into(),
        fields.preferred_channel.map(|c| c.as_str()).into(),
        (&formatted.cadence).into(),
        (&fields.notes).into(),
    ]
}

/// The statement that inserts contact rows: [`INSERT_ROW`] on `conn`, through rusqlite's
/// statement cache, or one prepared once by a bulk writer that binds without copying.
pub(super) enum RowInserter<'s, 'c> {
    Cached(&'s mut rusqlite::Statement<'c>),
    Borrowed(&'s mut Borrowed<'c>),
}

/// Insert the contact row's own columns (not its details or tags) through `stmt`, prepared
/// on `conn` from [`INSERT_ROW`]; the new contact's id. The one INSERT every writer of a
/// new contact uses, the CLI and bulk imports alike. `name_key` is the folded display name
/// when the caller has it; `id` the number an import gave the contact ahead, if it did.
#[allow(clippy::too_many_arguments)]
pub(super) fn insert_row(
    conn: &Connection,
    stmt: RowInserter<'_, '_>,
    id: Option<i64>,
    uid: &str,
    fields: &ContactFields,
    name_key: Option<&str>,
    org_id: Option<i64>,
    stamps: super::bulk::Stamps,
) -> Result<i64> {
    let folded;
    let name_key = match name_key {
        Some(key) => key,
        None => {
            folded = fold(&fields.display_name);
            &folded
        }
    };
    // A new contact was usually created and updated at the same instant: formatted once.
    let created_at = ts(stamps.created_at);
    let updated_at = (stamps.updated_at != stamps.created_at).then(|| ts(stamps.updated_at));
    let archived_at = stamps.archived_at.map(ts);
    let formatted = Formatted::of(fields);
    let own = own_columns(fields, &formatted, name_key, org_id);
    let mut values = [Bound::Null; 16];
    values[0] = uid.into();
    values[1..12].copy_from_slice(&own);
    values[12] = created_at.as_str().into();
    values[13] = updated_at.as_deref().unwrap_or(&created_at).into();
    values[14] = (&archived_at).into();
    values[15] = id.into();
    match stmt {
        RowInserter::Borrowed(stmt) => stmt.execute(&values)?,
        RowInserter::Cached(stmt) => {
            for (index, value) in values.iter().enumerate() {
                stmt.raw_bind_parameter(index + 1, value)?;
            }
            stmt.raw_execute()?;
        }
    }
    Ok(conn.last_insert_rowid())
}

/// Write the contact row's own columns (not its details or tags); the one UPDATE every
/// writer of a whole contact uses, the CLI and bulk imports alike.
pub(super) fn update_row(
    conn: &Connection,
    id: i64,
    fields: &ContactFields,
    org_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE contacts SET display_name = ?2, name_key = ?3, given_name = ?4,
            family_name = ?5, nickname = ?6, organization_id = ?7, title = ?8,
            birthday = ?9, preferred_channel = ?10, cadence = ?11, notes = ?12,
            updated_at = ?13
          WHERE id = ?1",
    )?;
    stmt.raw_bind_parameter(1, id)?;
    let (name_key, formatted) = (fold(&fields.display_name), Formatted::of(fields));
    for (index, value) in own_columns(fields, &formatted, &name_key, org_id)
        .iter()
        .enumerate()
    {
        stmt.raw_bind_parameter(index + 2, value)?;
    }
    stmt.raw_bind_parameter(13, ts(now))?;
    let changed = stmt.raw_execute()?;
    if changed == 0 {
        return Err(Error::NotFound {
            what: "contact",
            query: format!("#{id}"),
        });
    }
    Ok(())
}

/// Replace every editable field of contact `id` with `fields`.
pub fn update(conn: &WriteTx, id: i64, fields: &ContactFields, now: DateTime<Utc>) -> Result<()> {
    let current_org: Option<String> = conn
        .query_row(
            "SELECT o.name_key FROM contacts c JOIN organizations o ON o.id = c.organization_id
              WHERE c.id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let org_id = match &fields.organization {
        // Moving to an organization makes it current; staying does not revive an archived one.
        Some(name) if current_org.as_deref() != Some(fold(name).as_str()) => {
            Some(organizations::ensure_current(conn, name, now)?)
        }
        Some(name) => Some(organizations::ensure(conn, name, now)?),
        None => None,
    };
    update_row(conn, id, fields, org_id, now)?;
    conn.execute("DELETE FROM contact_details WHERE contact_id = ?1", [id])?;
    write_details(conn, id, fields)?;
    tags::set_contact_tags(conn, id, &fields.tags)?;
    Ok(())
}

fn write_details(conn: &Connection, id: i64, fields: &ContactFields) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO contact_details (contact_id, kind, label, value, match_key, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for kind in FieldKind::ALL {
        for (position, item) in fields.labeled(kind).iter().enumerate() {
            stmt.execute(params![
                id,
                kind.as_str(),
                item.label,
                item.value,
                crate::model::field_key(kind, &item.value),
                position as i64
            ])?;
        }
    }
    Ok(())
}

pub fn set_archived(
    conn: &WriteTx,
    id: i64,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE contacts SET archived_at = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, at.map(ts), ts(now)],
    )?;
    Ok(())
}

/// Delete for good; interactions left without any participant go too, so nothing dangles.
pub fn purge(conn: &WriteTx, id: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM interactions WHERE organization_id IS NULL AND id IN (
            SELECT p.interaction_id FROM interaction_participants p WHERE p.contact_id = ?1
              AND NOT EXISTS (SELECT 1 FROM interaction_participants q
                               WHERE q.interaction_id = p.interaction_id AND q.contact_id <> ?1))",
        [id],
    )?;
    conn.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
    Ok(())
}

pub fn touch(conn: &WriteTx, id: i64, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE contacts SET updated_at = ?2 WHERE id = ?1",
        params![id, ts(now)],
    )?;
    Ok(())
}

/// Contacts whose id is `id`.
pub fn by_id(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM contacts WHERE id = ?1", [id], |r| r.get(0))
        .optional()?)
}

pub fn by_uid(conn: &Connection, uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM contacts WHERE uid = ?1", [uid], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Contacts having a detail of `kind` whose comparison key is `key` (indexed).
pub fn by_detail(
    conn: &Connection,
    kind: FieldKind,
    key: &str,
    include_archived: bool,
) -> Result<Vec<i64>> {
    // The kind is spelled out: the index by key covers only emails and phones, and SQLite
    // uses a partial index only when the query names a kind it covers.
    let sql = |kind: &str| {
        format!(
            "SELECT DISTINCT d.contact_id FROM contact_details d JOIN contacts c ON c.id = d.contact_id
              WHERE d.kind = '{kind}' AND d.match_key = ?1 AND (?2 OR c.archived_at IS NULL)
              ORDER BY d.contact_id"
        )
    };
    let mut stmt = conn.prepare_cached(&sql(kind.as_str()))?;
    let rows = stmt.query_map(params![key, include_archived], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Contacts whose folded display name is exactly `key` (indexed).
pub fn by_name_key(conn: &Connection, key: &str, include_archived: bool) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM contacts WHERE name_key = ?1 AND (?2 OR archived_at IS NULL) ORDER BY id",
    )?;
    let rows = stmt.query_map(params![key, include_archived], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn refs(conn: &Connection, ids: &[i64]) -> Result<Vec<ContactRef>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, uid, display_name FROM contacts WHERE id IN ({}) ORDER BY name_key, id",
        super::placeholders(ids.len())
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(ids.iter()), |r| {
        Ok(ContactRef {
            id: r.get(0)?,
            uid: r.get(1)?,
            name: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
