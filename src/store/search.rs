//! What search reads: the compact `contact_search` rows `find` builds its index from, and the
//! FTS5 tables `grep` queries. Both are kept in sync by triggers (migration 0002).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::parse_ts;
use crate::error::Result;
use crate::search::scan::Scan;
use crate::search::{Entry, Field};

/// One contact as search needs it.
#[derive(Debug, Clone)]
pub struct SearchRow {
    pub entry: Entry,
    pub organization_id: Option<i64>,
    pub archived: bool,
}

/// Every contact's search fields in one sequential read (archived ones only when asked).
pub fn entries(conn: &Connection, include_archived: bool) -> Result<Vec<SearchRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT contact_id, organization_id, archived, doc FROM contact_search
          WHERE ?1 OR archived = 0",
    )?;
    let mut rows = stmt.query([include_archived])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let doc = r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)?;
        out.push(SearchRow {
            entry: parse_doc(r.get(0)?, doc),
            organization_id: r.get(1)?,
            archived: r.get(2)?,
        });
    }
    Ok(out)
}

/// Which contacts a search looks at.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub include_archived: bool,
    pub organization_id: Option<i64>,
    /// A normalized tag name.
    pub tag: Option<String>,
}

/// What [`best_matches`] found: the rows that can rank in the top `limit`, best first by
/// cheap score (build an [`crate::search::Index`] on them for the exact order and positions),
/// and how many contacts matched in all.
#[derive(Debug, Clone)]
pub struct Matches {
    pub rows: Vec<SearchRow>,
    pub total: usize,
    /// How many matched in a name tier (see [`crate::search::scan::Scan::named`]).
    pub named: usize,
}

/// The contacts in `scope` that can rank in the top `limit` for `query`: one pass over the
/// folded haystacks (`contact_haystack`), parsing only the few kept.
pub fn best_matches(
    conn: &Connection,
    query: &str,
    scope: &Scope,
    limit: usize,
) -> Result<Matches> {
    let mut scan = Scan::new(query, limit);
    if scan.is_void() {
        return Ok(Matches {
            rows: Vec::new(),
            total: 0,
            named: 0,
        });
    }
    let allowed = allowed_ids(conn, scope)?;
    let offer = |scan: &mut Scan, data: &[u8]| {
        super::haystacks::each_in(data, scope.include_archived, |id, mask, hay| {
            if allowed.as_ref().is_none_or(|a| a.contains(&id)) {
                scan.offer(id, mask, hay);
            }
        })
    };
    scan_chunks(conn, &mut scan, query, limit, &offer)?;
    let (total, named) = (scan.total(), scan.named());
    let mut kept = Vec::new();
    for id in scan.finish() {
        if let Some((organization_id, doc, archived)) = row(conn, id)? {
            kept.push(SearchRow {
                entry: parse_doc(id, &doc),
                organization_id,
                archived,
            });
        }
    }
    Ok(Matches {
        rows: kept,
        total,
        named,
    })
}

/// Below this many chunks (about 20k contacts) one thread scans sooner than a second can
/// open the book.
const TWO_THREADS_FROM: i64 = 80;

