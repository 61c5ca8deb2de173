//! The report of `kith capture` (and of `--undo`) as text: what was logged under which batch,
//! what was skipped and why, and the people mail went both ways with who are not contacts.
//! Every captured string (file names, display names, addresses) is sanitized here.

use std::fmt::Write;

use crate::app::capture::{CaptureReport, Undone};
use crate::output::{Painter, Role, plural, sanitize_line};

/// How many unknown correspondents the text report lists (`--json` lists all).
pub const UNKNOWN_LISTED: usize = 20;

pub fn report(r: &CaptureReport, painter: Painter) -> String {
    let mut out = String::new();
    // Under --dry-run every line is a plan: "would ...".
    let did = |done: &str, planned: &str| {
        if r.dry_run {
            planned.to_string()
        } else {
            done.to_string()
        }
    };
    if r.read == 0 && !r.skipped.is_empty() {
        let _ = writeln!(
            out,
            "Nothing captured: {}{}",
            match r.skipped.len() {
                1 => "the one record could not be read".to_string(),
                n => format!("none of the {n} records could be read"),
            },
            if r.dry_run { " (dry run)" } else { "" }
        );
    } else {
        let _ = write!(
            out,
            "{} {} as {}",
            did("Captured", "Would capture"),
            plural(r.captured, "record", "records"),
            if r.captured == 1 {
                "an interaction"
            } else {
                "interactions"
            }
        );
        match (&r.batch, r.dry_run) {
            (Some(batch), false) => {
                let _ = writeln!(
                    out,
                    " (batch {batch}; undo with: kith capture --undo {batch})"
                );
            }
            (_, true) => out.push_str(" (dry run: nothing written)\n"),
            (None, false) => out.push_str(" (nothing new: nothing written)\n"),
        }
    }
    let mut counts = vec![plural(r.read, "record read", "records read")];
    if r.already_captured > 0 {
        counts.push(format!("{} already captured", r.already_captured));
    }
    if r.updated > 0 {
        let verb = did("updated", "would be updated");
        counts.push(format!("{} {verb} (a newer version)", r.updated));
    }
    if r.removed > 0 {
        let verb = did("removed", "would be removed");
        counts.push(format!("{} {verb} (cancelled or declined)", r.removed));
    }
    if r.linked > 0 {
        let verb = did("linked", "would be linked");
        counts.push(format!("{} {verb} to contacts since added", r.linked));
    }
    if r.without_contacts > 0 {
        counts.push(format!("{} with no contact in them", r.without_contacts));
    }
    if r.contacts_added > 0 {
        let what = plural(r.contacts_added, "contact", "contacts");
        counts.push(format!("{what} {}", did("added", "would be added")));
    }
    if r.read > 0 || r.skipped.is_empty() {
        let _ = writeln!(out, "  {}", counts.join(", "));
    }
    let skipped: Vec<_> = r.noise.iter().filter(|n| !n.included).collect();
    if !skipped.is_empty() {
        let what: Vec<String> = skipped
            .iter()
            .map(|n| format!("{} {}", n.count, n.kind.as_str()))
            .collect();
        let flags: Vec<String> = skipped
            .iter()
            .map(|n| format!("--include-{}", flag(n.kind)))
            .collect();
        let _ = writeln!(
            out,
            "  {} as noise: {} ({} to include)",
            did("skipped", "would skip"),
            what.join(", "),
            flags.join(", ")
        );
    }
    if r.no_me {
        let _ = writeln!(
            out,
            "{}",
            painter.paint(
                Role::Warn,
                "  no address of yours is known, so kith cannot tell the mail you sent from the mail you received, nor the events you declined: `kith me add ADDRESS` (or --me)"
            )
        );
    }
    if !r.skipped.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            painter.paint(
                Role::Warn,
                &format!(
                    "Could not read {}:",
                    plural(r.skipped.len(), "record", "records")
                )
            )
        );
        for s in &r.skipped {
            let _ = writeln!(
                out,
                "  {}: {}",
                sanitize_line(&s.origin.to_string()),
                sanitize_line(&s.reason)
            );
        }
    }
    unknown(&mut out, r, painter);
    out
}

fn flag(kind: crate::capture::Noise) -> &'static str {
    match kind {
        crate::capture::Noise::List => "lists",
        crate::capture::Noise::Automated => "automated",
        crate::capture::Noise::Crowd => "crowds",
    }
}

fn unknown(out: &mut String, r: &CaptureReport, painter: Painter) {
    if r.unknown.is_empty() {
        return;
    }
    let added = r.unknown.iter().any(|u| u.added);
    let heading = if added && r.dry_run {
        "Would add as contacts (mail went both ways):".to_string()
    } else if added {
        "Added as contacts (mail went both ways):".to_string()
    } else {
        format!(
            "Not contacts, mail went both ways ({} with --add-unknown):",
            if r.unknown.len() == 1 {
                "add them"
            } else {
                "add all"
            }
        )
    };
    let _ = writeln!(out, "{}", painter.paint(Role::Heading, &heading));
    for u in r.unknown.iter().take(UNKNOWN_LISTED) {
        let c = &u.correspondent;
        let who = match &c.name {
            Some(name) => format!("{name} <{}>", c.address),
            None => c.address.clone(),
        };
        let _ = writeln!(
            out,
            "  {}  {} sent, {} received, last {}",
            sanitize_line(&who),
            c.sent,
            c.received,
            c.last_at.format("%Y-%m-%d")
        );
    }
    if r.unknown.len() > UNKNOWN_LISTED {
        let _ = writeln!(
            out,
            "  … and {} more (--json lists them all)",
            r.unknown.len() - UNKNOWN_LISTED
        );
    }
}

pub fn undone(u: &Undone) -> String {
    let restored = if u.removed.restored > 0 {
        format!(
            "; put back {} it had changed as they were",
            plural(u.removed.restored, "event", "events")
        )
    } else {
        String::new()
    };
    format!(
        "Took back capture batch {}: removed {}, {} and {}{restored}\n",
        sanitize_line(&u.batch),
        plural(u.removed.interactions, "interaction", "interactions"),
        plural(u.removed.participations, "participation", "participations"),
        plural(u.removed.contacts, "contact", "contacts"),
    )
}
