//! `kith today --json`, written straight to its output: the same bytes as serde_json's
//! pretty printer followed by [`super::escape_json_text`] (two spaces an indent, the fields
//! in their declared order, strings escaped as serde_json escapes them and every character
//! [`super::is_unsafe`] names as a `\uXXXX` escape), without building the document (8 MB
//! for the 100k book) in memory. The follow-ups and the people to reconnect with, tens of
//! thousands of entries, are written field by field; the few organizations and dates go
//! through serde_json, re-indented.

use std::io::{self, Write};

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use serde::Serialize;

use crate::agenda::{Agenda, AgendaFollowUp, CadenceSource, Reconnect};
use crate::dates::text::{day_text, utc_text};
use crate::model::{ContactRef, Due, OrgRef};

/// Written to the output whenever the buffer holds this much.
const FLUSH_AT: usize = 1 << 16;

/// Writes `agenda` as `--json` prints it, with its final newline.
pub fn write(agenda: &Agenda, out: impl Write) -> io::Result<()> {
    write_with_head(agenda, &head(agenda)?, out)
}

/// The start of `agenda` as [`write`] writes it: the top object's entries up to the
/// follow-ups' end. Only `date`, `now`, `horizon_days` and the three groups of follow-ups
/// are read, so that it can be made on the thread that found the follow-ups while the
/// other still works out who is due to reconnect.
pub fn head(agenda: &Agenda) -> io::Result<Vec<u8>> {
    // ~550 bytes a follow-up: never grown by copying.
    let follow_ups = agenda.overdue.len() + agenda.today.len() + agenda.upcoming.len();
    let mut p = Pretty::new(Vec::with_capacity(follow_ups * 600 + 256), 0, true);
    p.head(agenda)?;
    let Pretty { buf, mut out, .. } = p;
    out.extend_from_slice(&buf);
    Ok(out)
}

/// Writes `agenda` as [`write`] does, its start being `head` ([`head`] of an agenda with
/// the same date, now, horizon and follow-ups). Many people to reconnect with are written
/// on two threads: the second half of them and what follows into memory on a second one,
/// while this one writes out the head and the first half.
pub fn write_with_head(agenda: &Agenda, head: &[u8], mut out: impl Write) -> io::Result<()> {
    let reconnect = &agenda.reconnect;
    if reconnect.len() < ON_TWO_THREADS_FROM {
        out.write_all(head)?;
        let mut p = Pretty::new(&mut out, 1, false);
        p.reconnect_start();
        p.reconnects(reconnect)?;
        p.tail_end(agenda)?;
        p.out.write_all(&p.buf)?;
        return out.flush();
    }
    let half = reconnect.len() / 2;
    std::thread::scope(|s| {
        let tail = s.spawn(|| -> io::Result<Vec<u8>> {
            // Inside the reconnect list, after its first half (which is not empty).
            let rest = reconnect.len() - half;
            let mut p = Pretty::new(Vec::with_capacity(rest * 420 + (1 << 16)), 2, false);
            p.reconnects(&reconnect[half..])?;
            p.tail_end(agenda)?;
            let Pretty { buf, mut out, .. } = p;
            out.extend_from_slice(&buf);
            Ok(out)
        });
        let first = out.write_all(head).and_then(|()| {
            let mut p = Pretty::new(&mut out, 1, false);
            p.reconnect_start();
            p.reconnects(&reconnect[..half])?;
            p.out.write_all(&p.buf)
        });
        // A panic there is a bug, as it would be here: passed on.
        let tail = tail
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        first?;
        out.write_all(&tail?)?;
        out.flush()
    })
}

/// From how many people to reconnect with [`write_with_head`] uses a second thread: a
/// thread costs about what writing a few hundred does.
const ON_TWO_THREADS_FROM: usize = 1_000;

impl<W: Write> Pretty<W> {
    fn new(out: W, depth: usize, first: bool) -> Self {
        Pretty {
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            out,
            depth,
            first,
        }
    }

