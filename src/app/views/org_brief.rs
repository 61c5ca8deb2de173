//! The organization brief (`kith org show`, the interactive mode's Organizations pane): the
//! organization, its active people most recently contacted first, its follow-ups (its own and
//! its people's) with where each stands, and the merged timeline.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::FollowUpItem;
use crate::clock::Clock;
use crate::error::Result;
use crate::model::{Contact, Interaction, Organization};
use crate::store::contacts::{Archived, ContactFilter};
use crate::store::interactions::{self, InteractionFilter};
use crate::store::reminders::{self, ReminderFilter};
use crate::store::{Store, contacts, organizations};

/// How many interactions `kith org show` lists unless `--full`.
pub const RECENT_TIMELINE: usize = 20;

/// Everything `kith org show` prints, in the shape `--json` gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgBrief {
    pub organization: Organization,
    /// Its active people, most recently contacted first.
    pub people: Vec<Contact>,
    pub interactions: Vec<Interaction>,
    pub follow_ups: Vec<FollowUpItem>,
    /// The last touch: the latest interaction with the organization itself or anyone there.
    pub last_touch_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub archived: bool,
    /// The day it was built for (relative dates are counted from it), and the instant.
    #[serde(skip)]
    pub today: NaiveDate,
    #[serde(skip)]
    pub now: DateTime<Utc>,
}

/// The brief of organization `id`, with its `timeline` latest interactions (all when `None`).
pub fn org_brief(
    store: &Store,
    id: i64,
    clock: Clock,
    timeline: Option<usize>,
) -> Result<OrgBrief> {
    let conn = store.conn();
    let organization = organizations::get(conn, id)?;
    let mut people = contacts::list(
        conn,
        &ContactFilter {
            organization_id: Some(id),
            archived: Archived::Exclude,
            ..Default::default()
        },
    )?;
    people.sort_by(|a, b| {
        b.last_contact_at
            .cmp(&a.last_contact_at)
            .then(a.id.cmp(&b.id))
    });
    let interactions = interactions::list(
        conn,
        &InteractionFilter {
            organization_id: Some(id),
            limit: timeline,
            ..Default::default()
        },
    )?;
    let follow_ups = reminders::list(
        conn,
        &ReminderFilter {
            organization_id: Some(id),
            organization_wide: true,
            ..Default::default()
        },
    )?;
    // The timeline is newest first and holds the organization's own interactions too.
    let last_touch_at = interactions.first().map(|i| i.occurred_at);
    Ok(OrgBrief {
        last_touch_at,
        archived: organization.archived_at.is_some(),
        organization,
        people,
        interactions,
        follow_ups: FollowUpItem::all(follow_ups, clock),
        today: clock.today(),
        now: clock.now,
    })
}
