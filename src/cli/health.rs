//! `kith health`: how each relationship is doing, healthiest first, with the trend and the
//! main reasons; for one person, every factor and the sum that makes the score.

use std::io::Write;

use clap::Args;

use super::Ctx;
use crate::app::views::health::{self, ContactHealth};
use crate::model::normalize_tag;
use crate::resolve::Purpose;
use crate::store::OpenMode;
use crate::store::contacts::{self, ContactFilter};

pub const EXAMPLES: &str = "Examples:
  kith health                  # everyone, healthiest first
  kith health ada              # every factor of Ada's score
  kith health --tag client     # only clients
  kith health --org globex --at 2026-09-01
  kith health --json

The score is 50 plus the points of six factors (recency, frequency, reciprocity, depth,
follow-through, tenure), kept within 0-100; the arrow compares with 90 days earlier. The
formula, to recompute a score by hand: docs/HEALTH.md.
JSON fields (stable): contact, score, trend (previous, change, direction), as_of, factors
(factor, effect and what it measured), rhythm (one person: interactions per month).";

#[derive(Debug, Args)]
pub struct HealthArgs {
    /// One person (#ID, UID, email, phone or name): every factor of their score
    #[arg(conflicts_with_all = ["tag", "org"])]
    pub who: Option<String>,
    /// Only contacts with this tag
    #[arg(long)]
    pub tag: Option<String>,
    /// Only people at this organization
    #[arg(long)]
    pub org: Option<String>,
    /// As of the end of an earlier day (what happened after it is ignored): 2026-09-01,
    /// "3 months ago"
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
}

pub fn health(ctx: &Ctx, args: HealthArgs) -> anyhow::Result<()> {
    // A bad date is refused before the book is opened.
    let at = match &args.at {
        Some(input) => health::as_of(ctx.clock, input)?,
        None => ctx.clock.now,
    };
    let tag = args.tag.as_deref().map(normalize_tag).transpose()?;
    let store = ctx.open(OpenMode::MustExist)?;
    if let Some(who) = &args.who {
        let found = contacts::lookup(store.conn(), who, true, Purpose::Look)?;
        let one = health::of_contact(&store, found.id, at)?;
        if let Some(why) = found.closest {
            super::say_closest(&one.contact.name, found.id, who, why);
        }
        if ctx.json {
            return ctx.print_json(&one);
        }
        return ctx.print(&crate::output::health::health_detail(
            &one,
            ctx.painter,
            ctx.width,
            ctx.stdout_is_tty,
        ));
    }
    let organization_id = match &args.org {
        Some(org) => Some(super::orgs::look_up(store.conn(), org)?),
        None => None,
    };
    let filter = ContactFilter {
        tag,
        organization_id,
        ..ContactFilter::default()
    };
    let mut list: Vec<ContactHealth> = health::of_contacts(&store, &filter, at)?;
    drop(store);
    health::rank(&mut list);
    if ctx.json {
        return ctx.print_json(&list);
    }
    if list.is_empty() {
        ctx.note("No contacts match.");
        return Ok(());
    }
    // Straight to stdout, a line at a time: 100k rows are never held as one text.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    crate::output::health::write_health_table(&list, ctx.width, ctx.painter, &mut out)?;
    out.flush()?;
    // The process ends here: freeing 100k rows one by one (half of them made on another
    // thread) would only delay it.
    std::mem::forget(list);
    Ok(())
}
