//! The interactive mode's state: what is shown and selected, and the questions about it
//! (which contact or follow-up an action applies to).
//!
//! [`App::update`] (in `update`) takes an event and changes the state in memory only; what
//! needs the database comes back as [`Effect`]s, which [`App::run_effects`] (in `effects`)
//! carries out through the application layer (the same operations and view builders as the
//! CLI) and feeds back into the state. Drawing (`ui`) reads the state and nothing else.

use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use ratatui::layout::Rect;

use super::data::{ContactRow, Snapshot};
use super::filter::FuzzyFilter;
use super::form::{Form, Submission};
pub use super::loading::{
    BRIEF_BUDGET, BriefLoading, BriefWorker, DETAIL_AFTER, DETAIL_AFTER_MOVE, FIRST_PAGE, Loading,
    SYNC_LIMIT,
};
use super::ui;
use crate::agenda::{Agenda, Entry};
use crate::app::follow_ups::CompletionUndo;
use crate::app::interactions::DeletedInteraction;
use crate::app::views::{ContactBrief, OrgBrief};
use crate::clock::Clock;
use crate::model::ContactFields;
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Contacts,
    Organizations,
    Agenda,
    Tags,
}

impl View {
    pub const ALL: [View; 4] = [
        View::Contacts,
        View::Organizations,
        View::Agenda,
        View::Tags,
    ];

    pub fn title(self) -> &'static str {
        match self {
            View::Contacts => "Contacts",
            View::Organizations => "Organizations",
            View::Agenda => "Agenda",
            View::Tags => "Tags",
        }
    }

    pub(super) fn index(self) -> usize {
        match self {
            View::Contacts => 0,
            View::Organizations => 1,
            View::Agenda => 2,
            View::Tags => 3,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Detail,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Browse,
    Filter,
    Help,
    Form(Box<Form>),
    ConfirmArchive {
        id: i64,
        name: String,
    },
    /// A sync conflict of contact `name`, shown to be settled.
    Conflict {
        conflict: Box<crate::store::sync::ConflictRow>,
        name: String,
    },
}

/// What `u` takes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    Archived {
        id: i64,
        name: String,
    },
    /// A contact's fields as they were before an edit.
    Edited {
        id: i64,
        before: Box<ContactFields>,
    },
    Completed {
        undo: CompletionUndo,
        text: String,
    },
    DeletedInteraction(Box<DeletedInteraction>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Input, already reduced to what the interactive mode cares about.
#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
}

/// Work for the store, returned by `update`.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Load the details of what is selected (a contact's brief, an organization, a tag).
    LoadDetail,
    /// Reload everything (after a change).
    Reload,
    /// Load the agenda (on entering the Agenda view).
    LoadAgenda,
    /// Load the organization and tag lists (on first entering their views).
    LoadLists,
    Save(Box<Submission>),
    Complete {
        reminder_id: i64,
        text: String,
    },
    Archive {
        id: i64,
        name: String,
    },
    /// `x` on a timeline row.
    DeleteInteraction {
        id: i64,
    },
    Undo(Undo),
    /// Settle a sync conflict: the server's value, or kith's.
    ResolveConflict {
        id: i64,
        take_server: bool,
    },
}

