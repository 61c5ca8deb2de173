//! kith's own JSON and JSONL schema (documented in `docs/JSON.md`): every contact,
//! organization, tag, relationship, interaction and follow-up, cross-referenced by UID (and
//! organizations by their unique name), so that export → import into an empty database →
//! export gives the same bytes.
//!
//! JSON is one document `{"kith_format": 2, "organizations": [...], "contacts": [...], ...}`;
//! JSONL is one record per line, each with a `"type"` (a line without one is a contact, so
//! scripts can stream `{"display_name": "Ada", "emails": ["ada@example.com"]}`).
//!
//! Version 2 added yearly dates, tag cadences, a follow-up's recurrence anchor and what it
//! counts from, and the interaction that completed it; a version 1 document is still read
//! (it simply has none of them). Version 3 added `kith capture`'s bookkeeping (`me_addresses`,
//! `capture_batches`); a book without any is still written as version 2, which an older kith
//! reads, and one with them as 3, which an older kith refuses with "upgrade kith".

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ContactIn, Warning};
use crate::model::{Birthday, Channel, ContactFields, Labeled, Period};

mod read;
pub use read::{read_json, read_jsonl};

/// The newest version of this schema, the one this kith reads up to; a reader refuses a
/// newer one. Version 2 added records and fields that a version 1 reader would refuse as
/// unknown; with the number raised it says "upgrade kith" instead. Version 3 did the same for
/// the capture sections.
pub const FORMAT_VERSION: u32 = 3;

/// The version a document without capture sections is written as (an older kith reads it).
pub const FORMAT_VERSION_WITHOUT_CAPTURE: u32 = 2;

/// A whole database as one JSON document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub kith_format: u32,
    #[serde(default)]
    pub organizations: Vec<OrganizationRecord>,
    #[serde(default)]
    pub contacts: Vec<ContactRecord>,
    #[serde(default)]
    pub yearly_dates: Vec<YearlyDateRecord>,
    #[serde(default)]
    pub relationships: Vec<RelationshipRecord>,
    #[serde(default)]
    pub interactions: Vec<InteractionRecord>,
    #[serde(default)]
    pub reminders: Vec<ReminderRecord>,
    #[serde(default)]
    pub tag_cadences: Vec<TagCadenceRecord>,
    /// `kith me`: the addresses that are mine (version 3; left out when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub me_addresses: Vec<MeAddressRecord>,
    /// `kith capture`'s runs with what each made and changed, so `--undo` and a second
    /// run's "already captured" survive a restore (version 3; left out when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capture_batches: Vec<CaptureBatchRecord>,
}

impl Document {
    /// The version this document needs: 3 with capture sections, else 2.
    pub fn version_needed(&self) -> u32 {
        if self.me_addresses.is_empty() && self.capture_batches.is_empty() {
            FORMAT_VERSION_WITHOUT_CAPTURE
        } else {
            FORMAT_VERSION
        }
    }
}

/// An email, phone, address, URL or social handle: `"value"` or `{"label": .., "value": ..}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "DetailInput")]
pub struct DetailRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub value: String,
}

