//! Health as text: the ranked table of `kith health`, one person's every factor, the one line
//! `kith show` prints, and the rhythm sparkline. The reasons may name a tag: everything here
//! passes through `sanitize_line`.

use super::doc::{Doc, Line, SectionKind};
use super::{Painter, Role, Table, sanitize_line};
use crate::app::views::health::ContactHealth;
use crate::health::factors::signed_points;
use crate::health::{BASE, Health, TREND_DAYS, TrendDirection, rhythm};

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
/// contact, usually every 20 days (-21); 3 of the last 4 were yours (-5)".
pub fn main_reasons(h: &Health, n: usize) -> String {
    let reasons: Vec<String> = h.main_reasons(n).iter().map(|f| f.explained()).collect();
    if reasons.is_empty() {
        return "nothing stands out".into();
    }
    sanitize_line(&reasons.join("; ")).into_owned()
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
    let mut table = Table::new(["ID", "HEALTH", "NAME", "WHY"])
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
    table.render(width, p)
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
