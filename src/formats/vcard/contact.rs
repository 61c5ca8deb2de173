//! A card's properties to a contact: the properties kith models become fields (the first FN,
//! N, NICKNAME, ORG, TITLE, BDAY; every EMAIL, TEL, ADR, URL, social profile, NOTE and
//! CATEGORIES; kith's own `X-KITH-` properties), and everything else, a second value of a
//! one-value field, and a value kith cannot use (with a warning) is kept as an extra content
//! line. Apple's `X-ABLabel` becomes the label of the property in its group; preferred emails
//! and phones come first.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::super::{ContactIn, Warning};
use super::property::{Property, decode_quoted_printable};
use super::values::{address_text, birthday_of, clean_ab_label, label_of, phone_text};
use super::write::flat_address;
use crate::formats::contentline::{split_unescaped, unescape};
use crate::model::{
    ContactFields, FieldKind, Labeled, email_key, normalize_tag, phone_key, validate_email,
    validate_phone,
};

/// Properties that carry no information of the contact's own (the writer makes new ones).
/// PROFILE:VCARD (3.0's MIME-directory marker) says nothing and 4.0 has no such property;
/// written back, it makes vobject (khard) refuse the whole address book.
const DROPPED: &[&str] = &["BEGIN", "END", "VERSION", "PRODID", "REV", "PROFILE"];

/// What became of a property's value.
enum Taken {
    /// It is (or is part of) a field: its group's `X-ABLabel` is used up.
    Modelled,
    /// Kith does not model it: kept as an extra line.
    Unmodelled,
    /// Already dealt with (kept, with or without a warning).
    Done,
}

/// Turn a card's properties into a contact: with the card's own UID, or none (the reader
/// gives it one made from the card's content).
pub fn to_contact(properties: &[Property]) -> Result<ContactIn, String> {
    let mut card = Card::new(properties)?;
    let card_charset = card_charset(properties);
    for p in properties {
        let p = with_card_charset(p, card_charset, &mut card.warnings);
        if !DROPPED.contains(&&*p.name) {
            card.take(&p)?;
        }
    }
    card.finish()
}

/// Old phones' 2.1 cards often name their charset on one property only
/// (`LABEL;CHARSET=Windows-1251`) and write the others in it without saying so: that
/// charset, and the line that names it.
fn card_charset(properties: &[Property]) -> Option<(&'static encoding_rs::Encoding, usize)> {
    properties.iter().find_map(|p| {
        let label = p.param("CHARSET")?.first()?;
        encoding_rs::Encoding::for_label(label.trim().as_bytes())
            .filter(|e| *e != encoding_rs::UTF_8)
            .map(|e| (e, p.line))
    })
}

/// `p` read in the card's charset when it names none and is not UTF-8.
fn with_card_charset<'p>(
    p: &'p Property,
    card_charset: Option<(&'static encoding_rs::Encoding, usize)>,
    warnings: &mut Vec<Warning>,
) -> Cow<'p, Property> {
    let Some((encoding, named_at)) = card_charset else {
        return Cow::Borrowed(p);
    };
    if p.param("CHARSET").is_some() || p.is_base64() {
        return Cow::Borrowed(p);
    }
    let bytes = if p.is_quoted_printable() {
        Cow::Owned(decode_quoted_printable(&p.value))
    } else {
        Cow::Borrowed(&p.value[..])
    };
    if std::str::from_utf8(&bytes).is_ok() {
        return Cow::Borrowed(p);
    }
    warnings.push(Warning {
        line: Some(p.line),
        message: format!(
            "{} is not UTF-8 and names no CHARSET; read as {}, which line {named_at} names",
            p.name,
            encoding.name()
        ),
    });
    let mut with_charset = p.clone();
    with_charset
        .params
        .push(("CHARSET".into(), vec![encoding.name().into()]));
    Cow::Owned(with_charset)
}

/// A contact being read from a card's properties.
struct Card {
    warnings: Vec<Warning>,
    fields: ContactFields,
    extras: Vec<String>,
    uid: Option<String>,
    formatted_name: Option<String>,
    /// The name N gives ("given family").
    n_name: Option<String>,
    notes: Vec<String>,
    /// Emails and phones marked preferred: (kind, index in its list).
    preferred: Vec<(FieldKind, usize)>,
    /// The match keys of the emails and of the phones so far, in their lists' order.
    email_keys: Vec<String>,
    phone_keys: Vec<String>,
    /// Apple puts a label beside a property in the same group: item1.X-ABLabel.
    ab_labels: HashMap<String, String>,
    /// Groups whose property was modelled (so their label was used).
    groups_used: HashSet<String>,
    /// Where each X-ABLabel was kept among the extras, and its group.
    label_slots: Vec<(usize, Option<String>)>,
    /// The card is vCard 2.1 (see [`Property::to_extra`]).
    from_21: bool,
}

