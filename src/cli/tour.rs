//! `kith tour`: run a realistic session on a throw-away database, printing each command and
//! what it answers — the real binary, nothing canned.

use std::process::Command;

use super::Ctx;
use crate::error::Error;

const STEPS: &[&[&str]] = &[
    &[
        "add",
        "Ada Lovelace",
        "--email",
        "work:ada@analytical.example",
        "--phone",
        "mobile:+44 20 7946 0958",
        "--new-org",
        "Analytical Engines",
        "--title",
        "CTO",
        "--tag",
        "client",
        "--prefers",
        "email",
        "--every",
        "2m",
        "--birthday",
        "1815-12-10",
    ],
    &[
        "add",
        "Charles Babbage",
        "--email",
        "charles@analytical.example",
        "--org",
        "Analytical Engines",
        "--title",
        "Founder",
        "--tag",
        "client",
    ],
    &[
        "add",
        "Grace Hopper",
        "--phone",
        "+1 555 0100",
        "--new-org",
        "US Navy",
        "--title",
        "Rear Admiral",
        "--tag",
        "prospect",
    ],
    &[
        "link",
        "ada",
        "grace",
        "--as",
        "introduced-by",
        "--note",
        "PyCon 2026",
    ],
    &["link", "charles", "ada", "--as", "works-with"],
    &[
        "log",
        "ada,charles",
        "--via",
        "meeting",
        "--at",
        "3 weeks ago",
        "Kick-off workshop",
    ],
    &[
        "log",
        "ada",
        "--via",
        "call",
        "--at",
        "yesterday 3pm",
        "Budget approved; wants proposal",
        "--follow-up",
        "in 2 weeks: send proposal",
    ],
    &[
        "log",
        "grace",
        "--via",
        "email",
        "--out",
        "Sent the intro deck",
    ],
    &[
        "remind",
        "grace",
        "ask about the pilot",
        "--due",
        "next friday",
    ],
    &[
        "remind",
        "--org",
        "analytical",
        "contract renewal",
        "--due",
        "in 6 weeks",
        "--every",
        "1y",
    ],
    &["list"],
    &["show", "ada"],
    &["org", "show", "analytical"],
    &["reminders"],
    &["show", "jürgen"],
];

pub fn tour(ctx: &Ctx) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new().prefix("kith-tour").tempdir()?;
    let db = dir.path().join("kith.db");
    let exe = std::env::current_exe().map_err(|e| Error::io("kith", e))?;
    ctx.print(&format!(
        "A tour of kith on a throw-away database ({}).\n",
        db.display()
    ))?;
    for step in STEPS {
        let shown: Vec<String> = step
            .iter()
            .map(|a| {
                if a.contains([' ', ';', ',']) || a.is_empty() {
                    format!("\"{a}\"")
                } else {
                    a.to_string()
                }
            })
            .collect();
        ctx.print(&format!(
            "\n{}\n",
            ctx.painter.paint(
                crate::output::Role::Heading,
                &format!("$ kith {}", shown.join(" "))
            )
        ))?;
        let out = Command::new(&exe)
            .args(*step)
            .env("KITH_DB", &db)
            .output()
            .map_err(|e| Error::io(&exe, e))?;
        ctx.print(&String::from_utf8_lossy(&out.stdout))?;
        let err = String::from_utf8_lossy(&out.stderr);
        if !err.is_empty() {
            ctx.print(&err)?;
        }
        if !out.status.success() {
            ctx.print(&format!(
                "(exit code {})\n",
                out.status.code().unwrap_or(-1)
            ))?;
        }
    }
    ctx.print(
        "\nThat database is gone now. Yours lives at `kith db path`; `kith --help` has the rest.\n",
    )?;
    Ok(())
}
