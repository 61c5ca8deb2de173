//! `kith log`: record an interaction with one or more contacts.

use std::io::Read;
use std::sync::mpsc;
use std::time::Duration;

use chrono::Utc;
use clap::Args;

use super::Ctx;
use crate::dates::When;
use crate::error::Error;
use crate::model::NewInteraction;
use crate::model::{Channel, Direction, Due};
use crate::store::interactions;
use crate::store::{OpenMode, contacts};

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Who took part: WHO, or several as WHO,WHO
    pub who: String,
    /// What happened, in one line
    pub summary: String,
    /// How: call, email, meeting, video, message, social, letter, note
    #[arg(long, default_value = "note", value_name = "CHANNEL")]
    pub via: String,
    /// When it happened [default: now]: "yesterday 3pm", "2026-11-20", "2 days ago"
    #[arg(long, value_name = "WHEN")]
    pub at: Option<String>,
    /// They reached out to me
    #[arg(long = "in", conflicts_with = "outbound")]
    pub inbound: bool,
    /// I reached out to them
    #[arg(long = "out")]
    pub outbound: bool,
    /// Write a longer body in $EDITOR (otherwise it is read from stdin when piped)
    #[arg(long)]
    pub edit: bool,
    /// Also add a follow-up: "WHEN: TEXT", e.g. "in 2 weeks: send proposal"
    #[arg(long, value_name = "WHEN: TEXT")]
    pub follow_up: Option<String>,
}

/// A time the user gave: a day alone means noon that day (today means now).
fn instant(ctx: &Ctx, when: When) -> chrono::DateTime<Utc> {
    crate::ops::instant(ctx.clock, when)
}

/// Read a piped body. A pipe that stays silent (a harness that never closes stdin) is not
/// waited on forever: without a first byte within two seconds there is no body.
fn piped_body() -> Option<String> {
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut buf = [0u8; 8192];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let mut bytes = rx.recv_timeout(Duration::from_secs(2)).ok()?;
    while let Ok(chunk) = rx.recv() {
        bytes.extend(chunk);
    }
    let text = String::from_utf8_lossy(&bytes).trim_end().to_string();
    if text.trim().is_empty() {
        None
    } else {
        Some(text)
    }
}

fn body_in_editor() -> anyhow::Result<Option<String>> {
    let dir = tempfile::Builder::new().prefix("kith-log").tempdir()?;
    let path = dir.path().join("interaction.md");
    std::fs::write(&path, "").map_err(|e| Error::io(&path, e))?;
    super::editor::run_editor(&path)?;
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let text = text.trim_end().to_string();
    Ok(if text.trim().is_empty() {
        None
    } else {
        Some(text)
    })
}

/// Split "in 2 weeks: send proposal" into its date and its text.
pub fn parse_follow_up(ctx: &Ctx, spec: &str) -> Result<(Due, String), Error> {
    let spec = crate::ops::parse_follow_up(ctx.clock, spec)?;
    Ok((spec.due, spec.text))
}

pub fn log(ctx: &Ctx, a: LogArgs) -> anyhow::Result<()> {
    let channel: Channel = a.via.parse()?;
    let occurred_at = match &a.at {
        Some(at) => instant(ctx, super::parse_when(ctx, "--at", at)?),
        None => ctx.clock.now,
    };
    // A little slack for clocks and "in a minute"; anything later has not happened yet.
    if occurred_at > ctx.clock.now + chrono::Duration::minutes(5) {
        return Err(Error::invalid(
            "--at",
            a.at.as_deref().unwrap_or_default(),
            format!(
                "is in the future ({}); log what happened, and `kith remind` what will",
                occurred_at
                    .with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M")
            ),
        )
        .into());
    }
    let direction = if a.inbound {
        Some(Direction::In)
    } else if a.outbound {
        Some(Direction::Out)
    } else {
        None
    };
    let follow_up = a
        .follow_up
        .as_deref()
        .map(|s| parse_follow_up(ctx, s))
        .transpose()?;
    if a.summary.trim().is_empty() {
        return Err(Error::invalid("summary", &a.summary, "is empty").into());
    }
    let names: Vec<&str> = a
        .who
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if names.is_empty() {
        return Err(Error::invalid("who", &a.who, "names nobody").into());
    }
    let mut store = ctx.open(OpenMode::MustExist)?;
    let mut participants = Vec::new();
    for name in &names {
        let id = contacts::resolve(store.conn(), name, false)?;
        if !participants.contains(&id) {
            participants.push(id);
        }
    }
    let body = if a.edit {
        body_in_editor()?
    } else if !ctx.stdin_is_tty {
        piped_body()
    } else {
        None
    };
    let new = NewInteraction {
        occurred_at,
        channel,
        direction,
        summary: a.summary.trim().to_string(),
        body,
        participants: participants.clone(),
    };
    let now = ctx.clock.now;
    let follow_up = follow_up.map(|(due, text)| crate::ops::FollowUpSpec { due, text });
    let (id, reminder) = crate::ops::log_interaction(&mut store, &new, follow_up.as_ref(), now)?;
    if ctx.json {
        let logged = interactions::list(
            store.conn(),
            &interactions::InteractionFilter {
                contact_id: Some(participants[0]),
                ..Default::default()
            },
        )?
        .into_iter()
        .find(|i| i.id == id);
        return ctx
            .print_json(&serde_json::json!({ "interaction": logged, "follow_up_id": reminder }));
    }
    let who = contacts::refs(store.conn(), &participants)?
        .into_iter()
        .map(|r| r.name)
        .collect::<Vec<_>>()
        .join(", ");
    ctx.note(&format!("Logged {channel} with {who} (interaction {id})"));
    if let Some(r) = reminder {
        ctx.note(&format!("Follow-up #{r} added"));
    }
    Ok(())
}