impl Card {
    fn new(properties: &[Property]) -> Result<Card, String> {
        let mut warnings = Vec::new();
        let mut ab_labels = HashMap::new();
        for p in properties {
            if p.name == "X-ABLABEL"
                && let Some(g) = &p.group
            {
                let label = clean_ab_label(&unescape(&p.text(&mut warnings)?));
                ab_labels.insert(g.clone(), label);
            }
        }
        let from_21 = properties
            .iter()
            .any(|p| p.name == "VERSION" && p.value.trim_ascii() == b"2.1");
        Ok(Card {
            warnings,
            fields: ContactFields::default(),
            extras: Vec::new(),
            uid: None,
            formatted_name: None,
            n_name: None,
            notes: Vec::new(),
            preferred: Vec::new(),
            email_keys: Vec::new(),
            phone_keys: Vec::new(),
            ab_labels,
            groups_used: HashSet::new(),
            label_slots: Vec::new(),
            from_21,
        })
    }

    /// Keep `p` as an extra line.
    fn keep(&mut self, p: &Property) -> Result<(), String> {
        let line = p.to_extra(&mut self.warnings, self.from_21)?;
        self.extras.push(line);
        Ok(())
    }

    /// Keep `p` as an extra line and say why it was not modelled.
    fn keep_with_warning(&mut self, p: &Property, why: String) -> Result<Taken, String> {
        self.warnings.push(Warning {
            line: Some(p.line),
            message: format!("{why}; kept as an unmodelled {} property", p.name),
        });
        self.keep(p)?;
        Ok(Taken::Done)
    }

    fn take(&mut self, p: &Property) -> Result<(), String> {
        if p.name == "X-ABLABEL" {
            // Kept in place for now; dropped at the end if its property took it as a label.
            self.label_slots.push((self.extras.len(), p.group.clone()));
            return self.keep(p);
        }
        if p.is_base64() {
            return self.keep(p);
        }
        let text = p.text(&mut self.warnings)?;
        match self.model(p, &text)? {
            Taken::Modelled => {
                if let Some(g) = &p.group {
                    self.groups_used.insert(g.clone());
                }
            }
            Taken::Unmodelled => self.keep(p)?,
            Taken::Done => {}
        }
        Ok(())
    }

    /// Make a field of `p`, whose decoded value is `text`, if kith models it.
    fn model(&mut self, p: &Property, text: &str) -> Result<Taken, String> {
        let one = || unescape(text).trim().to_string();
        match &*p.name {
            "FN" => self.first_or_keep(p, one(), |c| &mut c.formatted_name),
            "N" => self.structured_name(p, text),
            "NICKNAME" => self.first_or_keep(p, one(), |c| &mut c.fields.nickname),
            "ORG" => self.organization(p, text),
            "TITLE" => self.first_or_keep(p, one(), |c| &mut c.fields.title),
            "EMAIL" => {
                let v = one();
                let v = v.strip_prefix("mailto:").unwrap_or(&v);
                self.detail(p, FieldKind::Email, validate_email(v))
            }
            "TEL" => self.detail(
                p,
                FieldKind::Phone,
                validate_phone(&phone_text(&unescape(text))),
            ),
            "ADR" => self.address(p, text),
            "URL" => Ok(self.labeled(p, FieldKind::Url, one())),
            "X-SOCIALPROFILE" => Ok(self.labeled(p, FieldKind::Social, one())),
            "BDAY" => self.birthday(p, text),
            "NOTE" => {
                let v = unescape(text).replace("\r\n", "\n").trim().to_string();
                if !v.is_empty() {
                    self.notes.push(v);
                }
                Ok(Taken::Modelled)
            }
            "CATEGORIES" => self.categories(p, text),
            "X-KITH-PREFERRED-CHANNEL" => Ok(match text.trim().parse() {
                Ok(c) => {
                    self.fields.preferred_channel = Some(c);
                    Taken::Modelled
                }
                Err(_) => Taken::Unmodelled,
            }),
            "X-KITH-CADENCE" => Ok(match crate::model::Period::parse(text.trim()) {
                Ok(period) => {
                    self.fields.cadence = Some(period);
                    Taken::Modelled
                }
                Err(_) => Taken::Unmodelled,
            }),
            "UID" => {
                let v = one();
                if self.uid.is_none() && !v.is_empty() {
                    self.uid = Some(v);
                }
                Ok(Taken::Modelled)
            }
            _ => Ok(Taken::Unmodelled),
        }
    }