    /// The top object's start and its entries up to the follow-ups.
    fn head(&mut self, agenda: &Agenda) -> io::Result<()> {
        self.open(b'{');
        self.key("date");
        self.day(agenda.date)?;
        self.key("now");
        self.time(agenda.now)?;
        self.key("horizon_days");
        self.int(i64::from(agenda.horizon_days));
        for (name, group) in [
            ("overdue", &agenda.overdue),
            ("today", &agenda.today),
            ("upcoming", &agenda.upcoming),
        ] {
            self.key(name);
            self.open(b'[');
            for f in group {
                self.follow_up(f)?;
                self.flush_if_full()?;
            }
            self.close(b']');
        }
        Ok(())
    }

    /// The key of the people to reconnect with and their list's start.
    fn reconnect_start(&mut self) {
        self.key("reconnect");
        self.open(b'[');
    }

    /// People to reconnect with, each a cadence's text made once.
    fn reconnects(&mut self, people: &[Reconnect]) -> io::Result<()> {
        let mut cadences: Vec<(crate::dates::Period, String)> = Vec::new();
        for r in people {
            let cadence = match cadences.iter().position(|(p, _)| *p == r.cadence) {
                Some(i) => i,
                None => {
                    cadences.push((r.cadence, r.cadence.to_string()));
                    cadences.len() - 1
                }
            };
            self.reconnect(r, &cadences[cadence].1)?;
            self.flush_if_full()?;
        }
        Ok(())
    }

    /// After the last person to reconnect with: the list's end, the entries after it, the
    /// top object's end and the final newline.
    fn tail_end(&mut self, agenda: &Agenda) -> io::Result<()> {
        self.close(b']');
        self.serde_array("reconnect_organizations", &agenda.reconnect_organizations)?;
        self.serde_array("dates", &agenda.dates)?;
        self.close(b'}');
        self.buf.push(b'\n');
        Ok(())
    }
}

/// A comma, a newline and the indent of up to 16 levels: an entry's start is a slice of it.
const BREAK: &[u8; 34] = b",\n                                ";

/// serde_json's `PrettyFormatter`, by hand: `first` is whether the innermost object or array
/// has no entry yet.
struct Pretty<W: Write> {
    buf: Vec<u8>,
    out: W,
    depth: usize,
    first: bool,
}

