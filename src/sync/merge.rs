//! The three-way merge of a card, pure: the base (the text both sides agreed on at the last
//! sync), kith's card and the server's, all as kith writes them, so that a server's spelling
//! (folding, order, PRODID, REV) is no change. Merged property by property: a property
//! changed on one side only takes that side's value; changed on both sides alike is one
//! change; changed on both sides differently keeps kith's value and lists the server's as a
//! [`Conflict`], so nothing is dropped. Properties that hold several values (EMAIL, TEL,
//! ADR, URL, CATEGORIES, ...) are merged value by value: an address added on the phone and
//! another added in kith are both kept, one removed on either side is removed.
//!
//! Grouped lines (`item1.EMAIL` with its `item1.X-ABLabel`) travel as one value; groups are
//! numbered afresh in the merged card.

use std::collections::HashSet;

/// Properties that hold a list of values, merged value by value.
const MULTI: &[&str] = &[
    "EMAIL",
    "TEL",
    "ADR",
    "URL",
    "IMPP",
    "X-SOCIALPROFILE",
    "CATEGORIES",
    "RELATED",
    "X-ABRELATEDNAMES",
    "X-ABDATE",
    "KEY",
    "MEMBER",
    "LANG",
];

/// Lines of a card that are not merged: the frame, and what each writer makes anew.
const FRAME: &[&str] = &["BEGIN", "END", "VERSION", "UID", "PRODID", "REV"];

/// One value of a card: a content line without its group, or the lines of one group (each
/// without the group), joined by '\n'.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Entry {
    name: String,
    text: String,
    grouped: bool,
}

/// A property changed on both sides differently: kith kept `kept`; the server had `server`.
/// Each is the property's content lines (empty when that side removed it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub property: String,
    pub kept: Vec<String>,
    pub server: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The merged card (unfolded lines, CRLF), for kith's reader.
    pub card: String,
    pub conflicts: Vec<Conflict>,
}

/// Unfolded content lines of a card's text.
fn unfolded(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t'])
            && let Some(last) = lines.last_mut()
        {
            last.push_str(rest);
            continue;
        }
        if !raw.is_empty() {
            lines.push(raw.to_string());
        }
    }
    lines
}

/// The name of a line without its group (`item1.EMAIL;TYPE=x:...` → `EMAIL`), upper case,
/// and its group.
fn name_of(line: &str) -> (String, Option<String>) {
    let head = line.split([':', ';']).next().unwrap_or("");
    match head.split_once('.') {
        Some((group, name)) => (name.to_ascii_uppercase(), Some(group.to_string())),
        None => (head.to_ascii_uppercase(), None),
    }
}

/// `CATEGORIES:a,b\,c` → the values `a` and `b\,c` (escaped commas stay).
fn split_values(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, ch) in value.char_indices() {
        match ch {
            '\\' if !escaped => escaped = true,
            ',' if !escaped => {
                out.push(&value[start..i]);
                start = i + 1;
            }
            _ => escaped = false,
        }
    }
    out.push(&value[start..]);
    out.into_iter().filter(|v| !v.is_empty()).collect()
}

/// A card's values in order, and its UID line.
fn entries(text: &str) -> (Vec<Entry>, Option<String>) {
    let mut out: Vec<Entry> = Vec::new();
    let mut uid = None;
    let mut group_at: Vec<(String, usize)> = Vec::new();
    for line in unfolded(text) {
        let (name, group) = name_of(&line);
        if name == "UID" {
            uid = Some(line.clone());
        }
        if FRAME.contains(&name.as_str()) {
            continue;
        }
        if let Some(group) = group {
            let bare = line[group.len() + 1..].to_string();
            if let Some((_, at)) = group_at
                .iter()
                .find(|(g, _)| g.eq_ignore_ascii_case(&group))
            {
                let entry = &mut out[*at];
                if entry.name == "X-ABLABEL" {
                    entry.name = name;
                }
                entry.text.push('\n');
                entry.text.push_str(&bare);
            } else {
                group_at.push((group, out.len()));
                out.push(Entry {
                    name,
                    text: bare,
                    grouped: true,
                });
            }
        } else if name == "CATEGORIES" {
            let value = line.split_once(':').map_or("", |(_, v)| v);
            for v in split_values(value) {
                out.push(Entry {
                    name: name.clone(),
                    text: format!("CATEGORIES:{v}"),
                    grouped: false,
                });
            }
        } else {
            out.push(Entry {
                name,
                text: line,
                grouped: false,
            });
        }
    }
    (out, uid)
}

fn of_name<'a>(entries: &'a [Entry], name: &str) -> Vec<&'a Entry> {
    entries.iter().filter(|e| e.name == name).collect()
}

fn lines_of(entries: &[&Entry]) -> Vec<String> {
    entries.iter().map(|e| e.text.clone()).collect()
}

