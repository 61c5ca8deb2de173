//! `kith org show` and the Organizations view's brief: an account rolled up (its health and
//! reasons, who has gone cold, each person's health and role), its follow-ups and timeline.
//! The pieces it shares with a contact's brief (interaction and follow-up lines, bodies,
//! notes) are in [`super::brief`].

use super::brief::{
    SectionKind, add_bodies, follow_up_line, health_role, interaction_line, notes_section, tag_list,
};
use super::doc::{Doc, Line};
use super::{Painter, Role, sanitize_line};
use chrono::Local;

use crate::app::views::org_brief::{OrgBrief, PersonRollUp};
use crate::dates::{describe_period, relative_date};

/// `kith org show` as text, every line within `width` columns; `bodies` as for
/// [`render_contact`].
pub fn render_org(brief: &OrgBrief, p: Painter, width: Option<usize>, bodies: bool) -> String {
    let mut doc = org_doc(brief);
    if brief.earlier_interactions
        && let Some(timeline) = doc
            .sections
            .iter_mut()
            .find(|s| s.kind == SectionKind::Timeline)
    {
        let all = format!(
            "… and earlier ones: kith org show '#{}' --full",
            brief.organization.id
        );
        timeline.lines.push(Line::new().styled(Role::Dim, all));
    }
    if bodies {
        add_bodies(&mut doc, SectionKind::Timeline, &brief.interactions, width);
    }
    doc.paint(p, width)
}

/// How many of those gone cold the head of an organization's brief names: a large account
/// has hundreds, each marked on their own line.
const COLD_NAMED: usize = 10;

/// Under the organization's name: its health with the reasons, who has gone cold (the first
/// [`COLD_NAMED`], then how many more), its cadence.
fn account_head(doc: &mut Doc, brief: &OrgBrief) {
    let h = &brief.health;
    doc.head.push(
        Line::new()
            .styled(Role::Label, "health ")
            .styled(health_role(h.score), h.score.to_string())
            .raw(" — ")
            .raw(sanitize_line(&h.summary()))
            .prose(),
    );
    if !h.cold.is_empty() {
        let named = super::shown_under(COLD_NAMED, h.cold.len());
        let mut names: Vec<String> = (h.cold.iter().take(named))
            .map(|c| sanitize_line(&c.name).into_owned())
            .collect();
        let hidden = h.cold.len() - named;
        if hidden > 0 {
            // Every person's line below says whether they have.
            let last = names.pop().unwrap_or_default();
            let more = format!(
                "{last} and {} more (marked below)",
                crate::error::grouped(hidden)
            );
            names.push(more);
        }
        doc.head.push(
            Line::new()
                .styled(Role::Warn, "gone cold: ")
                .raw(names.join(", "))
                .prose(),
        );
    }
    if let Some(every) = &brief.organization.cadence {
        doc.head.push(Line::new().styled(
            Role::Dim,
            format!(
                "keep in touch with someone there every {}",
                describe_period(every)
            ),
        ));
    }
}

/// "#3 Ada Lovelace, CTO  health 72 ↑  last contact 3 days ago  gone cold  2 follow-ups",
/// with `last` the words for their last contact (made once a day by [`LastContact`]).
fn person_line(r: &PersonRollUp, last: &str) -> Line {
    let mut head = String::with_capacity(r.contact.name.len() + 24);
    head.push(' ');
    head.push_str(&sanitize_line(&r.contact.name));
    if let Some(t) = r.title.as_deref() {
        head.push_str(", ");
        head.push_str(&sanitize_line(t));
    }
    head.push_str("  ");
    let mut health = format!("health {}", r.health);
    if let Some(t) = r.trend {
        health.push(' ');
        health.push_str(t.arrow());
    }
    let mut line = Line::new()
        .styled(Role::Dim, format!("#{}", r.contact.id))
        .raw(head)
        .styled(health_role(r.health), health)
        .raw("  ")
        .styled(Role::Dim, last);
    if r.cold {
        line = line.raw("  ").styled(Role::Warn, "gone cold");
    }
    match r.open_follow_ups {
        0 => line,
        1 => line.raw("  ").styled(Role::Accent, "1 follow-up"),
        n => line
            .raw("  ")
            .styled(Role::Accent, format!("{n} follow-ups")),
    }
}

