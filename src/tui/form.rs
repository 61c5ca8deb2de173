//! The forms of the interactive mode: fields of text (one line, or several for the log's
//! body), read into the same typed inputs of [`crate::app`] the CLI builds and checked by the
//! same rules there, each problem shown under the field it belongs to.

use crate::app::contacts::{self, ChangeTags, EditContact};
use crate::app::follow_ups::{self, AddFollowUp, Snooze, Subject};
use crate::app::interactions::{self, LogInteraction};
use crate::app::parse_when;
use crate::clock::Clock;
use crate::dates::Lean;
use crate::error::Error;
use crate::model::{
    Birthday, Channel, ContactFields, Due, FieldKind, Labeled, Period, RecurFrom, normalize_tag,
};

/// Text being edited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    /// May hold newlines when `multiline`.
    pub value: String,
    /// Enter starts a new line here (Ctrl-S or Alt-Enter saves).
    pub multiline: bool,
    /// Cursor position, in chars.
    pub cursor: usize,
    pub hint: &'static str,
    pub error: Option<String>,
    /// What a date field is read as ("→ Tue 2026-11-24"), updated as you type.
    pub preview: Option<String>,
}

impl Field {
    fn new(label: &'static str, value: impl Into<String>, hint: &'static str) -> Field {
        let value = value.into();
        Field {
            label,
            cursor: value.chars().count(),
            value,
            hint,
            error: None,
            preview: None,
            multiline: false,
        }
    }

    fn multiline(mut self) -> Field {
        self.multiline = true;
        self
    }

    /// The line the cursor is on and its column there, in chars.
    pub fn cursor_line_col(&self) -> (usize, usize) {
        let before: Vec<char> = self.value.chars().take(self.cursor).collect();
        let line = before.iter().filter(|&&c| c == '\n').count();
        let col = before.iter().rev().take_while(|&&c| c != '\n').count();
        (line, col)
    }

    fn byte_at(&self, cursor: usize) -> usize {
        self.value
            .char_indices()
            .nth(cursor)
            .map_or(self.value.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte_at(self.cursor);
            self.value.remove(at);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.value.chars().count() {
            let at = self.byte_at(self.cursor);
            self.value.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.value.chars().count());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.value.chars().count();
    }

    pub fn clear(&mut self) {
        self.value.clear();
        self.cursor = 0;
    }

    fn text(&self) -> Option<String> {
        let t = self.value.trim();
        (!t.is_empty()).then(|| t.to_string())
    }
}

/// What a form is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    AddContact,
    EditContact {
        id: i64,
        current: Box<ContactFields>,
    },
    Log {
        contact_id: i64,
    },
    FollowUp {
        contact_id: i64,
    },
    Snooze {
        reminder_id: i64,
    },
    Tags {
        contact_id: i64,
    },
}

/// A change the form asks for: the typed input of its [`crate::app`] function, checked.
#[derive(Debug, Clone)]
pub enum Submission {
    AddContact(ContactFields),
    EditContact(EditContact),
    Log(LogInteraction),
    FollowUp(AddFollowUp),
    Snooze(Snooze),
    Tags(ChangeTags),
}

/// Problems found while reading a form: (field index, message).
struct Problems<'f> {
    form: &'f Form,
    list: Vec<(usize, String)>,
}

impl Problems<'_> {
    fn check(&mut self, label: &str, e: Error) {
        self.list.push((self.form.index(label), problem(&e)));
    }

    /// The value of `result`, or `None` with its problem noted under `label`.
    fn ok<T>(&mut self, label: &str, result: Result<T, Error>) -> Option<T> {
        result.map_err(|e| self.check(label, e)).ok()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// After the first attempt to save, problems are shown (and kept current) as you type.
    pub tried: bool,
}

const WHEN_HINT: &str = "now, yesterday 3pm, 2 days ago, 2026-11-20";
const DUE_HINT: &str = "tomorrow, next friday, in 2 weeks, 2026-12-01";

impl Form {
    pub fn add_contact() -> Form {
        Form::contact(
            FormKind::AddContact,
            "Add a contact".into(),
            &ContactFields::default(),
        )
    }

