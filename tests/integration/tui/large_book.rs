//! The interactive mode on a large book: the first page first, the rest and the briefs
//! from threads.

use super::*;

/// The demo data, opened as a large address book is: only `first` contacts before the first
/// frame, the rest from a thread.
fn demo_loading(first: usize) -> Demo {
    let d = demo();
    let app = App::with_sync_limit(&d.store, clock(), true, first).expect("app");
    let mut d = Demo { app, ..d };
    d.app.db_path = "/tmp/kith-demo-XXXXXX/kith.db".into();
    d.app.update(Event::Resize(80, 24));
    d
}

#[test]
fn a_large_book_shows_its_first_page_then_the_whole_list_from_a_thread() {
    let mut d = demo_loading(50);
    assert_eq!(d.app.data.contacts.len(), 50, "only the first page is read");
    // The exact count is the thread's first answer: unknown, or known, but never wrong.
    assert!(matches!(d.app.contact_total(), None | Some(200)));
    let first = d.selected();
    let screen = d.screen(80, 24);
    assert!(
        screen.contains("loading contacts…") || screen.contains("loading 200 contacts…"),
        "{screen}"
    );
    assert!(
        screen.contains("Contacts …") || screen.contains("Contacts 200"),
        "{screen}"
    );
    assert!(
        screen.contains(&first),
        "the first page is listed: {screen}"
    );

    // Typing before the list is in: the filter waits instead of matching the first page.
    d.key(KeyCode::Char('/')).typed("amara kn");
    assert!(d.app.filter_waits());
    assert!(d.app.selected_contact().is_none());
    let screen = d.screen(80, 24);
    assert!(screen.contains("Filtering once all load…"), "{screen}");

    d.app.wait_loaded(&d.store);
    assert!(d.app.loading.is_none());
    assert_eq!(d.app.data.contacts.len(), 200);
    assert_eq!(d.selected(), "Amara Knuth", "the waiting filter ran");
    let screen = d.screen(80, 24);
    assert!(!screen.contains("loading"), "{screen}");
    assert!(screen.contains("/200"), "{screen}");
    assert_eq!(d.app.contact_total(), Some(200));
    d.key(KeyCode::Esc).key(KeyCode::Esc);
    assert_eq!(d.app.shown().len(), 200);
}

/// The names the Contacts list shows, in order, with the list's title count.
fn shown_names(app: &App) -> (Vec<String>, Option<usize>) {
    let names = (0..app.shown().len())
        .filter_map(|row| app.contact_at(row).map(|c| c.name.clone()))
        .collect();
    (names, app.match_total())
}

#[test]
fn a_filter_typed_while_the_list_loads_is_answered_from_the_book_as_it_will_be_after() {
    for query in ["a", "amara kn", "kn", "zzzz"] {
        let mut d = demo_loading(50);
        d.key(KeyCode::Char('/')).typed(query);
        assert!(d.app.filter_waits());
        // What the event loop does before drawing: the stored search chunks answer.
        d.app.catch_up(&d.store);
        assert!(d.app.loading.is_some(), "the list is still loading");
        let early = shown_names(&d.app);
        let screen = d.screen(80, 24);
        assert!(!screen.contains("Filtering once all load…"), "{screen}");
        let title = format!("Contacts {}/", early.1.expect("a count"));
        assert!(screen.contains(&title), "{query}: {screen}");
        let selected_early = d.app.selected_contact().map(|(_, name)| name);

        d.app.wait_loaded(&d.store);
        let loaded = shown_names(&d.app);
        assert_eq!(early.1, loaded.1, "{query}: the same count");
        let n = early.0.len();
        assert_eq!(
            early.0,
            loaded.0[..n],
            "{query}: the same rows, in the same order"
        );
        assert_eq!(
            d.app.selected_contact().map(|(_, name)| name),
            selected_early,
            "{query}: the selection stays"
        );
    }
}

/// What the event loop does until the brief on its thread is in (or dropped).
fn until_the_brief_is_in(d: &mut Demo) {
    let start = std::time::Instant::now();
    while d.app.brief_pending() {
        d.app.poll_loading(&d.store);
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(start.elapsed().as_secs() < 30, "the brief's thread answers");
    }
}

