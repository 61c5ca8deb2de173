//! `kith who-knows TARGET`: who can introduce me to a person or into an organization.

use clap::Args;

use super::Ctx;
use crate::app::views::who_knows::{self, DEFAULT_PATHS, TargetRef};
use crate::store::OpenMode;

#[derive(Debug, Args)]
pub struct WhoKnowsArgs {
    /// The person or organization: #ID, UID, email or name (fuzzy)
    pub target: String,
    /// Read TARGET as an organization's name even when a person fits
    #[arg(long)]
    pub org: bool,
    /// How many paths to list
    #[arg(long, default_value_t = DEFAULT_PATHS)]
    pub limit: usize,
}

pub fn who_knows(ctx: &Ctx, a: WhoKnowsArgs) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let found = who_knows::resolve(&store, &a.target, a.org)?;
    if let Some(why) = found.closest {
        let (name, id) = match &found.target {
            TargetRef::Person(c) => (&c.name, c.id),
            TargetRef::Organization(o) => (&o.name, o.id),
        };
        super::say_closest(name, id, &a.target, why);
    }
    let view = who_knows::who_knows(&store, &found.target, ctx.clock, a.limit)?;
    if ctx.json {
        return ctx.print_json(&view);
    }
    ctx.print(&crate::output::network::render(
        &view,
        ctx.painter,
        ctx.width,
        ctx.clock.today(),
    ))
}
