//! CSV address books: Google Contacts (current and legacy headers, ` ::: ` multi-values, `* `
//! primary markers, multi-line quoted cells), Outlook, LinkedIn `Connections.csv` (after its
//! notes preamble), Thunderbird, kith's own export, and any other CSV with a header row, with
//! `--map "Column=field"` for columns kith does not recognise.
//!
//! Columns are recognised by their names ([`columns`]); each row becomes a contact ([`row`]).
//! A column that is not recognised and not mapped is kept with the contact as an
//! `X-CSV-...` property, so that nothing is dropped. kith's own export is [`export`].

mod columns;
mod export;
mod row;

pub use columns::MAP_FIELDS;
pub use export::{EXPORT_HEADERS, export_row, guard};

use super::{Located, Location, Problem, Record, RecordResult, Warning};
use crate::model::FieldKind;
use columns::{Target, classify, mapped};
use row::{kept_property_name, to_contact, unguard};

/// A column kith does not recognise (and `--map` did not name) whose values were kept, as
/// the property `property`, with the contacts of its rows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnknownColumn {
    pub column: String,
    pub property: String,
}

/// Read a CSV file with a header row: its records, and the columns kith did not know whose
/// values it kept (so that the report can name them).
///
/// A row's line is counted from its byte offset: the csv crate's own line count is one short
/// in a file whose lines end in CRLF (as Windows and LinkedIn write them), as the row is
/// placed at the LF before it.
pub fn read(
    text: String,
    map: &[(String, String)],
) -> Result<(Vec<RecordResult>, Vec<UnknownColumn>), String> {
    let (body, skipped_lines) = skip_preamble(&text);
    let body = body.trim_start_matches('\u{feff}');
    if let Some(line) = unclosed_quote(body) {
        // The CSV reader would take the rest of the file as that one cell, silently.
        return Err(format!(
            "line {}: a quoted cell opened here is never closed (a missing \")",
            line + skipped_lines
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(body.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            format!(
                "line {}: cannot read the header row: {e}",
                skipped_lines + 1
            )
        })?
        .iter()
        .map(str::to_string)
        .collect();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(format!(
            "line {}: the header row is empty",
            skipped_lines + 1
        ));
    }
    let targets = targets(&headers, map)?;
    let mut kept = vec![false; headers.len()];
    let mut out = Vec::new();
    let mut lines = LineOf {
        text: body.as_bytes(),
        at: 0,
        line: skipped_lines + 1,
    };
    for (index, row) in reader.records().enumerate() {
        let record_no = index + 1;
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| lines.at(p)).unwrap_or(0);
                out.push(Err(Problem::new(
                    Location {
                        line: Some(line),
                        record: record_no,
                    },
                    format!("not valid CSV: {e}"),
                )));
                continue;
            }
        };
        let line = row.position().map(|p| lines.at(p)).unwrap_or(0);
        let at = Location {
            line: Some(line),
            record: record_no,
        };
        let cells: Vec<&str> = row.iter().map(unguard).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // Cells past the header's last column have no name to be read by: a row cut wrong
        // (an unquoted comma) is refused rather than imported short. Empty ones (a trailing
        // comma) are nothing.
        if let Some(extra) = cells.get(headers.len()..)
            && extra.iter().any(|c| !c.trim().is_empty())
        {
            out.push(Err(Problem::new(
                at,
                format!(
                    "{} cells, but the header row names {} columns (an unquoted comma?)",
                    cells.len(),
                    headers.len()
                ),
            )));
            continue;
        }
        let mut fingerprint = headers.join("\u{1f}");
        for c in &cells {
            fingerprint.push('\u{1e}');
            fingerprint.push_str(c);
        }
        out.push(
            to_contact(&headers, &targets, &cells, &fingerprint, &mut kept)
                .map(|mut contact| {
                    contact
                        .warnings
                        .extend(rows_joined(&headers, &targets, &cells, line));
                    Located {
                        at,
                        record: Record::Contact(Box::new(contact)),
                    }
                })
                .map_err(|m| Problem::new(at, m)),
        );
    }
    let unknown = headers
        .iter()
        .zip(kept)
        .filter(|(_, kept)| *kept)
        .map(|(header, _)| UnknownColumn {
            column: header.trim().to_string(),
            property: kept_property_name(header),
        })
        .collect();
    Ok((out, unknown))
}