#[test]
fn on_a_large_book_the_brief_typing_paused_for_comes_from_a_thread() {
    let mut d = demo_loading(50);
    assert!(d.app.large);
    d.app.wait_loaded(&d.store);
    // At launch the brief waits for the first frame; the event loop then starts its thread.
    assert!(d.app.detail_waits);
    assert!(d.app.start_waiting_detail(&d.store));
    assert!(d.app.brief_pending(), "not worked out on the loop's thread");
    until_the_brief_is_in(&mut d);
    let selected = d.app.selected_contact().map(|(id, _)| id);
    assert_eq!(d.app.brief.as_ref().map(|b| b.contact.id), selected);

    // A filter's answer: its top contact's brief follows on a thread too.
    d.key(KeyCode::Char('/'));
    for c in "amara kn".chars() {
        d.app.handle(
            &mut d.store,
            Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    d.app.filter.settle(&d.app.data.contacts);
    d.app.detail_waits = true;
    assert!(d.app.start_waiting_detail(&d.store));
    until_the_brief_is_in(&mut d);
    let name = |d: &Demo| {
        d.app
            .brief
            .as_ref()
            .map(|b| b.contact.fields.display_name.clone())
    };
    assert_eq!(name(&d).as_deref(), Some("Amara Knuth"));

    // The selection moved on before the brief came: it is dropped, not shown for the wrong one.
    d.app.brief = None;
    d.app.detail_waits = true;
    assert!(d.app.start_waiting_detail(&d.store));
    d.app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('x'),
        KeyModifiers::NONE,
    )));
    assert!(d.app.selected_contact().is_none());
    until_the_brief_is_in(&mut d);
    assert!(
        d.app.brief.is_none(),
        "another contact's brief is not shown"
    );
}

#[test]
fn on_a_large_book_whose_briefs_are_slow_a_move_answers_at_once_and_the_brief_follows() {
    let mut d = demo_loading(50);
    d.app.wait_loaded(&d.store);
    d.app.idle(&d.store);
    let brief_id = |d: &Demo| d.app.brief.as_ref().map(|b| b.contact.id);
    let first = brief_id(&d);
    assert!(first.is_some());

    // Briefs as slow as at a million contacts: `j` moves the ▸ and loads nothing.
    d.app.slow_briefs = true;
    let j = Event::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
    d.app.handle(&mut d.store, j.clone());
    let second = d.app.selected_contact().map(|(id, _)| id);
    assert_ne!(second, first, "the ▸ moved");
    assert_eq!(brief_id(&d), first, "the brief was left for a thread");
    assert!(d.app.detail_waits);
    assert_eq!(d.app.detail_quiet, kith::tui::app::DETAIL_AFTER_MOVE);
    let screen = d.screen(80, 24);
    assert!(screen.contains("Brief · loading…"), "{screen}");

    // Keys paused: the event loop starts the brief's thread, and shows it when it is in.
    assert!(d.app.start_waiting_detail(&d.store));
    until_the_brief_is_in(&mut d);
    assert_eq!(brief_id(&d), second);
    let screen = d.screen(80, 24);
    assert!(!screen.contains("loading…"), "{screen}");
    assert!(screen.contains(&d.selected()), "{screen}");

    // Briefs within a keystroke's budget: a move loads the next one at once again.
    d.app.slow_briefs = false;
    d.app.handle(&mut d.store, j);
    assert_eq!(brief_id(&d), d.app.selected_contact().map(|(id, _)| id));
    assert!(!d.app.detail_waits);
}

#[test]
fn the_whole_list_arriving_keeps_the_selection_and_the_first_page_order() {
    let mut d = demo_loading(50);
    let first_page: Vec<i64> = d.app.data.contacts.iter().map(|c| c.id).collect();
    d.key(KeyCode::Char('j')).key(KeyCode::Char('j'));
    let chosen = d.selected();
    // The event loop polls; this is what it does once the thread is done.
    while d.app.loading.is_some() {
        d.app.poll_loading(&d.store);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let whole: Vec<i64> = d.app.data.contacts.iter().map(|c| c.id).collect();
    assert_eq!(&whole[..50], &first_page[..], "same order as the full sort");
    assert_eq!(d.selected(), chosen);
    assert_eq!(d.app.cursor[0], 2);
}

#[test]
fn adding_a_contact_on_a_large_book_selects_them_once_the_list_is_in() {
    let mut d = demo_loading(50);
    d.app.wait_loaded(&d.store);
    d.key(KeyCode::Char('a')).typed("Zed Newcomer");
    d.key(KeyCode::Enter);
    // The reload runs on a thread: the previous list stays until it is in.
    assert!(d.app.loading.is_some());
    assert!(d.screen(80, 24).contains("loading "));
    assert!(
        d.screen(80, 24).contains("Contacts 200"),
        "the previous list meanwhile"
    );
    d.app.wait_loaded(&d.store);
    assert_eq!(d.app.data.contacts.len(), 201);
    assert_eq!(d.selected(), "Zed Newcomer");
}

#[test]
fn on_a_large_book_the_agenda_is_worked_out_on_a_thread() {
    let expected = {
        let mut d = demo();
        d.key(KeyCode::Char('3'));
        d.app.agenda.clone()
    };
    assert!(!expected.is_empty());
    let mut d = demo_loading(50);
    d.app.wait_loaded(&d.store);
    d.key(KeyCode::Char('3'));
    assert_eq!(d.app.view, View::Agenda);
    if d.app.agenda_loading.is_some() {
        let screen = d.screen(80, 24);
        assert!(screen.contains("working out the agenda…"), "{screen}");
    }
    d.app.wait_loaded(&d.store);
    assert!(d.app.agenda_loading.is_none());
    assert_eq!(
        d.app.agenda, expected,
        "the same agenda as computed at once"
    );
    assert!(d.app.brief.is_some(), "the first line's contact is shown");
}
