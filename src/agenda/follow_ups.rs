//! The agenda's follow-ups: which group each is in (overdue, today, the coming days), in
//! what order, and the entry each makes ([`super::build`] and [`build_follow_ups`]), and
//! `kith today`'s summary of them from when each is due alone ([`first_follow_ups`]).

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};

use super::{Agenda, AgendaFollowUp, Group, is_overdue};
use crate::model::{Due, RecurFrom, Reminder, ReminderExtra};

/// [`build`]'s agenda of `follow_ups` alone (open ones, in any order; no contact, date or
/// organization): its date, now, horizon and three groups of follow-ups, each follow-up's
/// text moved into its entry rather than copied (`kith today --json` reads 15k of them at
/// 100k contacts and has no other use for them).
pub fn build_follow_ups<Tz: TimeZone>(
    mut follow_ups: Vec<Reminder>,
    extras: &HashMap<i64, ReminderExtra>,
    now: DateTime<Utc>,
    tz: &Tz,
    horizon_days: u32,
) -> Agenda {
    let (today, horizon) = super::today_and_horizon(now, tz, horizon_days);
    let order = grouped(&follow_ups, now, today, horizon, tz);
    let mut counts = [0; 3];
    for &(group, ..) in &order {
        counts[group as usize] += 1;
    }
    let mut agenda = Agenda {
        date: today,
        now,
        horizon_days,
        overdue: Vec::with_capacity(counts[0]),
        today: Vec::with_capacity(counts[1]),
        upcoming: Vec::with_capacity(counts[2]),
        ..Agenda::default()
    };
    for (group, i, day) in order {
        let r = &mut follow_ups[i];
        let mut item = follow_up_item(r, extras.get(&r.id), today, day);
        item.uid = std::mem::take(&mut r.uid);
        item.text = std::mem::take(&mut r.text);
        item.contact = r.contact.take();
        item.organization = r.organization.take();
        agenda.group_mut(group).push(item);
    }
    agenda
}

/// A day from which on no follow-up is in any group, whatever its stored due text says
/// (a day, or a time with any offset): three days past the horizon, as a stored time's own
/// date, its UTC date and its day in `tz` are at most a day apart each.
pub fn listed_before<Tz: TimeZone>(now: DateTime<Utc>, tz: &Tz, horizon_days: u32) -> NaiveDate {
    let (_, horizon) = super::today_and_horizon(now, tz, horizon_days);
    horizon
        .checked_add_days(Days::new(3))
        .unwrap_or(NaiveDate::MAX)
}

impl Agenda {
    pub(super) fn group_mut(&mut self, group: Group) -> &mut Vec<AgendaFollowUp> {
        match group {
            Group::Overdue => &mut self.overdue,
            Group::Today => &mut self.today,
            Group::Upcoming => &mut self.upcoming,
        }
    }
}

/// The open ones of `follow_ups` that are in a group, in the agenda's order (by
/// [`due_key`], then id), each as its group, its place in `follow_ups` and its local day:
/// when each is due read once, not at every comparison of the sort.
pub(super) fn grouped<Tz: TimeZone>(
    follow_ups: &[Reminder],
    now: DateTime<Utc>,
    today: NaiveDate,
    horizon: NaiveDate,
    tz: &Tz,
) -> Vec<(Group, usize, NaiveDate)> {
    let mut keyed: Vec<(DueKey, i64, Group, usize)> = Vec::with_capacity(follow_ups.len());
    for (i, r) in follow_ups.iter().enumerate() {
        if r.done_at.is_some() {
            continue;
        }
        let due = r.effective_due();
        let day = due.local_day(tz);
        let Some(group) = group_of_day(due, day, now, today, horizon) else {
            continue;
        };
        let key = match due {
            Due::Day(d) => (d, None),
            Due::At(t) => (day, Some(t)),
        };
        keyed.push((key, r.id, group, i));
    }
    // Ids are unique: the order is total, and an unstable sort gives the stable one's.
    keyed.sort_unstable_by_key(|&(key, id, ..)| (key, id));
    keyed
        .into_iter()
        .map(|((day, _), _, group, i)| (group, i, day))
        .collect()
}

