//! Yearly dates on a contact besides the birthday: anniversaries, contract renewals.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::WriteTx;
use crate::error::Result;
use crate::model::{Birthday, YearlyDate};

/// Add or replace the date labeled `date.label` on contact `contact_id`.
pub fn set(conn: &WriteTx, contact_id: i64, date: &YearlyDate) -> Result<()> {
    conn.execute(
        "INSERT INTO contact_dates (contact_id, label, date) VALUES (?1, ?2, ?3)
         ON CONFLICT (contact_id, label) DO UPDATE SET date = excluded.date",
        params![contact_id, date.label, date.date.to_string()],
    )?;
    Ok(())
}

/// Remove the date labeled `label` (normalised); whether there was one.
pub fn remove(conn: &WriteTx, contact_id: i64, label: &str) -> Result<bool> {
    let removed = conn.execute(
        "DELETE FROM contact_dates WHERE contact_id = ?1 AND label = ?2",
        params![contact_id, label],
    )?;
    Ok(removed > 0)
}

/// The yearly dates of the given contacts (all contacts when `None`), by contact id.
pub fn by_contact(
    conn: &Connection,
    contact_ids: Option<&[i64]>,
) -> Result<HashMap<i64, Vec<YearlyDate>>> {
    let mut map: HashMap<i64, Vec<YearlyDate>> = HashMap::new();
    let (sql, values): (String, Vec<i64>) = match contact_ids {
        Some([]) => return Ok(map),
        Some(ids) => (
            format!(
                "SELECT contact_id, label, date FROM contact_dates WHERE contact_id IN ({})
                  ORDER BY contact_id, label",
                super::placeholders(ids.len())
            ),
            ids.to_vec(),
        ),
        None => (
            "SELECT contact_id, label, date FROM contact_dates ORDER BY contact_id, label".into(),
            Vec::new(),
        ),
    };
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (id, label, date) = row?;
        if let Ok(date) = Birthday::parse(&date) {
            map.entry(id).or_default().push(YearlyDate { label, date });
        }
    }
    Ok(map)
}
