//! Integers written as text without the formatting machinery, which costs more than the
//! digits themselves where tables and JSON write tens of thousands of them.

/// `n` in decimal, as `{n}` writes it, in the end of `digits` (20 bytes hold `i64::MIN`).
pub fn decimal(n: i64, digits: &mut [u8; 20]) -> &[u8] {
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        at -= 1;
        digits[at] = b'-';
    }
    &digits[at..]
}

/// `n` in decimal, added to `out`.
pub fn push_decimal(out: &mut String, n: i64) {
    let mut digits = [0u8; 20];
    // Only ASCII digits and a sign: always UTF-8.
    out.push_str(std::str::from_utf8(decimal(n, &mut digits)).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_format_writes() {
        for n in [
            0,
            7,
            -7,
            10,
            99,
            -100,
            123_456_789,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ] {
            let mut s = String::new();
            push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
