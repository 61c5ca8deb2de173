//! `kith remind`, `kith reminders`, `kith done`, `kith snooze`.

use clap::Args;

use super::{Ctx, ListFormat, print_csv};
use crate::error::Error;
use crate::model::{Due, Period};
use crate::output::brief;
use crate::store::reminders::{self, Completion, NewReminder, ReminderFilter, ReminderState};
use crate::store::{OpenMode, contacts, organizations};

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Who it is about (an organization with --org)
    pub who: String,
    /// What to do
    pub text: String,
    /// When: "next friday", "in 2 weeks", "2026-12-01", "tomorrow 9am"
    #[arg(long, value_name = "WHEN")]
    pub due: String,
    /// Repeat every N days, weeks, months or years: 7d, 2w, 3m, 1y
    #[arg(long, value_name = "PERIOD")]
    pub every: Option<String>,
    /// WHO names an organization
    #[arg(long)]
    pub org: bool,
}

#[derive(Debug, Args)]
pub struct RemindersArgs {
    /// Include done follow-ups
    #[arg(long, conflicts_with = "done")]
    pub all: bool,
    /// Only done follow-ups
    #[arg(long)]
    pub done: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    /// The follow-up's number (as listed: 12 or #12)
    pub id: String,
}

#[derive(Debug, Args)]
pub struct SnoozeArgs {
    /// The follow-up's number (as listed: 12 or #12)
    pub id: String,
    /// Until when: "monday", "in 3 days", "2026-12-01"
    #[arg(long, value_name = "WHEN")]
    pub until: String,
}

fn reminder_id(raw: &str) -> Result<i64, Error> {
    raw.trim().trim_start_matches('#').parse().map_err(|_| {
        Error::invalid(
            "follow-up number",
            raw,
            "expected a number such as 12 (see `kith reminders`)",
        )
    })
}

pub fn remind(ctx: &Ctx, a: RemindArgs) -> anyhow::Result<()> {
    let due = Due::from(super::parse_when(ctx, "--due", &a.due)?);
    let recurrence = a
        .every
        .as_deref()
        .map(|p| {
            Period::parse(p).map_err(|_| {
                Error::invalid(
                    "--every",
                    p,
                    "expected N followed by d, w, m or y (7d, 2w, 3m, 1y)",
                )
            })
        })
        .transpose()?;
    if a.text.trim().is_empty() {
        return Err(Error::invalid("follow-up text", &a.text, "is empty").into());
    }
    let mut store = ctx.open(OpenMode::MustExist)?;
    let (contact_id, organization_id) = if a.org {
        (
            None,
            Some(organizations::resolve(store.conn(), &a.who, false)?),
        )
    } else {
        (Some(contacts::resolve(store.conn(), &a.who, false)?), None)
    };
    let now = ctx.clock.now;
    let new = NewReminder {
        contact_id,
        organization_id,
        text: a.text.clone(),
        due,
        recurrence,
        interaction_id: None,
    };
    let id = crate::ops::add_follow_up(&mut store, &new, now)?;
    let reminder = reminders::get(store.conn(), id)?;
    if ctx.json {
        return ctx.print_json(&reminder);
    }
    ctx.note(&format!(
        "Follow-up #{id}: {}",
        brief::reminder_line(&reminder, ctx.clock, crate::output::Painter::plain())
    ));
    Ok(())
}

pub fn list(ctx: &Ctx, a: RemindersArgs) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let state = if a.all {
        ReminderState::All
    } else if a.done {
        ReminderState::Done
    } else {
        ReminderState::Open
    };
    let list = reminders::list(
        store.conn(),
        &ReminderFilter {
            state,
            ..Default::default()
        },
    )?;
    match a.format.resolve(ctx) {
        ListFormat::Json => ctx.print_json(&list),
        ListFormat::Csv => {
            let rows = list
                .iter()
                .map(|r| {
                    vec![
                        r.id.to_string(),
                        r.uid.clone(),
                        r.due.to_db(),
                        r.snoozed_until.map(|d| d.to_db()).unwrap_or_default(),
                        r.contact
                            .as_ref()
                            .map(|c| c.name.clone())
                            .unwrap_or_default(),
                        r.organization
                            .as_ref()
                            .map(|o| o.name.clone())
                            .unwrap_or_default(),
                        r.text.clone(),
                        r.recurrence.map(|p| p.to_string()).unwrap_or_default(),
                        r.done_at.map(crate::store::ts).unwrap_or_default(),
                    ]
                })
                .collect();
            print_csv(
                ctx,
                &[
                    "id",
                    "uid",
                    "due",
                    "snoozed_until",
                    "contact",
                    "organization",
                    "text",
                    "every",
                    "done_at",
                ],
                rows,
            )
        }
        ListFormat::Table => {
            if list.is_empty() {
                ctx.note("No follow-ups. `kith remind WHO TEXT --due WHEN` adds one.");
                return Ok(());
            }
            ctx.print(&brief::reminder_table(
                &list,
                ctx.clock,
                ctx.width,
                ctx.painter,
            ))
        }
    }
}

pub fn done(ctx: &Ctx, a: DoneArgs) -> anyhow::Result<()> {
    let id = reminder_id(&a.id)?;
    let mut store = ctx.open(OpenMode::MustExist)?;
    let now = ctx.clock.now;
    let today = ctx.clock.today();
    let (outcome, _undo) = crate::ops::complete_follow_up(&mut store, id, now, today)?;
    if ctx.json {
        return ctx.print_json(&reminders::get(store.conn(), id)?);
    }
    match outcome {
        Completion::Closed => ctx.note(&format!("Done: follow-up #{id}")),
        Completion::MovedTo(next) => {
            ctx.note(&format!("Done: follow-up #{id}; next due {}", next.to_db()))
        }
    }
    Ok(())
}

pub fn snooze(ctx: &Ctx, a: SnoozeArgs) -> anyhow::Result<()> {
    let id = reminder_id(&a.id)?;
    let until = Due::from(super::parse_when(ctx, "--until", &a.until)?);
    let mut store = ctx.open(OpenMode::MustExist)?;
    let now = ctx.clock.now;
    crate::ops::snooze_follow_up(&mut store, id, until, now)?;
    if ctx.json {
        return ctx.print_json(&reminders::get(store.conn(), id)?);
    }
    ctx.note(&format!("Snoozed follow-up #{id} until {}", until.to_db()));
    Ok(())
}
