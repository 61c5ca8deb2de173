//! The brief against `kith show`, and a refusal said the same by both faces: the
//! interactive mode and the CLI run on its own book.

use super::*;

/// The CLI run on the interactive mode's own book: its exit code and what it said.
fn cli_on(d: &Demo, args: &[&str]) -> (i32, String) {
    let out = crate::common::Env::new()
        .kith()
        .env("KITH_DB", d.store.path())
        .args(args)
        .output()
        .expect("kith runs");
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), said)
}

#[test]
fn a_snooze_into_the_past_is_refused_by_both_faces_with_one_message() {
    let mut d = demo();
    d.key(KeyCode::Char('/'))
        .typed("amara kn")
        .key(KeyCode::Enter);
    d.key(KeyCode::Char('f')).typed("Send the pilot plan");
    d.key(KeyCode::Tab).typed("next friday").key(KeyCode::Enter);
    d.key(KeyCode::Char('s'));
    let Mode::Form(form) = &d.app.mode else {
        panic!("s opens the snooze form")
    };
    let kith::tui::form::FormKind::Snooze { reminder_id } = form.kind else {
        panic!("a snooze form: {:?}", form.kind)
    };
    let snoozed = format!(
        "SELECT count(*) FROM reminders WHERE id = {reminder_id} AND snoozed_until IS NOT NULL"
    );
    d.typed("yesterday").key(KeyCode::Enter);
    let Mode::Form(form) = &d.app.mode else {
        panic!("a date already past keeps the form open")
    };
    let shown = form.fields[0].error.clone().expect("a problem under Until");
    assert_eq!(
        shown,
        "\"yesterday\" is already past; snooze to a later time"
    );
    assert_eq!(d.cli_json(&snoozed), 0, "nothing written");

    let (code, said) = cli_on(
        &d,
        &["snooze", &reminder_id.to_string(), "--until", "yesterday"],
    );
    assert_eq!(code, 5, "{said}");
    assert!(
        said.contains("is already past; snooze to a later time"),
        "{said}"
    );
    assert_eq!(d.cli_json(&snoozed), 0, "nothing written");
}

#[test]
fn a_log_in_the_future_is_refused_by_both_faces_with_one_message() {
    let mut d = demo();
    d.key(KeyCode::Char('/'))
        .typed("amara kn")
        .key(KeyCode::Enter);
    let before = d.cli_json("SELECT count(*) FROM interactions");
    d.key(KeyCode::Char('i')).typed("Planned call");
    // Summary, Channel, When: replace "now" with a time to come.
    d.key(KeyCode::Tab).key(KeyCode::Tab);
    for _ in 0.."now".len() {
        d.key(KeyCode::Backspace);
    }
    d.typed("tomorrow 3pm").key(KeyCode::Enter);
    let Mode::Form(form) = &d.app.mode else {
        panic!("a time to come keeps the form open")
    };
    let shown = form.fields[2].error.clone().expect("a problem under When");
    assert!(shown.contains("is in the future"), "{shown}");
    assert_eq!(d.cli_json("SELECT count(*) FROM interactions"), before);

    let (code, said) = cli_on(
        &d,
        &["log", "amara kn", "Planned call", "--at", "tomorrow 3pm"],
    );
    assert_eq!(code, 5, "{said}");
    let reason = shown.trim_start_matches("\"tomorrow 3pm\" ");
    assert!(said.contains(reason), "{said} / {reason}");
    assert_eq!(d.cli_json("SELECT count(*) FROM interactions"), before);
}

