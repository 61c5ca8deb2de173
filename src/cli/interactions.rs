//! `kith log show|edit|rm ID`: one logged interaction as a record — read whole, changed with
//! flags or in $EDITOR (the form is [`super::interaction_form`]), or deleted. The rules are
//! [`crate::app::interactions`]'; this file turns argv into its inputs and its results into text.

use std::fmt::Write as _;

use chrono::Local;
use clap::Args;
use serde::Serialize;

use super::Ctx;
use super::interaction_form;
use crate::app::interactions::{self as app, EditInteraction};
use crate::dates::relative_time;
use crate::error::{Error, Result};
use crate::model::{Channel, Direction, Interaction, Reminder};
use crate::output::{Role, brief, sanitize_block, sanitize_line};
use crate::store::{OpenMode, contacts, interactions, organizations, reminders};

/// `kith log show|edit|rm ID`.
#[derive(Debug, clap::Subcommand)]
pub enum LogAction {
    /// One interaction whole: when, how, who, its body and the follow-ups made from it
    #[command(after_help = "Examples:\n  kith log show 12\n  kith log show 12 --json")]
    Show(IdArg),
    /// Change a logged interaction: with flags, or in $EDITOR when none are given
    #[command(
        after_help = "Examples:\n  kith log edit 12 --at \"yesterday 4pm\" --via call\n  kith log edit 12 \"Budget approved; proposal by Friday\"\n  kith log edit 12 --add grace --rm bob\n  kith log edit 12 --body \"\"          # clears the body\n  kith log edit 12                     # opens $EDITOR on a readable form"
    )]
    Edit(EditArgs),
    /// Delete a logged interaction (follow-ups made from it stay, unlinked)
    #[command(after_help = "Example:\n  kith log rm 12")]
    Rm(IdArg),
}

#[derive(Debug, Args)]
pub struct IdArg {
    /// The interaction's number (as `kith log` printed it: 12 or #12)
    pub id: String,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The interaction's number (as `kith log` printed it: 12 or #12)
    pub id: String,
    /// New summary (same as --summary)
    #[arg(conflicts_with = "summary")]
    pub new_summary: Option<String>,
    /// New summary, in one line
    #[arg(long)]
    pub summary: Option<String>,
    /// When it happened: "yesterday 3pm", "2026-11-20" (never in the future)
    #[arg(long, value_name = "WHEN")]
    pub at: Option<String>,
    /// How: call, email, meeting, video, message, social, letter, note, other
    #[arg(long, value_name = "CHANNEL")]
    pub via: Option<String>,
    /// They reached out to me
    #[arg(long = "in", conflicts_with_all = ["outbound", "no_direction"])]
    pub inbound: bool,
    /// I reached out to them
    #[arg(long = "out", conflicts_with = "no_direction")]
    pub outbound: bool,
    /// Neither way in particular
    #[arg(long)]
    pub no_direction: bool,
    /// New body (an empty one clears it)
    #[arg(long, value_name = "TEXT")]
    pub body: Option<String>,
    /// Someone else who took part (repeat, or WHO,WHO)
    #[arg(long, value_name = "WHO")]
    pub add: Vec<String>,
    /// Someone who did not take part after all (repeat, or WHO,WHO)
    #[arg(long, value_name = "WHO")]
    pub rm: Vec<String>,
    /// Make it with or about this organization
    #[arg(long, value_name = "ORG", conflicts_with = "no_org")]
    pub org: Option<String>,
    /// Make it about no organization
    #[arg(long)]
    pub no_org: bool,
}

impl EditArgs {
    fn has_changes(&self) -> bool {
        self.new_summary.is_some()
            || self.summary.is_some()
            || self.at.is_some()
            || self.via.is_some()
            || self.inbound
            || self.outbound
            || self.no_direction
            || self.body.is_some()
            || !self.add.is_empty()
            || !self.rm.is_empty()
            || self.org.is_some()
            || self.no_org
    }
}

pub fn run(ctx: &Ctx, action: LogAction) -> anyhow::Result<()> {
    match action {
        LogAction::Show(a) => show(ctx, &a),
        LogAction::Edit(a) => edit(ctx, a),
        LogAction::Rm(a) => rm(ctx, &a),
    }
}

