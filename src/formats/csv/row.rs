//! One CSV row to a contact, column by column as [`super::columns`] recognised them: names,
//! details (` ::: ` multi-values, `* ` primary markers, numbered values with their label
//! columns), addresses assembled from their parts, birthdays in their several shapes and
//! parts, tags, kith's own columns. A value kith cannot use and a column it does not know are
//! kept as vCard content lines, so that nothing is dropped.

use std::collections::HashMap;

use super::columns::Target;
use crate::formats::vcard::write::escape;
use crate::formats::{ContactIn, Warning, is_empty_date};
use crate::model::{
    Birthday, ContactFields, FieldKind, Labeled, normalize_tag, validate_email, validate_phone,
};

/// Undo the spreadsheet guard kith's CSV export adds ('=1' was written as "'=1").
pub(super) fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// How a contact Google marked with a star is kept (kith has no star field).
const STARRED: &str = "X-KITH-STARRED:TRUE";

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

/// Whether a column holds a date, where a writer's blank date ("0/0/00") means no value:
/// the birthday and its parts, and columns kith keeps such as Outlook's "Anniversary".
fn holds_a_date(target: &Target, header: &str) -> bool {
    match target {
        Target::Birthday | Target::BirthYear | Target::BirthMonth | Target::BirthDay => true,
        Target::Keep => {
            let header = header.to_ascii_lowercase();
            ["anniversary", "date", "birth"]
                .iter()
                .any(|word| header.contains(word))
        }
        _ => false,
    }
}

/// The property a column kith does not know is kept as: `X-CSV-` and its header in capitals,
/// anything but letters and digits made a dash ("Mail 2" → `X-CSV-MAIL-2`).
pub(super) fn kept_property_name(header: &str) -> String {
    let name: String = header
        .trim()
        .to_ascii_uppercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("X-CSV-{}", name.trim_matches('-'))
}

/// Turn a row's cells, read by their columns' targets, into a contact. `kept[i]` is set when
/// a value of column `i`, which kith does not know, is kept as an `X-CSV-` property.
pub(super) fn to_contact(
    headers: &[String],
    targets: &[Target],
    cells: &[&str],
    fingerprint: &str,
    kept: &mut [bool],
) -> Result<ContactIn, String> {
    let mut row = Row::new(headers);
    for (i, target) in targets.iter().enumerate() {
        let cell = cells.get(i).copied().unwrap_or("").trim();
        let blank_date = is_empty_date(cell) && holds_a_date(target, &headers[i]);
        if !cell.is_empty() && !blank_date {
            row.cell(i, target, cell)?;
            if *target == Target::Keep {
                kept[i] = true;
            }
        }
    }
    row.finish(fingerprint)
}

/// A contact being read from a row.
#[derive(Default)]
struct Row<'h> {
    headers: &'h [String],
    fields: ContactFields,
    extras: Vec<String>,
    warnings: Vec<Warning>,
    uid: Option<String>,
    display: Option<String>,
    notes: Vec<String>,
    /// Google's numbered details: labels by (kind, n); (kind, n + 10000) marks the primary.
    numbered_labels: HashMap<(FieldKind, u32), String>,
    numbered_values: Vec<(FieldKind, u32, String)>,
    /// (which address, part order, text).
    address_parts: Vec<(String, u8, String)>,
    /// Google's numbered address components: (which address, order, text).
    address_components: Vec<(u32, u8, String)>,
    birth_year: Option<i32>,
    birth_month: Option<u32>,
    birth_day: Option<u32>,
    created_at: Option<chrono::DateTime<chrono::Utc>>,
    updated_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Middle names, prefix and suffix (N's components 2 to 4).
    name_parts: [Option<String>; 3],
    /// The organization's unit, and the column it came from.
    org_unit: Option<(usize, String)>,
}

