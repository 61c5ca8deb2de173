//! The interactive mode without a terminal: events in, state out (on a real database holding
//! the demo data), and whole screens drawn on ratatui's TestBackend, kept as insta snapshots.
//! Colours are not in snapshots; a few assertions check styles directly.

use std::sync::{Once, OnceLock};

use kith::clock::Clock;
use kith::store::{OpenMode, Store};
use kith::tui::app::{App, Effect, Event, Mode, Pane, View};
use kith::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use tempfile::TempDir;

use crate::common::NOW;

/// Forms, help and layouts at 60×20, 80×24 and 200×50.
mod sizes;

/// A large book: the first page, then the rest and the briefs from threads.
mod large_book;

/// The brief and refusals, compared with the CLI on the same book.
mod with_the_cli;

/// Two contacts of one name, told apart by their #id in the lists.
mod namesakes;

fn pin_time_zone() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: set once, before any test of this module reads the time zone; the other
        // tests in this binary only spawn processes, each given its own TZ explicitly.
        unsafe { std::env::set_var("TZ", "UTC") };
    });
}

static TEMPLATE: OnceLock<(TempDir, std::path::PathBuf)> = OnceLock::new();

pub(crate) struct Demo {
    _dir: TempDir,
    pub(crate) store: Store,
    pub(crate) app: App,
}

fn clock() -> Clock {
    Clock::fixed(NOW.parse().expect("fixed now"))
}

/// The demo data at the fixed clock, on an 80×24 screen.
pub(crate) fn demo() -> Demo {
    pin_time_zone();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("kith.db");
    // Load the demo once per test run and give each test its own copy.
    let template = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store =
            Store::open(&dir.path().join("demo.db"), OpenMode::CreateIfMissing).expect("store");
        kith::demo::load(&mut store, clock()).expect("demo loads");
        (dir, store.path().to_path_buf())
    });
    Store::open(&template.1, OpenMode::MustExist)
        .expect("template")
        .backup_to(&path)
        .expect("copy");
    let store = Store::open(&path, OpenMode::MustExist).expect("store");
    let mut app = App::new(&store, clock(), true).expect("app");
    // The temporary path differs per run; snapshots show a fixed one.
    app.db_path = "/tmp/kith-demo-XXXXXX/kith.db".into();
    app.update(Event::Resize(80, 24));
    Demo {
        _dir: dir,
        store,
        app,
    }
}

impl Demo {
    pub(crate) fn key(&mut self, code: KeyCode) -> &mut Demo {
        self.app.handle(
            &mut self.store,
            Event::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        );
        // As the event loop does before it waits for the next key.
        self.app.idle(&self.store);
        self
    }

    pub(crate) fn typed(&mut self, text: &str) -> &mut Demo {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }

    pub(crate) fn screen(&self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal
            .draw(|frame| ui::draw(frame, &self.app))
            .expect("draw");
        terminal.backend().to_string()
    }

    pub(crate) fn selected(&self) -> String {
        self.app.selected_contact().expect("a selected contact").1
    }

    pub(crate) fn cli_json(&self, sql: &str) -> i64 {
        self.store
            .conn()
            .query_row(sql, [], |r| r.get(0))
            .expect("query")
    }

