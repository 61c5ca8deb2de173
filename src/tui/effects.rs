//! The interactive mode's effects: what [`App::update`] asks of the store, carried out here
//! through the application layer (the same changes and view builders as the CLI), with the
//! results fed back into the state.

use super::app::{App, DETAIL_AFTER, DETAIL_AFTER_MOVE, Effect, Mode, Undo, View};
use super::data;
use super::form::Submission;
use crate::app::contacts::EditContact;
use crate::app::follow_ups::{self, CompleteFollowUp};
use crate::app::sync::Resolution;
use crate::app::{contacts, interactions, views};
use crate::model::Completion;
use crate::store::Store;

/// A due date as a person reads it, in local time ("Fri 2026-12-04 15:00"), never an ISO instant.
fn human_due(due: crate::model::Due) -> String {
    crate::dates::human_when(due.into(), &chrono::Local)
}

impl App {
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
            Effect::LoadDetail => self.load_detail_soon(store),
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
            Effect::Save(submission) => match self.save(store, (*submission).clone()) {
                Ok(message) => {
                    if matches!(self.mode, Mode::Form(_)) {
                        self.mode = Mode::Browse;
                    }
                    self.reload(store)?;
                    self.say(message);
                }
                // Refused: the form stays open with the reason in it.
                Err(e) => match &mut self.mode {
                    Mode::Form(form) => form.save_failed(&submission, &e),
                    _ => return Err(e),
                },
            },
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
                        human_due(next)
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
            Effect::DeleteInteraction { id } => {
                let gone = interactions::delete(store, id)?;
                let summary = crate::output::sanitize_line(&gone.interaction.summary).into_owned();
                let kept = gone.links.follow_ups.len();
                self.undo.push(Undo::DeletedInteraction(Box::new(gone)));
                self.reload(store)?;
                let follow_ups = match kept {
                    0 => String::new(),
                    1 => " Its follow-up stays.".to_string(),
                    n => format!(" Its {n} follow-ups stay."),
                };
                self.say(format!(
                    "Deleted interaction #{id}: {summary}.{follow_ups} u brings it back."
                ));
            }
            Effect::ResolveConflict { id, take_server } => {
                let resolution = if take_server {
                    Resolution::TakeServer
                } else {
                    Resolution::KeepKith
                };
                let settled = crate::app::sync::resolve_conflict(store, now, id, resolution)?;
                self.reload(store)?;
                let (property, name) = (
                    crate::output::sanitize_line(&settled.property).into_owned(),
                    crate::output::sanitize_line(&settled.name).into_owned(),
                );
                self.say(if settled.took_server {
                    format!("{name}: took the server's {property}; the next `kith sync` sends it.")
                } else {
                    format!("{name}: kept kith's {property}.")
                });
            }
            Effect::Undo(Undo::DeletedInteraction(gone)) => {
                interactions::undelete(store, &gone)?;
                self.reload(store)?;
                self.say(format!("Restored interaction #{}.", gone.interaction.id));
            }
            Effect::Undo(Undo::Edited { id, before }) => {
                let name = crate::output::sanitize_line(&before.display_name).into_owned();
                contacts::edit(store, self.clock, &EditContact::fields(id, *before))?;
                self.reload(store)?;
                self.say(format!("{name} is as before the edit."));
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
            Submission::AddContact { fields, new_org } => {
                let name = fields.display_name.clone();
                let id =
                    contacts::add_joining(store, clock, fields.clone(), new_org.as_deref())?.id;
                // As `kith add` warns: likely one person twice.
                let duplicates = contacts::likely_duplicates(store, id, &fields)?;
                self.reload(store)?;
                match &mut self.loading {
                    // Not in the list shown yet: select them once the new list is in.
                    Some(loading) => loading.select = Some(id),
                    None => {
                        self.go_to_contact(id);
                    }
                }
                let added = match new_org {
                    Some(org) => format!("Added {name} (#{id}) at {org}, a new organization"),
                    None => format!("Added {name} (#{id})"),
                };
                // Short: the status line is one line of the terminal's width. The first
                // reason, and how many other people besides (one may share several things).
                match duplicates.first() {
                    None => format!("{added}."),
                    Some(first) => {
                        let others: std::collections::HashSet<i64> = (duplicates.iter())
                            .map(|d| d.other_id)
                            .filter(|&other| other != first.other_id)
                            .collect();
                        match others.len() {
                            0 => format!("{added}; {}.", first.brief()),
                            n => format!("{added}; {} (and {n} more).", first.brief()),
                        }
                    }
                }
            }
            Submission::EditContact(input) => {
                let (changed, before) = contacts::edit_from(store, clock, &input)?;
                if changed {
                    self.undo.push(Undo::Edited {
                        id: input.id,
                        before: Box::new(before),
                    });
                }
                match (&input.new_org, changed) {
                    (Some(org), _) => format!("Saved; {org} is a new organization. u undoes."),
                    (None, true) => "Saved. u undoes.".to_string(),
                    (None, false) => "Nothing changed.".to_string(),
                }
            }
            Submission::Log(input) => {
                let logged = interactions::log(store, clock, &input)?;
                let (id, channel) = (logged.interaction_id, input.channel);
                match logged.follow_up_id {
                    Some(r) => format!("Logged {channel} (#{id}); follow-up #{r} added."),
                    None => format!("Logged {channel} (#{id})."),
                }
            }
            Submission::EditInteraction(input) => {
                let edited = interactions::edit(store, clock, &input)?;
                self.expanded = Some(edited.id);
                format!("Saved interaction #{}.", edited.id)
            }
            Submission::FollowUp(input) => {
                let id = follow_ups::add(store, now, &input)?;
                format!("Follow-up #{id} added, due {}.", human_due(input.due))
            }
            Submission::Snooze(input) => {
                let until = follow_ups::snooze(store, clock, &input)?;
                format!("Snoozed #{} until {}.", input.id, human_due(until))
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
                        Some(o) => Some(views::org_brief(
                            store,
                            o.id,
                            self.clock,
                            Some(data::TIMELINE),
                            views::Detail::Complete,
                        )?),
                        None => None,
                    };
                }
                View::Tags => {
                    match self.data.tags.get(self.cur()) {
                        Some(t) => self.tag_people = data::tagged(conn, &t.name)?,
                        None => self.tag_people.clear(),
                    }
                    self.tag_cursor = self.tag_cursor.min(self.tag_people.len().saturating_sub(1));
                    self.load_brief(store)?;
                }
                View::Contacts | View::Agenda => self.load_brief(store)?,
            }
            Ok(())
        })();
        if let Err(e) = result {
            self.complain(crate::output::sanitize_line(&e.to_string()).into_owned());
        }
    }

    /// What a move or a view change asks for: the details now, unless briefs have been slow
    /// on this large book. Then the ▸ moves at once and the brief follows from a thread once
    /// keys pause (the event loop's `start_waiting_detail`), so no key waits for one.
    fn load_detail_soon(&mut self, store: &Store) {
        let contact_view = matches!(self.view, View::Contacts | View::Agenda);
        if self.large && self.slow_briefs && contact_view && !self.filter.busy() {
            // Typing in the bar: the next key of a word is likely on its way.
            let quiet = if self.mode == Mode::Filter {
                DETAIL_AFTER
            } else {
                DETAIL_AFTER_MOVE
            };
            self.detail_waits_for(quiet);
            return;
        }
        self.load_detail(store);
    }

    fn load_brief(&mut self, store: &Store) -> crate::Result<()> {
        // Worked out here and now: one still being worked out on a thread is out of date.
        self.brief_loading = None;
        match self.selected_contact() {
            Some((id, _)) => {
                let started = std::time::Instant::now();
                let (brief, introduction) = brief_of(store, id, self.clock)?;
                self.slow_briefs = super::loading::slow_after(self.slow_briefs, started.elapsed());
                self.set_brief(Some(brief), introduction);
            }
            None => self.set_brief(None, None),
        }
        Ok(())
    }

    /// Show `brief` (and `introduction`), keeping the cursors in it.
    pub(super) fn set_brief(
        &mut self,
        brief: Option<views::ContactBrief>,
        introduction: Option<views::who_knows::PathView>,
    ) {
        self.brief = brief;
        self.introduction = introduction;
        let n = self.brief.as_ref().map_or(0, |b| b.follow_ups.len());
        self.follow_up_cursor = self.follow_up_cursor.min(n.saturating_sub(1));
        let m = self.brief.as_ref().map_or(0, |b| b.interactions.len());
        self.timeline_cursor = self.timeline_cursor.filter(|_| m > 0).map(|t| t.min(m - 1));
    }
}

/// Contact `id`'s brief and, for someone never met, the best way to be introduced: what the
/// details pane shows.
pub(super) fn brief_of(
    store: &Store,
    id: i64,
    clock: crate::clock::Clock,
) -> crate::Result<(views::ContactBrief, Option<views::who_knows::PathView>)> {
    let brief = views::contact_brief(store, id, clock, Some(data::TIMELINE))?;
    let introduction = match brief.contact.last_contact_at {
        None => views::who_knows::best_introduction(store, brief.contact.id, clock)?,
        Some(_) => None,
    };
    Ok((brief, introduction))
}
