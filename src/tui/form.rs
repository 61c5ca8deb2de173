//! The forms of the interactive mode: fields of text (one line, or several for the log's
//! body), validated with the same functions the CLI uses, each problem shown under the field
//! it belongs to.

use crate::clock::Clock;
use crate::error::Error;
use crate::model::{
    Birthday, Channel, ContactFields, Due, FieldKind, Labeled, NewInteraction, NewReminder, Period,
    normalize_tag,
};
use crate::ops::{self, FollowUpSpec};

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

/// A change the form asks for, validated and ready for the store.
#[derive(Debug, Clone)]
pub enum Submission {
    AddContact(ContactFields),
    EditContact(i64, ContactFields),
    Log(NewInteraction, Option<FollowUpSpec>),
    FollowUp(NewReminder),
    Snooze(i64, Due),
    Tags(i64, Vec<String>, Vec<String>),
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
                f.preview = f.text().map(|t| match ops::parse_when(clock, f.label, &t) {
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
        let mut problems: Vec<(usize, String)> = Vec::new();
        let mut check = |label: &str, e: Error| problems.push((self.index(label), problem(&e)));
        let submission = match &self.kind {
            FormKind::AddContact | FormKind::EditContact { .. } => {
                let mut fields = match &self.kind {
                    FormKind::EditContact { current, .. } => (**current).clone(),
                    _ => ContactFields::default(),
                };
                fields.display_name = self.value("Name").unwrap_or_default();
                fields.organization = self.value("Organization");
                fields.title = self.value("Title");
                fields.notes = self.value("Notes");
                for (label, kind) in [("Emails", FieldKind::Email), ("Phones", FieldKind::Phone)] {
                    let mut list = Vec::new();
                    for item in self.value(label).unwrap_or_default().split(',') {
                        if item.trim().is_empty() {
                            continue;
                        }
                        match Labeled::parse_labeled(kind, item) {
                            Ok(l) => list.push(l),
                            Err(e) => check(label, e),
                        }
                    }
                    *fields.labeled_mut(kind) = list;
                }
                fields.tags = Vec::new();
                for t in self.value("Tags").unwrap_or_default().split([' ', ',']) {
                    if t.is_empty() {
                        continue;
                    }
                    match normalize_tag(t) {
                        Ok(t) => fields.tags.push(t),
                        Err(e) => check("Tags", e),
                    }
                }
                fields.birthday = match self.value("Birthday").map(|b| Birthday::parse(&b)) {
                    Some(Ok(b)) => Some(b),
                    Some(Err(e)) => {
                        check("Birthday", e);
                        None
                    }
                    None => None,
                };
                fields.preferred_channel = match self.value("Prefers").map(|c| c.parse::<Channel>())
                {
                    Some(Ok(c)) => Some(c),
                    Some(Err(e)) => {
                        check("Prefers", e);
                        None
                    }
                    None => None,
                };
                fields.cadence = match self
                    .value("Keep in touch")
                    .map(|p| period("Keep in touch", &p))
                {
                    Some(Ok(p)) => Some(p),
                    Some(Err(e)) => {
                        check("Keep in touch", e);
                        None
                    }
                    None => None,
                };
                // The model's own validation, as `kith add` / `kith edit` run it.
                if let Err(e) = fields.clone().validate() {
                    let label = match &e {
                        Error::Invalid { field, .. } => contact_label(field),
                        _ => "Name",
                    };
                    check(label, e);
                }
                match &self.kind {
                    FormKind::EditContact { id, .. } => Submission::EditContact(*id, fields),
                    _ => Submission::AddContact(fields),
                }
            }
            FormKind::Log { contact_id } => {
                let summary = self.value("Summary").unwrap_or_default();
                if summary.is_empty() {
                    check("Summary", Error::invalid("summary", "", "is empty"));
                }
                let channel = match self.value("Channel").unwrap_or_default().parse::<Channel>() {
                    Ok(c) => c,
                    Err(e) => {
                        check("Channel", e);
                        Channel::Note
                    }
                };
                let occurred_at = match self.value("When") {
                    None => clock.now,
                    Some(w) => match ops::parse_when(clock, "when", &w) {
                        Ok(w) => ops::instant(clock, w),
                        Err(e) => {
                            check("When", e);
                            clock.now
                        }
                    },
                };
                let follow_up = match self
                    .value("Follow-up")
                    .map(|s| ops::parse_follow_up(clock, &s))
                {
                    Some(Ok(f)) => Some(f),
                    Some(Err(e)) => {
                        check("Follow-up", e);
                        None
                    }
                    None => None,
                };
                Submission::Log(
                    NewInteraction {
                        occurred_at,
                        channel,
                        direction: None,
                        summary,
                        body: self.value("Body"),
                        participants: vec![*contact_id],
                    },
                    follow_up,
                )
            }
            FormKind::FollowUp { contact_id } => {
                let text = self.value("What").unwrap_or_default();
                if text.is_empty() {
                    check("What", Error::invalid("follow-up text", "", "is empty"));
                }
                let due = due_of(self.value("Due"), clock).unwrap_or_else(|e| {
                    check("Due", e);
                    Due::Day(clock.today())
                });
                let recurrence = match self.value("Repeat").map(|p| period("repeat", &p)) {
                    Some(Ok(p)) => Some(p),
                    Some(Err(e)) => {
                        check("Repeat", e);
                        None
                    }
                    None => None,
                };
                Submission::FollowUp(NewReminder {
                    contact_id: Some(*contact_id),
                    organization_id: None,
                    text,
                    due,
                    recurrence,
                    interaction_id: None,
                })
            }
            FormKind::Snooze { reminder_id } => {
                let until = due_of(self.value("Until"), clock).unwrap_or_else(|e| {
                    check("Until", e);
                    Due::Day(clock.today())
                });
                Submission::Snooze(*reminder_id, until)
            }
            FormKind::Tags { contact_id } => {
                let mut add = Vec::new();
                let mut remove = Vec::new();
                let changes = self.value("Tags").unwrap_or_default();
                if changes.is_empty() {
                    check(
                        "Tags",
                        Error::invalid("tags", "", "type +tag to add or -tag to remove"),
                    );
                }
                for change in changes.split([' ', ',']).filter(|c| !c.is_empty()) {
                    let (list, tag) = match change.strip_prefix('-') {
                        Some(t) => (&mut remove, t),
                        None => (&mut add, change),
                    };
                    match normalize_tag(tag) {
                        Ok(t) => list.push(t),
                        Err(e) => check("Tags", e),
                    }
                }
                Submission::Tags(*contact_id, add, remove)
            }
        };
        if problems.is_empty() {
            Ok(submission)
        } else {
            problems.sort_by_key(|(i, _)| *i);
            problems.dedup_by_key(|(i, _)| *i);
            Err(problems)
        }
    }
}

fn period(field: &str, input: &str) -> Result<Period, Error> {
    Period::parse(input)
        .map_err(|_| Error::invalid(field, input, "expected a period such as 30d, 2w, 2m or 1y"))
}

fn due_of(input: Option<String>, clock: Clock) -> Result<Due, Error> {
    match input {
        None => Err(Error::invalid(
            "date",
            "",
            "say when, e.g. tomorrow or 2026-12-01",
        )),
        Some(s) => ops::parse_when(clock, "date", &s).map(Due::from),
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
            Some(Submission::Log(new, Some(f))) => {
                assert_eq!(new.participants, vec![7]);
                assert_eq!(new.channel, Channel::Call);
                assert_eq!(f.text, "send proposal");
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
