//! CSV address books: Google Contacts (current and legacy headers, ` ::: ` multi-values, `* `
//! primary markers, multi-line quoted cells), Outlook, LinkedIn `Connections.csv` (after its
//! notes preamble), Thunderbird, kith's own export, and any other CSV with a header row, with
//! `--map "Column=field"` for columns kith does not recognise.
//!
//! Columns are recognised by their names. A column that is not recognised and not mapped is
//! kept with the contact as an `X-CSV-...` property, so that nothing is dropped.

use std::collections::HashMap;

use super::{ContactIn, Located, Location, Problem, Record, RecordResult, Warning};
use crate::model::{
    Birthday, ContactFields, FieldKind, Labeled, normalize_tag, validate_email, validate_phone,
};

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Display,
    Given,
    Family,
    Nickname,
    Organization,
    Title,
    /// A labeled detail; the label comes from the header or from a paired label column.
    Detail(FieldKind, Option<String>),
    /// kith's own export: `label:value ::: label:value`.
    OwnList(FieldKind),
    /// The label of the numbered detail `(kind, n)` (Google's "E-mail 1 - Label").
    LabelOf(FieldKind, u32),
    /// A numbered detail's value.
    ValueOf(FieldKind, u32),
    /// A part of an address assembled from several columns: (which address, part order).
    AddressPart(String, u8),
    Birthday,
    BirthYear,
    BirthMonth,
    BirthDay,
    Notes,
    Tags,
    Uid,
    Channel,
    Cadence,
    CreatedAt,
    UpdatedAt,
    Ignore,
    Keep,
}

/// The fields `--map` accepts.
pub const MAP_FIELDS: &str = "display_name, given_name, family_name, nickname, organization, title, email, phone, address, url, social, birthday, notes, tags, uid, ignore";

fn mapped(field: &str) -> Option<Target> {
    Some(match field.trim().to_ascii_lowercase().as_str() {
        "display_name" | "name" => Target::Display,
        "given_name" | "first_name" => Target::Given,
        "family_name" | "last_name" => Target::Family,
        "nickname" => Target::Nickname,
        "organization" | "company" => Target::Organization,
        "title" => Target::Title,
        "email" => Target::Detail(FieldKind::Email, None),
        "phone" => Target::Detail(FieldKind::Phone, None),
        "address" => Target::Detail(FieldKind::Address, None),
        "url" => Target::Detail(FieldKind::Url, None),
        "social" => Target::Detail(FieldKind::Social, None),
        "birthday" => Target::Birthday,
        "notes" => Target::Notes,
        "tags" => Target::Tags,
        "uid" => Target::Uid,
        "ignore" => Target::Ignore,
        _ => return None,
    })
}

/// A label from the words of a header: "Business Phone 2" → work, "Mobile Phone" → mobile.
fn label_from(words: &str) -> Option<String> {
    let w = words.to_ascii_lowercase();
    let mut parts = Vec::new();
    if w.contains("business") || w.contains("work") || w.contains("company") {
        parts.push("work");
    } else if w.contains("home") || w.contains("personal") || w.contains("private") {
        parts.push("home");
    } else if w.contains("other") {
        parts.push("other");
    }
    if w.contains("mobile") || w.contains("cell") {
        parts.retain(|p| *p != "home");
        parts.push("mobile");
    }
    if w.contains("fax") {
        parts.push("fax");
    }
    if w.contains("pager") {
        parts.push("pager");
    }
    if w.contains("assistant") {
        parts.push("assistant");
    }
    if w.contains("car") && !w.contains("card") {
        parts.push("car");
    }
    (!parts.is_empty()).then(|| parts.join("-"))
}

fn numbered(header: &str) -> Option<(FieldKind, u32, bool)> {
    // "E-mail 1 - Value", "Phone 2 - Label", "Website 1 - Type", "Address 1 - Formatted"
    let (left, right) = header.split_once(" - ")?;
    let (name, n) = left.trim().rsplit_once(' ')?;
    let n: u32 = n.parse().ok()?;
    let kind = match name.to_ascii_lowercase().as_str() {
        "e-mail" | "email" => FieldKind::Email,
        "phone" => FieldKind::Phone,
        "website" => FieldKind::Url,
        "address" => FieldKind::Address,
        _ => return None,
    };
    let right = right.trim().to_ascii_lowercase();
    match right.as_str() {
        "label" | "type" => Some((kind, n, true)),
        "value" => Some((kind, n, false)),
        "formatted" if kind == FieldKind::Address => Some((kind, n, false)),
        _ => None,
    }
}

