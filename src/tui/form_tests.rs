//! The forms' tests: problems under their fields, dates read as typed, editing by chars and
//! by lines.

use super::*;

fn clock() -> Clock {
    Clock::fixed("2026-11-24T10:00:00Z".parse().unwrap())
}

fn type_into(form: &mut Form, label: &str, text: &str) {
    form.focus = form.index(label);
    form.focused().clear();
    for c in text.chars() {
        form.focused().insert(c);
    }
}

#[test]
fn problems_appear_under_their_fields() {
    let mut form = Form::add_contact();
    type_into(&mut form, "Emails", "ada-at-example");
    type_into(&mut form, "Birthday", "1990-02-30");
    assert!(form.submit(clock()).is_none());
    assert_eq!(form.focus, form.index("Name"));
    assert_eq!(form.fields[0].error.as_deref(), Some("is empty"));
    assert!(
        form.fields[form.index("Emails")]
            .error
            .as_deref()
            .unwrap()
            .contains("no '@'")
    );
    assert!(form.fields[form.index("Birthday")].error.is_some());
    type_into(&mut form, "Name", "Ada Lovelace");
    type_into(&mut form, "Emails", "work:ada@example.com");
    type_into(&mut form, "Birthday", "1815-12-10");
    form.refresh(clock());
    assert!(form.fields.iter().all(|f| f.error.is_none()));
    match form.submit(clock()) {
        Some(Submission::AddContact { fields: f, .. }) => {
            assert_eq!(f.display_name, "Ada Lovelace");
            assert_eq!(f.emails[0].label.as_deref(), Some("work"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn log_reads_natural_dates_and_a_follow_up() {
    let mut form = Form::log(Subject::Contact(7), "Ada", clock());
    type_into(&mut form, "Summary", "Budget approved");
    type_into(&mut form, "When", "yesterday 3pm");
    type_into(&mut form, "Follow-up", "in 2 weeks: send proposal");
    form.refresh(clock());
    let when = &form.fields[form.index("When")];
    assert!(when.preview.as_deref().unwrap().contains("2026-11-23"));
    match form.submit(clock()) {
        Some(Submission::Log(input)) => {
            assert_eq!(input.participants, vec![7]);
            assert_eq!(input.channel, Channel::Call);
            assert_eq!(
                input.follow_up.as_deref(),
                Some("in 2 weeks: send proposal")
            );
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn the_log_form_reads_what_happened_in_the_past_and_the_due_date_ahead() {
    // Thursday 2026-12-03: the call was on Monday the 30th, the follow-up is next Monday.
    let thursday = Clock::fixed("2026-12-03T10:00:00Z".parse().unwrap());
    let mut form = Form::log(Subject::Contact(7), "Ada", thursday);
    type_into(&mut form, "Summary", "Budget approved");
    type_into(&mut form, "When", "monday");
    type_into(&mut form, "Follow-up", "monday 10:30: call back");
    form.refresh(thursday);
    let when = &form.fields[form.index("When")];
    assert_eq!(when.preview.as_deref(), Some("→ Mon 2026-11-30"));
    match form.submit(thursday) {
        Some(Submission::Log(input)) => {
            let at = crate::app::interactions::occurred_at(thursday, input.at.as_deref());
            let local = at.unwrap().with_timezone(&chrono::Local);
            assert_eq!(local.date_naive().to_string(), "2026-11-30");
            let spec = input.follow_up.as_deref().unwrap();
            let f = crate::app::follow_ups::parse_follow_up(thursday, spec).unwrap();
            assert_eq!(f.due.display_local(&chrono::Local), "2026-12-07 10:30");
            assert_eq!(f.text, "call back");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn editing_text_moves_by_chars() {
    let mut f = Field::new("X", "Zoë", "");
    f.left();
    f.insert('e');
    assert_eq!(f.value, "Zoeë");
    f.backspace();
    f.backspace();
    assert_eq!(f.value, "Zë");
    f.home();
    f.delete();
    assert_eq!(f.value, "ë");
}

#[test]
fn the_arrows_move_between_the_lines_of_a_multi_line_field() {
    let mut f = Field::new("Notes", "first\nsecond line\nthird", "").multiline();
    assert!(f.line_by(-1));
    assert_eq!(f.cursor_line_col(), (1, 5));
    assert!(f.line_by(-1));
    assert_eq!(f.cursor_line_col(), (0, 5));
    assert!(!f.line_by(-1));
    assert!(f.line_by(1) && f.line_by(1));
    assert_eq!(f.cursor_line_col(), (2, 5));
    assert!(!f.line_by(1));
    // Home and End stay on the cursor's line.
    f.line_by(-1);
    f.end();
    assert_eq!(f.cursor_line_col(), (1, 11));
    f.home();
    assert_eq!(f.cursor_line_col(), (1, 0));
}

/// A default ("now", "call") is replaced by what is typed over it, not added to; moving the
/// cursor first edits it instead.
#[test]
fn typing_over_a_default_replaces_it() {
    let mut form = Form::log(Subject::Contact(7), "Ada", clock());
    form.focus = form.index("When");
    for c in "yesterday 3pm".chars() {
        form.focused().insert(c);
    }
    assert_eq!(form.fields[form.index("When")].value, "yesterday 3pm");
    form.focus = form.index("Channel");
    form.focused().backspace();
    assert_eq!(form.fields[form.index("Channel")].value, "");
    for c in "email".chars() {
        form.focused().insert(c);
    }
    form.focused().backspace();
    assert_eq!(form.fields[form.index("Channel")].value, "emai");

    let mut form = Form::log(Subject::Contact(7), "Ada", clock());
    form.focus = form.index("When");
    form.focused().end();
    for c in " + 0".chars() {
        form.focused().insert(c);
    }
    assert_eq!(form.fields[form.index("When")].value, "now + 0");
}