    /// A one-value field: the first non-empty value is it; later ones are kept.
    fn first_or_keep(
        &mut self,
        p: &Property,
        value: String,
        slot: impl Fn(&mut Card) -> &mut Option<String>,
    ) -> Result<Taken, String> {
        if value.is_empty() {
            return Ok(Taken::Modelled);
        }
        if slot(self).is_none() {
            *slot(self) = Some(value);
        } else {
            self.keep(p)?;
        }
        Ok(Taken::Modelled)
    }

    /// N: family and given names; middle names, prefixes and suffixes keep the whole N.
    fn structured_name(&mut self, p: &Property, text: &str) -> Result<Taken, String> {
        let parts = components(text);
        if self.fields.family_name.is_some() || self.fields.given_name.is_some() {
            self.keep(p)?;
            return Ok(Taken::Modelled);
        }
        let family = parts.first().filter(|s| !s.is_empty()).cloned();
        let given = parts.get(1).filter(|s| !s.is_empty()).cloned();
        self.fields.family_name = family.clone();
        self.fields.given_name = given.clone();
        let joined = [given, family]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !joined.is_empty() {
            self.n_name = Some(joined);
        }
        if parts.iter().skip(2).any(|s| !s.is_empty()) {
            self.keep(p)?;
        }
        Ok(Taken::Modelled)
    }

    /// ORG: the organization's name; departments keep the whole ORG.
    fn organization(&mut self, p: &Property, text: &str) -> Result<Taken, String> {
        let parts = components(text);
        let name = parts.first().filter(|s| !s.is_empty()).cloned();
        if self.fields.organization.is_none() && name.is_some() {
            self.fields.organization = name;
            if parts.iter().skip(1).any(|s| !s.is_empty()) {
                self.keep(p)?;
            }
        } else if parts.iter().any(|s| !s.is_empty()) {
            self.keep(p)?;
        }
        Ok(Taken::Modelled)
    }

    /// An email or phone, checked: a value kith cannot use is kept with a warning.
    fn detail(
        &mut self,
        p: &Property,
        kind: FieldKind,
        checked: Result<String, crate::Error>,
    ) -> Result<Taken, String> {
        let value = match checked {
            Ok(value) => value,
            Err(e) => return self.keep_with_warning(p, e.to_string()),
        };
        let label = label_of(p, &self.ab_labels);
        let (value_key, keys) = match kind {
            FieldKind::Email => (email_key(&value), &mut self.email_keys),
            _ => (phone_key(&value), &mut self.phone_keys),
        };
        let list = self.fields.labeled(kind);
        let relabelled = keys
            .iter()
            .position(|k| *k == value_key)
            .map(|same| list[same].label != label);
        let index = list.len();
        if let Some(relabelled) = relabelled {
            // The same value again under another label (a number that is both home and
            // fax): kith keeps one, so the second is kept as written, to go back out on
            // export.
            if relabelled {
                self.keep(p)?;
            }
            return Ok(Taken::Done);
        }
        keys.push(value_key);
        if p.is_preferred() {
            self.preferred.push((kind, index));
        }
        self.fields.labeled_mut(kind).push(Labeled { label, value });
        Ok(Taken::Modelled)
    }

    /// A URL or social profile, unchecked.
    fn labeled(&mut self, p: &Property, kind: FieldKind, value: String) -> Taken {
        if !value.is_empty() {
            let label = label_of(p, &self.ab_labels);
            self.fields.labeled_mut(kind).push(Labeled { label, value });
        }
        Taken::Modelled
    }

    /// ADR: its text is the address; the structured form (street, city, code...) is kept
    /// for export.
    /// An address, and its ADR kept as it came (the writer writes it back while it says the
    /// same), unless it is the very line the writer makes of that address: kith's own export
    /// read back then adds nothing to the contact it was made from.
    fn address(&mut self, p: &Property, text: &str) -> Result<Taken, String> {
        let value = address_text(text);
        if !value.is_empty() {
            let label = label_of(p, &self.ab_labels);
            let line = p.to_extra(&mut self.warnings, self.from_21)?;
            // kith's line ends with the four empty parts after the street: only a line that
            // does too can be it (most addresses come with their parts filled).
            let made = (p.group.is_none() && line.ends_with(";;;;"))
                .then(|| super::write::plain_line("ADR", label.as_deref(), &flat_address(&value)));
            if made.flatten().as_deref() != Some(line.as_str()) {
                self.extras.push(line);
            }
            self.fields.addresses.push(Labeled { label, value });
        }
        Ok(Taken::Modelled)
    }