/// Scan the stored chunks, on two threads when there are many: this one scans the lower
/// half, a helper the upper half over a connection of its own (SQLite's reading, a fifth of
/// the work, is split too), and the helper's scan is absorbed into this one's, which gives
/// the same results whatever the split (see [`Scan::absorb`]). At 1M contacts the scan is
/// nearly all of `kith find`, and the machines kith targets have two cores. If the helper
/// cannot open the book (an in-memory one, say) or fails, its half is scanned here. Two
/// connections read the book as last committed: the same as one, unless another program
/// commits between their reads.
fn scan_chunks(
    conn: &Connection,
    scan: &mut Scan,
    query: &str,
    limit: usize,
    offer: &(dyn Fn(&mut Scan, &[u8]) + Sync),
) -> Result<()> {
    use super::haystacks::{chunk_span, for_each_chunk_in};
    let Some((low, high)) = chunk_span(conn)? else {
        return Ok(());
    };
    // Inside a transaction (a resolution while writing) a second connection would not see
    // its changes: one thread there.
    let path = conn
        .path()
        .filter(|p| !p.is_empty() && conn.is_autocommit());
    // Chunk numbers come from the book: in i128 their span cannot overflow.
    let span = i128::from(high) - i128::from(low);
    let (Some(path), true) = (path, span >= i128::from(TWO_THREADS_FROM)) else {
        return for_each_chunk_in(conn, low..=high, |data| offer(scan, data));
    };
    // low <= mid < high, so mid + 1 fits.
    let mid = i64::try_from(i128::from(low) + span / 2).unwrap_or(low);
    let (lower, upper) = std::thread::scope(|s| {
        let helper = s.spawn(move || -> Result<Scan> {
            let reader = Connection::open_with_flags(
                path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            reader.busy_timeout(std::time::Duration::from_secs(5))?;
            let mut scan = Scan::new(query, limit);
            for_each_chunk_in(&reader, mid + 1..=high, |data| offer(&mut scan, data))?;
            Ok(scan)
        });
        let lower = for_each_chunk_in(conn, low..=mid, |data| offer(scan, data));
        (lower, helper.join())
    });
    lower?;
    match upper {
        Ok(Ok(found)) => scan.absorb(found),
        _ => for_each_chunk_in(conn, mid + 1..=high, |data| offer(scan, data))?,
    }
    Ok(())
}

/// The contacts `--org` and `--tag` leave in play, when either is given.
fn allowed_ids(conn: &Connection, scope: &Scope) -> Result<Option<HashSet<i64>>> {
    let mut allowed: Option<HashSet<i64>> = None;
    let mut narrow = |ids: HashSet<i64>| {
        allowed = Some(match allowed.take() {
            Some(before) => before.intersection(&ids).copied().collect(),
            None => ids,
        });
    };
    if let Some(organization_id) = scope.organization_id {
        let mut stmt = conn.prepare_cached("SELECT id FROM contacts WHERE organization_id = ?1")?;
        narrow(
            stmt.query_map([organization_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
        );
    }
    if let Some(tag) = &scope.tag {
        let mut stmt = conn.prepare_cached(
            "SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
              WHERE t.name = ?1",
        )?;
        narrow(
            stmt.query_map([tag], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
        );
    }
    Ok(allowed)
}

/// One contact's stored search row: organization, doc, archived.
fn row(conn: &Connection, id: i64) -> Result<Option<(Option<i64>, String, bool)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT organization_id, doc, archived FROM contact_search WHERE contact_id = ?1",
    )?;
    Ok(stmt
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// The `contact_search.doc` that the `contact_search_source` view (migration 0002) makes of
/// a contact, built from what a writer has in hand instead of read back: `organization` is
/// the stored organization's name, and `fields.tags` holds the stored tag names. Used by
/// bulk imports (`store::deferred`); a test holds it to the view.
pub fn doc_of(fields: &crate::model::ContactFields, organization: Option<&str>) -> String {
    const SEP: char = '\u{1f}';
    let mut doc = String::with_capacity(96);
    doc.push('n');
    doc.push_str(&fields.display_name);
    for (letter, value) in [
        ('k', fields.nickname.as_deref()),
        ('o', organization),
        ('t', fields.title.as_deref()),
    ] {
        if let Some(value) = value {
            doc.push(SEP);
            doc.push(letter);
            doc.push_str(value);
        }
    }
    for (letter, items) in [('e', &fields.emails), ('p', &fields.phones)] {
        for item in items {
            doc.push(SEP);
            doc.push(letter);
            doc.push_str(&item.value);
        }
    }
    // The view orders tags by name (SQLite's BINARY collation: byte order, as `str`'s).
    let mut tags: Vec<&str> = fields.tags.iter().map(String::as_str).collect();
    tags.sort_unstable();
    tags.dedup();
    for tag in tags {
        doc.push(SEP);
        doc.push('g');
        doc.push_str(tag);
    }
    doc
}

/// A new contact's search row worked out ahead of writing (a bulk import does it on its
/// reading thread): the doc [`doc_of`] makes, and the folded haystack and letter mask that
/// `store::haystacks` keeps of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedDoc {
    /// The organization name the doc was made with.
    pub organization: Option<String>,
    pub doc: String,
    pub mask: u64,
    pub haystack: Vec<u8>,
}

impl PreparedDoc {
    pub fn of(fields: &crate::model::ContactFields, organization: Option<&str>) -> PreparedDoc {
        let doc = doc_of(fields, organization);
        let mut haystack = Vec::with_capacity(doc.len() + 8);
        let mask = crate::search::haystack(doc_fields(&doc), &mut haystack);
        PreparedDoc {
            organization: organization.map(str::to_string),
            doc,
            mask,
            haystack,
        }
    }
}

/// The fields of a doc, borrowed, in stored order.
pub(super) fn doc_fields(doc: &str) -> impl Iterator<Item = (Field, &str)> {
    doc.split('\u{1f}').filter_map(|part| {
        let kind = part.chars().next()?;
        let field = match kind {
            'n' => Field::Name,
            'k' => Field::Nickname,
            'o' => Field::Organization,
            't' => Field::Title,
            'e' => Field::Email,
            'p' => Field::Phone,
            'g' => Field::Tag,
            _ => return None,
        };
        Some((field, &part[kind.len_utf8()..]))
    })
}

/// Split a `contact_search.doc` (fields separated by char(31), each led by a kind letter).
fn parse_doc(contact_id: i64, doc: &str) -> Entry {
    let mut e = Entry {
        contact_id,
        ..Entry::default()
    };
    for part in doc.split('\u{1f}') {
        let mut chars = part.chars();
        let kind = chars.next();
        let value = chars.as_str().to_string();
        match kind {
            Some('n') => e.display_name = value,
            Some('k') => e.nickname = Some(value),
            Some('o') => e.organization = Some(value),
            Some('t') => e.title = Some(value),
            Some('e') => e.emails.push(value),
            Some('p') => e.phones.push(value),
            Some('g') => e.tags.push(value),
            _ => {}
        }
    }
    e
}

/// Where a full-text match was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GrepSource {
    /// A contact's notes.
    Note,
    /// An interaction's summary or body.
    Interaction,
}

/// A contact a match belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrepContact {
    pub id: i64,
    pub name: String,
}

/// One full-text match.
#[derive(Debug, Clone, Serialize)]
pub struct GrepHit {
    pub source: GrepSource,
    /// The contact id for notes, the interaction id for interactions.
    pub id: i64,
    /// When the interaction happened (absent for notes).
    pub occurred_at: Option<DateTime<Utc>>,
    /// The interaction's summary (absent for notes).
    pub summary: Option<String>,
    /// The contacts it belongs to: the note's contact, or the interaction's participants.
    pub contacts: Vec<GrepContact>,
    /// A short excerpt around the match, as stored (not sanitized: JSON stays exact).
    pub snippet: String,
    /// Matched ranges in `snippet`, as `[start, end)` character offsets.
    pub marks: Vec<(usize, usize)>,
}

/// Marker characters SQLite puts around matches in snippets; replaced by `marks`.
const OPEN: char = '\u{e000}';
const CLOSE: char = '\u{e001}';

/// Turn what the user typed into an FTS5 query that can never be a syntax error: every
/// whitespace-separated word becomes a quoted prefix term (quotes doubled), all required.
/// Operators typed by the user (`AND`, `NEAR`, `"`, `*`, `-`) are searched as words.
pub fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        // A word with no letters or digits tokenizes to nothing; an empty phrase is noise.
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Full-text search over notes and interactions, best matches first.
pub fn grep(conn: &Connection, text: &str, limit: usize) -> Result<Vec<GrepHit>> {
    let Some(query) = fts_query(text) else {
        return Ok(Vec::new());
    };
    let open = OPEN.to_string();
    let close = CLOSE.to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT kind, id, occurred_at, summary, snippet, contacts FROM (
           SELECT 'note' AS kind, c.id AS id, NULL AS occurred_at, NULL AS summary,
                  snippet(contact_notes_fts, 0, ?2, ?3, '…', 16) AS snippet,
                  c.id || char(31) || c.display_name AS contacts,
                  bm25(contact_notes_fts) AS rank
             FROM contact_notes_fts JOIN contacts c ON c.id = contact_notes_fts.rowid
            WHERE contact_notes_fts MATCH ?1
           UNION ALL
           SELECT 'interaction', i.id, i.occurred_at, i.summary,
                  snippet(interactions_fts, -1, ?2, ?3, '…', 16),
                  (SELECT group_concat(c.id || char(31) || c.display_name, char(30))
                     FROM interaction_participants p JOIN contacts c ON c.id = p.contact_id
                    WHERE p.interaction_id = i.id),
                  bm25(interactions_fts)
             FROM interactions_fts JOIN interactions i ON i.id = interactions_fts.rowid
            WHERE interactions_fts MATCH ?1)
         ORDER BY rank, occurred_at DESC, id
         LIMIT ?4",
    )?;
    let mut rows = stmt.query(params![query, open, close, limit as i64])?;
    let mut hits = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(0)?;
        let occurred: Option<String> = r.get(2)?;
        let raw_snippet: String = r.get(4)?;
        let people: Option<String> = r.get(5)?;
        let (snippet, marks) = split_marks(&raw_snippet);
        hits.push(GrepHit {
            source: if kind == "note" {
                GrepSource::Note
            } else {
                GrepSource::Interaction
            },
            id: r.get(1)?,
            occurred_at: occurred.as_deref().map(parse_ts).transpose()?,
            summary: r.get(3)?,
            contacts: people.as_deref().map(parse_people).unwrap_or_default(),
            snippet,
            marks,
        });
    }
    Ok(hits)
}

