//! Health as text: the ranked table of `kith health`, one person's every factor, the one line
//! `kith show` prints, and the rhythm sparkline. The reasons may name a tag: everything here
//! passes through `sanitize_line`.

use super::doc::{Doc, Line, SectionKind};
use std::io::Write;

use super::{Painter, Role, Table, display_width, pad, sanitize_line, truncate};
use crate::app::views::health::ContactHealth;
use crate::health::factors::{int as push_int, signed_points};
use crate::health::{BASE, Factor, Health, TREND_DAYS, TrendDirection, rhythm};

/// How many reasons a ranked row or the `kith show` line gives.
pub const MAIN_REASONS: usize = 2;

/// "41 ↓": the score and the trend's arrow (none without a trend).
pub fn score_with_arrow(h: &Health) -> String {
    match h.trend {
        Some(t) => format!("{} {}", h.score, t.direction.arrow()),
        None => h.score.to_string(),
    }
}

/// The colour of a score: weak, middling, good.
pub fn score_role(score: u8) -> Role {
    match score {
        0..=39 => Role::Bad,
        40..=64 => Role::Warn,
        _ => Role::Good,
    }
}

/// The main reasons, each with its points, as one sanitized phrase: "45 days since last
/// contact, usually every 20 days (-21); 3 of the last 4 were yours (-5)", and what the
/// others add together ("; 2 more (-4)").
pub fn main_reasons(h: &Health, n: usize) -> String {
    let mut text = String::new();
    write_main_reasons(h, n, &mut text);
    sanitize_line(&text).into_owned()
}

/// [`main_reasons`] appended to `text`, not yet sanitized.
fn write_main_reasons(h: &Health, n: usize, text: &mut String) {
    let start = text.len();
    let (mut listed, mut shown) = (0usize, 0);
    for f in strongest(h, n) {
        if text.len() > start {
            text.push_str("; ");
        }
        f.write_reason(text);
        push_points(text, f.effect);
        listed += 1;
        shown += f.effect;
    }
    if text.len() == start {
        text.push_str("nothing stands out");
        return;
    }
    // What the reasons shown leave out, so that they add up to the score ("; 2 more (-4)").
    let (moved, total) = (h.factors.iter())
        .filter(|f| f.effect != 0)
        .fold((0usize, 0), |(count, sum), f| (count + 1, sum + f.effect));
    let left = moved.saturating_sub(listed);
    if left > 0 {
        text.push_str("; ");
        push_int(text, left as i64);
        text.push_str(" more");
        push_points(text, total - shown);
    }
}

/// " (+7)", " (-20)", " (0)": points with their sign.
fn push_points(text: &mut String, points: i32) {
    text.push_str(" (");
    if points > 0 {
        text.push('+');
    }
    push_int(text, i64::from(points));
    text.push(')');
}

/// [`Health::main_reasons`] without a vector of its own (a ranked table has 100k rows):
/// the factors that moved the score, strongest first, ties in the documented order.
fn strongest(h: &Health, n: usize) -> impl Iterator<Item = &Factor> {
    const MOST: usize = 8;
    let mut top: [Option<&Factor>; MOST] = [None; MOST];
    let strength = |f: Option<&Factor>| f.map_or(0, |f| f.effect.abs());
    let fits = h.factors.len() <= MOST;
    for (len, f) in h
        .factors
        .iter()
        .filter(|f| fits && f.effect != 0)
        .enumerate()
    {
        let mut i = len;
        while i > 0 && strength(top[i - 1]) < f.effect.abs() {
            top[i] = top[i - 1];
            i -= 1;
        }
        top[i] = Some(f);
    }
    let many = if fits { Vec::new() } else { h.main_reasons(n) };
    top.into_iter().flatten().take(n).chain(many)
}

/// The line `kith show` prints: "health 41 ↓ — 45 days since last contact, ...".
pub fn health_line(h: &Health) -> Line {
    Line::new()
        .raw("health ")
        .styled(score_role(h.score), score_with_arrow(h))
        .raw(" — ")
        .raw(main_reasons(h, MAIN_REASONS))
        .shrinking()
}

