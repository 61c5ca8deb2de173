//! The agenda view (`kith today`, `kith today --check`, the interactive mode's Agenda): the
//! records read from the store, computed by the pure [`crate::agenda::build`] in the local
//! time zone. `--check` reads fewer records but goes through the same computation, so the
//! two always agree on what is overdue (an archived contact's follow-ups wait with them).

use chrono::Local;

use crate::agenda::{Agenda, AgendaInput, build, rank_reconnects};
use crate::clock::Clock;
use crate::error::Result;
use crate::store::Store;
use crate::store::contacts::ContactFilter;

pub use crate::agenda::DEFAULT_HORIZON_DAYS;

/// What is due at the clock's now, looking `horizon_days` ahead.
pub fn agenda(store: &Store, clock: Clock, horizon_days: u32) -> Result<Agenda> {
    let input = crate::store::agenda::load(store.conn())?;
    let mut agenda = build(&input, clock.now, &Local, horizon_days);
    // Who to reconnect with first: the weakest relationships. Only they are scored.
    let ids: Vec<i64> = agenda.reconnect.iter().map(|r| r.contact.id).collect();
    let mut scores = std::collections::HashMap::new();
    for chunk in ids.chunks(RECONNECT_CHUNK) {
        let filter = ContactFilter {
            ids: Some(chunk.to_vec()),
            ..ContactFilter::default()
        };
        for h in super::health::of_contacts(store, &filter, clock.now)? {
            scores.insert(h.contact.id, h.health.score);
        }
    }
    rank_reconnects(&mut agenda, &scores);
    Ok(agenda)
}

/// How many contacts one health query names (SQLite allows 32766 variables a statement;
/// each query reads the book's follow-ups once, so fewer, larger chunks are cheaper).
const RECONNECT_CHUNK: usize = 30_000;

/// Whether the agenda has anything overdue: only the open follow-ups are read (this runs at
/// every shell prompt), the same ones [`agenda`] reads.
pub fn has_overdue(store: &Store, clock: Clock) -> Result<bool> {
    let input = AgendaInput {
        follow_ups: crate::store::agenda::open_follow_ups(store.conn())?,
        ..AgendaInput::default()
    };
    Ok(build(&input, clock.now, &Local, 0).has_overdue())
}
