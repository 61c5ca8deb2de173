//! Two contacts of one name in the interactive mode: the Agenda and the contact list name
//! each with their #id, as the brief beside them does.

use super::*;

/// A person on the agenda whose name another contact has is listed with their #id.
#[test]
fn the_agenda_tells_namesakes_apart() {
    let mut d = demo();
    d.key(KeyCode::Char('3'));
    let contact = (d.app.agenda.entries())
        .find_map(|e| e.contact().cloned())
        .expect("someone on the agenda");
    let line = |screen: &str| screen.contains(&format!("{} #{}:", contact.name, contact.id));
    assert!(!line(&d.screen(120, 40)), "no namesake yet");
    let fields = kith::model::ContactFields {
        display_name: contact.name.clone(),
        ..Default::default()
    };
    kith::app::contacts::add(&mut d.store, clock(), fields).expect("add");
    d.app.reload(&d.store).expect("reload");
    let screen = d.screen(120, 40);
    assert!(line(&screen), "{screen}");
}

/// Two rows of one name in the contact list each say their #id; other rows do not.
#[test]
fn the_contact_list_tells_namesakes_apart() {
    let mut d = demo();
    let name = d.selected();
    let first = d.app.contact_at(0).expect("a first row").id;
    assert!(!d.screen(100, 30).contains(&format!("{name} #")));
    let fields = kith::model::ContactFields {
        display_name: name.clone(),
        ..Default::default()
    };
    let added = kith::app::contacts::add(&mut d.store, clock(), fields).expect("add");
    d.app.reload(&d.store).expect("reload");
    let screen = d.screen(100, 30);
    for id in [first, added] {
        assert!(screen.contains(&format!("{name} #{id}")), "{screen}");
    }
    // Only those two rows of the list (its left column) carry an id.
    let list_rows_with_ids = screen
        .lines()
        .map(|l| {
            l.trim_start_matches('"')
                .chars()
                .take(40)
                .collect::<String>()
        })
        .filter(|l| l.starts_with('┃') && l.contains(" #"))
        .count();
    assert_eq!(list_rows_with_ids, 2, "{screen}");
}

/// Adding a contact whose name another has says so, as `kith add` warns; a new name does not.
#[test]
fn adding_a_namesake_says_so() {
    let mut d = demo();
    let name = d.selected();
    let first = d.app.contact_at(0).expect("a first row").id;
    d.key(KeyCode::Char('a')).typed("Zed Newcomer");
    d.key(KeyCode::Enter);
    let said = |d: &Demo| {
        d.app
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    };
    assert!(said(&d).starts_with("Added Zed Newcomer"), "{}", said(&d));
    assert!(!said(&d).contains("same name"), "{}", said(&d));
    d.key(KeyCode::Char('a')).typed(&name);
    d.key(KeyCode::Enter);
    let status = said(&d);
    assert!(
        status.contains(&format!("{name} (#{first}) has the same name")),
        "{status}"
    );
    // Whole on the status line of an 80-column terminal.
    let screen = d.screen(80, 24);
    assert!(
        screen.contains(&format!("{name} (#{first}) has the same name.")),
        "{screen}"
    );
    // Their email and the name of both: the first reason, and how many other people.
    let email = kith::store::contacts::get(d.store.conn(), first)
        .expect("the first contact")
        .fields
        .emails[0]
        .value
        .clone();
    d.key(KeyCode::Char('a')).typed(&name);
    d.key(KeyCode::Tab).key(KeyCode::Tab).key(KeyCode::Tab);
    d.typed(&email).key(KeyCode::Enter);
    let status = said(&d);
    assert!(
        status.contains(&format!(
            "{email} is also {name}'s (#{first}) (and 1 more)."
        )),
        "{status}"
    );
}
