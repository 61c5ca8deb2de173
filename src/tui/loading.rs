//! Loading a large address book without making anyone wait: the first screen is read before
//! the first frame, the whole contact list (and the agenda, which reads every contact, and
//! the brief typing paused for) on a thread with its own connection, taken in by the event
//! loop as it arrives. Address books up to [`SYNC_LIMIT`] contacts load at once.

use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use super::app::{App, View};
use super::data::{self, ContactRow, HealthMark};
use super::filter::{FuzzyFilter, PAGE};
use crate::app::views::agenda::{DEFAULT_HORIZON_DAYS, mark_namesakes};
use crate::store::Store;

/// Up to this many contacts load before the first frame; above it, the first [`FIRST_PAGE`]
/// do and the whole list follows from a thread (a large address book opens at once).
pub const SYNC_LIMIT: usize = 5_000;
/// How many contacts the first screen reads on a large address book (a few pages at 200x50).
pub const FIRST_PAGE: usize = 200;
/// How long the filter scans before the screen shows what it found so far and keys are read
/// again: well within a frame, so typing never waits for a scan.
const FILTER_SLICE: std::time::Duration = std::time::Duration::from_millis(8);
/// How long typing must pause before the selected contact's details follow a filter's
/// answer (see [`App::detail_waits`]): the next key of a word is likely on its way.
pub const DETAIL_AFTER: Duration = Duration::from_millis(150);
/// How long moves must pause before the details follow, when briefs are slow: longer than
/// a held key's repeat (~30 ms), so holding `j` computes no brief on the way.
pub const DETAIL_AFTER_MOVE: Duration = Duration::from_millis(40);
/// A brief that takes longer than this makes moves leave briefs to a thread (see
/// [`App::slow_briefs`]): a keystroke's budget.
pub const BRIEF_BUDGET: Duration = Duration::from_millis(16);

/// A contact's brief asked of the [`BriefWorker`], and for whom (see
/// [`App::start_waiting_detail`]).
#[derive(Debug)]
pub struct BriefLoading {
    id: i64,
}

/// The thread that works out briefs on a large book, with its own connection kept open from
/// one brief to the next (its page cache stays warm: a brief at 1M reads hundreds of pages,
/// many of them the same company's), answering only the latest of the requests waiting.
#[derive(Debug)]
pub struct BriefWorker {
    requests: mpsc::Sender<(i64, crate::clock::Clock)>,
    /// Each brief, for whom, and how long it took to work out.
    answers: Receiver<(i64, crate::Result<Brief>, Duration)>,
}

impl BriefWorker {
    fn start(path: std::path::PathBuf) -> BriefWorker {
        let (requests, inbox) = mpsc::channel::<(i64, crate::clock::Clock)>();
        let (outbox, answers) = mpsc::channel();
        std::thread::spawn(move || {
            give_way();
            let mut own: Option<Store> = None;
            while let Ok(mut request) = inbox.recv() {
                // The selection has moved past the older requests: only the latest counts.
                while let Ok(newer) = inbox.try_recv() {
                    request = newer;
                }
                let (id, clock) = request;
                let started = Instant::now();
                let store = match own.take() {
                    Some(store) => Ok(store),
                    None => Store::open(&path, crate::store::OpenMode::MustExist),
                };
                let brief = match store {
                    Ok(store) => {
                        let brief = super::effects::brief_of(&store, id, clock);
                        own = Some(store);
                        brief
                    }
                    Err(e) => Err(e),
                };
                // The app has quit or dropped this worker: nobody to tell.
                if outbox.send((id, brief, started.elapsed())).is_err() {
                    return;
                }
            }
        });
        BriefWorker { requests, answers }
    }
}

/// A brief and, for someone never met, the best way to be introduced.
type Brief = (
    crate::app::views::ContactBrief,
    Option<crate::app::views::who_knows::PathView>,
);

/// What the loading thread sends, in this order.
#[derive(Debug)]
enum Loaded {
    /// Counted first (quick): how many contacts are coming.
    Counted(usize),
    /// Then every contact, and when the open follow-ups of active ones are due.
    Rows(Vec<ContactRow>, Vec<crate::model::Due>),
    /// Then everyone's health (it reads every interaction: the list does not wait for it).
    Health(HashMap<i64, HealthMark>),
    Failed(crate::error::Error),
}

