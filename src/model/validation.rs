//! The validation and normalisation of single values: emails, phones, names, tags,
//! relationship kinds, date labels, and the keys details and names are compared by.

use super::FieldKind;
use crate::error::Error;

/// Validate and normalise one contact detail; the error names the field and the value.
pub fn validate_field(kind: FieldKind, value: &str) -> Result<String, Error> {
    check_field(kind, value).map(str::to_string)
}

/// [`validate_field`] without the copy: the value as it is valid (trimmed), a part of
/// `value`.
pub fn check_field(kind: FieldKind, value: &str) -> Result<&str, Error> {
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
        FieldKind::Email => check_email(value)?,
        FieldKind::Phone => check_phone(value)?,
        _ => {}
    }
    Ok(value)
}

pub fn validate_email(value: &str) -> Result<String, Error> {
    check_email(value).map(|()| value.to_string())
}

fn check_email(value: &str) -> Result<(), Error> {
    let bad = |why: &str| Err(Error::invalid("email", value, why));
    let Some((local, domain)) = value.rsplit_once('@') else {
        return bad("has no '@'");
    };
    if local.is_empty() {
        return bad("has nothing before the '@'");
    }
    // An ASCII address (nearly every one) is checked byte by byte: the same rules, as
    // `char::is_whitespace` and `char::is_alphanumeric` have them for ASCII.
    let ascii = value.is_ascii();
    let spaced = if ascii {
        value
            .bytes()
            .any(|b| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' '))
    } else {
        value.chars().any(char::is_whitespace)
    };
    if spaced {
        return bad("must be one address without spaces");
    }
    if local.contains('@') {
        return bad("has more than one '@'");
    }
    if !domain.contains('.') || domain.split('.').any(str::is_empty) {
        return bad("needs a domain like example.com after the '@'");
    }
    let domain_ok = if ascii {
        domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    } else {
        domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
    };
    if !domain_ok {
        return bad("has characters that cannot be in a domain");
    }
    Ok(())
}

pub fn validate_phone(value: &str) -> Result<String, Error> {
    check_phone(value).map(|()| value.to_string())
}

fn check_phone(value: &str) -> Result<(), Error> {
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
    // A byte scan first (the usual number is all allowed); the character that is not, only
    // when there is one.
    let plain = |b: u8| b.is_ascii_digit() || b" +-().-/".contains(&b);
    if !number.bytes().all(plain)
        && let Some(c) = number.chars().find(|&c| !allowed(c))
    {
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
    Ok(())
}

/// The digits of a phone number, the key phones are compared by.
pub fn phone_digits(value: &str) -> String {
    value.chars().filter(char::is_ascii_digit).collect()
}

/// The key phones are matched by: their national significant number, so a number is the
/// same however it was dialled (see [`crate::search::phone`]).
pub fn phone_key(value: &str) -> String {
    crate::search::phone::key(value)
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
    check_name(field, value).map(str::to_string)
}

/// [`validate_name`] without the copy: the name as it is valid (trimmed), a part of `value`.
pub fn check_name<'v>(field: &str, value: &'v str) -> Result<&'v str, Error> {
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
    Ok(v)
}

/// Tags are lowercase words: letters, digits, '-', '_', '/', '.'.
pub fn normalize_tag(tag: &str) -> Result<String, Error> {
    let t = tag.trim().trim_start_matches(['+', '#']);
    // An ASCII tag (nearly every one) is lowered, counted and checked byte by byte, as the
    // character functions do for ASCII.
    let ascii = t.is_ascii();
    let t = if ascii {
        t.to_ascii_lowercase()
    } else {
        t.to_lowercase()
    };
    if t.is_empty() {
        return Err(Error::invalid("tag", tag, "is empty"));
    }
    let length = if ascii { t.len() } else { t.chars().count() };
    if length > 64 {
        return Err(Error::invalid("tag", tag, "is longer than 64 characters"));
    }
    let allowed = if ascii {
        t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_/.:".contains(&b))
    } else {
        t.chars()
            .all(|c| c.is_alphanumeric() || "-_/.:".contains(c))
    };
    if !allowed {
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

/// Labels of yearly dates are short lowercase words ("renewal", "work-anniversary").
pub fn normalize_label(label: &str) -> Result<String, Error> {
    let l = label.trim().to_lowercase();
    if l.is_empty()
        || l.chars().count() > 40
        || !l
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::invalid(
            "date label",
            label,
            "use one word of letters, digits, - or _",
        ));
    }
    Ok(l)
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
        // Each says what is wrong with it.
        for (bad, why) in [
            ("dan@@d.example", "has more than one '@'"),
            ("a@b@c.example", "has more than one '@'"),
            ("a b@c.example", "must be one address without spaces"),
        ] {
            let e = validate_email(bad).unwrap_err().to_string();
            assert!(e.contains(why), "{bad}: {e}");
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
}