    pub(crate) fn name_of(&self, id: i64) -> String {
        self.store
            .conn()
            .query_row(
                "SELECT display_name FROM contacts WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .expect("name")
    }
}

#[test]
fn demo_data_has_the_promised_shape() {
    let mut d = demo();
    assert_eq!(d.app.data.contacts.len(), 200);
    // The organization list is loaded on the first visit to its view.
    assert!(d.app.data.organizations.is_empty());
    d.key(KeyCode::Char('2'));
    assert_eq!(d.app.data.organizations.len(), 30);
    assert_eq!(d.cli_json("SELECT count(*) FROM interactions"), 1500);
    let due = |sql: &str| d.cli_json(sql);
    assert!(due("SELECT count(*) FROM reminders WHERE done_at IS NULL AND due < '2026-11-24'") > 0);
    assert!(due("SELECT count(*) FROM reminders WHERE done_at IS NULL AND due = '2026-11-24'") > 0);
    assert!(due("SELECT count(*) FROM reminders WHERE done_at IS NULL AND due > '2026-11-24'") > 0);
    assert!(due("SELECT count(*) FROM relationships") >= 100);
    assert!(due("SELECT count(*) FROM contacts WHERE birthday IS NOT NULL") > 50);
}

#[test]
fn typing_in_the_filter_bar_narrows_the_list_and_selects_the_best_match() {
    let mut d = demo();
    d.key(KeyCode::Char('/'));
    assert_eq!(d.app.mode, Mode::Filter);
    d.typed("amara kn");
    assert_eq!(d.app.filter_text, "amara kn");
    assert_eq!(d.selected(), "Amara Knuth");
    assert_eq!(
        d.app
            .brief
            .as_ref()
            .map(|b| b.contact.fields.display_name.as_str()),
        Some("Amara Knuth"),
        "the brief follows the selection"
    );
    insta::assert_snapshot!("contacts_filtered", d.screen(80, 24));

    // Esc leaves the bar and keeps the filter; Esc again clears it, keeping the selection.
    d.key(KeyCode::Esc);
    assert_eq!(d.app.mode, Mode::Browse);
    assert_eq!(d.app.filter_text, "amara kn");
    d.key(KeyCode::Esc);
    assert_eq!(d.app.filter_text, "");
    assert_eq!(d.app.filter.results().len(), 200);
    assert_eq!(d.selected(), "Amara Knuth");
}

/// What the empty list says to do matches what Esc does there: in the filter bar the first
/// Esc only leaves it.
#[test]
fn a_filter_matching_no_one_says_how_to_clear_it() {
    let mut d = demo();
    d.key(KeyCode::Char('/')).typed("zzqqxx");
    assert!(d.app.filter.results().is_empty());
    let typing = d.screen(100, 30);
    assert!(typing.contains("┃No one matches:"), "{typing}");
    assert!(typing.contains("┃Esc twice clears the filter."), "{typing}");
    d.key(KeyCode::Esc);
    let browsing = d.screen(100, 30);
    assert!(browsing.contains("No one matches:"), "{browsing}");
    assert!(browsing.contains("Esc clears the filter."), "{browsing}");
    assert!(!browsing.contains("twice"), "{browsing}");
    d.key(KeyCode::Esc);
    assert_eq!(d.app.filter_text, "");
    assert_eq!(d.app.filter.results().len(), 200);
}

/// A tag only organizations carry names them in the Tags view instead of an empty pane.
#[test]
fn the_tags_view_names_the_organizations_carrying_a_tag() {
    let mut d = demo();
    d.key(KeyCode::Char('4'));
    let (at, tag) = (d.app.data.tags.iter().enumerate())
        .find(|(_, t)| t.contacts == 0 && t.organizations > 0)
        .map(|(i, t)| (i, t.clone()))
        .expect("the demo has a tag only organizations carry");
    for _ in 0..at {
        d.key(KeyCode::Char('j'));
    }
    let screen = d.screen(120, 40);
    let names: Vec<String> = (d.app.data.organizations.iter())
        .filter(|o| o.tags.contains(&tag.name))
        .map(|o| o.name.clone())
        .collect();
    assert_eq!(names.len() as i64, tag.organizations, "{names:?}");
    assert!(
        screen.contains(&format!("{} organization", names.len())),
        "{screen}"
    );
    for name in names {
        assert!(screen.contains(&format!("  {name}")), "{name}: {screen}");
    }
}

#[test]
fn esc_then_a_key_sent_together_reads_as_two_keys() {
    let mut d = demo();
    d.key(KeyCode::Char('/')).typed("ada");
    // A terminal delivers "Esc 3" typed quickly as Alt+3.
    d.app.handle(
        &mut d.store,
        Event::Key(KeyEvent::new(KeyCode::Char('3'), KeyModifiers::ALT)),
    );
    assert_eq!(d.app.filter_text, "ada");
    assert_eq!(d.app.view, View::Agenda);
}

#[test]
fn logging_an_interaction_writes_it_and_shows_it_first_in_the_timeline() {
    let mut d = demo();
    d.key(KeyCode::Char('/'))
        .typed("amara kn")
        .key(KeyCode::Enter);
    let before = d.cli_json("SELECT count(*) FROM interactions");
    d.key(KeyCode::Char('i'));
    assert!(matches!(d.app.mode, Mode::Form(_)));
    // Saving an empty summary is refused in place.
    d.key(KeyCode::Enter);
    let Mode::Form(form) = &d.app.mode else {
        panic!("the form stays open")
    };
    assert_eq!(form.fields[0].error.as_deref(), Some("is empty"));
    insta::assert_snapshot!("log_form_with_error", d.screen(80, 24));
    d.typed("Discussed the pilot");
    d.key(KeyCode::Tab)
        .key(KeyCode::Tab)
        .key(KeyCode::Tab)
        .key(KeyCode::Tab);
    d.typed("in 2 weeks: send the plan");
    d.key(KeyCode::Enter);
    assert_eq!(d.app.mode, Mode::Browse);
    assert_eq!(d.cli_json("SELECT count(*) FROM interactions"), before + 1);
    let brief = d.app.brief.as_ref().expect("brief");
    assert_eq!(brief.interactions[0].summary, "Discussed the pilot");
    assert!(brief.follow_ups.iter().any(|r| r.text == "send the plan"));
    let status = d.app.status.as_ref().expect("status");
    assert!(status.text.starts_with("Logged call"), "{}", status.text);
}

#[test]
fn follow_ups_are_added_completed_and_the_completion_undone() {
    let mut d = demo();
    d.key(KeyCode::Char('/'))
        .typed("amara kn")
        .key(KeyCode::Enter);
    d.key(KeyCode::Char('f')).typed("Send the pilot plan");
    d.key(KeyCode::Tab)
        .typed("someday soon")
        .key(KeyCode::Enter);
    let Mode::Form(form) = &d.app.mode else {
        panic!("a bad date keeps the form open")
    };
    assert!(form.fields[1].error.is_some());
    // Fix the date: clear it and type another.
    for _ in 0.."someday soon".len() {
        d.key(KeyCode::Backspace);
    }
    d.typed("next friday").key(KeyCode::Enter);
    assert_eq!(d.app.mode, Mode::Browse);
    // Said as a person reads a date, never as an ISO instant.
    let said = &d.app.status.as_ref().expect("status").text;
    assert!(said.contains("due Fri 2026-11-27"), "{said}");
    let open = "SELECT count(*) FROM reminders WHERE done_at IS NULL";
    let open_before = d.cli_json(open);
    let brief = d.app.brief.as_ref().expect("brief");
    let added = brief
        .follow_ups
        .iter()
        .find(|r| r.text == "Send the pilot plan")
        .expect("added");
    assert_eq!(added.due.to_db(), "2026-11-27");

    d.key(KeyCode::Char('d'));
    assert_eq!(d.cli_json(open), open_before - 1);
    d.key(KeyCode::Char('u'));
    assert_eq!(d.cli_json(open), open_before);
}

#[test]
fn the_agenda_lists_overdue_first_and_d_completes_the_selected_line() {
    let mut d = demo();
    d.key(KeyCode::Char('3'));
    assert_eq!(d.app.view, View::Agenda);
    assert!(!d.app.agenda.is_empty());
    insta::assert_snapshot!("agenda", d.screen(80, 24));
    let Some(kith::agenda::Entry::FollowUp(_, first)) = d.app.agenda.entry(0) else {
        panic!("a follow-up first")
    };
    let (id, first_day) = (first.id, first.day);
    d.key(KeyCode::Char('d'));
    let done: i64 = d.cli_json(&format!(
        "SELECT count(*) FROM reminders WHERE id = {id} AND done_at IS NOT NULL"
    ));
    let moved: i64 = d.cli_json(&format!(
        "SELECT count(*) FROM reminder_completions WHERE reminder_id = {id}"
    ));
    assert!(done == 1 || moved >= 1);
    assert!(
        d.app
            .agenda
            .entries()
            .all(|e| e.follow_up().map(|f| f.id) != Some(id) || e.day() != first_day)
    );
    // Enter on a line goes to that contact.
    d.key(KeyCode::Enter);
    assert_eq!(d.app.view, View::Contacts);
}

#[test]
fn archiving_asks_first_and_undo_brings_them_back() {
    let mut d = demo();
    let name = d.selected();
    d.key(KeyCode::Char('x'));
    assert!(matches!(d.app.mode, Mode::ConfirmArchive { .. }));
    insta::assert_snapshot!("confirm_archive", d.screen(80, 24));
    d.key(KeyCode::Char('n'));
    assert_eq!(d.app.data.contacts.len(), 200);
    // q, as everywhere else, gets out: nothing is archived.
    d.key(KeyCode::Char('x')).key(KeyCode::Char('q'));
    assert_eq!(d.app.mode, Mode::Browse);
    assert!(!d.app.quit);
    assert_eq!(d.app.data.contacts.len(), 200);
    d.key(KeyCode::Char('x')).key(KeyCode::Char('y'));
    assert_eq!(d.app.data.contacts.len(), 199);
    assert!(d.app.data.contacts.iter().all(|c| c.name != name));
    d.key(KeyCode::Char('u'));
    assert_eq!(d.app.data.contacts.len(), 200);
}

/// An edit is one keystroke from the list (`e`), so it can be taken back like an archive:
/// `u` puts every field back as it was.
#[test]
fn undo_takes_back_an_edit() {
    let mut d = demo();
    let name = d.selected();
    d.key(KeyCode::Char('e')).typed("xter");
    d.key(KeyCode::Enter);
    assert_eq!(d.app.mode, Mode::Browse);
    let edited = format!("{name}xter");
    assert_eq!(d.selected(), edited);
    assert!(
        d.app
            .status
            .as_ref()
            .is_some_and(|s| s.text == "Saved. u undoes.")
    );
    d.key(KeyCode::Char('u'));
    assert_eq!(d.selected(), name);
    let found = d.cli_json(&format!(
        "SELECT count(*) FROM contacts WHERE display_name = '{}'",
        name.replace('\'', "''")
    ));
    assert_eq!(found, 1);
    // Nothing left to undo; an edit that changes nothing is not one.
    d.key(KeyCode::Char('e')).key(KeyCode::Enter);
    assert!(
        d.app
            .status
            .as_ref()
            .is_some_and(|s| s.text == "Nothing changed.")
    );
    d.key(KeyCode::Char('u'));
    assert_eq!(d.selected(), name);
}

#[test]
fn adding_a_contact_validates_like_the_cli() {
    let mut d = demo();
    d.key(KeyCode::Char('a')).typed("Nia Okoro");
    d.key(KeyCode::Tab).typed("Acme Robotics");
    d.key(KeyCode::Tab).key(KeyCode::Tab).typed("nia-at-acme");
    d.key(KeyCode::Enter);
    let Mode::Form(form) = &d.app.mode else {
        panic!("a bad email keeps the form open")
    };
    assert!(
        form.fields[3]
            .error
            .as_deref()
            .unwrap_or("")
            .contains("'@'")
    );
    insta::assert_snapshot!("add_contact_form", d.screen(80, 24));
    for _ in 0.."nia-at-acme".len() {
        d.key(KeyCode::Backspace);
    }
    d.typed("work:nia@acme-robotics.example")
        .key(KeyCode::Enter);
    assert_eq!(d.app.mode, Mode::Browse);
    assert_eq!(d.selected(), "Nia Okoro");
    assert_eq!(d.app.data.contacts.len(), 201);
}

#[test]
fn tags_are_added_and_removed_in_place() {
    let mut d = demo();
    d.key(KeyCode::Char('/'))
        .typed("amara kn")
        .key(KeyCode::Enter);
    d.key(KeyCode::Char('t'))
        .typed("+VIP -partner")
        .key(KeyCode::Enter);
    let tags = &d.app.brief.as_ref().expect("brief").contact.fields.tags;
    assert_eq!(tags, &vec!["vip".to_string()]);
}

#[test]
fn tab_moves_focus_and_j_marks_the_next_follow_up() {
    let mut d = demo();
    // Someone with several open follow-ups.
    let id: i64 = d.cli_json(
        "SELECT contact_id FROM reminders WHERE done_at IS NULL AND contact_id IS NOT NULL
          GROUP BY contact_id HAVING count(*) >= 2 ORDER BY contact_id LIMIT 1",
    );
    let name = d.name_of(id);
    d.key(KeyCode::Char('/')).typed(&name).key(KeyCode::Enter);
    assert_eq!(d.selected(), name);
    d.key(KeyCode::Tab);
    assert_eq!(d.app.pane, Pane::Detail);
    d.key(KeyCode::Char('j'));
    assert_eq!(d.app.follow_up_cursor, 1);
    let marked = d.app.selected_follow_up().expect("marked").0;
    assert_eq!(
        marked,
        d.app.brief.as_ref().expect("brief").follow_ups[1].id
    );
    insta::assert_snapshot!("brief_focused", d.screen(80, 24));
}

#[test]
fn the_mouse_selects_and_scrolls() {
    let mut d = demo();
    let areas = ui::layout(
        View::Contacts,
        Pane::List,
        ratatui::layout::Rect::new(0, 0, 80, 24),
    );
    let click = |row: u16| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: areas.list.x + 2,
        row,
        modifiers: KeyModifiers::NONE,
    };
    d.app
        .handle(&mut d.store, Event::Mouse(click(areas.list.y + 3)));
    assert_eq!(d.app.cursor[0], 3);
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: areas.list.x + 2,
        row: areas.list.y,
        modifiers: KeyModifiers::NONE,
    };
    d.app.handle(&mut d.store, Event::Mouse(wheel));
    assert_eq!(d.app.cursor[0], 6);
    // A click on a tab switches the view.
    let tab = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 25,
        row: 0,
        modifiers: KeyModifiers::NONE,
    };
    d.app.handle(&mut d.store, Event::Mouse(tab));
    assert_eq!(d.app.view, View::Organizations);
}