/// A warning for the first cell of a one-line field (a name, an email, a phone...) that runs
/// over several lines of the file: quoted, a cell may hold line breaks, but a name that does
/// is most likely rows joined by a quote (`"`) left without its pair, which quietly made
/// several people one.
fn rows_joined(
    headers: &[String],
    targets: &[Target],
    cells: &[&str],
    line: usize,
) -> Option<Warning> {
    let one_line = |target: &Target| match target {
        Target::Display
        | Target::Given
        | Target::Family
        | Target::Nickname
        | Target::Organization
        | Target::Title
        | Target::Birthday => true,
        Target::Detail(kind, _) | Target::ValueOf(kind, _) => {
            matches!(kind, FieldKind::Email | FieldKind::Phone)
        }
        _ => false,
    };
    let (i, cell) = cells
        .iter()
        .enumerate()
        .find(|(i, cell)| cell.contains(['\n', '\r']) && targets.get(*i).is_some_and(one_line))?;
    let lines = cell.lines().count();
    Some(Warning {
        line: Some(line),
        message: format!(
            "the {} cell runs over {lines} lines of the file: is a quote (\") missing its \
             pair? The rows it spans were read as this one contact",
            headers.get(i).map(|h| h.trim()).unwrap_or("")
        ),
    })
}

/// Whether `--map` can read a column as `field` (one of [`MAP_FIELDS`]).
pub fn is_map_field(field: &str) -> bool {
    mapped(field).is_some()
}

/// What each column holds: recognised from its header, or as `--map` says.
fn targets(headers: &[String], map: &[(String, String)]) -> Result<Vec<Target>, String> {
    let mut targets: Vec<Target> = headers.iter().map(|h| classify(h, headers)).collect();
    for (column, field) in map {
        let Some(i) = headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(column.trim()))
        else {
            return Err(format!(
                "--map names column \"{column}\", which the header row does not have (it has: {})",
                headers.join(", ")
            ));
        };
        targets[i] = mapped(field).ok_or_else(|| {
            format!(
                "--map \"{column}={field}\": unknown field \"{field}\" (use one of: {MAP_FIELDS})"
            )
        })?;
    }
    Ok(targets)
}