/// "last contact 3 days ago" or "never contacted", the words of each day made once (the
/// people are in order of their last contact, so a day's come together).
struct LastContact {
    today: chrono::NaiveDate,
    day: Option<chrono::NaiveDate>,
    words: String,
}

impl LastContact {
    fn of(&mut self, at: Option<chrono::DateTime<chrono::Utc>>) -> &str {
        let day = at.map(|t| t.with_timezone(&Local).date_naive());
        if day != self.day || self.words.is_empty() {
            self.words = match day {
                Some(day) => format!("last contact {}", relative_date(day, self.today)),
                None => "never contacted".into(),
            };
            self.day = day;
        }
        &self.words
    }
}

/// The roll-up's people most recently contacted first (then by id), as the People section
/// lists them.
fn latest_contact_first(brief: &OrgBrief) -> Vec<&PersonRollUp> {
    let mut people: Vec<&PersonRollUp> = brief.roll_up.iter().collect();
    people.sort_by(|a, b| {
        b.last_contact_at
            .cmp(&a.last_contact_at)
            .then(a.contact.id.cmp(&b.contact.id))
    });
    people
}

/// The organization brief laid out: head, People, Follow-ups, Timeline, Notes.
pub fn org_doc(brief: &OrgBrief) -> Doc {
    let o = &brief.organization;
    let today = brief.today;
    let mut doc = Doc::default();
    let mut title = Line::new()
        .styled(Role::Heading, sanitize_line(&o.name))
        .raw("  ")
        .styled(Role::Dim, format!("#{}", o.id));
    if brief.archived {
        title = title.raw("  ").styled(Role::Warn, "(archived)");
    }
    doc.head.push(title);
    if let Some(d) = &o.domain {
        doc.head.push(Line::new().raw(sanitize_line(d)));
    }
    if !o.tags.is_empty() {
        doc.head
            .push(Line::new().styled(Role::Accent, tag_list(&o.tags)));
    }
    account_head(&mut doc, brief);
    let lines = doc.section(
        SectionKind::People,
        "People (who you know there, latest contact first)",
    );
    if brief.roll_up.is_empty() {
        lines.push(Line::new().raw(format!(
            "nobody yet: `kith add NAME --org \"{}\"`",
            sanitize_line(&o.name)
        )));
    }
    let mut last = LastContact {
        today,
        day: None,
        words: String::new(),
    };
    for r in latest_contact_first(brief) {
        lines.push(person_line(r, last.of(r.last_contact_at)));
    }
    if !brief.follow_ups.is_empty() {
        let lines = doc.section(SectionKind::FollowUps, "Follow-ups");
        for r in &brief.follow_ups {
            let mut line = follow_up_line(r, brief.now);
            if let Some(c) = &r.contact {
                line = line.raw(format!(" [{}]", sanitize_line(&c.name)));
            }
            lines.push(line);
        }
    }
    let title = match brief.last_touch_at {
        Some(t) => format!(
            "Timeline (last touch {})",
            relative_date(t.with_timezone(&Local).date_naive(), today)
        ),
        None => "Timeline".to_string(),
    };
    let lines = doc.section(SectionKind::Timeline, title);
    if brief.interactions.is_empty() {
        lines.push(Line::new().raw("nothing logged yet"));
    }
    for i in &brief.interactions {
        lines.push(interaction_line(i, -1, brief.now));
    }
    if let Some(notes) = &o.notes {
        notes_section(&mut doc, notes);
    }
    doc
}