    fn birthday(&mut self, p: &Property, text: &str) -> Result<Taken, String> {
        // A birthday left blank by its writer ("0000-00-00") is no birthday.
        if crate::formats::is_empty_date(text) {
            return Ok(Taken::Done);
        }
        match birthday_of(text) {
            Some(b) if self.fields.birthday.is_none() => self.fields.birthday = Some(b),
            Some(_) => self.keep(p)?,
            None => {
                let why = format!("birthday \"{}\" is not a date kith reads", text.trim());
                self.keep_with_warning(p, why)?;
            }
        }
        Ok(Taken::Modelled)
    }

    /// CATEGORIES: tags; one that is not a valid tag keeps the whole property.
    fn categories(&mut self, p: &Property, text: &str) -> Result<Taken, String> {
        let mut tags = Vec::new();
        let mut bad = None;
        // Escaped commas too: some writers (Thunderbird) escape the separators.
        for raw in unescape(text).split(',') {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            match normalize_tag(&raw.split_whitespace().collect::<Vec<_>>().join("-")) {
                Ok(t) => tags.push(t),
                Err(e) => bad = Some(e.to_string()),
            }
        }
        match bad {
            None => {
                self.fields.tags.extend(tags);
                Ok(Taken::Modelled)
            }
            Some(why) => {
                self.keep_with_warning(p, why)?;
                Ok(Taken::Modelled)
            }
        }
    }

    /// The contact, once every property is taken.
    fn finish(mut self) -> Result<ContactIn, String> {
        // Labels whose property was modelled became its label; the others stay beside it.
        for (index, group) in std::mem::take(&mut self.label_slots).into_iter().rev() {
            if group.as_ref().is_some_and(|g| self.groups_used.contains(g)) {
                self.extras.remove(index);
            }
        }
        self.preferred_first();
        let mut fields = self.fields;
        if !self.notes.is_empty() {
            fields.notes = Some(self.notes.join("\n\n"));
        }
        fields.display_name = self
            .formatted_name
            .or(self.n_name)
            .or_else(|| fields.organization.clone())
            .or_else(|| fields.nickname.clone())
            .or_else(|| fields.emails.first().map(|e| e.value.clone()))
            .or_else(|| fields.phones.first().map(|p| p.value.clone()))
            .ok_or(
                "the card has no FN, N, ORG, NICKNAME, EMAIL or TEL: nothing to name the contact by",
            )?;
        // A name spread over lines is one line of text in kith.
        fields.display_name = fields.display_name.replace(['\r', '\n'], " ");
        // Emails and phones were made unique by their keys as they were taken (`detail`).
        fields
            .validate_with_unique(&[FieldKind::Email, FieldKind::Phone])
            .map_err(|e| e.to_string())?;
        // A value decoded twice (for a field and for its kept form) warns once.
        let mut warnings = self.warnings;
        if warnings.len() > 16 {
            let mut seen = HashSet::new();
            warnings.retain(|w| seen.insert((w.line, w.message.clone())));
        } else if warnings.len() > 1 {
            let mut kept: Vec<Warning> = Vec::with_capacity(warnings.len());
            for w in warnings {
                if !kept
                    .iter()
                    .any(|k| k.line == w.line && k.message == w.message)
                {
                    kept.push(w);
                }
            }
            warnings = kept;
        }
        Ok(ContactIn {
            uid: self.uid,
            fields,
            extras: self.extras,
            created_at: None,
            updated_at: None,
            archived_at: None,
            warnings,
        })
    }

    /// Preferred emails and phones come first, in their order.
    fn preferred_first(&mut self) {
        for kind in [FieldKind::Email, FieldKind::Phone] {
            let pref: Vec<usize> = self
                .preferred
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, i)| *i)
                .collect();
            if pref.is_empty() {
                continue;
            }
            let list = self.fields.labeled_mut(kind);
            let mut ordered: Vec<Labeled> =
                pref.iter().filter_map(|&i| list.get(i).cloned()).collect();
            for (i, item) in list.iter().enumerate() {
                if !pref.contains(&i) {
                    ordered.push(item.clone());
                }
            }
            *list = ordered;
        }
    }
}

/// The `;`-separated components of a structured value (N, ORG), unescaped and trimmed.
fn components(text: &str) -> Vec<String> {
    split_unescaped(text, ';')
        .into_iter()
        .map(|s| unescape(s).trim().to_string())
        .collect()
}