impl<W: Write> Pretty<W> {
    fn flush_if_full(&mut self) -> io::Result<()> {
        if self.buf.len() >= FLUSH_AT {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn indent(&mut self) {
        let spaces = 2 * self.depth;
        match BREAK.get(2..2 + spaces) {
            Some(indent) => self.buf.extend_from_slice(indent),
            None => self.buf.resize(self.buf.len() + spaces, b' '),
        }
    }

    fn open(&mut self, bracket: u8) {
        self.buf.push(bracket);
        self.depth += 1;
        self.first = true;
    }

    fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if !self.first {
            self.buf.push(b'\n');
            self.indent();
        }
        self.buf.push(bracket);
        // The object or array just closed is a value of the one around it, which has one.
        self.first = false;
    }

    /// The start of an array's element or an object's entry.
    fn element(&mut self) {
        let from = usize::from(self.first);
        match BREAK.get(from..2 + 2 * self.depth) {
            Some(line) => self.buf.extend_from_slice(line),
            None => {
                self.buf.extend_from_slice(&BREAK[from..2]);
                self.indent();
            }
        }
        self.first = false;
    }

    /// An object's key (plain ASCII: the field names).
    fn key(&mut self, name: &str) {
        self.element();
        self.buf.push(b'"');
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.extend_from_slice(b"\": ");
    }

    fn str(&mut self, s: &str) {
        string(&mut self.buf, s);
    }

    fn ascii(&mut self, b: &[u8]) {
        self.buf.push(b'"');
        self.buf.extend_from_slice(b);
        self.buf.push(b'"');
    }

    fn null(&mut self) {
        self.buf.extend_from_slice(b"null");
    }

    fn bool(&mut self, b: bool) {
        self.buf
            .extend_from_slice(if b { b"true" } else { b"false" });
    }

    fn int(&mut self, n: i64) {
        let mut digits = [0u8; 20];
        self.buf
            .extend_from_slice(crate::numbers::decimal(n, &mut digits));
    }

    /// A value as serde_json pretty-prints it, escaped for a terminal, its lines indented
    /// to where it stands (a string never holds a raw newline: they are escaped).
    /// `"name": [...]`, each entry written by serde (few, and not worth a writer of their own).
    fn serde_array<T: Serialize>(&mut self, name: &str, entries: &[T]) -> io::Result<()> {
        self.key(name);
        self.open(b'[');
        for entry in entries {
            self.element();
            self.serde(entry)?;
            self.flush_if_full()?;
        }
        self.close(b']');
        Ok(())
    }

    fn serde<T: Serialize + ?Sized>(&mut self, value: &T) -> io::Result<()> {
        let text = serde_json::to_string_pretty(value)?;
        let text = super::escape_json_text(&text);
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.buf.push(b'\n');
                self.indent();
            }
            self.buf.extend_from_slice(line.as_bytes());
        }
        Ok(())
    }

    fn day(&mut self, d: NaiveDate) -> io::Result<()> {
        match day_text(d) {
            Some(b) => self.ascii(&b),
            None => self.serde(&d)?,
        }
        Ok(())
    }

    fn time(&mut self, t: DateTime<Utc>) -> io::Result<()> {
        match utc_text(t).filter(|_| t.nanosecond() == 0) {
            Some(b) => self.ascii(&b),
            None => self.serde(&t)?,
        }
        Ok(())
    }

    fn due(&mut self, due: Due) {
        let text = match due {
            Due::Day(d) => day_text(d).map(|b| b.to_vec()),
            Due::At(t) => utc_text(t).map(|b| b.to_vec()),
        };
        match text {
            Some(b) => self.ascii(&b),
            None => self.str(&due.to_db()),
        }
    }

    fn opt_int(&mut self, n: Option<i64>) {
        match n {
            Some(n) => self.int(n),
            None => self.null(),
        }
    }

    fn contact(&mut self, c: &ContactRef) {
        self.reference(c.id, &c.uid, &c.name);
    }

    fn organization(&mut self, o: &OrgRef) {
        self.reference(o.id, &o.uid, &o.name);
    }

    /// A `ContactRef` or an `OrgRef`: `{id, uid, name}`.
    fn reference(&mut self, id: i64, uid: &str, name: &str) {
        self.open(b'{');
        self.key("id");
        self.int(id);
        self.key("uid");
        self.str(uid);
        self.key("name");
        self.str(name);
        self.close(b'}');
    }

    fn follow_up(&mut self, f: &AgendaFollowUp) -> io::Result<()> {
        self.element();
        self.open(b'{');
        self.key("id");
        self.int(f.id);
        self.key("uid");
        self.str(&f.uid);
        self.key("text");
        self.str(&f.text);
        self.key("due");
        self.due(f.due);
        self.key("day");
        self.day(f.day)?;
        self.key("all_day");
        self.bool(f.all_day);
        self.key("days");
        self.int(f.days);
        self.key("snoozed");
        self.bool(f.snoozed);
        self.key("every");
        match f.every {
            Some(p) => self.str(&p.to_string()),
            None => self.null(),
        }
        self.key("recur_from");
        match f.recur_from {
            Some(r) => self.ascii(r.as_str().as_bytes()),
            None => self.null(),
        }
        self.key("contact");
        match &f.contact {
            Some(c) => self.contact(c),
            None => self.null(),
        }
        self.key("organization");
        match &f.organization {
            Some(o) => self.organization(o),
            None => self.null(),
        }
        self.key("interaction_id");
        self.opt_int(f.interaction_id);
        self.close(b'}');
        Ok(())
    }

    fn reconnect(&mut self, r: &Reconnect, cadence: &str) -> io::Result<()> {
        self.element();
        self.open(b'{');
        self.key("contact");
        self.contact(&r.contact);
        self.key("cadence");
        self.str(cadence);
        self.key("cadence_source");
        self.open(b'{');
        self.key("from");
        match &r.cadence_source {
            CadenceSource::Contact => self.ascii(b"contact"),
            CadenceSource::Tag { tag } => {
                self.ascii(b"tag");
                self.key("tag");
                self.str(tag);
            }
        }
        self.close(b'}');
        self.key("last_contact_at");
        match r.last_contact_at {
            Some(t) => self.time(t)?,
            None => self.null(),
        }
        self.key("due_on");
        self.day(r.due_on)?;
        self.key("days_overdue");
        self.int(r.days_overdue);
        self.key("health");
        self.opt_int(r.health.map(i64::from));
        self.close(b'}');
        Ok(())
    }
}