impl<'h> Row<'h> {
    fn new(headers: &'h [String]) -> Row<'h> {
        Row {
            headers,
            ..Row::default()
        }
    }

    /// Take the non-empty `cell` of column `i`.
    fn cell(&mut self, i: usize, target: &Target, cell: &str) -> Result<(), String> {
        let one_line = || cell.replace(['\r', '\n'], " ");
        match target {
            Target::Display => self.display = Some(one_line()),
            Target::Given => self.fields.given_name = Some(one_line()),
            Target::Family => self.fields.family_name = Some(one_line()),
            Target::Nickname => self.fields.nickname = Some(one_line()),
            Target::Organization => self.fields.organization = Some(one_line()),
            Target::OrgUnit => self.org_unit = Some((i, one_line())),
            Target::NamePart(part) => {
                if let Some(slot) = self.name_parts.get_mut(part.wrapping_sub(2)) {
                    *slot = Some(one_line());
                }
            }
            Target::Title => self.fields.title = Some(one_line()),
            Target::Detail(kind, label) => self.add(*kind, label.clone(), cell),
            Target::OwnList(kind) => {
                for item in values(cell) {
                    match Labeled::parse_labeled(*kind, item) {
                        Ok(l) => self.add(*kind, l.label, &l.value),
                        Err(_) => self.add(*kind, None, item),
                    }
                }
            }
            Target::LabelOf(kind, n) => {
                let label = cell.trim_start_matches("* ").trim().to_lowercase();
                if cell.starts_with("* ") {
                    self.numbered_labels
                        .insert((*kind, *n + 10_000), String::new());
                }
                self.numbered_labels.insert((*kind, *n), label);
            }
            Target::ValueOf(kind, n) => self.numbered_values.push((*kind, *n, cell.to_string())),
            Target::AddressComponent(n, order) => {
                self.address_components.push((*n, *order, one_line()));
            }
            Target::AddressPart(which, order) => {
                self.address_parts.push((which.clone(), *order, one_line()))
            }
            Target::Birthday => self.birthday(cell),
            Target::BirthYear => self.birth_year = cell.parse().ok(),
            Target::BirthMonth => self.birth_month = cell.parse().ok(),
            Target::BirthDay => self.birth_day = cell.parse().ok(),
            Target::Notes => self.notes.push(cell.replace("\r\n", "\n")),
            Target::Tags => self.tags(i, cell),
            Target::Uid => self.uid = Some(cell.to_string()),
            Target::Channel => {
                self.fields.preferred_channel =
                    Some(cell.parse().map_err(|e: crate::Error| e.to_string())?)
            }
            Target::Cadence => {
                self.fields.cadence = Some(crate::model::Period::parse(cell).map_err(|_| {
                    format!("invalid cadence \"{cell}\": expected a period such as 30d, 2w, 3m, 1y")
                })?)
            }
            Target::CreatedAt => self.created_at = Some(self.time(i, cell)?),
            Target::UpdatedAt => self.updated_at = Some(self.time(i, cell)?),
            Target::Ignore => {}
            Target::Keep => self.keep_column(i, cell),
        }
        Ok(())
    }

    /// Add the values of a detail cell (` ::: `-separated, `* ` first); an email or phone
    /// kith cannot use is kept as a vCard property, with a warning.
    fn add(&mut self, kind: FieldKind, label: Option<String>, raw: &str) {
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
            let value = match checked {
                Ok(value) => value,
                Err(why) => {
                    self.keep_unusable(kind, label.as_deref(), v, why);
                    continue;
                }
            };
            let item = Labeled {
                label: label.clone(),
                value,
            };
            let list = self.fields.labeled_mut(kind);
            if primary {
                list.insert(0, item);
            } else {
                list.push(item);
            }
        }
    }

    fn keep_unusable(&mut self, kind: FieldKind, label: Option<&str>, value: &str, why: String) {
        let name = if kind == FieldKind::Email {
            "EMAIL"
        } else {
            "TEL"
        };
        self.warnings.push(Warning {
            line: None,
            message: format!("{why}; kept as an unmodelled {name} property"),
        });
        let params = label
            .map(|l| format!(";TYPE={}", l.replace([',', ';', ':', '"'], "-")))
            .unwrap_or_default();
        self.extras
            .push(format!("{name}{params}:{}", escape(value)));
    }

    fn birthday(&mut self, cell: &str) {
        match birthday_of(cell) {
            Some(b) => self.fields.birthday = Some(b),
            None => {
                self.warnings.push(Warning {
                    line: None,
                    message: format!(
                        "birthday \"{cell}\" is not a date kith reads; kept as an unmodelled BDAY property"
                    ),
                });
                self.extras
                    .push(format!("BDAY;VALUE=text:{}", escape(cell)));
            }
        }
    }

    /// Labels (Google), group memberships, categories (Outlook, `;`-separated), tags. Google
    /// writes its system groups with a leading `* `: they are not tags (see
    /// [`Row::system_group`]).
    fn tags(&mut self, i: usize, cell: &str) {
        for raw in values(cell).flat_map(|v| v.split(';')) {
            let raw = raw.trim();
            if let Some(group) = raw.strip_prefix('*') {
                self.system_group(i, group.trim());
                continue;
            }
            if raw.is_empty() {
                continue;
            }
            let tag = raw.split_whitespace().collect::<Vec<_>>().join("-");
            match normalize_tag(&tag) {
                Ok(t) => self.fields.tags.push(t),
                Err(e) => {
                    self.warnings.push(Warning {
                        line: None,
                        message: format!("{e}; kept as an unmodelled CATEGORIES property"),
                    });
                    self.extras.push(format!("CATEGORIES:{}", escape(raw)));
                }
            }
        }
    }

