//! The follow-ups as `kith reminders` lists them: only the table's columns, read as borrowed
//! text into one buffer, and put in [`super::list`]'s order.

use super::*;

/// One follow-up as `kith reminders` lists it: only what the table shows, its texts kept in
/// [`ReminderLines::text`].
#[derive(Debug, Clone)]
pub struct ReminderLine {
    pub id: i64,
    /// When it counts: its snooze, else its due date.
    pub due: Due,
    pub snoozed: bool,
    pub done: bool,
    /// The contact it is about (`None` for an organization's).
    pub contact_id: Option<i64>,
    /// Whom it is about: the contact's name, else the organization's, else empty.
    pub about: std::ops::Range<usize>,
    pub text: std::ops::Range<usize>,
    pub recurrence: Option<Period>,
}

/// Follow-ups as [`lines`] reads them, in [`list`]'s order: every text in one buffer.
#[derive(Debug, Clone, Default)]
pub struct ReminderLines {
    pub text: String,
    pub lines: Vec<ReminderLine>,
}

impl ReminderLines {
    /// A line's text (`about` or `text`).
    pub fn str(&self, at: &std::ops::Range<usize>) -> &str {
        self.text.get(at.clone()).unwrap_or_default()
    }
}

/// The follow-ups in `state`, in [`list`]'s order, with only what `kith reminders` shows:
/// its columns read as borrowed text into one buffer, no row its own strings.
///
/// Read through SQLite's page cache, not the memory map: every page is wanted once (the
/// follow-ups in id order, their contacts by ascending id), and a mapped page cost a fault
/// that also mapped its neighbours, mostly other tables' pages. On the 100k book that was
/// 1,100 faults and 80 MB mapped for the contacts' 20 MB; reading each page was faster.
pub fn lines(conn: &Connection, state: ReminderState) -> Result<ReminderLines> {
    crate::store::without_map(conn, || read_lines(conn, state))
}

fn read_lines(conn: &Connection, state: ReminderState) -> Result<ReminderLines> {
    let condition = match state {
        ReminderState::Open => "r.done_at IS NULL",
        ReminderState::Done => "r.done_at IS NOT NULL",
        ReminderState::All => "1",
    };
    let sql = format!(
        "SELECT r.id, r.due, r.snoozed_until, r.done_at, r.recurrence, r.text,
                c.id, c.display_name, o.name
           FROM reminders r NOT INDEXED
           LEFT JOIN contacts c ON c.id = r.contact_id
           LEFT JOIN organizations o ON o.id = r.organization_id
          WHERE {condition}"
    );
    // Room for every row at once (ids count them at most: only what is used is touched),
    // rather than growing each list by copying it, again and again.
    let most: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM reminders", [], |r| {
        r.get(0)
    })?;
    let most = most.clamp(0, 1 << 20) as usize;
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut out = ReminderLines {
        text: String::new(),
        lines: Vec::with_capacity(most),
    };
    // The texts' bytes, checked to be UTF-8 once at the end rather than column by column.
    let mut texts: Vec<u8> = Vec::with_capacity(most * 48);
    // The sort key of each row: its effective due as stored, its id, its place; each due's
    // text is in `all`, at its range in `keys`.
    let (mut all, mut keys, mut whole) = (
        String::with_capacity(most * 10),
        Vec::with_capacity(most),
        true,
    );
    let mut order: Vec<SortKey> = Vec::with_capacity(most);
    // A full scan of a rowid table comes in id order; checked, since the quick sort of
    // [`sort_keys`] leans on it.
    let (mut ascending, mut last_id) = (true, i64::MIN);
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        ascending &= id > last_id;
        last_id = id;
        let due = text(r, 1)?.unwrap_or_default();
        let snoozed = text(r, 2)?;
        // Open ones have no completion (the condition says so): not read.
        let done = state != ReminderState::Open && text(r, 3)?.map(parse_ts).transpose()?.is_some();
        let snoozed_until = snoozed.and_then(Due::from_db);
        let due_at = Due::from_db(due).ok_or_else(|| bad_date(due))?;
        let recurrence = text(r, 4)?.and_then(|p| Period::parse(p).ok());
        let mut push = |s: &[u8]| {
            let start = texts.len();
            texts.extend_from_slice(s);
            start..texts.len()
        };
        let body = push(raw(r, 5)?);
        let contact_id: Option<i64> = r.get(6)?;
        let about = push(raw(r, if contact_id.is_some() { 7 } else { 8 })?);
        let at = out.lines.len() as u32;
        let (key, held) = SortKey::new(&mut keys, &mut all, snoozed.unwrap_or(due), id, at);
        order.push(key);
        whole &= held;
        out.lines.push(ReminderLine {
            id,
            due: snoozed_until.unwrap_or(due_at),
            snoozed: snoozed_until.is_some(),
            done,
            contact_id,
            about,
            text: body,
            recurrence,
        });
    }
    let mut from = sort_keys(order, whole && ascending, &keys, &all);
    out.text = String::from_utf8(texts).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e))
    })?;
    // Whole, the texts are UTF-8; each one is when it also starts and ends on a character.
    let at_char = |r: &std::ops::Range<usize>| {
        out.text.is_char_boundary(r.start) && out.text.is_char_boundary(r.end)
    };
    if let Some(l) = (out.lines.iter()).find(|l| !at_char(&l.text) || !at_char(&l.about)) {
        return Err(rusqlite::Error::FromSqlConversionFailure(
            5,
            rusqlite::types::Type::Text,
            format!("follow-up {} holds text that is not UTF-8", l.id).into(),
        )
        .into());
    }
    // Each line moved to its place in the order, along the permutation's cycles (no second
    // list of lines).
    for start in 0..from.len() {
        let mut at = start;
        while from[at] != u32::MAX {
            let source = from[at] as usize;
            from[at] = u32::MAX;
            if source == start {
                break;
            }
            out.lines.swap(at, source);
            at = source;
        }
    }
    Ok(out)
}