/// `s` as a JSON string: what serde_json writes (`\"`, `\\`, the short escapes of C0
/// controls, `\u00XX` for the others), then every other character [`super::is_unsafe`]
/// names as `\uXXXX`, as [`super::escape_json_text`] writes it.
fn string(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Most are printable ASCII without a quote or backslash: checked in one pass with no
    // early exit (vectorised), then copied whole.
    let plain = !bytes.iter().fold(false, |odd, &b| {
        odd | !(0x20..0x7f).contains(&b) | (b == b'"') | (b == b'\\')
    });
    if plain {
        buf.reserve(bytes.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(bytes);
        buf.push(b'"');
        return;
    }
    buf.push(b'"');
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' {
            i += 1;
            continue;
        }
        if b >= 0x80 {
            // `i` is at a character's start: only whole characters were passed.
            let c = s[i..].chars().next().unwrap_or_default();
            if !super::is_unsafe(c) {
                i += c.len_utf8();
                continue;
            }
            buf.extend_from_slice(&bytes[start..i]);
            unicode_escape(buf, c as u32);
            i += c.len_utf8();
            start = i;
            continue;
        }
        buf.extend_from_slice(&bytes[start..i]);
        match b {
            b'"' => buf.extend_from_slice(b"\\\""),
            b'\\' => buf.extend_from_slice(b"\\\\"),
            0x08 => buf.extend_from_slice(b"\\b"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            0x0c => buf.extend_from_slice(b"\\f"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            _ => unicode_escape(buf, u32::from(b)),
        }
        i += 1;
        start = i;
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

/// `\u` and the code point in (at least four) lowercase hex digits, as `{:04x}` writes it.
fn unicode_escape(buf: &mut Vec<u8>, code: u32) {
    use std::io::Write as _;
    let _ = write!(buf, "\\u{code:04x}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_text<T: Serialize>(v: &T) -> String {
        let text = serde_json::to_string_pretty(v).unwrap();
        super::super::escape_json_text(&text).into_owned()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_and_the_terminal_escape_write_them() {
        let samples = [
            "",
            "plain",
            "quote \" and \\ backslash",
            "\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1b}[31m\u{1f}",
            "del \u{7f} c1 \u{85}\u{9f} bidi \u{202e}evil\u{2066}\u{2069} \u{200e}\u{200f}\u{61c}",
            "zero width \u{200b}\u{200c}\u{200d}\u{2060}\u{feff} lines \u{2028}\u{2029}",
            "Zoë Ñúñez 日本語 🙂 \u{e0041} \u{10ffff}",
        ];
        for s in samples {
            let mut buf = Vec::new();
            string(&mut buf, s);
            assert_eq!(String::from_utf8(buf).unwrap(), serde_text(&s), "{s:?}");
        }
    }

    /// An agenda with every kind of entry, empty and full groups, nulls and hostile text.
    fn hostile_agenda() -> Agenda {
        use crate::agenda::{DateKind, DateOccurrence, OrgReconnect};
        use crate::dates::Period;
        use crate::model::{Birthday, RecurFrom};
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let evil = "Zoë \"Q\" \\ \u{1b}[31m\t\n\u{7f}\u{85}\u{202e}\u{feff}🙂";
        let contact = ContactRef {
            id: 7,
            uid: format!("uid-{evil}"),
            name: evil.to_string(),
        };
        let org = OrgRef {
            id: -3,
            uid: "o".into(),
            name: format!("Org {evil}"),
        };
        let follow_up = |id: i64, due: Due| AgendaFollowUp {
            id,
            uid: format!("f{id}"),
            text: evil.repeat(id as usize % 3),
            due,
            day,
            all_day: matches!(due, Due::Day(_)),
            days: -id,
            snoozed: id % 2 == 0,
            every: (id % 2 == 1).then(|| Period::parse("2w").unwrap()),
            recur_from: (id % 3 == 0).then_some(RecurFrom::Done),
            contact: (id % 2 == 0).then(|| contact.clone()),
            organization: (id % 2 == 1).then(|| org.clone()),
            interaction_id: (id % 4 == 0).then_some(id * 1000),
        };
        Agenda {
            date: day,
            now: at("2026-11-24T10:00:00.5Z"),
            horizon_days: 7,
            overdue: (1..6)
                .map(|i| follow_up(i, Due::At(at("2026-11-20T08:30:00Z"))))
                .collect(),
            today: vec![],
            upcoming: vec![follow_up(8, Due::Day(day))],
            reconnect: vec![
                Reconnect {
                    contact: contact.clone(),
                    cadence: Period::parse("30d").unwrap(),
                    cadence_source: CadenceSource::Contact,
                    last_contact_at: None,
                    due_on: NaiveDate::from_ymd_opt(-5, 1, 1).unwrap(),
                    days_overdue: 12,
                    health: Some(42),
                },
                Reconnect {
                    contact: contact.clone(),
                    cadence: Period::parse("1y").unwrap(),
                    cadence_source: CadenceSource::Tag { tag: evil.into() },
                    last_contact_at: Some(at("2025-01-02T03:04:05Z")),
                    due_on: day,
                    days_overdue: 0,
                    health: None,
                },
            ],
            reconnect_organizations: vec![OrgReconnect {
                organization: org.clone(),
                cadence: Period::parse("3m").unwrap(),
                last_touch_at: Some(at("2025-01-02T03:04:05.25Z")),
                due_on: day,
                days_overdue: 5,
            }],
            dates: vec![DateOccurrence {
                contact,
                kind: DateKind::Yearly,
                label: evil.into(),
                date: Birthday {
                    year: None,
                    month: 12,
                    day: 1,
                },
                on: day,
                days_until: 7,
                years: None,
            }],
            ..Agenda::default()
        }
    }

    #[test]
    fn an_agenda_is_written_byte_for_byte_as_print_json_writes_it() {
        let mut agendas = vec![hostile_agenda(), Agenda::default()];
        let mut one_empty = hostile_agenda();
        one_empty.reconnect.clear();
        one_empty.dates.clear();
        agendas.push(one_empty);
        // Long enough to be written on two threads.
        let mut long = hostile_agenda();
        let (overdue, reconnect) = (long.overdue.clone(), long.reconnect.clone());
        long.overdue = (0..300).flat_map(|_| overdue.clone()).collect();
        long.reconnect = (0..700).flat_map(|_| reconnect.clone()).collect();
        assert!(long.reconnect.len() >= ON_TWO_THREADS_FROM);
        agendas.push(long);
        for agenda in agendas {
            let mut out = Vec::new();
            write(&agenda, &mut out).unwrap();
            let mut expected = serde_json::to_string_pretty(&agenda).unwrap();
            expected.push('\n');
            let expected = super::super::escape_json_text(&expected);
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }

    #[test]
    fn integers_are_written_as_serde_json_writes_them() {
        for n in [0, 1, -1, 9, 10, -10, 65_536, i64::MAX, i64::MIN] {
            let mut p = Pretty {
                buf: Vec::new(),
                out: Vec::new(),
                depth: 0,
                first: true,
            };
            p.int(n);
            assert_eq!(String::from_utf8(p.buf).unwrap(), n.to_string());
        }
    }
}