    pub fn edit_contact(id: i64, current: ContactFields) -> Form {
        let title = format!(
            "Edit {}",
            crate::output::sanitize_line(&current.display_name)
        );
        let kind = FormKind::EditContact {
            id,
            current: Box::new(current.clone()),
        };
        Form::contact(kind, title, &current)
    }

    fn contact(kind: FormKind, title: String, c: &ContactFields) -> Form {
        let list = |l: &[Labeled]| {
            l.iter()
                .map(|x| match &x.label {
                    Some(label) => format!("{label}:{}", x.value),
                    None => x.value.clone(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let fields = vec![
            Field::new(
                "Name",
                c.display_name.clone(),
                "the name to show, e.g. Ada Lovelace",
            ),
            Field::new(
                "Organization",
                c.organization.clone().unwrap_or_default(),
                "created when new",
            ),
            Field::new(
                "Title",
                c.title.clone().unwrap_or_default(),
                "role at the organization",
            ),
            Field::new("Emails", list(&c.emails), "work:ada@example.com, home:..."),
            Field::new("Phones", list(&c.phones), "mobile:+44 20 7946 0958, ..."),
            Field::new("Tags", c.tags.join(" "), "client vip (space separated)"),
            Field::new(
                "Birthday",
                c.birthday.map(|b| b.to_string()).unwrap_or_default(),
                "YYYY-MM-DD, or --MM-DD without the year",
            ),
            Field::new(
                "Prefers",
                c.preferred_channel
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                "call, email, meeting, video, message, social, letter",
            ),
            Field::new(
                "Keep in touch",
                c.cadence.map(|p| p.to_string()).unwrap_or_default(),
                "every 30d, 2w, 2m, 1y",
            ),
            Field::new("Notes", c.notes.clone().unwrap_or_default(), "free text"),
        ];
        Form {
            kind,
            title,
            fields,
            focus: 0,
            tried: false,
        }
    }

    pub fn log(contact_id: i64, name: &str) -> Form {
        Form {
            kind: FormKind::Log { contact_id },
            title: format!(
                "Log an interaction with {}",
                crate::output::sanitize_line(name)
            ),
            fields: vec![
                Field::new("Summary", "", "what happened, in one line"),
                Field::new(
                    "Channel",
                    "call",
                    "call, email, meeting, video, message, social, letter, note",
                ),
                Field::new("When", "now", WHEN_HINT),
                Field::new("Body", "", "optional: details; Enter starts a new line").multiline(),
                Field::new("Follow-up", "", "optional: \"in 2 weeks: send proposal\""),
            ],
            focus: 0,
            tried: false,
        }
    }

    pub fn follow_up(contact_id: i64, name: &str) -> Form {
        Form {
            kind: FormKind::FollowUp { contact_id },
            title: format!("Follow-up about {}", crate::output::sanitize_line(name)),
            fields: vec![
                Field::new("What", "", "what to do, e.g. send the proposal"),
                Field::new("Due", "", DUE_HINT),
                Field::new("Repeat", "", "optional: every 7d, 2w, 3m, 1y"),
            ],
            focus: 0,
            tried: false,
        }
    }

    pub fn snooze(reminder_id: i64, text: &str) -> Form {
        Form {
            kind: FormKind::Snooze { reminder_id },
            title: format!("Snooze: {}", crate::output::sanitize_line(text)),
            fields: vec![Field::new("Until", "", DUE_HINT)],
            focus: 0,
            tried: false,
        }
    }

    pub fn tags(contact_id: i64, name: &str, current: &[String]) -> Form {
        let hint = if current.is_empty() {
            "+client to add, -client to remove (no tags yet)".to_string()
        } else {
            format!("+tag to add, -tag to remove; now: {}", current.join(" "))
        };
        let field = Field::new("Tags", "", "+tag to add, -tag to remove");
        // The preview line names the contact's current tags.
        let mut form = Form {
            kind: FormKind::Tags { contact_id },
            title: format!("Tags of {}", crate::output::sanitize_line(name)),
            fields: vec![field],
            focus: 0,
            tried: false,
        };
        form.fields[0].preview = Some(hint);
        form
    }

    pub fn focused(&mut self) -> &mut Field {
        &mut self.fields[self.focus]
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
    }

    pub fn prev_field(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
    }

    /// Recompute date previews (always) and problems (once saving was tried).
    pub fn refresh(&mut self, clock: Clock) {
        for f in &mut self.fields {
            if matches!(f.label, "When" | "Due" | "Until") {
                let lean = if f.label == "When" {
                    Lean::Past
                } else {
                    Lean::Future
                };
                f.preview = f
                    .text()
                    .map(|t| match parse_when(clock, f.label, &t, lean) {
                        Ok(w) => format!("→ {}", describe_when(w, clock)),
                        Err(_) => "→ ?".to_string(),
                    });
            }
        }
        let tried = self.tried;
        let result = self.validate(clock);
        for f in &mut self.fields {
            f.error = None;
        }
        if tried && let Err(problems) = result {
            for (i, message) in problems {
                self.fields[i].error = Some(message);
            }
        }
    }

    /// Try to save: the submission, or the form with its problems marked and the focus on
    /// the first one.
    pub fn submit(&mut self, clock: Clock) -> Option<Submission> {
        self.tried = true;
        self.refresh(clock);
        match self.validate(clock) {
            Ok(s) => Some(s),
            Err(problems) => {
                if let Some((i, _)) = problems.first() {
                    self.focus = *i;
                }
                None
            }
        }
    }

    fn index(&self, label: &str) -> usize {
        self.fields
            .iter()
            .position(|f| f.label == label)
            .unwrap_or(0)
    }

    fn value(&self, label: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .and_then(Field::text)
    }

    /// Validate every field; problems as (field index, message).
    fn validate(&self, clock: Clock) -> Result<Submission, Vec<(usize, String)>> {
        let mut problems = Problems {
            form: self,
            list: Vec::new(),
        };
        let submission = match &self.kind {
            FormKind::AddContact => {
                Submission::AddContact(self.contact_fields(&mut problems, None, clock))
            }
            FormKind::EditContact { id, current } => {
                let fields = self.contact_fields(&mut problems, Some(current), clock);
                Submission::EditContact(EditContact::fields(*id, fields))
            }
            FormKind::Log { contact_id } => self.log_input(&mut problems, *contact_id, clock),
            FormKind::FollowUp { contact_id } => {
                self.follow_up_input(&mut problems, *contact_id, clock)
            }
            FormKind::Snooze { reminder_id } => {
                let until = self.value("Until");
                match &until {
                    None => problems.check("Until", no_date()),
                    Some(raw) => {
                        problems.ok("Until", follow_ups::snooze_until(clock, raw));
                    }
                }
                Submission::Snooze(Snooze {
                    id: *reminder_id,
                    until: until.unwrap_or_default(),
                })
            }
            FormKind::Tags { contact_id } => {
                let changes = self.value("Tags").unwrap_or_default();
                let parsed = ChangeTags::parse(
                    *contact_id,
                    changes.split([' ', ',']).filter(|c| !c.is_empty()),
                );
                Submission::Tags(problems.ok("Tags", parsed).unwrap_or_default())
            }
        };
        let mut problems = problems.list;
        if problems.is_empty() {
            Ok(submission)
        } else {
            problems.sort_by_key(|(i, _)| *i);
            problems.dedup_by_key(|(i, _)| *i);
            Err(problems)
        }
    }

    /// A contact's fields as typed over `current` (when editing), checked as
    /// [`contacts::check_new`] and [`contacts::check_edited`] check them.
    fn contact_fields(
        &self,
        problems: &mut Problems,
        current: Option<&ContactFields>,
        clock: Clock,
    ) -> ContactFields {
        let mut fields = current.cloned().unwrap_or_default();
        fields.display_name = self.value("Name").unwrap_or_default();
        fields.organization = self.value("Organization");
        fields.title = self.value("Title");
        fields.notes = self.value("Notes");
        for (label, kind) in [("Emails", FieldKind::Email), ("Phones", FieldKind::Phone)] {
            let list = self.value(label).unwrap_or_default();
            *fields.labeled_mut(kind) = list
                .split(',')
                .filter(|item| !item.trim().is_empty())
                .filter_map(|item| problems.ok(label, Labeled::parse_labeled(kind, item)))
                .collect();
        }
        let tags = self.value("Tags").unwrap_or_default();
        fields.tags = tags
            .split([' ', ','])
            .filter(|t| !t.is_empty())
            .filter_map(|t| problems.ok("Tags", normalize_tag(t)))
            .collect();
        fields.birthday = self
            .value("Birthday")
            .and_then(|b| problems.ok("Birthday", Birthday::parse(&b)));
        fields.preferred_channel = self
            .value("Prefers")
            .and_then(|c| problems.ok("Prefers", c.parse::<Channel>()));
        fields.cadence = self
            .value("Keep in touch")
            .and_then(|p| problems.ok("Keep in touch", period("Keep in touch", &p)));
        // The application's own checks, as `kith add` / `kith edit` run them.
        let mut checked = fields.clone();
        let result = match current {
            None => contacts::check_new(&mut checked, clock.today()),
            Some(current) => contacts::check_edited(current, &mut checked, clock.today()),
        };
        if let Err(e) = result {
            let label = match &e {
                Error::Invalid { field, .. } => contact_label(field),
                _ => "Name",
            };
            problems.check(label, e);
        }
        fields
    }

    fn log_input(&self, problems: &mut Problems, contact_id: i64, clock: Clock) -> Submission {
        let summary = self.value("Summary").unwrap_or_default();
        problems.ok("Summary", interactions::summary(&summary));
        let channel = self.value("Channel").unwrap_or_default().parse::<Channel>();
        let channel = problems.ok("Channel", channel).unwrap_or(Channel::Note);
        let at = self.value("When");
        problems.ok("When", interactions::occurred_at(clock, at.as_deref()));
        let follow_up = self.value("Follow-up");
        if let Some(spec) = &follow_up {
            problems.ok("Follow-up", follow_ups::parse_follow_up(clock, spec));
        }
        Submission::Log(LogInteraction {
            participants: vec![contact_id],
            summary,
            channel,
            direction: None,
            at,
            body: self.value("Body"),
            follow_up,
        })
    }

    fn follow_up_input(
        &self,
        problems: &mut Problems,
        contact_id: i64,
        clock: Clock,
    ) -> Submission {
        let text = self.value("What").unwrap_or_default();
        problems.ok("What", follow_ups::text(&text));
        let due = problems
            .ok("Due", due_of(self.value("Due"), clock))
            .unwrap_or(Due::Day(clock.today()));
        let recurrence = self
            .value("Repeat")
            .and_then(|p| problems.ok("Repeat", period("repeat", &p)));
        Submission::FollowUp(AddFollowUp {
            about: Subject::Contact(contact_id),
            text,
            due,
            recurrence,
            recur_from: RecurFrom::Due,
        })
    }
}

fn period(field: &str, input: &str) -> Result<Period, Error> {
    Period::parse(input)
        .map_err(|_| Error::invalid(field, input, "expected a period such as 30d, 2w, 2m or 1y"))
}

fn no_date() -> Error {
    Error::invalid("date", "", "say when, e.g. tomorrow or 2026-12-01")
}

fn due_of(input: Option<String>, clock: Clock) -> Result<Due, Error> {
    match input {
        None => Err(no_date()),
        Some(s) => parse_when(clock, "date", &s, Lean::Future).map(Due::from),
    }
}

/// Which form field a model validation error names.
fn contact_label(field: &str) -> &'static str {
    match field {
        "organization" => "Organization",
        "title" => "Title",
        "email" => "Emails",
        "phone" => "Phones",
        "tag" => "Tags",
        "birthday" => "Birthday",
        _ => "Name",
    }
}

/// An error as a short message under its field: "is empty", "has no '@'".
fn problem(e: &Error) -> String {
    match e {
        Error::Invalid { value, reason, .. } if value.is_empty() => reason.clone(),
        Error::Invalid { value, reason, .. } => format!("\"{value}\" {reason}"),
        other => other.to_string(),
    }
}

fn describe_when(w: crate::dates::When, clock: Clock) -> String {
    match w {
        crate::dates::When::Date(d) => d.format("%a %Y-%m-%d").to_string(),
        crate::dates::When::At(t) => t
            .with_timezone(&clock.local().timezone())
            .format("%a %Y-%m-%d %H:%M")
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
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
            Some(Submission::AddContact(f)) => {
                assert_eq!(f.display_name, "Ada Lovelace");
                assert_eq!(f.emails[0].label.as_deref(), Some("work"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn log_reads_natural_dates_and_a_follow_up() {
        let mut form = Form::log(7, "Ada");
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
        let mut form = Form::log(7, "Ada");
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
}