    /// One of Google's system groups, from the labels column `i`: "myContacts" (every
    /// contact of the account is in it) says nothing and is dropped; "starred" is the
    /// contact's star, which kith keeps as `X-KITH-STARRED:TRUE` since it has no star of its
    /// own; any other ("friends", "coworkers" of older accounts) is kept as written, like a
    /// column kith does not know.
    fn system_group(&mut self, i: usize, group: &str) {
        let key: String = group
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        match key.as_str() {
            "" | "mycontacts" => {}
            "starred" => {
                if !self.extras.iter().any(|e| e == STARRED) {
                    self.extras.push(STARRED.to_string());
                }
            }
            _ => self.keep_column(i, &format!("* {group}")),
        }
    }

    /// kith's own `created_at` / `updated_at` (RFC 3339) in column `i`.
    fn time(&self, i: usize, cell: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
        chrono::DateTime::parse_from_rfc3339(cell)
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|_| {
                format!(
                    "invalid time \"{cell}\" in column {}: expected RFC 3339",
                    self.headers[i]
                )
            })
    }

    /// A column kith does not know, kept as `X-CSV-<HEADER>`.
    fn keep_column(&mut self, i: usize, cell: &str) {
        let name = kept_property_name(&self.headers[i]);
        self.extras.push(format!("{name}:{}", escape(cell)));
    }

    /// Google's numbered addresses: each formatted text with the components it leaves out
    /// added ("Hauptstraße 5, 10115 Berlin" and the country "Germany"), or made of its
    /// components when there is no formatted text.
    fn completed_addresses(&mut self) {
        let mut components = std::mem::take(&mut self.address_components);
        components.sort_by_key(|(n, order, _)| (*n, *order));
        let mut numbers: Vec<u32> = components.iter().map(|(n, ..)| *n).collect();
        numbers.dedup();
        for n in numbers {
            let parts = components.iter().filter(|(m, ..)| *m == n).map(|(.., v)| v);
            let formatted = self
                .numbered_values
                .iter_mut()
                .find(|(kind, m, v)| *kind == FieldKind::Address && *m == n && !v.is_empty());
            match formatted {
                Some((.., text)) => {
                    let folded = text.to_lowercase();
                    for part in parts.filter(|part| !folded.contains(&part.to_lowercase())) {
                        text.push('\n');
                        text.push_str(part);
                    }
                }
                None => {
                    let text: Vec<&str> = parts.map(String::as_str).collect();
                    self.numbered_values
                        .push((FieldKind::Address, n, text.join("\n")));
                }
            }
        }
    }

    /// Google's numbered details, with their labels ("* " marks the primary one).
    fn numbered_details(&mut self) {
        self.completed_addresses();
        let mut numbered = std::mem::take(&mut self.numbered_values);
        numbered.sort_by_key(|(kind, n, _)| (kind.as_str(), *n));
        for (kind, n, value) in numbered {
            let label = self
                .numbered_labels
                .get(&(kind, n))
                .filter(|l| !l.is_empty())
                .cloned();
            let primary = self.numbered_labels.contains_key(&(kind, n + 10_000));
            let before = self.fields.labeled(kind).len();
            self.add(kind, label, &value);
            if primary && self.fields.labeled(kind).len() > before {
                let list = self.fields.labeled_mut(kind);
                let item = list.remove(before);
                list.insert(0, item);
            }
        }
    }

    /// Addresses from components, in a stable order of which address they are.
    fn assembled_addresses(&mut self) {
        let mut by_which: Vec<(String, Vec<(u8, String)>)> = Vec::new();
        for (which, order, value) in std::mem::take(&mut self.address_parts) {
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
            self.fields.addresses.push(Labeled {
                label,
                value: text.join(", "),
            });
        }
    }

    /// A birthday from separate year, month and day columns.
    fn birthday_from_parts(&mut self) {
        let (Some(m), Some(d)) = (self.birth_month, self.birth_day) else {
            return;
        };
        let text = match self.birth_year {
            Some(y) => format!("{y:04}-{m:02}-{d:02}"),
            None => format!("--{m:02}-{d:02}"),
        };
        match Birthday::parse(&text) {
            Ok(b) => self.fields.birthday = Some(b),
            Err(_) => self.extras.push(format!("BDAY;VALUE=text:{text}")),
        }
    }

    /// The name's other parts kept as an N beside the modelled names (vCard export writes it
    /// while those still agree), and the organization's unit as its ORG; a unit without an
    /// organization is kept as its column.
    fn name_and_unit(&mut self) {
        if self.name_parts.iter().any(Option::is_some) {
            let given = &self.fields.given_name;
            let parts: Vec<String> = [&self.fields.family_name, given]
                .into_iter()
                .chain(&self.name_parts)
                .map(|part| part.as_deref().map(escape).unwrap_or_default())
                .collect();
            self.extras.push(format!("N:{}", parts.join(";")));
        }
        match (self.org_unit.take(), &self.fields.organization) {
            (Some((_, unit)), Some(org)) => {
                let line = format!("ORG:{};{}", escape(org), escape(&unit));
                self.extras.push(line);
            }
            (Some((i, unit)), None) => self.keep_column(i, &unit),
            (None, _) => {}
        }
    }

    fn finish(mut self, fingerprint: &str) -> Result<ContactIn, String> {
        self.numbered_details();
        self.assembled_addresses();
        self.birthday_from_parts();
        self.name_and_unit();
        let mut fields = self.fields;
        if !self.notes.is_empty() {
            fields.notes = Some(self.notes.join("\n\n"));
        }
        fields.display_name = self
            .display
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
            uid: Some(
                self.uid
                    .unwrap_or_else(|| crate::formats::content_uid(fingerprint.as_bytes())),
            ),
            fields,
            extras: self.extras,
            created_at: self.created_at,
            updated_at: self.updated_at,
            archived_at: None,
            warnings: self.warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdays_in_csv_shapes() {
        assert_eq!(birthday_of("12/10/1815").unwrap().to_string(), "1815-12-10");
        assert_eq!(birthday_of("20/01/1991").unwrap().to_string(), "1991-01-20");
        assert_eq!(birthday_of("--12-09").unwrap().to_string(), "--12-09");
    }

    fn row(headers: &[&str], cells: &[&str]) -> (ContactIn, Vec<bool>) {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        let targets: Vec<Target> = headers
            .iter()
            .map(|h| super::super::columns::classify(h, &headers))
            .collect();
        let mut kept = vec![false; headers.len()];
        let contact = to_contact(&headers, &targets, cells, "row", &mut kept).unwrap();
        (contact, kept)
    }

    #[test]
    fn a_blank_date_is_no_birthday_and_no_warning() {
        for blank in ["0/0/00", "0/0/0000", "00.00.0000", "0000-00-00"] {
            let (c, kept) = row(&["Name", "Birthday", "Anniversary"], &["Ann", blank, blank]);
            assert_eq!(c.fields.birthday, None, "{blank}");
            assert!(c.warnings.is_empty(), "{blank}: {:?}", c.warnings);
            assert!(c.extras.is_empty(), "{blank}: {:?}", c.extras);
            assert_eq!(kept, [false, false, false]);
        }
        let (c, _) = row(&["Name", "Birthday"], &["Ann", "not a date"]);
        assert_eq!(c.warnings.len(), 1, "a real oddity is still told");
    }

    #[test]
    fn googles_system_groups_are_not_tags() {
        // Legacy "Group Membership" and current "Labels".
        for (header, cell) in [
            ("Group Membership", "* My Contacts ::: * Starred ::: Test"),
            (
                "Labels",
                "* myContacts ::: * starred ::: Test ::: * starred",
            ),
        ] {
            let (c, kept) = row(&["Name", header], &["Ann", cell]);
            assert_eq!(c.fields.tags, ["test"]);
            assert_eq!(c.extras, [STARRED], "{cell}");
            assert_eq!(kept, [false, false], "not a column kith does not know");
        }
        let (c, _) = row(&["Name", "Labels"], &["Ann", "* friends ::: Friends"]);
        assert_eq!(c.fields.tags, ["friends"], "the user's own label");
        assert_eq!(
            c.extras,
            ["X-CSV-LABELS:* friends"],
            "the group, kept as written"
        );
    }

    #[test]
    fn the_guard_is_undone_on_import() {
        use super::super::guard;
        assert_eq!(guard("=1+1"), "'=1+1");
        assert_eq!(guard("+44 20"), "'+44 20");
        assert_eq!(guard("Ada"), "Ada");
        assert_eq!(unguard("'=1+1"), "=1+1");
        assert_eq!(unguard("'tis"), "'tis");
    }
}
