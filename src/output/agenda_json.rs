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
use crate::model::Due;

/// Written to the output whenever the buffer holds this much.
const FLUSH_AT: usize = 1 << 16;

/// Writes `agenda` as `--json` prints it, with its final newline.
pub fn write(agenda: &Agenda, mut out: impl Write) -> io::Result<()> {
    write_head(agenda, &mut out)?;
    write_rest(agenda, out)
}

/// Writes the start of `agenda` as [`write`] writes it: the top object's entries up to the
/// follow-ups' end. Only `date`, `now`, `horizon_days` and the three groups of follow-ups
/// are read, so that it can be written by the thread that found the follow-ups while the
/// other still works out who is due to reconnect.
pub fn write_head(agenda: &Agenda, mut out: impl Write) -> io::Result<()> {
    let mut p = Pretty::new(&mut out, 0, true);
    p.head(agenda)?;
    p.out.write_all(&p.buf)?;
    out.flush()
}

/// Writes the rest of `agenda` after [`write_head`] (of an agenda with the same date, now,
/// horizon and follow-ups). Many people to reconnect with are written on two threads: the
/// second half of them and what follows into memory on a second one, while this one writes
/// out the first half.
pub fn write_rest(agenda: &Agenda, mut out: impl Write) -> io::Result<()> {
    let reconnect = &agenda.reconnect;
    if reconnect.len() < ON_TWO_THREADS_FROM {
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
        let first = {
            let mut p = Pretty::new(&mut out, 1, false);
            p.reconnect_start();
            p.reconnects(&reconnect[..half])
                .and_then(|()| p.out.write_all(&p.buf))
        };
        // A panic there is a bug, as it would be here: passed on.
        let tail = tail
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        first?;
        out.write_all(&tail?)?;
        out.flush()
    })
}

