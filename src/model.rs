//! Plain types of kith's world and the validation of their values. No I/O.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use crate::dates::{Period, PeriodUnit};
use crate::error::Error;

/// How an interaction happened, or how a contact prefers to be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Call,
    Email,
    Meeting,
    Video,
    Message,
    Social,
    Letter,
    Note,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 9] = [
        Channel::Call,
        Channel::Email,
        Channel::Meeting,
        Channel::Video,
        Channel::Message,
        Channel::Social,
        Channel::Letter,
        Channel::Note,
        Channel::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Call => "call",
            Channel::Email => "email",
            Channel::Meeting => "meeting",
            Channel::Video => "video",
            Channel::Message => "message",
            Channel::Social => "social",
            Channel::Letter => "letter",
            Channel::Note => "note",
            Channel::Other => "other",
        }
    }

    pub fn names() -> String {
        Channel::ALL.map(Channel::as_str).join(", ")
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let key = s.trim().to_lowercase();
        let channel = match key.as_str() {
            "call" | "phone" | "tel" => Channel::Call,
            "email" | "mail" | "e-mail" => Channel::Email,
            "meeting" | "meet" | "in-person" | "lunch" | "coffee" => Channel::Meeting,
            "video" | "zoom" | "videocall" => Channel::Video,
            "message" | "msg" | "text" | "sms" | "chat" => Channel::Message,
            "social" | "linkedin" => Channel::Social,
            "letter" | "post" => Channel::Letter,
            "note" => Channel::Note,
            "other" => Channel::Other,
            _ => {
                return Err(Error::invalid(
                    "channel",
                    s,
                    format!("expected one of: {}", Channel::names()),
                ));
            }
        };
        Ok(channel)
    }
}

/// Which way an interaction went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "in" => Some(Direction::In),
            "out" => Some(Direction::Out),
            _ => None,
        }
    }
}

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
                    && l.len() <= 20
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

/// Validate and normalise one contact detail; the error names the field and the value.
pub fn validate_field(kind: FieldKind, value: &str) -> Result<String, Error> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(kind.as_str(), value, "is empty"));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(
            kind.as_str(),
            value,
            "contains control characters",
        ));
    }
    match kind {
        FieldKind::Email => validate_email(value),
        FieldKind::Phone => validate_phone(value),
        _ => Ok(value.to_string()),
    }
}

pub fn validate_email(value: &str) -> Result<String, Error> {
    let bad = |why: &str| Err(Error::invalid("email", value, why));
    let Some((local, domain)) = value.rsplit_once('@') else {
        return bad("has no '@'");
    };
    if local.is_empty() {
        return bad("has nothing before the '@'");
    }
    if local.contains('@') || value.chars().any(char::is_whitespace) {
        return bad("must be one address without spaces");
    }
    if !domain.contains('.') || domain.split('.').any(str::is_empty) {
        return bad("needs a domain like example.com after the '@'");
    }
    if !domain
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
    {
        return bad("has characters that cannot be in a domain");
    }
    Ok(value.to_string())
}

pub fn validate_phone(value: &str) -> Result<String, Error> {
    // Extensions ("x123", "ext. 4", in any case) are allowed after the number itself.
    let bytes = value.as_bytes();
    let extension = (0..bytes.len()).find(|&i| {
        let rest = &bytes[i..];
        rest[0].eq_ignore_ascii_case(&b'x')
            || rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(b"ext")
    });
    // Both markers are ASCII, so the cut falls between characters.
    let number = &value[..extension.unwrap_or(value.len())];
    let allowed = |c: char| c.is_ascii_digit() || " +-().-/".contains(c);
    if let Some(c) = number.chars().find(|&c| !allowed(c)) {
        return Err(Error::invalid(
            "phone",
            value,
            format!(
                "'{}' is not allowed; use digits, spaces, + - ( ) . /",
                c.to_lowercase()
            ),
        ));
    }
    let digits = number.bytes().filter(u8::is_ascii_digit).count();
    if !(3..=20).contains(&digits) {
        return Err(Error::invalid(
            "phone",
            value,
            "needs between 3 and 20 digits",
        ));
    }
    Ok(value.to_string())
}

/// The digits of a phone number, the key phones are compared by.
pub fn phone_digits(value: &str) -> String {
    value.chars().filter(char::is_ascii_digit).collect()
}

/// The key phones are matched by: their digits, with an international "00" prefix read as "+".
pub fn phone_key(value: &str) -> String {
    let digits = phone_digits(value);
    match digits.strip_prefix("00") {
        Some(rest) => rest.to_string(),
        None => digits,
    }
}

/// The key emails are compared by.
pub fn email_key(value: &str) -> String {
    value.trim().to_lowercase()
}