/// Recognise a header.
fn classify(header: &str, all: &[String]) -> Target {
    let h = header.trim().to_ascii_lowercase();
    if let Some((kind, n, is_label)) = numbered(header) {
        return if is_label {
            Target::LabelOf(kind, n)
        } else {
            Target::ValueOf(kind, n)
        };
    }
    // Google's address components beside "Address 1 - Formatted" are the same address.
    if h.starts_with("address ") && h.contains(" - ") {
        return Target::Ignore;
    }
    let has = |name: &str| all.iter().any(|a| a.trim().eq_ignore_ascii_case(name));
    match h.as_str() {
        "uid" => return Target::Uid,
        "display_name" | "display name" | "name" | "full name" => return Target::Display,
        "given_name" | "first name" | "given name" | "firstname" => return Target::Given,
        "family_name" | "last name" | "family name" | "surname" | "lastname" => {
            return Target::Family;
        }
        "nickname" => return Target::Nickname,
        "organization"
        | "organization name"
        | "company"
        | "organisation"
        | "organization 1 - name" => return Target::Organization,
        "organization title" | "job title" | "position" | "organization 1 - title" => {
            return Target::Title;
        }
        // Outlook's and Roundcube's "Title" is Mr./Ms.; a job title has its own column there.
        "title" if has("job title") => return Target::Keep,
        "title" => return Target::Title,
        "birthday" => return Target::Birthday,
        "birth year" => return Target::BirthYear,
        "birth month" => return Target::BirthMonth,
        "birth day" => return Target::BirthDay,
        "notes" | "note" => return Target::Notes,
        "labels" | "group membership" | "categories" | "tags" => return Target::Tags,
        "emails" => return Target::OwnList(FieldKind::Email),
        "phones" => return Target::OwnList(FieldKind::Phone),
        "addresses" => return Target::OwnList(FieldKind::Address),
        "urls" => return Target::OwnList(FieldKind::Url),
        "socials" => return Target::OwnList(FieldKind::Social),
        // LinkedIn's profile link.
        "url" if has("connected on") => {
            return Target::Detail(FieldKind::Social, Some("linkedin".into()));
        }
        "preferred_channel" => return Target::Channel,
        "cadence" => return Target::Cadence,
        "created_at" => return Target::CreatedAt,
        "updated_at" => return Target::UpdatedAt,
        _ => {}
    }
    if h.contains("mail") && !h.contains("type") && !h.contains("display") {
        return Target::Detail(FieldKind::Email, label_from(&h));
    }
    if (h.contains("phone") || h.contains("mobile") || h.contains("fax") || h.contains("pager"))
        && !h.contains("yomi")
    {
        return Target::Detail(FieldKind::Phone, label_from(&h));
    }
    if h.contains("web page") || h.contains("website") || h == "url" || h.starts_with("url ") {
        return Target::Detail(FieldKind::Url, label_from(&h));
    }
    // Outlook/Thunderbird address components: "Business Street", "Home City", "Work ZipCode".
    for (part, order) in [
        ("street", 0u8),
        ("address 2", 1),
        ("address", 0),
        ("city", 2),
        ("state", 3),
        ("postal code", 4),
        ("zip", 4),
        ("zipcode", 4),
        ("country", 5),
    ] {
        if let Some(prefix) = h.strip_suffix(part) {
            let which = label_from(prefix).unwrap_or_else(|| prefix.trim().to_string());
            if !which.is_empty() || part == "address" {
                let order = if part == "country" && h.ends_with("country/region") {
                    5
                } else {
                    order
                };
                return Target::AddressPart(which, order);
            }
        }
        if h.ends_with("country/region") {
            let prefix = h.trim_end_matches("country/region");
            return Target::AddressPart(label_from(prefix).unwrap_or_default(), 5);
        }
    }
    Target::Keep
}

