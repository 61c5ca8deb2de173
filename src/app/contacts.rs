//! Contacts: adding one, editing its fields and yearly dates, archiving and restoring it,
//! deleting it for good, and changing its tags.

use chrono::{DateTime, NaiveDate, Utc};

use super::membership;
use crate::clock::Clock;

use crate::error::{Error, Result};
use crate::model::{ContactFields, YearlyDate, normalize_label, normalize_tag};
use crate::store::{Store, contact_dates, contacts, tags};

/// Validate a new contact's fields as stored (and a birthday with a year is not after today).
pub fn check_new(fields: &mut ContactFields, today: NaiveDate) -> Result<()> {
    fields.validate()?;
    if let Some(birthday) = fields.birthday {
        birthday.check_not_future(today)?;
    }
    Ok(())
}

/// Validate a contact's fields as edited from `current` (a birthday is checked against
/// today only when it changes, so an imported one never blocks an unrelated edit).
pub fn check_edited(
    current: &ContactFields,
    fields: &mut ContactFields,
    today: NaiveDate,
) -> Result<()> {
    fields.validate()?;
    if fields.birthday != current.birthday
        && let Some(birthday) = fields.birthday
    {
        birthday.check_not_future(today)?;
    }
    Ok(())
}

/// Validate and add a contact; returns its id. Its organization is an existing one (see
/// [`membership`]).
pub fn add(store: &mut Store, clock: Clock, fields: ContactFields) -> Result<i64> {
    Ok(add_joining(store, clock, fields, None)?.id)
}

/// Contacts `ids` as a confirmation names them: "Frida Kahlo", or "Frida Kahlo #2" when
/// another contact has that name too, so the message says which one was meant.
pub fn told_apart(
    conn: &rusqlite::Connection,
    ids: &[i64],
) -> Result<Vec<crate::model::ContactRef>> {
    let namesakes = crate::store::network::namesakes(conn, ids)?;
    let mut refs = contacts::refs(conn, ids)?;
    for r in refs.iter_mut().filter(|r| namesakes.contains(&r.id)) {
        r.name = format!("{} #{}", r.name, r.id);
    }
    Ok(refs)
}

/// Up to this many people listed, [`namesakes_among`] asks the book about each; past it (a
/// whole agenda or follow-up list of a large book), it compares them with one another.
const NAMESAKES_ASKED_UP_TO: usize = 2_000;

/// Which of the people a list shows (id and name, repeats allowed) share their name with
/// another contact, for the list to name them with their #id: a probe of the name index a
/// person for a list of the usual size. Tens of thousands listed would cost as many probes:
/// then only namesakes listed together are found.
pub fn namesakes_among<'a>(
    conn: &rusqlite::Connection,
    listed: impl IntoIterator<Item = (i64, &'a str)>,
) -> Result<std::collections::HashSet<i64>> {
    let mut by_name: std::collections::HashMap<&str, Vec<i64>> = Default::default();
    for (id, name) in listed {
        let same = by_name.entry(name).or_default();
        if !same.contains(&id) {
            same.push(id);
        }
    }
    let people: usize = by_name.values().map(Vec::len).sum();
    if people <= NAMESAKES_ASKED_UP_TO {
        let ids: Vec<i64> = by_name.into_values().flatten().collect();
        return crate::store::network::namesakes(conn, &ids);
    }
    Ok(by_name
        .into_values()
        .filter(|same| same.len() > 1)
        .flatten()
        .collect())
}

/// The warning for a contact (#`id`) added with the same name as `other_name` (#`other_id`):
/// likely one person twice. `kith add` prints it; `kith import` notes it in its report.
pub fn same_name_warning(other_name: &str, other_id: i64, id: i64) -> String {
    format!(
        "{other_name} (#{other_id}) has the same name; use #{id} to tell them apart, or `kith edit` one"
    )
}

/// Another contact that a contact likely doubles: they share an email or a phone, or the
/// name. The CLI warns of each after `kith add`; the interactive mode says so after adding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LikelyDuplicate {
    /// What they share: "email", "phone" or "name".
    pub shared: &'static str,
    /// The email or phone they share (empty for the name).
    pub value: String,
    pub other_name: String,
    pub other_id: i64,
}