/// Fold a name for comparison: diacritics removed (deunicode), lowercased, whitespace collapsed.
pub fn fold(s: &str) -> String {
    // One pass and one allocation for the usual ASCII name: imports fold every name and
    // organization they read.
    fn fold_words(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for word in text.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            if word.is_ascii() {
                out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            } else {
                out.push_str(&word.to_lowercase());
            }
        }
        out
    }
    if s.is_ascii() {
        fold_words(s)
    } else {
        fold_words(&deunicode::deunicode(s))
    }
}

/// A birthday or other yearly date; the year is optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Birthday {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

/// Why year-month-day is not a date ("February 2026 has 28 days"), or `None` when it is one.
/// Without a year, February is taken to have 29 days.
pub fn no_such_day(year: Option<i32>, month: u32, day: u32) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    if !(1..=12).contains(&month) {
        return Some(format!("there is no month {month}"));
    }
    let y = year.unwrap_or(2000);
    if NaiveDate::from_ymd_opt(y, month, day).is_some() {
        return None;
    }
    let days = (28..=31)
        .rev()
        .find(|&d| NaiveDate::from_ymd_opt(y, month, d).is_some())
        .unwrap_or(28);
    let name = MONTHS[month as usize - 1];
    Some(match year {
        Some(y) => format!("there is no day {day}: {name} {y} has {days} days"),
        None => format!("there is no day {day}: {name} has {days} days"),
    })
}

/// For an input that looks like `YYYY-MM-DD…` but names a day that does not exist.
pub fn impossible_iso_date(input: &str) -> Option<String> {
    let s = input.trim();
    let bytes = s.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i32 = s.get(..4)?.parse().ok()?;
    let month: u32 = s.get(5..7)?.parse().ok()?;
    let day: u32 = s.get(8..10)?.parse().ok()?;
    no_such_day(Some(year), month, day)
}

impl Birthday {
    /// A birthday with a year cannot be after today.
    pub fn check_not_future(self, today: NaiveDate) -> Result<Birthday, Error> {
        if let Some(year) = self.year
            && NaiveDate::from_ymd_opt(year, self.month, self.day).is_some_and(|d| d > today)
        {
            return Err(Error::invalid(
                "birthday",
                &self.to_string(),
                "is in the future",
            ));
        }
        Ok(self)
    }

    /// Accepts `1990-03-14`, `--03-14` (vCard's yearless form), `03-14`, `19900314`.
    pub fn parse(input: &str) -> Result<Birthday, Error> {
        let s = input.trim();
        let bad = || {
            Error::invalid(
                "birthday",
                input,
                "expected YYYY-MM-DD, or --MM-DD when the year is unknown",
            )
        };
        let (year, rest) = if let Some(rest) = s.strip_prefix("--") {
            (None, rest.to_string())
        } else if s.len() == 8 && s.chars().all(|c| c.is_ascii_digit()) {
            (Some(s[..4].parse().map_err(|_| bad())?), s[4..].to_string())
        } else if s.len() == 10 && s.as_bytes().get(4) == Some(&b'-') {
            (Some(s[..4].parse().map_err(|_| bad())?), s[5..].to_string())
        } else {
            (None, s.to_string())
        };
        let rest = rest.replace('-', "");
        if rest.len() != 4 || !rest.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let month: u32 = rest[..2].parse().map_err(|_| bad())?;
        let day: u32 = rest[2..].parse().map_err(|_| bad())?;
        // Validate against a leap year when the year is unknown, so Feb 29 is allowed.
        if NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day).is_none() {
            let why = no_such_day(year, month, day).unwrap_or_else(|| {
                "expected YYYY-MM-DD, or --MM-DD when the year is unknown".into()
            });
            return Err(Error::invalid("birthday", input, why));
        }
        if let Some(y) = year
            && !(1800..=2200).contains(&y)
        {
            return Err(bad());
        }
        Ok(Birthday { year, month, day })
    }

    /// The next occurrence on or after `today` (Feb 29 falls on Feb 28 in common years).
    pub fn next_on_or_after(&self, today: NaiveDate) -> NaiveDate {
        use chrono::Datelike;
        let on = |y: i32| {
            NaiveDate::from_ymd_opt(y, self.month, self.day)
                .or_else(|| NaiveDate::from_ymd_opt(y, self.month, 28))
        };
        match on(today.year()) {
            Some(d) if d >= today => d,
            _ => on(today.year() + 1).unwrap_or(today),
        }
    }
}

impl Birthday {
    /// For people: `1815-12-10`, or `December 10` when the year is unknown.
    pub fn describe(&self) -> String {
        match self.year {
            Some(_) => self.to_string(),
            None => NaiveDate::from_ymd_opt(2000, self.month, self.day)
                .map(|d| d.format("%B %-d").to_string())
                .unwrap_or_else(|| self.to_string()),
        }
    }
}