/// The whole contact list, being read on a thread with its own connection.
#[derive(Debug)]
pub struct Loading {
    /// How many contacts are coming, once counted.
    pub total: Option<usize>,
    /// Whether the list holds only the first page meanwhile (at start), rather than the
    /// previous whole list (a reload).
    pub partial: bool,
    /// A contact to select once the list is in (one just added).
    pub(super) select: Option<i64>,
    /// What a filter typed meanwhile matches, found in the stored search chunks.
    pub(super) early: Option<EarlyMatches>,
    rx: Receiver<Loaded>,
}

/// The filter bar's answer while only the first page is in: the best [`PAGE`] matches of
/// its query, found the `kith find` way (the in-memory filter needs the whole list).
#[derive(Debug, Default)]
pub struct EarlyMatches {
    query: String,
    rows: Vec<ContactRow>,
    /// `0..rows.len()`: the rows shown, as indexes (what [`App::shown`] hands out).
    order: Vec<u32>,
    positions: Vec<Vec<usize>>,
    /// How many contacts match in all.
    pub total: usize,
}

impl EarlyMatches {
    pub fn shown(&self) -> &[u32] {
        &self.order
    }

    pub fn row(&self, i: usize) -> Option<&ContactRow> {
        self.rows.get(i)
    }

    pub fn positions(&self, n: usize) -> &[usize] {
        self.positions.get(n).map_or(&[], Vec::as_slice)
    }
}

impl App {
    /// Load the contact list: all of it now when small, else on a thread with its own
    /// connection (after reading the first page, when `first` and nothing is shown yet).
    /// Deciding looks past the first [`SYNC_LIMIT`] rows of any kind; the exact count of
    /// active contacts (a full scan) is the thread's first answer.
    pub(super) fn load_contacts(&mut self, store: &Store, first: bool) -> crate::Result<()> {
        let conn = store.conn();
        self.large = crate::store::contact_list::more_than(conn, self.sync_limit)?;
        if !self.large {
            self.loading = None;
            let rows = data::all_contacts(conn)?;
            let dues = crate::store::reminders::open_dues(conn)?;
            self.data.set_follow_up_dues(data::active_dues(dues, &rows));
            self.data.health = data::health_marks(store, self.clock)?;
            self.install_contacts(rows, None);
            return Ok(());
        }
        if first {
            self.data.contacts = data::first_contacts(conn, self.sync_limit.min(FIRST_PAGE))?;
            self.filter = FuzzyFilter::new(&self.data.contacts);
        }
        let (tx, rx) = mpsc::channel();
        let path = store.path().to_path_buf();
        let clock = self.clock;
        std::thread::spawn(move || {
            give_way();
            // Sends fail only when the app moved on (quit, or a newer load): nobody to tell.
            let loaded = (|| -> crate::Result<()> {
                let own = Store::open(&path, crate::store::OpenMode::MustExist)?;
                let total = crate::store::contact_list::count_active(own.conn())?;
                let _ = tx.send(Loaded::Counted(total));
                let rows = data::all_contacts(own.conn())?;
                let dues = crate::store::reminders::open_dues(own.conn())?;
                let dues = data::active_dues(dues, &rows);
                let _ = tx.send(Loaded::Rows(rows, dues));
                let _ = tx.send(Loaded::Health(data::health_marks(&own, clock)?));
                Ok(())
            })();
            if let Err(e) = loaded {
                let _ = tx.send(Loaded::Failed(e));
            }
        });
        // A reload while the first load runs still shows only the first page.
        let previous = self.loading.take();
        self.loading = Some(Loading {
            total: previous.as_ref().and_then(|l| l.total),
            partial: first || previous.as_ref().is_some_and(|l| l.partial),
            select: previous.as_ref().and_then(|l| l.select),
            early: previous.and_then(|l| l.early),
            rx,
        });
        Ok(())
    }

    /// Bring the screen up to what was typed, once the keys pending are handled (the event
    /// loop calls it before drawing): while the whole list loads, a typed filter is answered
    /// from the stored search chunks, a pass over them as `kith find` makes, once for all
    /// the keys that came together rather than once a key.
    pub fn catch_up(&mut self, store: &Store) {
        if let Err(e) = self.filter_early(store) {
            self.complain(crate::output::sanitize_line(&e.to_string()).into_owned());
        }
        self.filter_slice();
    }

