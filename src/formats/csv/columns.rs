//! What a CSV column holds, recognised from its header: Google's current and legacy names
//! (numbered `E-mail 1 - Value` with their `- Label` columns), Outlook's and Thunderbird's
//! (`Business Phone 2`, address parts such as `Home City`), LinkedIn's, kith's own export;
//! and the fields `--map "Column=field"` can name.

use crate::model::FieldKind;

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    Display,
    Given,
    Family,
    Nickname,
    Organization,
    /// The unit within the organization (Google's "Organization Department").
    OrgUnit,
    Title,
    /// A part of the name kith does not model, by its place in vCard's N: 2 middle names,
    /// 3 prefix (Dr., Rear Admiral), 4 suffix (Jr.). Kept as the contact's N, which vCard
    /// export writes.
    NamePart(usize),
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
    /// A component of Google's numbered address beside its formatted text: (which address,
    /// order: PO box, extended, street, city, region, postal code, country).
    AddressComponent(u32, u8),
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

pub(super) fn mapped(field: &str) -> Option<Target> {
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
pub(super) fn classify(header: &str, all: &[String]) -> Target {
    let h = header.trim().to_ascii_lowercase();
    if let Some((kind, n, is_label)) = numbered(header) {
        return if is_label {
            Target::LabelOf(kind, n)
        } else {
            Target::ValueOf(kind, n)
        };
    }
    // Google's address components beside "Address 1 - Formatted": the same address, and
    // what the formatted text leaves out of it (often the country) is added to it.
    if let Some((left, right)) = h.split_once(" - ")
        && let Some(n) = left.strip_prefix("address ")
        && let Ok(n) = n.trim().parse::<u32>()
    {
        let order = match right.trim() {
            "po box" => 0,
            "extended address" => 1,
            "street" => 2,
            "city" => 3,
            "region" => 4,
            "postal code" => 5,
            "country" => 6,
            _ => return Target::Ignore,
        };
        return Target::AddressComponent(n, order);
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
        "organization department" | "organization 1 - department" | "department" => {
            return Target::OrgUnit;
        }
        "middle name" | "middlename" | "additional name" => return Target::NamePart(2),
        "name prefix" | "prefix" => return Target::NamePart(3),
        "name suffix" | "suffix" => return Target::NamePart(4),
        // Outlook's and Roundcube's "Title" is Mr./Ms.; a job title has its own column there.
        "title" if has("job title") => return Target::NamePart(3),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_recognised() {
        let all: Vec<String> = ["Title", "Job Title"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // Beside a job title, Outlook's "Title" is the name's prefix (Mr., Dr.).
        assert_eq!(classify("Title", &all), Target::NamePart(3));
        assert_eq!(classify("Job Title", &all), Target::Title);
        assert_eq!(classify("Middle Name", &all), Target::NamePart(2));
        assert_eq!(classify("Name Suffix", &all), Target::NamePart(4));
        assert_eq!(classify("Organization Department", &all), Target::OrgUnit);
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
}