/// Undo the spreadsheet guard kith's CSV export adds ('=1' was written as "'=1").
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// Google's " ::: " separates several values in one cell.
fn values(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(" ::: ").map(str::trim).filter(|v| !v.is_empty())
}

/// A CSV birthday: 1815-12-10, --12-09, 12/10/1815 (US) or 20/01/1991 (day first when the
/// first number cannot be a month).
fn birthday_of(value: &str) -> Option<Birthday> {
    let v = value.trim();
    if let Ok(b) = Birthday::parse(v) {
        return Some(b);
    }
    let parts: Vec<&str> = v.split(['/', '.']).collect();
    if parts.len() == 3 {
        let a: u32 = parts[0].parse().ok()?;
        let b: u32 = parts[1].parse().ok()?;
        let year = parts[2];
        let (month, day) = if a > 12 || v.contains('.') {
            (b, a)
        } else {
            (a, b)
        };
        return Birthday::parse(&format!("{year}-{month:02}-{day:02}")).ok();
    }
    None
}

/// Read a CSV file with a header row.
pub fn read(text: String, map: &[(String, String)]) -> Result<Vec<RecordResult>, String> {
    // LinkedIn starts with "Notes:" and a paragraph, then a blank line, then the header.
    let mut skipped_lines = 0;
    let mut body: &str = &text;
    if text.trim_start_matches('\u{feff}').starts_with("Notes:") {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            offset += line.len();
            skipped_lines += 1;
            if line.trim().is_empty() {
                break;
            }
        }
        body = &text[offset.min(text.len())..];
    }
    let body = body.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(body.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            format!(
                "line {}: cannot read the header row: {e}",
                skipped_lines + 1
            )
        })?
        .iter()
        .map(str::to_string)
        .collect();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(format!(
            "line {}: the header row is empty",
            skipped_lines + 1
        ));
    }
    let mut targets: Vec<Target> = headers.iter().map(|h| classify(h, &headers)).collect();
    for (column, field) in map {
        let Some(i) = headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(column.trim()))
        else {
            return Err(format!(
                "--map names column \"{column}\", which the header row does not have (it has: {})",
                headers.join(", ")
            ));
        };
        targets[i] = mapped(field).ok_or_else(|| {
            format!(
                "--map \"{column}={field}\": unknown field \"{field}\" (use one of: {MAP_FIELDS})"
            )
        })?;
    }
    let mut out = Vec::new();
    for (index, row) in reader.records().enumerate() {
        let record_no = index + 1;
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| p.line() as usize + skipped_lines)
                    .unwrap_or(0);
                out.push(Err(Problem::new(
                    Location {
                        line: Some(line),
                        record: record_no,
                    },
                    format!("not valid CSV: {e}"),
                )));
                continue;
            }
        };
        let line = row
            .position()
            .map(|p| p.line() as usize + skipped_lines)
            .unwrap_or(0);
        let at = Location {
            line: Some(line),
            record: record_no,
        };
        let cells: Vec<&str> = row.iter().map(unguard).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut fingerprint = headers.join("\u{1f}");
        for c in &cells {
            fingerprint.push('\u{1e}');
            fingerprint.push_str(c);
        }
        out.push(
            to_contact(&headers, &targets, &cells, &fingerprint)
                .map(|contact| Located {
                    at,
                    record: Record::Contact(Box::new(contact)),
                })
                .map_err(|m| Problem::new(at, m)),
        );
    }
    Ok(out)
}

