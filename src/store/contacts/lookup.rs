//! From what the user typed (`#ID`, UID, email, phone or name) to one contact: a confident
//! match, the closest one for a look, or the candidates to choose from.

use super::*;

/// Resolve what the user typed (`#ID`, UID, email, phone or name) to one contact id, for a
/// change: only a confident match resolves (see [`crate::resolve`]); several matches, or
/// only loose ones, are an [`Error::Ambiguous`] listing them. kith never guesses.
pub fn resolve(conn: &Connection, who: &str, include_archived: bool) -> Result<i64> {
    Ok(lookup(conn, who, include_archived, Purpose::Change)?.id)
}

/// The contact a lookup settled on; `closest` says why when it was not a confident match
/// (only for [`Purpose::Look`]), so the caller can tell the user which one it chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub id: i64,
    pub closest: Option<Why>,
}

/// Resolve `who` for a `purpose`: a change takes confident matches only, a look may take
/// the closest one.
pub fn lookup(
    conn: &Connection,
    who: &str,
    include_archived: bool,
    purpose: Purpose,
) -> Result<Found> {
    let not_found = || Error::NotFound {
        what: "contact",
        query: who.to_string(),
    };
    let resolution = match crate::resolve::probe(who) {
        Probe::Id(id) => Resolution::of_keys(&by_id(conn, id)?.into_iter().collect::<Vec<_>>()),
        Probe::Email(key) => {
            Resolution::of_keys(&by_detail(conn, FieldKind::Email, &key, include_archived)?)
        }
        Probe::Phone(_) => Resolution::of_keys(&crate::store::phones::contacts_with(
            conn,
            who,
            include_archived,
        )?),
        Probe::Text(text) => by_text(conn, &text, include_archived, purpose)?,
    };
    match resolution {
        Resolution::Confident(id) => Ok(Found { id, closest: None }),
        Resolution::Closest { id, why } => Ok(Found {
            id,
            closest: Some(why),
        }),
        Resolution::Ambiguous { ids, total, loose } => Err(Error::Ambiguous {
            what: "contact",
            query: who.to_string(),
            candidates: describe(conn, &ids)?,
            total,
            loose,
        }),
        Resolution::None => {
            if !include_archived && let Ok(found) = lookup(conn, who, true, purpose) {
                let name = refs(conn, &[found.id])?
                    .into_iter()
                    .next()
                    .map_or_else(|| who.to_string(), |r| r.name);
                return Err(Error::Archived {
                    name,
                    id: found.id,
                    restore: "kith restore",
                });
            }
            Err(not_found())
        }
    }
}

/// A UID, then the whole name (indexed), then the ranked search the pure decision reads.
fn by_text(
    conn: &Connection,
    text: &str,
    include_archived: bool,
    purpose: Purpose,
) -> Result<Resolution> {
    if let Some(id) = by_uid(conn, text)? {
        return Ok(Resolution::Confident(id));
    }
    let exact = by_name_key(conn, &fold(text), include_archived)?;
    if !exact.is_empty() {
        return Ok(Resolution::of_keys(&exact));
    }
    let scope = crate::store::search::Scope {
        include_archived,
        ..Default::default()
    };
    let matches =
        crate::store::search::best_matches(conn, text, &scope, crate::resolve::MAX_CANDIDATES + 1)?;
    let index = crate::search::Index::build(matches.rows.into_iter().map(|r| r.entry).collect());
    Ok(crate::resolve::decide(text, &index, purpose, matches.named))
}

/// Candidates as the user needs to tell them apart: id, name, and organization or email.
fn describe(conn: &Connection, ids: &[i64]) -> Result<Vec<Candidate>> {
    let filter = ContactFilter {
        ids: Some(ids.to_vec()),
        archived: Archived::Include,
        ..ContactFilter::default()
    };
    let contacts = list(conn, &filter)?;
    Ok(ids
        .iter()
        .filter_map(|id| contacts.iter().find(|c| c.id == *id))
        .map(|c| {
            let f = &c.fields;
            let mut detail = Vec::new();
            if let Some(org) = &f.organization {
                detail.push(org.clone());
            }
            if let Some(email) = f.emails.first() {
                detail.push(email.value.clone());
            }
            if c.archived_at.is_some() {
                detail.push("archived".into());
            }
            Candidate {
                id: c.id,
                name: f.display_name.clone(),
                detail: detail.join(", "),
            }
        })
        .collect())
}
