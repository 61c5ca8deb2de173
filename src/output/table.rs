//! Aligned plain-text tables: [`Table`], fitted to a width by shrinking the widest columns
//! and leaving out the least useful ones, and [`StreamedTable`], which lays its columns out
//! from a first page of rows and then writes every further row as it comes, so a listing
//! of any length starts at once and holds one page in memory.

use super::{Painter, Role, display_width, pad, sanitize_line, truncate};

/// A plain-text table: a header row and aligned columns, fitted to a width by shrinking the
/// widest columns and then, if that is not enough, leaving out the least useful ones.
#[derive(Debug, Clone)]
pub struct Table {
    headers: Vec<String>,
    right: Vec<bool>,
    min_width: Vec<usize>,
    /// Columns that may be left out on a narrow terminal, the first to go first.
    droppable: Vec<usize>,
    /// Widths the columns take at least, whatever their cells ([`Table::at_least`]).
    at_least: Vec<usize>,
    /// Every cell's text, sanitized and cut to [`MAX_CELL`], one after another.
    text: String,
    /// Each row's cells, one per column, row after row: where in `text` and how wide.
    cells: Vec<Cell>,
}

/// A cell of a [`Table`]: its text is `text[start..end]`, `width` columns wide (measured once).
#[derive(Debug, Clone, Copy)]
struct Cell {
    start: usize,
    end: usize,
    width: usize,
}

const GAP: usize = 2;
/// Columns are never squeezed below this (or their header), so every one stays legible.
const MIN_COLUMN: usize = 6;
/// A droppable column is left out before it is cut below this.
const DROPPABLE_MIN: usize = 16;
/// No cell is wider than this, even with unlimited width: a 10 MB note is not a table cell.
pub(crate) const MAX_CELL: usize = 500;

