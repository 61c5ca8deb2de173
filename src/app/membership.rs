//! Which organization a person added or edited joins. `--org` (or the form's Organization
//! field) names an existing organization, resolved like a name and never created; `--new-org`
//! creates one. An archived organization is never joined silently (restore it first). On
//! add, with no organization given, an email whose domain is exactly one active
//! organization's is evidence enough to fill it in; the caller says so.

use rusqlite::Connection;

use crate::error::Result;
use crate::model::{ContactFields, fold};
use crate::store::organizations;

/// An organization filled in from an email's domain: its id and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByDomain {
    pub id: i64,
    pub name: String,
}

/// Replace the organization typed in `fields` by the stored name it resolves to (or the new
/// one `new_org` asks for). `before` is the contact as it was (None when adding): an
/// organization left as it was is not looked up again. Returns the organization an email
/// domain filled in, if any.
pub fn settle(
    conn: &Connection,
    fields: &mut ContactFields,
    before: Option<&ContactFields>,
    new_org: Option<&str>,
) -> Result<Option<ByDomain>> {
    if new_org.is_some() {
        fields.organization = organizations::for_member(conn, None, new_org)?;
        return Ok(None);
    }
    let unchanged = |typed: &str| {
        before
            .and_then(|b| b.organization.as_deref())
            .is_some_and(|was| fold(was) == fold(typed))
    };
    match fields.organization.clone() {
        Some(typed) if !unchanged(&typed) => {
            fields.organization = organizations::for_member(conn, Some(&typed), None)?;
        }
        None if before.is_none() => {
            let emails = fields.emails.iter().map(|e| e.value.as_str());
            if let Some((id, name)) = organizations::by_email_domain(conn, emails)? {
                fields.organization = Some(name.clone());
                return Ok(Some(ByDomain { id, name }));
            }
        }
        _ => {}
    }
    Ok(None)
}