/// Merge `local` (kith's card) and `remote` (the server's) against `base` (None: they never
/// met; every value either side has is kept, a one-value property both have differently is
/// a conflict).
pub fn merge(base: Option<&str>, local: &str, remote: &str) -> Merged {
    let (base, _) = base.map(entries).unwrap_or_default();
    let (local, uid) = entries(local);
    let (remote, remote_uid) = entries(remote);
    let mut names: Vec<String> = Vec::new();
    for e in local.iter().chain(&remote) {
        if !names.contains(&e.name) {
            names.push(e.name.clone());
        }
    }
    let mut merged: Vec<Entry> = Vec::new();
    let mut conflicts = Vec::new();
    for name in &names {
        let (b, l, r) = (
            of_name(&base, name),
            of_name(&local, name),
            of_name(&remote, name),
        );
        if l == r || r == b {
            merged.extend(l.into_iter().cloned());
        } else if l == b {
            merged.extend(r.into_iter().cloned());
        } else if MULTI.contains(&name.as_str()) {
            let removed_remotely: HashSet<&Entry> =
                b.iter().filter(|e| !r.contains(e)).copied().collect();
            merged.extend(
                l.iter()
                    .filter(|e| !removed_remotely.contains(*e))
                    .map(|e| (*e).clone()),
            );
            merged.extend(
                r.iter()
                    .filter(|e| !b.contains(e) && !l.contains(e))
                    .map(|e| (*e).clone()),
            );
        } else {
            conflicts.push(Conflict {
                property: name.clone(),
                kept: lines_of(&l),
                server: lines_of(&r),
            });
            merged.extend(l.into_iter().cloned());
        }
    }
    Merged {
        card: render(uid.or(remote_uid).as_deref(), &merged),
        conflicts,
    }
}

/// `card` with every value of property `name` replaced by `values` (content lines, a
/// [`Conflict`]'s side): the user took the server's value of a conflict.
pub fn with_property(card: &str, name: &str, values: &[String]) -> String {
    let (entries, uid) = entries(card);
    let mut kept: Vec<Entry> = entries.into_iter().filter(|e| e.name != name).collect();
    kept.extend(values.iter().map(|v| Entry {
        name: name.to_string(),
        text: v.clone(),
        grouped: v.contains('\n'),
    }));
    render(uid.as_deref(), &kept)
}

