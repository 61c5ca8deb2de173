//! `kith who-knows` for a person, and the best introduction in the interactive brief: each
//! path as "You → Ada Lovelace → Bob Stone → Maria Hill", its weakest link, and under it each
//! hop's evidence in words ("met in 'Q3 review' on 2026-10-02", "Maria Hill was introduced
//! by Bob Stone (introduced-by link)", "both at Globex"). Stored text is sanitized here.

use std::fmt::Write as _;

use chrono::Local;

use super::brief::{health_role, link_sentence};
use super::doc::Line;
use super::{Painter, Role, sanitize_line};
use crate::app::views::who_knows::{Hop, PathView, TargetRef, WhoKnows};
use crate::dates::relative_date;
use crate::model::Channel;
use crate::network::Evidence;

/// One piece of evidence as a phrase.
pub fn evidence_phrase(e: &Evidence) -> String {
    match e {
        Evidence::Link { link, from, to, .. } => format!(
            "{} ({} link)",
            link_sentence(&from.name, link, &to.name),
            sanitize_line(link)
        ),
        Evidence::Met {
            occurred_at,
            channel,
            summary,
            ..
        } => {
            let day = occurred_at.with_timezone(&Local).format("%Y-%m-%d");
            let what = sanitize_line(summary);
            match channel {
                Channel::Meeting | Channel::Video => format!("met in '{what}' on {day}"),
                Channel::Email => format!("on the mail thread '{what}' on {day}"),
                Channel::Call => format!("on the call '{what}' on {day}"),
                other => format!("both in '{what}' ({other}) on {day}"),
            }
        }
        Evidence::Colleagues { organization } => {
            format!("both at {}", sanitize_line(&organization.name))
        }
    }
}

/// "You → Ada Lovelace (72) → Bob Stone → Maria Hill", a name another contact has too
/// followed by its id ("Noah Dubois #133").
pub fn chain_line(path: &PathView) -> Line {
    let mut line = Line::new().styled(Role::Dim, "You");
    for hop in &path.hops {
        line = line
            .styled(Role::Dim, " → ")
            .raw(sanitize_line(&hop.to.name).into_owned());
        if hop.to_has_namesake {
            line = line.styled(Role::Dim, format!(" #{}", hop.to.id));
        }
        if let Some(h) = hop.health {
            line = line.styled(health_role(h), format!(" ({h})"));
        }
    }
    line
}

/// The hops after the first, each "Ada Lovelace – Bob Stone: met in ...; both at Globex".
pub fn evidence_lines(path: &PathView) -> Vec<Line> {
    path.hops
        .iter()
        .filter_map(|hop| hop_line(path, hop))
        .collect()
}

/// A person on `path` as its lines name them: with their #id when another contact has
/// their name (as [`chain_line`] does).
fn on_path(path: &PathView, person: &crate::model::ContactRef) -> String {
    let namesake = (path.hops.iter()).any(|h| h.to.id == person.id && h.to_has_namesake);
    super::name_told_apart(&person.name, person.id, namesake)
}

fn hop_line(path: &PathView, hop: &Hop) -> Option<Line> {
    let from = hop.from.as_ref()?;
    let why: Vec<String> = hop.evidence.iter().map(evidence_phrase).collect();
    Some(
        Line::new()
            .styled(
                Role::Dim,
                format!("{} – {}: ", on_path(path, from), on_path(path, &hop.to)),
            )
            .raw(why.join("; ")),
    )
}

/// "weakest link: Ada Lovelace at 72".
fn weakest(path: &PathView) -> Line {
    Line::new().styled(
        Role::Dim,
        format!(
            "weakest link: {} at {}",
            on_path(path, &path.weakest),
            path.strength
        ),
    )
}

/// The whole answer as text, every line within `width` when there is one.
pub fn render(
    view: &WhoKnows,
    p: Painter,
    width: Option<usize>,
    today: chrono::NaiveDate,
) -> String {
    let mut out = String::new();
    let (name, id) = match &view.target {
        TargetRef::Person(c) => (&c.name, c.id),
        TargetRef::Organization(o) => (&o.name, o.id),
    };
    let _ = writeln!(
        out,
        "{}  {}",
        p.paint(Role::Heading, &format!("Who knows {}", sanitize_line(name))),
        p.paint(Role::Dim, &format!("#{id}"))
    );
    if let TargetRef::Organization(_) = view.target {
        heading(&mut out, p, "People you know there (healthiest first)");
        if view.known_there.is_empty() {
            Line::new()
                .styled(Role::Dim, "nobody you have been in touch with")
                .paint_fitted(("  ", 2), p, width, &mut out);
        }
        for k in &view.known_there {
            let last = k
                .last_contact_at
                .map(|t| relative_date(t.with_timezone(&Local).date_naive(), today))
                .map(|d| format!("last contact {d}"))
                .unwrap_or_default();
            Line::new()
                .styled(Role::Dim, format!("#{} ", k.contact.id))
                .raw(sanitize_line(&k.contact.name).into_owned())
                .raw("  ")
                .styled(health_role(k.health), format!("health {}", k.health))
                .raw("  ")
                .styled(Role::Dim, last)
                .paint_fitted(("  ", 2), p, width, &mut out);
        }
    }
    let title = match view.target {
        TargetRef::Person(_) => "Paths (strongest first)",
        TargetRef::Organization(_) => "Through someone you know (strongest first)",
    };
    heading(&mut out, p, title);
    if view.paths.is_empty() {
        Line::new()
            .styled(
                Role::Dim,
                "no path within reach: link people (`kith link A B --as knows`) or log who was there",
            )
            .paint_fitted(("  ", 2), p, width, &mut out);
    }
    for (n, path) in view.paths.iter().enumerate() {
        let lead = format!("{:>3}. ", n + 1);
        chain_line(path).paint_fitted((&lead, 5), p, width, &mut out);
        for line in evidence_lines(path) {
            line.paint_fitted(("       ", 7), p, width, &mut out);
        }
        if path.hops.len() > 1 {
            weakest(path).paint_fitted(("       ", 7), p, width, &mut out);
        }
    }
    out
}

fn heading(out: &mut String, p: Painter, title: &str) {
    let _ = writeln!(out, "{}", p.paint(Role::Label, title));
}
