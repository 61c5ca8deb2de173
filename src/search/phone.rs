//! Phone numbers as people dial them. "+1 415 555 0101", "(415) 555-0101", "001 415 555 0101"
//! and "4155550101" are one number: what they share is the national significant number (NSN),
//! the digits after the country calling code and the trunk prefix. That is the key numbers are
//! stored, found and compared by ([`key`]); the country code, when the text has one, is kept
//! beside it ([`Number::country`]) to tell apart two countries' equal national numbers.
//!
//! # Rules
//! - International forms: a leading `+`, the `00` international prefix, or `011` when the
//!   default region dials from North America. The country code is read from the ITU's
//!   prefix-free table of calling codes ([`calling_code_len`]).
//! - National forms: the trunk prefix `0` is dropped ("020 7946 0958" is the UK's 20 7946
//!   0958); in a North American region, so is the trunk `1` of an 11-digit number.
//! - Leading zeros of the national number are dropped on both sides, so Italy's "+39 06 …"
//!   (whose NSN keeps its 0) meets "06 …", and "+44 (0)20 …" meets "+44 20 …".
//!
//! The default region is set once per process by the CLI ([`set_default_region`]): the
//! `KITH_REGION` environment variable (an ISO 3166 code such as `US` or `GB`), else the
//! territory of the locale (`LC_ALL`, `LC_TELEPHONE`, `LANG`: `en_US.UTF-8` is `US`;
//! [`region_of_locale`]). It matters only for the North American `1` and `011`; without
//! one, neither is read.
//!
//! Why our own rules and not libphonenumber's (the `phonenumber` crate): matching needs the
//! NSN and the country code, which these few rules give in nanoseconds; the crate loads its
//! metadata on first use (224 ms for the first parse, over the `show` budget), takes 22 µs a
//! number (2.2 s more for a 100k import) and needs a region for every national number.

use std::sync::OnceLock;

/// The environment variable naming the default region for national numbers.
pub const REGION_VAR: &str = "KITH_REGION";

/// What matching knows of a phone number.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Number {
    /// The country calling code, when the text was in an international form.
    pub country: Option<u16>,
    /// The national significant number without leading zeros: the key.
    pub national: String,
    /// For each digit of `national`, the index of the character of the text it came from.
    pub positions: Vec<usize>,
}

impl Number {
    /// Whether two numbers can be the same line: equal national numbers, and equal country
    /// codes when both are known.
    pub fn same_as(&self, other: &Number) -> bool {
        self.national == other.national
            && (self.country.is_none() || other.country.is_none() || self.country == other.country)
    }
}

static REGION: OnceLock<Option<String>> = OnceLock::new();

/// Set the default region for this process, once (later calls are ignored): what the user
/// set, or their locale's (see the module documentation).
pub fn set_default_region(region: Option<&str>) {
    let region = region
        .map(|r| r.trim().to_ascii_uppercase())
        .filter(|r| !r.is_empty());
    let _ = REGION.set(region);
}

/// The default region, if one was set.
pub fn default_region() -> Option<&'static str> {
    REGION.get().and_then(|r| r.as_deref())
}

/// "en_US.UTF-8" → "US"; "C", "POSIX" and "en" have no territory.
pub fn region_of_locale(locale: &str) -> Option<String> {
    let territory = locale.split(['.', '@']).next()?.split_once('_')?.1;
    (territory.len() == 2 && territory.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| territory.to_ascii_uppercase())
}

/// Regions that dial with the North American plan: trunk `1`, international prefix `011`.
fn is_nanp(region: Option<&str>) -> bool {
    const NANP: &[&str] = &[
        "US", "CA", "AG", "AI", "AS", "BB", "BM", "BS", "DM", "DO", "GD", "GU", "JM", "KN", "KY",
        "LC", "MP", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI",
    ];
    region.is_some_and(|r| NANP.contains(&r))
}

/// How many leading digits of an international number are its country code. The ITU's
/// codes are prefix-free: 1 and 7 stand alone; these two-digit codes are assigned; every
/// other code has three digits.
pub fn calling_code_len(digits: &[u8]) -> usize {
    const TWO_DIGIT: &[&[u8; 2]] = &[
        b"20", b"27", b"30", b"31", b"32", b"33", b"34", b"36", b"39", b"40", b"41", b"43", b"44",
        b"45", b"46", b"47", b"48", b"49", b"51", b"52", b"53", b"54", b"55", b"56", b"57", b"58",
        b"60", b"61", b"62", b"63", b"64", b"65", b"66", b"81", b"82", b"84", b"86", b"90", b"91",
        b"92", b"93", b"94", b"95", b"98",
    ];
    let len = match digits {
        [b'1' | b'7', ..] => 1,
        [a, b, ..] if TWO_DIGIT.contains(&&[*a, *b]) => 2,
        _ => 3,
    };
    len.min(digits.len())
}