/// The group a follow-up due `due` is listed in, if any (beyond `horizon`: none).
pub(super) fn group_of<Tz: TimeZone>(
    due: Due,
    now: DateTime<Utc>,
    today: NaiveDate,
    horizon: NaiveDate,
    tz: &Tz,
) -> Option<Group> {
    group_of_day(due, due.local_day(tz), now, today, horizon)
}

/// [`group_of`] of a follow-up due `due` on the local `day`.
fn group_of_day(
    due: Due,
    day: NaiveDate,
    now: DateTime<Utc>,
    today: NaiveDate,
    horizon: NaiveDate,
) -> Option<Group> {
    if is_overdue(due, now, today) {
        return Some(Group::Overdue);
    }
    if day == today {
        Some(Group::Today)
    } else if day <= horizon {
        Some(Group::Upcoming)
    } else {
        None
    }
}

/// The open follow-ups' groups worked out from when each is due alone (`(due, id)`, a
/// snooze applied): how many [`build`] would list in each of overdue, today and upcoming,
/// and the ids of the first `shown` of each, in its order. `kith today` reads only those.
pub fn first_follow_ups<Tz: TimeZone>(
    dues: &[(Due, i64)],
    now: DateTime<Utc>,
    tz: &Tz,
    horizon_days: u32,
    shown: usize,
) -> ([usize; 3], Vec<i64>) {
    let today = now.with_timezone(tz).date_naive();
    let horizon = today
        .checked_add_days(Days::new(u64::from(horizon_days)))
        .unwrap_or(NaiveDate::MAX);
    let mut groups: [Vec<(DueKey, i64)>; 3] = Default::default();
    for &(due, id) in dues {
        let i = match group_of(due, now, today, horizon, tz) {
            Some(Group::Overdue) => 0,
            Some(Group::Today) => 1,
            Some(Group::Upcoming) => 2,
            None => continue,
        };
        groups[i].push((due_key(due, tz), id));
    }
    let counts = groups.each_ref().map(Vec::len);
    let mut ids = Vec::new();
    for mut group in groups {
        if group.len() > shown {
            group.select_nth_unstable(shown);
            group.truncate(shown);
        }
        group.sort_unstable();
        ids.extend(group.into_iter().map(|(_, id)| id));
    }
    (counts, ids)
}

/// Where a follow-up sorts: its local day, all-day ones first, then timed ones by time.
type DueKey = (NaiveDate, Option<DateTime<Utc>>);

/// All-day items first within a day, then timed ones by time.
pub(super) fn due_key<Tz: TimeZone>(due: Due, tz: &Tz) -> DueKey {
    match due {
        Due::Day(d) => (d, None),
        Due::At(t) => (due.local_day(tz), Some(t)),
    }
}

/// The entry of `r`, due on the local `day`, but for its texts and whom it is about (left
/// empty: the caller copies or moves them).
pub(super) fn follow_up_item(
    r: &Reminder,
    extra: Option<&ReminderExtra>,
    today: NaiveDate,
    day: NaiveDate,
) -> AgendaFollowUp {
    let due = r.effective_due();
    AgendaFollowUp {
        id: r.id,
        uid: String::new(),
        text: String::new(),
        due,
        day,
        all_day: matches!(due, Due::Day(_)),
        days: crate::dates::days_between(today, day),
        snoozed: r.snoozed_until.is_some(),
        every: r.recurrence,
        recur_from: r
            .recurrence
            .map(|_| extra.map_or(RecurFrom::Due, |e| e.recur_from)),
        contact: None,
        organization: None,
        interaction_id: extra.and_then(|e| e.interaction_id),
    }
}
