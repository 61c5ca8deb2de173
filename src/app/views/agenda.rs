//! The agenda view (`kith today`, `kith today --check`, the interactive mode's Agenda): the
//! records read from the store, computed by the pure [`crate::agenda::build`] in the local
//! time zone. `--check` reads fewer records but goes through the same computation, so the
//! two always agree on what is overdue (an archived contact's follow-ups wait with them).

use std::sync::Arc;

use chrono::Local;
use rusqlite::Connection;

use crate::agenda::{Agenda, CadenceSource, Reconnect, build, build_follow_ups, rank_reconnects};
use crate::clock::Clock;
use crate::error::Result;
use crate::health::{Moment, Subject, TREND_DAYS};
use crate::model::Period;
use crate::store::Store;
use crate::store::health::{FollowUpsByContact, TouchBatches, all_follow_ups, follow_ups_of};

pub use crate::agenda::DEFAULT_HORIZON_DAYS;

/// Note which of the people `agenda` lists (each group's first `shown`, or all) share their
/// name with another contact, for its text to tell them apart (see
/// [`crate::app::contacts::namesakes_among`]).
pub fn mark_namesakes(store: &Store, agenda: &mut Agenda, shown: Option<usize>) -> Result<()> {
    let first = |n: usize| shown.map_or(n, |s| s.min(n));
    let follow_ups = [&agenda.overdue, &agenda.today, &agenda.upcoming]
        .into_iter()
        .flat_map(|group| &group[..first(group.len())])
        .filter_map(|f| f.contact.as_ref());
    let reconnects = agenda.reconnect[..first(agenda.reconnect.len())]
        .iter()
        .map(|r| &r.contact);
    let dates = agenda.dates[..first(agenda.dates.len())]
        .iter()
        .map(|d| &d.contact);
    let listed = follow_ups.chain(reconnects).chain(dates);
    let listed: Vec<(i64, &str)> = listed.map(|c| (c.id, c.name.as_str())).collect();
    agenda.namesakes = store.read(|conn| crate::app::contacts::namesakes_among(conn, listed))?;
    Ok(())
}

/// What is due at the clock's now, looking `horizon_days` ahead, every person to reconnect
/// with ranked by health (the interactive mode, `kith today --all` and `--json`).
pub fn agenda(store: &Store, clock: Clock, horizon_days: u32) -> Result<Agenda> {
    Ok(agenda_with(store, clock, horizon_days, |_| ())?.0)
}

/// [`agenda`], and what `early` makes of its follow-ups (an agenda of only its date, now,
/// horizon and three groups of follow-ups), made as soon as they are known, on the thread
/// that read them, while the other one is still working out who is due to reconnect:
/// `kith today --json` writes them meanwhile.
///
/// Two halves on two cores, each in one read transaction of its own connection: a second
/// thread reads the open follow-ups and, in the same pass, everyone's follow-ups for health,
/// this one the contacts that may be due, who is due, and their interactions.
/// Who is due to reconnect does not depend on the follow-ups, nor the follow-ups' groups on
/// the contacts, so each half is built alone and the two put together.
pub fn agenda_with<T: Send>(
    store: &Store,
    clock: Clock,
    horizon_days: u32,
    early: impl FnOnce(&Agenda) -> T + Send,
) -> Result<(Agenda, T)> {
    let (today, horizon) = crate::agenda::today_and_horizon(clock.now, &Local, horizon_days);
    let moment = super::health::moment(clock.now);
    let since = moment.days_before(TREND_DAYS).at;
    let listed_before = crate::agenda::listed_before(clock.now, &Local, horizon_days);
    let reader = store.reader()?;
    // Who is due to reconnect is handed over once known: if this thread fails first, the
    // sender goes with it and the other one stops waiting.
    let (hand_over, handed) = std::sync::mpsc::sync_channel::<Arc<ReconnectPoints>>(1);
    let ((groups, for_health, made, theirs), (mut agenda, work, mine)) = std::thread::scope(|s| {
        let other = s.spawn(move || -> Result<_> {
            let tx = reader.unchecked_transaction()?;
            // Each page is wanted once (most of `contacts`): read, not mapped, where a
            // fault would map its neighbours too.
            let out = crate::store::without_map(&tx, || {
                let (follow_ups, extras, for_health) =
                    crate::store::agenda::load_follow_ups_and_health(&tx, since, listed_before)?;
                let groups = build_follow_ups(follow_ups, &extras, clock.now, &Local, horizon_days);
                let made = early(&groups);
                // Then a share of the people to reconnect with, beside the other thread.
                let theirs = match handed.recv() {
                    Ok(work) => work.points(&tx)?,
                    Err(_) => Vec::new(),
                };
                Ok((groups, for_health, made, theirs))
            })?;
            tx.commit()?;
            Ok(out)
        });
        // One snapshot for the thousands of reads (each person's touches by id).
        let mine = store.read(move |conn| {
            crate::store::without_map(conn, || {
                let input =
                    crate::store::agenda::load_but_follow_ups(conn, today, horizon, &Local)?;
                let agenda = build(&input, clock.now, &Local, horizon_days);
                let work = Arc::new(ReconnectPoints::new(&agenda.reconnect, moment));
                // The other thread may have failed: its error is what is reported.
                let _ = hand_over.send(Arc::clone(&work));
                let mine = work.points(conn)?;
                Ok((agenda, work, mine))
            })
        });
        // A panic there is a bug, as it would be here: passed on, as store::health does.
        let theirs = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok::<_, crate::error::Error>((theirs?, mine?))
    })?;
    let scores = work.scores(mine.into_iter().chain(theirs), &for_health);
    rank_reconnects(&mut agenda, &scores);
    agenda.overdue = groups.overdue;
    agenda.today = groups.today;
    agenda.upcoming = groups.upcoming;
    Ok((agenda, made))
}