/// "rhythm ·▁▂▃▅▇ (12 months)": a terminal only; `None` when nothing happened in them.
pub fn rhythm_line(counts: &[u32]) -> Option<Line> {
    if rhythm::is_empty(counts) {
        return None;
    }
    Some(
        Line::new()
            .raw("rhythm ")
            .styled(Role::Accent, rhythm::sparkline(counts))
            .styled(Role::Dim, format!(" ({} months)", counts.len())),
    )
}

/// `kith health` over many people: ranked rows of score and trend, name and main reasons.
pub fn health_table(list: &[ContactHealth], width: Option<usize>, p: Painter) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write_health_table(list, width, p, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`health_table`] written to `out`. To a pipe (no width) the rows go out one by one as
/// they are made, the columns sized by a first pass over the short cells: exactly what a
/// [`Table`] of them writes, without holding every row's cells (100k people at once).
pub fn write_health_table(
    list: &[ContactHealth],
    width: Option<usize>,
    p: Painter,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let headers = ["ID", "HEALTH", "NAME", "WHY"];
    if width.is_some() {
        let mut table = Table::new(headers)
            .right_align(0)
            .min_width(2, 18)
            .min_width(3, 20);
        for h in list {
            table.row([
                h.contact.id.to_string(),
                score_with_arrow(&h.health),
                h.contact.name.clone(),
                main_reasons(&h.health, MAIN_REASONS),
            ]);
        }
        return table.write(width, p, out);
    }
    // Big lists are measured and written by halves on two threads: the second half's lines
    // are made in memory while the first half's go out, then follow them.
    let half = if list.len() >= TWO_THREADS_FROM {
        list.len() / 2
    } else {
        list.len()
    };
    let (first, second) = list.split_at(half);
    let ((mut widths, first_names), (second_widths, second_names)) = if second.is_empty() {
        (measure(first), ([0; 3], Vec::new()))
    } else {
        std::thread::scope(|s| {
            let second = s.spawn(|| measure(second));
            let first = measure(first);
            (
                first,
                second
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            )
        })
    };
    for (w, (header, other)) in widths.iter_mut().zip(headers.iter().zip(second_widths)) {
        *w = (*w).max(other).max(display_width(header));
    }
    let mut line = String::new();
    for (i, header) in headers.iter().enumerate() {
        let padded = match i {
            0 => pad(header, widths[0], true),
            3 => (*header).to_string(),
            _ => pad(header, widths[i], false),
        };
        line.push_str(&p.paint(Role::Label, &padded));
        if i < 3 {
            line.push_str("  ");
        }
    }
    end_line(&mut line, out)?;
    if second.is_empty() {
        return write_rows(first, &first_names, widths, out);
    }
    std::thread::scope(|s| {
        let later = s.spawn(|| {
            let mut buffer = Vec::with_capacity(second.len() * 200);
            write_rows(second, &second_names, widths, &mut buffer).map(|()| buffer)
        });
        write_rows(first, &first_names, widths, out)?;
        let later = later
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
        out.write_all(&later)
    })
}

/// From this many rows on, the table is made on two threads.
const TWO_THREADS_FROM: usize = 8192;

/// The widths of the short columns (id, score, name) over `list`, and each name's width.
fn measure(list: &[ContactHealth]) -> ([usize; 3], Vec<usize>) {
    let mut widths = [0; 3];
    let mut name_widths = Vec::with_capacity(list.len());
    for h in list {
        widths[0] = widths[0].max(id_width(h.contact.id));
        widths[1] = widths[1].max(score_width(&h.health));
        let name_width = display_width(&name_cell(h));
        widths[2] = widths[2].max(name_width);
        name_widths.push(name_width);
    }
    (widths, name_widths)
}