impl Table {
    pub fn new<I, S>(headers: I) -> Table
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let headers: Vec<String> = headers.into_iter().map(Into::into).collect();
        let n = headers.len();
        Table {
            headers,
            right: vec![false; n],
            min_width: vec![MIN_COLUMN; n],
            droppable: Vec::new(),
            at_least: vec![0; n],
            text: String::new(),
            cells: Vec::new(),
        }
    }

    /// Make `column` at least `width` wide even when its cells are narrower (room for what
    /// rows not yet seen hold, in a [`StreamedTable`]).
    pub fn at_least(mut self, column: usize, width: usize) -> Table {
        if let Some(w) = self.at_least.get_mut(column) {
            *w = width;
        }
        self
    }

    pub fn right_align(mut self, column: usize) -> Table {
        if let Some(r) = self.right.get_mut(column) {
            *r = true;
        }
        self
    }

    /// Never cut `column` below `width` columns (names stay distinguishable).
    pub fn min_width(mut self, column: usize, width: usize) -> Table {
        if let Some(w) = self.min_width.get_mut(column) {
            *w = width;
        }
        self
    }

    /// Columns that may be left out when the table cannot fit otherwise, first to go first.
    pub fn droppable(mut self, columns: &[usize]) -> Table {
        self.droppable = columns
            .iter()
            .copied()
            .filter(|&c| c < self.headers.len())
            .collect();
        self
    }

    /// Room for `rows` more rows whose cells hold about `text` bytes in all, made at once
    /// rather than by growing (and copying) the buffers row by row.
    pub fn reserve(&mut self, rows: usize, text: usize) {
        self.cells.reserve(rows * self.headers.len());
        self.text.reserve(text);
    }

    /// Adds a row; cells are sanitized here, so callers pass stored text as it is (borrowed
    /// text is enough: each cell is copied once, into the table's one buffer).
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let n = self.headers.len();
        let mut added = 0;
        for c in cells {
            if added == n {
                break;
            }
            let cell = push_cell(&mut self.text, c.as_ref());
            self.cells.push(cell);
            added += 1;
        }
        let end = self.text.len();
        for _ in added..n {
            self.cells.push(Cell {
                start: end,
                end,
                width: 0,
            });
        }
    }

    fn rows(&self) -> std::slice::Chunks<'_, Cell> {
        self.cells.chunks(self.headers.len().max(1))
    }

    fn clear_rows(&mut self) {
        self.text.clear();
        self.cells.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    pub fn len(&self) -> usize {
        self.cells.len() / self.headers.len().max(1)
    }

    fn natural_widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = (self.headers.iter().zip(&self.at_least))
            .map(|(h, &least)| display_width(h).max(least))
            .collect();
        for row in self.rows() {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width);
            }
        }
        widths
    }

    /// The width of each column, `None` for a column left out.
    fn layout(&self, width: Option<usize>) -> Vec<Option<usize>> {
        let natural = self.natural_widths();
        let Some(limit) = width else {
            return natural.into_iter().map(Some).collect();
        };
        // A column that may be left out is left out rather than cut to uselessness.
        let floor = |i: usize| {
            let min = if self.droppable.contains(&i) {
                self.min_width[i].max(DROPPABLE_MIN)
            } else {
                self.min_width[i]
            };
            display_width(&self.headers[i]).max(min).min(natural[i])
        };
        let mut shown: Vec<bool> = vec![true; natural.len()];
        let mut to_drop = self.droppable.iter();
        loop {
            let mut widths: Vec<Option<usize>> = natural
                .iter()
                .zip(&shown)
                .map(|(&w, &s)| s.then_some(w))
                .collect();
            let total = |ws: &[Option<usize>]| {
                let visible: Vec<usize> = ws.iter().flatten().copied().collect();
                visible.iter().sum::<usize>() + GAP * visible.len().saturating_sub(1)
            };
            // Shrink the widest shrinkable column, one step at a time, until it fits.
            while total(&widths) > limit {
                let widest = widths
                    .iter()
                    .enumerate()
                    .filter_map(|(i, w)| w.map(|w| (i, w)))
                    .filter(|&(i, w)| w > floor(i))
                    .max_by_key(|&(_, w)| w);
                let Some((i, w)) = widest else { break };
                let next = widths
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .filter_map(|(_, w)| *w)
                    .filter(|&o| o < w)
                    .max()
                    .unwrap_or(0);
                let over = total(&widths) - limit;
                widths[i] = Some(w.saturating_sub(over).max(next).max(floor(i)).min(w - 1));
            }
            if total(&widths) <= limit {
                return widths;
            }
            match to_drop.next() {
                Some(&c) => shown[c] = false,
                None => return widths,
            }
        }
    }

    /// The table as text, one line per row with a trailing newline; the header is painted.
    pub fn render(&self, width: Option<usize>, painter: Painter) -> String {
        let mut out = Vec::new();
        // Writing to memory cannot fail.
        let _ = self.write(width, painter, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// [`Self::render`], line by line to `out`: a reader that stops early (`kith list | head`)
    /// stops the writing at its first failed line instead of after the whole table is built.
    pub fn write(
        &self,
        width: Option<usize>,
        painter: Painter,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut layout = self.lay_out(width);
        layout.write_header(&self.headers, painter, out)?;
        for row in self.rows() {
            layout.write_row(&self.text, row, out)?;
        }
        Ok(())
    }

    /// The columns shown and their widths, fitted to `width` by the rows so far.
    fn lay_out(&self, width: Option<usize>) -> Layout {
        let columns = self
            .layout(width)
            .iter()
            .enumerate()
            .filter_map(|(i, w)| w.map(|w| (i, w)))
            .collect();
        Layout {
            columns,
            right: self.right.clone(),
            bounded: width.is_some(),
            text: String::new(),
        }
    }
}

/// The columns of a table, fixed: which are shown, how wide, and how each is aligned.
struct Layout {
    /// (column, width) of each column shown.
    columns: Vec<(usize, usize)>,
    right: Vec<bool>,
    /// Whether lines must fit a width: a cell wider than its column is then cut; without a
    /// width (a pipe) it is written whole and pushes the rest of its line along.
    bounded: bool,
    /// The line being written, kept to spare an allocation a line.
    text: String,
}

impl Layout {
    fn write_header(
        &mut self,
        headers: &[String],
        painter: Painter,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        self.text.clear();
        for (n, &(i, w)) in self.columns.iter().enumerate() {
            let last = n + 1 == self.columns.len();
            let cut = truncate(&headers[i], w);
            let padded = if last && !self.right[i] {
                cut.into_owned()
            } else {
                pad(&cut, w, self.right[i])
            };
            self.text.push_str(&painter.paint(Role::Label, &padded));
            if !last {
                self.text.push_str(GAP_TEXT);
            }
        }
        self.end_line(out)
    }

    /// One row of sanitized cells (as [`Table::row`] keeps them, their text in `text`).
    fn write_row(
        &mut self,
        text: &str,
        cells: &[Cell],
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        self.text.clear();
        for (n, &(i, w)) in self.columns.iter().enumerate() {
            let last = n + 1 == self.columns.len();
            let (cell, cell_width) = cells
                .get(i)
                .map_or(("", 0), |c| (&text[c.start..c.end], c.width));
            let (shown, shown_width) = if cell_width > w && self.bounded {
                let cut = truncate(cell, w);
                let cut_width = display_width(&cut);
                (cut, cut_width)
            } else {
                (std::borrow::Cow::Borrowed(cell), cell_width)
            };
            let fill = w.saturating_sub(shown_width);
            if self.right[i] {
                push_spaces(&mut self.text, fill);
                self.text.push_str(&shown);
            } else {
                self.text.push_str(&shown);
                if !last {
                    push_spaces(&mut self.text, fill);
                }
            }
            if !last {
                self.text.push_str(GAP_TEXT);
            }
        }
        self.end_line(out)
    }

    fn end_line(&mut self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let kept = self.text.trim_end().len();
        self.text.truncate(kept);
        self.text.push('\n');
        out.write_all(self.text.as_bytes())
    }
}

const GAP_TEXT: &str = "  ";

/// `cell` sanitized and cut to [`MAX_CELL`] columns, added to `text`; its width is measured
/// once here.
fn push_cell(text: &mut String, cell: &str) -> Cell {
    let start = text.len();
    // Printable ASCII (nearly every cell) is as it is and a column a byte: one pass that the
    // compiler vectorizes instead of sanitizing and measuring.
    let plain = cell
        .bytes()
        .fold(true, |plain, b| plain & (0x20..0x7f).contains(&b));
    if plain && cell.len() <= MAX_CELL {
        text.push_str(cell);
        return Cell {
            start,
            end: text.len(),
            width: cell.len(),
        };
    }
    let sanitized = sanitize_line(cell);
    let mut width = display_width(&sanitized);
    if width > MAX_CELL {
        let cut = truncate(&sanitized, MAX_CELL);
        width = display_width(&cut);
        text.push_str(&cut);
    } else {
        text.push_str(&sanitized);
    }
    Cell {
        start,
        end: text.len(),
        width,
    }
}

fn push_spaces(text: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        text.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// Rows laid out from the first [`StreamedTable::PAGE`] of them and written as they come:
/// the first line of a 100k-row listing is out in milliseconds, a reader that stops early
/// stops the writing at once, and memory holds one page. A table of one page or fewer is
/// exactly what [`Table::write`] writes; further rows keep the first page's columns (a
/// wider cell is cut to fit a terminal, or written whole to a pipe).
pub struct StreamedTable<'o> {
    table: Table,
    width: Option<usize>,
    painter: Painter,
    out: &'o mut dyn std::io::Write,
    layout: Option<Layout>,
    /// (column, width): room made when the table runs past its first page.
    past_page: Vec<(usize, usize)>,
}

impl<'o> StreamedTable<'o> {
    /// Rows the columns are fitted to.
    pub const PAGE: usize = 500;

    pub fn new(
        table: Table,
        width: Option<usize>,
        painter: Painter,
        out: &'o mut dyn std::io::Write,
    ) -> StreamedTable<'o> {
        StreamedTable {
            table,
            width,
            painter,
            out,
            layout: None,
            past_page: Vec::new(),
        }
    }

    /// Once the table holds a whole page, `column` is made at least `width` wide
    /// ([`Table::at_least`]): room for what rows not yet seen are known to hold.
    pub fn past_first_page(mut self, column: usize, width: usize) -> Self {
        self.past_page.push((column, width));
        self
    }

    /// Adds a row ([`Table::row`]), writing it once the columns are laid out.
    pub fn row<I, S>(&mut self, cells: I) -> std::io::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        match &mut self.layout {
            Some(layout) => {
                self.table.clear_rows();
                self.table.row(cells);
                layout.write_row(&self.table.text, &self.table.cells, self.out)
            }
            None => {
                self.table.row(cells);
                if self.table.len() >= Self::PAGE {
                    self.write_first_page()?;
                }
                Ok(())
            }
        }
    }

    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.layout.is_none() && self.table.is_empty()
    }

    /// Writes what is held (a table shorter than a page) and flushes.
    pub fn finish(mut self) -> std::io::Result<()> {
        if self.layout.is_none() {
            self.write_first_page()?;
        }
        self.out.flush()
    }

    fn write_first_page(&mut self) -> std::io::Result<()> {
        if self.table.len() >= Self::PAGE {
            for &(column, width) in &self.past_page {
                if let Some(least) = self.table.at_least.get_mut(column) {
                    *least = width;
                }
            }
        }
        let mut layout = self.table.lay_out(self.width);
        layout.write_header(&self.table.headers, self.painter, self.out)?;
        for row in self.table.rows() {
            layout.write_row(&self.table.text, row, self.out)?;
        }
        self.table.clear_rows();
        self.layout = Some(layout);
        Ok(())
    }
}
