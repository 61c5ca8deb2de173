//! `kith remind`, `kith reminders`, `kith done`, `kith snooze`.

use std::io::Write as _;

use chrono::Local;
use clap::Args;
use serde::Serialize;

use super::{Ctx, ListFormat, print_csv};
use crate::app::follow_ups::{self, AddFollowUp, CompleteFollowUp, EditFollowUp, Snooze, Subject};
use crate::error::Error;
use crate::model::{Channel, Completion, Due, Period, RecurFrom, Reminder};
use crate::output::{brief, sanitize_line};
use crate::store::reminders::{self, ReminderFilter, ReminderState};
use crate::store::{OpenMode, contacts, organizations};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct RemindArgs {
    #[command(subcommand)]
    pub action: Option<RemindAction>,
    /// Who it is about (an organization with --org)
    #[arg(required = true)]
    pub who: Option<String>,
    /// What to do
    #[arg(required = true)]
    pub text: Option<String>,
    /// When: "next friday", "in 2 weeks", "2026-12-01", "tomorrow 9am"
    #[arg(long, value_name = "WHEN", required = true)]
    pub due: Option<String>,
    /// Repeat every N days, weeks, months or years: 7d, 2w, 3m, 1y
    #[arg(long, value_name = "PERIOD")]
    pub every: Option<String>,
    /// Count the next date from when it is done, not from the due date (with --every)
    #[arg(long, requires = "every")]
    pub after_done: bool,
    /// WHO names an organization
    #[arg(long)]
    pub org: bool,
}

/// `kith remind edit|rm|show ID`: change, delete or inspect one follow-up.
#[derive(Debug, clap::Subcommand)]
pub enum RemindAction {
    /// Change a follow-up's text, date, repetition or subject
    #[command(
        after_help = "Examples:\n  kith remind edit 12 --due \"next monday\" --text \"send the revised proposal\"\n  kith remind edit 12 --every 2w --after-done\n  kith remind edit 12 --no-repeat"
    )]
    Edit(EditArgs),
    /// Delete a follow-up and its history
    #[command(after_help = "Example:\n  kith remind rm 12")]
    Rm(IdArg),
    /// One follow-up with its history of completions
    #[command(after_help = "Example:\n  kith remind show 12 --json")]
    Show(IdArg),
}

#[derive(Debug, Args)]
pub struct IdArg {
    /// The follow-up's number (as listed: 12 or #12)
    pub id: String,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The follow-up's number (as listed: 12 or #12)
    pub id: String,
    /// New text
    #[arg(long)]
    pub text: Option<String>,
    /// New due date (clears a snooze)
    #[arg(long, value_name = "WHEN")]
    pub due: Option<String>,
    /// Repeat every N days, weeks, months or years: 7d, 2w, 3m, 1y
    #[arg(long, value_name = "PERIOD", conflicts_with = "no_repeat")]
    pub every: Option<String>,
    /// Stop repeating
    #[arg(long)]
    pub no_repeat: bool,
    /// Count the next date from completion
    #[arg(long, conflicts_with = "from_due")]
    pub after_done: bool,
    /// Count the next date from the due date (the default)
    #[arg(long)]
    pub from_due: bool,
    /// Make it about this contact
    #[arg(long, value_name = "WHO", conflicts_with = "about_org")]
    pub about: Option<String>,
    /// Make it about this organization
    #[arg(long, value_name = "ORG")]
    pub about_org: Option<String>,
}

#[derive(Debug, Args)]
pub struct RemindersArgs {
    /// Include done follow-ups
    #[arg(long, conflicts_with_all = ["done", "overdue", "upcoming"])]
    pub all: bool,
    /// Only done follow-ups
    #[arg(long, conflicts_with_all = ["overdue", "upcoming"])]
    pub done: bool,
    /// Only overdue follow-ups
    #[arg(long, conflicts_with = "upcoming")]
    pub overdue: bool,
    /// Only those due from now to this far ahead: 14d, 2w, 1m
    #[arg(long, value_name = "PERIOD")]
    pub upcoming: Option<String>,
    /// Output: an aligned table, CSV (for spreadsheets), or JSON (as --json)
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    /// The follow-up's number (as listed: 12 or #12)
    pub id: String,
    /// Also log what was done as an interaction with the follow-up's contact
    #[arg(long, value_name = "SUMMARY")]
    pub log: Option<String>,
    /// How, for --log: call, email, meeting, video, message, social, letter, note
    #[arg(long, default_value = "note", value_name = "CHANNEL", requires = "log")]
    pub via: String,
}