    /// Carry the filter's scan on for one slice (see `tui::filter`), then show what it
    /// found so far; the selected contact's details follow when it is done.
    fn filter_slice(&mut self) {
        if !self.filter.busy() {
            return;
        }
        let deadline = Instant::now() + FILTER_SLICE;
        if self.filter.work(&self.data.contacts, Some(deadline)) {
            self.clamp_cursors();
            self.keep_visible();
            // The details of the contact at the top follow once the scan is done and the
            // list is drawn, not at every slice: on a large book a brief can cost more than
            // the scan.
            if !self.filter.busy() {
                self.detail_waits_for(DETAIL_AFTER);
            }
        }
    }

    /// Do at once what the event loop does after a key until it would sleep: the filter's
    /// scan to its end, and the details it left waiting (tests and benches drive the app
    /// without the loop; [`Self::catch_up`], before drawing, is theirs to call).
    pub fn idle(&mut self, store: &Store) {
        if self.filter.busy() {
            self.filter.settle(&self.data.contacts);
            self.clamp_cursors();
            self.keep_visible();
            self.detail_waits_for(DETAIL_AFTER);
        }
        self.load_waiting_detail(store);
    }

    /// Load the details a filter's scan left waiting (tests and benches: at once); true when
    /// it did.
    pub fn load_waiting_detail(&mut self, store: &Store) -> bool {
        if !std::mem::take(&mut self.detail_waits) {
            return false;
        }
        self.load_detail(store);
        true
    }

    /// The event loop's [`Self::load_waiting_detail`] (after drawing, when no key is
    /// pending): on a large book a contact's brief is worked out on a thread with its own
    /// connection and shown when it arrives ([`Self::poll_loading`]), so a key typed
    /// meanwhile is answered at once (at 1M a brief takes 50-400 ms, its company's context
    /// read from all over the file). True when it started or loaded something.
    pub fn start_waiting_detail(&mut self, store: &Store) -> bool {
        let selected = match self.view {
            View::Contacts | View::Agenda if self.large && self.detail_waits => {
                self.selected_contact()
            }
            _ => return self.load_waiting_detail(store),
        };
        let Some((id, _)) = selected else {
            return self.load_waiting_detail(store);
        };
        self.detail_waits = false;
        self.detail_quiet = DETAIL_AFTER;
        if self.brief_loading.as_ref().is_some_and(|b| b.id == id) {
            return false;
        }
        let asked = self
            .brief_worker
            .as_ref()
            .is_some_and(|w| w.requests.send((id, self.clock)).is_ok());
        if !asked {
            // None yet, or it stopped (a panic): a new one.
            let worker = BriefWorker::start(store.path().to_path_buf());
            // Its receiving end is alive until it has answered.
            let _ = worker.requests.send((id, self.clock));
            self.brief_worker = Some(worker);
        }
        self.brief_loading = Some(BriefLoading { id });
        true
    }

    /// Show the brief from its thread if it is done and its contact is still the one
    /// selected (else it is dropped); true when the screen changed.
    fn poll_brief(&mut self) -> bool {
        let (Some(loading), Some(worker)) = (&self.brief_loading, &self.brief_worker) else {
            return false;
        };
        let id = loading.id;
        // Answers to earlier requests (a brief since loaded here and now) are passed over.
        let result = loop {
            match worker.answers.try_recv() {
                Ok((answered, result, took)) => {
                    self.slow_briefs = slow_after(self.slow_briefs, took);
                    if answered == id {
                        break result;
                    }
                }
                Err(TryRecvError::Empty) => return false,
                Err(TryRecvError::Disconnected) => {
                    self.brief_worker = None;
                    break Err(stopped());
                }
            }
        };
        self.brief_loading = None;
        if self.selected_contact().map(|(selected, _)| selected) != Some(id) {
            return false;
        }
        match result {
            Ok((brief, introduction)) => self.set_brief(Some(brief), introduction),
            Err(e) => self.complain(crate::output::sanitize_line(&e.to_string()).into_owned()),
        }
        true
    }

    /// The selected contact's details are to load once keys have paused for `quiet`.
    pub(super) fn detail_waits_for(&mut self, quiet: Duration) {
        self.detail_waits = true;
        self.detail_quiet = quiet;
    }

    /// Whether a brief is being worked out on a thread (the event loop then looks for it
    /// as often as for a loading list).
    pub fn brief_pending(&self) -> bool {
        self.brief_loading.is_some()
    }

