//! Contacts by phone number: stored numbers are keyed by their national significant number
//! (`contact_details.match_key`, see [`crate::search::phone`]), and a number typed with a
//! country code only meets stored numbers of that country, or of none said.

use rusqlite::{Connection, params};

use crate::error::Result;
use crate::search::phone;

/// The contacts (ids, ascending) with a phone number that is `typed`.
pub fn contacts_with(conn: &Connection, typed: &str, include_archived: bool) -> Result<Vec<i64>> {
    let region = phone::default_region();
    let wanted = phone::parse(typed, region);
    if wanted.national.is_empty() {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT d.contact_id, d.value FROM contact_details d JOIN contacts c ON c.id = d.contact_id
          WHERE d.kind = 'phone' AND d.match_key = ?1 AND (?2 OR c.archived_at IS NULL)
          ORDER BY d.contact_id",
    )?;
    let mut ids = Vec::new();
    let mut rows = stmt.query(params![wanted.national, include_archived])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let value: String = r.get(1)?;
        if phone::parse(&value, region).same_as(&wanted) && ids.last() != Some(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// The SQL function `kith_phone_key(text)`: [`phone::key`], for migration 0008, which
/// re-keys the phone numbers stored before it.
pub fn register_key_function(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "kith_phone_key",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(phone::key(&ctx.get::<String>(0)?)),
    )?;
    Ok(())
}
