//! Contacts and organizations: the editable fields of a person, their labeled details, and
//! the records and short references the store hands back.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::validation::{check_field, check_name, field_key, normalize_tag, validate_field};
use super::{Birthday, Channel, Period};
use crate::error::Error;

/// The kinds of labeled contact details a contact carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKind {
    Email,
    Phone,
    Address,
    Url,
    Social,
}

impl FieldKind {
    pub const ALL: [FieldKind; 5] = [
        FieldKind::Email,
        FieldKind::Phone,
        FieldKind::Address,
        FieldKind::Url,
        FieldKind::Social,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Email => "email",
            FieldKind::Phone => "phone",
            FieldKind::Address => "address",
            FieldKind::Url => "url",
            FieldKind::Social => "social",
        }
    }
    pub fn parse(s: &str) -> Option<FieldKind> {
        FieldKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A value with an optional label ("work", "home", "mobile", "linkedin"...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labeled {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub value: String,
}

impl Labeled {
    /// Parse `label:value` or `value`. A label is a short word before the first ':' that is not
    /// itself part of the value (so "https://x" and "+1 555" stay unlabeled).
    pub fn parse_labeled(kind: FieldKind, raw: &str) -> Result<Labeled, Error> {
        let raw = raw.trim();
        let (label, value) = match raw.split_once(':') {
            Some((l, v))
                if !l.is_empty()
                    && l.len() <= 64
                    && l.chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
                    && !v.starts_with("//")
                    && (kind != FieldKind::Email || v.contains('@')) =>
            {
                (Some(l.to_lowercase()), v.trim())
            }
            _ => (None, raw),
        };
        let value = validate_field(kind, value)?;
        Ok(Labeled { label, value })
    }

    pub fn display(&self) -> String {
        match &self.label {
            Some(l) => format!("{} ({l})", self.value),
            None => self.value.clone(),
        }
    }
}

/// A short reference to a contact, as shown beside other records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRef {
    pub id: i64,
    pub uid: String,
    pub name: String,
}

/// A short reference to an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRef {
    pub id: i64,
    pub uid: String,
    pub name: String,
}

/// The editable part of a contact: what `add` takes and `edit` changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFields {
    pub display_name: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub nickname: Option<String>,
    /// Organization by name; created when it does not exist yet.
    pub organization: Option<String>,
    pub title: Option<String>,
    pub emails: Vec<Labeled>,
    pub phones: Vec<Labeled>,
    pub addresses: Vec<Labeled>,
    pub urls: Vec<Labeled>,
    pub socials: Vec<Labeled>,
    pub birthday: Option<Birthday>,
    pub preferred_channel: Option<Channel>,
    pub cadence: Option<Period>,
    pub notes: Option<String>,
    pub tags: Vec<String>,
}

impl ContactFields {
    pub fn labeled(&self, kind: FieldKind) -> &Vec<Labeled> {
        match kind {
            FieldKind::Email => &self.emails,
            FieldKind::Phone => &self.phones,
            FieldKind::Address => &self.addresses,
            FieldKind::Url => &self.urls,
            FieldKind::Social => &self.socials,
        }
    }
    pub fn labeled_mut(&mut self, kind: FieldKind) -> &mut Vec<Labeled> {
        match kind {
            FieldKind::Email => &mut self.emails,
            FieldKind::Phone => &mut self.phones,
            FieldKind::Address => &mut self.addresses,
            FieldKind::Url => &mut self.urls,
            FieldKind::Social => &mut self.socials,
        }
    }

    /// Check every value; the first problem names its field and value.
    pub fn validate(&mut self) -> Result<(), Error> {
        self.validate_with_unique(&[])
    }