fn render(uid: Option<&str>, entries: &[Entry]) -> String {
    let mut out = String::from("BEGIN:VCARD\r\nVERSION:4.0\r\n");
    if let Some(uid) = uid {
        out.push_str(uid);
        out.push_str("\r\n");
    }
    let mut group = 0;
    for e in entries {
        if e.grouped {
            group += 1;
            for line in e.text.split('\n') {
                out.push_str(&format!("item{group}.{line}\r\n"));
            }
        } else {
            out.push_str(&e.text);
            out.push_str("\r\n");
        }
    }
    out.push_str("END:VCARD\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn card(lines: &[&str]) -> String {
        let mut s = String::from("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u1\r\n");
        for l in lines {
            s.push_str(l);
            s.push_str("\r\n");
        }
        s.push_str("END:VCARD\r\n");
        s
    }

    #[test]
    fn a_change_on_one_side_is_taken() {
        let base = card(&["FN:Ada", "TITLE:CTO"]);
        let local = card(&["FN:Ada", "TITLE:CEO"]);
        let remote = card(&["FN:Ada Lovelace", "TITLE:CTO", "NOTE:met at PyCon"]);
        let m = merge(Some(&base), &local, &remote);
        assert!(m.conflicts.is_empty());
        assert_eq!(
            m.card,
            card(&["FN:Ada Lovelace", "TITLE:CEO", "NOTE:met at PyCon"])
        );
    }

    #[test]
    fn the_same_property_changed_on_both_sides_keeps_kiths_and_lists_the_servers() {
        let base = card(&["FN:Ada", "TITLE:CTO"]);
        let local = card(&["FN:Ada", "TITLE:CEO"]);
        let remote = card(&["FN:Ada", "TITLE:Chair"]);
        let m = merge(Some(&base), &local, &remote);
        assert_eq!(m.card, local);
        assert_eq!(
            m.conflicts,
            vec![Conflict {
                property: "TITLE".into(),
                kept: vec!["TITLE:CEO".into()],
                server: vec!["TITLE:Chair".into()],
            }]
        );
    }

    #[test]
    fn taking_the_servers_side_of_a_conflict_replaces_that_property_only() {
        let local = card(&["FN:Ada", "TITLE:CEO", "EMAIL:a@x.org"]);
        let taken = with_property(&local, "TITLE", &["TITLE:Chair".into()]);
        assert_eq!(taken, card(&["FN:Ada", "EMAIL:a@x.org", "TITLE:Chair"]));
        let removed = with_property(&local, "TITLE", &[]);
        assert_eq!(removed, card(&["FN:Ada", "EMAIL:a@x.org"]));
    }

    #[test]
    fn lists_merge_value_by_value() {
        let base = card(&[
            "FN:Ada",
            "EMAIL:a@x.org",
            "EMAIL:old@x.org",
            "CATEGORIES:client",
        ]);
        let local = card(&[
            "FN:Ada",
            "EMAIL:a@x.org",
            "EMAIL:old@x.org",
            "EMAIL:new@kith.org",
            "CATEGORIES:client,vip",
        ]);
        let remote = card(&[
            "FN:Ada",
            "EMAIL:a@x.org",
            "TEL:+1 555 0100",
            "EMAIL:phone@x.org",
            "CATEGORIES:client,friend",
        ]);
        let m = merge(Some(&base), &local, &remote);
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        assert_eq!(
            m.card,
            card(&[
                "FN:Ada",
                "EMAIL:a@x.org",
                "EMAIL:new@kith.org",
                "EMAIL:phone@x.org",
                "CATEGORIES:client",
                "CATEGORIES:vip",
                "CATEGORIES:friend",
                "TEL:+1 555 0100",
            ])
        );
    }

    #[test]
    fn groups_travel_whole_and_are_numbered_afresh() {
        let base = card(&["FN:Ada"]);
        let local = card(&["FN:Ada", "item1.EMAIL:a@x.org", "item1.X-ABLabel:school"]);
        let remote = card(&["FN:Ada", "item1.TEL:+1 555", "item1.X-ABLabel:boat"]);
        let m = merge(Some(&base), &local, &remote);
        assert_eq!(
            m.card,
            card(&[
                "FN:Ada",
                "item1.EMAIL:a@x.org",
                "item1.X-ABLabel:school",
                "item2.TEL:+1 555",
                "item2.X-ABLabel:boat",
            ])
        );
    }

    #[test]
    fn without_a_base_everything_is_kept() {
        let local = card(&["FN:Ada", "TITLE:CEO"]);
        let remote = card(&["FN:Ada", "TITLE:CTO", "NOTE:n"]);
        let m = merge(None, &local, &remote);
        assert_eq!(m.card, card(&["FN:Ada", "TITLE:CEO", "NOTE:n"]));
        assert_eq!(m.conflicts.len(), 1);
    }

    #[test]
    fn folded_lines_and_server_noise_are_no_change() {
        let base = card(&["FN:Ada", "NOTE:a long note"]);
        let remote = "BEGIN:VCARD\nVERSION:4.0\nPRODID:-//phone//EN\nUID:u1\nFN:Ada\nNOTE:a lo\n ng note\nREV:20261201T000000Z\nEND:VCARD\n";
        let local = card(&["FN:Ada", "NOTE:a long note", "TITLE:CTO"]);
        let m = merge(Some(&base), &local, remote);
        assert_eq!(m.card, local);
        assert!(m.conflicts.is_empty());
    }

    fn arb_card() -> impl Strategy<Value = Vec<String>> {
        let line = prop_oneof![
            "(FN|TITLE|NOTE|ORG):[a-c]{1,2}",
            "(EMAIL|TEL):[a-c]{1,2}",
            "CATEGORIES:[a-c]",
        ];
        proptest::collection::vec(line, 0..6)
    }

    proptest! {
        #[test]
        fn one_sided_changes_are_taken_and_nothing_is_dropped(
            b in arb_card(), l in arb_card(), r in arb_card()
        ) {
            let text = |v: &Vec<String>| card(&v.iter().map(String::as_str).collect::<Vec<_>>());
            let (bt, lt, rt) = (text(&b), text(&l), text(&r));
            let sorted = |t: &str| {
                let mut e: Vec<String> = entries(t).0.into_iter().map(|e| e.text).collect();
                e.sort();
                e
            };
            // Unchanged on one side: the other side's values, all of them.
            prop_assert_eq!(sorted(&merge(Some(&bt), &bt, &rt).card), sorted(&rt));
            prop_assert_eq!(sorted(&merge(Some(&bt), &lt, &bt).card), sorted(&lt));
            // Every value the server added is in the card or in a conflict.
            let m = merge(Some(&bt), &lt, &rt);
            let (base_e, _) = entries(&bt);
            let (merged_e, _) = entries(&m.card);
            for e in entries(&rt).0 {
                if base_e.contains(&e) { continue; }
                let listed = m.conflicts.iter().any(|c| c.server.contains(&e.text));
                prop_assert!(merged_e.contains(&e) || listed, "{:?} dropped", e);
            }
            // And every value kith has stays unless the server removed it.
            for e in entries(&lt).0 {
                let removed = base_e.contains(&e) && !entries(&rt).0.contains(&e);
                prop_assert!(merged_e.contains(&e) || removed, "{:?} dropped", e);
            }
        }
    }
}
