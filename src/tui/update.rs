//! The interactive mode's pure update: an event in, the state changed in memory, and the
//! work for the store returned as [`Effect`]s (carried out in `effects`). Keys are looked up
//! in the one keymap (`keys`) and handled per mode: help, filter bar, form, question, and
//! browsing (navigation, then commands); mouse clicks and scrolls map onto the same moves.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use super::app::{App, Effect, Event, Mode, Pane, View};
use super::form::Form;
use super::keys::{self, Action, Scope};
use super::ui;
use crate::app::follow_ups::Subject;

impl App {
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
                Mode::Help => self.on_help_key(key),
                Mode::Filter => self.on_filter_key(key),
                Mode::Form(form) => self.on_form_key(*form, key),
                Mode::ConfirmArchive { id, name } => self.on_confirm_key(key, id, name),
                Mode::Conflict { conflict, .. } => self.on_conflict_key(key, conflict.id),
                Mode::Browse => match keys::lookup(Scope::Browse, &key) {
                    Some(action) => self.on_action(action),
                    None => Vec::new(),
                },
            },
        }
    }

    /// j/k and the arrows scroll the help; any other key closes it (q quits).
    fn on_help_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match keys::lookup(Scope::Browse, &key) {
            Some(Action::Down) => self.help_scroll = self.help_scroll.saturating_add(1),
            Some(Action::Up) => self.help_scroll = self.help_scroll.saturating_sub(1),
            Some(Action::PageDown) => self.help_scroll = self.help_scroll.saturating_add(10),
            Some(Action::PageUp) => self.help_scroll = self.help_scroll.saturating_sub(10),
            other => {
                self.mode = Mode::Browse;
                if other == Some(Action::Quit) {
                    self.quit = true;
                }
            }
        }
        Vec::new()
    }

    /// "Archive NAME? y/n".
    fn on_confirm_key(&mut self, key: KeyEvent, id: i64, name: String) -> Vec<Effect> {
        match keys::lookup(Scope::Confirm, &key) {
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
        }
    }

    /// s: the server's value, k: kith's, Esc: later.
    fn on_conflict_key(&mut self, key: KeyEvent, id: i64) -> Vec<Effect> {
        let take_server = match keys::lookup(Scope::Conflict, &key) {
            Some(Action::TakeServer) => true,
            Some(Action::KeepKith) => false,
            Some(Action::Cancel) => {
                self.mode = Mode::Browse;
                self.say("Left as it is; c shows it again.");
                return Vec::new();
            }
            _ => return Vec::new(),
        };
        self.mode = Mode::Browse;
        vec![Effect::ResolveConflict { id, take_server }]
    }

    fn on_filter_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match keys::lookup(Scope::Filter, &key) {
            Some(Action::Submit) => {
                self.mode = Mode::Browse;
                self.pane = Pane::List;
                // A scan still under way (Enter typed right after the letters) is finished
                // first: its count so far is not the count.
                if self.filter.busy() && !self.filter_waits() {
                    self.filter.settle(&self.data.contacts);
                    self.clamp_cursors();
                    self.keep_visible();
                    self.detail_waits_for(crate::tui::loading::DETAIL_AFTER);
                }
                match self.match_total() {
                    Some(n) => self.say(format!("{n} match{}", if n == 1 { "" } else { "es" })),
                    None => self.say("The filter runs once every contact is loaded."),
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
            // In a multi-line field the arrows move between its lines, then to the fields.
            Some(Action::Down) => {
                if !form.focused().line_by(1) {
                    form.next_field();
                }
            }
            Some(Action::Up) => {
                if !form.focused().line_by(-1) {
                    form.prev_field();
                }
            }
            Some(Action::Cancel) => {
                self.mode = Mode::Browse;
                self.say("Cancelled; nothing was saved.");
                return Vec::new();
            }
            Some(Action::NextField) => form.next_field(),
            Some(Action::PrevField) => form.prev_field(),
            // The form stays open until the save succeeds (see `effects`): what only the
            // store can refuse is shown in it, nothing typed is lost.
            Some(Action::Submit) | Some(Action::NewOrganization) => {
                let submission = if action == Some(Action::Submit) {
                    form.submit(clock)
                } else {
                    form.submit_new_org(clock)
                };
                self.mode = Mode::Form(Box::new(form));
                return submission
                    .map(|s| vec![Effect::Save(Box::new(s))])
                    .unwrap_or_default();
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

    /// A key of the list or detail pane, already looked up in the keymap.
    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::AddContact
            | Action::EditContact
            | Action::Log
            | Action::FollowUp
            | Action::Tag
            | Action::Done
            | Action::Snooze
            | Action::Archive
            | Action::Resolve
            | Action::Undo => self.on_command(action),
            _ => self.on_navigation(action),
        }
    }

    /// Moving around: views, panes, rows, the filter bar, help, quitting.
    fn on_navigation(&mut self, action: Action) -> Vec<Effect> {
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
                self.mode = Mode::Filter;
                self.pane = Pane::List;
                // On the Contacts list the details shown are already the selected contact's
                // (or wait for typing to pause): opening the bar loads nothing, so the first
                // key typed never waits for a brief (at 1M one can take 200 ms).
                if self.view == View::Contacts {
                    return Vec::new();
                }
                self.view = View::Contacts;
                vec![Effect::LoadDetail]
            }
            Action::Open => self.open(),
            Action::SortHealth => {
                self.sort_by_health = !self.sort_by_health;
                self.say(match (self.sort_by_health, self.data.health.is_empty()) {
                    (false, _) => "Contacts by name.",
                    (true, false) => "Contacts by health, healthiest first (o: by name).",
                    (true, true) => "Contacts by health once it is worked out (o: by name).",
                });
                self.view = View::Contacts;
                self.sort_list();
                self.set_cursor(0)
            }
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
            _ => Vec::new(),
        }
    }

    /// Opening a form or question, or asking the store for a change.
    fn on_command(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::AddContact => {
                self.mode = Mode::Form(Box::new(Form::add_contact()));
                Vec::new()
            }
            Action::EditContact if self.selected_interaction().is_some() => {
                if let Some(i) = self.selected_interaction() {
                    let mut form = Form::edit_interaction(i, self.clock);
                    form.refresh(self.clock);
                    self.mode = Mode::Form(Box::new(form));
                }
                Vec::new()
            }
            Action::Archive if self.selected_interaction().is_some() => {
                match self.selected_interaction() {
                    Some(i) => vec![Effect::DeleteInteraction { id: i.id }],
                    None => Vec::new(),
                }
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
            Action::Resolve => {
                let shown = self.selected_contact().map(|(id, _)| id);
                match &self.brief {
                    Some(brief) if Some(brief.contact.id) == shown => {
                        match brief.sync_conflicts.first() {
                            Some(c) => {
                                self.mode = Mode::Conflict {
                                    conflict: Box::new(c.clone()),
                                    name: brief.contact.fields.display_name.clone(),
                                }
                            }
                            None => self.say("No sync conflicts here."),
                        }
                    }
                    _ => self.complain("Select a contact first."),
                }
                Vec::new()
            }
            Action::Log => self.with_subject(Form::log),
            Action::FollowUp => self.with_subject(Form::follow_up),
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
                    Some((id, text)) => {
                        self.mode = Mode::Form(Box::new(Form::snooze(id, &text, self.clock)))
                    }
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
            View::Organizations => "Follow-ups are done from the agenda (3) or a contact.",
            _ if self.brief.is_none() => "Select a contact first.",
            _ => "No open follow-up here: f adds one.",
        }
    }

    /// A form about the selected contact, or in the Organizations view the organization.
    fn with_subject(
        &mut self,
        form: impl FnOnce(Subject, &str, crate::clock::Clock) -> Form,
    ) -> Vec<Effect> {
        let subject = match self.view {
            View::Organizations => self
                .data
                .organizations
                .get(self.cur())
                .map(|o| (Subject::Organization(o.id), o.name.clone())),
            // With their #id, as the brief beside it: namesakes are told apart.
            _ => self
                .selected_contact()
                .map(|(id, name)| (Subject::Contact(id), format!("{name} #{id}"))),
        };
        match subject {
            Some((about, name)) => {
                let mut f = form(about, &name, self.clock);
                f.refresh(self.clock);
                self.mode = Mode::Form(Box::new(f));
            }
            None => self.complain("Select a contact first."),
        }
        Vec::new()
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
            View::Contacts | View::Agenda => self.move_in_brief(delta),
            View::Organizations => {
                // The ▸ moves over the people (Enter opens one), then the pane scrolls.
                let n = self.org_brief.as_ref().map_or(0, |b| b.people.len());
                let next = self
                    .person_cursor
                    .checked_add_signed(delta)
                    .filter(|&p| p < n);
                match next {
                    Some(p) => self.person_cursor = p,
                    None => {
                        self.detail_scroll = self.detail_scroll.saturating_add_signed(delta as i16)
                    }
                }
            }
        }
        Vec::new()
    }

    /// j/k in the brief: through its open follow-ups, then down into its timeline's rows;
    /// with neither, the brief scrolls.
    fn move_in_brief(&mut self, delta: isize) {
        let (n, m) = self
            .brief
            .as_ref()
            .map_or((0, 0), |b| (b.follow_ups.len(), b.interactions.len()));
        match self.timeline_cursor {
            Some(t) if delta < 0 && t == 0 => {
                self.timeline_cursor = None;
                self.follow_up_cursor = n.saturating_sub(1);
            }
            Some(t) => {
                self.timeline_cursor = Some(t.saturating_add_signed(delta).min(m.saturating_sub(1)))
            }
            None if delta > 0 && self.follow_up_cursor + 1 >= n && m > 0 => {
                self.timeline_cursor = Some(0)
            }
            None if n > 1 || (n == 1 && delta < 0) => {
                self.follow_up_cursor = self
                    .follow_up_cursor
                    .saturating_add_signed(delta)
                    .min(n - 1);
            }
            None => {
                self.detail_scroll = self.detail_scroll.saturating_add_signed(delta as i16);
            }
        }
    }

    /// Enter: show the details, or go to the contact an agenda line or tag is about; on a
    /// timeline row, show or hide the interaction's body.
    fn open(&mut self) -> Vec<Effect> {
        if let Some(id) = self.selected_interaction().map(|i| i.id) {
            self.expanded = (self.expanded != Some(id)).then_some(id);
            return Vec::new();
        }
        let target = match self.view {
            View::Agenda => self.selected_contact().map(|(id, _)| id),
            View::Tags if self.pane == Pane::Detail => self.selected_contact().map(|(id, _)| id),
            View::Organizations if self.pane == Pane::Detail => self.selected_person(),
            _ => None,
        };
        if let Some(id) = target {
            return self.go_to_contact(id);
        }
        self.pane = Pane::Detail;
        self.person_cursor = 0;
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
        let areas = ui::layout(self.view, self.pane, self.size);
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
}
