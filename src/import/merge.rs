//! What a contact merged from two is: blanks filled, lists unioned (emails by address,
//! phones by digits, addresses by their words), tags and kept properties
//! unioned (groups compared whole), notes appended unless already there; where both differ,
//! the first (stored) one's value stays and a note says what the other had. An import merges
//! an incoming contact into a stored one; `kith merge` merges two stored contacts
//! ([`merge_fields`]).

use std::collections::{HashMap, HashSet};

use crate::formats::ContactIn;
use crate::formats::vcard::write::{comparable_extra, group_of};
use crate::model::{ContactFields, FieldKind, Labeled, field_key, fold};

/// A stored contact in full, as merging needs it.
#[derive(Debug, Clone)]
pub(super) struct Known {
    pub uid: String,
    pub fields: ContactFields,
    pub extras: Vec<String>,
}

/// Whether an incoming contact says nothing the stored one does not already say.
pub(super) fn same_content(known: &Known, incoming: &ContactIn) -> bool {
    let mut scratch = Vec::new();
    let (fields, extras) = merge(known, incoming, THE_FILE_HAS, &mut scratch);
    fields == known.fields && extras == known.extras && scratch.is_empty()
}

/// Text with only its letters and digits, lowercase: "London, SW1Y 4JH" and "london sw1y
/// 4jh" are the same.
fn loose(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a text, lowercase, without punctuation: "London, SW1Y 4JH" is
/// `["london", "sw1y", "4jh"]`.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The stored address `incoming` is, compared by their words (the same address written
/// with another comma is one), and whether `incoming` says all it says and more (its country
/// added): then it is that address written in full. One that says less is the stored one.
fn stored_address<'l>(list: &'l mut [Labeled], incoming: &str) -> Option<(&'l mut Labeled, bool)> {
    let incoming = words(incoming);
    let within = |a: &[String], b: &[String]| !a.is_empty() && b.windows(a.len()).any(|w| w == a);
    list.iter_mut().find_map(|l| {
        let stored = words(&l.value);
        let fuller = incoming.len() > stored.len() && within(&stored, &incoming);
        (fuller || within(&incoming, &stored)).then_some((l, fuller))
    })
}

/// How an import's notes name the other side: the file being imported.
pub(super) const THE_FILE_HAS: &str = "the file has";

/// Keep `stored` when set; take `incoming` when it is blank; say so when both differ.
pub(super) fn fill<T: PartialEq + std::fmt::Display>(
    notes: &mut Vec<String>,
    field: &str,
    stored: Option<T>,
    incoming: Option<T>,
) -> Option<T> {
    fill_from(notes, THE_FILE_HAS, field, stored, incoming)
}

/// [`fill`], the note naming the other side as `theirs` ("the file has", "#2 had").
fn fill_from<T: PartialEq + std::fmt::Display>(
    notes: &mut Vec<String>,
    theirs: &str,
    field: &str,
    stored: Option<T>,
    incoming: Option<T>,
) -> Option<T> {
    match (stored, incoming) {
        (Some(s), Some(i)) => {
            if s != i {
                notes.push(format!("kept stored {field} \"{s}\"; {theirs} \"{i}\""));
            }
            Some(s)
        }
        (Some(s), None) => Some(s),
        (None, i) => i,
    }
}

/// Notes are text a person wrote: both are kept, the incoming appended unless already there,
/// if only with other punctuation, spacing or case (two exports of one address book).
pub(super) fn merge_notes(stored: Option<String>, incoming: Option<String>) -> Option<String> {
    match (stored, incoming) {
        (Some(s), Some(i)) if s.contains(i.trim()) => Some(s),
        (Some(s), Some(i)) if !loose(&i).is_empty() && loose(&s).contains(&loose(&i)) => Some(s),
        (Some(s), Some(i)) => Some(format!("{}\n\n{}", s.trim_end(), i.trim())),
        (s, None) => s,
        (None, i) => i,
    }
}

/// The kept properties of `stored` with those of `incoming` that it lacks, in order.
///
/// Groups (`item1.`) tie properties together within one card (an address and its
/// `X-ABLabel`), so a group is compared whole, by its lines without the group name: an
/// incoming group whose every line a stored group already has is the same group, whatever
/// its number, and importing the same card again adds nothing. A new group whose name the
/// stored properties already use is renamed.
fn merge_extras(stored: &[String], incoming: &[String]) -> Vec<String> {
    fn split(line: &str) -> Option<(String, &str)> {
        group_of(line).map(|g| (g.to_ascii_lowercase(), &line[g.len() + 1..]))
    }
    let groups_of = |lines: &[String]| {
        let mut groups: HashMap<String, Vec<String>> = HashMap::new();
        for line in lines {
            if let Some((group, rest)) = split(line) {
                groups
                    .entry(group)
                    .or_default()
                    .push(comparable_extra(rest));
            }
        }
        groups
    };
    let mut ungrouped: HashSet<String> = stored
        .iter()
        .filter(|l| group_of(l).is_none())
        .map(|l| comparable_extra(l))
        .collect();
    let stored_groups = groups_of(stored);
    let incoming_groups = groups_of(incoming);
    let mut taken: HashSet<String> = stored_groups.keys().cloned().collect();
    // Per incoming group: None when a stored group already has it, else the name to use.
    let mut decided: HashMap<String, Option<String>> = HashMap::new();
    let mut extras = stored.to_vec();
    for line in incoming {
        let Some((group, rest)) = split(line) else {
            if ungrouped.insert(comparable_extra(line)) {
                extras.push(line.clone());
            }
            continue;
        };
        let name = decided.entry(group.clone()).or_insert_with(|| {
            let lines = &incoming_groups[&group];
            let known = stored_groups
                .values()
                .any(|have| lines.iter().all(|l| have.contains(l)));
            if known {
                return None;
            }
            let mut name = group.clone();
            let mut n = 1;
            while taken.contains(&name) {
                name = format!("item{n}");
                n += 1;
            }
            taken.insert(name.clone());
            Some(name)
        });
        if let Some(name) = name {
            let renamed = if *name == group {
                line.clone()
            } else {
                format!("{name}.{rest}")
            };
            if !extras.contains(&renamed) {
                extras.push(renamed);
            }
        }
    }
    extras
}