pub struct App {
    pub clock: Clock,
    pub db_path: PathBuf,
    pub demo: bool,
    pub view: View,
    pub pane: Pane,
    pub mode: Mode,
    pub data: Snapshot,
    /// The filter bar's text, as typed.
    pub filter_text: String,
    pub filter: FuzzyFilter,
    /// Selected row and first shown row, per view.
    pub cursor: [usize; 4],
    pub offset: [usize; 4],
    /// The selected contact's brief (Contacts and Agenda views; a person in the Tags view).
    pub brief: Option<ContactBrief>,
    /// Which of the brief's open follow-ups `d` and `s` act on.
    pub follow_up_cursor: usize,
    /// The brief's timeline row selected below the follow-ups (`e` edits that interaction,
    /// `x` deletes it, Enter shows its body); `None` while the follow-ups have the selection.
    pub timeline_cursor: Option<usize>,
    /// The interaction whose body the brief shows under its row.
    pub expanded: Option<i64>,
    pub detail_scroll: u16,
    pub org_brief: Option<OrgBrief>,
    /// For a brief of someone never met: the best way to be introduced.
    pub introduction: Option<crate::app::views::who_knows::PathView>,
    /// Which of the organization's people Enter opens (its details focused).
    pub person_cursor: usize,
    /// What `kith today` shows (the same view model), one row per entry.
    pub agenda: Agenda,
    pub tag_people: Vec<ContactRow>,
    pub tag_cursor: usize,
    pub status: Option<Status>,
    pub help_scroll: u16,
    pub undo: Vec<Undo>,
    pub size: Rect,
    pub quit: bool,
    /// Whether the organization and tag lists are loaded (on first visit to their views).
    pub lists_loaded: bool,
    /// The contact list still loading in the background, if it is.
    pub loading: Option<Loading>,
    /// Up to how many contacts load synchronously ([`SYNC_LIMIT`]; tests lower it).
    pub sync_limit: usize,
    /// The agenda being computed on a thread (a large address book: it reads every contact).
    pub agenda_loading: Option<Receiver<crate::Result<Agenda>>>,
    /// Whether the Contacts list is sorted by health (`o`) rather than by name.
    pub sort_by_health: bool,
    /// Whether the selected contact's details wait to be loaded after a filter's scan: the
    /// list is drawn first (on a large book a brief can take longer than the scan).
    pub detail_waits: bool,
    /// Whether the book is large (more than `sync_limit` contacts): its list loads on a
    /// thread, and the details typing paused for are worked out on one too.
    pub large: bool,
    /// The selected contact's details being worked out on a thread (a large book).
    pub brief_loading: Option<super::loading::BriefLoading>,
    /// The thread that works out briefs on a large book, once one was wanted.
    pub brief_worker: Option<BriefWorker>,
    /// How long keys must pause before the waiting details load ([`DETAIL_AFTER`] after a
    /// filter's answer, [`DETAIL_AFTER_MOVE`] after a move).
    pub detail_quiet: std::time::Duration,
    /// Whether the last brief took longer than a keystroke may ([`BRIEF_BUDGET`]): on a
    /// large book a move then shows the ▸ at once and leaves the brief to a thread (at 1M a
    /// brief reads its company's context from all over the file: 50-470 ms).
    pub slow_briefs: bool,
}

impl App {
    pub fn new(store: &Store, clock: Clock, demo: bool) -> crate::Result<App> {
        App::with_sync_limit(store, clock, demo, SYNC_LIMIT)
    }

    /// [`App::new`], loading up to `sync_limit` contacts before the first frame.
    pub fn with_sync_limit(
        store: &Store,
        clock: Clock,
        demo: bool,
        sync_limit: usize,
    ) -> crate::Result<App> {
        let mut app = App {
            detail_waits: false,
            large: false,
            brief_loading: None,
            brief_worker: None,
            detail_quiet: DETAIL_AFTER,
            slow_briefs: false,
            clock,
            db_path: store.path().to_path_buf(),
            demo,
            view: View::Contacts,
            pane: Pane::List,
            mode: Mode::Browse,
            data: Snapshot::default(),
            filter_text: String::new(),
            filter: FuzzyFilter::default(),
            cursor: [0; 4],
            offset: [0; 4],
            brief: None,
            follow_up_cursor: 0,
            timeline_cursor: None,
            expanded: None,
            detail_scroll: 0,
            org_brief: None,
            introduction: None,
            person_cursor: 0,
            agenda: Agenda::default(),
            tag_people: Vec::new(),
            tag_cursor: 0,
            status: None,
            help_scroll: 0,
            undo: Vec::new(),
            size: Rect::new(0, 0, 80, 24),
            quit: false,
            lists_loaded: false,
            loading: None,
            sync_limit,
            agenda_loading: None,
            sort_by_health: false,
        };
        app.load_contacts(store, true)?;
        app.status = Some(Status {
            text: if demo {
                "Demo: a temporary copy. ? help, / filter".into()
            } else {
                "? help, / filter, a add a contact".into()
            },
            error: false,
        });
        if app.loading.is_some() {
            // A large book: the first frame does not wait for the selected contact's brief
            // (its company's context reads every colleague's interactions); it follows.
            app.detail_waits_for(DETAIL_AFTER);
        } else {
            app.load_detail(store);
        }
        Ok(app)
    }

