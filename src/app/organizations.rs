//! Organizations: adding one (its name unique), editing it, archiving and restoring it,
//! deleting it for good (its people stay, without an organization).

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::model::{Period, fold, normalize_tag, validate_name};
use crate::store::organizations::{self, OrgChanges};
use crate::store::{Store, WriteTx, tags};

/// A domain as typed ("https://acme.example/") made plain ("acme.example").
pub fn clean_domain(raw: &str) -> Result<String> {
    let d = raw
        .trim()
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_lowercase();
    if d.is_empty()
        || !d.contains('.')
        || !d
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
    {
        return Err(Error::invalid(
            "domain",
            &d,
            "expected a domain such as acme.example",
        ));
    }
    Ok(d)
}

/// An organization's cadence as typed.
fn parse_cadence(every: &str) -> Result<Period> {
    Period::parse(every.trim()).map_err(|_| {
        Error::invalid(
            "cadence",
            every,
            "expected a period such as 30d, 2w, 1m or 1y",
        )
    })
}

fn normal_tags(list: &[String]) -> Result<Vec<String>> {
    list.iter().map(|t| normalize_tag(t)).collect()
}

/// `kith org add`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddOrganization {
    pub name: String,
    pub domain: Option<String>,
    pub notes: Option<String>,
    pub tags: Vec<String>,
}

impl AddOrganization {
    /// The rules that need no store; the input made plain.
    pub fn check(&self) -> Result<AddOrganization> {
        Ok(AddOrganization {
            name: validate_name("organization", &self.name)?,
            domain: self.domain.as_deref().map(clean_domain).transpose()?,
            notes: self.notes.clone(),
            tags: normal_tags(&self.tags)?,
        })
    }
}

/// Refuse a name another organization has (`except` may keep its own).
fn name_is_free(tx: &WriteTx, name: &str, except: Option<i64>) -> Result<()> {
    let Some(id) = organizations::by_name_key(tx, &fold(name))? else {
        return Ok(());
    };
    if Some(id) == except {
        return Ok(());
    }
    let hint = match (except, organizations::get(tx, id)?.archived_at) {
        (Some(_), _) => String::new(),
        (None, Some(_)) => {
            format!(" (#{id}, archived: `kith org restore '#{id}'` brings it back)")
        }
        (None, None) => format!(" (#{id})"),
    };
    Err(Error::Conflict(format!(
        "an organization named \"{name}\" already exists{hint}"
    )))
}

/// Add an organization; returns its id.
pub fn add(store: &mut Store, now: DateTime<Utc>, input: &AddOrganization) -> Result<i64> {
    let org = input.check()?;
    store.write(|tx| {
        name_is_free(tx, &org.name, None)?;
        let id = organizations::insert(
            tx,
            &org.name,
            org.domain.as_deref(),
            org.notes.as_deref(),
            now,
        )?;
        tags::change_organization_tags(tx, id, &org.tags, &[])?;
        Ok(id)
    })
}

/// `kith org edit`: `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditOrganization {
    pub id: i64,
    pub name: Option<String>,
    pub domain: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    /// Its keep-in-touch cadence as typed (`1m`, `2w`); `Some(None)` clears it.
    pub cadence: Option<Option<String>>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
}

impl EditOrganization {
    /// Read tag changes as typed: `+tag` or a bare tag adds, `-tag` removes.
    pub fn tag_changes<'a>(&mut self, changes: impl IntoIterator<Item = &'a str>) -> Result<()> {
        for change in changes {
            match change.strip_prefix('-') {
                Some(t) => self.remove_tags.push(normalize_tag(t)?),
                None => self.add_tags.push(normalize_tag(change)?),
            }
        }
        Ok(())
    }

    /// The rules that need no store; the changes made plain.
    pub fn check(&self) -> Result<(OrgChanges, Vec<String>, Vec<String>)> {
        let changes = OrgChanges {
            name: self
                .name
                .as_deref()
                .map(|n| validate_name("organization", n))
                .transpose()?,
            domain: match &self.domain {
                Some(Some(d)) => Some(Some(clean_domain(d)?)),
                Some(None) => Some(None),
                None => None,
            },
            notes: self.notes.clone(),
            cadence: match &self.cadence {
                Some(Some(every)) => Some(Some(parse_cadence(every)?)),
                Some(None) => Some(None),
                None => None,
            },
        };
        Ok((
            changes,
            normal_tags(&self.add_tags)?,
            normal_tags(&self.remove_tags)?,
        ))
    }
}

/// Change an organization.
pub fn edit(store: &mut Store, now: DateTime<Utc>, input: &EditOrganization) -> Result<()> {
    let (changes, add, remove) = input.check()?;
    let id = input.id;
    store.write(|tx| {
        organizations::get(tx, id)?;
        if let Some(name) = &changes.name {
            name_is_free(tx, name, Some(id))?;
        }
        organizations::update(tx, id, &changes, now)?;
        tags::change_organization_tags(tx, id, &add, &remove)
    })
}

/// Archive (`archived = true`) or restore an organization.
pub fn set_archived(store: &mut Store, now: DateTime<Utc>, id: i64, archived: bool) -> Result<()> {
    store.write(|tx| {
        organizations::get(tx, id)?;
        organizations::set_archived(tx, id, archived.then_some(now), now)
    })
}

/// Delete an organization for good; its people stay, without an organization.
pub fn purge(store: &mut Store, id: i64) -> Result<()> {
    store.write(|tx| {
        organizations::get(tx, id)?;
        organizations::purge(tx, id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_made_plain() {
        assert_eq!(
            clean_domain("https://Acme.example/").unwrap(),
            "acme.example"
        );
        assert!(clean_domain("acme").is_err());
    }
}
