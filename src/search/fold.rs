//! Folding text for comparison: lowercase ASCII with diacritics removed (deunicode), control
//! characters as spaces, and the letter mask that lets a scan skip most contacts at once.

/// Fold `text` to lowercase ASCII into `out`; with `map`, record for every byte written the
/// index of the original character it came from.
pub(super) fn fold_into(text: &str, out: &mut Vec<u8>, mut map: Option<&mut Vec<usize>>) {
    // Control characters become spaces (never a marker byte); letters lose their case.
    let lower = |b: u8| {
        if b.is_ascii_control() {
            b' '
        } else {
            b.to_ascii_lowercase()
        }
    };
    // Most text is ASCII: fold it byte by byte (the slow path below maps characters).
    if map.is_none() && text.is_ascii() {
        out.extend(text.bytes().map(lower));
        return;
    }
    for (ci, c) in text.chars().enumerate() {
        let mut push = |b: u8| {
            out.push(b);
            if let Some(m) = map.as_deref_mut() {
                m.push(ci);
            }
        };
        if c.is_ascii() {
            push(lower(c as u8));
        } else if c.is_whitespace() {
            push(b' ');
        } else if let Some(s) = deunicode::deunicode_char(c) {
            s.bytes().map(lower).for_each(&mut push);
        }
    }
}

pub(super) fn mask_of(bytes: &[u8]) -> u64 {
    let mut m = 0u64;
    for &b in bytes {
        let bit = match b {
            b'a'..=b'z' => b - b'a',
            b'0'..=b'9' => 26 + (b - b'0'),
            b'@' => 36,
            b'.' => 37,
            b'-' => 38,
            b'_' => 39,
            b'+' => 40,
            _ => continue,
        };
        m |= 1 << bit;
    }
    m
}

pub(super) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}