/// The lines of `list` (names `name_widths` wide) in columns `widths` wide.
fn write_rows(
    list: &[ContactHealth],
    name_widths: &[usize],
    widths: [usize; 3],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let (mut line, mut cell, mut why) = (String::new(), String::new(), String::new());
    for (h, &name_width) in list.iter().zip(name_widths) {
        line.clear();
        cell.clear();
        push_int(&mut cell, h.contact.id);
        push_padded(&mut line, &cell, cell.len(), widths[0], true);
        cell.clear();
        write_score_with_arrow(&h.health, &mut cell);
        push_padded(&mut line, &cell, score_width(&h.health), widths[1], false);
        push_padded(&mut line, &name_cell(h), name_width, widths[2], false);
        why.clear();
        write_main_reasons(&h.health, MAIN_REASONS, &mut why);
        let why = sanitize_line(&why);
        if why.len() <= MAX_CELL {
            line.push_str(&why);
        } else {
            line.push_str(&truncate(&why, MAX_CELL));
        }
        end_line(&mut line, out)?;
    }
    Ok(())
}

use super::table::MAX_CELL;

/// The name as a table keeps it: sanitized, at most [`MAX_CELL`] wide.
fn name_cell(h: &ContactHealth) -> std::borrow::Cow<'_, str> {
    let name = sanitize_line(&h.contact.name);
    // No text is wider than its bytes: most names need no measuring here.
    if name.len() <= MAX_CELL || display_width(&name) <= MAX_CELL {
        return name;
    }
    std::borrow::Cow::Owned(truncate(&name, MAX_CELL).into_owned())
}

/// A cell of `cell_width` columns padded to `width` on its left (`right`) or right, and the
/// gap after it.
fn push_padded(line: &mut String, cell: &str, cell_width: usize, width: usize, right: bool) {
    let fill = width.saturating_sub(cell_width);
    if right {
        line.extend(std::iter::repeat_n(' ', fill));
        line.push_str(cell);
    } else {
        line.push_str(cell);
        line.extend(std::iter::repeat_n(' ', fill));
    }
    line.push_str("  ");
}

/// A table's line ends with no trailing blanks.
fn end_line(line: &mut String, out: &mut dyn Write) -> std::io::Result<()> {
    let kept = line.trim_end().len();
    line.truncate(kept);
    line.push('\n');
    out.write_all(line.as_bytes())
}

/// How many characters an id is written with.
fn id_width(id: i64) -> usize {
    let sign = usize::from(id < 0);
    sign + id
        .unsigned_abs()
        .checked_ilog10()
        .map_or(1, |d| d as usize + 1)
}

/// The display width of [`score_with_arrow`], without writing it.
fn score_width(h: &Health) -> usize {
    let digits = match h.score {
        0..=9 => 1,
        10..=99 => 2,
        _ => 3,
    };
    match h.trend {
        Some(t) => digits + 1 + display_width(t.direction.arrow()),
        None => digits,
    }
}

fn write_score_with_arrow(h: &Health, text: &mut String) {
    push_int(text, i64::from(h.score));
    if let Some(t) = h.trend {
        text.push(' ');
        text.push_str(t.direction.arrow());
    }
}

/// `kith health WHO`: the score, its trend, every factor with its points and reason, the
/// sum that makes the score, and (on a terminal) the rhythm; fitted to `width`.
pub fn health_detail(
    h: &ContactHealth,
    p: Painter,
    width: Option<usize>,
    with_rhythm: bool,
) -> String {
    health_doc(h, with_rhythm).paint(p, width)
}