fn interaction_id(raw: &str) -> Result<i64> {
    raw.trim().trim_start_matches('#').parse().map_err(|_| {
        Error::invalid(
            "interaction number",
            raw,
            "expected a number such as 12 (as `kith log` printed it, or see `kith show WHO --json`)",
        )
    })
}

/// `kith log show ID --json`: the interaction and what points at it.
#[derive(Debug, Serialize)]
struct ShowJson<'a> {
    interaction: &'a Interaction,
    /// The follow-ups made with it (`kith log --follow-up`).
    follow_ups: &'a [Reminder],
    /// The follow-ups whose completion it records (`kith done --log`), by id.
    completed_follow_ups: Vec<i64>,
}

fn show(ctx: &Ctx, a: &IdArg) -> anyhow::Result<()> {
    let id = interaction_id(&a.id)?;
    let store = ctx.open(OpenMode::MustExist)?;
    let interaction = interactions::get(store.conn(), id)?;
    let links = interactions::links(store.conn(), id)?;
    let follow_ups = links
        .follow_ups
        .iter()
        .map(|r| reminders::get(store.conn(), *r))
        .collect::<Result<Vec<_>>>()?;
    let completed: Vec<i64> = links.completions.iter().map(|(_, r)| *r).collect();
    if ctx.json {
        return ctx.print_json(&ShowJson {
            interaction: &interaction,
            follow_ups: &follow_ups,
            completed_follow_ups: completed,
        });
    }
    ctx.print(&render(ctx, &interaction, &follow_ups, &completed))
}