impl LikelyDuplicate {
    /// The warning, for contact #`id` (raw text: a face makes it fit for its terminal).
    pub fn warning(&self, id: i64) -> String {
        if self.shared == "name" {
            return same_name_warning(&self.other_name, self.other_id, id);
        }
        format!(
            "{} {} also belongs to {} (#{}); `kith merge '#{}' '#{id}'` if they are one person",
            self.shared, self.value, self.other_name, self.other_id, self.other_id
        )
    }

    /// The warning in short, for a status line: who, and what they share.
    pub fn brief(&self) -> String {
        if self.shared == "name" {
            return format!("{} (#{}) has the same name", self.other_name, self.other_id);
        }
        format!(
            "{} is also {}'s (#{})",
            self.value, self.other_name, self.other_id
        )
    }
}

/// The contacts that contact #`id` (with `fields`) likely doubles, archived ones too: each
/// email and phone another has, then each other contact of the same name.
pub fn likely_duplicates(
    store: &Store,
    id: i64,
    fields: &ContactFields,
) -> Result<Vec<LikelyDuplicate>> {
    use crate::model::FieldKind;
    let conn = store.conn();
    let mut found = Vec::new();
    for (kind, list) in [
        (FieldKind::Email, &fields.emails),
        (FieldKind::Phone, &fields.phones),
    ] {
        for item in list {
            let key = crate::model::field_key(kind, &item.value);
            let others: Vec<i64> = contacts::by_detail(conn, kind, &key, true)?
                .into_iter()
                .filter(|&other| other != id)
                .collect();
            for other in contacts::refs(conn, &others)? {
                found.push(LikelyDuplicate {
                    shared: kind.as_str(),
                    value: item.value.clone(),
                    other_name: other.name,
                    other_id: other.id,
                });
            }
        }
    }
    let namesakes: Vec<i64> =
        contacts::by_name_key(conn, &crate::model::fold(&fields.display_name), true)?
            .into_iter()
            .filter(|&other| other != id)
            .collect();
    for other in contacts::refs(conn, &namesakes)? {
        found.push(LikelyDuplicate {
            shared: "name",
            value: String::new(),
            other_name: other.name,
            other_id: other.id,
        });
    }
    Ok(found)
}

/// What adding a contact did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub id: i64,
    /// The organization an email's domain filled in (none was given).
    pub by_domain: Option<membership::ByDomain>,
}

/// Validate and add a contact, creating the organization `new_org` for them when given.
pub fn add_joining(
    store: &mut Store,
    clock: Clock,
    mut fields: ContactFields,
    new_org: Option<&str>,
) -> Result<Added> {
    check_new(&mut fields, clock.today())?;
    store.write(|tx| {
        let by_domain = membership::settle(tx, &mut fields, None, new_org)?;
        let id = contacts::insert(tx, &fields, clock.now)?;
        Ok(Added { id, by_domain })
    })
}

/// `kith edit`, or the interactive mode's edit form: the contact's fields as they should
/// be, and yearly dates to set or remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditContact {
    pub id: i64,
    pub fields: ContactFields,
    pub set_dates: Vec<YearlyDate>,
    /// Labels of yearly dates to remove.
    pub remove_dates: Vec<String>,
    /// Create this organization and join it (`--new-org`).
    pub new_org: Option<String>,
}

impl EditContact {
    /// Only the fields, as the interactive mode edits them.
    pub fn fields(id: i64, fields: ContactFields) -> EditContact {
        EditContact {
            id,
            fields,
            set_dates: Vec::new(),
            remove_dates: Vec::new(),
            new_org: None,
        }
    }
}

/// Edit a contact (see [`check_edited`]); whether anything changed.
pub fn edit(store: &mut Store, clock: Clock, input: &EditContact) -> Result<bool> {
    Ok(edit_from(store, clock, input)?.0)
}