fn parse_people(s: &str) -> Vec<GrepContact> {
    s.split('\u{1e}')
        .filter_map(|p| {
            let (id, name) = p.split_once('\u{1f}')?;
            Some(GrepContact {
                id: id.parse().ok()?,
                name: name.to_string(),
            })
        })
        .collect()
}

/// Remove the marker characters, returning the text and the marked character ranges.
fn split_marks(raw: &str) -> (String, Vec<(usize, usize)>) {
    let mut text = String::with_capacity(raw.len());
    let mut marks = Vec::new();
    let mut count = 0;
    let mut start = None;
    for c in raw.chars() {
        match c {
            OPEN => start = Some(count),
            CLOSE => {
                if let Some(s) = start.take() {
                    marks.push((s, count));
                }
            }
            _ => {
                text.push(c);
                count += 1;
            }
        }
    }
    (text, marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_always_a_valid_query() {
        assert_eq!(fts_query("budget"), Some("\"budget\"*".into()));
        assert_eq!(fts_query("foo\" AND"), Some("\"foo\"\"\"* \"AND\"*".into()));
        assert_eq!(fts_query("  ... * "), None);
    }

    #[test]
    fn marks_become_ranges() {
        let (text, marks) = split_marks("a \u{e000}bé\u{e001} c \u{e000}d\u{e001}");
        assert_eq!(text, "a bé c d");
        assert_eq!(marks, [(2, 4), (7, 8)]);
    }

    #[test]
    fn docs_split_into_fields() {
        let e = parse_doc(
            7,
            "nAda\u{1f}kAddy\u{1f}oAcme\u{1f}tCTO\u{1f}ea@x.io\u{1f}p+1 555\u{1f}gclient",
        );
        assert_eq!(e.display_name, "Ada");
        assert_eq!(e.nickname.as_deref(), Some("Addy"));
        assert_eq!(e.organization.as_deref(), Some("Acme"));
        assert_eq!(e.title.as_deref(), Some("CTO"));
        assert_eq!(e.emails, ["a@x.io"]);
        assert_eq!(e.phones, ["+1 555"]);
        assert_eq!(e.tags, ["client"]);
    }
}