/// The whole interaction as `kith log show` prints it.
fn render(ctx: &Ctx, i: &Interaction, follow_ups: &[Reminder], completed: &[i64]) -> String {
    let p = ctx.painter;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  {}",
        p.paint(Role::Dim, &format!("#{}", i.id)),
        p.paint(Role::Label, &sanitize_line(&i.summary))
    );
    let field = |out: &mut String, name: &str, value: &str| {
        let _ = writeln!(
            out,
            "  {}{value}",
            p.paint(Role::Label, &format!("{name:<10}"))
        );
    };
    field(
        &mut out,
        "when",
        &format!(
            "{} ({})",
            i.occurred_at
                .with_timezone(&Local)
                .format("%a %Y-%m-%d %H:%M"),
            relative_time(i.occurred_at, &ctx.clock.local())
        ),
    );
    let direction = match i.direction {
        Some(Direction::In) => ", they reached out",
        Some(Direction::Out) => ", I reached out",
        None => "",
    };
    field(&mut out, "via", &format!("{}{direction}", i.channel));
    if !i.participants.is_empty() {
        field(&mut out, "with", &people(i));
    }
    if let Some(o) = &i.organization {
        let name = format!("{} (#{})", sanitize_line(&o.name), o.id);
        field(&mut out, "org", &name);
    }
    for r in follow_ups {
        field(
            &mut out,
            "follow-up",
            &brief::reminder_line(r, ctx.clock, p),
        );
    }
    for r in completed {
        field(&mut out, "completes", &format!("follow-up #{r}"));
    }
    if let Some(body) = &i.body {
        out.push('\n');
        for line in sanitize_block(body).lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// "Ada Lovelace (#3), Grace Hopper (#5)", made safe to print.
fn people(i: &Interaction) -> String {
    i.participants
        .iter()
        .map(|c| format!("{} (#{})", sanitize_line(&c.name), c.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Who it was with: its people, then its organization.
fn with_whom(i: &Interaction) -> String {
    let org = i
        .organization
        .as_ref()
        .map(|o| format!("{} (organization)", sanitize_line(&o.name)));
    let people = Some(people(i)).filter(|p| !p.is_empty());
    people.into_iter().chain(org).collect::<Vec<_>>().join(", ")
}

fn rm(ctx: &Ctx, a: &IdArg) -> anyhow::Result<()> {
    let id = interaction_id(&a.id)?;
    let mut store = ctx.open(OpenMode::MustExist)?;
    let gone = app::delete(&mut store, id)?;
    let unlinked = &gone.links.follow_ups;
    if ctx.json {
        return ctx.print_json(&serde_json::json!({
            "deleted": id,
            "unlinked_follow_ups": unlinked,
        }));
    }
    ctx.note(&format!(
        "Deleted interaction #{id}: {}",
        gone.interaction.summary
    ));
    if !unlinked.is_empty() {
        let list: Vec<String> = unlinked.iter().map(|r| format!("#{r}")).collect();
        let (noun, verb) = if unlinked.len() == 1 {
            ("Follow-up", "stays")
        } else {
            ("Follow-ups", "stay")
        };
        ctx.note(&format!(
            "{noun} {} made from it {verb}, no longer linked to it",
            list.join(", ")
        ));
    }
    Ok(())
}

fn edit(ctx: &Ctx, a: EditArgs) -> anyhow::Result<()> {
    let id = interaction_id(&a.id)?;
    if !a.has_changes() {
        return edit_in_editor(ctx, id);
    }
    let mut input = EditInteraction {
        id,
        at: a.at.clone(),
        channel: a.via.as_deref().map(str::parse::<Channel>).transpose()?,
        direction: if a.inbound {
            Some(Some(Direction::In))
        } else if a.outbound {
            Some(Some(Direction::Out))
        } else if a.no_direction {
            Some(None)
        } else {
            None
        },
        summary: a.new_summary.clone().or(a.summary.clone()),
        body: a.body.clone().map(Some),
        organization: a.no_org.then_some(None),
        ..EditInteraction::default()
    };
    // Bad input is refused before the book is opened.
    input.check(ctx.clock)?;
    let mut store = ctx.open(OpenMode::MustExist)?;
    input.add = resolve_all(store.conn(), &a.add)?;
    input.remove = resolve_all(store.conn(), &a.rm)?;
    if let Some(org) = &a.org {
        input.organization = Some(Some(organizations::resolve(store.conn(), org, false)?));
    }
    let edited = app::edit(&mut store, ctx.clock, &input)?;
    report_edit(ctx, &edited)
}

/// Every contact named in `names` (each may hold WHO,WHO).
fn resolve_all(conn: &rusqlite::Connection, names: &[String]) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    for name in names.iter().flat_map(|n| n.split(',')).map(str::trim) {
        if name.is_empty() {
            continue;
        }
        let id = contacts::resolve(conn, name, false)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

fn edit_in_editor(ctx: &Ctx, id: i64) -> anyhow::Result<()> {
    let mut store = ctx.open(OpenMode::MustExist)?;
    let current = interactions::get(store.conn(), id)?;
    let original = interaction_form::render(&current);
    let clock = ctx.clock;
    let input =
        super::editor::edit_until_valid(ctx, &format!("interaction-{id}.txt"), original, |text| {
            let input = interaction_form::parse(store.conn(), &current, text)?;
            input.check(clock)?;
            Ok(input)
        })?;
    let Some(input) = input else {
        ctx.note("No changes.");
        return Ok(());
    };
    let edited = app::edit(&mut store, ctx.clock, &input)?;
    report_edit(ctx, &edited)
}

fn report_edit(ctx: &Ctx, edited: &Interaction) -> anyhow::Result<()> {
    if ctx.json {
        return ctx.print_json(&serde_json::json!({ "interaction": edited }));
    }
    ctx.note(&format!(
        "Updated interaction #{}: {} with {}",
        edited.id,
        edited.channel,
        with_whom(edited)
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interaction_number_may_carry_a_hash() {
        assert_eq!(interaction_id("#12").unwrap(), 12);
        assert_eq!(interaction_id(" 7 ").unwrap(), 7);
        let err = interaction_id("ada").unwrap_err().to_string();
        assert!(err.contains("interaction number"), "{err}");
    }

    #[test]
    fn people_are_named_with_their_ids_and_made_safe() {
        let i = Interaction {
            id: 1,
            uid: "u".into(),
            occurred_at: chrono::Utc::now(),
            channel: Channel::Call,
            direction: None,
            summary: "s".into(),
            body: None,
            participants: vec![crate::model::ContactRef {
                id: 3,
                uid: "c".into(),
                name: "Ada\u{1b}[31m".into(),
            }],
            organization: None,
            created_at: chrono::Utc::now(),
            thread: None,
            location: None,
        };
        let text = people(&i);
        assert!(text.contains("(#3)") && !text.contains('\u{1b}'), "{text}");
    }
}