    /// Handle one event completely: update, then carry out its effects.
    pub fn handle(&mut self, store: &mut Store, event: Event) {
        let effects = self.update(event);
        self.run_effects(store, effects);
    }

    // ---------------------------------------------------------------------------------------
    // Selection helpers
    // ---------------------------------------------------------------------------------------

    /// The rows the Contacts list shows: the filter's results; while a typed filter waits
    /// for the whole list to load, those found in the stored search chunks (rows of
    /// [`crate::tui::loading::EarlyMatches`], not of the list), or none yet.
    pub fn shown(&self) -> &[u32] {
        if self.filter_waits() {
            self.early_matches().map_or(&[], |e| e.shown())
        } else {
            self.filter.results()
        }
    }

    /// The highlighted characters of the `n`th row shown.
    pub fn shown_positions(&self, n: usize) -> &[usize] {
        if self.filter_waits() {
            self.early_matches().map_or(&[], |e| e.positions(n))
        } else {
            self.filter.positions(n)
        }
    }

    /// How many contacts the typed filter matches; unknown while it waits.
    pub fn match_total(&self) -> Option<usize> {
        if self.filter_waits() {
            self.early_matches().map(|e| e.total)
        } else {
            Some(self.filter.total())
        }
    }

    /// Whether a typed filter waits for the whole contact list (only its first page is in).
    pub fn filter_waits(&self) -> bool {
        self.loading.as_ref().is_some_and(|l| l.partial) && !self.filter_text.trim().is_empty()
    }

    /// How many active contacts there are; unknown for the moment a large address book takes
    /// to count (the first frame does not wait for it).
    pub fn contact_total(&self) -> Option<usize> {
        match &self.loading {
            Some(l) if l.partial => l.total,
            _ => Some(self.data.contacts.len()),
        }
    }

    /// How many rows the current view's list has.
    pub fn row_count(&self) -> usize {
        match self.view {
            View::Contacts => self.shown().len(),
            View::Organizations => self.data.organizations.len(),
            View::Agenda => self.agenda.len(),
            View::Tags => self.data.tags.len(),
        }
    }

    pub(super) fn cur(&self) -> usize {
        self.cursor[self.view.index()]
    }

    /// The contact the list shows at row `row` of the Contacts view.
    pub fn contact_at(&self, row: usize) -> Option<&ContactRow> {
        let i = *self.shown().get(row)?;
        if self.filter_waits() {
            return self.early_matches()?.row(i as usize);
        }
        self.data.contacts.get(i as usize)
    }

    /// The contact actions apply to in this view, with their name.
    pub fn selected_contact(&self) -> Option<(i64, String)> {
        match self.view {
            View::Contacts => self.contact_at(self.cur()).map(|c| (c.id, c.name.clone())),
            View::Agenda => {
                let entry = self.agenda.entry(self.cur())?;
                let contact = entry.contact()?;
                Some((contact.id, contact.name.clone()))
            }
            View::Tags if self.pane == Pane::Detail => self
                .tag_people
                .get(self.tag_cursor)
                .map(|c| (c.id, c.name.clone())),
            _ => None,
        }
    }

    /// The person of the selected organization Enter opens (the details focused).
    pub fn selected_person(&self) -> Option<i64> {
        let people = &self.org_brief.as_ref()?.people;
        people
            .get(self.person_cursor)
            .or_else(|| people.first())
            .map(|c| c.id)
    }

    /// The follow-up `d` and `s` act on.
    pub fn selected_follow_up(&self) -> Option<(i64, String)> {
        match self.view {
            // On the agenda the line is the follow-up, unless the brief has the focus.
            View::Agenda if self.pane == Pane::List => match self.agenda.entry(self.cur())? {
                Entry::FollowUp(_, f) => Some((f.id, f.text.clone())),
                Entry::Reconnect(_) | Entry::OrgReconnect(_) | Entry::Date(_) => None,
            },
            View::Organizations => None,
            _ if self.selected_interaction().is_some() => None,
            _ => {
                let brief = self.brief.as_ref()?;
                let r = brief
                    .follow_ups
                    .get(self.follow_up_cursor)
                    .or_else(|| brief.follow_ups.first())?;
                Some((r.id, r.text.clone()))
            }
        }
    }

