//! Likely duplicate contacts: a shared email or phone, or names that are the same once case,
//! accents and word order are ignored, or one typo apart. Pure: contacts in, pairs out.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::model::{Contact, ContactRef, FieldKind, field_key, fold};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pair {
    pub a: ContactRef,
    pub b: ContactRef,
    pub reasons: Vec<String>,
}

/// Names compared as sorted folded words: "Doe, John" and "john doe" are one key.
fn name_key(name: &str) -> String {
    let folded = fold(name).replace([',', '.'], " ");
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    words.sort_unstable();
    words.join(" ")
}

/// Whether two strings are at most one edit (insert, delete, substitute) apart.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(&long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short[prefix + 1.min(short.len() - prefix)..] == long[prefix + 1.min(long.len() - prefix)..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// Every likely duplicate pair among `contacts`, each with why, lowest ids first.
pub fn find(contacts: &[Contact]) -> Vec<Pair> {
    let mut reasons: BTreeMap<(i64, i64), Vec<String>> = BTreeMap::new();
    let mut add = |x: i64, y: i64, why: String| {
        let key = (x.min(y), x.max(y));
        let list = reasons.entry(key).or_default();
        if !list.contains(&why) {
            list.push(why);
        }
    };
    for (kind, word) in [(FieldKind::Email, "email"), (FieldKind::Phone, "phone")] {
        let mut by_key: HashMap<String, Vec<(i64, &str)>> = HashMap::new();
        // In id order, so a pair shows the older contact's spelling.
        for c in contacts {
            for d in c.fields.labeled(kind) {
                by_key
                    .entry(field_key(kind, &d.value))
                    .or_default()
                    .push((c.id, &d.value));
            }
        }
        for group in by_key.values_mut() {
            group.sort_by_key(|(id, _)| *id);
            for (i, (x, value)) in group.iter().enumerate() {
                for (y, _) in &group[i + 1..] {
                    if x != y {
                        add(*x, *y, format!("same {word} {value}"));
                    }
                }
            }
        }
    }
    // Names: equal keys, or one edit apart within a block sharing the first letters.
    let keys: Vec<(i64, String)> = contacts
        .iter()
        .map(|c| (c.id, name_key(&c.fields.display_name)))
        .filter(|(_, k)| k.chars().count() >= 3)
        .collect();
    let mut blocks: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (_, k)) in keys.iter().enumerate() {
        blocks
            .entry(k.chars().take(2).collect())
            .or_default()
            .push(i);
    }
    let mut same: HashMap<&str, Vec<i64>> = HashMap::new();
    for (id, k) in &keys {
        same.entry(k.as_str()).or_default().push(*id);
    }
    for ids in same.values() {
        for (n, x) in ids.iter().enumerate() {
            for y in &ids[n + 1..] {
                add(*x, *y, "same name".into());
            }
        }
    }
    // Typos are looked for within blocks small enough to compare pairwise.
    for block in blocks.values().filter(|b| b.len() <= 2000) {
        for (n, &i) in block.iter().enumerate() {
            for &j in &block[n + 1..] {
                let (x, kx) = &keys[i];
                let (y, ky) = &keys[j];
                if kx != ky && kx.chars().count() >= 6 && one_edit_apart(kx, ky) {
                    add(*x, *y, "nearly the same name".into());
                }
            }
        }
    }
    let by_id: HashMap<i64, &Contact> = contacts.iter().map(|c| (c.id, c)).collect();
    reasons
        .into_iter()
        .filter_map(|((x, y), reasons)| {
            Some(Pair {
                a: by_id.get(&x)?.as_ref(),
                b: by_id.get(&y)?.as_ref(),
                reasons,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits() {
        assert!(one_edit_apart("lovelace", "lovelace"));
        assert!(one_edit_apart("lovelace", "lovelase"));
        assert!(one_edit_apart("lovelace", "lovelacee"));
        assert!(one_edit_apart("lovelace", "ovelace"));
        assert!(!one_edit_apart("lovelace", "lovelxxe"));
        assert_eq!(name_key("Doe, John"), name_key("john DOE"));
    }
}