/// The agenda `kith today` prints for a person: each group holds its first `shown` entries
/// and counts the rest ([`Agenda::unlisted`]); only those are read in full. Ranking the
/// people to reconnect with by health reads each one's whole history: up to
/// [`RANKED_UP_TO`] of them (any personal book) they are ranked as [`agenda`] ranks them;
/// beyond, the first `shown` in the agenda's own order (longest overdue first) are scored
/// and the rest left unscored ([`Agenda::reconnect_ranked`] is false).
pub fn summary(store: &Store, clock: Clock, horizon_days: u32, shown: usize) -> Result<Agenda> {
    store.read(|conn| summary_in(conn, clock, horizon_days, shown))
}

/// [`summary`] inside its read transaction.
fn summary_in(conn: &Connection, clock: Clock, horizon_days: u32, shown: usize) -> Result<Agenda> {
    let (today, horizon) = crate::agenda::today_and_horizon(clock.now, &Local, horizon_days);
    let (counts, ids) =
        crate::store::agenda::follow_up_groups(conn, clock.now, &Local, horizon_days, shown)?;
    let summary = crate::store::agenda::summary(conn, today, horizon, &Local, &ids, shown)?;
    let mut agenda = build(&summary.input, clock.now, &Local, horizon_days);
    agenda.unlisted.overdue = counts[0].saturating_sub(agenda.overdue.len());
    agenda.unlisted.today = counts[1].saturating_sub(agenda.today.len());
    agenda.unlisted.upcoming = counts[2].saturating_sub(agenda.upcoming.len());

    let total = if summary.all_due {
        agenda.reconnect.len()
    } else {
        // Those due by a tag's cadence are all there; by their own, counted.
        let by_tags = (agenda.reconnect.iter())
            .filter(|r| matches!(r.cadence_source, CadenceSource::Tag { .. }))
            .count();
        summary.due_by_own_cadence + by_tags
    };
    if summary.all_due && total <= RANKED_UP_TO {
        let scores = health_scores(conn, clock, &agenda.reconnect)?;
        rank_reconnects(&mut agenda, &scores);
    } else {
        agenda.reconnect.truncate(shown.min(RANKED_UP_TO));
        let scores = health_scores(conn, clock, &agenda.reconnect)?;
        for (r, health) in agenda.reconnect.iter_mut().zip(scores) {
            r.health = health;
        }
        agenda.reconnect_ranked = false;
    }
    agenda.unlisted.reconnect = total.saturating_sub(agenda.reconnect.len());
    Ok(agenda)
}