    /// The interaction of the brief's timeline row selected in the focused brief.
    pub fn selected_interaction(&self) -> Option<&crate::model::Interaction> {
        let on_brief = self.pane == Pane::Detail
            && matches!(self.view, View::Contacts | View::Agenda)
            && self.mode != Mode::Filter;
        if !on_brief {
            return None;
        }
        self.brief.as_ref()?.interactions.get(self.timeline_cursor?)
    }

    pub(super) fn list_height(&self) -> usize {
        // The list's rows, also while a narrow screen shows the details in its place.
        ui::layout(self.view, Pane::List, self.size)
            .list
            .height
            .max(1) as usize
    }

    pub(super) fn set_cursor(&mut self, row: usize) -> Vec<Effect> {
        if self.view == View::Contacts {
            // Rank enough matches to show the page the selection lands on.
            let wanted = row.saturating_add(self.list_height() + 1);
            self.filter.want(&self.data.contacts, wanted);
        }
        let count = self.row_count();
        let v = self.view.index();
        let row = if count == 0 { 0 } else { row.min(count - 1) };
        let changed = row != self.cursor[v];
        self.cursor[v] = row;
        self.keep_visible();
        if changed {
            self.follow_up_cursor = 0;
            self.person_cursor = 0;
            self.timeline_cursor = None;
            self.expanded = None;
            self.detail_scroll = 0;
            vec![Effect::LoadDetail]
        } else {
            Vec::new()
        }
    }

    pub(super) fn keep_visible(&mut self) {
        let v = self.view.index();
        let height = self.list_height();
        let count = self.row_count();
        let cursor = self.cursor[v];
        let offset = &mut self.offset[v];
        if cursor < *offset {
            *offset = cursor;
        } else if cursor >= *offset + height {
            *offset = cursor + 1 - height;
        }
        *offset = (*offset).min(count.saturating_sub(height));
    }

    pub(super) fn move_by(&mut self, delta: isize) -> Vec<Effect> {
        let row = self.cur().saturating_add_signed(delta);
        self.set_cursor(row)
    }

    pub(super) fn set_filter(&mut self, text: String) -> Vec<Effect> {
        // Clearing the filter keeps the selected contact selected; typing starts at the best.
        let keep = if text.is_empty() {
            self.contact_at(self.cursor[0]).map(|c| c.id)
        } else {
            None
        };
        self.filter_text = text;
        self.filter
            .set_query(&self.data.contacts, &self.filter_text);
        let v = View::Contacts.index();
        self.offset[v] = 0;
        self.cursor[v] = keep
            .and_then(|id| {
                self.filter
                    .results()
                    .iter()
                    .position(|&i| self.data.contacts.get(i as usize).map(|c| c.id) == Some(id))
            })
            .unwrap_or(0);
        if self.view == View::Contacts {
            self.keep_visible();
        }
        self.follow_up_cursor = 0;
        self.timeline_cursor = None;
        self.expanded = None;
        self.detail_scroll = 0;
        vec![Effect::LoadDetail]
    }

    /// Order the Contacts list as chosen: by health when asked (and known), else the
    /// filter's own order.
    pub(super) fn sort_list(&mut self) {
        let scores = (self.sort_by_health && !self.data.health.is_empty()).then(|| {
            self.data
                .contacts
                .iter()
                .map(|c| self.data.health.get(&c.id).map_or(0, |h| h.score))
                .collect()
        });
        self.filter.sort_by_health(&self.data.contacts, scores);
    }

    pub(super) fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub(super) fn complain(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    pub(super) fn switch_view(&mut self, view: View) -> Vec<Effect> {
        if self.view == view {
            return Vec::new();
        }
        self.view = view;
        self.pane = Pane::List;
        self.detail_scroll = 0;
        self.follow_up_cursor = 0;
        self.timeline_cursor = None;
        self.expanded = None;
        self.keep_visible();
        match view {
            View::Agenda => vec![Effect::LoadAgenda, Effect::LoadDetail],
            View::Organizations | View::Tags if !self.lists_loaded => {
                vec![Effect::LoadLists, Effect::LoadDetail]
            }
            _ => vec![Effect::LoadDetail],
        }
    }
}