#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "neither text nor an object of \"value\" and an optional \"label\""
)]
enum DetailInput {
    Plain(String),
    Full(LabeledInput),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabeledInput {
    #[serde(default)]
    label: Option<String>,
    value: String,
}

impl From<DetailInput> for DetailRecord {
    fn from(input: DetailInput) -> DetailRecord {
        match input {
            DetailInput::Plain(value) => DetailRecord { label: None, value },
            DetailInput::Full(LabeledInput { label, value }) => DetailRecord { label, value },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ContactRecord {
    #[serde(default)]
    pub uid: Option<String>,
    #[serde(default, alias = "name")]
    pub display_name: Option<String>,
    #[serde(default)]
    pub given_name: Option<String>,
    #[serde(default)]
    pub family_name: Option<String>,
    #[serde(default)]
    pub nickname: Option<String>,
    /// The organization's name; it is created when no organization has that name.
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub emails: Vec<DetailRecord>,
    #[serde(default)]
    pub phones: Vec<DetailRecord>,
    #[serde(default)]
    pub addresses: Vec<DetailRecord>,
    #[serde(default)]
    pub urls: Vec<DetailRecord>,
    #[serde(default)]
    pub socials: Vec<DetailRecord>,
    /// `YYYY-MM-DD`, or `--MM-DD` without a year.
    #[serde(default)]
    pub birthday: Option<String>,
    #[serde(default)]
    pub preferred_channel: Option<String>,
    /// A period such as `30d`, `2w`, `3m`, `1y`.
    #[serde(default)]
    pub cadence: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub archived_at: Option<DateTime<Utc>>,
    /// vCard properties kith does not model, one unfolded content line each.
    #[serde(default)]
    pub extra: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct OrganizationRecord {
    #[serde(default)]
    pub uid: Option<String>,
    pub name: String,
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Its own keep-in-touch cadence, a period such as `1m`; left out when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence: Option<String>,
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub archived_at: Option<DateTime<Utc>>,
    /// What the reader had to say of it (an organization's vCard: what it left out).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// `from` <kind> `to`, both contact UIDs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RelationshipRecord {
    pub from: String,
    pub kind: String,
    pub to: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct InteractionRecord {
    #[serde(default)]
    pub uid: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub channel: String,
    #[serde(default)]
    pub direction: Option<String>,
    pub summary: String,
    #[serde(default)]
    pub body: Option<String>,
    /// Contact UIDs; empty when it is about `organization` alone.
    #[serde(default)]
    pub participants: Vec<String>,
    /// The organization it was with or about, by name (as a follow-up's `organization`);
    /// left out when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CompletionRecord {
    pub due: String,
    pub done_at: DateTime<Utc>,
    /// The UID of the interaction logged when it was done (`kith done ID --log ...`).
    #[serde(default)]
    pub interaction: Option<String>,
}

/// A yearly date on a contact besides the birthday (an anniversary, a renewal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct YearlyDateRecord {
    /// The contact's UID.
    pub contact: String,
    /// One lowercase word: anniversary, renewal, ...
    pub label: String,
    /// `YYYY-MM-DD`, or `--MM-DD` without a year.
    pub date: String,
}

/// The default keep-in-touch cadence of everyone carrying a tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TagCadenceRecord {
    pub tag: String,
    /// A period such as `30d`, `2w`, `3m`, `1y`.
    pub cadence: String,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

/// One of my addresses (`kith me add`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct MeAddressRecord {
    pub address: String,
    #[serde(default)]
    pub added_at: Option<DateTime<Utc>>,
}

/// A `kith capture` run: what it captured (interactions by UID), the participants it added
/// to earlier captures, the contacts it added, and the records of earlier runs it changed as
/// they were before (for `--undo`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CaptureBatchRecord {
    /// The id `kith capture --undo` takes.
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// The paths it read.
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub records: Vec<CapturedRecordRecord>,
    #[serde(default)]
    pub participations: Vec<CapturedParticipationRecord>,
    /// UIDs of the contacts `--add-unknown` created.
    #[serde(default)]
    pub contacts: Vec<String>,
    #[serde(default)]
    pub revisions: Vec<CaptureRevisionRecord>,
}

/// A message or event captured, by the key that makes capture idempotent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CapturedRecordRecord {
    /// `mail` or `event`.
    pub kind: String,
    pub key: String,
    /// The UID of the interaction it became.
    pub interaction: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// A contact a run added to an interaction an earlier run captured (UIDs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CapturedParticipationRecord {
    pub interaction: String,
    pub contact: String,
}

/// A record of an earlier run that this run updated or removed, as it was before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CaptureRevisionRecord {
    pub kind: String,
    pub key: String,
    /// The name of the run that captured it.
    pub captured_by: String,
    /// `updated` or `removed`.
    pub change: String,
    /// The interaction (by UID), its participants (by contact UID) and its record, as kept.
    pub previous: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ReminderRecord {
    #[serde(default)]
    pub uid: Option<String>,
    pub text: String,
    /// `YYYY-MM-DD` (a whole day) or an RFC 3339 instant.
    pub due: String,
    #[serde(default)]
    pub recurrence: Option<String>,
    /// What the next date counts from: `due` (also when null) or `done`.
    #[serde(default)]
    pub recur_from: Option<String>,
    /// The due date a due-anchored recurrence counts from (null: the due date itself).
    #[serde(default)]
    pub recur_anchor: Option<String>,
    #[serde(default)]
    pub snoozed_until: Option<String>,
    #[serde(default)]
    pub done_at: Option<DateTime<Utc>>,
    /// The contact's UID, or null for a follow-up on an organization.
    #[serde(default)]
    pub contact: Option<String>,
    /// The organization's name.
    #[serde(default)]
    pub organization: Option<String>,
    /// The UID of the interaction that created it.
    #[serde(default)]
    pub interaction: Option<String>,
    #[serde(default)]
    pub completions: Vec<CompletionRecord>,
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

fn details(list: Vec<DetailRecord>) -> Vec<Labeled> {
    list.into_iter()
        .map(|d| Labeled {
            label: d.label.filter(|l| !l.trim().is_empty()),
            value: d.value,
        })
        .collect()
}

fn to_details(list: &[Labeled]) -> Vec<DetailRecord> {
    list.iter()
        .map(|l| DetailRecord {
            label: l.label.clone(),
            value: l.value.clone(),
        })
        .collect()
}

impl ContactRecord {
    /// Validate into a contact; the error names the field and the value.
    pub fn into_contact(self) -> Result<ContactIn, String> {
        let display_name = self
            .display_name
            .filter(|n| !n.trim().is_empty())
            .or_else(|| {
                let joined = [&self.given_name, &self.family_name]
                    .into_iter()
                    .flatten()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                (!joined.is_empty()).then_some(joined)
            })
            .or_else(|| self.organization.clone())
            .or_else(|| self.emails.first().map(|e| e.value.clone()))
            .or_else(|| self.phones.first().map(|p| p.value.clone()))
            .ok_or("has no display_name (nor given/family name, organization, email or phone to name it by)")?;
        let birthday = self
            .birthday
            .as_deref()
            .map(Birthday::parse)
            .transpose()
            .map_err(|e| e.to_string())?;
        let preferred_channel = self
            .preferred_channel
            .as_deref()
            .map(str::parse::<Channel>)
            .transpose()
            .map_err(|e| e.to_string())?;
        let cadence = self
            .cadence
            .as_deref()
            .map(|c| {
                Period::parse(c).map_err(|_| {
                    format!("invalid cadence \"{c}\": expected a period such as 30d, 2w, 3m, 1y")
                })
            })
            .transpose()?;
        let mut fields = ContactFields {
            display_name,
            given_name: self.given_name,
            family_name: self.family_name,
            nickname: self.nickname,
            organization: self.organization,
            title: self.title,
            emails: details(self.emails),
            phones: details(self.phones),
            addresses: details(self.addresses),
            urls: details(self.urls),
            socials: details(self.socials),
            birthday,
            preferred_channel,
            cadence,
            notes: self.notes,
            tags: self.tags,
        };
        fields.validate().map_err(|e| e.to_string())?;
        if let Some(uid) = &self.uid
            && uid.trim().is_empty()
        {
            return Err("has an empty uid".into());
        }
        read::check_extra(&self.extra)?;
        Ok(ContactIn {
            uid: self.uid.map(|u| u.trim().to_string()),
            fields,
            extras: self.extra,
            created_at: self.created_at,
            updated_at: self.updated_at,
            archived_at: self.archived_at,
            warnings: Vec::<Warning>::new(),
        })
    }

    /// The record of a stored contact.
    pub fn from_contact(
        uid: &str,
        fields: &ContactFields,
        extras: &[String],
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
        archived_at: Option<DateTime<Utc>>,
    ) -> ContactRecord {
        ContactRecord {
            uid: Some(uid.to_string()),
            display_name: Some(fields.display_name.clone()),
            given_name: fields.given_name.clone(),
            family_name: fields.family_name.clone(),
            nickname: fields.nickname.clone(),
            organization: fields.organization.clone(),
            title: fields.title.clone(),
            emails: to_details(&fields.emails),
            phones: to_details(&fields.phones),
            addresses: to_details(&fields.addresses),
            urls: to_details(&fields.urls),
            socials: to_details(&fields.socials),
            birthday: fields.birthday.map(|b| b.to_string()),
            preferred_channel: fields.preferred_channel.map(|c| c.as_str().to_string()),
            cadence: fields.cadence.map(|p| p.to_string()),
            notes: fields.notes.clone(),
            tags: fields.tags.clone(),
            created_at: Some(created_at),
            updated_at: Some(updated_at),
            archived_at,
            extra: extras.to_vec(),
        }
    }
}

/// One JSONL line: a record of any kind, tagged by `"type"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Line<'a> {
    Organization(&'a OrganizationRecord),
    Contact(&'a ContactRecord),
    YearlyDate(&'a YearlyDateRecord),
    Relationship(&'a RelationshipRecord),
    Interaction(&'a InteractionRecord),
    Reminder(&'a ReminderRecord),
    TagCadence(&'a TagCadenceRecord),
    MeAddress(&'a MeAddressRecord),
    CaptureBatch(&'a CaptureBatchRecord),
}

/// Write a document as pretty JSON, ending with a newline.
pub fn write_json(doc: &Document) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(doc)?;
    text.push('\n');
    Ok(text)
}

/// Write a document as JSONL: organizations, contacts, yearly dates, relationships,
/// interactions, reminders, tag cadences, my addresses, capture runs (every reference points
/// to a line above it).
pub fn write_jsonl(doc: &Document) -> Result<String, serde_json::Error> {
    let mut out = String::new();
    let lines = doc
        .organizations
        .iter()
        .map(Line::Organization)
        .chain(doc.contacts.iter().map(Line::Contact))
        .chain(doc.yearly_dates.iter().map(Line::YearlyDate))
        .chain(doc.relationships.iter().map(Line::Relationship))
        .chain(doc.interactions.iter().map(Line::Interaction))
        .chain(doc.reminders.iter().map(Line::Reminder))
        .chain(doc.tag_cadences.iter().map(Line::TagCadence))
        .chain(doc.me_addresses.iter().map(Line::MeAddress))
        .chain(doc.capture_batches.iter().map(Line::CaptureBatch));
    for line in lines {
        out.push_str(&serde_json::to_string(&line)?);
        out.push('\n');
    }
    Ok(out)
}
