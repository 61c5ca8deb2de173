//! The interactive mode at 60×20, 80×24 and 200×50 (issue 17): one pane at a time below 80
//! columns, forms that show and edit every line of a note and keep their labels, problems
//! and help wrapped rather than cut, a snooze hint in the future, a status line in parts, an
//! organization's people opened from its details, and a new organization made from the form.

use kith::tui::app::{Event, Mode, Pane, View};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Demo, clock, demo};

impl Demo {
    fn at(&mut self, width: u16, height: u16) -> &mut Demo {
        self.app.update(Event::Resize(width, height));
        self
    }

    fn ctrl(&mut self, c: char) -> &mut Demo {
        self.app.handle(
            &mut self.store,
            Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
        );
        self
    }

    fn form(&self) -> &kith::tui::form::Form {
        match &self.app.mode {
            Mode::Form(form) => form,
            other => panic!("a form is open, not {other:?}"),
        }
    }

    /// Give contact `id` these notes, as `kith edit --note` would.
    fn set_notes(&mut self, id: i64, notes: &str) {
        let mut fields = kith::store::contacts::get(self.store.conn(), id)
            .expect("contact")
            .fields;
        fields.notes = Some(notes.to_string());
        let edit = kith::app::contacts::EditContact::fields(id, fields);
        kith::app::contacts::edit(&mut self.store, clock(), &edit).expect("edit");
        self.app.reload(&self.store).expect("reload");
    }
}

