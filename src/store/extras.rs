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
pub fn encode(_id: i64, properties: &[String]) -> Result<String> {
    Ok(to_json(properties))
}

/// `properties` as a JSON array of strings, byte for byte what `serde_json::to_string`
/// writes (a test holds it to that). An import encodes every card's kept lines, photos
/// among them, on its reading thread: a run of 32 bytes with nothing to escape is copied
/// whole instead of looked up a byte at a time.
pub fn to_json(properties: &[String]) -> String {
    let mut out = String::with_capacity(2 + properties.iter().map(|p| p.len() + 3).sum::<usize>());
    out.push('[');
    for (i, property) in properties.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        push_json_escaped(&mut out, property);
        out.push('"');
    }
    out.push(']');
    out
}

fn json_escaped(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

fn push_json_escaped(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(run) = bytes.get(i..i + 32)
            && run
                .iter()
                .fold(0u8, |any, &b| any | u8::from(json_escaped(b)))
                == 0
        {
            i += 32;
            continue;
        }
        let b = bytes[i];
        if json_escaped(b) {
            // `b` is ASCII, so both ends are character boundaries.
            out.push_str(&text[start..i]);
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                0x08 => out.push_str("\\b"),
                0x0c => out.push_str("\\f"),
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                _ => {
                    out.push_str("\\u00");
                    out.push(char::from(HEX[usize::from(b >> 4)]));
                    out.push(char::from(HEX[usize::from(b & 0x0f)]));
                }
            }
            start = i + 1;
        }
        i += 1;
    }
    out.push_str(&text[start..]);
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

    /// The kept lines are stored as serde_json writes them, byte for byte, so a book is the
    /// same whichever way its rows were encoded.
    #[test]
    fn the_json_is_serde_jsons_byte_for_byte() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        let long = format!(
            "PHOTO;ENCODING=b:{}\"{}",
            "A".repeat(70),
            "Zz9+/".repeat(40)
        );
        let lists: Vec<Vec<String>> = vec![
            vec![],
            vec![String::new()],
            vec![every_ascii.clone(), every_ascii.repeat(3)],
            vec![long.clone(), format!("{long}\\"), long[..33].to_string()],
            vec![
                "X-É:ünïcødé \u{85}\u{7f} \u{1F600}, \"quoted\"\\n".into(),
                "a".repeat(64),
            ],
        ];
        for list in lists {
            assert_eq!(
                to_json(&list),
                serde_json::to_string(&list).unwrap(),
                "{list:?}"
            );
        }
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