    /// [`Self::validate`] where the values of each kind in `unique` are already unique by
    /// their [`field_key`] (a vCard's emails and phones, compared as the card was read): their
    /// keys are not worked out again (a phone's takes a parse; 8 % of a large import's
    /// reading thread).
    pub fn validate_with_unique(&mut self, unique: &[FieldKind]) -> Result<(), Error> {
        // Values valid as they are (the usual case) are kept, not copied.
        keep_valid(&mut self.display_name, |v| check_name("name", v))?;
        for (field, value) in [
            ("given name", &mut self.given_name),
            ("family name", &mut self.family_name),
            ("nickname", &mut self.nickname),
            ("organization", &mut self.organization),
            ("title", &mut self.title),
        ] {
            match value {
                Some(v) if !v.trim().is_empty() => keep_valid(v, |v| check_name(field, v))?,
                _ => *value = None,
            }
        }
        for kind in FieldKind::ALL {
            let list = self.labeled_mut(kind);
            for item in list.iter_mut() {
                keep_valid(&mut item.value, |v| check_field(kind, v))?;
            }
            if unique.contains(&kind) {
                continue;
            }
            // The same value twice is one value.
            if list.len() > 16 {
                let mut seen = foldhash::HashSet::default();
                list.retain(|item| seen.insert(field_key(kind, &item.value)));
            } else if list.len() > 1 {
                // A few values: compared with those before them, with no set to fill.
                let keys: Vec<String> = list
                    .iter()
                    .map(|item| field_key(kind, &item.value))
                    .collect();
                let mut index = 0;
                list.retain(|_| {
                    index += 1;
                    !keys[..index - 1].contains(&keys[index - 1])
                });
            }
        }
        let mut tags = Vec::new();
        for tag in &self.tags {
            let tag = normalize_tag(tag)?;
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        self.tags = tags;
        if let Some(notes) = &self.notes
            && notes.trim().is_empty()
        {
            self.notes = None;
        }
        Ok(())
    }
}

/// Check `value` with `check`, which gives the valid part of it (trimmed): `value` becomes
/// that part, copied only when it differs.
fn keep_valid(
    value: &mut String,
    check: impl for<'v> FnOnce(&'v str) -> Result<&'v str, Error>,
) -> Result<(), Error> {
    let valid = check(value)?;
    if valid.len() != value.len() {
        *value = valid.to_string();
    }
    Ok(())
}

/// A person, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub id: i64,
    pub uid: String,
    #[serde(flatten)]
    pub fields: ContactFields,
    pub organization_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    /// When the latest interaction with this contact happened.
    pub last_contact_at: Option<DateTime<Utc>>,
}

impl Contact {
    pub fn as_ref(&self) -> ContactRef {
        ContactRef {
            id: self.id,
            uid: self.uid.clone(),
            name: self.fields.display_name.clone(),
        }
    }
}

/// A company or other group of people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organization {
    pub id: i64,
    pub uid: String,
    pub name: String,
    pub domain: Option<String>,
    pub notes: Option<String>,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    pub contact_count: i64,
    /// Its own keep-in-touch cadence (`kith org edit ORG --every 1m`); left out when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cadence: Option<Period>,
}

/// A directed relationship: `from` <kind> `to` ("Ada reports-to Bob").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relationship {
    pub id: i64,
    pub from: ContactRef,
    pub kind: String,
    pub to: ContactRef,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_split_only_when_they_look_like_labels() {
        let l = Labeled::parse_labeled(FieldKind::Email, "work:ada@example.com").unwrap();
        assert_eq!(l.label.as_deref(), Some("work"));
        let u = Labeled::parse_labeled(FieldKind::Url, "https://example.com").unwrap();
        assert_eq!(u.label, None);
        assert_eq!(u.value, "https://example.com");
        let p = Labeled::parse_labeled(FieldKind::Phone, "mobile: +1 555 0100").unwrap();
        assert_eq!(p.label.as_deref(), Some("mobile"));
        assert_eq!(p.value, "+1 555 0100");
    }

    #[test]
    fn values_said_unique_are_still_checked_and_the_others_still_made_unique() {
        let item = |value: &str| Labeled {
            label: None,
            value: value.to_string(),
        };
        let mut fields = ContactFields {
            display_name: "Ada".into(),
            emails: vec![item("ada@example.com"), item("ADA@example.com")],
            urls: vec![item("https://a.example"), item("https://A.example ")],
            ..Default::default()
        };
        fields.validate_with_unique(&[FieldKind::Email]).unwrap();
        // Emails said unique are kept as they are; URLs are compared as ever.
        assert_eq!(fields.emails.len(), 2);
        assert_eq!(fields.urls.len(), 1);
        fields.validate().unwrap();
        assert_eq!(fields.emails.len(), 1);

        fields.emails.push(item("not an email"));
        let e = fields
            .validate_with_unique(&[FieldKind::Email, FieldKind::Phone])
            .unwrap_err();
        assert!(e.to_string().contains("not an email"), "{e}");
    }
}
