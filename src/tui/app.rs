//! The interactive mode's state and how events change it.
//!
//! [`App::update`] takes an event and changes the state in memory only; what needs the
//! database comes back as [`Effect`]s, which [`App::run_effects`] carries out with the store
//! (the same changes as the CLI, through [`crate::app`]) and feeds back into the state. Drawing
//! (`ui`) reads the state and nothing else.

use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use super::data::{self, AgendaItem, ContactRow, Snapshot};
use super::filter::FuzzyFilter;
use super::form::{Form, Submission};
use super::keys::{self, Action, Scope};
pub use super::loading::{FIRST_PAGE, Loading, SYNC_LIMIT};
use super::ui;
use crate::app::follow_ups::{self, CompleteFollowUp, CompletionUndo};
use crate::app::{contacts, interactions};
use crate::clock::Clock;
use crate::model::{Completion, Reminder};
use crate::output::brief::{ContactBrief, OrgBrief};
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

    fn index(self) -> usize {
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
    ConfirmArchive { id: i64, name: String },
}

/// What `u` takes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    Archived { id: i64, name: String },
    Completed { undo: CompletionUndo, text: String },
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
    Undo(Undo),
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
    pub detail_scroll: u16,
    pub org_brief: Option<OrgBrief>,
    pub agenda: Vec<AgendaItem>,
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
    pub agenda_loading: Option<Receiver<crate::Result<Vec<AgendaItem>>>>,
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
            detail_scroll: 0,
            org_brief: None,
            agenda: Vec::new(),
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
        app.load_detail(store);
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

    /// The rows the Contacts list shows: the filter's results, or none while a typed filter
    /// waits for the whole list to load.
    pub fn shown(&self) -> &[u32] {
        if self.filter_waits() {
            &[]
        } else {
            self.filter.results()
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

    fn cur(&self) -> usize {
        self.cursor[self.view.index()]
    }

    /// The contact the list shows at row `row` of the Contacts view.
    pub fn contact_at(&self, row: usize) -> Option<&ContactRow> {
        let i = *self.shown().get(row)?;
        self.data.contacts.get(i as usize)
    }

    /// The contact actions apply to in this view, with their name.
    pub fn selected_contact(&self) -> Option<(i64, String)> {
        match self.view {
            View::Contacts => self.contact_at(self.cur()).map(|c| (c.id, c.name.clone())),
            View::Agenda => {
                let item = self.agenda.get(self.cur())?;
                Some((item.contact_id?, item.who.clone()))
            }
            View::Tags if self.pane == Pane::Detail => self
                .tag_people
                .get(self.tag_cursor)
                .map(|c| (c.id, c.name.clone())),
            _ => None,
        }
    }

    /// The follow-up `d` and `s` act on.
    pub fn selected_follow_up(&self) -> Option<(i64, String)> {
        match self.view {
            // On the agenda the line is the follow-up, unless the brief has the focus.
            View::Agenda if self.pane == Pane::List => {
                let item = self.agenda.get(self.cur())?;
                Some((item.reminder_id?, item.text.clone()))
            }
            View::Organizations => None,
            _ => {
                let brief = self.brief.as_ref()?;
                let r: &Reminder = brief
                    .follow_ups
                    .get(self.follow_up_cursor)
                    .or_else(|| brief.follow_ups.first())?;
                Some((r.id, r.text.clone()))
            }
        }
    }

    fn list_height(&self) -> usize {
        ui::layout(self.view, self.size).list.height.max(1) as usize
    }

    fn set_cursor(&mut self, row: usize) -> Vec<Effect> {
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
            self.detail_scroll = 0;
            vec![Effect::LoadDetail]
        } else {
            Vec::new()
        }
    }

    fn keep_visible(&mut self) {
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

    fn move_by(&mut self, delta: isize) -> Vec<Effect> {
        let row = self.cur().saturating_add_signed(delta);
        self.set_cursor(row)
    }

    fn set_filter(&mut self, text: String) -> Vec<Effect> {
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
        self.detail_scroll = 0;
        vec![Effect::LoadDetail]
    }

    fn say(&mut self, text: impl Into<String>) {
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

    fn switch_view(&mut self, view: View) -> Vec<Effect> {
        if self.view == view {
            return Vec::new();
        }
        self.view = view;
        self.pane = Pane::List;
        self.detail_scroll = 0;
        self.follow_up_cursor = 0;
        self.keep_visible();
        match view {
            View::Agenda => vec![Effect::LoadAgenda, Effect::LoadDetail],
            View::Organizations | View::Tags if !self.lists_loaded => {
                vec![Effect::LoadLists, Effect::LoadDetail]
            }
            _ => vec![Effect::LoadDetail],
        }
    }

    // ---------------------------------------------------------------------------------------
    // update: event in, state out (plus effects)
    // ---------------------------------------------------------------------------------------

    pub fn update(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Resize(w, h) => {
                self.size = Rect::new(0, 0, w, h);
                self.keep_visible();
                Vec::new()
            }
            Event::Mouse(m) => self.on_mouse(m),
            Event::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
            // Esc followed quickly by a key reaches us as Alt+key (a terminal cannot tell
            // them apart); no binding uses Alt, so read it as the two keys it was.
            Event::Key(key)
                if key.modifiers.contains(KeyModifiers::ALT)
                    && matches!(key.code, KeyCode::Char(_)) =>
            {
                let mut effects =
                    self.update(Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
                let plain = KeyEvent::new(key.code, key.modifiers - KeyModifiers::ALT);
                effects.extend(self.update(Event::Key(plain)));
                effects
            }
            Event::Key(key) => match self.mode.clone() {
                Mode::Help => {
                    // j/k and the arrows scroll; any other key closes the help (q quits).
                    match keys::lookup(Scope::Browse, &key) {
                        Some(Action::Down) => self.help_scroll = self.help_scroll.saturating_add(1),
                        Some(Action::Up) => self.help_scroll = self.help_scroll.saturating_sub(1),
                        Some(Action::PageDown) => {
                            self.help_scroll = self.help_scroll.saturating_add(10)
                        }
                        Some(Action::PageUp) => {
                            self.help_scroll = self.help_scroll.saturating_sub(10)
                        }
                        other => {
                            self.mode = Mode::Browse;
                            if other == Some(Action::Quit) {
                                self.quit = true;
                            }
                        }
                    }
                    Vec::new()
                }
                Mode::Filter => self.on_filter_key(key),
                Mode::Form(form) => self.on_form_key(*form, key),
                Mode::ConfirmArchive { id, name } => match keys::lookup(Scope::Confirm, &key) {
                    Some(Action::Yes) => {
                        self.mode = Mode::Browse;
                        vec![Effect::Archive { id, name }]
                    }
                    Some(Action::No) => {
                        self.mode = Mode::Browse;
                        self.say("Kept.");
                        Vec::new()
                    }
                    _ => Vec::new(),
                },
                Mode::Browse => match keys::lookup(Scope::Browse, &key) {
                    Some(action) => self.on_action(action),
                    None => Vec::new(),
                },
            },
        }
    }

    fn on_filter_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match keys::lookup(Scope::Filter, &key) {
            Some(Action::Submit) => {
                self.mode = Mode::Browse;
                self.pane = Pane::List;
                if self.filter_waits() {
                    self.say("The filter runs once every contact is loaded.");
                } else {
                    let n = self.filter.total();
                    self.say(format!("{n} match{}", if n == 1 { "" } else { "es" }));
                }
                Vec::new()
            }
            Some(Action::Cancel) => {
                // Leave the bar; the filter and the selection stay (Esc again clears it).
                self.mode = Mode::Browse;
                self.pane = Pane::List;
                Vec::new()
            }
            Some(Action::Down) => self.move_by(1),
            Some(Action::Up) => self.move_by(-1),
            _ => {
                let mut text = self.filter_text.clone();
                match key.code {
                    KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                        text.clear()
                    }
                    KeyCode::Char('w') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                        let trimmed = text.trim_end().to_string();
                        text = trimmed
                            .rfind(' ')
                            .map_or(String::new(), |i| trimmed[..=i].to_string());
                    }
                    KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                        text.push(c)
                    }
                    KeyCode::Backspace => {
                        text.pop();
                    }
                    _ => return Vec::new(),
                }
                self.set_filter(text)
            }
        }
    }

    fn on_form_key(&mut self, mut form: Form, key: KeyEvent) -> Vec<Effect> {
        let clock = self.clock;
        // A multi-line field's own keys (Enter: a new line) come before the form's.
        let action = if form.focused().multiline {
            keys::lookup(Scope::MultiLine, &key).or_else(|| keys::lookup(Scope::Form, &key))
        } else {
            keys::lookup(Scope::Form, &key)
        };
        match action {
            Some(Action::NewLine) => {
                form.focused().insert('\n');
                form.refresh(clock);
            }
            Some(Action::Cancel) => {
                self.mode = Mode::Browse;
                self.say("Cancelled; nothing was saved.");
                return Vec::new();
            }
            Some(Action::NextField) => form.next_field(),
            Some(Action::PrevField) => form.prev_field(),
            Some(Action::Submit) => {
                if let Some(submission) = form.submit(clock) {
                    self.mode = Mode::Browse;
                    return vec![Effect::Save(Box::new(submission))];
                }
            }
            _ => {
                let field = form.focused();
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                match key.code {
                    KeyCode::Char('u') if ctrl => field.clear(),
                    KeyCode::Char('a') if ctrl => field.home(),
                    KeyCode::Char('e') if ctrl => field.end(),
                    KeyCode::Char(c) if !ctrl => field.insert(c),
                    KeyCode::Backspace => field.backspace(),
                    KeyCode::Delete => field.delete(),
                    KeyCode::Left => field.left(),
                    KeyCode::Right => field.right(),
                    KeyCode::Home => field.home(),
                    KeyCode::End => field.end(),
                    _ => {}
                }
                form.refresh(clock);
            }
        }
        self.mode = Mode::Form(Box::new(form));
        Vec::new()
    }

    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        let page = self.list_height().saturating_sub(1).max(1) as isize;
        let detail = self.pane == Pane::Detail;
        match action {
            Action::Quit => {
                self.quit = true;
                Vec::new()
            }
            Action::Help => {
                self.mode = Mode::Help;
                self.help_scroll = 0;
                Vec::new()
            }
            Action::ViewContacts => self.switch_view(View::Contacts),
            Action::ViewOrganizations => self.switch_view(View::Organizations),
            Action::ViewAgenda => self.switch_view(View::Agenda),
            Action::ViewTags => self.switch_view(View::Tags),
            Action::NextPane | Action::PrevPane => {
                self.pane = match self.pane {
                    Pane::List => Pane::Detail,
                    Pane::Detail => Pane::List,
                };
                if self.view == View::Tags {
                    return vec![Effect::LoadDetail];
                }
                Vec::new()
            }
            Action::Down | Action::Up => {
                let delta = if action == Action::Down { 1 } else { -1 };
                if detail {
                    self.move_in_detail(delta)
                } else {
                    self.move_by(delta)
                }
            }
            Action::PageDown | Action::PageUp => {
                let delta = if action == Action::PageDown {
                    page
                } else {
                    -page
                };
                if detail {
                    self.detail_scroll = self.detail_scroll.saturating_add_signed(delta as i16);
                    Vec::new()
                } else {
                    self.move_by(delta)
                }
            }
            Action::Top => {
                if detail {
                    self.detail_scroll = 0;
                    Vec::new()
                } else {
                    self.set_cursor(0)
                }
            }
            Action::Bottom => {
                if detail {
                    Vec::new()
                } else {
                    self.set_cursor(usize::MAX)
                }
            }
            Action::Filter => {
                if self.view != View::Contacts {
                    self.view = View::Contacts;
                }
                self.mode = Mode::Filter;
                self.pane = Pane::List;
                vec![Effect::LoadDetail]
            }
            Action::Open => self.open(),
            Action::Back => {
                if self.pane == Pane::Detail {
                    self.pane = Pane::List;
                    if self.view == View::Tags {
                        return vec![Effect::LoadDetail];
                    }
                    Vec::new()
                } else if !self.filter_text.is_empty() && self.view == View::Contacts {
                    self.say("Filter cleared.");
                    self.set_filter(String::new())
                } else {
                    Vec::new()
                }
            }
            Action::AddContact => {
                self.mode = Mode::Form(Box::new(Form::add_contact()));
                Vec::new()
            }
            Action::EditContact => {
                match (self.selected_contact(), &self.brief) {
                    (Some((id, _)), Some(brief)) if brief.contact.id == id => {
                        self.mode = Mode::Form(Box::new(Form::edit_contact(
                            id,
                            brief.contact.fields.clone(),
                        )));
                    }
                    _ => self.complain("Select a contact first."),
                }
                Vec::new()
            }
            Action::Log => self.with_contact(Form::log),
            Action::FollowUp => self.with_contact(Form::follow_up),
            Action::Tag => {
                let tags = self
                    .brief
                    .as_ref()
                    .map(|b| b.contact.fields.tags.clone())
                    .unwrap_or_default();
                self.with_contact(|id, name| Form::tags(id, name, &tags))
            }
            Action::Done => match self.selected_follow_up() {
                Some((reminder_id, text)) => vec![Effect::Complete { reminder_id, text }],
                None => {
                    self.complain(self.no_follow_up());
                    Vec::new()
                }
            },
            Action::Snooze => {
                match self.selected_follow_up() {
                    Some((id, text)) => self.mode = Mode::Form(Box::new(Form::snooze(id, &text))),
                    None => self.complain(self.no_follow_up()),
                }
                Vec::new()
            }
            Action::Archive => {
                match self.selected_contact() {
                    Some((id, name)) => self.mode = Mode::ConfirmArchive { id, name },
                    None => self.complain("Select a contact first."),
                }
                Vec::new()
            }
            Action::Undo => match self.undo.pop() {
                Some(u) => vec![Effect::Undo(u)],
                None => {
                    self.complain("Nothing to undo.");
                    Vec::new()
                }
            },
            _ => Vec::new(),
        }
    }

    /// Why `d` or `s` has nothing to act on here.
    fn no_follow_up(&self) -> &'static str {
        match self.view {
            View::Agenda => "This line is not a follow-up (d and s act on follow-up lines).",
            View::Organizations => "Follow-ups are done from a contact or the agenda (3).",
            _ if self.brief.is_none() => "Select a contact first.",
            _ => "No open follow-up here: f adds one.",
        }
    }

    fn with_contact(&mut self, form: impl FnOnce(i64, &str) -> Form) -> Vec<Effect> {
        match self.selected_contact() {
            Some((id, name)) => {
                let mut f = form(id, &name);
                f.refresh(self.clock);
                self.mode = Mode::Form(Box::new(f));
            }
            None => self.complain("Select a contact first."),
        }
        Vec::new()
    }

    fn move_in_detail(&mut self, delta: isize) -> Vec<Effect> {
        match self.view {
            View::Tags => {
                let n = self.tag_people.len();
                if n > 0 {
                    self.tag_cursor = self.tag_cursor.saturating_add_signed(delta).min(n - 1);
                    return vec![Effect::LoadDetail];
                }
            }
            View::Contacts | View::Agenda => {
                let n = self.brief.as_ref().map_or(0, |b| b.follow_ups.len());
                if n > 1 || (n == 1 && delta < 0) {
                    self.follow_up_cursor = self
                        .follow_up_cursor
                        .saturating_add_signed(delta)
                        .min(n - 1);
                } else {
                    self.detail_scroll = self.detail_scroll.saturating_add_signed(delta as i16);
                }
            }
            View::Organizations => {
                self.detail_scroll = self.detail_scroll.saturating_add_signed(delta as i16);
            }
        }
        Vec::new()
    }

    /// Enter: show the details, or go to the contact an agenda line or tag is about.
    fn open(&mut self) -> Vec<Effect> {
        let target = match self.view {
            View::Agenda => self.selected_contact().map(|(id, _)| id),
            View::Tags if self.pane == Pane::Detail => self.selected_contact().map(|(id, _)| id),
            _ => None,
        };
        if let Some(id) = target {
            return self.go_to_contact(id);
        }
        self.pane = Pane::Detail;
        if self.view == View::Tags {
            self.tag_cursor = 0;
            return vec![Effect::LoadDetail];
        }
        Vec::new()
    }

    /// Show contact `id` in the Contacts view (clearing a filter that hides them).
    pub(super) fn go_to_contact(&mut self, id: i64) -> Vec<Effect> {
        self.view = View::Contacts;
        self.pane = Pane::List;
        let mut position = self
            .filter
            .results()
            .iter()
            .position(|&i| self.data.contacts.get(i as usize).map(|c| c.id) == Some(id));
        if position.is_none() && !self.filter_text.is_empty() {
            self.set_filter(String::new());
            position = self
                .filter
                .results()
                .iter()
                .position(|&i| self.data.contacts.get(i as usize).map(|c| c.id) == Some(id));
        }
        let v = View::Contacts.index();
        self.cursor[v] = usize::MAX; // force a change
        self.set_cursor(position.unwrap_or(0))
    }

    fn on_mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
        if self.mode != Mode::Browse && self.mode != Mode::Filter {
            return Vec::new();
        }
        let areas = ui::layout(self.view, self.size);
        let at = Position::new(m.column, m.row);
        match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let delta: isize = if m.kind == MouseEventKind::ScrollDown {
                    3
                } else {
                    -3
                };
                if areas.detail.contains(at) {
                    if self.view == View::Tags {
                        self.pane = Pane::Detail;
                        return self.move_in_detail(delta.signum());
                    }
                    self.detail_scroll = self.detail_scroll.saturating_add_signed(delta as i16);
                    Vec::new()
                } else if areas.list.contains(at) {
                    self.move_by(delta)
                } else {
                    Vec::new()
                }
            }
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(view) = ui::tab_at(self.size, at) {
                    return self.switch_view(view);
                }
                if areas.list.contains(at) {
                    self.pane = Pane::List;
                    if self.mode == Mode::Filter {
                        self.mode = Mode::Browse;
                    }
                    let row = self.offset[self.view.index()] + (at.y - areas.list.y) as usize;
                    if row < self.row_count() {
                        return self.set_cursor(row);
                    }
                } else if areas.detail.contains(at) {
                    self.pane = Pane::Detail;
                    if self.view == View::Tags {
                        let row = (at.y.saturating_sub(areas.detail.y + 1)) as usize;
                        if row < self.tag_people.len() {
                            self.tag_cursor = row;
                        }
                        return vec![Effect::LoadDetail];
                    }
                } else if areas.filter.contains(at) {
                    self.mode = Mode::Filter;
                    self.view = View::Contacts;
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    // ---------------------------------------------------------------------------------------
    // Effects: the store, through the same operations as the CLI
    // ---------------------------------------------------------------------------------------

    pub fn run_effects(&mut self, store: &mut Store, effects: Vec<Effect>) {
        for effect in effects {
            if let Err(e) = self.run_effect(store, effect) {
                self.complain(crate::output::sanitize_line(&e.to_string()).into_owned());
            }
        }
    }

    fn run_effect(&mut self, store: &mut Store, effect: Effect) -> crate::Result<()> {
        let now = self.clock.now;
        match effect {
            Effect::LoadDetail => self.load_detail(store),
            Effect::LoadLists => {
                (self.data.organizations, self.data.tags) = data::lists(store.conn())?;
                self.lists_loaded = true;
                self.keep_visible();
            }
            Effect::LoadAgenda => {
                self.load_agenda(store)?;
                self.keep_visible();
            }
            Effect::Reload => self.reload(store)?,
            Effect::Save(submission) => {
                let message = self.save(store, *submission)?;
                self.reload(store)?;
                self.say(message);
            }
            Effect::Complete { reminder_id, text } => {
                let input = CompleteFollowUp {
                    id: reminder_id,
                    log: None,
                };
                let done = follow_ups::complete(store, self.clock, &input)?;
                self.undo.push(Undo::Completed {
                    undo: done.undo,
                    text: text.clone(),
                });
                self.reload(store)?;
                self.say(match done.completion {
                    Completion::Closed => format!("Done: {text} (#{reminder_id}). u undoes."),
                    Completion::MovedTo(next) => format!(
                        "Done: {text} (#{reminder_id}); next due {}. u undoes.",
                        next.to_db()
                    ),
                });
            }
            Effect::Archive { id, name } => {
                contacts::set_archived(store, now, id, true)?;
                self.undo.push(Undo::Archived {
                    id,
                    name: name.clone(),
                });
                self.reload(store)?;
                self.say(format!("Archived {name}. u brings them back."));
            }
            Effect::Undo(Undo::Archived { id, name }) => {
                contacts::set_archived(store, now, id, false)?;
                self.reload(store)?;
                self.say(format!("Restored {name}."));
            }
            Effect::Undo(Undo::Completed { undo, text }) => {
                follow_ups::undo_completion(store, now, &undo)?;
                self.reload(store)?;
                self.say(format!("Open again: {text}."));
            }
        }
        Ok(())
    }

    fn save(&mut self, store: &mut Store, submission: Submission) -> crate::Result<String> {
        let (clock, now) = (self.clock, self.clock.now);
        Ok(match submission {
            Submission::AddContact(fields) => {
                let name = fields.display_name.clone();
                let id = contacts::add(store, clock, fields)?;
                self.reload(store)?;
                match &mut self.loading {
                    // Not in the list shown yet: select them once the new list is in.
                    Some(loading) => loading.select = Some(id),
                    None => {
                        self.go_to_contact(id);
                    }
                }
                format!("Added {name} (#{id}).")
            }
            Submission::EditContact(input) => {
                contacts::edit(store, clock, &input)?;
                "Saved.".to_string()
            }
            Submission::Log(input) => {
                let logged = interactions::log(store, clock, &input)?;
                let (id, channel) = (logged.interaction_id, input.channel);
                match logged.follow_up_id {
                    Some(r) => format!("Logged {channel} (#{id}); follow-up #{r} added."),
                    None => format!("Logged {channel} (#{id})."),
                }
            }
            Submission::FollowUp(input) => {
                let id = follow_ups::add(store, now, &input)?;
                format!("Follow-up #{id} added, due {}.", input.due.to_db())
            }
            Submission::Snooze(input) => {
                let until = follow_ups::snooze(store, clock, &input)?;
                format!("Snoozed #{} until {}.", input.id, until.to_db())
            }
            Submission::Tags(input) => {
                let tags = contacts::change_tags(store, now, &input)?;
                if tags.is_empty() {
                    "No tags now.".to_string()
                } else {
                    format!("Tags now: {}", tags.join(" "))
                }
            }
        })
    }

    /// Reload everything from the store, keeping the selection on the same records. On a
    /// large address book the contact list reloads on a thread and the previous one stays
    /// shown until it is in.
    pub fn reload(&mut self, store: &Store) -> crate::Result<()> {
        if self.lists_loaded {
            (self.data.organizations, self.data.tags) = data::lists(store.conn())?;
        }
        self.load_contacts(store, false)?;
        if self.view == View::Agenda {
            self.load_agenda(store)?;
        }
        self.clamp_cursors();
        self.load_detail(store);
        Ok(())
    }

    pub(super) fn clamp_cursors(&mut self) {
        for view in View::ALL {
            let count = match view {
                View::Contacts => self.shown().len(),
                View::Organizations => self.data.organizations.len(),
                View::Agenda => self.agenda.len(),
                View::Tags => self.data.tags.len(),
            };
            let i = view.index();
            self.cursor[i] = self.cursor[i].min(count.saturating_sub(1));
        }
        self.keep_visible();
    }

    /// Load what the detail pane shows for the current selection.
    pub(super) fn load_detail(&mut self, store: &Store) {
        let conn = store.conn();
        let result = (|| -> crate::Result<()> {
            match self.view {
                View::Organizations => {
                    self.org_brief = match self.data.organizations.get(self.cur()) {
                        Some(o) => Some(data::org_brief(conn, o.id, self.clock)?),
                        None => None,
                    };
                }
                View::Tags => {
                    match self.data.tags.get(self.cur()) {
                        Some(t) => self.tag_people = data::tagged(conn, &t.name)?,
                        None => self.tag_people.clear(),
                    }
                    self.tag_cursor = self.tag_cursor.min(self.tag_people.len().saturating_sub(1));
                    self.load_brief(conn)?;
                }
                View::Contacts | View::Agenda => self.load_brief(conn)?,
            }
            Ok(())
        })();
        if let Err(e) = result {
            self.complain(crate::output::sanitize_line(&e.to_string()).into_owned());
        }
    }

    fn load_brief(&mut self, conn: &rusqlite::Connection) -> crate::Result<()> {
        self.brief = match self.selected_contact() {
            Some((id, _)) => Some(data::contact_brief(conn, id, self.clock)?),
            None => None,
        };
        let n = self.brief.as_ref().map_or(0, |b| b.follow_ups.len());
        self.follow_up_cursor = self.follow_up_cursor.min(n.saturating_sub(1));
        Ok(())
    }
}
