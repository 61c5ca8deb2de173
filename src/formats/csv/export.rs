//! kith's own CSV export: its columns, one contact as a row, and the guard that keeps a
//! spreadsheet from running a cell as a formula.

use crate::model::{ContactFields, FieldKind};

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