fn to_contact(
    headers: &[String],
    targets: &[Target],
    cells: &[&str],
    fingerprint: &str,
) -> Result<ContactIn, String> {
    let mut fields = ContactFields::default();
    let mut extras = Vec::new();
    let mut warnings = Vec::new();
    let mut uid = None;
    let mut display = None;
    let mut notes = Vec::new();
    let mut numbered_labels: HashMap<(FieldKind, u32), String> = HashMap::new();
    let mut numbered_values: Vec<(FieldKind, u32, String)> = Vec::new();
    let mut address_parts: Vec<(String, u8, String)> = Vec::new();
    let (mut year, mut month, mut day) = (None, None, None);
    let (mut created_at, mut updated_at) = (None, None);

    let add = |fields: &mut ContactFields,
               extras: &mut Vec<String>,
               warnings: &mut Vec<Warning>,
               kind: FieldKind,
               label: Option<String>,
               raw: &str| {
        for v in values(raw) {
            let (primary, v) = match v.strip_prefix("* ") {
                Some(rest) => (true, rest.trim()),
                None => (false, v),
            };
            let checked = match kind {
                FieldKind::Email => validate_email(v).map_err(|e| e.to_string()),
                FieldKind::Phone => validate_phone(v).map_err(|e| e.to_string()),
                _ => Ok(v.replace(['\r', '\n'], ", ")),
            };
            match checked {
                Ok(value) => {
                    let item = Labeled {
                        label: label.clone(),
                        value,
                    };
                    let list = fields.labeled_mut(kind);
                    if primary {
                        list.insert(0, item);
                    } else {
                        list.push(item);
                    }
                }
                Err(why) => {
                    let name = if kind == FieldKind::Email {
                        "EMAIL"
                    } else {
                        "TEL"
                    };
                    warnings.push(Warning {
                        line: None,
                        message: format!("{why}; kept as an unmodelled {name} property"),
                    });
                    let params = label
                        .as_ref()
                        .map(|l| format!(";TYPE={}", l.replace([',', ';', ':', '"'], "-")))
                        .unwrap_or_default();
                    extras.push(format!("{name}{params}:{}", super::vcard_write::escape(v)));
                }
            }
        }
    };

    for (i, target) in targets.iter().enumerate() {
        let cell = cells.get(i).copied().unwrap_or("").trim();
        if cell.is_empty() {
            continue;
        }
        let one_line = || cell.replace(['\r', '\n'], " ");
        match target {
            Target::Display => display = Some(one_line()),
            Target::Given => fields.given_name = Some(one_line()),
            Target::Family => fields.family_name = Some(one_line()),
            Target::Nickname => fields.nickname = Some(one_line()),
            Target::Organization => fields.organization = Some(one_line()),
            Target::Title => fields.title = Some(one_line()),
            Target::Detail(kind, label) => add(
                &mut fields,
                &mut extras,
                &mut warnings,
                *kind,
                label.clone(),
                cell,
            ),
            Target::OwnList(kind) => {
                for item in values(cell) {
                    let parsed = Labeled::parse_labeled(*kind, item);
                    let (label, value) = match parsed {
                        Ok(l) => (l.label, l.value),
                        Err(_) => (None, item.to_string()),
                    };
                    add(
                        &mut fields,
                        &mut extras,
                        &mut warnings,
                        *kind,
                        label,
                        &value,
                    );
                }
            }
            Target::LabelOf(kind, n) => {
                let label = cell.trim_start_matches("* ").trim().to_lowercase();
                if cell.starts_with("* ") {
                    numbered_labels.insert((*kind, *n + 10_000), String::new());
                }
                numbered_labels.insert((*kind, *n), label);
            }
            Target::ValueOf(kind, n) => numbered_values.push((*kind, *n, cell.to_string())),
            Target::AddressPart(which, order) => {
                address_parts.push((which.clone(), *order, one_line()))
            }
            Target::Birthday => match birthday_of(cell) {
                Some(b) => fields.birthday = Some(b),
                None => {
                    warnings.push(Warning {
                        line: None,
                        message: format!(
                            "birthday \"{cell}\" is not a date kith reads; kept as an unmodelled BDAY property"
                        ),
                    });
                    extras.push(format!(
                        "BDAY;VALUE=text:{}",
                        super::vcard_write::escape(cell)
                    ));
                }
            },
            Target::BirthYear => year = cell.parse::<i32>().ok(),
            Target::BirthMonth => month = cell.parse::<u32>().ok(),
            Target::BirthDay => day = cell.parse::<u32>().ok(),
            Target::Notes => notes.push(cell.replace("\r\n", "\n")),
            Target::Tags => {
                for raw in values(cell).flat_map(|v| v.split(';')) {
                    let raw = raw.trim().trim_start_matches("* ").trim();
                    if raw.is_empty() {
                        continue;
                    }
                    let tag = raw.split_whitespace().collect::<Vec<_>>().join("-");
                    match normalize_tag(&tag) {
                        Ok(t) => fields.tags.push(t),
                        Err(e) => {
                            warnings.push(Warning {
                                line: None,
                                message: format!("{e}; kept as an unmodelled CATEGORIES property"),
                            });
                            extras.push(format!("CATEGORIES:{}", super::vcard_write::escape(raw)));
                        }
                    }
                }
            }
            Target::Uid => uid = Some(cell.to_string()),
            Target::Channel => {
                fields.preferred_channel =
                    Some(cell.parse().map_err(|e: crate::Error| e.to_string())?)
            }
            Target::Cadence => {
                fields.cadence = Some(crate::model::Period::parse(cell).map_err(|_| {
                    format!("invalid cadence \"{cell}\": expected a period such as 30d, 2w, 3m, 1y")
                })?)
            }
            Target::CreatedAt | Target::UpdatedAt => {
                let t = chrono::DateTime::parse_from_rfc3339(cell)
                    .map_err(|_| {
                        format!(
                            "invalid time \"{cell}\" in column {}: expected RFC 3339",
                            headers[i]
                        )
                    })?
                    .with_timezone(&chrono::Utc);
                if *target == Target::CreatedAt {
                    created_at = Some(t);
                } else {
                    updated_at = Some(t);
                }
            }
            Target::Ignore => {}
            Target::Keep => {
                let name: String = headers[i]
                    .trim()
                    .to_ascii_uppercase()
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect();
                extras.push(format!(
                    "X-CSV-{}:{}",
                    name.trim_matches('-'),
                    super::vcard_write::escape(cell)
                ));
            }
        }
    }
    // Google's numbered details, with their labels ("* " marks the primary one).
    numbered_values.sort_by_key(|(kind, n, _)| (kind.as_str(), *n));
    for (kind, n, value) in numbered_values {
        let label = numbered_labels
            .get(&(kind, n))
            .filter(|l| !l.is_empty())
            .cloned();
        let primary = numbered_labels.contains_key(&(kind, n + 10_000));
        let before = fields.labeled(kind).len();
        add(&mut fields, &mut extras, &mut warnings, kind, label, &value);
        if primary && fields.labeled(kind).len() > before {
            let list = fields.labeled_mut(kind);
            let item = list.remove(before);
            list.insert(0, item);
        }
    }
    // Addresses from components, in a stable order of which address they are.
    let mut by_which: Vec<(String, Vec<(u8, String)>)> = Vec::new();
    for (which, order, value) in address_parts {
        match by_which.iter_mut().find(|(w, _)| *w == which) {
            Some((_, parts)) => parts.push((order, value)),
            None => by_which.push((which, vec![(order, value)])),
        }
    }
    for (which, mut parts) in by_which {
        parts.sort_by_key(|(o, _)| *o);
        let mut text: Vec<String> = Vec::new();
        let mut region_code = Vec::new();
        for (order, v) in parts {
            if order == 3 || order == 4 {
                region_code.push(v);
            } else {
                if !region_code.is_empty() {
                    text.push(std::mem::take(&mut region_code).join(" "));
                }
                text.push(v);
            }
        }
        if !region_code.is_empty() {
            text.push(region_code.join(" "));
        }
        let label = (!which.is_empty()).then_some(which);
        fields.addresses.push(Labeled {
            label,
            value: text.join(", "),
        });
    }
    if let (Some(m), Some(d)) = (month, day) {
        let text = match year {
            Some(y) => format!("{y:04}-{m:02}-{d:02}"),
            None => format!("--{m:02}-{d:02}"),
        };
        match Birthday::parse(&text) {
            Ok(b) => fields.birthday = Some(b),
            Err(_) => extras.push(format!("BDAY;VALUE=text:{text}")),
        }
    }
    if !notes.is_empty() {
        fields.notes = Some(notes.join("\n\n"));
    }
    fields.display_name = display
        .or_else(|| {
            let joined = [&fields.given_name, &fields.family_name]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            (!joined.is_empty()).then_some(joined)
        })
        .or_else(|| fields.organization.clone())
        .or_else(|| fields.nickname.clone())
        .or_else(|| fields.emails.first().map(|e| e.value.clone()))
        .or_else(|| fields.phones.first().map(|p| p.value.clone()))
        .ok_or(
            "the row has no name, organization, email or phone: nothing to name the contact by",
        )?;
    fields.validate().map_err(|e| e.to_string())?;
    Ok(ContactIn {
        uid: Some(uid.unwrap_or_else(|| super::content_uid(fingerprint.as_bytes()))),
        fields,
        extras,
        created_at,
        updated_at,
        archived_at: None,
        warnings,
    })
}

