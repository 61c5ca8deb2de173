//! `kith log`: record an interaction with one or more contacts; `kith log show|edit|rm ID`
//! (in [`super::interactions`]) inspect, change or delete one.

use std::io::Read;
use std::sync::mpsc;
use std::time::Duration;

use clap::Args;

use super::Ctx;
use crate::app::interactions::{self, LogInteraction};
use crate::error::Error;
use crate::model::{Channel, Direction};
use crate::store::{self, OpenMode, contacts, organizations};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct LogArgs {
    #[command(subcommand)]
    pub action: Option<super::interactions::LogAction>,
    /// Who took part: WHO, or several as WHO,WHO
    #[arg(required = true)]
    pub who: Option<String>,
    /// What happened, in one line
    pub summary: Option<String>,
    /// Words past the summary: refused with how to say several people or a longer summary
    /// (clap alone would take the first for a subcommand's name).
    #[arg(hide = true)]
    pub more: Vec<String>,
    /// With or about this organization; alone, WHO is left out: kith log --org acme "Review"
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,
    /// How: call, email, meeting, video, message, social, letter, note, other
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

/// What `kith log WHO SUMMARY MORE...` is told: the two readings of the words, each as the
/// command that says it.
fn too_many_words(who: &str, summary: &str, more: &[String]) -> String {
    use crate::error::shell_word;
    let rest = more.join(" ");
    format!(
        "kith log takes one WHO and one SUMMARY, and got {} words; several people are one \
         WHO,WHO: kith log {} {}; a summary of several words is quoted: kith log {} {}",
        2 + more.len(),
        shell_word(&format!("{who},{summary}")),
        shell_word(&rest),
        shell_word(who),
        shell_word(&format!("{summary} {rest}")),
    )
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

pub fn log(ctx: &Ctx, a: LogArgs) -> anyhow::Result<()> {
    if let (Some(who), Some(summary), false) = (&a.who, &a.summary, a.more.is_empty()) {
        return Err(Error::Usage(too_many_words(who, summary, &a.more)).into());
    }
    let (who, summary) = match (a.action, a.who.clone(), a.summary.clone()) {
        (Some(action), ..) => return super::interactions::run(ctx, action),
        (None, Some(who), Some(summary)) => (Some(who), summary),
        // `kith log --org acme "Quarterly review"`: the organization alone.
        (None, Some(summary), None) if a.org.is_some() => (None, summary),
        _ => {
            return Err(Error::Usage(
                "kith log needs WHO and SUMMARY (or --org ORG and SUMMARY)".into(),
            )
            .into());
        }
    };
    let channel: Channel = a.via.parse()?;
    let direction = if a.inbound {
        Some(Direction::In)
    } else if a.outbound {
        Some(Direction::Out)
    } else {
        None
    };
    let mut input = LogInteraction {
        participants: Vec::new(),
        summary,
        channel,
        direction,
        at: a.at.clone(),
        body: None,
        follow_up: a.follow_up.clone(),
        organization: None,
    };
    // Bad input is refused before the book is opened (or the editor started).
    input.check(ctx.clock)?;
    let names: Vec<&str> = who
        .iter()
        .flat_map(|w| w.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(who) = &who
        && names.is_empty()
    {
        return Err(Error::invalid("who", who, "names nobody").into());
    }
    let mut store = ctx.open(OpenMode::MustExist)?;
    if let Some(org) = &a.org {
        input.organization = Some(organizations::resolve(store.conn(), org, false)?);
    }
    for name in &names {
        let id = contacts::resolve(store.conn(), name, false)?;
        if !input.participants.contains(&id) {
            input.participants.push(id);
        }
    }
    input.body = if a.edit {
        body_in_editor()?
    } else if !ctx.stdin_is_tty {
        piped_body()
    } else {
        None
    };
    let logged = interactions::log(&mut store, ctx.clock, &input)?;
    let (id, participants) = (logged.interaction_id, &input.participants);
    if ctx.json {
        let logged_row = store::interactions::get(store.conn(), id)?;
        return ctx.print_json(
            &serde_json::json!({ "interaction": logged_row, "follow_up_id": logged.follow_up_id }),
        );
    }
    let mut names: Vec<String> = crate::app::contacts::told_apart(store.conn(), participants)?
        .into_iter()
        .map(|r| r.name)
        .collect();
    if let Some(org) = input.organization {
        names.push(organizations::get(store.conn(), org)?.name);
    }
    let who = names.join(", ");
    ctx.note(&format!("Logged {channel} with {who} (interaction {id})"));
    if let Some(r) = logged.follow_up_id {
        let due = store::reminders::get(store.conn(), r)?.due;
        let due = crate::dates::human_when(due.into(), &chrono::Local);
        ctx.note(&format!("Follow-up #{r} due {due}"));
    }
    Ok(())
}
