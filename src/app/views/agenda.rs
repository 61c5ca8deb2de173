//! The agenda view (`kith today`, `kith today --check`, the interactive mode's Agenda): the
//! records read from the store, computed by the pure [`crate::agenda::build`] in the local
//! time zone. `--check` reads fewer records but goes through the same computation, so the
//! two always agree on what is overdue (an archived contact's follow-ups wait with them).

use std::collections::HashMap;

use chrono::Local;

use crate::agenda::{Agenda, AgendaInput, build, rank_reconnects};
use crate::clock::Clock;
use crate::error::Result;
use crate::store::Store;
use crate::store::contacts::ContactFilter;

pub use crate::agenda::DEFAULT_HORIZON_DAYS;

/// What is due at the clock's now, looking `horizon_days` ahead, every person to reconnect
/// with ranked by health (the interactive mode, `kith today --all` and `--json`).
pub fn agenda(store: &Store, clock: Clock, horizon_days: u32) -> Result<Agenda> {
    let input = crate::store::agenda::load(store.conn(), true)?;
    let mut agenda = build(&input, clock.now, &Local, horizon_days);
    let ids: Vec<i64> = agenda.reconnect.iter().map(|r| r.contact.id).collect();
    rank_reconnects(&mut agenda, &health_scores(store, clock, &ids)?);
    Ok(agenda)
}

/// The agenda `kith today` prints for a person, whose groups show their first `shown`
/// entries. Ranking the people to reconnect with by health reads each one's whole history:
/// up to [`RANKED_UP_TO`] of them (any personal book) they are ranked as [`agenda`] ranks
/// them; beyond, the first `shown` in the agenda's own order (longest overdue first) are
/// scored and the rest left unscored ([`Agenda::reconnect_ranked`] is false). Follow-ups
/// past the first `shown` of their group are counted but not named (their contact's and
/// organization's uid and name are empty).
pub fn summary(store: &Store, clock: Clock, horizon_days: u32, shown: usize) -> Result<Agenda> {
    // Whom each follow-up is about is named only for those shown: the others are counted.
    let input = crate::store::agenda::load(store.conn(), false)?;
    let mut agenda = build(&input, clock.now, &Local, horizon_days);
    for group in [&mut agenda.overdue, &mut agenda.today, &mut agenda.upcoming] {
        let first = shown.min(group.len());
        crate::store::agenda::name_follow_ups(store.conn(), &mut group[..first])?;
    }
    if agenda.reconnect.len() <= RANKED_UP_TO {
        let ids: Vec<i64> = agenda.reconnect.iter().map(|r| r.contact.id).collect();
        rank_reconnects(&mut agenda, &health_scores(store, clock, &ids)?);
    } else {
        let first = &mut agenda.reconnect[..shown.min(RANKED_UP_TO)];
        let ids: Vec<i64> = first.iter().map(|r| r.contact.id).collect();
        let scores = health_scores(store, clock, &ids)?;
        for r in first {
            r.health = scores.get(&r.contact.id).copied();
        }
        agenda.reconnect_ranked = false;
    }
    Ok(agenda)
}

/// How many people to reconnect with [`summary`] still ranks by health: far more than a
/// person keeps a cadence with, and a small share of the 13,440 of the 100k test book.
pub const RANKED_UP_TO: usize = 1_000;

/// The health scores of contacts `ids` at the clock's now.
fn health_scores(store: &Store, clock: Clock, ids: &[i64]) -> Result<HashMap<i64, u8>> {
    let mut scores = HashMap::new();
    for chunk in ids.chunks(RECONNECT_CHUNK) {
        let filter = ContactFilter {
            ids: Some(chunk.to_vec()),
            ..ContactFilter::default()
        };
        for h in super::health::of_contacts(store, &filter, clock.now)? {
            scores.insert(h.contact.id, h.health.score);
        }
    }
    Ok(scores)
}

/// How many contacts one health query names (SQLite allows 32766 variables a statement;
/// each query reads the book's follow-ups once, so fewer, larger chunks are cheaper).
const RECONNECT_CHUNK: usize = 30_000;

/// Whether the agenda has anything overdue: only the open follow-ups are read (this runs at
/// every shell prompt), the same ones [`agenda`] reads.
pub fn has_overdue(store: &Store, clock: Clock) -> Result<bool> {
    let input = AgendaInput {
        follow_ups: crate::store::agenda::open_follow_ups(store.conn(), false)?,
        ..AgendaInput::default()
    };
    Ok(build(&input, clock.now, &Local, 0).has_overdue())
}
