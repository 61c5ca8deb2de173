//! The vCard properties kith does not model (photos, X- properties, IM handles, geo, the
//! structured forms of names and addresses), kept per contact so that an export gives them
//! back: one row per contact holding a JSON array of unfolded content lines in file order
//! (migration 0006). A contact without any has no row.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};

/// Replace contact `id`'s kept properties with `properties` (none removes the row).
pub(super) fn put(conn: &Connection, id: i64, properties: &[String]) -> Result<()> {
    if properties.is_empty() {
        conn.prepare_cached("DELETE FROM contact_extras WHERE contact_id = ?1")?
            .execute([id])?;
        return Ok(());
    }
    conn.prepare_cached(PUT)?
        .execute(params![id, encode(id, properties)?])?;
    Ok(())
}

/// The statement that stores a contact's kept properties: (contact id, [`encode`]d list).
pub const PUT: &str = "INSERT INTO contact_extras (contact_id, properties) VALUES (?1, ?2)
     ON CONFLICT (contact_id) DO UPDATE SET properties = excluded.properties";

/// Contact `id`'s kept properties as stored.
pub fn encode(id: i64, properties: &[String]) -> Result<String> {
    serde_json::to_string(properties).map_err(|e| Error::Invalid {
        field: "vCard properties".into(),
        value: format!("contact #{id}"),
        reason: e.to_string(),
    })
}

/// Contact `id`'s kept properties.
pub fn of(conn: &Connection, id: i64) -> Result<Vec<String>> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT properties FROM contact_extras WHERE contact_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    match stored {
        Some(json) => decode(id, &json),
        None => Ok(Vec::new()),
    }
}

/// Every contact's kept properties, by contact id.
pub fn all(conn: &Connection) -> Result<HashMap<i64, Vec<String>>> {
    let mut stmt = conn.prepare("SELECT contact_id, properties FROM contact_extras")?;
    let mut rows = stmt.query([])?;
    let mut map = HashMap::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let json: String = r.get(1)?;
        map.insert(id, decode(id, &json)?);
    }
    Ok(map)
}

/// A row edited by hand into something other than a JSON array of strings is reported, not
/// silently dropped: an export without it would lose the properties for good.
pub(super) fn decode(id: i64, json: &str) -> Result<Vec<String>> {
    serde_json::from_str(json).map_err(|e| Error::Invalid {
        field: format!("contact_extras.properties of contact #{id}"),
        value: json.chars().take(60).collect(),
        reason: format!("not a JSON array of strings ({e})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{OpenMode, Store};

    fn store_with_contact() -> (tempfile::TempDir, Store, i64) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db"), OpenMode::CreateIfMissing).unwrap();
        let fields = crate::model::ContactFields {
            display_name: "Ada Lovelace".into(),
            ..Default::default()
        };
        let now = chrono::Utc::now();
        let id = store
            .write(|tx| crate::store::contacts::insert(tx, &fields, now))
            .unwrap();
        (dir, store, id)
    }

    #[test]
    fn properties_come_back_in_order_and_none_leaves_no_row() {
        let (_dir, store, id) = store_with_contact();
        let conn = store.conn();
        let props = vec![
            "X-B:second\\nline".to_string(),
            "PHOTO;ENCODING=b;TYPE=JPEG:AAAA".to_string(),
            "X-A:\"quoted\" and \\\\ slash".to_string(),
        ];
        put(conn, id, &props).unwrap();
        assert_eq!(of(conn, id).unwrap(), props);
        assert_eq!(all(conn).unwrap().get(&id), Some(&props));
        put(conn, id, &props[..1]).unwrap();
        assert_eq!(of(conn, id).unwrap(), props[..1].to_vec());
        put(conn, id, &[]).unwrap();
        assert_eq!(of(conn, id).unwrap(), Vec::<String>::new());
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM contact_extras", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 0);
    }

    #[test]
    fn a_hand_edited_row_that_is_not_json_is_an_error_naming_the_contact() {
        let (_dir, store, id) = store_with_contact();
        let conn = store.conn();
        conn.execute(
            "INSERT INTO contact_extras (contact_id, properties) VALUES (?1, 'X-FOO:bar')",
            [id],
        )
        .unwrap();
        let err = of(conn, id).unwrap_err().to_string();
        assert!(err.contains(&format!("contact #{id}")), "{err}");
        assert!(err.contains("not a JSON array"), "{err}");
    }

    #[test]
    fn deleting_a_contact_deletes_its_properties() {
        let (_dir, store, id) = store_with_contact();
        let conn = store.conn();
        put(conn, id, &["X-FOO:bar".to_string()]).unwrap();
        conn.execute("DELETE FROM contacts WHERE id = ?1", [id])
            .unwrap();
        assert!(all(conn).unwrap().is_empty());
    }
}