/// The screen's text with the box drawing and runs of spaces taken out: what a reader reads.
fn words(screen: &str) -> String {
    screen
        .lines()
        // TestBackend quotes each row.
        .map(|row| {
            row.strip_prefix('"')
                .and_then(|r| r.strip_suffix('"'))
                .unwrap_or(row)
        })
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| {
            if "│┃┏┓┗┛━─┌┐└┘".contains(c) {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn at_60x20_one_pane_shows_at_a_time_and_enter_opens_the_details() {
    let mut d = demo();
    d.at(60, 20);
    let list = d.screen(60, 20);
    assert!(list.contains("Contacts 200"), "{list}");
    assert!(!list.contains("Brief"), "the list alone: {list}");
    insta::assert_snapshot!("contacts_60x20", list);
    d.key(KeyCode::Enter);
    assert_eq!(d.app.pane, Pane::Detail);
    let brief = d.screen(60, 20);
    assert!(brief.contains("Brief (Esc: list)"), "{brief}");
    assert!(brief.contains("+46 51 766 6517"), "the phone: {brief}");
    insta::assert_snapshot!("brief_60x20", brief);
    d.key(KeyCode::Esc);
    assert!(d.screen(60, 20).contains("Contacts 200"));

    d.key(KeyCode::Char('2'));
    insta::assert_snapshot!("organizations_60x20", d.screen(60, 20));
    d.key(KeyCode::Char('3'));
    let agenda = d.screen(60, 20);
    assert!(agenda.contains("Agenda"), "{agenda}");

    for (w, h) in [(59, 20), (60, 19), (40, 10)] {
        d.at(w, h);
        let small = d.screen(w, h);
        assert!(
            words(&small).contains("Terminal too small"),
            "{w}×{h}: {small}"
        );
    }
}

#[test]
fn the_brief_shows_how_to_reach_them_before_the_timeline_at_80x24() {
    let mut d = demo();
    let screen = d.at(80, 24).screen(80, 24);
    assert!(screen.contains("+46 51 766 6517"), "{screen}");
    let reach = screen.find("Reach").expect("Reach");
    let timeline = screen.find("Timeline").expect("Timeline");
    assert!(reach < timeline, "{screen}");
}

#[test]
fn every_line_of_a_multi_line_note_is_shown_and_edited() {
    let mut d = demo();
    let id = d.app.selected_contact().expect("first contact").0;
    let lines: Vec<String> = (1..=12)
        .map(|n| format!("Line {n:02} of the note"))
        .collect();
    d.set_notes(id, &lines.join("\n"));
    d.at(60, 20).key(KeyCode::Char('e'));
    // Shift-Tab from Name: the Notes, the cursor after its last line.
    d.key(KeyCode::BackTab);
    assert_eq!(d.form().fields[d.form().focus].label, "Notes");
    let screen = d.screen(60, 20);
    assert!(screen.contains("Line 12 of the note"), "{screen}");
    assert!(
        screen.contains("of 12; ↑↓ move"),
        "says more lines: {screen}"
    );
    insta::assert_snapshot!("edit_notes_60x20", screen);
    // ↑ walks up every line, each shown when reached.
    for n in (1..12).rev() {
        d.key(KeyCode::Up);
        let screen = d.screen(60, 20);
        assert!(screen.contains(&format!("Line {n:02} of")), "{n}: {screen}");
    }
    assert_eq!(d.form().fields[d.form().focus].label, "Notes");
    // Edit the third line in the middle of the note.
    d.key(KeyCode::Down).key(KeyCode::Down).key(KeyCode::End);
    d.typed(" (edited)");
    d.ctrl('s');
    assert_eq!(d.app.mode, Mode::Browse);
    let notes = d
        .app
        .brief
        .as_ref()
        .expect("brief")
        .contact
        .fields
        .notes
        .clone();
    let mut expected = lines.clone();
    expected[2].push_str(" (edited)");
    assert_eq!(notes.as_deref(), Some(expected.join("\n").as_str()));

    // Wide enough, the whole note shows at once.
    d.at(200, 50).key(KeyCode::Char('e'));
    let screen = d.screen(200, 50);
    for line in &expected {
        assert!(screen.contains(line.as_str()), "{line}: {screen}");
    }
    insta::assert_snapshot!("edit_notes_200x50", screen);
}

#[test]
fn a_long_field_scrolls_beside_its_label() {
    let mut d = demo();
    d.at(60, 20).key(KeyCode::Char('a'));
    let long = "Maximiliana Wilhelmina Theodora von Hohenzollern-Sigmaringen the Third";
    d.typed(long);
    let screen = d.screen(60, 20);
    let row = screen
        .lines()
        .find(|l| l.contains("Name:"))
        .expect("the label stays");
    assert!(row.contains("Name:…"), "scrolled left: {row}");
    assert!(row.contains("the Third"), "the cursor's end: {row}");
    d.key(KeyCode::Home);
    let screen = d.screen(60, 20);
    let row = screen.lines().find(|l| l.contains("Name:")).expect("label");
    assert!(row.contains("Name: Maximiliana"), "{row}");
    assert!(row.contains('…'), "cut on the right: {row}");
    assert_eq!(d.form().fields[0].value, long);
}

#[test]
fn problems_and_hints_wrap_instead_of_being_cut() {
    let mut d = demo();
    d.key(KeyCode::Char('/'))
        .typed("amara kn")
        .key(KeyCode::Enter);
    d.at(60, 20).key(KeyCode::Char('f')).typed("Send the plan");
    d.key(KeyCode::Tab)
        .typed("someday soon")
        .key(KeyCode::Enter);
    let problem = d.form().fields[1]
        .error
        .clone()
        .expect("a problem under Due");
    let screen = d.screen(60, 20);
    assert!(
        words(&screen).contains(&words(&problem)),
        "{problem:?} whole on {screen}"
    );
    insta::assert_snapshot!("follow_up_problem_60x20", screen);
}

#[test]
fn the_snooze_hint_proposes_days_to_come() {
    let mut d = demo();
    d.key(KeyCode::Char('/'))
        .typed("amara kn")
        .key(KeyCode::Enter);
    d.key(KeyCode::Char('f')).typed("Send the plan");
    d.key(KeyCode::Tab).typed("next friday").key(KeyCode::Enter);
    d.key(KeyCode::Char('s'));
    let hint = d.form().fields[0].hint.clone();
    assert!(hint.contains("tomorrow"), "{hint}");
    let today = clock().today();
    for word in hint.split([',', ' ']) {
        if let Ok(day) = chrono::NaiveDate::parse_from_str(word, "%Y-%m-%d") {
            assert!(day > today, "{day} in {hint}");
        }
        assert!(!word.contains("ago") && word != "yesterday", "{hint}");
    }
    // Every example the hint gives is read as a day to come.
    for example in hint.split(", ") {
        let when = kith::app::parse_when(clock(), "until", example, kith::dates::Lean::Future)
            .expect(example);
        let day = match when {
            kith::dates::When::Date(day) => day,
            kith::dates::When::At(t) => t.date_naive(),
        };
        assert!(day > today, "{example} is {day}");
    }
    assert!(d.screen(80, 24).contains(&hint), "shown under Until");
}

#[test]
fn the_help_keeps_keys_and_their_words_apart_at_every_size() {
    let mut d = demo();
    for (w, h) in [(60, 20), (80, 24), (120, 40), (200, 50)] {
        d.at(w, h).key(KeyCode::Char('?'));
        let mut seen = String::new();
        for _ in 0..80 {
            seen.push_str(&d.screen(w, h));
            d.key(KeyCode::Char('j'));
        }
        assert!(seen.contains("Alt-Enter  save"), "{w}×{h}: {seen}");
        assert!(!seen.contains("Alt-Entersave"), "{w}×{h}");
        assert!(seen.contains("Ctrl-N"), "{w}×{h}");
        // Every description is whole: its last word is on screen.
        for b in kith::tui::keys::BINDINGS {
            let last = b.help.split_whitespace().last().expect("a word");
            assert!(seen.contains(last), "{w}×{h}: {last} of {:?}", b.help);
        }
        d.key(KeyCode::Esc);
        assert_eq!(d.app.mode, Mode::Browse);
    }
    d.at(120, 40).key(KeyCode::Char('?'));
    insta::assert_snapshot!("help_120x40", d.screen(120, 40));
}

#[test]
fn the_status_line_separates_the_message_from_the_path() {
    let mut d = demo();
    for (w, h) in [(60, 20), (80, 24), (200, 50)] {
        let screen = d.at(w, h).screen(w, h);
        let status = screen.lines().nth(h as usize - 2).expect("status row");
        assert!(status.contains(" │ "), "{w}×{h}: {status}");
        assert!(status.contains("Demo: a temporary"), "{status}");
        assert!(status.contains("kith.db"), "{status}");
    }
}

#[test]
fn in_organizations_enter_opens_a_person_and_f_follows_up_the_organization() {
    let mut d = demo();
    d.key(KeyCode::Char('2'));
    let org = d.app.data.organizations[0].id;
    d.key(KeyCode::Enter);
    assert_eq!(d.app.pane, Pane::Detail);
    d.key(KeyCode::Char('j'));
    let person = d.app.selected_person().expect("a person marked");
    let brief = d.app.org_brief.as_ref().expect("brief");
    assert_eq!(brief.people[1].id, person);
    d.at(200, 50);
    insta::assert_snapshot!("organization_person_marked_200x50", d.screen(200, 50));
    d.key(KeyCode::Enter);
    assert_eq!(d.app.view, View::Contacts);
    assert_eq!(d.app.selected_contact().map(|c| c.0), Some(person));

    d.key(KeyCode::Char('2')).key(KeyCode::Char('f'));
    assert!(d.form().title.contains(&d.app.data.organizations[0].name));
    d.typed("Renew the contract");
    d.key(KeyCode::Tab).typed("next monday").key(KeyCode::Enter);
    assert_eq!(d.app.mode, Mode::Browse);
    let about_org = d.cli_json(&format!(
        "SELECT count(*) FROM reminders WHERE text = 'Renew the contract'
           AND organization_id = {org} AND contact_id IS NULL"
    ));
    assert_eq!(about_org, 1);
    assert!(
        d.app
            .org_brief
            .as_ref()
            .expect("brief")
            .follow_ups
            .iter()
            .any(|f| f.text == "Renew the contract")
    );
}

#[test]
fn the_contact_form_offers_to_create_an_organization_that_does_not_exist() {
    let mut d = demo();
    let orgs = "SELECT count(*) FROM organizations";
    let before = d.cli_json(orgs);
    d.at(60, 20).key(KeyCode::Char('a')).typed("Nia Okoro");
    d.key(KeyCode::Tab)
        .typed("Zebra Widgets")
        .key(KeyCode::Enter);
    let problem = d.form().fields[1]
        .error
        .clone()
        .expect("under Organization");
    assert_eq!(
        problem,
        "no organization \"Zebra Widgets\" yet; Ctrl-N creates it and saves"
    );
    assert!(!problem.contains("--new-org"));
    assert_eq!(d.app.data.contacts.len(), 200, "nothing added");
    let screen = d.screen(60, 20);
    assert!(
        words(&screen).contains("Ctrl-N creates it and saves"),
        "{screen}"
    );
    insta::assert_snapshot!("add_contact_new_organization_60x20", screen);

    d.ctrl('n');
    assert_eq!(d.app.mode, Mode::Browse);
    assert_eq!(d.cli_json(orgs), before + 1);
    assert_eq!(d.selected(), "Nia Okoro");
    let brief = d.app.brief.as_ref().expect("brief");
    assert_eq!(
        brief.contact.fields.organization.as_deref(),
        Some("Zebra Widgets")
    );

    // Ctrl-N on a name that exists: said in the form's words, nothing created.
    d.key(KeyCode::Char('a')).typed("Ola Nordmann");
    d.key(KeyCode::Tab).typed("Zebra Widgets").ctrl('n');
    let problem = d.form().fields[1]
        .error
        .clone()
        .expect("under Organization");
    assert!(
        problem.contains("already exists; Enter saves joining it"),
        "{problem}"
    );
    d.key(KeyCode::Enter);
    assert_eq!(d.app.mode, Mode::Browse);
    assert_eq!(d.cli_json(orgs), before + 1);
}