    /// Whether the filter is still scanning: the event loop then keeps calling
    /// [`Self::catch_up`] between keys instead of sleeping.
    pub fn filter_busy(&self) -> bool {
        self.filter.busy()
    }

    /// Whether the filter is scanning now (rather than waiting for its index).
    pub fn filter_scanning(&self) -> bool {
        self.filter.scanning()
    }

    /// How far the filter's scan under way has got, in percent.
    pub fn filter_progress(&self) -> Option<u8> {
        if self.filter_waits() {
            return None;
        }
        self.filter.progress().map(|p| (p * 100.0) as u8)
    }

    /// Whether [`Self::catch_up`] will search the stored chunks for the filter typed (the
    /// whole list not yet in).
    pub fn early_answer_due(&self) -> bool {
        self.filter_waits() && self.early_matches().is_none()
    }

    fn filter_early(&mut self, store: &Store) -> crate::Result<()> {
        if !self.early_answer_due() {
            return Ok(());
        }
        let query = self.filter_text.clone();
        let (found, total) = data::stored_matches(store.conn(), &query, PAGE)?;
        let (rows, positions): (Vec<_>, Vec<_>) = found.into_iter().unzip();
        let early = EarlyMatches {
            query,
            order: (0..rows.len() as u32).collect(),
            rows,
            positions,
            total,
        };
        if let Some(loading) = &mut self.loading {
            loading.early = Some(early);
        }
        self.clamp_cursors();
        self.keep_visible();
        // The rows first: the details of the one at the top follow once typing pauses.
        self.brief = None;
        self.detail_waits_for(DETAIL_AFTER);
        Ok(())
    }

    /// The early answer to the filter typed, while the whole list loads (see
    /// [`Self::filter_early`]).
    pub fn early_matches(&self) -> Option<&EarlyMatches> {
        let early = self.loading.as_ref()?.early.as_ref()?;
        (self.filter_waits() && early.query == self.filter_text).then_some(early)
    }

    /// The agenda: computed now on a small address book, else on a thread with its own
    /// connection (it reads every contact), the previous one shown meanwhile.
    pub(super) fn load_agenda(&mut self, store: &Store) -> crate::Result<()> {
        if !crate::store::contact_list::more_than(store.conn(), self.sync_limit)? {
            self.agenda_loading = None;
            self.agenda = agenda(store, self.clock)?;
            return Ok(());
        }
        let (tx, rx) = mpsc::channel();
        let path = store.path().to_path_buf();
        let clock = self.clock;
        std::thread::spawn(move || {
            let agenda = Store::open(&path, crate::store::OpenMode::MustExist)
                .and_then(|own| agenda(&own, clock));
            let _ = tx.send(agenda);
        });
        self.agenda_loading = Some(rx);
        Ok(())
    }

    /// Take the agenda from its thread if it is done; true when the screen changed.
    fn poll_agenda(&mut self, store: &Store, wait: bool) -> bool {
        let Some(rx) = &self.agenda_loading else {
            return false;
        };
        let result = if wait {
            rx.recv().unwrap_or_else(|_| Err(stopped()))
        } else {
            match rx.try_recv() {
                Ok(result) => result,
                Err(TryRecvError::Empty) => return false,
                Err(TryRecvError::Disconnected) => Err(stopped()),
            }
        };
        self.agenda_loading = None;
        match result {
            Ok(items) => {
                self.agenda = items;
                self.clamp_cursors();
                if self.view == View::Agenda {
                    self.load_detail(store);
                }
            }
            Err(e) => self.complain(crate::output::sanitize_line(&e.to_string()).into_owned()),
        }
        true
    }

    /// Take what the loading threads have sent; true when the screen changed.
    pub fn poll_loading(&mut self, store: &Store) -> bool {
        let mut changed = self.poll_agenda(store, false) | self.poll_brief();
        while let Some(loading) = &self.loading {
            match loading.rx.try_recv() {
                Ok(loaded) => {
                    self.take_loaded(store, loaded);
                    changed = true;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.take_loaded(store, Loaded::Failed(stopped()));
                    changed = true;
                }
            }
        }
        changed
    }