/// The line (from 1) where a quoted cell opens that is still open at the end of `body`, read
/// as the CSV reader reads it: a cell is quoted when it starts with `"`, `""` inside it is
/// one quote, and any other `"` closes it.
fn unclosed_quote(body: &str) -> Option<usize> {
    enum At {
        CellStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut at = At::CellStart;
    let (mut line, mut opened) = (1, 0);
    for b in body.bytes() {
        at = match (at, b) {
            (At::Quoted, b'"') => At::QuoteInQuoted,
            (At::Quoted, _) => At::Quoted,
            (At::QuoteInQuoted, b'"') => At::Quoted,
            (_, b',' | b'\n' | b'\r') => At::CellStart,
            (At::CellStart, b'"') => {
                opened = line;
                At::Quoted
            }
            _ => At::Unquoted,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    matches!(at, At::Quoted).then_some(opened)
}

/// The text after LinkedIn's preamble ("Notes:", a paragraph, a blank line), and how many
/// lines that preamble took; other files whole.
fn skip_preamble(text: &str) -> (&str, usize) {
    if !text.trim_start_matches('\u{feff}').starts_with("Notes:") {
        return (text, 0);
    }
    let mut skipped_lines = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        offset += line.len();
        skipped_lines += 1;
        if line.trim().is_empty() {
            break;
        }
    }
    (&text[offset.min(text.len())..], skipped_lines)
}

/// The line of a byte offset in `text`, for offsets that mostly go forward: the newlines are
/// counted from the offset asked before.
struct LineOf<'t> {
    text: &'t [u8],
    /// The offset asked last, and its line.
    at: usize,
    line: usize,
}

impl LineOf<'_> {
    fn at(&mut self, position: &csv::Position) -> usize {
        let mut byte = usize::try_from(position.byte())
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        // A row after a CRLF (or blank lines) is placed at the line end before it.
        while self
            .text
            .get(byte)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            byte += 1;
        }
        if byte < self.at {
            self.line -= memchr::memchr_iter(b'\n', &self.text[byte..self.at]).count();
        } else {
            self.line += memchr::memchr_iter(b'\n', &self.text[self.at..byte]).count();
        }
        self.at = byte;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::{read, unclosed_quote};

    #[test]
    fn a_quoted_cell_never_closed_is_found_where_it_opens() {
        assert_eq!(unclosed_quote("a,b\n\"x,y\n"), Some(2));
        assert_eq!(
            unclosed_quote("a,b\n1,2\n3,\"open \"\" still\nmore"),
            Some(3)
        );
        // Closed ones, escaped quotes, quotes inside an unquoted cell, a cell that
        // closes at the very end, and line breaks inside quotes.
        for closed in [
            "a,b\n\"x,y\",z\n",
            "a,b\n\"say \"\"hi\"\"\",2",
            "a,b\nO\"Brien,2\n",
            "a,b\n1,\"two\"",
            "a,b\n\"multi\nline\",2\r\n",
            "a,b\n\"x\"y,2\n",
        ] {
            assert_eq!(unclosed_quote(closed), None, "{closed:?}");
        }
    }

    /// A quote left without its pair until a later row joins the rows between into one
    /// contact: said on it. A note over several lines is as it should be.
    #[test]
    fn rows_joined_by_a_stray_quote_are_pointed_out() {
        let text = "Name,Email,Notes\nAda,ada@a.example,\"two\nlines\"\n\
                    \"Bob,bob@b.example,\nCarol,carol@c.example,\nDan\",dan@d.example,\n\
                    Eve,eve@e.example,\n";
        let (records, _) = read(text.to_string(), &[]).unwrap();
        let warnings: Vec<(String, Vec<String>)> = records
            .into_iter()
            .map(|r| match r.unwrap().record {
                crate::formats::Record::Contact(c) => (
                    c.fields.display_name.clone(),
                    c.warnings.iter().map(|w| w.message.clone()).collect(),
                ),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(warnings.len(), 3);
        assert!(warnings[0].1.is_empty(), "{warnings:?}");
        assert!(warnings[2].1.is_empty(), "{warnings:?}");
        assert_eq!(warnings[1].1.len(), 1, "{warnings:?}");
        assert!(
            warnings[1].1[0].starts_with("the Name cell runs over 3 lines of the file"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_file_with_an_unclosed_quote_is_refused_naming_its_line() {
        let text = "Name,Email\nGood,g@x.example\n\"Unclosed,a@b.example\nNext,n@x.example\n";
        let err = read(text.to_string(), &[]).unwrap_err();
        assert_eq!(
            err,
            "line 3: a quoted cell opened here is never closed (a missing \")"
        );
    }

    #[test]
    fn a_row_with_more_cells_than_columns_is_a_problem_of_its_line() {
        let text = "Name,Email\nA One,a@x.example,extra,cols\nB Two,b@x.example,,\n";
        let (records, _) = read(text.to_string(), &[]).unwrap();
        assert_eq!(records.len(), 2);
        let problem = records[0].as_ref().unwrap_err();
        assert_eq!(problem.at.line, Some(2));
        assert!(
            problem
                .message
                .contains("4 cells, but the header row names 2 columns"),
            "{}",
            problem.message
        );
        // Trailing empty cells are nothing.
        assert!(records[1].is_ok());
    }

    /// Each row is named by the line it starts on, whether lines end in LF or CRLF, after
    /// blank lines and after a quoted cell that spans lines.
    #[test]
    fn rows_are_named_by_their_own_lines_with_lf_or_crlf() {
        let lf = "Name,Email\nAnn,a@x.example\n\nBob,\"b@x\nmore\"\nCid,c@x.example\n";
        for (ending, text) in [("LF", lf.to_string()), ("CRLF", lf.replace('\n', "\r\n"))] {
            let (records, _) = read(text, &[]).unwrap();
            let lines: Vec<Option<usize>> = records
                .iter()
                .map(|r| r.as_ref().unwrap().at.line)
                .collect();
            assert_eq!(lines, [Some(2), Some(4), Some(6)], "{ending}");
        }
    }
}