/// From how many people to reconnect with [`write_rest`] uses a second thread: a
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
            let text = Template::new(self.depth, &FOLLOW_UP);
            for f in group {
                self.follow_up(f, &text)?;
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

    /// People to reconnect with, each a cadence's text (as JSON) made once.
    fn reconnects(&mut self, people: &[Reconnect]) -> io::Result<()> {
        let text = Template::new(self.depth, &RECONNECT);
        let mut cadences: Vec<(crate::dates::Period, Vec<u8>)> = Vec::new();
        for r in people {
            let cadence = match cadences.iter().position(|(p, _)| *p == r.cadence) {
                Some(i) => i,
                None => {
                    let mut json = Vec::new();
                    string(&mut json, &r.cadence.to_string());
                    cadences.push((r.cadence, json));
                    cadences.len() - 1
                }
            };
            self.reconnect(r, &cadences[cadence].1, &text)?;
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

/// The text of an entry of many (a follow-up, a person to reconnect with) between its
/// values, as [`Template::new`] reads it: `\n` and a digit `k` is a line break and the
/// indent of `k` levels deeper than the list the entry is in.
type Pieces = [&'static [u8]];

/// A follow-up's text between its values (see [`Pretty::follow_up`]).
const FOLLOW_UP: [&[u8]; 14] = [
    b"{\n1\"id\": ",
    b",\n1\"uid\": ",
    b",\n1\"text\": ",
    b",\n1\"due\": ",
    b",\n1\"day\": ",
    b",\n1\"all_day\": ",
    b",\n1\"days\": ",
    b",\n1\"snoozed\": ",
    b",\n1\"every\": ",
    b",\n1\"recur_from\": ",
    b",\n1\"contact\": ",
    b",\n1\"organization\": ",
    b",\n1\"interaction_id\": ",
    b"\n0}",
];

/// The text of a `{id, uid, name}` within an entry (after [`FOLLOW_UP`]'s and
/// [`RECONNECT`]'s pieces).
const REFERENCE: [&[u8]; 4] = [
    b"{\n2\"id\": ",
    b",\n2\"uid\": ",
    b",\n2\"name\": ",
    b"\n1}",
];

/// A person to reconnect with's text between its values (see [`Pretty::reconnect`]).
const RECONNECT: [&[u8]; 10] = [
    b"{\n1\"contact\": ",
    b",\n1\"cadence\": ",
    b",\n1\"cadence_source\": {\n2\"from\": ",
    b"\"tag\",\n2\"tag\": ",
    b"\n1},\n1\"last_contact_at\": ",
    b",\n1\"due_on\": ",
    b",\n1\"days_overdue\": ",
    b",\n1\"health\": ",
    b"\n0}",
    b"\"contact\"",
];

/// Pieces of entry text made for the depth of one list, and the reference's.
struct Template {
    pieces: Vec<Vec<u8>>,
    reference: Vec<Vec<u8>>,
}

impl Template {
    fn new(depth: usize, pieces: &Pieces) -> Template {
        let expand = |piece: &[u8]| {
            let mut out = Vec::with_capacity(piece.len() + 2 * depth + 8);
            let mut bytes = piece.iter();
            while let Some(&b) = bytes.next() {
                if b == b'\n' {
                    let deeper = bytes.next().map_or(0, |k| usize::from(k - b'0'));
                    out.push(b'\n');
                    out.resize(out.len() + 2 * (depth + deeper), b' ');
                } else {
                    out.push(b);
                }
            }
            out
        };
        Template {
            pieces: pieces.iter().map(|p| expand(p)).collect(),
            reference: REFERENCE.iter().map(|p| expand(p)).collect(),
        }
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
        match due {
            Due::Day(d) => match day_text(d) {
                Some(b) => self.ascii(&b),
                None => self.str(&due.to_db()),
            },
            Due::At(t) => match utc_text(t) {
                Some(b) => self.ascii(&b),
                None => self.str(&due.to_db()),
            },
        }
    }

    fn opt_int(&mut self, n: Option<i64>) {
        match n {
            Some(n) => self.int(n),
            None => self.null(),
        }
    }

    /// `{id, uid, name}` inside an entry written from `text`'s pieces.
    fn reference_in(&mut self, id: i64, uid: &str, name: &str, text: &Template) {
        let r = &text.reference;
        self.buf.extend_from_slice(&r[0]);
        self.int(id);
        self.buf.extend_from_slice(&r[1]);
        self.str(uid);
        self.buf.extend_from_slice(&r[2]);
        self.str(name);
        self.buf.extend_from_slice(&r[3]);
    }

    /// A follow-up, as the entry of a list ([`FOLLOW_UP`]'s pieces for its depth in `text`).
    fn follow_up(&mut self, f: &AgendaFollowUp, text: &Template) -> io::Result<()> {
        let t = &text.pieces;
        self.element();
        self.buf.extend_from_slice(&t[0]);
        self.int(f.id);
        self.buf.extend_from_slice(&t[1]);
        self.str(&f.uid);
        self.buf.extend_from_slice(&t[2]);
        self.str(&f.text);
        self.buf.extend_from_slice(&t[3]);
        self.due(f.due);
        self.buf.extend_from_slice(&t[4]);
        self.day(f.day)?;
        self.buf.extend_from_slice(&t[5]);
        self.bool(f.all_day);
        self.buf.extend_from_slice(&t[6]);
        self.int(f.days);
        self.buf.extend_from_slice(&t[7]);
        self.bool(f.snoozed);
        self.buf.extend_from_slice(&t[8]);
        match f.every {
            Some(p) => self.str(&p.to_string()),
            None => self.null(),
        }
        self.buf.extend_from_slice(&t[9]);
        match f.recur_from {
            Some(r) => self.ascii(r.as_str().as_bytes()),
            None => self.null(),
        }
        self.buf.extend_from_slice(&t[10]);
        match &f.contact {
            Some(c) => self.reference_in(c.id, &c.uid, &c.name, text),
            None => self.null(),
        }
        self.buf.extend_from_slice(&t[11]);
        match &f.organization {
            Some(o) => self.reference_in(o.id, &o.uid, &o.name, text),
            None => self.null(),
        }
        self.buf.extend_from_slice(&t[12]);
        self.opt_int(f.interaction_id);
        self.buf.extend_from_slice(&t[13]);
        Ok(())
    }

    /// A person to reconnect with, as the entry of a list ([`RECONNECT`]'s pieces for its
    /// depth in `text`), their cadence already JSON text.
    fn reconnect(&mut self, r: &Reconnect, cadence: &[u8], text: &Template) -> io::Result<()> {
        let t = &text.pieces;
        self.element();
        self.buf.extend_from_slice(&t[0]);
        self.reference_in(r.contact.id, &r.contact.uid, &r.contact.name, text);
        self.buf.extend_from_slice(&t[1]);
        self.buf.extend_from_slice(cadence);
        self.buf.extend_from_slice(&t[2]);
        match &r.cadence_source {
            CadenceSource::Contact => self.buf.extend_from_slice(&t[9]),
            CadenceSource::Tag { tag } => {
                self.buf.extend_from_slice(&t[3]);
                self.str(tag);
            }
        }
        self.buf.extend_from_slice(&t[4]);
        match r.last_contact_at {
            Some(t) => self.time(t)?,
            None => self.null(),
        }
        self.buf.extend_from_slice(&t[5]);
        self.day(r.due_on)?;
        self.buf.extend_from_slice(&t[6]);
        self.int(r.days_overdue);
        self.buf.extend_from_slice(&t[7]);
        self.opt_int(r.health.map(i64::from));
        self.buf.extend_from_slice(&t[8]);
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
    use crate::model::{ContactRef, OrgRef};

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
                    added_at: at("2025-01-01T00:00:00Z"),
                    health: Some(42),
                },
                Reconnect {
                    contact: contact.clone(),
                    cadence: Period::parse("1y").unwrap(),
                    cadence_source: CadenceSource::Tag { tag: evil.into() },
                    last_contact_at: Some(at("2025-01-02T03:04:05Z")),
                    due_on: day,
                    days_overdue: 0,
                    added_at: at("2025-01-01T00:00:00Z"),
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