/// [`edit`], and the contact's fields as they were just before it: what the interactive
/// mode's undo writes back.
pub fn edit_from(
    store: &mut Store,
    clock: Clock,
    input: &EditContact,
) -> Result<(bool, ContactFields)> {
    let now = clock.now;
    let mut fields = input.fields.clone();
    let remove = input
        .remove_dates
        .iter()
        .map(|l| normalize_label(l))
        .collect::<Result<Vec<_>>>()?;
    let id = input.id;
    store.write(|tx| {
        let current = contacts::get(tx, id)?.fields;
        membership::settle(tx, &mut fields, Some(&current), input.new_org.as_deref())?;
        check_edited(&current, &mut fields, clock.today())?;
        let dates_changed = !input.set_dates.is_empty() || !remove.is_empty();
        if fields != current {
            contacts::update(tx, id, &fields, now)?;
        }
        for label in &remove {
            if !contact_dates::remove(tx, id, label)? {
                return Err(Error::NotFound {
                    what: "date labeled",
                    query: label.clone(),
                });
            }
        }
        for date in &input.set_dates {
            contact_dates::set(tx, id, date)?;
        }
        if dates_changed {
            contacts::touch(tx, id, now)?;
        }
        Ok((fields != current || dates_changed, current))
    })
}

/// Archive (`archived = true`) or restore a contact; `false` when it already was so.
pub fn set_archived(
    store: &mut Store,
    now: DateTime<Utc>,
    id: i64,
    archived: bool,
) -> Result<bool> {
    store.write(|tx| {
        if contacts::get(tx, id)?.archived_at.is_some() == archived {
            return Ok(false);
        }
        contacts::set_archived(tx, id, archived.then_some(now), now)?;
        Ok(true)
    })
}

/// Delete a contact for good, with their interactions that had no one else, follow-ups and
/// links.
pub fn purge(store: &mut Store, id: i64) -> Result<()> {
    store.write(|tx| {
        contacts::get(tx, id)?;
        contacts::purge(tx, id)
    })
}

/// Tags to add and remove on a contact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeTags {
    pub id: i64,
    pub add: Vec<String>,
    pub remove: Vec<String>,
}

impl ChangeTags {
    /// Read changes as typed: `+tag` or a bare tag adds, `-tag` removes.
    pub fn parse<'a>(id: i64, changes: impl IntoIterator<Item = &'a str>) -> Result<ChangeTags> {
        let mut out = ChangeTags {
            id,
            ..ChangeTags::default()
        };
        for change in changes {
            match change.strip_prefix('-') {
                Some(tag) => out.remove.push(normalize_tag(tag)?),
                None => out.add.push(normalize_tag(change)?),
            }
        }
        if out.add.is_empty() && out.remove.is_empty() {
            return Err(Error::invalid(
                "tags",
                "",
                "type +tag to add or -tag to remove",
            ));
        }
        Ok(out)
    }
}

/// Add and remove tags on a contact; returns its tags afterwards, sorted. Tags are normalised
/// here, so both faces accept "+Client" and "client" alike.
pub fn change_tags(
    store: &mut Store,
    now: DateTime<Utc>,
    input: &ChangeTags,
) -> Result<Vec<String>> {
    let normal = |list: &[String]| {
        list.iter()
            .map(|t| normalize_tag(t))
            .collect::<Result<Vec<_>>>()
    };
    let (add, remove) = (normal(&input.add)?, normal(&input.remove)?);
    let id = input.id;
    store.write(|tx| {
        let mut current = contacts::get(tx, id)?.fields.tags;
        current.retain(|t| !remove.contains(t));
        for t in add {
            if !current.contains(&t) {
                current.push(t);
            }
        }
        current.sort();
        tags::set_contact_tags(tx, id, &current)?;
        contacts::touch(tx, id, now)?;
        Ok(current)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Birthday;

    #[test]
    fn tag_changes_read_plus_minus_and_bare() {
        let c = ChangeTags::parse(3, ["+Client", "-old", "vip"]).unwrap();
        assert_eq!(c.add, ["client", "vip"]);
        assert_eq!(c.remove, ["old"]);
        assert!(ChangeTags::parse(3, []).is_err());
        assert!(ChangeTags::parse(3, ["two words"]).is_err());
    }

    #[test]
    fn a_new_contact_born_in_the_future_is_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let mut fields = ContactFields {
            display_name: "Ada".into(),
            birthday: Some(Birthday::parse("2030-01-01").unwrap()),
            ..ContactFields::default()
        };
        let err = check_new(&mut fields, today).unwrap_err().to_string();
        assert!(err.contains("is in the future"), "{err}");
        fields.birthday = Some(Birthday::parse("--01-01").unwrap());
        assert!(check_new(&mut fields, today).is_ok());
    }
}