impl fmt::Display for Birthday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

impl Serialize for Birthday {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Birthday {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Birthday::parse(&s).map_err(serde::de::Error::custom)
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
        self.display_name = validate_name("name", &self.display_name)?;
        for (field, value) in [
            ("given name", &mut self.given_name),
            ("family name", &mut self.family_name),
            ("nickname", &mut self.nickname),
            ("organization", &mut self.organization),
            ("title", &mut self.title),
        ] {
            *value = match value.take() {
                Some(v) if !v.trim().is_empty() => Some(validate_name(field, &v)?),
                _ => None,
            };
        }
        for kind in FieldKind::ALL {
            let list = self.labeled_mut(kind);
            for item in list.iter_mut() {
                item.value = validate_field(kind, &item.value)?;
            }
            // The same value twice is one value.
            if list.len() > 1 {
                let mut seen = std::collections::HashSet::new();
                list.retain(|item| seen.insert(field_key(kind, &item.value)));
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

/// The comparison key of a contact detail (emails by lowercase, phones by digits).
pub fn field_key(kind: FieldKind, value: &str) -> String {
    match kind {
        FieldKind::Email => email_key(value),
        FieldKind::Phone => phone_key(value),
        _ => value.trim().to_lowercase(),
    }
}

/// Names are one line of printable text.
pub fn validate_name(field: &str, value: &str) -> Result<String, Error> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid(field, value, "is empty"));
    }
    // Other control characters are kept as given (imports must not lose them) and made
    // visible on output; these three would break line-based forms and C strings.
    if v.contains(['\n', '\r', '\0']) {
        return Err(Error::invalid(field, value, "contains a line break or NUL"));
    }
    if v.chars().count() > 500 {
        return Err(Error::invalid(
            field,
            value,
            "is longer than 500 characters",
        ));
    }
    Ok(v.to_string())
}

/// Tags are lowercase words: letters, digits, '-', '_', '/', '.'.
pub fn normalize_tag(tag: &str) -> Result<String, Error> {
    let t = tag.trim().trim_start_matches(['+', '#']).to_lowercase();
    if t.is_empty() {
        return Err(Error::invalid("tag", tag, "is empty"));
    }
    if t.chars().count() > 64 {
        return Err(Error::invalid("tag", tag, "is longer than 64 characters"));
    }
    if !t
        .chars()
        .all(|c| c.is_alphanumeric() || "-_/.:".contains(c))
    {
        return Err(Error::invalid(
            "tag",
            tag,
            "use letters, digits and - _ / . : (no spaces)",
        ));
    }
    Ok(t)
}

/// Relationship kinds are lowercase words joined by '-' ("works-with", "introduced-by").
pub fn normalize_relationship_kind(kind: &str) -> Result<String, Error> {
    let k = kind
        .trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if k.is_empty() || k.len() > 40 || !k.chars().all(|c| c.is_alphanumeric() || c == '-') {
        return Err(Error::invalid(
            "relationship kind",
            kind,
            "use words like knows, works-with, reports-to, introduced-by, partner-of",
        ));
    }
    Ok(k)
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

/// A conversation, meeting or note with one or more contacts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interaction {
    pub id: i64,
    pub uid: String,
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    pub direction: Option<Direction>,
    pub summary: String,
    pub body: Option<String>,
    pub participants: Vec<ContactRef>,
    pub created_at: DateTime<Utc>,
}

/// When a follow-up is due: a whole local day, or an exact instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Day(NaiveDate),
    At(DateTime<Utc>),
}

impl Due {
    /// The stored form: `YYYY-MM-DD` or RFC 3339 UTC.
    pub fn to_db(&self) -> String {
        match self {
            Due::Day(d) => d.format("%Y-%m-%d").to_string(),
            Due::At(t) => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }
    pub fn from_db(s: &str) -> Option<Due> {
        if s.len() == 10 {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(Due::Day)
        } else {
            DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| Due::At(t.with_timezone(&Utc)))
        }
    }
    /// The local calendar day it falls on.
    /// How a person reads it, in their time zone: `2026-11-29` or `2026-11-29 09:00`.
    pub fn display_local<Tz: chrono::TimeZone>(&self, tz: &Tz) -> String
    where
        Tz::Offset: std::fmt::Display,
    {
        match self {
            Due::Day(d) => d.format("%Y-%m-%d").to_string(),
            Due::At(t) => t.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string(),
        }
    }

    pub fn local_day<Tz: chrono::TimeZone>(&self, tz: &Tz) -> NaiveDate {
        match self {
            Due::Day(d) => *d,
            Due::At(t) => t.with_timezone(tz).date_naive(),
        }
    }
}