    /// Wait for the whole contact list and the agenda (benches and tests; the event loop
    /// polls instead).
    pub fn wait_loaded(&mut self, store: &Store) {
        self.poll_agenda(store, true);
        while let Some(loading) = &self.loading {
            let loaded = loading
                .rx
                .recv()
                .unwrap_or_else(|_| Loaded::Failed(stopped()));
            self.take_loaded(store, loaded);
        }
    }

    fn take_loaded(&mut self, store: &Store, loaded: Loaded) {
        match loaded {
            Loaded::Counted(total) => {
                if let Some(loading) = &mut self.loading {
                    loading.total = Some(total);
                }
            }
            Loaded::Health(health) => {
                self.loading = None;
                self.data.health = health;
                if self.sort_by_health {
                    self.sort_list();
                    self.clamp_cursors();
                    self.load_detail(store);
                }
            }
            Loaded::Rows(rows, dues) => {
                // The contact selected among early matches stays selected; the health
                // follows, the list is in.
                let seen = self.contact_at(self.cursor[0]).map(|c| c.id);
                let select = self.loading.as_mut().and_then(|l| {
                    l.partial = false;
                    l.early = None;
                    l.select.take()
                });
                self.data.set_follow_up_dues(dues);
                self.install_contacts(rows, seen);
                self.clamp_cursors();
                if let Some(id) = select {
                    self.go_to_contact(id);
                }
                self.load_detail(store);
            }
            Loaded::Failed(e) => {
                self.loading = None;
                self.complain(crate::output::sanitize_line(&e.to_string()).into_owned());
            }
        }
    }

    /// Put a freshly loaded contact list in place, keeping the selected contact selected.
    /// `selected`: the contact selected before, when not the one at the cursor now.
    fn install_contacts(&mut self, rows: Vec<ContactRow>, selected: Option<i64>) {
        let selected = selected.or_else(|| self.contact_at(self.cursor[0]).map(|c| c.id));
        self.data.contacts = rows;
        self.filter.rebuild(&self.data.contacts, &self.filter_text);
        self.sort_list();
        if let Some(id) = selected
            && let Some(row) = self
                .filter
                .results()
                .iter()
                .position(|&i| self.data.contacts.get(i as usize).map(|c| c.id) == Some(id))
        {
            self.cursor[0] = row;
        }
    }
}

/// Lower the calling thread's priority (nice 10): the list's loading and a brief's give
/// way to the thread that answers keys (not the agenda's: on its view it is what one waits
/// for, and no key starts a scan there). On two cores a filter typed at launch is answered by a scan on two
/// threads (`store::search`), which the list's loading would otherwise slow by a third;
/// on an idle core the loading runs as fast as before.
fn give_way() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid has no preconditions; setpriority on this thread's own id with a larger
    // nice value needs no privilege and touches no memory of ours. A failure leaves the
    // priority as it was, which is harmless.
    unsafe {
        let thread = libc::gettid();
        let _ = libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, 10);
    }
}

fn stopped() -> crate::error::Error {
    crate::error::Error::invalid(
        "contact list",
        "",
        "its loading thread stopped; a change (or a restart) loads it again",
    )
}

/// Whether briefs are slow after one took `took`: past [`BRIEF_BUDGET`] they are, and only
/// one well within it (under three quarters) makes them quick again, so a book whose briefs
/// hover about the budget does not switch at every move. (Measured from tmux: at 1M a warm
/// brief takes 22-30 ms, at 100k 2-16 ms, the first after launch the most.)
pub(super) fn slow_after(was_slow: bool, took: Duration) -> bool {
    if took > BRIEF_BUDGET {
        true
    } else if took < BRIEF_BUDGET * 3 / 4 {
        false
    } else {
        was_slow
    }
}

/// The agenda of the interactive mode: `kith today --all`'s, namesakes marked for their #id.
fn agenda(store: &Store, clock: crate::clock::Clock) -> crate::Result<crate::agenda::Agenda> {
    let mut agenda = crate::app::views::agenda::agenda(store, clock, DEFAULT_HORIZON_DAYS)?;
    mark_namesakes(store, &mut agenda, None)?;
    Ok(agenda)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn briefs_turn_slow_past_the_budget_and_quick_again_only_well_within_it() {
        let ms = Duration::from_millis;
        assert!(slow_after(false, ms(40)));
        assert!(!slow_after(false, ms(14)), "within the budget: still quick");
        assert!(slow_after(true, ms(14)), "about the budget: still slow");
        assert!(!slow_after(true, ms(11)));
    }
}