/// Merge contact `b` into contact `a` (fields, details, tags, unmodelled properties), as
/// `kith merge` does; `notes` says where both had different values and `a`'s was kept,
/// naming `b` as `b_had` ("#2 had").
pub fn merge_fields(
    a: (&str, &ContactFields, &[String]),
    b: (&ContactFields, &[String]),
    b_had: &str,
    notes: &mut Vec<String>,
) -> (ContactFields, Vec<String>) {
    let known = Known {
        uid: a.0.to_string(),
        fields: a.1.clone(),
        extras: a.2.to_vec(),
    };
    let incoming = ContactIn {
        fields: b.0.clone(),
        extras: b.1.to_vec(),
        ..ContactIn::default()
    };
    merge(&known, &incoming, b_had, notes)
}

/// Merge `incoming` into `known`: blanks filled, lists unioned (emails by address, phones by
/// digits), tags and unmodelled properties unioned. Where both have a different value, the
/// stored one stays and a note says what the other side (`theirs`: "the file has") had.
pub(super) fn merge(
    known: &Known,
    incoming: &ContactIn,
    theirs: &str,
    notes: &mut Vec<String>,
) -> (ContactFields, Vec<String>) {
    let stored = &known.fields;
    let new = &incoming.fields;
    let mut fields = stored.clone();
    if fold(&stored.display_name) != fold(&new.display_name) {
        notes.push(format!(
            "kept stored name \"{}\"; {theirs} \"{}\"",
            stored.display_name, new.display_name
        ));
    }
    fields.given_name = fill_from(
        notes,
        theirs,
        "given name",
        stored.given_name.clone(),
        new.given_name.clone(),
    );
    fields.family_name = fill_from(
        notes,
        theirs,
        "family name",
        stored.family_name.clone(),
        new.family_name.clone(),
    );
    fields.nickname = fill_from(
        notes,
        theirs,
        "nickname",
        stored.nickname.clone(),
        new.nickname.clone(),
    );
    fields.organization = match (&stored.organization, &new.organization) {
        (Some(s), Some(i)) if fold(s) != fold(i) => {
            notes.push(format!(
                "kept stored organization \"{s}\"; {theirs} \"{i}\""
            ));
            Some(s.clone())
        }
        (Some(s), _) => Some(s.clone()),
        (None, i) => i.clone(),
    };
    fields.title = fill_from(
        notes,
        theirs,
        "title",
        stored.title.clone(),
        new.title.clone(),
    );
    fields.birthday = match (stored.birthday, new.birthday) {
        // The same day, one side knowing the year too: they agree, and the year is kept.
        (Some(s), Some(i)) if (s.month, s.day) == (i.month, i.day) => {
            Some(if s.year.is_some() { s } else { i })
        }
        (s, i) => fill_from(notes, theirs, "birthday", s, i),
    };
    fields.preferred_channel = fill_from(
        notes,
        theirs,
        "preferred channel",
        stored.preferred_channel,
        new.preferred_channel,
    );
    fields.cadence = fill_from(notes, theirs, "cadence", stored.cadence, new.cadence);
    fields.notes = merge_notes(stored.notes.clone(), new.notes.clone());
    for kind in FieldKind::ALL {
        let list = fields.labeled_mut(kind);
        for item in new.labeled(kind) {
            let found = if kind == FieldKind::Address {
                stored_address(list, &item.value)
            } else {
                let key = field_key(kind, &item.value);
                (list.iter_mut())
                    .find(|l| field_key(kind, &l.value) == key)
                    .map(|l| (l, false))
            };
            match found {
                Some((existing, fuller)) => {
                    if fuller {
                        existing.value = item.value.clone();
                    }
                    if existing.label.is_none() && item.label.is_some() {
                        existing.label = item.label.clone();
                    }
                }
                None => list.push(Labeled {
                    label: item.label.clone(),
                    value: item.value.clone(),
                }),
            }
        }
    }
    for tag in &new.tags {
        if !fields.tags.contains(tag) {
            fields.tags.push(tag.clone());
        }
    }
    fields.tags.sort();
    let extras = merge_extras(&known.extras, &incoming.extras);
    (fields, extras)
}