impl From<crate::dates::When> for Due {
    fn from(w: crate::dates::When) -> Due {
        match w {
            crate::dates::When::Date(d) => Due::Day(d),
            crate::dates::When::At(t) => Due::At(t),
        }
    }
}

impl Serialize for Due {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_db())
    }
}

/// A follow-up about a contact or an organization.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reminder {
    pub id: i64,
    pub uid: String,
    pub text: String,
    pub due: Due,
    pub recurrence: Option<Period>,
    pub snoozed_until: Option<Due>,
    pub done_at: Option<DateTime<Utc>>,
    pub contact: Option<ContactRef>,
    pub organization: Option<OrgRef>,
    pub created_at: DateTime<Utc>,
}

impl Reminder {
    /// The date it is effectively due: a snooze moves it later.
    pub fn effective_due(&self) -> Due {
        self.snoozed_until.unwrap_or(self.due)
    }
}

/// A fresh stable identifier, UUID v4 shaped, from the OS random source.
pub fn new_uid() -> String {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut uid = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            uid.push('-');
        }
        uid.push(char::from(HEX[usize::from(b >> 4)]));
        uid.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    uid
}

/// Random bytes from the OS: one getrandom(2) call (imports make one per new organization
/// or card without a UID), with a hasher-based fallback should the call be unavailable.
fn fill_random(buf: &mut [u8]) {
    use std::hash::{BuildHasher, Hasher};
    if getrandom::fill(buf).is_ok() {
        return;
    }
    for (i, chunk) in buf.chunks_mut(8).enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_usize(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        let v = h.finish().to_le_bytes();
        chunk.copy_from_slice(&v[..chunk.len()]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The one-pass fold is the plain definition: transliterate, collapse whitespace,
        /// lowercase.
        #[test]
        fn fold_is_transliterated_collapsed_lowercase(s in "(\\PC|\\s){0,24}") {
            let plain = deunicode::deunicode(&s)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            proptest::prop_assert_eq!(fold(&s), plain);
        }
    }

    #[test]
    fn emails_are_checked() {
        assert!(validate_email("ada@example.com").is_ok());
        assert!(validate_email("ada.lovelace+crm@mail.example.co.uk").is_ok());
        for bad in [
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@ex..com",
        ] {
            assert!(validate_email(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn phones_are_checked() {
        for ok in [
            "+44 20 7946 0958",
            "(555) 123-4567",
            "555.123.4567 x12",
            "555.123.4567 X12",
            "+1 555 0100 ext. 12",
            "+1 555 0100 EXT 12",
            "112",
        ] {
            assert!(validate_phone(ok).is_ok(), "{ok}");
        }
        for bad in [
            "call me",
            "12",
            "12 x345",
            "+1 555 CALL NOW",
            "1234567890123456789012",
            "555 0100 é",
        ] {
            assert!(validate_phone(bad).is_err(), "{bad}");
        }
        let refused = validate_phone("+1 555 CALL NOW").unwrap_err().to_string();
        assert!(refused.contains("'c' is not allowed"), "{refused}");
        assert_eq!(phone_digits("+1 (555) 123-4567"), "15551234567");
    }

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
    fn birthdays_with_and_without_year() {
        let b = Birthday::parse("1990-03-14").unwrap();
        assert_eq!((b.year, b.month, b.day), (Some(1990), 3, 14));
        assert_eq!(b.to_string(), "1990-03-14");
        let b = Birthday::parse("--02-29").unwrap();
        assert_eq!(b.year, None);
        assert_eq!(b.to_string(), "--02-29");
        assert!(Birthday::parse("1990-02-30").is_err());
        assert!(Birthday::parse("soon").is_err());
        let today = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        assert_eq!(
            b.next_on_or_after(today),
            NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()
        );
    }

    #[test]
    fn fold_ignores_case_and_diacritics() {
        assert_eq!(fold("  Jürgen   Łukasz "), "jurgen lukasz");
        assert_eq!(fold("Zoë"), "zoe");
    }

    #[test]
    fn tags_and_kinds_normalise() {
        assert_eq!(normalize_tag("+Client").unwrap(), "client");
        assert!(normalize_tag("two words").is_err());
        assert_eq!(
            normalize_relationship_kind("Introduced By").unwrap(),
            "introduced-by"
        );
    }

    #[test]
    fn uids_are_unique_and_uuid_shaped() {
        let a = new_uid();
        let b = new_uid();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        for uid in [&a, &b] {
            let groups: Vec<usize> = uid.split('-').map(str::len).collect();
            assert_eq!(groups, [8, 4, 4, 4, 12], "{uid}");
            assert!(
                uid.chars()
                    .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)),
                "{uid}"
            );
            assert!("89ab".contains(&uid[19..20]), "variant of {uid}");
        }
    }
}