#[derive(Debug, Args)]
pub struct SnoozeArgs {
    /// The follow-up's number (as listed: 12 or #12)
    pub id: String,
    /// Until when: "monday", "in 3 days", "2026-12-01"
    #[arg(long, value_name = "WHEN")]
    pub until: String,
}

/// A due date as a person reads it: "Fri 2026-12-04 10:30" in the local zone.
fn human_due(due: Due) -> String {
    crate::dates::human_when(due.into(), &Local)
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

fn parse_every(field: &str, p: &str) -> Result<Period, Error> {
    Period::parse(p).map_err(|_| {
        Error::invalid(
            field,
            p,
            "expected N followed by d, w, m or y (7d, 2w, 3m, 1y)",
        )
    })
}

/// A follow-up as `--json` prints it: the record plus how it recurs and where it came from.
#[derive(Debug, Serialize)]
pub struct FollowUpJson {
    #[serde(flatten)]
    pub reminder: Reminder,
    pub recur_from: RecurFrom,
    /// The interaction it was created with (`kith log --follow-up`).
    pub interaction_id: Option<i64>,
    /// Its contact is archived: it waits off the agenda until they are restored.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub contact_archived: bool,
}

fn with_extras(
    conn: &rusqlite::Connection,
    list: Vec<Reminder>,
) -> anyhow::Result<Vec<FollowUpJson>> {
    let extras = reminders::extras(conn, None)?;
    let archived = crate::store::agenda::archived_with_follow_ups(conn)?;
    Ok(list
        .into_iter()
        .map(|reminder| {
            let extra = extras.get(&reminder.id);
            FollowUpJson {
                contact_archived: (reminder.contact.as_ref())
                    .is_some_and(|c| archived.contains(&c.id)),
                recur_from: extra.map_or(RecurFrom::Due, |e| e.recur_from),
                interaction_id: extra.and_then(|e| e.interaction_id),
                reminder,
            }
        })
        .collect())
}

pub fn remind(ctx: &Ctx, a: RemindArgs) -> anyhow::Result<()> {
    let (who, text, due) = match (a.action, a.who, a.text, a.due) {
        (Some(action), ..) => return remind_action(ctx, action),
        (None, Some(who), Some(text), Some(due)) => (who, text, due),
        // clap requires all three without a subcommand; this is a guard, not a path.
        _ => return Err(Error::invalid("remind", "", "needs WHO, TEXT and --due").into()),
    };
    let due = Due::from(super::parse_when(
        ctx,
        "--due",
        &due,
        crate::dates::Lean::Future,
    )?);
    let recurrence = a
        .every
        .as_deref()
        .map(|p| parse_every("--every", p))
        .transpose()?;
    follow_ups::text(&text)?;
    let mut store = ctx.open(OpenMode::MustExist)?;
    let about = if a.org {
        Subject::Organization(organizations::resolve(store.conn(), &who, false)?)
    } else {
        Subject::Contact(contacts::resolve(store.conn(), &who, false)?)
    };
    let after_done = a.after_done;
    let input = AddFollowUp {
        about,
        text,
        due,
        recurrence,
        recur_from: if after_done {
            RecurFrom::Done
        } else {
            RecurFrom::Due
        },
    };
    let id = follow_ups::add(&mut store, ctx.clock.now, &input)?;
    let reminder = reminders::get(store.conn(), id)?;
    if ctx.json {
        return ctx.print_json(&with_extras(store.conn(), vec![reminder])?.remove(0));
    }
    let mut line = format!(
        "Added follow-up #{id}{}, due {}: {}",
        about_whom(store.conn(), &reminder)?,
        human_due(reminder.due),
        sanitize_line(&reminder.text)
    );
    if let Some(period) = reminder.recurrence {
        line.push_str(&format!(
            " (every {}",
            crate::dates::describe_period(&period)
        ));
        line.push_str(if after_done {
            ", after each completion)"
        } else {
            ")"
        });
    }
    ctx.note(&line);
    if crate::agenda::is_overdue(reminder.due, ctx.clock.now, ctx.clock.today()) {
        // Allowed (a follow-up noted late), but not silently: it is on today's list at once.
        ctx.note("It is already overdue; `kith today` lists it now.");
    }
    Ok(())
}

fn remind_action(ctx: &Ctx, action: RemindAction) -> anyhow::Result<()> {
    match action {
        RemindAction::Edit(a) => edit(ctx, a),
        RemindAction::Rm(a) => {
            let id = reminder_id(&a.id)?;
            let mut store = ctx.open(OpenMode::MustExist)?;
            let reminder = follow_ups::delete(&mut store, id)?;
            if ctx.json {
                return ctx.print_json(&serde_json::json!({ "deleted": id }));
            }
            ctx.note(&format!("Deleted follow-up #{id}: {}", reminder.text));
            Ok(())
        }
        RemindAction::Show(a) => show(ctx, a),
    }
}

fn edit(ctx: &Ctx, a: EditArgs) -> anyhow::Result<()> {
    let id = reminder_id(&a.id)?;
    let mut change = EditFollowUp {
        id,
        text: a.text.clone(),
        due: a
            .due
            .as_deref()
            .map(|d| super::parse_when(ctx, "--due", d, crate::dates::Lean::Future).map(Due::from))
            .transpose()?,
        recurrence: match (&a.every, a.no_repeat) {
            (Some(p), _) => Some(Some(parse_every("--every", p)?)),
            (None, true) => Some(None),
            (None, false) => None,
        },
        recur_from: if a.after_done {
            Some(RecurFrom::Done)
        } else if a.from_due {
            Some(RecurFrom::Due)
        } else {
            None
        },
        about: None,
    };
    // An empty --text is refused before the book is opened.
    if let Some(text) = &change.text
        && text.trim().is_empty()
    {
        change.check()?;
    }
    let mut store = ctx.open(OpenMode::MustExist)?;
    if let Some(who) = &a.about {
        change.about = Some(Subject::Contact(contacts::resolve(
            store.conn(),
            who,
            false,
        )?));
    }
    if let Some(org) = &a.about_org {
        change.about = Some(Subject::Organization(organizations::resolve(
            store.conn(),
            org,
            false,
        )?));
    }
    follow_ups::edit(&mut store, ctx.clock.now, &change)?;
    let reminder = reminders::get(store.conn(), id)?;
    if ctx.json {
        return ctx.print_json(&with_extras(store.conn(), vec![reminder])?.remove(0));
    }
    ctx.note(&format!(
        "Updated follow-up {}",
        brief::reminder_line(&reminder, ctx.clock, crate::output::Painter::plain())
    ));
    Ok(())
}

fn show(ctx: &Ctx, a: IdArg) -> anyhow::Result<()> {
    let id = reminder_id(&a.id)?;
    let store = ctx.open(OpenMode::MustExist)?;
    let reminder = reminders::get(store.conn(), id)?;
    let history = reminders::completions(store.conn(), id)?;
    let follow_up = with_extras(store.conn(), vec![reminder])?.remove(0);
    if ctx.json {
        return ctx.print_json(&serde_json::json!({
            "follow_up": follow_up,
            "completions": history,
        }));
    }
    let p = ctx.painter;
    let r = &follow_up.reminder;
    let mut out = format!("{}\n", brief::reminder_line(r, ctx.clock, p));
    let about = match (&r.contact, &r.organization) {
        (Some(c), _) => format!("about {}", sanitize_line(&c.name)),
        (None, Some(o)) => format!("about {} (organization)", sanitize_line(&o.name)),
        _ => String::new(),
    };
    out.push_str(&format!("  {about}\n"));
    if let Some(period) = r.recurrence {
        let from = match follow_up.recur_from {
            RecurFrom::Due => "from its due date",
            RecurFrom::Done => "after each completion",
        };
        out.push_str(&format!(
            "  repeats every {} {from}\n",
            crate::dates::describe_period(&period)
        ));
    }
    if let Some(i) = follow_up.interaction_id {
        out.push_str(&format!("  from interaction #{i}\n"));
    }
    for c in &history {
        let logged = c
            .interaction_id
            .map(|i| format!(" (logged #{i})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  done {} for {}{logged}\n",
            human_due(Due::At(c.done_at)),
            human_due(c.due)
        ));
    }
    ctx.print(&out)
}

pub fn list(ctx: &Ctx, a: RemindersArgs) -> anyhow::Result<()> {
    let upcoming = a
        .upcoming
        .as_deref()
        .map(|p| parse_every("--upcoming", p))
        .transpose()?;
    let store = ctx.open(OpenMode::MustExist)?;
    let state = if a.all {
        ReminderState::All
    } else if a.done {
        ReminderState::Done
    } else {
        ReminderState::Open
    };
    let (now, today) = (ctx.clock.now, ctx.clock.today());
    let keep = |due: Due| {
        if a.overdue && !crate::agenda::is_overdue(due, now, today) {
            return false;
        }
        match upcoming {
            Some(period) => {
                let not_past = match due {
                    Due::Day(d) => d >= today,
                    Due::At(t) => t >= now,
                };
                not_past && due.local_day(&Local) <= period.add_to(today)
            }
            None => true,
        }
    };
    let format = a.format.checked(ctx)?;
    if format == ListFormat::Table {
        // Only what the table shows, read as borrowed text into one buffer.
        let mut lines = reminders::lines(store.conn(), state)?;
        lines.lines.retain(|l| keep(l.due));
        if lines.lines.is_empty() {
            ctx.note("No follow-ups. `kith remind WHO TEXT --due WHEN` adds one.");
            return Ok(());
        }
        let archived = crate::store::agenda::archived_with_follow_ups(store.conn())?;
        let people =
            (lines.lines.iter()).filter_map(|l| Some((l.contact_id?, lines.str(&l.about))));
        let namesakes = crate::app::contacts::namesakes_among(store.conn(), people)?;
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        brief::reminder_line_rows(&lines, &archived, &namesakes, ctx.clock).write(
            ctx.width,
            ctx.painter,
            &mut out,
        )?;
        out.flush()?;
        return Ok(());
    }
    let mut list = reminders::list(
        store.conn(),
        &ReminderFilter {
            state,
            ..Default::default()
        },
    )?;
    list.retain(|r| keep(r.effective_due()));
    match format {
        ListFormat::Json => ctx.print_json(&with_extras(store.conn(), list)?),
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
        ListFormat::Table => Ok(()),
    }
}

/// " about WHOM", as a follow-up's confirmation names them: the contact (with their #id when
/// another has their name), or the organization; nothing when it is about no one any more.
fn about_whom(conn: &rusqlite::Connection, r: &crate::model::Reminder) -> anyhow::Result<String> {
    Ok(match (&r.contact, &r.organization) {
        (Some(c), _) => {
            let named = crate::app::contacts::told_apart(conn, &[c.id])?;
            let name = named.first().map_or(c.name.as_str(), |n| n.name.as_str());
            format!(" about {}", sanitize_line(name))
        }
        (None, Some(o)) => format!(" about {} (organization)", sanitize_line(&o.name)),
        (None, None) => String::new(),
    })
}

pub fn done(ctx: &Ctx, a: DoneArgs) -> anyhow::Result<()> {
    let id = reminder_id(&a.id)?;
    let channel: Channel = a.via.parse()?;
    let input = CompleteFollowUp {
        id,
        log: a.log.clone().map(|summary| (summary, channel)),
    };
    input.check()?;
    let mut store = ctx.open(OpenMode::MustExist)?;
    let done = follow_ups::complete(&mut store, ctx.clock, &input)?;
    let (outcome, logged) = (done.completion, done.interaction_id);
    if ctx.json {
        let follow_up =
            with_extras(store.conn(), vec![reminders::get(store.conn(), id)?])?.remove(0);
        return ctx.print_json(&serde_json::json!({
            "follow_up": follow_up,
            "interaction_id": logged,
        }));
    }
    let reminder = reminders::get(store.conn(), id)?;
    let what = format!(
        "Done: follow-up #{id}{}: {}",
        about_whom(store.conn(), &reminder)?,
        sanitize_line(&reminder.text)
    );
    match outcome {
        Completion::Closed => ctx.note(&what),
        Completion::MovedTo(next) => {
            ctx.note(&format!("{what}; next due {}", human_due(next)));
        }
    }
    if let Some(i) = logged {
        ctx.note(&format!("Logged {channel} (interaction {i})"));
    }
    Ok(())
}

pub fn snooze(ctx: &Ctx, a: SnoozeArgs) -> anyhow::Result<()> {
    let id = reminder_id(&a.id)?;
    let input = Snooze {
        id,
        until: a.until.clone(),
    };
    // A date already past is refused before the book is opened.
    follow_ups::snooze_until(ctx.clock, &input.until)?;
    let mut store = ctx.open(OpenMode::MustExist)?;
    let until = follow_ups::snooze(&mut store, ctx.clock, &input)?;
    if ctx.json {
        let reminder = reminders::get(store.conn(), id)?;
        return ctx.print_json(&with_extras(store.conn(), vec![reminder])?.remove(0));
    }
    ctx.note(&format!(
        "Snoozed follow-up #{id} until {}",
        until.display_local(&Local)
    ));
    Ok(())
}
