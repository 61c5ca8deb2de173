//! The brief's timeline in the interactive mode: j past the follow-ups selects an
//! interaction, Enter shows its body, `e` edits it in a form like the log form and `x`
//! deletes it (u brings it back), each through the same `app::interactions` functions as
//! `kith log edit|rm`.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::{Demo, demo};
use kith::tui::app::{Event, Mode, Pane};

/// A demo contact with an interaction that has a body, selected with the brief focused and
/// that interaction's timeline row marked; its id.
fn on_a_row_with_a_body(d: &mut Demo) -> i64 {
    let (contact, interaction): (i64, i64) = d
        .store
        .conn()
        .query_row(
            "SELECT p.contact_id, i.id FROM interactions i
               JOIN interaction_participants p ON p.interaction_id = i.id
              WHERE i.body IS NOT NULL
                AND (SELECT count(*) FROM interaction_participants q
                      WHERE q.interaction_id = i.id) = 1
              ORDER BY i.occurred_at DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a demo interaction with a body");
    let name = d.name_of(contact);
    d.key(KeyCode::Char('/')).typed(&name).key(KeyCode::Enter);
    assert_eq!(d.selected(), name);
    d.key(KeyCode::Tab);
    assert_eq!(d.app.pane, Pane::Detail);
    for _ in 0..40 {
        let on_it = d.app.selected_interaction().map(|i| i.id) == Some(interaction);
        if on_it {
            return interaction;
        }
        d.key(KeyCode::Char('j'));
    }
    panic!("j never reached interaction #{interaction}");
}

fn ctrl(d: &mut Demo, c: char) {
    d.app.handle(
        &mut d.store,
        Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    );
}

fn body_of(d: &Demo, id: i64) -> String {
    d.store
        .conn()
        .query_row("SELECT body FROM interactions WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .expect("body")
}

#[test]
fn enter_on_a_timeline_row_shows_its_body_and_again_hides_it() {
    let mut d = demo();
    let id = on_a_row_with_a_body(&mut d);
    // The row is marked, and the follow-ups are not: d and s have nothing to act on.
    assert!(d.app.selected_follow_up().is_none());
    let first_line = body_of(&d, id).lines().next().unwrap().to_string();
    let probe: String = first_line.chars().take(20).collect();
    assert!(!d.screen(80, 24).contains(&probe));
    d.key(KeyCode::Enter);
    assert_eq!(d.app.expanded, Some(id));
    let screen = d.screen(80, 24);
    assert!(screen.contains(&probe), "{screen}");
    assert!(screen.contains("▸ "), "{screen}");
    let wide = d.screen(200, 50);
    assert!(wide.contains(&probe), "{wide}");
    d.key(KeyCode::Enter);
    assert_eq!(d.app.expanded, None);
    assert!(!d.screen(80, 24).contains(&probe));
    // k walks back up to the follow-ups (when there are any) and the mark goes with it.
    for _ in 0..40 {
        d.key(KeyCode::Char('k'));
    }
    assert_eq!(d.app.timeline_cursor, None);
}

#[test]
fn e_on_a_timeline_row_edits_it_under_the_rules_of_logging() {
    let mut d = demo();
    let id = on_a_row_with_a_body(&mut d);
    d.key(KeyCode::Char('e'));
    let Mode::Form(form) = &d.app.mode else {
        panic!("e opens a form: {:?}", d.app.mode);
    };
    assert!(form.title.starts_with(&format!("Edit interaction #{id}")));
    assert!(d.screen(80, 24).contains("Summary"));
    // A time in the future is refused in the form, as `kith log edit --at` refuses it.
    d.key(KeyCode::Tab).key(KeyCode::Tab);
    ctrl(&mut d, 'u');
    d.typed("tomorrow").key(KeyCode::Enter);
    let Mode::Form(form) = &d.app.mode else {
        panic!("the form stays open: {:?}", d.app.mode);
    };
    let error = form.fields[2].error.clone().unwrap_or_default();
    assert!(error.contains("in the future"), "{error}");
    ctrl(&mut d, 'u');
    d.typed("2026-11-01 09:00");
    d.key(KeyCode::BackTab).key(KeyCode::BackTab);
    ctrl(&mut d, 'u');
    d.typed("Renegotiated the pilot").key(KeyCode::Enter);
    assert_eq!(d.app.mode, Mode::Browse);
    let (summary, at): (String, String) = d
        .store
        .conn()
        .query_row(
            "SELECT summary, occurred_at FROM interactions WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(summary, "Renegotiated the pilot");
    assert_eq!(at, "2026-11-01T09:00:00Z");
    assert!(
        d.app
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("Saved interaction")
    );
}

#[test]
fn x_on_a_timeline_row_deletes_it_and_u_brings_it_back() {
    let mut d = demo();
    let id = on_a_row_with_a_body(&mut d);
    let record = |d: &Demo| -> String {
        d.store
            .conn()
            .query_row(
                "SELECT i.uid || i.occurred_at || i.channel || i.summary || ifnull(i.body, '')
                        || (SELECT group_concat(contact_id) FROM interaction_participants
                             WHERE interaction_id = i.id)
                        || (SELECT count(*) FROM reminders WHERE interaction_id = i.id)
                   FROM interactions i WHERE i.id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap_or_default()
    };
    let before = record(&d);
    assert!(!before.is_empty());
    let count = |d: &Demo| {
        d.cli_json(&format!(
            "SELECT count(*) FROM interactions WHERE id = {id}"
        ))
    };
    d.key(KeyCode::Char('x'));
    assert_eq!(count(&d), 0);
    let status = d.app.status.clone().unwrap().text;
    assert!(
        status.contains(&format!("Deleted interaction #{id}")),
        "{status}"
    );
    assert!(status.contains("u brings it back"), "{status}");
    // The contact was not archived: x acted on the row.
    assert_eq!(
        d.cli_json("SELECT count(*) FROM contacts WHERE archived_at IS NOT NULL"),
        0
    );
    d.key(KeyCode::Char('u'));
    assert_eq!(count(&d), 1);
    assert_eq!(
        record(&d),
        before,
        "the same interaction, its people and its links"
    );
}

#[test]
fn i_in_the_organizations_view_logs_with_the_organization_alone() {
    let mut d = demo();
    d.key(KeyCode::Char('2'));
    let org = d.app.data.organizations[0].clone();
    d.key(KeyCode::Char('i'));
    let Mode::Form(form) = &d.app.mode else {
        panic!("i opens the log form: {:?}", d.app.mode);
    };
    assert!(form.title.contains(&org.name), "{}", form.title);
    d.typed("Quarterly review with their team")
        .key(KeyCode::Enter);
    assert_eq!(d.app.mode, Mode::Browse, "{:?}", d.app.status);
    let (organization, people): (i64, i64) = d
        .store
        .conn()
        .query_row(
            "SELECT i.organization_id,
                    (SELECT count(*) FROM interaction_participants p WHERE p.interaction_id = i.id)
               FROM interactions i WHERE i.summary = 'Quarterly review with their team'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((organization, people), (org.id, 0));
    // The organization's brief shows it first in its timeline.
    let brief = d.app.org_brief.as_ref().expect("the organization's brief");
    assert_eq!(
        brief.interactions[0].summary,
        "Quarterly review with their team"
    );
}