/// Read a phone number as dialled from `region` (see the module documentation).
pub fn parse(text: &str, region: Option<&str>) -> Number {
    let mut digits = Vec::with_capacity(text.len());
    let mut positions = Vec::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        if c.is_ascii_digit() {
            digits.push(c as u8);
            positions.push(i);
        }
    }
    let plus = text.trim_start().starts_with('+');
    let nanp = is_nanp(region);
    let idd = if plus {
        Some(0)
    } else if digits.starts_with(b"00") {
        Some(2)
    } else if nanp && digits.starts_with(b"011") {
        Some(3)
    } else {
        None
    };
    let (country, mut start) = match idd {
        Some(skip) => {
            let len = calling_code_len(&digits[skip..]);
            let code = std::str::from_utf8(&digits[skip..skip + len])
                .ok()
                .and_then(|c| c.parse().ok());
            (code, skip + len)
        }
        None if nanp && digits.len() == 11 && digits[0] == b'1' => (None, 1),
        None => (None, 0),
    };
    while digits.get(start) == Some(&b'0') {
        start += 1;
    }
    Number {
        country,
        national: String::from_utf8(digits[start..].to_vec()).unwrap_or_default(),
        positions: positions[start..].to_vec(),
    }
}

/// The key a phone number is stored and looked up by: its national significant number,
/// read in the default region.
pub fn key(text: &str) -> String {
    parse(text, default_region()).national
}

/// Whether a whole query reads as (part of) a phone number: only digits and what people
/// write between them, with at least three digits, or a `+` and a digit.
pub fn looks_like_phone(query: &str) -> bool {
    let q = query.trim();
    let digits = q.bytes().filter(u8::is_ascii_digit).count();
    q.chars()
        .all(|c| c.is_ascii_digit() || " +-().\u{a0}/".contains(c))
        && (digits >= 3 || (q.starts_with('+') && digits >= 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nsn(text: &str, region: Option<&str>) -> String {
        parse(text, region).national
    }

    #[test]
    fn one_north_american_number_as_dialled() {
        for text in [
            "+1 415 555 0101",
            "(415) 555-0101",
            "4155550101",
            "+14155550101",
            "001 415 555 0101",
            "415.555.0101",
        ] {
            assert_eq!(nsn(text, None), "4155550101", "{text}");
            assert_eq!(nsn(text, Some("US")), "4155550101", "{text}");
        }
        // The trunk 1 and the 011 prefix are North American dialling.
        assert_eq!(nsn("1 415 555 0101", Some("US")), "4155550101");
        assert_eq!(nsn("011 44 20 7946 0958", Some("CA")), "2079460958");
        assert_eq!(nsn("1 415 555 0101", Some("GB")), "14155550101");
    }

    #[test]
    fn country_codes_and_trunk_prefixes() {
        let uk = parse("+44 20 7946 0958", None);
        assert_eq!((uk.country, uk.national.as_str()), (Some(44), "2079460958"));
        assert!(uk.same_as(&parse("020 7946 0958", None)));
        assert!(uk.same_as(&parse("+44 (0)20 7946 0958", None)));
        assert!(uk.same_as(&parse("0044 20 7946 0958", None)));
        assert!(!uk.same_as(&parse("+1 20 7946 0958", None)));
        // Italy keeps its leading 0 after the country code; both sides drop it.
        assert!(parse("+39 06 1234 5678", None).same_as(&parse("06 1234 5678", None)));
        assert_eq!(parse("+7 495 123 45 67", None).country, Some(7));
        assert_eq!(parse("+353 1 234 5678", None).country, Some(353));
        assert_eq!(parse("+1 415", None).national, "415");
    }

    #[test]
    fn positions_point_at_the_national_digits() {
        let n = parse("+1 (415) 555", None);
        assert_eq!(n.national, "415555");
        assert_eq!(n.positions, vec![4, 5, 6, 9, 10, 11]);
    }

    #[test]
    fn calling_codes_are_prefix_free() {
        assert_eq!(calling_code_len(b"14155550101"), 1);
        assert_eq!(calling_code_len(b"442079460958"), 2);
        assert_eq!(calling_code_len(b"3531234"), 3);
        assert_eq!(calling_code_len(b"4"), 1);
        assert_eq!(calling_code_len(b""), 0);
    }

    #[test]
    fn locales_name_their_region() {
        assert_eq!(region_of_locale("en_US.UTF-8").as_deref(), Some("US"));
        assert_eq!(region_of_locale("de_DE@euro").as_deref(), Some("DE"));
        assert_eq!(region_of_locale("C.UTF-8"), None);
        assert_eq!(region_of_locale("POSIX"), None);
    }

    #[test]
    fn what_reads_as_a_phone_query() {
        for q in ["(415) 555-0101", "+1 415", "+1", "001 415", "555"] {
            assert!(looks_like_phone(q), "{q}");
        }
        for q in ["ann", "12", "ann 555", "+", "", "2026-12-01x"] {
            assert!(!looks_like_phone(q), "{q}");
        }
    }

    #[test]
    fn odd_text_never_panics() {
        for text in ["", "+", "00", "011", "+0", "０１２", "++--", "0000"] {
            let _ = parse(text, Some("US"));
            let _ = parse(text, None);
        }
    }
}