/// Cells a spreadsheet would run as a formula get a leading `'`.
pub fn guard(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The columns of kith's CSV export; `kith import` reads them back.
pub const EXPORT_HEADERS: [&str; 19] = [
    "uid",
    "display_name",
    "given_name",
    "family_name",
    "nickname",
    "organization",
    "title",
    "emails",
    "phones",
    "addresses",
    "urls",
    "socials",
    "birthday",
    "preferred_channel",
    "cadence",
    "notes",
    "tags",
    "created_at",
    "updated_at",
];

/// One contact as a row of [`EXPORT_HEADERS`]; several values joined by ` ::: `, each
/// `label:value`.
pub fn export_row(
    uid: &str,
    fields: &ContactFields,
    created_at: &str,
    updated_at: &str,
    guarded: bool,
) -> Vec<String> {
    let list = |kind: FieldKind| {
        fields
            .labeled(kind)
            .iter()
            .map(|l| match &l.label {
                Some(label) => format!("{label}:{}", l.value),
                None => l.value.clone(),
            })
            .collect::<Vec<_>>()
            .join(" ::: ")
    };
    let row = vec![
        uid.to_string(),
        fields.display_name.clone(),
        fields.given_name.clone().unwrap_or_default(),
        fields.family_name.clone().unwrap_or_default(),
        fields.nickname.clone().unwrap_or_default(),
        fields.organization.clone().unwrap_or_default(),
        fields.title.clone().unwrap_or_default(),
        list(FieldKind::Email),
        list(FieldKind::Phone),
        list(FieldKind::Address),
        list(FieldKind::Url),
        list(FieldKind::Social),
        fields.birthday.map(|b| b.to_string()).unwrap_or_default(),
        fields
            .preferred_channel
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
        fields.cadence.map(|c| c.to_string()).unwrap_or_default(),
        fields.notes.clone().unwrap_or_default(),
        fields.tags.join(" ::: "),
        created_at.to_string(),
        updated_at.to_string(),
    ];
    if guarded {
        row.iter().map(|c| guard(c)).collect()
    } else {
        row
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_recognised() {
        let all: Vec<String> = ["Title", "Job Title"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(classify("Title", &all), Target::Keep);
        assert_eq!(classify("Job Title", &all), Target::Title);
        assert_eq!(
            classify("Business Phone 2", &[]),
            Target::Detail(FieldKind::Phone, Some("work".into()))
        );
        assert_eq!(
            classify("Mobile Phone", &[]),
            Target::Detail(FieldKind::Phone, Some("mobile".into()))
        );
        assert_eq!(
            classify("E-mail 2 - Value", &[]),
            Target::ValueOf(FieldKind::Email, 2)
        );
        assert_eq!(
            classify("Phone 1 - Type", &[]),
            Target::LabelOf(FieldKind::Phone, 1)
        );
        assert_eq!(
            classify("Business City", &[]),
            Target::AddressPart("work".into(), 2)
        );
    }

    #[test]
    fn birthdays_in_csv_shapes() {
        assert_eq!(birthday_of("12/10/1815").unwrap().to_string(), "1815-12-10");
        assert_eq!(birthday_of("20/01/1991").unwrap().to_string(), "1991-01-20");
        assert_eq!(birthday_of("--12-09").unwrap().to_string(), "--12-09");
    }

    #[test]
    fn the_guard_is_undone_on_import() {
        assert_eq!(guard("=1+1"), "'=1+1");
        assert_eq!(guard("+44 20"), "'+44 20");
        assert_eq!(guard("Ada"), "Ada");
        assert_eq!(unguard("'=1+1"), "=1+1");
        assert_eq!(unguard("'tis"), "'tis");
    }
}