fn health_doc(h: &ContactHealth, with_rhythm: bool) -> Doc {
    let health = &h.health;
    let mut doc = Doc::default();
    doc.head.push(
        Line::new()
            .styled(Role::Heading, sanitize_line(&h.contact.name))
            .raw("  ")
            .styled(Role::Dim, format!("#{}", h.contact.id)),
    );
    let day = health
        .as_of
        .with_timezone(&chrono::Local)
        .format("%Y-%m-%d");
    let trend = match health.trend {
        Some(t) => {
            let word = match t.direction {
                TrendDirection::Up => "up",
                TrendDirection::Steady => "steady",
                TrendDirection::Down => "down",
            };
            format!(
                "{word} from {} {TREND_DAYS} days earlier ({:+})",
                t.previous, t.change
            )
        }
        None => format!("no trend: not yet known {TREND_DAYS} days earlier"),
    };
    doc.head.push(
        Line::new()
            .raw("health ")
            .styled(score_role(health.score), score_with_arrow(health))
            .raw(format!(" as of {day}, {trend}")),
    );
    let lines = doc.section(SectionKind::Health, "Why");
    for f in &health.factors {
        let role = match f.effect {
            e if e > 0 => Role::Good,
            0 => Role::Dim,
            _ => Role::Bad,
        };
        lines.push(
            Line::new()
                .raw(format!("{:<15}", f.name()))
                .styled(role, format!("{:>4}", signed_points(f.effect)))
                .raw(format!("  {}", sanitize_line(&f.reason()))),
        );
    }
    let sum: String = health
        .factors
        .iter()
        .map(|f| {
            let sign = if f.effect < 0 { '-' } else { '+' };
            format!(" {sign} {}", f.effect.abs())
        })
        .collect();
    let total = BASE + health.factors.iter().map(|f| f.effect).sum::<i32>();
    let kept = if (0..=100).contains(&total) {
        String::new()
    } else {
        format!(" = {total}, kept within 0–100,")
    };
    lines.push(Line::new().styled(
        Role::Dim,
        format!("{BASE}{sum}{kept} = {} (docs/HEALTH.md)", health.score),
    ));
    if with_rhythm && let Some(line) = h.rhythm.as_ref().and_then(|r| rhythm_line(r)) {
        lines.push(line);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::factors::{Expectation, Factor, Measured};
    use crate::health::{Trend, TrendDirection};
    use crate::model::{ContactRef, Period};

    fn row(
        id: i64,
        name: &str,
        score: u8,
        trend: Option<TrendDirection>,
        tag: &str,
    ) -> ContactHealth {
        let recency = Factor {
            measured: Measured::Recency {
                days_since_last_contact: Some(45),
                days_since_added: 400,
                expected_days: 30,
                expected: Expectation::Tag {
                    every: Period::parse("30d").unwrap(),
                    tag: tag.to_string(),
                },
                days_over: 15,
            },
            effect: -15,
        };
        ContactHealth {
            contact: ContactRef {
                id,
                uid: format!("u{id}"),
                name: name.to_string(),
            },
            organization_id: None,
            health: Health {
                score,
                trend: trend.map(|direction| Trend {
                    previous: 50,
                    change: 0,
                    direction,
                }),
                factors: if tag.is_empty() {
                    Vec::new()
                } else {
                    vec![recency]
                },
                as_of: chrono::DateTime::UNIX_EPOCH,
            },
            rhythm: None,
        }
    }

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        for n in [0, 7, -7, 10, 99, 100, 12345, -40, i64::MAX, i64::MIN] {
            let mut text = String::new();
            push_int(&mut text, n);
            assert_eq!(text, n.to_string());
            assert_eq!(id_width(n), n.to_string().len(), "{n}");
        }
    }

    /// To a pipe the rows are written as they come; what comes out is exactly the table a
    /// [`Table`] of the same cells writes: names to sanitize, wide and over-long, reasons
    /// naming a tag with a control character in it, every width of score and trend.
    #[test]
    fn the_streamed_table_is_the_table() {
        let long = "Ω".repeat(600);
        let list = vec![
            row(7, "Ada Lovelace", 100, Some(TrendDirection::Up), "client"),
            row(12345, "Zoë \u{1b}[31mred", 5, None, "evil\u{1b}[2J"),
            row(3, "山田太郎", 42, Some(TrendDirection::Down), ""),
            row(99, &long, 0, Some(TrendDirection::Steady), &"t".repeat(600)),
            row(1, "", 60, None, "client"),
        ];
        let mut table = Table::new(["ID", "HEALTH", "NAME", "WHY"])
            .right_align(0)
            .min_width(2, 18)
            .min_width(3, 20);
        for h in &list {
            table.row([
                h.contact.id.to_string(),
                score_with_arrow(&h.health),
                h.contact.name.clone(),
                main_reasons(&h.health, MAIN_REASONS),
            ]);
        }
        let expected = table.render(None, Painter::plain());
        assert_eq!(health_table(&list, None, Painter::plain()), expected);
        assert!(!expected.contains('\u{1b}'), "{expected}");
        // On a terminal, the table as before.
        assert_eq!(
            health_table(&list, Some(80), Painter::plain()),
            table.render(Some(80), Painter::plain())
        );
    }
}