#[test]
fn changes_by_another_process_show_after_a_reload() {
    let mut d = demo();
    let version = kith::tui::data::data_version(d.store.conn()).expect("version");
    let mut other = Store::open(d.store.path(), OpenMode::MustExist).expect("second connection");
    let mut fields = kith::model::ContactFields {
        display_name: "Zed Newcomer".into(),
        ..Default::default()
    };
    fields.tags.push("client".into());
    kith::app::contacts::add(&mut other, clock(), fields).expect("add");
    let now = kith::tui::data::data_version(d.store.conn()).expect("version");
    assert_ne!(version, now, "data_version tells the TUI to reload");
    d.app.reload(&d.store).expect("reload");
    assert!(d.app.data.contacts.iter().any(|c| c.name == "Zed Newcomer"));
}

#[test]
fn effects_are_returned_not_run_by_update() {
    let mut d = demo();
    let effects = d.app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('j'),
        KeyModifiers::NONE,
    )));
    assert!(matches!(effects.as_slice(), [Effect::LoadDetail]));
    assert_eq!(d.app.cursor[0], 1);
}

#[test]
fn every_view_draws_from_state() {
    let mut d = demo();
    insta::assert_snapshot!("contacts", d.screen(80, 24));
    d.key(KeyCode::Char('2'));
    insta::assert_snapshot!("organizations", d.screen(80, 24));
    d.key(KeyCode::Char('4'));
    insta::assert_snapshot!("tags", d.screen(80, 24));
    d.key(KeyCode::Enter);
    insta::assert_snapshot!("tags_people", d.screen(80, 24));
    d.key(KeyCode::Char('1')).key(KeyCode::Char('?'));
    insta::assert_snapshot!("help", d.screen(80, 24));
    d.key(KeyCode::Esc);
    d.app.update(Event::Resize(200, 50));
    insta::assert_snapshot!("contacts_200x50", d.screen(200, 50));
    d.app.update(Event::Resize(59, 20));
    insta::assert_snapshot!("too_small", d.screen(59, 20));
}