impl Demo {
    /// Run the kith CLI on this demo's database (as another process would), expect success.
    fn cli(&self, args: &[&str]) -> String {
        let out = assert_cmd::Command::cargo_bin("kith")
            .expect("kith binary")
            .env_clear()
            .env("HOME", self._dir.path())
            .env("TZ", "UTC")
            .env("KITH_NOW", NOW)
            .env("KITH_DB", self.store.path())
            .args(args)
            .output()
            .expect("run kith");
        assert!(
            out.status.success(),
            "kith {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }
}

/// The brief's "Cadence and dates" lines as `kith show` prints them, each found on the
/// interactive brief (issue 16: the interactive brief left them out).
#[test]
fn the_brief_shows_yearly_dates_and_an_inherited_cadence_as_kith_show_does() {
    let mut d = demo();
    // Someone without a cadence of their own, so that the tag's applies.
    let own = d.cli_json(
        "SELECT id FROM contacts WHERE cadence IS NULL AND archived_at IS NULL ORDER BY id",
    );
    let name = d.name_of(own);
    d.key(KeyCode::Char('/')).typed(&name).key(KeyCode::Enter);
    assert_eq!(d.selected(), name);
    let id = own.to_string();
    d.cli(&["tag", &id, "+mentor"]);
    d.cli(&["tag-cadence", "mentor", "2w"]);
    d.cli(&["edit", &id, "--date", "renewal:2025-12-01"]);
    d.app.reload(&d.store).expect("reload");
    let shown = d.cli(&["show", &id]);
    let section: Vec<&str> = shown
        .lines()
        .skip_while(|l| *l != "Cadence and dates")
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(section.len(), 3, "{shown}");
    assert!(section[1].contains("every 2 weeks (tag mentor)"), "{shown}");
    assert!(
        section[2].contains("renewal 2025-12-01 (in 7 days, 1 year)"),
        "{shown}"
    );
    d.app.update(Event::Resize(200, 50));
    let screen = d.screen(200, 50);
    for line in section {
        assert!(screen.contains(line), "{line:?} missing from\n{screen}");
    }
}

/// The interactive brief carries the company's context as `kith show` does: the last touch
/// with someone else there, the colleagues' open follow-ups and the organization's notes,
/// right after how to reach the person (issue 17).
#[test]
fn the_brief_shows_the_companys_context_after_reach() {
    let mut d = demo();
    let id = d.cli_json(
        "SELECT id FROM contacts WHERE organization_id IS NOT NULL AND archived_at IS NULL
          ORDER BY id LIMIT 1",
    );
    let org: String = d
        .store
        .conn()
        .query_row(
            "SELECT o.name FROM organizations o JOIN contacts c ON c.organization_id = o.id
              WHERE c.id = ?1",
            [id],
            |r| r.get(0),
        )
        .expect("organization");
    let name = d.name_of(id);
    d.cli(&[
        "org",
        "edit",
        &org,
        "--note",
        "Renewal talks every January.",
    ]);
    d.cli(&["add", "Colleague Zed", "--org", &org]);
    d.cli(&[
        "log",
        "colleague zed",
        "--via",
        "call",
        "Asked about the renewal budget",
    ]);
    d.cli(&[
        "remind",
        "colleague zed",
        "send the renewal terms",
        "--due",
        "2026-12-01",
    ]);
    d.key(KeyCode::Char('/')).typed(&name).key(KeyCode::Enter);
    assert_eq!(d.selected(), name);
    d.app.reload(&d.store).expect("reload");
    d.app.update(Event::Resize(200, 50));
    let screen = d.screen(200, 50);
    let at = screen
        .find(&format!("At {org}"))
        .unwrap_or_else(|| panic!("no company section:\n{screen}"));
    let reach = screen.find("Reach").expect("Reach");
    assert!(reach < at, "the company comes after Reach:\n{screen}");
    for expected in [
        "call with Colleague Zed — Asked about the renewal budget",
        "send the renewal terms [Colleague Zed]",
        "Renewal talks every January.",
    ] {
        assert!(
            screen[at..].contains(expected),
            "{expected:?} missing:\n{screen}"
        );
    }
}

/// A follow-up is coloured overdue by where it stands, not by words in its text (issue 16:
/// the brief coloured any line with "ago" or "yesterday" in it).
#[test]
fn the_brief_colours_a_follow_up_overdue_by_its_date_not_its_words() {
    use ratatui::style::{Color, Modifier};
    let mut d = demo();
    d.key(KeyCode::Char('/'))
        .typed("amara kn")
        .key(KeyCode::Enter);
    let id = d.app.selected_contact().expect("Amara").0.to_string();
    d.cli(&["remind", &id, "send the deck", "--due", "2026-11-20"]);
    d.cli(&[
        "remind",
        &id,
        "ask how the trip a week ago went, yesterday's call",
        "--due",
        "2026-12-01",
    ]);
    d.cli(&["remind", &id, "plan the summer", "--due", "2027-06-01"]);
    d.app.reload(&d.store).expect("reload");
    let brief = d.app.brief.as_ref().expect("brief");
    // Mark a third follow-up, so that neither line below is bold for being marked.
    d.app.follow_up_cursor = brief
        .follow_ups
        .iter()
        .position(|r| r.text == "plan the summer")
        .expect("listed");
    d.app.update(Event::Resize(200, 50));
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    terminal.draw(|f| ui::draw(f, &d.app)).expect("draw");
    let buffer = terminal.backend().buffer();
    let style_of = |text: &str| {
        for y in 0..50u16 {
            let row: String = (0..200u16).map(|x| buffer[(x, y)].symbol()).collect();
            if let Some(at) = row.find(text) {
                let x = row[..at].chars().count() as u16;
                return buffer[(x, y)].style();
            }
        }
        panic!("{text:?} not on screen")
    };
    let overdue = style_of("send the deck");
    let later = style_of("ask how the trip");
    assert!(overdue.add_modifier.contains(Modifier::BOLD), "{overdue:?}");
    assert!(!later.add_modifier.contains(Modifier::BOLD), "{later:?}");
    assert_ne!(later.fg, Some(Color::Red), "{later:?}");
    if std::env::var_os("NO_COLOR").is_none() {
        assert_eq!(overdue.fg, Some(Color::Red), "{overdue:?}");
    }
}