/// How many people to reconnect with [`summary`] still ranks by health: far more than a
/// person keeps a cadence with, and a small share of the 13,440 of the 100k test book.
pub const RANKED_UP_TO: usize = 1_000;

/// The health scores now of the people to reconnect with: each one's interactions read by
/// id (one `contact_touches` row), their follow-ups (everyone's in one pass when they are
/// many), the cadence the agenda found.
fn health_scores(
    conn: &Connection,
    clock: Clock,
    reconnect: &[Reconnect],
) -> Result<Vec<Option<u8>>> {
    if reconnect.is_empty() {
        return Ok(Vec::new());
    }
    let m = super::health::moment(clock.now);
    let since = m.days_before(TREND_DAYS).at;
    // A few people's follow-ups by their index; thousands' in one pass over all of them.
    let follow_ups = if reconnect.len() > RANKED_UP_TO {
        all_follow_ups(conn, since)?
    } else {
        let mut theirs = FollowUpsByContact::default();
        for r in reconnect {
            theirs.insert(r.contact.id, follow_ups_of(conn, r.contact.id, since)?);
        }
        theirs
    };
    let work = ReconnectPoints::new(reconnect, m);
    let points = work.points(conn)?;
    Ok(work.scores(points, &follow_ups))
}

/// The people to reconnect with, scored on as many threads as call [`Self::points`]: each
/// one's points from every factor but follow-through (their interactions, read by batches
/// of ids, [`TouchBatches`]), then [`Self::scores`] with their follow-ups, which the thread
/// reading those may still be reading meanwhile.
struct ReconnectPoints {
    batches: TouchBatches,
    /// By place in the reconnect list: their contact id, when they were added (UTC
    /// seconds) and their cadence.
    subjects: Vec<(i64, i64, (Period, CadenceSource))>,
    moment: Moment,
}

impl ReconnectPoints {
    fn new(reconnect: &[Reconnect], moment: Moment) -> ReconnectPoints {
        let subjects: Vec<_> = (reconnect.iter())
            .map(|r| {
                let cadence = (r.cadence, r.cadence_source.clone());
                (r.contact.id, r.added_at.timestamp(), cadence)
            })
            .collect();
        let people = (subjects.iter().enumerate())
            .map(|(place, (id, ..))| (*id, place))
            .collect();
        ReconnectPoints {
            batches: TouchBatches::new(people),
            subjects,
            moment,
        }
    }

    /// Batches of people taken until none is left, on `conn`: each one's place and points.
    fn points(&self, conn: &Connection) -> Result<Vec<(usize, i32)>> {
        let mut out = Vec::new();
        self.batches.work(conn, |place, touches| {
            let Some((_, added_at, cadence)) = self.subjects.get(place) else {
                return;
            };
            let subject = Subject {
                touches,
                cadence: Some(cadence),
                added_at: *added_at,
                follow_ups: &[],
            };
            let (points, ..) =
                crate::health::roll_up_parts_before_follow_ups(&subject, self.moment);
            out.push((place, points));
        })?;
        Ok(out)
    }

    /// The scores by place (None: not scored) from everyone's `points` and
    /// their follow-ups, as [`crate::health::score`] gives them.
    fn scores(
        &self,
        points: impl IntoIterator<Item = (usize, i32)>,
        follow_ups: &FollowUpsByContact,
    ) -> Vec<Option<u8>> {
        let mut by_place = vec![None; self.subjects.len()];
        for (place, points) in points {
            let theirs = (self.subjects.get(place))
                .and_then(|(id, ..)| follow_ups.get(id))
                .map_or(&[][..], Vec::as_slice);
            if let Some(slot) = by_place.get_mut(place) {
                *slot = Some(crate::health::with_follow_through(
                    points,
                    theirs,
                    self.moment,
                ));
            }
        }
        by_place
    }
}

/// Whether the agenda has anything overdue: only when the open follow-ups are due is read
/// (this runs at every shell prompt), the same ones [`agenda`] reads.
pub fn has_overdue(store: &Store, clock: Clock) -> Result<bool> {
    let (counts, _) =
        crate::store::agenda::follow_up_groups(store.conn(), clock.now, &Local, 0, 0)?;
    Ok(counts[0] > 0)
}