#[test]
fn focus_and_matches_are_styled_not_only_marked() {
    use ratatui::style::Modifier;
    let mut d = demo();
    d.key(KeyCode::Char('/'))
        .typed("amara kn")
        .key(KeyCode::Enter);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    terminal.draw(|f| ui::draw(f, &d.app)).expect("draw");
    let buffer = terminal.backend().buffer();
    let areas = ui::layout(
        View::Contacts,
        Pane::List,
        ratatui::layout::Rect::new(0, 0, 80, 24),
    );
    // The selected row is reversed while the list has the focus...
    let cell = &buffer[(areas.list.x + 2, areas.list.y)];
    assert!(cell.modifier.contains(Modifier::REVERSED));
    // ...and the matched letters of the name are underlined.
    assert!(
        cell.modifier.contains(Modifier::UNDERLINED),
        "'A' of Amara matched"
    );
}

#[test]
fn the_filter_matches_phones_titles_tags_and_every_email_like_find() {
    let mut d = demo();
    let (id, phone): (i64, String) = d
        .store
        .conn()
        .query_row(
            "SELECT contact_id, value FROM contact_details WHERE kind = 'phone' ORDER BY contact_id, position LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a phone in the demo");
    // A second email, so that only a later email can match.
    let name = d.name_of(id);
    let mut fields = kith::store::contacts::get(d.store.conn(), id)
        .expect("contact")
        .fields;
    fields.emails.push(kith::model::Labeled {
        label: Some("home".into()),
        value: "quasimodo.bellringer@example.org".into(),
    });
    fields.title = Some("Chief Cartographer".into());
    let edit = kith::app::contacts::EditContact::fields(id, fields);
    kith::app::contacts::edit(&mut d.store, clock(), &edit).expect("edit");
    d.app.reload(&d.store).expect("reload");
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    for query in [
        digits[digits.len() - 7..].to_string(),
        "quasimodo".to_string(),
        "cartographer".to_string(),
    ] {
        d.key(KeyCode::Esc).key(KeyCode::Esc);
        d.key(KeyCode::Char('/')).typed(&query);
        let found: Vec<i64> = d
            .app
            .shown()
            .iter()
            .map(|&i| d.app.data.contacts[i as usize].id)
            .collect();
        assert!(found.contains(&id), "{query} finds {name}: {found:?}");
    }
    // A tag: everyone carrying it matches.
    let (tag, carriers): (String, i64) = d
        .store
        .conn()
        .query_row(
            "SELECT t.name, count(*) FROM tags t JOIN contact_tags ct ON ct.tag_id = t.id
              GROUP BY t.id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a tag");
    d.key(KeyCode::Esc).key(KeyCode::Esc);
    d.key(KeyCode::Char('/')).typed(&tag);
    assert!(d.app.filter.total() as i64 >= carriers, "{tag}");
}

#[test]
fn an_archived_contacts_follow_ups_leave_the_agenda_and_come_back_on_undo() {
    let mut d = demo();
    d.key(KeyCode::Char('3'));
    let (reminder_id, contact) = d
        .app
        .agenda
        .entries()
        .find_map(|e| Some((e.follow_up()?.id, e.contact()?.id)))
        .expect("a contact's follow-up on the agenda");
    let on_agenda = |d: &Demo| {
        d.app
            .agenda
            .entries()
            .any(|e| e.follow_up().map(|f| f.id) == Some(reminder_id))
    };
    let due_before = d.app.data.follow_up_dues().len();
    d.key(KeyCode::Enter); // to that contact
    assert_eq!(d.app.selected_contact().map(|c| c.0), Some(contact));
    d.key(KeyCode::Char('x')).key(KeyCode::Char('y'));
    d.key(KeyCode::Char('3'));
    assert!(!on_agenda(&d), "hidden while archived");
    assert!(d.app.data.follow_up_dues().len() < due_before);
    d.key(KeyCode::Char('u'));
    assert!(on_agenda(&d), "back once restored");
}

#[test]
fn undoing_done_on_a_recurring_follow_up_restores_its_anchor() {
    use kith::app::follow_ups::{self, AddFollowUp, CompleteFollowUp, EditFollowUp, Subject};
    use kith::model::{Due, Period, RecurFrom};
    use kith::store::reminders;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store =
        Store::open(&dir.path().join("kith.db"), OpenMode::CreateIfMissing).expect("store");
    let now = clock().now;
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
    // Completed at noon UTC of a given day, wherever the tests run.
    let on = |s: &str| Clock::fixed(format!("{s}T12:00:00Z").parse().expect("instant"));
    let contact = kith::app::contacts::add(
        &mut store,
        clock(),
        kith::model::ContactFields {
            display_name: "Ada Lovelace".into(),
            ..Default::default()
        },
    )
    .expect("contact");
    let id = follow_ups::add(
        &mut store,
        now,
        &AddFollowUp {
            about: Subject::Contact(contact),
            text: "month-end report".into(),
            due: Due::Day(day("2027-01-31")),
            recurrence: Some(Period::parse("1m").expect("period")),
            recur_from: RecurFrom::Due,
        },
    )
    .expect("follow-up");
    let done = CompleteFollowUp { id, log: None };
    // Done on the 31st: due Feb 28, still counted from Jan 31.
    follow_ups::complete(&mut store, on("2027-01-31"), &done).expect("done");
    assert_eq!(
        reminders::get(store.conn(), id).expect("get").due,
        Due::Day(day("2027-02-28"))
    );
    // Counted from completion for one round, done, and that completion undone.
    let recur_from = |from| EditFollowUp {
        id,
        recur_from: Some(from),
        ..EditFollowUp::default()
    };
    follow_ups::edit(&mut store, now, &recur_from(RecurFrom::Done)).expect("from done");
    let undo = follow_ups::complete(&mut store, on("2027-02-28"), &done)
        .expect("done")
        .undo;
    follow_ups::undo_completion(&mut store, now, &undo).expect("undo");
    let extra = reminders::extra(store.conn(), id).expect("extra");
    assert_eq!(extra.anchor, Due::Day(day("2027-01-31")), "anchor restored");
    // Back to due-anchored: the month end comes back (Mar 31, not Mar 28).
    follow_ups::edit(&mut store, now, &recur_from(RecurFrom::Due)).expect("from due");
    follow_ups::complete(&mut store, on("2027-02-28"), &done).expect("done");
    assert_eq!(
        reminders::get(store.conn(), id).expect("get").due,
        Due::Day(day("2027-03-31"))
    );
}

#[test]
fn the_log_body_takes_several_lines_and_ctrl_s_or_alt_enter_saves() {
    let mut d = demo();
    d.key(KeyCode::Char('/'))
        .typed("amara kn")
        .key(KeyCode::Enter);
    d.key(KeyCode::Char('i')).typed("Workshop");
    d.key(KeyCode::Tab).key(KeyCode::Tab).key(KeyCode::Tab);
    d.typed("Agreed on scope.");
    d.key(KeyCode::Enter).typed("Next: pricing.");
    let Mode::Form(form) = &d.app.mode else {
        panic!("Enter in the body starts a new line, the form stays open")
    };
    assert_eq!(form.fields[3].value, "Agreed on scope.\nNext: pricing.");
    let screen = d.screen(80, 24);
    assert!(screen.contains("Agreed on scope."), "{screen}");
    assert!(
        screen.contains("Next: pricing."),
        "both lines shown: {screen}"
    );
    assert!(screen.contains("Ctrl-S save"), "{screen}");
    assert!(screen.contains("new line"), "{screen}");
    insta::assert_snapshot!("log_form_multiline_body", screen);

    d.app.handle(
        &mut d.store,
        Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    assert_eq!(d.app.mode, Mode::Browse);
    let body: String = d
        .store
        .conn()
        .query_row(
            "SELECT body FROM interactions WHERE summary = 'Workshop'",
            [],
            |r| r.get(0),
        )
        .expect("logged");
    assert_eq!(body, "Agreed on scope.\nNext: pricing.");

    // Alt-Enter saves too, from any field; Enter in a one-line field still saves.
    d.key(KeyCode::Char('i')).typed("Quick call");
    d.key(KeyCode::Tab).key(KeyCode::Tab).key(KeyCode::Tab);
    d.app.handle(
        &mut d.store,
        Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT)),
    );
    assert_eq!(d.app.mode, Mode::Browse);
    assert_eq!(
        d.cli_json("SELECT count(*) FROM interactions WHERE summary = 'Quick call'"),
        1
    );
    // The help is generated from the key table: it lists both.
    use kith::tui::keys::{Action, BINDINGS, Scope, keys_label};
    let in_body: Vec<(String, Action)> = BINDINGS
        .iter()
        .filter(|b| b.scope == Scope::MultiLine)
        .map(|b| (keys_label(b), b.action))
        .collect();
    assert!(in_body.contains(&("Enter".to_string(), Action::NewLine)));
    assert!(in_body.contains(&("Ctrl-S Alt-Enter".to_string(), Action::Submit)));
}

/// Enter typed right after the letters, before the event loop has finished the filter's
/// scan, still says how many match, not how many were found so far.
#[test]
fn enter_right_after_typing_says_how_many_match() {
    let mut d = demo();
    d.key(KeyCode::Char('/'));
    // The letters without the loop's idle work between them, as a fast typist's reach it.
    for c in "ada".chars() {
        d.app.handle(
            &mut d.store,
            Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    d.app.handle(
        &mut d.store,
        Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let said = d
        .app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    let total = d.app.filter.total();
    assert!(total > 0, "{said}");
    assert_eq!(said, format!("{total} matches"));
}
