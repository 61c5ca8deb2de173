//! `kith log edit ID` without flags: the interaction as a readable `field: value` form in
//! $EDITOR, its body below a marker line, parsed back into the same
//! [`EditInteraction`] the flags build. Errors name the line.

use std::fmt::Write as _;

use chrono::Local;
use rusqlite::Connection;

use crate::app::interactions::EditInteraction;
use crate::error::{Error, Result};
use crate::model::{Channel, Direction, Interaction};
use crate::store::{contacts, organizations};

const BODY_MARKER: &str = "--- body (everything below this line) ---";
const TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

/// The form for `current`.
pub fn render(current: &Interaction) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Editing interaction #{}", current.id);
    let _ = writeln!(
        out,
        "# One field per line; \"with\" lists who took part, separated by commas (a name, #ID"
    );
    let _ = writeln!(
        out,
        "# or email). Lines starting with # are ignored. Save unchanged to cancel."
    );
    let _ = writeln!(
        out,
        "when: {}",
        current
            .occurred_at
            .with_timezone(&Local)
            .format(TIME_FORMAT)
    );
    let _ = writeln!(out, "via: {}", current.channel);
    let _ = writeln!(
        out,
        "direction: {}",
        current.direction.map(Direction::as_str).unwrap_or_default()
    );
    let with: Vec<String> = current
        .participants
        .iter()
        .map(|c| format!("{} (#{})", one_line(&c.name), c.id))
        .collect();
    let _ = writeln!(out, "with: {}", with.join(", "));
    let _ = writeln!(out, "organization: {}", shown_org(current));
    let _ = writeln!(out, "summary: {}", one_line(&current.summary));
    let _ = writeln!(out, "{BODY_MARKER}");
    if let Some(body) = &current.body {
        let _ = writeln!(out, "{body}");
    }
    out
}

/// The organization line's value: "Globex (#2)", or empty.
fn shown_org(current: &Interaction) -> String {
    current
        .organization
        .as_ref()
        .map(|o| format!("{} (#{})", one_line(&o.name), o.id))
        .unwrap_or_default()
}

/// A stored one-line value as the form shows it: a line break would split the field.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// The edit the form asks for against `current`: only what changed; names are resolved in
/// `conn` as everywhere a person is named.
pub fn parse(conn: &Connection, current: &Interaction, text: &str) -> Result<EditInteraction> {
    let mut edit = EditInteraction {
        id: current.id,
        ..EditInteraction::default()
    };
    let mut with: Option<Vec<i64>> = None;
    let (lines, body) = super::editor::split_form(text, BODY_MARKER)?;
    for super::editor::FormLine { number, key, value } in lines {
        let at_line = super::editor::at_line(number);
        match key.as_str() {
            "when" => {
                let shown = current
                    .occurred_at
                    .with_timezone(&Local)
                    .format(TIME_FORMAT);
                if value != shown.to_string() {
                    edit.at = Some(value.to_string());
                }
            }
            "via" => edit.channel = Some(value.parse::<Channel>().map_err(at_line)?),
            "direction" => edit.direction = Some(direction(value).map_err(at_line)?),
            "with" => with = Some(people(conn, value).map_err(at_line)?),
            // Unchanged, it is left alone (it may name an organization archived since).
            "organization" | "org" if value != shown_org(current) => {
                edit.organization = Some(organization(conn, value).map_err(at_line)?)
            }
            "organization" | "org" => {}
            "summary" => edit.summary = Some(value.to_string()),
            other => {
                return Err(Error::invalid(
                    &format!("line {number}"),
                    other,
                    "unknown field; use when, via, direction, with, organization, summary",
                ));
            }
        }
    }
    edit.body = Some(body.filter(|b| !b.trim().is_empty()));
    if let Some(with) = with {
        let before: Vec<i64> = current.participants.iter().map(|c| c.id).collect();
        edit.remove = before
            .iter()
            .copied()
            .filter(|id| !with.contains(id))
            .collect();
        edit.add = with.into_iter().filter(|id| !before.contains(id)).collect();
    }
    Ok(edit)
}

fn direction(value: &str) -> Result<Option<Direction>> {
    match value.to_lowercase().as_str() {
        "" => Ok(None),
        "in" => Ok(Some(Direction::In)),
        "out" => Ok(Some(Direction::Out)),
        _ => Err(Error::invalid(
            "direction",
            value,
            "expected in, out or nothing",
        )),
    }
}

/// The organization an "organization" line names ("Globex (#2)" is #2), or none when empty.
fn organization(conn: &Connection, value: &str) -> Result<Option<i64>> {
    if value.is_empty() {
        return Ok(None);
    }
    organizations::resolve(conn, &by_id(value), false).map(Some)
}

/// "Ada Lovelace (#3)", as the form writes a record, is "#3" whatever the name says.
fn by_id(name: &str) -> String {
    match name.strip_suffix(')').and_then(|n| n.rsplit_once("(#")) {
        Some((_, id)) if id.chars().all(|c| c.is_ascii_digit()) && !id.is_empty() => {
            format!("#{id}")
        }
        _ => name.to_string(),
    }
}

/// The contacts named in a "with" line. "Ada Lovelace (#3)", as the form writes them, is
/// contact #3 whatever the name says.
fn people(conn: &Connection, value: &str) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let id = contacts::resolve(conn, &by_id(name), false)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ContactRef;
    use crate::store::{OpenMode, Store};

    fn stored() -> Interaction {
        Interaction {
            id: 4,
            uid: "u".into(),
            occurred_at: "2026-11-20T15:00:00Z".parse().unwrap(),
            channel: Channel::Call,
            direction: Some(Direction::Out),
            summary: "Budget approved".into(),
            body: Some("First line\n\nThird: with a colon".into()),
            participants: vec![ContactRef {
                id: 1,
                uid: "c".into(),
                name: "Ada Lovelace".into(),
            }],
            organization: None,
            created_at: "2026-11-20T15:00:00Z".parse().unwrap(),
            thread: None,
            location: None,
        }
    }

    fn book() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::open(&dir.path().join("kith.db"), OpenMode::CreateIfMissing).unwrap();
        let clock = crate::clock::Clock {
            now: "2026-11-20T15:00:00Z".parse().unwrap(),
        };
        for name in ["Ada Lovelace", "Grace Hopper"] {
            let fields = crate::model::ContactFields {
                display_name: name.into(),
                ..Default::default()
            };
            crate::app::contacts::add(&mut store, clock, fields).unwrap();
        }
        (dir, store)
    }

    #[test]
    fn an_unchanged_form_changes_nothing_but_keeps_the_body() {
        let (_dir, store) = book();
        let current = stored();
        let edit = parse(store.conn(), &current, &render(&current)).unwrap();
        assert_eq!(edit.at, None);
        assert!(edit.add.is_empty() && edit.remove.is_empty());
        assert_eq!(edit.summary.as_deref(), Some("Budget approved"));
        assert_eq!(edit.body, Some(current.body.clone()));
    }

    #[test]
    fn the_with_line_adds_and_removes_people() {
        let (_dir, store) = book();
        let current = stored();
        let text = render(&current).replace("with: Ada Lovelace (#1)", "with: grace");
        let edit = parse(store.conn(), &current, &text).unwrap();
        assert_eq!(edit.add, vec![2]);
        assert_eq!(edit.remove, vec![1]);
    }

    #[test]
    fn errors_name_the_line() {
        let (_dir, store) = book();
        let current = stored();
        let text = render(&current).replace("via: call", "via: pigeon");
        let err = parse(store.conn(), &current, &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 5") && err.contains("pigeon"), "{err}");
    }
}
